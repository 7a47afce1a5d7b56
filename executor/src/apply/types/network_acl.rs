//! `network_acl`: a network ACL of the VPC. Its rules (`network_acl_entry`) and the subnets
//! that use it (`network_acl_association`) are their own types, found in the same describe.
//! It is deleted once its subnets are back on the VPC's default ACL: associations go first in
//! the destroy order, and AWS refuses to delete an ACL a subnet still uses.

use std::time::Duration;

use aws_sdk_ec2::operation::describe_network_acls::DescribeNetworkAclsOutput;
use aws_sdk_ec2::types::NetworkAcl;
use planner_core::resource::ResourceType;
use planner_core::{Resource, ResourceKind};

use crate::apply::context::Cx;
use crate::apply::model::{attr_drift, tag_drift, ApplyError, Drift, Live, LiveRes};
use crate::apply::shared::attrs::{attrs, not_a, DISCOVERY};
use crate::apply::shared::ec2::{
    code, deleted, plan_filter, repair_tags, sort_found, tag_map, tag_spec,
};
use crate::apply::shared::wait::{retry_while, Backoff, Limit};

/// Deleted after its associations (rank 0) moved its subnets back to the default ACL, and
/// before the subnets and the VPC.
pub const DESTROY_RANK: usize = 2;

/// Every network ACL carrying the plan's tag, with its rules and associations (one call,
/// whether or not the plan still has one). Also what `network_acl_entry` and
/// `network_acl_association` discovery read. The VPC's default ACL carries no tag of the
/// plan and is not among them.
pub async fn describe(cx: &Cx) -> Result<DescribeNetworkAclsOutput, ApplyError> {
    cx.aws
        .ec2(|c| c.describe_network_acls().filters(plan_filter(cx)).send())
        .await
        .map_err(|e| ApplyError::sdk(DISCOVERY, e))
}

/// Sorts one described ACL into `live`.
pub fn discover(cx: &Cx, acl: &NetworkAcl, live: &mut Live) {
    let res = LiveRes {
        aws_id: acl.network_acl_id().unwrap_or_default().to_owned(),
        attrs: attrs([("vpc", acl.vpc_id().unwrap_or("-").to_owned())]),
        tags: tag_map(acl.tags()),
        ..LiveRes::default()
    };
    sort_found(cx, live, ResourceType::NetworkAcl, res);
}

/// Nothing the plan no longer has stands in the way of creating one.
pub fn conflicts(_cx: &Cx, _r: &Resource, _orphan: &LiveRes) -> bool {
    false
}

/// Its tags can differ, and so can the VPC it is in (which AWS cannot change).
pub fn drift(cx: &Cx, r: &Resource, live: &LiveRes) -> Vec<Drift> {
    let ResourceKind::NetworkAcl { vpc, .. } = &r.kind else {
        return Vec::new();
    };
    let want = attrs([("vpc", cx.id_of(vpc).unwrap_or_else(|_| "-".to_owned()))]);
    let mut d = attr_drift(&want, &live.attrs, &[]);
    d.extend(tag_drift(&cx.tags_for(r), &live.tags));
    d
}

/// Creates the ACL in the VPC, tagged in the same request. AWS gives it only its final deny
/// rules; the plan's rules are `network_acl_entry` resources.
pub async fn create(cx: &Cx, r: &Resource) -> Result<LiveRes, ApplyError> {
    let ResourceKind::NetworkAcl { vpc, .. } = &r.kind else {
        return Err(not_a(r, ResourceType::NetworkAcl));
    };
    let vpc_id = cx.id_of(vpc)?;
    let out = cx
        .aws
        .ec2(|c| {
            c.create_network_acl()
                .vpc_id(&vpc_id)
                .tag_specifications(tag_spec(
                    cx,
                    r,
                    aws_sdk_ec2::types::ResourceType::NetworkAcl,
                ))
                .send()
        })
        .await
        .map_err(|e| ApplyError::sdk(&r.id, e))?;
    Ok(LiveRes {
        aws_id: out
            .network_acl()
            .and_then(|a| a.network_acl_id())
            .unwrap_or_default()
            .to_owned(),
        attrs: attrs([("vpc", vpc_id)]),
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

/// How long a delete waits for EC2 to see that the plan's subnets left the ACL: their moves
/// back to the default ACL are eventually consistent.
const SETTLE_TIMEOUT: Duration = Duration::from_secs(30);

/// Deletes the ACL (its rules go with it); gone already counts as deleted. AWS refuses while a
/// subnet still uses it: retried while the plan's own subnets' moves settle, then an ACL that
/// a subnet outside the plan still uses is kept: that subnet is not the plan's to move.
pub async fn delete(cx: &Cx, id: &str, live: &LiveRes) -> Result<(), ApplyError> {
    let aws_id = live.aws_id.as_str();
    let backoff = Backoff::doubling(
        cx,
        id,
        "its subnets' moves back to the default network ACL to settle",
        Duration::from_millis(250),
        Duration::from_secs(5),
    )
    .say_from(Duration::from_secs(2));
    let out = retry_while(
        backoff,
        Limit::Time(SETTLE_TIMEOUT),
        |e| code(e) == Some("DependencyViolation"),
        || {
            cx.aws
                .ec2(|c| c.delete_network_acl().network_acl_id(aws_id).send())
        },
    )
    .await;
    match out {
        Err(e) if code(&e) == Some("DependencyViolation") => Err(ApplyError::kept(
            id,
            format!(
                "{} is still used by a subnet outside the plan: move that subnet to another network ACL and run again",
                live.aws_id
            ),
        )),
        out => deleted(id, out),
    }
}
