//! `route_table`: a route table of the VPC. Its routes and associations are their own types,
//! found in the same describe.

use aws_sdk_ec2::operation::describe_route_tables::DescribeRouteTablesOutput;
use aws_sdk_ec2::types::RouteTable;
use planner_core::resource::ResourceType;
use planner_core::{Resource, ResourceKind};

use crate::apply::context::Cx;
use crate::apply::model::{attr_drift, tag_drift, ApplyError, Drift, Live, LiveRes};
use crate::apply::shared::attrs::{attrs, not_a, DISCOVERY};
use crate::apply::shared::ec2::{deleted, plan_filter, repair_tags, sort_found, tag_map, tag_spec};

/// Deleted once its routes and associations are gone.
pub const DESTROY_RANK: usize = 2;

/// Every route table carrying the plan's tag (one call, whether or not the plan still has
/// one). Also what
/// `route` and `route_table_association` discovery read.
pub async fn describe(cx: &Cx) -> Result<DescribeRouteTablesOutput, ApplyError> {
    cx.aws
        .ec2(|c| c.describe_route_tables().filters(plan_filter(cx)).send())
        .await
        .map_err(|e| ApplyError::sdk(DISCOVERY, e))
}

/// Sorts one described table into `live`.
pub fn discover(cx: &Cx, t: &RouteTable, live: &mut Live) {
    let res = LiveRes {
        aws_id: t.route_table_id().unwrap_or_default().to_owned(),
        attrs: attrs([("vpc", t.vpc_id().unwrap_or("-").to_owned())]),
        tags: tag_map(t.tags()),
        ..LiveRes::default()
    };
    sort_found(cx, live, ResourceType::RouteTable, res);
}

/// Nothing the plan no longer has stands in the way of creating one.
pub fn conflicts(_cx: &Cx, _r: &Resource, _orphan: &LiveRes) -> bool {
    false
}

/// Its tags (the plan's and the design's own) can differ, and so can the VPC it is in
/// (which AWS cannot change).
pub fn drift(cx: &Cx, r: &Resource, live: &LiveRes) -> Vec<Drift> {
    let ResourceKind::RouteTable { vpc, .. } = &r.kind else {
        return Vec::new();
    };
    let want = attrs([("vpc", cx.id_of(vpc).unwrap_or_else(|_| "-".to_owned()))]);
    let mut d = attr_drift(&want, &live.attrs, &[]);
    d.extend(tag_drift(&cx.tags_for(r), &live.tags));
    d
}

/// Creates the table in the VPC, tagged in the same request.
pub async fn create(cx: &Cx, r: &Resource) -> Result<LiveRes, ApplyError> {
    let ResourceKind::RouteTable { vpc, .. } = &r.kind else {
        return Err(not_a(r, ResourceType::RouteTable));
    };
    let vpc_id = cx.id_of(vpc)?;
    let out = cx
        .aws
        .ec2(|c| {
            c.create_route_table()
                .vpc_id(vpc_id)
                .tag_specifications(tag_spec(
                    cx,
                    r,
                    aws_sdk_ec2::types::ResourceType::RouteTable,
                ))
                .send()
        })
        .await
        .map_err(|e| ApplyError::sdk(&r.id, e))?;
    Ok(LiveRes {
        aws_id: out
            .route_table()
            .and_then(|t| t.route_table_id())
            .unwrap_or_default()
            .to_owned(),
        tags: cx.tags_for(r),
        ..LiveRes::default()
    })
}

/// Repairs tags in place; nothing else of it can be repaired.
pub async fn repair(
    cx: &Cx,
    r: &Resource,
    live: &LiveRes,
    drift: &[Drift],
) -> Result<(), ApplyError> {
    repair_tags(cx, r, live, drift).await
}

/// Deletes the table; gone already counts as deleted.
pub async fn delete(cx: &Cx, id: &str, live: &LiveRes) -> Result<(), ApplyError> {
    let out = cx
        .aws
        .ec2(|c| c.delete_route_table().route_table_id(&live.aws_id).send())
        .await;
    deleted(id, out)
}
