//! `vpc`: the VPC, its DNS attributes and its Amazon-provided IPv6 block, and the rules of
//! its default security group and network ACL ([`defaults`]).

use aws_sdk_ec2::operation::describe_vpcs::DescribeVpcsOutput;
use aws_sdk_ec2::types::{VpcAttributeName, VpcCidrBlockStateCode};
use planner_core::resource::ResourceType;
use planner_core::{Resource, ResourceKind};

use crate::apply::context::Cx;
use crate::apply::model::{attr_drift, tag_drift, ApplyError, Drift, Live, LiveRes, ID_TAG};
use crate::apply::shared::attrs::{attrs, flag, not_a, DISCOVERY};
use crate::apply::shared::ec2::{
    bool_value, deleted, plan_filter, retag, sort_found, tag_map, tag_spec,
};

mod defaults;

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

/// Whether the plan's VPC removes the rules of its default security group.
fn restricts(cx: &Cx) -> bool {
    cx.plan.resources.iter().any(|r| {
        matches!(
            r.kind,
            ResourceKind::Vpc {
                restrict_default_security_group: true,
                ..
            }
        )
    })
}

/// Whether the plan's VPC keeps the rules of its default network ACL to the design's.
fn manages_acl(cx: &Cx) -> bool {
    cx.plan.resources.iter().any(|r| {
        matches!(
            r.kind,
            ResourceKind::Vpc {
                default_network_acl: Some(_),
                ..
            }
        )
    })
}

/// Sorts the described VPCs into `live`, reading their two DNS attributes and the rules of
/// their default network ACL and default group, each only when the plan manages it.
pub async fn discover(
    cx: &Cx,
    vpcs: &DescribeVpcsOutput,
    live: &mut Live,
) -> Result<(), ApplyError> {
    // Only the plan's VPC: the defaults of one it no longer has go with it.
    let ids: Vec<String> = vpcs
        .vpcs()
        .iter()
        .filter(|v| {
            tag_map(v.tags())
                .get(ID_TAG)
                .and_then(|id| cx.plan.resource(id))
                .is_some_and(|r| r.kind.resource_type() == ResourceType::Vpc)
        })
        .filter_map(|v| v.vpc_id().map(str::to_owned))
        .collect();
    let mut found_defaults = defaults::discover(cx, &ids, restricts(cx), manages_acl(cx)).await?;
    for v in vpcs.vpcs() {
        let vpc_id = v.vpc_id().unwrap_or_default().to_owned();
        let mut a = attrs([("cidr_block", v.cidr_block().unwrap_or_default().to_owned())]);
        a.extend(found_defaults.remove(&vpc_id).unwrap_or_default());
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

/// How the live VPC differs from the plan: its block (fixed), DNS attributes, whether it
/// has an Amazon-provided IPv6 block, and the rules of its default network ACL and default
/// group, each only when the plan manages it (repairable). Taking the IPv6 block away waits until the
/// subnets have given back their /64s and the egress-only gateway is gone.
pub fn drift(cx: &Cx, r: &Resource, live: &LiveRes) -> Vec<Drift> {
    let ResourceKind::Vpc {
        cidr_block,
        amazon_provided_ipv6,
        enable_dns_support,
        enable_dns_hostnames,
        restrict_default_security_group,
        default_network_acl,
        ..
    } = &r.kind
    else {
        return Vec::new();
    };
    let mut want = attrs([
        ("cidr_block", cidr_block.to_string()),
        ("enable_dns_support", flag(*enable_dns_support)),
        ("enable_dns_hostnames", flag(*enable_dns_hostnames)),
    ]);
    if let Some(acl) = default_network_acl {
        want.insert(
            defaults::ACL.to_owned(),
            defaults::wanted_summary(*acl, *amazon_provided_ipv6),
        );
    }
    if *restrict_default_security_group {
        want.insert(defaults::GROUP_RULES.to_owned(), "0".to_owned());
    }
    let mut d = attr_drift(
        &want,
        &live.attrs,
        &[
            "enable_dns_support",
            "enable_dns_hostnames",
            defaults::ACL,
            defaults::GROUP_RULES,
        ],
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
/// (support on, hostnames off) do not match, and the rules of its default group and network
/// ACL the design asks for, if it asks.
pub async fn create(cx: &Cx, r: &Resource) -> Result<LiveRes, ApplyError> {
    let ResourceKind::Vpc {
        cidr_block,
        amazon_provided_ipv6,
        enable_dns_support,
        enable_dns_hostnames,
        restrict_default_security_group,
        default_network_acl,
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
    if *restrict_default_security_group {
        defaults::restrict_group(cx, id, &vpc_id).await?;
    }
    if let Some(acl) = default_network_acl {
        defaults::keep_acl(cx, id, &vpc_id, *acl, *amazon_provided_ipv6).await?;
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

/// Repairs tags, DNS attributes, the IPv6 block and the default group's and network ACL's
/// rules in place; the ACL last, read afresh, since AWS adds IPv6 rules to it when the VPC
/// gets its block.
pub async fn repair(
    cx: &Cx,
    r: &Resource,
    live: &LiveRes,
    drift: &[Drift],
) -> Result<(), ApplyError> {
    let ResourceKind::Vpc {
        amazon_provided_ipv6,
        default_network_acl,
        ..
    } = &r.kind
    else {
        return Err(not_a(r, ResourceType::Vpc));
    };
    let id = r.id.as_str();
    // AWS refuses hostnames without support: support is turned on first and off last.
    let mut order: Vec<&Drift> = drift.iter().collect();
    order.sort_by_key(|d| match (d.what.as_str(), d.plan.as_str()) {
        ("enable_dns_support", "true") => 0,
        ("enable_dns_support", _) => 2,
        _ => 1,
    });
    // Done once, after the rest, read afresh.
    let mut keep_acl = false;
    for d in order {
        match d.what.as_str() {
            defaults::ACL => keep_acl = true,
            defaults::GROUP_RULES => defaults::restrict_group(cx, id, &live.aws_id).await?,
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
    match default_network_acl {
        Some(acl) if keep_acl => {
            defaults::keep_acl(cx, id, &live.aws_id, *acl, *amazon_provided_ipv6).await?;
        }
        _ => {}
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
