//! `egress_only_internet_gateway`: IPv6 egress for the VPC.

use aws_sdk_ec2::operation::describe_egress_only_internet_gateways::DescribeEgressOnlyInternetGatewaysOutput;
use planner_core::resource::ResourceType;
use planner_core::{Resource, ResourceKind};

use crate::apply::context::Cx;
use crate::apply::model::{attr_drift, tag_drift, ApplyError, Drift, Live, LiveRes};
use crate::apply::shared::attrs::{attrs, not_a, DISCOVERY};
use crate::apply::shared::ec2::{deleted, plan_filter, repair_tags, sort_found, tag_map, tag_spec};

/// Deleted once the routes through it are gone.
pub const DESTROY_RANK: usize = 2;

/// Every egress-only gateway carrying the plan's tag (one call, whether or not the plan
/// still has one: turning IPv6 off leaves one to delete).
pub async fn describe(cx: &Cx) -> Result<DescribeEgressOnlyInternetGatewaysOutput, ApplyError> {
    cx.aws
        .ec2(|c| {
            c.describe_egress_only_internet_gateways()
                .filters(plan_filter(cx))
                .send()
        })
        .await
        .map_err(|e| ApplyError::sdk(DISCOVERY, e))
}

/// Sorts the described gateways into `live`.
pub fn discover(cx: &Cx, eigws: &DescribeEgressOnlyInternetGatewaysOutput, live: &mut Live) {
    for g in eigws.egress_only_internet_gateways() {
        let vpc = g
            .attachments()
            .iter()
            .find_map(|a| a.vpc_id())
            .unwrap_or("-")
            .to_owned();
        let res = LiveRes {
            aws_id: g
                .egress_only_internet_gateway_id()
                .unwrap_or_default()
                .to_owned(),
            attrs: attrs([("vpc", vpc)]),
            tags: tag_map(g.tags()),
            ..LiveRes::default()
        };
        sort_found(cx, live, ResourceType::EgressOnlyInternetGateway, res);
    }
}

/// Nothing the plan no longer has stands in the way of creating one.
pub fn conflicts(_cx: &Cx, _r: &Resource, _orphan: &LiveRes) -> bool {
    false
}

/// Its tags can differ, and so can the VPC it is attached to (which AWS cannot change).
pub fn drift(cx: &Cx, r: &Resource, live: &LiveRes) -> Vec<Drift> {
    let ResourceKind::EgressOnlyInternetGateway { vpc, .. } = &r.kind else {
        return Vec::new();
    };
    let want = attrs([("vpc", cx.id_of(vpc).unwrap_or_else(|_| "-".to_owned()))]);
    let mut d = attr_drift(&want, &live.attrs, &[]);
    d.extend(tag_drift(&cx.tags_for(r), &live.tags));
    d
}

/// Creates the gateway in the VPC, tagged in the same request.
pub async fn create(cx: &Cx, r: &Resource) -> Result<LiveRes, ApplyError> {
    let ResourceKind::EgressOnlyInternetGateway { vpc, .. } = &r.kind else {
        return Err(not_a(r, ResourceType::EgressOnlyInternetGateway));
    };
    let vpc_id = cx.id_of(vpc)?;
    let out = cx
        .aws
        .ec2(|c| {
            c.create_egress_only_internet_gateway()
                .vpc_id(vpc_id)
                .tag_specifications(tag_spec(
                    cx,
                    r,
                    aws_sdk_ec2::types::ResourceType::EgressOnlyInternetGateway,
                ))
                .send()
        })
        .await
        .map_err(|e| ApplyError::sdk(&r.id, e))?;
    let g = out
        .egress_only_internet_gateway()
        .and_then(|g| g.egress_only_internet_gateway_id())
        .unwrap_or_default();
    Ok(LiveRes {
        aws_id: g.to_owned(),
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

/// Deletes the gateway; gone already counts as deleted.
pub async fn delete(cx: &Cx, id: &str, live: &LiveRes) -> Result<(), ApplyError> {
    let out = cx
        .aws
        .ec2(|c| {
            c.delete_egress_only_internet_gateway()
                .egress_only_internet_gateway_id(&live.aws_id)
                .send()
        })
        .await;
    deleted(id, out)
}
