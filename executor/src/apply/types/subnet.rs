//! `subnet`: a subnet in one zone, with its IPv6 /64 (carved from the VPC's Amazon-provided
//! /56 by index) and whether it gives instances public addresses.

use std::time::Duration;

use aws_sdk_ec2::operation::describe_subnets::DescribeSubnetsOutput;
use planner_core::resource::ResourceType;
use planner_core::{Resource, ResourceKind};

use crate::apply::context::Cx;
use crate::apply::model::{attr_drift, tag_drift, ApplyError, Drift, Live, LiveRes};
use crate::apply::shared::attrs::{attrs, flag, not_a, DISCOVERY};
use crate::apply::shared::ec2::{
    bool_value, deleted, plan_filter, plan_has, retag, sort_found, tag_map, tag_spec,
};
use crate::apply::shared::wait::Backoff;

/// Deleted once what runs in it is gone, before the VPC's blocks.
pub const DESTROY_RANK: usize = 3;

/// The plan's subnets, by tag (one call, made only when the plan has subnets).
pub async fn describe(cx: &Cx) -> Result<DescribeSubnetsOutput, ApplyError> {
    if !plan_has(cx, ResourceType::Subnet) {
        return Ok(DescribeSubnetsOutput::builder().build());
    }
    cx.aws
        .ec2(|c| c.describe_subnets().filters(plan_filter(cx)).send())
        .await
        .map_err(|e| ApplyError::sdk(DISCOVERY, e))
}

/// Sorts the described subnets into `live`.
pub fn discover(cx: &Cx, subnets: &DescribeSubnetsOutput, live: &mut Live) {
    for s in subnets.subnets() {
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
            ]),
            tags: tag_map(s.tags()),
        };
        sort_found(cx, live, ResourceType::Subnet, res);
    }
}

/// How the live subnet differs: block and zone are fixed, public addresses repairable.
pub fn drift(cx: &Cx, r: &Resource, live: &LiveRes) -> Vec<Drift> {
    let ResourceKind::Subnet {
        cidr_block,
        availability_zone,
        map_public_ip_on_launch,
        ..
    } = &r.kind
    else {
        return Vec::new();
    };
    let want = attrs([
        ("cidr_block", cidr_block.to_string()),
        ("availability_zone", availability_zone.clone()),
        ("map_public_ip_on_launch", flag(*map_public_ip_on_launch)),
    ]);
    let mut d = attr_drift(&want, &live.attrs, &["map_public_ip_on_launch"]);
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
        let sub = block
            .subnets(v6_block.prefix_len)
            .ok()
            .and_then(|mut s| s.nth(usize::from(v6_block.index)))
            .ok_or_else(|| {
                ApplyError::new(id, format!("{block} has no /64 number {}", v6_block.index))
            })?;
        v6 = Some(sub.to_string());
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
    for d in drift {
        match d.what.as_str() {
            w if w.starts_with("tag ") => retag(cx, r, &live.aws_id).await?,
            "map_public_ip_on_launch" => {
                set_attribute(cx, id, &live.aws_id, Some(d.plan == "true"), None).await?;
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
