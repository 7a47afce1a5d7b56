//! `vpc`: the VPC, its DNS attributes and its Amazon-provided IPv6 block.

use aws_sdk_ec2::operation::describe_vpcs::DescribeVpcsOutput;
use aws_sdk_ec2::types::{VpcAttributeName, VpcCidrBlockStateCode};
use planner_core::resource::ResourceType;
use planner_core::{Resource, ResourceKind};

use crate::apply::context::Cx;
use crate::apply::model::{attr_drift, tag_drift, ApplyError, Drift, Live, LiveRes};
use crate::apply::shared::attrs::{attrs, flag, not_a, DISCOVERY};
use crate::apply::shared::ec2::{
    bool_value, deleted, plan_filter, retag, sort_found, tag_map, tag_spec,
};

/// Deleted last: everything else lives in it.
pub const DESTROY_RANK: usize = 5;

/// The attribute holding the VPC's IPv6 block (`-` for none), and its association's id.
const IPV6: &str = "ipv6_cidr_block";
const IPV6_ASSOCIATION: &str = "ipv6_association";
/// How the plan's value of [`IPV6`] reads: a block AWS picks.
const AMAZON: &str = "amazon-provided";

/// Every VPC carrying the plan's tag (one call, also when the plan has none any more: what
/// an earlier version made is found and deleted). Also what `vpc_cidr_block` discovery
/// reads.
pub async fn describe(cx: &Cx) -> Result<DescribeVpcsOutput, ApplyError> {
    cx.aws
        .ec2(|c| c.describe_vpcs().filters(plan_filter(cx)).send())
        .await
        .map_err(|e| ApplyError::sdk(DISCOVERY, e))
}

/// Sorts the described VPCs into `live`, reading their two DNS attributes.
pub async fn discover(
    cx: &Cx,
    vpcs: &DescribeVpcsOutput,
    live: &mut Live,
) -> Result<(), ApplyError> {
    for v in vpcs.vpcs() {
        let vpc_id = v.vpc_id().unwrap_or_default().to_owned();
        let mut a = attrs([("cidr_block", v.cidr_block().unwrap_or_default().to_owned())]);
        for attr in [
            VpcAttributeName::EnableDnsSupport,
            VpcAttributeName::EnableDnsHostnames,
        ] {
            let out = cx
                .aws
                .ec2(|c| {
                    c.describe_vpc_attribute()
                        .vpc_id(&vpc_id)
                        .attribute(attr.clone())
                        .send()
                })
                .await
                .map_err(|e| ApplyError::sdk(DISCOVERY, e))?;
            let (k, v) = match attr {
                VpcAttributeName::EnableDnsSupport => (
                    "enable_dns_support",
                    out.enable_dns_support().and_then(|x| x.value()),
                ),
                _ => (
                    "enable_dns_hostnames",
                    out.enable_dns_hostnames().and_then(|x| x.value()),
                ),
            };
            a.insert(k.to_owned(), flag(v.unwrap_or(false)));
        }
        // Given back blocks linger in the set for a while.
        let ipv6 = v.ipv6_cidr_block_association_set().iter().find(|x| {
            !x.ipv6_cidr_block_state()
                .and_then(|s| s.state())
                .is_some_and(|s| {
                    matches!(
                        s,
                        VpcCidrBlockStateCode::Disassociating
                            | VpcCidrBlockStateCode::Disassociated
                            | VpcCidrBlockStateCode::Failing
                            | VpcCidrBlockStateCode::Failed
                    )
                })
        });
        a.insert(
            IPV6.to_owned(),
            ipv6.and_then(|x| x.ipv6_cidr_block())
                .unwrap_or("-")
                .to_owned(),
        );
        a.insert(
            IPV6_ASSOCIATION.to_owned(),
            ipv6.and_then(|x| x.association_id())
                .unwrap_or("-")
                .to_owned(),
        );
        let res = LiveRes {
            aws_id: vpc_id,
            arn: None,
            attrs: a,
            tags: tag_map(v.tags()),
        };
        sort_found(cx, live, ResourceType::Vpc, res);
    }
    Ok(())
}

/// Nothing the plan no longer has stands in the way of creating one.
pub fn conflicts(_cx: &Cx, _r: &Resource, _orphan: &LiveRes) -> bool {
    false
}

/// How the live VPC differs from the plan: its block (fixed), DNS attributes and whether it
/// has an Amazon-provided IPv6 block (repairable). Taking the IPv6 block away waits until the
/// subnets have given back their /64s and the egress-only gateway is gone.
pub fn drift(cx: &Cx, r: &Resource, live: &LiveRes) -> Vec<Drift> {
    let ResourceKind::Vpc {
        cidr_block,
        amazon_provided_ipv6,
        enable_dns_support,
        enable_dns_hostnames,
        ..
    } = &r.kind
    else {
        return Vec::new();
    };
    let want = attrs([
        ("cidr_block", cidr_block.to_string()),
        ("enable_dns_support", flag(*enable_dns_support)),
        ("enable_dns_hostnames", flag(*enable_dns_hostnames)),
    ]);
    let mut d = attr_drift(
        &want,
        &live.attrs,
        &["enable_dns_support", "enable_dns_hostnames"],
    );
    let v6 = live.attrs.get(IPV6).map_or("-", String::as_str);
    if *amazon_provided_ipv6 == (v6 == "-") {
        d.push(Drift {
            what: IPV6.to_owned(),
            live: v6.to_owned(),
            plan: (if *amazon_provided_ipv6 { AMAZON } else { "-" }).to_owned(),
            repairable: true,
            late: !*amazon_provided_ipv6,
        });
    }
    d.extend(tag_drift(&cx.tags_for(r), &live.tags));
    d
}

/// Creates the VPC, tagged in the same request, then sets the DNS attributes AWS's defaults
/// (support on, hostnames off) do not match.
pub async fn create(cx: &Cx, r: &Resource) -> Result<LiveRes, ApplyError> {
    let ResourceKind::Vpc {
        cidr_block,
        amazon_provided_ipv6,
        enable_dns_support,
        enable_dns_hostnames,
        ..
    } = &r.kind
    else {
        return Err(not_a(r, ResourceType::Vpc));
    };
    let id = r.id.as_str();
    let out = cx
        .aws
        .ec2(|c| {
            c.create_vpc()
                .cidr_block(cidr_block.to_string())
                .amazon_provided_ipv6_cidr_block(*amazon_provided_ipv6)
                .tag_specifications(tag_spec(cx, r, aws_sdk_ec2::types::ResourceType::Vpc))
                .send()
        })
        .await
        .map_err(|e| ApplyError::sdk(id, e))?;
    let vpc_id = out
        .vpc()
        .and_then(|v| v.vpc_id())
        .unwrap_or_default()
        .to_owned();
    // One attribute per call.
    if !*enable_dns_support {
        set_dns(cx, id, &vpc_id, Dns::Support, false).await?;
    }
    if *enable_dns_hostnames {
        set_dns(cx, id, &vpc_id, Dns::Hostnames, true).await?;
    }
    Ok(LiveRes {
        aws_id: vpc_id,
        tags: cx.tags_for(r),
        ..LiveRes::default()
    })
}

/// One of the VPC's DNS attributes.
#[derive(Clone, Copy)]
enum Dns {
    Support,
    Hostnames,
}

async fn set_dns(cx: &Cx, id: &str, vpc_id: &str, which: Dns, on: bool) -> Result<(), ApplyError> {
    cx.aws
        .ec2(|c| {
            let req = c.modify_vpc_attribute().vpc_id(vpc_id);
            match which {
                Dns::Support => req.enable_dns_support(bool_value(on)),
                Dns::Hostnames => req.enable_dns_hostnames(bool_value(on)),
            }
            .send()
        })
        .await
        .map_err(|e| ApplyError::sdk(id, e))?;
    Ok(())
}

/// Repairs tags and DNS attributes in place.
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
            "enable_dns_support" => {
                set_dns(cx, id, &live.aws_id, Dns::Support, d.plan == "true").await?;
            }
            "enable_dns_hostnames" => {
                set_dns(cx, id, &live.aws_id, Dns::Hostnames, d.plan == "true").await?;
            }
            IPV6 if d.plan == AMAZON => {
                cx.aws
                    .ec2(|c| {
                        c.associate_vpc_cidr_block()
                            .vpc_id(&live.aws_id)
                            .amazon_provided_ipv6_cidr_block(true)
                            .send()
                    })
                    .await
                    .map_err(|e| ApplyError::sdk(id, e))?;
            }
            IPV6 => {
                let assoc = live
                    .attrs
                    .get(IPV6_ASSOCIATION)
                    .cloned()
                    .unwrap_or_default();
                let out = cx
                    .aws
                    .ec2(|c| c.disassociate_vpc_cidr_block().association_id(assoc).send())
                    .await;
                deleted(id, out)?;
            }
            _ => return Err(ApplyError::new(id, format!("cannot repair {d}"))),
        }
    }
    Ok(())
}

/// Deletes the VPC; gone already counts as deleted.
pub async fn delete(cx: &Cx, id: &str, live: &LiveRes) -> Result<(), ApplyError> {
    let out = cx
        .aws
        .ec2(|c| c.delete_vpc().vpc_id(&live.aws_id).send())
        .await;
    deleted(id, out)
}
