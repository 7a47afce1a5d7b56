//! `vpc_cidr_block`: a secondary IPv4 block of the VPC. An association carries no tags: it is
//! found as an association of the plan's VPC, and the VPC's `vpc-planner:block:<cidr>` tag
//! records that the executor associated it. A block the plan does not list is an orphan only
//! with that tag; one added by hand is left alone.

use aws_sdk_ec2::operation::describe_vpcs::DescribeVpcsOutput;
use aws_sdk_ec2::types::VpcCidrBlockStateCode;
use planner_core::resource::ResourceType;
use planner_core::{Resource, ResourceKind};

use crate::apply::context::Cx;
use crate::apply::model::{ApplyError, Drift, Live, LiveRes, Orphan, ID_TAG, PLAN_TAG};
use crate::apply::shared::attrs::{attrs, not_a};
use crate::apply::shared::ec2::{deleted, tag_map};
use planner_core::ids::{block_tag, vpc_cidr_block_id};

/// Disassociated after the subnets in it are gone, before the VPC.
pub const DESTROY_RANK: usize = 4;

/// Finds the plan's blocks among the associations of the plan's VPC; the other secondary
/// blocks the VPC's tags record as the executor's are orphans (a block the design no longer
/// lists). The blocks of a VPC that is itself an orphan go with it.
pub fn discover(cx: &Cx, vpcs: &DescribeVpcsOutput, live: &mut Live) {
    for v in vpcs.vpcs() {
        let tags = tag_map(v.tags());
        let ours = tags.get(PLAN_TAG) == Some(&cx.plan.design.name)
            && tags
                .get(ID_TAG)
                .and_then(|id| cx.plan.resource(id))
                .is_some_and(|r| r.kind.resource_type() == ResourceType::Vpc);
        if !ours {
            continue;
        }
        let primary = v.cidr_block().unwrap_or_default();
        for assoc in v.cidr_block_association_set() {
            let held = assoc
                .cidr_block_state()
                .and_then(|s| s.state())
                .is_some_and(|s| {
                    matches!(
                        s,
                        VpcCidrBlockStateCode::Associated | VpcCidrBlockStateCode::Associating
                    )
                });
            let Some(block) = assoc.cidr_block() else {
                continue;
            };
            if !held || block == primary {
                continue;
            }
            let recorded = tags.contains_key(&block_tag(block));
            let res = LiveRes {
                aws_id: assoc.association_id().unwrap_or_default().to_owned(),
                attrs: attrs([
                    ("cidr_block", block.to_owned()),
                    ("vpc", v.vpc_id().unwrap_or_default().to_owned()),
                    ("recorded", recorded.to_string()),
                ]),
                ..LiveRes::default()
            };
            let planned = cx.plan.resources.iter().find(|r| {
                matches!(&r.kind, ResourceKind::VpcCidrBlock { cidr_block, .. }
                    if cidr_block.to_string() == block)
            });
            match planned {
                Some(r) => {
                    live.found.insert(r.id.clone(), res);
                }
                None if recorded => live.orphans.push(Orphan::new(
                    vpc_cidr_block_id(block),
                    ResourceType::VpcCidrBlock,
                    res,
                )),
                None => {}
            }
        }
    }
}

/// Whether an orphan block of the VPC overlaps this one: AWS refuses the association until it
/// is gone.
pub fn conflicts(_cx: &Cx, r: &Resource, orphan: &LiveRes) -> bool {
    let ResourceKind::VpcCidrBlock { cidr_block, .. } = &r.kind else {
        return false;
    };
    let theirs: Option<ipnet::Ipv4Net> =
        orphan.attrs.get("cidr_block").and_then(|c| c.parse().ok());
    let ours: Option<ipnet::Ipv4Net> = cidr_block.to_string().parse().ok();
    match (theirs, ours) {
        (Some(a), Some(b)) => a.contains(&b.network()) || b.contains(&a.network()),
        _ => false,
    }
}

/// A block found is as planned (it is found by its CIDR); the VPC's tag recording it may be
/// missing (an executor before the tag associated it), and is added.
pub fn drift(_cx: &Cx, _r: &Resource, live: &LiveRes) -> Vec<Drift> {
    if live.attrs.get("recorded").is_some_and(|r| r == "false") {
        vec![Drift {
            what: "tag on the VPC".to_owned(),
            live: "-".to_owned(),
            plan: "recorded".to_owned(),
            repairable: true,
            late: false,
        }]
    } else {
        Vec::new()
    }
}

/// Associates the block with the VPC.
pub async fn create(cx: &Cx, r: &Resource) -> Result<LiveRes, ApplyError> {
    let ResourceKind::VpcCidrBlock { vpc, cidr_block } = &r.kind else {
        return Err(not_a(r, ResourceType::VpcCidrBlock));
    };
    let vpc_id = cx.id_of(vpc)?;
    let out = cx
        .aws
        .ec2(|c| {
            c.associate_vpc_cidr_block()
                .vpc_id(&vpc_id)
                .cidr_block(cidr_block.to_string())
                .send()
        })
        .await
        .map_err(|e| ApplyError::sdk(&r.id, e))?;
    let assoc = out
        .cidr_block_association()
        .and_then(|a| a.association_id())
        .unwrap_or_default();
    record(cx, &r.id, &vpc_id, &cidr_block.to_string()).await?;
    Ok(LiveRes {
        aws_id: assoc.to_owned(),
        ..LiveRes::default()
    })
}

/// Adds the VPC's tag recording the block (the only drift a block has).
pub async fn repair(
    cx: &Cx,
    r: &Resource,
    live: &LiveRes,
    drift: &[Drift],
) -> Result<(), ApplyError> {
    let ResourceKind::VpcCidrBlock { cidr_block, .. } = &r.kind else {
        return Err(not_a(r, ResourceType::VpcCidrBlock));
    };
    if drift.is_empty() {
        return Ok(());
    }
    let vpc = live.attrs.get("vpc").map_or("", String::as_str);
    record(cx, &r.id, vpc, &cidr_block.to_string()).await
}

/// Tags the VPC `vpc` with the record that the executor associated `block`.
async fn record(cx: &Cx, id: &str, vpc: &str, block: &str) -> Result<(), ApplyError> {
    let tag = aws_sdk_ec2::types::Tag::builder()
        .key(block_tag(block))
        .value(id)
        .build();
    cx.aws
        .ec2(|c| c.create_tags().resources(vpc).tags(tag.clone()).send())
        .await
        .map_err(|e| ApplyError::sdk(id, e))?;
    Ok(())
}

/// Disassociates the block (gone already counts as deleted), then removes the VPC's tag
/// recording it.
pub async fn delete(cx: &Cx, id: &str, live: &LiveRes) -> Result<(), ApplyError> {
    let out = cx
        .aws
        .ec2(|c| {
            c.disassociate_vpc_cidr_block()
                .association_id(&live.aws_id)
                .send()
        })
        .await;
    deleted(id, out)?;
    let (Some(vpc), Some(block)) = (live.attrs.get("vpc"), live.attrs.get("cidr_block")) else {
        return Ok(());
    };
    let tag = aws_sdk_ec2::types::Tag::builder()
        .key(block_tag(block))
        .build();
    let out = cx
        .aws
        .ec2(|c| c.delete_tags().resources(vpc).tags(tag.clone()).send())
        .await;
    deleted(id, out)
}
