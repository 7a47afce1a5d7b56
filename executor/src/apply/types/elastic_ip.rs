//! `elastic_ip`: an address for a NAT gateway.

use aws_sdk_ec2::operation::describe_addresses::DescribeAddressesOutput;
use aws_sdk_ec2::types::DomainType;
use planner_core::resource::ResourceType;
use planner_core::Resource;

use crate::apply::context::Cx;
use crate::apply::model::{tag_drift, ApplyError, Drift, Live, LiveRes};
use crate::apply::shared::attrs::{attrs, DISCOVERY};
use crate::apply::shared::ec2::{deleted, plan_filter, repair_tags, sort_found, tag_map, tag_spec};

/// Released once the NAT gateway holding it is gone.
pub const DESTROY_RANK: usize = 2;

/// Every address carrying the plan's tag (one call, whether or not the plan still has one).
pub async fn describe(cx: &Cx) -> Result<DescribeAddressesOutput, ApplyError> {
    cx.aws
        .ec2(|c| c.describe_addresses().filters(plan_filter(cx)).send())
        .await
        .map_err(|e| ApplyError::sdk(DISCOVERY, e))
}

/// Sorts the described addresses into `live`.
pub fn discover(cx: &Cx, addresses: &DescribeAddressesOutput, live: &mut Live) {
    for a in addresses.addresses() {
        let res = LiveRes {
            aws_id: a.allocation_id().unwrap_or_default().to_owned(),
            arn: None,
            attrs: attrs([("association", a.association_id().unwrap_or("-").to_owned())]),
            tags: tag_map(a.tags()),
        };
        sort_found(cx, live, ResourceType::ElasticIp, res);
    }
}

/// Nothing the plan no longer has stands in the way of creating one.
pub fn conflicts(_cx: &Cx, _r: &Resource, _orphan: &LiveRes) -> bool {
    false
}

/// Only its tags can differ.
pub fn drift(cx: &Cx, r: &Resource, live: &LiveRes) -> Vec<Drift> {
    tag_drift(&cx.tags_for(r), &live.tags)
}

/// Allocates the address, tagged in the same request.
pub async fn create(cx: &Cx, r: &Resource) -> Result<LiveRes, ApplyError> {
    let out = cx
        .aws
        .ec2(|c| {
            c.allocate_address()
                .domain(DomainType::Vpc)
                .tag_specifications(tag_spec(cx, r, aws_sdk_ec2::types::ResourceType::ElasticIp))
                .send()
        })
        .await
        .map_err(|e| ApplyError::sdk(&r.id, e))?;
    Ok(LiveRes {
        aws_id: out.allocation_id().unwrap_or_default().to_owned(),
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

/// Releases the address; gone already counts as deleted.
pub async fn delete(cx: &Cx, id: &str, live: &LiveRes) -> Result<(), ApplyError> {
    let out = cx
        .aws
        .ec2(|c| c.release_address().allocation_id(&live.aws_id).send())
        .await;
    deleted(id, out)
}
