//! The network: VPC, secondary blocks, subnets, gateways, addresses, NAT gateways, route
//! tables, routes and associations.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use aws_sdk_ec2::types::{DomainType, Filter, ResourceType};
use planner_core::resource::{Destination, RouteTarget};
use planner_core::{Resource, ResourceKind};

use super::model::{attr_drift, tag_drift, ApplyError, Drift, Live, LiveRes, Orphan};
use super::ops::{code, plan_filter, retag, sort_found, tag_map, tag_spec};
use super::Cx;
use crate::events::Event;

/// How long AWS may take to make a NAT gateway available or deleted.
const NAT_TIMEOUT: Duration = Duration::from_secs(15 * 60);

fn b(v: bool) -> String {
    v.to_string()
}

fn attrs<const N: usize>(pairs: [(&str, String); N]) -> BTreeMap<String, String> {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

/// Finds the plan's network resources.
pub async fn discover(cx: &Cx, live: &mut Live) -> Result<(), ApplyError> {
    let ec2 = &cx.aws.ec2;
    let id = "discovery";
    let types: std::collections::BTreeSet<&str> = cx
        .plan
        .resources
        .iter()
        .map(|r| r.kind.type_name())
        .collect();
    let has = |t: &str| types.contains(t);
    // One call per type, all in flight at once.
    let (vpcs, subnets, igws, eigws, addresses, nats, tables) = tokio::try_join!(
        async {
            // The derived policy grants a describe only for types the plan has.
            if !has("vpc") {
                return Ok(
                    aws_sdk_ec2::operation::describe_vpcs::DescribeVpcsOutput::builder().build(),
                );
            }
            let _p = cx.permit().await;
            ec2.describe_vpcs()
                .filters(plan_filter(cx))
                .send()
                .await
                .map_err(|e| ApplyError::sdk(id, e))
        },
        async {
            // The derived policy grants a describe only for types the plan has.
            if !has("subnet") {
                return Ok(
                    aws_sdk_ec2::operation::describe_subnets::DescribeSubnetsOutput::builder()
                        .build(),
                );
            }
            let _p = cx.permit().await;
            ec2.describe_subnets()
                .filters(plan_filter(cx))
                .send()
                .await
                .map_err(|e| ApplyError::sdk(id, e))
        },
        async {
            // The derived policy grants a describe only for types the plan has.
            if !has("internet_gateway") {
                return Ok(aws_sdk_ec2::operation::describe_internet_gateways::DescribeInternetGatewaysOutput::builder().build());
            }
            let _p = cx.permit().await;
            ec2.describe_internet_gateways()
                .filters(plan_filter(cx))
                .send()
                .await
                .map_err(|e| ApplyError::sdk(id, e))
        },
        async {
            // The derived policy grants a describe only for types the plan has.
            if !has("egress_only_internet_gateway") {
                return Ok(aws_sdk_ec2::operation::describe_egress_only_internet_gateways::DescribeEgressOnlyInternetGatewaysOutput::builder().build());
            }
            let _p = cx.permit().await;
            ec2.describe_egress_only_internet_gateways()
                .filters(plan_filter(cx))
                .send()
                .await
                .map_err(|e| ApplyError::sdk(id, e))
        },
        async {
            // The derived policy grants a describe only for types the plan has.
            if !has("elastic_ip") {
                return Ok(
                    aws_sdk_ec2::operation::describe_addresses::DescribeAddressesOutput::builder()
                        .build(),
                );
            }
            let _p = cx.permit().await;
            ec2.describe_addresses()
                .filters(plan_filter(cx))
                .send()
                .await
                .map_err(|e| ApplyError::sdk(id, e))
        },
        async {
            // The derived policy grants a describe only for types the plan has.
            if !has("nat_gateway") {
                return Ok(aws_sdk_ec2::operation::describe_nat_gateways::DescribeNatGatewaysOutput::builder().build());
            }
            let _p = cx.permit().await;
            ec2.describe_nat_gateways()
                .filter(plan_filter(cx))
                .send()
                .await
                .map_err(|e| ApplyError::sdk(id, e))
        },
        async {
            // The derived policy grants a describe only for types the plan has.
            if !has("route_table") {
                return Ok(aws_sdk_ec2::operation::describe_route_tables::DescribeRouteTablesOutput::builder().build());
            }
            let _p = cx.permit().await;
            ec2.describe_route_tables()
                .filters(plan_filter(cx))
                .send()
                .await
                .map_err(|e| ApplyError::sdk(id, e))
        }
    )?;

    for v in vpcs.vpcs() {
        let vpc_id = v.vpc_id().unwrap_or_default().to_owned();
        let mut a = attrs([("cidr_block", v.cidr_block().unwrap_or_default().to_owned())]);
        for attr in [
            aws_sdk_ec2::types::VpcAttributeName::EnableDnsSupport,
            aws_sdk_ec2::types::VpcAttributeName::EnableDnsHostnames,
        ] {
            let out = {
                let _p = cx.permit().await;
                ec2.describe_vpc_attribute()
                    .vpc_id(&vpc_id)
                    .attribute(attr.clone())
                    .send()
                    .await
                    .map_err(|e| ApplyError::sdk(id, e))?
            };
            let (k, v) = match attr {
                aws_sdk_ec2::types::VpcAttributeName::EnableDnsSupport => (
                    "enable_dns_support",
                    out.enable_dns_support().and_then(|x| x.value()),
                ),
                _ => (
                    "enable_dns_hostnames",
                    out.enable_dns_hostnames().and_then(|x| x.value()),
                ),
            };
            a.insert(k.to_owned(), b(v.unwrap_or(false)));
        }
        let ipv6 = v
            .ipv6_cidr_block_association_set()
            .iter()
            .find_map(|x| x.ipv6_cidr_block())
            .map(str::to_owned);
        if let Some(block) = ipv6 {
            a.insert("ipv6_cidr_block".to_owned(), block);
        }
        // Secondary blocks are associations of the VPC, found with it.
        for r in &cx.plan.resources {
            if let ResourceKind::VpcCidrBlock { cidr_block, .. } = &r.kind {
                let assoc = v.cidr_block_association_set().iter().find(|x| {
                    x.cidr_block() == Some(&cidr_block.to_string())
                        && x.cidr_block_state()
                            .and_then(|s| s.state())
                            .is_some_and(|s| {
                                matches!(
                                    s,
                                    aws_sdk_ec2::types::VpcCidrBlockStateCode::Associated
                                        | aws_sdk_ec2::types::VpcCidrBlockStateCode::Associating
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
        let res = LiveRes {
            aws_id: vpc_id,
            arn: None,
            attrs: a,
            tags: tag_map(v.tags()),
        };
        sort_found(cx, live, "vpc", res);
    }

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
                    b(s.map_public_ip_on_launch().unwrap_or(false)),
                ),
            ]),
            tags: tag_map(s.tags()),
        };
        sort_found(cx, live, "subnet", res);
    }

    for g in igws.internet_gateways() {
        let vpc = g
            .attachments()
            .iter()
            .find_map(|a| a.vpc_id())
            .unwrap_or("-")
            .to_owned();
        let res = LiveRes {
            aws_id: g.internet_gateway_id().unwrap_or_default().to_owned(),
            arn: None,
            attrs: attrs([("vpc", vpc)]),
            tags: tag_map(g.tags()),
        };
        sort_found(cx, live, "internet_gateway", res);
    }

    for g in eigws.egress_only_internet_gateways() {
        let res = LiveRes {
            aws_id: g
                .egress_only_internet_gateway_id()
                .unwrap_or_default()
                .to_owned(),
            arn: None,
            attrs: BTreeMap::new(),
            tags: tag_map(g.tags()),
        };
        sort_found(cx, live, "egress_only_internet_gateway", res);
    }

    for a in addresses.addresses() {
        let res = LiveRes {
            aws_id: a.allocation_id().unwrap_or_default().to_owned(),
            arn: None,
            attrs: attrs([("association", a.association_id().unwrap_or("-").to_owned())]),
            tags: tag_map(a.tags()),
        };
        sort_found(cx, live, "elastic_ip", res);
    }

    for n in nats.nat_gateways() {
        use aws_sdk_ec2::types::NatGatewayState as S;
        // Deleted gateways linger in describes (and moto returns them regardless of filters).
        if matches!(n.state(), Some(S::Deleted | S::Deleting | S::Failed)) {
            continue;
        }
        let res = LiveRes {
            aws_id: n.nat_gateway_id().unwrap_or_default().to_owned(),
            arn: None,
            attrs: attrs([("subnet", n.subnet_id().unwrap_or_default().to_owned())]),
            tags: tag_map(n.tags()),
        };
        sort_found(cx, live, "nat_gateway", res);
    }

    for t in tables.route_tables() {
        let rt_id = t.route_table_id().unwrap_or_default().to_owned();
        let tags = tag_map(t.tags());
        let plan_rt = tags.get(super::model::ID_TAG).cloned().unwrap_or_default();
        for route in t.routes() {
            if route.gateway_id() == Some("local") {
                continue;
            }
            let dest = route
                .destination_cidr_block()
                .or(route.destination_ipv6_cidr_block())
                .unwrap_or_default()
                .to_owned();
            let target = route
                .gateway_id()
                .or(route.egress_only_internet_gateway_id())
                .or(route.nat_gateway_id())
                .or(route.instance_id())
                .unwrap_or("-")
                .to_owned();
            let res = LiveRes {
                aws_id: format!("{rt_id}|{dest}"),
                arn: None,
                attrs: attrs([("target", target)]),
                tags: BTreeMap::new(),
            };
            let planned = cx.plan.resources.iter().find(|r| match &r.kind {
                ResourceKind::Route {
                    route_table,
                    destination,
                    ..
                } => *route_table == plan_rt && dest_string(destination) == dest,
                _ => false,
            });
            match planned {
                Some(r) => {
                    live.found.insert(r.id.clone(), res);
                }
                None => live.orphans.push(Orphan {
                    id: format!("route of {plan_rt} to {dest}"),
                    type_name: "route",
                    aws_id: res.aws_id,
                }),
            }
        }
        for assoc in t.associations() {
            let Some(subnet) = assoc.subnet_id() else {
                continue;
            };
            let res = LiveRes {
                aws_id: assoc
                    .route_table_association_id()
                    .unwrap_or_default()
                    .to_owned(),
                arn: None,
                attrs: attrs([
                    ("subnet", subnet.to_owned()),
                    ("route_table", rt_id.clone()),
                ]),
                tags: BTreeMap::new(),
            };
            // Matched to the plan once subnet ids are known (see `match_associations`).
            live.found.insert(format!("association|{subnet}"), res);
        }
        let res = LiveRes {
            aws_id: rt_id,
            arn: None,
            attrs: BTreeMap::new(),
            tags,
        };
        sort_found(cx, live, "route_table", res);
    }
    match_associations(cx, live);
    Ok(())
}

/// Associations carry no tags: they are the plan's when their subnet and route table are.
fn match_associations(cx: &Cx, live: &mut Live) {
    let keys: Vec<String> = live
        .found
        .keys()
        .filter(|k| k.starts_with("association|"))
        .cloned()
        .collect();
    for key in keys {
        let res = live.found.remove(&key).expect("listed");
        let subnet_aws = &res.attrs["subnet"];
        let rt_aws = &res.attrs["route_table"];
        let planned = cx.plan.resources.iter().find(|r| match &r.kind {
            ResourceKind::RouteTableAssociation { subnet, .. } => live
                .found
                .get(subnet)
                .is_some_and(|s| s.aws_id == *subnet_aws),
            _ => false,
        });
        match planned {
            Some(r) => {
                let mut res = res.clone();
                if let ResourceKind::RouteTableAssociation { route_table, .. } = &r.kind {
                    let planned_rt = live.found.get(route_table).map(|t| t.aws_id.clone());
                    res.attrs.insert(
                        "route_table".to_owned(),
                        if planned_rt.as_deref() == Some(rt_aws) {
                            route_table.clone()
                        } else {
                            rt_aws.clone()
                        },
                    );
                }
                res.attrs.remove("subnet");
                live.found.insert(r.id.clone(), res);
            }
            None => live.orphans.push(Orphan {
                id: format!("association of {subnet_aws}"),
                type_name: "route_table_association",
                aws_id: res.aws_id,
            }),
        }
    }
}

fn dest_string(d: &Destination) -> String {
    match d {
        Destination::Ipv4(c) => c.to_string(),
        Destination::Ipv6(s) => s.clone(),
    }
}

/// The attributes of `r` the account must show, and which of them `run` can repair.
fn expected(cx: &Cx, r: &Resource) -> (BTreeMap<String, String>, &'static [&'static str]) {
    match &r.kind {
        ResourceKind::Vpc {
            cidr_block,
            enable_dns_support,
            enable_dns_hostnames,
            ..
        } => (
            attrs([
                ("cidr_block", cidr_block.to_string()),
                ("enable_dns_support", b(*enable_dns_support)),
                ("enable_dns_hostnames", b(*enable_dns_hostnames)),
            ]),
            &["enable_dns_support", "enable_dns_hostnames"],
        ),
        ResourceKind::Subnet {
            cidr_block,
            availability_zone,
            map_public_ip_on_launch,
            ..
        } => (
            attrs([
                ("cidr_block", cidr_block.to_string()),
                ("availability_zone", availability_zone.clone()),
                ("map_public_ip_on_launch", b(*map_public_ip_on_launch)),
            ]),
            &["map_public_ip_on_launch"],
        ),
        ResourceKind::InternetGateway { vpc, .. } => (
            attrs([("vpc", cx.id_of(vpc).unwrap_or_else(|_| "-".to_owned()))]),
            &["vpc"],
        ),
        ResourceKind::Route { target, .. } => match target {
            // The instance behind an auto-scaling group changes when it is replaced.
            RouteTarget::AutoscalingGroup(_) => (BTreeMap::new(), &[]),
            t => (
                attrs([(
                    "target",
                    cx.id_of(t.id()).unwrap_or_else(|_| "-".to_owned()),
                )]),
                &["target"],
            ),
        },
        ResourceKind::RouteTableAssociation { route_table, .. } => (
            attrs([("route_table", route_table.clone())]),
            &["route_table"],
        ),
        _ => (BTreeMap::new(), &[]),
    }
}

/// How the live resource differs from the plan.
pub fn drift(cx: &Cx, r: &Resource, live: &LiveRes) -> Vec<Drift> {
    let (want, repairable) = expected(cx, r);
    let mut d = attr_drift(&want, &live.attrs, repairable);
    let taggable = !matches!(
        r.kind,
        ResourceKind::Route { .. }
            | ResourceKind::RouteTableAssociation { .. }
            | ResourceKind::VpcCidrBlock { .. }
    );
    if taggable {
        d.extend(tag_drift(&cx.tags_for(r), &live.tags));
    }
    d
}

async fn wait_nat(cx: &Cx, id: &str, nat_id: &str, want_deleted: bool) -> Result<(), ApplyError> {
    use aws_sdk_ec2::types::NatGatewayState as S;
    let start = Instant::now();
    let mut delay = Duration::from_millis(500);
    let mut said = false;
    loop {
        let out = {
            let _p = cx.permit().await;
            cx.aws
                .ec2
                .describe_nat_gateways()
                .nat_gateway_ids(nat_id)
                .send()
                .await
        };
        let state = match out {
            Ok(o) => o.nat_gateways().first().and_then(|n| n.state().cloned()),
            Err(e) if code(&e) == Some("NatGatewayNotFound") && want_deleted => return Ok(()),
            Err(e) => return Err(ApplyError::sdk(id, e)),
        };
        match (state, want_deleted) {
            (Some(S::Available), false) | (Some(S::Deleted) | None, true) => return Ok(()),
            (Some(S::Failed), false) => {
                return Err(ApplyError::new(
                    id,
                    format!("NAT gateway {nat_id} failed to start"),
                ))
            }
            _ => {}
        }
        if start.elapsed() > NAT_TIMEOUT {
            return Err(ApplyError::new(
                id,
                format!(
                    "NAT gateway {nat_id} did not settle in {} minutes",
                    NAT_TIMEOUT.as_secs() / 60
                ),
            ));
        }
        if !said {
            let what = if want_deleted {
                "NAT gateway to be deleted"
            } else {
                "NAT gateway to become available"
            };
            cx.events.event(Event::Waiting {
                id: id.to_owned(),
                what: what.to_owned(),
            });
            said = true;
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(15));
    }
}

/// The VPC's Amazon-provided /56, waiting briefly while AWS associates it.
async fn vpc_ipv6_block(cx: &Cx, id: &str, vpc_id: &str) -> Result<ipnet::Ipv6Net, ApplyError> {
    for attempt in 0..30 {
        let out = {
            let _p = cx.permit().await;
            cx.aws
                .ec2
                .describe_vpcs()
                .vpc_ids(vpc_id)
                .send()
                .await
                .map_err(|e| ApplyError::sdk(id, e))?
        };
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
        tokio::time::sleep(Duration::from_millis(200 * (attempt + 1))).await;
    }
    Err(ApplyError::new(
        id,
        format!("VPC {vpc_id} has no IPv6 block"),
    ))
}

/// Creates one network resource.
pub async fn create(cx: &Cx, r: &Resource) -> Result<LiveRes, ApplyError> {
    let ec2 = &cx.aws.ec2;
    let id = r.id.as_str();
    let made = |aws_id: String| LiveRes {
        aws_id,
        tags: cx.tags_for(r),
        ..LiveRes::default()
    };
    match &r.kind {
        ResourceKind::Vpc {
            cidr_block,
            amazon_provided_ipv6,
            enable_dns_support,
            enable_dns_hostnames,
            ..
        } => {
            let out = {
                let _p = cx.permit().await;
                ec2.create_vpc()
                    .cidr_block(cidr_block.to_string())
                    .amazon_provided_ipv6_cidr_block(*amazon_provided_ipv6)
                    .tag_specifications(tag_spec(cx, r, ResourceType::Vpc))
                    .send()
                    .await
                    .map_err(|e| ApplyError::sdk(id, e))?
            };
            let vpc_id = out
                .vpc()
                .and_then(|v| v.vpc_id())
                .unwrap_or_default()
                .to_owned();
            // AWS creates VPCs with DNS support on and hostnames off; one attribute per call.
            let _p = cx.permit().await;
            if !*enable_dns_support {
                ec2.modify_vpc_attribute()
                    .vpc_id(&vpc_id)
                    .enable_dns_support(bool_value(false))
                    .send()
                    .await
                    .map_err(|e| ApplyError::sdk(id, e))?;
            }
            if *enable_dns_hostnames {
                ec2.modify_vpc_attribute()
                    .vpc_id(&vpc_id)
                    .enable_dns_hostnames(bool_value(true))
                    .send()
                    .await
                    .map_err(|e| ApplyError::sdk(id, e))?;
            }
            Ok(made(vpc_id))
        }
        ResourceKind::VpcCidrBlock { vpc, cidr_block } => {
            let _p = cx.permit().await;
            let out = ec2
                .associate_vpc_cidr_block()
                .vpc_id(cx.id_of(vpc)?)
                .cidr_block(cidr_block.to_string())
                .send()
                .await
                .map_err(|e| ApplyError::sdk(id, e))?;
            let assoc = out
                .cidr_block_association()
                .and_then(|a| a.association_id())
                .unwrap_or_default();
            Ok(LiveRes {
                aws_id: assoc.to_owned(),
                ..LiveRes::default()
            })
        }
        ResourceKind::Subnet {
            vpc,
            availability_zone,
            cidr_block,
            ipv6_cidr_block,
            map_public_ip_on_launch,
            assign_ipv6_address_on_creation,
            ..
        } => {
            let vpc_id = cx.id_of(vpc)?;
            let mut req = ec2
                .create_subnet()
                .vpc_id(&vpc_id)
                .cidr_block(cidr_block.to_string())
                .availability_zone(availability_zone)
                .tag_specifications(tag_spec(cx, r, ResourceType::Subnet));
            if let Some(v6) = ipv6_cidr_block {
                let block = vpc_ipv6_block(cx, id, &vpc_id).await?;
                let sub = block
                    .subnets(v6.prefix_len)
                    .ok()
                    .and_then(|mut s| s.nth(usize::from(v6.index)))
                    .ok_or_else(|| {
                        ApplyError::new(id, format!("{block} has no /64 number {}", v6.index))
                    })?;
                req = req.ipv6_cidr_block(sub.to_string());
            }
            let out = {
                let _p = cx.permit().await;
                req.send().await.map_err(|e| ApplyError::sdk(id, e))?
            };
            let subnet_id = out
                .subnet()
                .and_then(|s| s.subnet_id())
                .unwrap_or_default()
                .to_owned();
            let _p = cx.permit().await;
            if *map_public_ip_on_launch {
                ec2.modify_subnet_attribute()
                    .subnet_id(&subnet_id)
                    .map_public_ip_on_launch(bool_value(true))
                    .send()
                    .await
                    .map_err(|e| ApplyError::sdk(id, e))?;
            }
            if *assign_ipv6_address_on_creation && ipv6_cidr_block.is_some() {
                ec2.modify_subnet_attribute()
                    .subnet_id(&subnet_id)
                    .assign_ipv6_address_on_creation(bool_value(true))
                    .send()
                    .await
                    .map_err(|e| ApplyError::sdk(id, e))?;
            }
            Ok(made(subnet_id))
        }
        ResourceKind::InternetGateway { vpc, .. } => {
            let out = {
                let _p = cx.permit().await;
                ec2.create_internet_gateway()
                    .tag_specifications(tag_spec(cx, r, ResourceType::InternetGateway))
                    .send()
                    .await
                    .map_err(|e| ApplyError::sdk(id, e))?
            };
            let igw = out
                .internet_gateway()
                .and_then(|g| g.internet_gateway_id())
                .unwrap_or_default()
                .to_owned();
            let _p = cx.permit().await;
            ec2.attach_internet_gateway()
                .internet_gateway_id(&igw)
                .vpc_id(cx.id_of(vpc)?)
                .send()
                .await
                .map_err(|e| ApplyError::sdk(id, e))?;
            Ok(made(igw))
        }
        ResourceKind::EgressOnlyInternetGateway { vpc, .. } => {
            let _p = cx.permit().await;
            let out = ec2
                .create_egress_only_internet_gateway()
                .vpc_id(cx.id_of(vpc)?)
                .tag_specifications(tag_spec(cx, r, ResourceType::EgressOnlyInternetGateway))
                .send()
                .await
                .map_err(|e| ApplyError::sdk(id, e))?;
            let g = out
                .egress_only_internet_gateway()
                .and_then(|g| g.egress_only_internet_gateway_id())
                .unwrap_or_default();
            Ok(made(g.to_owned()))
        }
        ResourceKind::ElasticIp { .. } => {
            let _p = cx.permit().await;
            let out = ec2
                .allocate_address()
                .domain(DomainType::Vpc)
                .tag_specifications(tag_spec(cx, r, ResourceType::ElasticIp))
                .send()
                .await
                .map_err(|e| ApplyError::sdk(id, e))?;
            Ok(made(out.allocation_id().unwrap_or_default().to_owned()))
        }
        ResourceKind::NatGateway {
            subnet, elastic_ip, ..
        } => {
            let out = {
                let _p = cx.permit().await;
                ec2.create_nat_gateway()
                    .subnet_id(cx.id_of(subnet)?)
                    .allocation_id(cx.id_of(elastic_ip)?)
                    .client_token(client_token(cx, id))
                    .tag_specifications(tag_spec(cx, r, ResourceType::Natgateway))
                    .send()
                    .await
                    .map_err(|e| ApplyError::sdk(id, e))?
            };
            let nat = out
                .nat_gateway()
                .and_then(|n| n.nat_gateway_id())
                .unwrap_or_default()
                .to_owned();
            wait_nat(cx, id, &nat, false).await?;
            Ok(made(nat))
        }
        ResourceKind::RouteTable { vpc, .. } => {
            let _p = cx.permit().await;
            let out = ec2
                .create_route_table()
                .vpc_id(cx.id_of(vpc)?)
                .tag_specifications(tag_spec(cx, r, ResourceType::RouteTable))
                .send()
                .await
                .map_err(|e| ApplyError::sdk(id, e))?;
            Ok(made(
                out.route_table()
                    .and_then(|t| t.route_table_id())
                    .unwrap_or_default()
                    .to_owned(),
            ))
        }
        ResourceKind::Route {
            route_table,
            destination,
            target,
        } => {
            let rt = cx.id_of(route_table)?;
            let target_id = route_target(cx, id, target).await?;
            let send = |replace: bool| {
                let (dest4, dest6) = match destination {
                    Destination::Ipv4(c) => (Some(c.to_string()), None),
                    Destination::Ipv6(s) => (None, Some(s.clone())),
                };
                let tgt = (target.clone(), target_id.clone());
                let rt = rt.clone();
                async move {
                    macro_rules! route {
                        ($req:expr) => {{
                            let mut req = $req
                                .route_table_id(rt)
                                .set_destination_cidr_block(dest4)
                                .set_destination_ipv6_cidr_block(dest6);
                            req = match tgt.0 {
                                RouteTarget::InternetGateway(_) => req.gateway_id(tgt.1),
                                RouteTarget::EgressOnlyInternetGateway(_) => {
                                    req.egress_only_internet_gateway_id(tgt.1)
                                }
                                RouteTarget::NatGateway(_) => req.nat_gateway_id(tgt.1),
                                RouteTarget::Instance(_) | RouteTarget::AutoscalingGroup(_) => {
                                    req.instance_id(tgt.1)
                                }
                            };
                            req.send().await.map(|_| ())
                        }};
                    }
                    if replace {
                        route!(ec2.replace_route()).map_err(|e| ApplyError::sdk(id, e))
                    } else {
                        route!(ec2.create_route()).map_err(|e| match code(&e) {
                            Some("RouteAlreadyExists") => ApplyError::new(id, "RouteAlreadyExists"),
                            _ => ApplyError::sdk(id, e),
                        })
                    }
                }
            };
            let first = {
                let _p = cx.permit().await;
                send(false).await
            };
            if let Err(e) = first {
                // Made before a crash, or by a NAT instance at boot: point it where the plan says.
                if e.message != "RouteAlreadyExists" {
                    return Err(e);
                }
                let _p = cx.permit().await;
                send(true).await?;
            }
            Ok(LiveRes {
                aws_id: format!("{rt}|{}", dest_string(destination)),
                attrs: attrs([("target", target_id)]),
                ..LiveRes::default()
            })
        }
        ResourceKind::RouteTableAssociation {
            route_table,
            subnet,
        } => {
            let (rt, sn) = (cx.id_of(route_table)?, cx.id_of(subnet)?);
            let _p = cx.permit().await;
            let out = ec2
                .associate_route_table()
                .route_table_id(&rt)
                .subnet_id(&sn)
                .send()
                .await;
            let assoc = match out {
                Ok(o) => o.association_id().unwrap_or_default().to_owned(),
                Err(e) if code(&e) == Some("Resource.AlreadyAssociated") => {
                    // The subnet is associated elsewhere (by hand, or its old table): move it.
                    let current = current_association(cx, id, &sn).await?;
                    let o = ec2
                        .replace_route_table_association()
                        .association_id(current)
                        .route_table_id(&rt)
                        .send()
                        .await
                        .map_err(|e| ApplyError::sdk(id, e))?;
                    o.new_association_id().unwrap_or_default().to_owned()
                }
                Err(e) => return Err(ApplyError::sdk(id, e)),
            };
            Ok(LiveRes {
                aws_id: assoc,
                attrs: attrs([("route_table", route_table.clone())]),
                ..LiveRes::default()
            })
        }
        other => Err(ApplyError::new(
            id,
            format!("{} is not a network resource", other.type_name()),
        )),
    }
}

/// The id a route targets; for an auto-scaling group, the instance it runs now.
async fn route_target(cx: &Cx, id: &str, target: &RouteTarget) -> Result<String, ApplyError> {
    match target {
        RouteTarget::AutoscalingGroup(group) => super::compute::group_instance(cx, id, group).await,
        t => cx.id_of(t.id()),
    }
}

async fn current_association(cx: &Cx, id: &str, subnet: &str) -> Result<String, ApplyError> {
    let _p = cx.permit().await;
    let out = cx
        .aws
        .ec2
        .describe_route_tables()
        .filters(
            Filter::builder()
                .name("association.subnet-id")
                .values(subnet)
                .build(),
        )
        .send()
        .await
        .map_err(|e| ApplyError::sdk(id, e))?;
    out.route_tables()
        .iter()
        .flat_map(|t| t.associations())
        .find(|a| a.subnet_id() == Some(subnet))
        .and_then(|a| a.route_table_association_id())
        .map(str::to_owned)
        .ok_or_else(|| {
            ApplyError::new(
                id,
                format!("subnet {subnet} says it is associated but no table has it"),
            )
        })
}

fn bool_value(v: bool) -> aws_sdk_ec2::types::AttributeBooleanValue {
    aws_sdk_ec2::types::AttributeBooleanValue::builder()
        .value(v)
        .build()
}

/// A deterministic idempotency token: a retry after a crash returns the same resource.
pub fn client_token(cx: &Cx, id: &str) -> String {
    // FNV-1a over plan name and id; AWS accepts up to 64 ASCII characters.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in cx.plan.design.name.bytes().chain([0]).chain(id.bytes()) {
        h ^= u64::from(byte);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("vpc-planner-{h:016x}")
}

/// Repairs drift in place.
pub async fn repair(
    cx: &Cx,
    r: &Resource,
    live: &LiveRes,
    drift: &[Drift],
) -> Result<(), ApplyError> {
    let ec2 = &cx.aws.ec2;
    let id = r.id.as_str();
    for d in drift {
        let _p = cx.permit().await;
        match (d.what.as_str(), &r.kind) {
            (w, _) if w.starts_with("tag ") => {
                drop(_p);
                retag(cx, r, &live.aws_id).await?;
            }
            ("enable_dns_support", _) => {
                ec2.modify_vpc_attribute()
                    .vpc_id(&live.aws_id)
                    .enable_dns_support(bool_value(d.plan == "true"))
                    .send()
                    .await
                    .map_err(|e| ApplyError::sdk(id, e))?;
            }
            ("enable_dns_hostnames", _) => {
                ec2.modify_vpc_attribute()
                    .vpc_id(&live.aws_id)
                    .enable_dns_hostnames(bool_value(d.plan == "true"))
                    .send()
                    .await
                    .map_err(|e| ApplyError::sdk(id, e))?;
            }
            ("map_public_ip_on_launch", _) => {
                ec2.modify_subnet_attribute()
                    .subnet_id(&live.aws_id)
                    .map_public_ip_on_launch(bool_value(d.plan == "true"))
                    .send()
                    .await
                    .map_err(|e| ApplyError::sdk(id, e))?;
            }
            ("vpc", ResourceKind::InternetGateway { .. }) => {
                ec2.attach_internet_gateway()
                    .internet_gateway_id(&live.aws_id)
                    .vpc_id(&d.plan)
                    .send()
                    .await
                    .map_err(|e| ApplyError::sdk(id, e))?;
            }
            ("target", ResourceKind::Route { .. })
            | ("route_table", ResourceKind::RouteTableAssociation { .. }) => {
                drop(_p);
                create(cx, r).await?;
            }
            _ => return Err(ApplyError::new(id, format!("cannot repair {d}"))),
        }
    }
    Ok(())
}

/// Deletes one network resource; gone already counts as deleted.
pub async fn delete(cx: &Cx, type_name: &str, id: &str, live: &LiveRes) -> Result<(), ApplyError> {
    let ec2 = &cx.aws.ec2;
    let gone = |e: &dyn aws_sdk_ec2::error::ProvideErrorMetadata| {
        e.code().is_some_and(|c| {
            c.ends_with(".NotFound")
                || c.ends_with("NotFound")
                || c == "InvalidAssociationID.NotFound"
        })
    };
    macro_rules! call {
        ($req:expr) => {{
            let _p = cx.permit().await;
            match $req.send().await {
                Ok(_) => Ok(()),
                Err(e) if gone(&e) => Ok(()),
                Err(e) => Err(ApplyError::sdk(id, e)),
            }
        }};
    }
    let aws_id = live.aws_id.as_str();
    match type_name {
        "vpc" => call!(ec2.delete_vpc().vpc_id(aws_id)),
        "vpc_cidr_block" => call!(ec2.disassociate_vpc_cidr_block().association_id(aws_id)),
        "subnet" => call!(ec2.delete_subnet().subnet_id(aws_id)),
        "internet_gateway" => {
            let vpc = match live.attrs.get("vpc").filter(|v| *v != "-") {
                Some(v) => Some(v.clone()),
                None => attached_vpc(cx, id, aws_id).await?,
            };
            if let Some(vpc) = vpc {
                call!(ec2
                    .detach_internet_gateway()
                    .internet_gateway_id(aws_id)
                    .vpc_id(vpc))?;
            }
            call!(ec2.delete_internet_gateway().internet_gateway_id(aws_id))
        }
        "egress_only_internet_gateway" => {
            call!(ec2
                .delete_egress_only_internet_gateway()
                .egress_only_internet_gateway_id(aws_id))
        }
        "elastic_ip" => call!(ec2.release_address().allocation_id(aws_id)),
        "nat_gateway" => {
            call!(ec2.delete_nat_gateway().nat_gateway_id(aws_id))?;
            wait_nat(cx, id, aws_id, true).await
        }
        "route_table" => call!(ec2.delete_route_table().route_table_id(aws_id)),
        "route" => {
            let (rt, dest) = aws_id.split_once('|').unwrap_or((aws_id, ""));
            if dest.contains(':') {
                call!(ec2
                    .delete_route()
                    .route_table_id(rt)
                    .destination_ipv6_cidr_block(dest))
            } else {
                call!(ec2
                    .delete_route()
                    .route_table_id(rt)
                    .destination_cidr_block(dest))
            }
        }
        "route_table_association" => call!(ec2.disassociate_route_table().association_id(aws_id)),
        other => Err(ApplyError::new(
            id,
            format!("{other} is not a network resource"),
        )),
    }
}

async fn attached_vpc(cx: &Cx, id: &str, igw: &str) -> Result<Option<String>, ApplyError> {
    let _p = cx.permit().await;
    let out = cx
        .aws
        .ec2
        .describe_internet_gateways()
        .internet_gateway_ids(igw)
        .send()
        .await;
    match out {
        Ok(o) => Ok(o
            .internet_gateways()
            .first()
            .and_then(|g| g.attachments().first())
            .and_then(|a| a.vpc_id())
            .map(str::to_owned)),
        Err(e) if code(&e).is_some_and(|c| c.ends_with("NotFound")) => Ok(None),
        Err(e) => Err(ApplyError::sdk(id, e)),
    }
}
