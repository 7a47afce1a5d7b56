//! `vpc_cidr_block`: a secondary IPv4 block of the VPC. It carries no tags: it is found as an
//! association of the plan's VPC.

use aws_sdk_ec2::operation::describe_vpcs::DescribeVpcsOutput;
use aws_sdk_ec2::types::VpcCidrBlockStateCode;
use planner_core::resource::ResourceType;
use planner_core::{Resource, ResourceKind};

use crate::apply::context::Cx;
use crate::apply::model::{ApplyError, Drift, Live, LiveRes};
use crate::apply::shared::attrs::not_a;
use crate::apply::shared::ec2::deleted;

/// Disassociated after the subnets in it are gone, before the VPC.
pub const DESTROY_RANK: usize = 4;

/// Finds the plan's blocks among the associations of the described VPCs.
pub fn discover(cx: &Cx, vpcs: &DescribeVpcsOutput, live: &mut Live) {
    for v in vpcs.vpcs() {
        for r in &cx.plan.resources {
            let ResourceKind::VpcCidrBlock { cidr_block, .. } = &r.kind else {
                continue;
            };
            let assoc = v.cidr_block_association_set().iter().find(|x| {
                x.cidr_block() == Some(&cidr_block.to_string())
                    && x.cidr_block_state()
                        .and_then(|s| s.state())
                        .is_some_and(|s| {
                            matches!(
                                s,
                                VpcCidrBlockStateCode::Associated
                                    | VpcCidrBlockStateCode::Associating
                            )
                        })
            });
            if let Some(assoc) = assoc {
                live.found.insert(
                    r.id.clone(),
                    LiveRes {
                        aws_id: assoc.association_id().unwrap_or_default().to_owned(),
                        ..LiveRes::default()
                    },
                );
            }
        }
    }
}

/// A block found is as planned (it is found by its CIDR), and it has no tags.
pub fn drift(_cx: &Cx, _r: &Resource, _live: &LiveRes) -> Vec<Drift> {
    Vec::new()
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
                .vpc_id(vpc_id)
                .cidr_block(cidr_block.to_string())
                .send()
        })
        .await
        .map_err(|e| ApplyError::sdk(&r.id, e))?;
    let assoc = out
        .cidr_block_association()
        .and_then(|a| a.association_id())
        .unwrap_or_default();
    Ok(LiveRes {
        aws_id: assoc.to_owned(),
        ..LiveRes::default()
    })
}

/// Nothing of a block can drift, so nothing is repaired.
pub async fn repair(
    _cx: &Cx,
    r: &Resource,
    _live: &LiveRes,
    drift: &[Drift],
) -> Result<(), ApplyError> {
    match drift.first() {
        Some(d) => Err(ApplyError::new(&r.id, format!("cannot repair {d}"))),
        None => Ok(()),
    }
}

/// Disassociates the block; gone already counts as deleted.
pub async fn delete(cx: &Cx, id: &str, live: &LiveRes) -> Result<(), ApplyError> {
    let out = cx
        .aws
        .ec2(|c| {
            c.disassociate_vpc_cidr_block()
                .association_id(&live.aws_id)
                .send()
        })
        .await;
    deleted(id, out)
}
