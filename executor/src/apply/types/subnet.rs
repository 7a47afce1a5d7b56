//! `subnet`: a subnet in one zone, with its IPv6 /64 (carved from the VPC's Amazon-provided
//! /56 by index) and whether it gives instances public addresses.

use std::time::Duration;

use aws_sdk_ec2::operation::describe_subnets::DescribeSubnetsOutput;
use aws_sdk_ec2::types::SubnetCidrBlockStateCode;
use planner_core::resource::{Ipv6SubnetBlock, ResourceType};
use planner_core::{Resource, ResourceKind};

use crate::apply::context::Cx;
use crate::apply::model::{attr_drift, tag_drift, ApplyError, Drift, Live, LiveRes};
use crate::apply::shared::attrs::{attrs, flag, not_a, DISCOVERY};
use crate::apply::shared::ec2::{
    bool_value, deleted, plan_filter, retag, sort_found, tag_map, tag_spec,
};
use crate::apply::shared::wait::Backoff;

/// Deleted once what runs in it is gone, before the VPC's blocks.
pub const DESTROY_RANK: usize = 3;

/// Every subnet carrying the plan's tag (one call, whether or not the plan still has any).
pub async fn describe(cx: &Cx) -> Result<DescribeSubnetsOutput, ApplyError> {
    cx.aws
        .ec2(|c| c.describe_subnets().filters(plan_filter(cx)).send())
        .await
        .map_err(|e| ApplyError::sdk(DISCOVERY, e))
}

/// The attributes holding the subnet's IPv6 /64 (`-` for none) and its association's id.
const IPV6: &str = "ipv6_cidr_block";
const IPV6_ASSOCIATION: &str = "ipv6_association";
/// The attribute saying whether instances get an IPv6 address.
const ASSIGN_IPV6: &str = "assign_ipv6_address_on_creation";
/// The attribute holding the VPC the subnet is in.
const VPC: &str = "vpc";
/// The plan's value of [`IPV6`] while the VPC has no IPv6 block yet (the design just turned
/// IPv6 on): the /64 is carved when the block is there, in the same run.
const NEW_V6: &str = "a /64 of the VPC's new IPv6 block";

/// Sorts the described subnets into `live`.
pub fn discover(cx: &Cx, subnets: &DescribeSubnetsOutput, live: &mut Live) {
    for s in subnets.subnets() {
        // Given back blocks linger in the set for a while (moto leaves their state out).
        let v6 = s.ipv6_cidr_block_association_set().iter().find(|a| {
            !a.ipv6_cidr_block_state()
                .and_then(|s| s.state())
                .is_some_and(|s| {
                    matches!(
                        s,
                        SubnetCidrBlockStateCode::Disassociating
                            | SubnetCidrBlockStateCode::Disassociated
                            | SubnetCidrBlockStateCode::Failing
                            | SubnetCidrBlockStateCode::Failed
                    )
                })
        });
        let res = LiveRes {
            aws_id: s.subnet_id().unwrap_or_default().to_owned(),
            arn: s.subnet_arn().map(str::to_owned),
            attrs: attrs([
                ("cidr_block", s.cidr_block().unwrap_or_default().to_owned()),
                (
                    "availability_zone",
                    s.availability_zone().unwrap_or_default().to_owned(),
                ),
                (
                    "map_public_ip_on_launch",
                    flag(s.map_public_ip_on_launch().unwrap_or(false)),
                ),
                (
                    ASSIGN_IPV6,
                    flag(s.assign_ipv6_address_on_creation().unwrap_or(false)),
                ),
                (
                    IPV6,
                    v6.and_then(|a| a.ipv6_cidr_block())
                        .unwrap_or("-")
                        .to_owned(),
                ),
                (
                    IPV6_ASSOCIATION,
                    v6.and_then(|a| a.association_id())
                        .unwrap_or("-")
                        .to_owned(),
                ),
                (VPC, s.vpc_id().unwrap_or("-").to_owned()),
            ]),
            tags: tag_map(s.tags()),
        };
        sort_found(cx, live, ResourceType::Subnet, res);
    }
}

/// The /64 the plan gives the subnet, once the VPC's /56 is known.
fn planned_ipv6(cx: &Cx, vpc: &str, block: &Ipv6SubnetBlock) -> Option<String> {
    let vpc_block: ipnet::Ipv6Net = cx.live_of(vpc)?.attrs.get(IPV6)?.parse().ok()?;
    vpc_block
        .subnets(block.prefix_len)
        .ok()?
        .nth(usize::from(block.index))
        .map(|n| n.to_string())
}

/// Whether an orphan subnet in the same VPC overlaps this one's block: AWS refuses the create
/// until it is gone.
pub fn conflicts(cx: &Cx, r: &Resource, orphan: &LiveRes) -> bool {
    let ResourceKind::Subnet {
        vpc, cidr_block, ..
    } = &r.kind
    else {
        return false;
    };
    let same_vpc = cx
        .id_of(vpc)
        .is_ok_and(|v| orphan.attrs.get(VPC) == Some(&v));
    let theirs: Option<ipnet::Ipv4Net> =
        orphan.attrs.get("cidr_block").and_then(|c| c.parse().ok());
    let ours: Option<ipnet::Ipv4Net> = cidr_block.to_string().parse().ok();
    match (theirs, ours) {
        (Some(a), Some(b)) => same_vpc && (a.contains(&b.network()) || b.contains(&a.network())),
        _ => false,
    }
}

/// How the live subnet differs: block, zone and VPC are fixed; public addresses and IPv6
/// (the /64 and whether instances get an address from it) are repairable.
pub fn drift(cx: &Cx, r: &Resource, live: &LiveRes) -> Vec<Drift> {
    let ResourceKind::Subnet {
        vpc,
        cidr_block,
        availability_zone,
        ipv6_cidr_block,
        map_public_ip_on_launch,
        assign_ipv6_address_on_creation,
        ..
    } = &r.kind
    else {
        return Vec::new();
    };
    let mut want = attrs([
        ("cidr_block", cidr_block.to_string()),
        ("availability_zone", availability_zone.clone()),
        ("map_public_ip_on_launch", flag(*map_public_ip_on_launch)),
        (
            ASSIGN_IPV6,
            flag(*assign_ipv6_address_on_creation && ipv6_cidr_block.is_some()),
        ),
        (VPC, cx.id_of(vpc).unwrap_or_else(|_| "-".to_owned())),
    ]);
    match ipv6_cidr_block {
        None => {
            want.insert(IPV6.to_owned(), "-".to_owned());
        }
        Some(block) => {
            let v6 = planned_ipv6(cx, vpc, block).unwrap_or_else(|| NEW_V6.to_owned());
            want.insert(IPV6.to_owned(), v6);
        }
    }
    let mut d = attr_drift(
        &want,
        &live.attrs,
        &["map_public_ip_on_launch", ASSIGN_IPV6, IPV6],
    );
    d.extend(tag_drift(&cx.tags_for(r), &live.tags));
    d
}

/// The VPC's Amazon-provided /56, waiting briefly while AWS associates it.
async fn vpc_ipv6_block(cx: &Cx, id: &str, vpc_id: &str) -> Result<ipnet::Ipv6Net, ApplyError> {
    let mut backoff = Backoff::linear(cx, id, Duration::from_millis(200));
    while backoff.pauses() < 30 {
        let out = cx
            .aws
            .ec2(|c| c.describe_vpcs().vpc_ids(vpc_id).send())
            .await
            .map_err(|e| ApplyError::sdk(id, e))?;
        let block = out
            .vpcs()
            .first()
            .and_then(|v| {
                v.ipv6_cidr_block_association_set()
                    .iter()
                    .filter(|a| {
                        !a.ipv6_cidr_block_state()
                            .and_then(|s| s.state())
                            .is_some_and(|s| s.as_str().starts_with("disassociat"))
                    })
                    .find_map(|a| a.ipv6_cidr_block())
            })
            .and_then(|b| b.parse().ok());
        if let Some(b) = block {
            return Ok(b);
        }
        backoff.pause().await;
    }
    Err(ApplyError::new(
        id,
        format!("VPC {vpc_id} has no IPv6 block"),
    ))
}

/// The subnet's /64 of the VPC's block.
fn carve(id: &str, block: ipnet::Ipv6Net, v6: &Ipv6SubnetBlock) -> Result<String, ApplyError> {
    block
        .subnets(v6.prefix_len)
        .ok()
        .and_then(|mut s| s.nth(usize::from(v6.index)))
        .map(|n| n.to_string())
        .ok_or_else(|| ApplyError::new(id, format!("{block} has no /64 number {}", v6.index)))
}

/// Sets one of the subnet's boolean attributes.
async fn set_attribute(
    cx: &Cx,
    id: &str,
    subnet_id: &str,
    public_ip: Option<bool>,
    assign_ipv6: Option<bool>,
) -> Result<(), ApplyError> {
    cx.aws
        .ec2(|c| {
            c.modify_subnet_attribute()
                .subnet_id(subnet_id)
                .set_map_public_ip_on_launch(public_ip.map(bool_value))
                .set_assign_ipv6_address_on_creation(assign_ipv6.map(bool_value))
                .send()
        })
        .await
        .map_err(|e| ApplyError::sdk(id, e))?;
    Ok(())
}

/// Creates the subnet, tagged in the same request, then sets the attributes AWS's create
/// does not take.
pub async fn create(cx: &Cx, r: &Resource) -> Result<LiveRes, ApplyError> {
    let ResourceKind::Subnet {
        vpc,
        availability_zone,
        cidr_block,
        ipv6_cidr_block,
        map_public_ip_on_launch,
        assign_ipv6_address_on_creation,
        ..
    } = &r.kind
    else {
        return Err(not_a(r, ResourceType::Subnet));
    };
    let id = r.id.as_str();
    let vpc_id = cx.id_of(vpc)?;
    let mut v6 = None;
    if let Some(v6_block) = ipv6_cidr_block {
        let block = vpc_ipv6_block(cx, id, &vpc_id).await?;
        v6 = Some(carve(id, block, v6_block)?);
    }
    let out = cx
        .aws
        .ec2(|c| {
            c.create_subnet()
                .vpc_id(&vpc_id)
                .cidr_block(cidr_block.to_string())
                .availability_zone(availability_zone)
                .tag_specifications(tag_spec(cx, r, aws_sdk_ec2::types::ResourceType::Subnet))
                .set_ipv6_cidr_block(v6)
                .send()
        })
        .await
        .map_err(|e| ApplyError::sdk(id, e))?;
    let subnet_id = out
        .subnet()
        .and_then(|s| s.subnet_id())
        .unwrap_or_default()
        .to_owned();
    // One attribute per call.
    if *map_public_ip_on_launch {
        set_attribute(cx, id, &subnet_id, Some(true), None).await?;
    }
    if *assign_ipv6_address_on_creation && ipv6_cidr_block.is_some() {
        set_attribute(cx, id, &subnet_id, None, Some(true)).await?;
    }
    Ok(LiveRes {
        aws_id: subnet_id,
        tags: cx.tags_for(r),
        ..LiveRes::default()
    })
}

/// Repairs tags and public addresses in place.
pub async fn repair(
    cx: &Cx,
    r: &Resource,
    live: &LiveRes,
    drift: &[Drift],
) -> Result<(), ApplyError> {
    let id = r.id.as_str();
    // A /64 comes before instances may take addresses from it, and goes after.
    let adds_v6 = |d: &&Drift| d.what == IPV6 && d.plan != "-";
    for d in drift
        .iter()
        .filter(adds_v6)
        .chain(drift.iter().filter(|d| !adds_v6(d)))
    {
        match d.what.as_str() {
            w if w.starts_with("tag ") => retag(cx, r, &live.aws_id).await?,
            "map_public_ip_on_launch" => {
                set_attribute(cx, id, &live.aws_id, Some(d.plan == "true"), None).await?;
            }
            ASSIGN_IPV6 => {
                set_attribute(cx, id, &live.aws_id, None, Some(d.plan == "true")).await?;
            }
            IPV6 => {
                if d.live != "-" {
                    let assoc = live
                        .attrs
                        .get(IPV6_ASSOCIATION)
                        .cloned()
                        .unwrap_or_default();
                    let out = cx
                        .aws
                        .ec2(|c| {
                            c.disassociate_subnet_cidr_block()
                                .association_id(assoc)
                                .send()
                        })
                        .await;
                    deleted(id, out)?;
                }
                if d.plan != "-" {
                    let v6 = match &r.kind {
                        ResourceKind::Subnet {
                            vpc,
                            ipv6_cidr_block: Some(block),
                            ..
                        } if d.plan == NEW_V6 => {
                            let vpc_block = vpc_ipv6_block(cx, id, &cx.id_of(vpc)?).await?;
                            carve(id, vpc_block, block)?
                        }
                        _ => d.plan.clone(),
                    };
                    cx.aws
                        .ec2(|c| {
                            c.associate_subnet_cidr_block()
                                .subnet_id(&live.aws_id)
                                .ipv6_cidr_block(v6)
                                .send()
                        })
                        .await
                        .map_err(|e| ApplyError::sdk(id, e))?;
                }
            }
            _ => return Err(ApplyError::new(id, format!("cannot repair {d}"))),
        }
    }
    Ok(())
}

/// Deletes the subnet; gone already counts as deleted.
pub async fn delete(cx: &Cx, id: &str, live: &LiveRes) -> Result<(), ApplyError> {
    let out = cx
        .aws
        .ec2(|c| c.delete_subnet().subnet_id(&live.aws_id).send())
        .await;
    deleted(id, out)
}
