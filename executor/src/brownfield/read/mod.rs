//! Reading an existing VPC into a [`Snapshot`]: describe calls only, each type in one
//! (paginated) call filtered by the VPC, all in parallel; IAM for the roles asked for. Never
//! a mutating call. `contents.rs` reads what the VPC holds (groups and their rules, network
//! ACLs, endpoints, flow logs, instances, network interfaces), `iam.rs` the roles.

mod contents;
mod filters;
mod iam;

use aws_sdk_ec2::types::{Filter, RouteTable, VpcAttributeName};
use planner_core::import::snapshot::{
    LiveNatGateway, LiveRoute, LiveRouteTable, LiveSubnet, LiveTarget, LiveVpc, Snapshot,
};

use crate::apply::shared::ec2::tag_map;
use crate::apply::shared::pages::all_pages;
use crate::aws::Aws;
use contents::{acls, endpoints, flow_logs, groups, instances, interfaces};
use filters::{err, in_vpc, vpc_filter};
use iam::iam;

/// Reads VPC `vpc` and the roles `roles` (with their policies and instance profiles).
pub async fn snapshot(aws: &Aws, vpc: &str, roles: &[String]) -> Result<Snapshot, String> {
    let (
        v,
        dns,
        subnets,
        tables,
        igw,
        eigw,
        nats,
        groups,
        acls,
        endpoints,
        flow_logs,
        instances,
        interfaces,
        iam,
    ) = tokio::join!(
        read_vpc(aws, vpc),
        dns(aws, vpc),
        subnets(aws, vpc),
        route_tables(aws, vpc),
        internet_gateway(aws, vpc),
        egress_only(aws, vpc),
        nat_gateways(aws, vpc),
        groups(aws, vpc),
        acls(aws, vpc),
        endpoints(aws, vpc),
        flow_logs(aws, vpc),
        instances(aws, vpc),
        interfaces(aws, vpc),
        iam(aws, roles),
    );
    let mut vpc_live = v?;
    (vpc_live.dns_support, vpc_live.dns_hostnames) = dns?;
    let (roles, policies, instance_profiles) = iam?;
    Ok(Snapshot {
        region: aws.region.clone(),
        vpc: vpc_live,
        subnets: subnets?,
        route_tables: tables?,
        internet_gateway: igw?,
        egress_only_internet_gateway: eigw?,
        nat_gateways: nats?,
        security_groups: groups?,
        network_acls: acls?,
        endpoints: endpoints?,
        flow_logs: flow_logs?,
        instances: instances?,
        network_interfaces: interfaces?,
        roles,
        policies,
        instance_profiles,
    })
}

async fn read_vpc(aws: &Aws, id: &str) -> Result<LiveVpc, String> {
    let out = aws
        .ec2(|c| c.describe_vpcs().vpc_ids(id).send())
        .await
        .map_err(|e| {
            if aws_sdk_ec2::error::ProvideErrorMetadata::code(&e) == Some("InvalidVpcID.NotFound") {
                format!("there is no VPC {id} in {}", aws.region)
            } else {
                err(e)
            }
        })?;
    let v = out
        .vpcs()
        .first()
        .ok_or_else(|| format!("there is no VPC {id} in {}", aws.region))?;
    let primary = v.cidr_block().unwrap_or_default().to_owned();
    let associated = |s: Option<&str>| s == Some("associated");
    let secondary_cidrs = v
        .cidr_block_association_set()
        .iter()
        .filter(|a| {
            associated(
                a.cidr_block_state()
                    .and_then(|s| s.state())
                    .map(|s| s.as_str()),
            )
        })
        .filter(|a| a.cidr_block() != Some(primary.as_str()))
        .map(|a| {
            (
                a.cidr_block().unwrap_or_default().to_owned(),
                a.association_id().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let mut ipv6_cidr = None;
    let mut other_ipv6 = Vec::new();
    for a in v.ipv6_cidr_block_association_set() {
        if !associated(
            a.ipv6_cidr_block_state()
                .and_then(|s| s.state())
                .map(|s| s.as_str()),
        ) {
            continue;
        }
        let block = a.ipv6_cidr_block().unwrap_or_default().to_owned();
        if a.ipv6_pool().is_none_or(|p| p == "Amazon") && ipv6_cidr.is_none() {
            ipv6_cidr = Some(block);
        } else {
            other_ipv6.push(block);
        }
    }
    Ok(LiveVpc {
        id: id.to_owned(),
        cidr: primary,
        secondary_cidrs,
        ipv6_cidr,
        other_ipv6,
        dns_support: true,
        dns_hostnames: false,
        tags: tag_map(v.tags()),
    })
}

async fn dns(aws: &Aws, vpc: &str) -> Result<(bool, bool), String> {
    let ask = |name: VpcAttributeName| async move {
        aws.ec2(|c| {
            c.describe_vpc_attribute()
                .vpc_id(vpc)
                .attribute(name)
                .send()
        })
        .await
        .map_err(err)
    };
    let (support, hostnames) = tokio::join!(
        ask(VpcAttributeName::EnableDnsSupport),
        ask(VpcAttributeName::EnableDnsHostnames)
    );
    Ok((
        support?
            .enable_dns_support()
            .and_then(|a| a.value())
            .unwrap_or(true),
        hostnames?
            .enable_dns_hostnames()
            .and_then(|a| a.value())
            .unwrap_or(false),
    ))
}

async fn subnets(aws: &Aws, vpc: &str) -> Result<Vec<LiveSubnet>, String> {
    let all = in_vpc!(aws, vpc, describe_subnets, subnets)?;
    Ok(all
        .iter()
        .map(|s| LiveSubnet {
            id: s.subnet_id().unwrap_or_default().to_owned(),
            cidr: s.cidr_block().unwrap_or_default().to_owned(),
            availability_zone: s.availability_zone().unwrap_or_default().to_owned(),
            ipv6_cidr: s
                .ipv6_cidr_block_association_set()
                .iter()
                .find(|a| {
                    a.ipv6_cidr_block_state()
                        .and_then(|st| st.state())
                        .is_some_and(|st| st.as_str() == "associated")
                })
                .and_then(|a| a.ipv6_cidr_block())
                .map(str::to_owned),
            map_public_ip_on_launch: s.map_public_ip_on_launch().unwrap_or(false),
            assign_ipv6_address_on_creation: s.assign_ipv6_address_on_creation().unwrap_or(false),
            tags: tag_map(s.tags()),
        })
        .collect())
}

fn route_target(r: &aws_sdk_ec2::types::Route) -> LiveTarget {
    if let Some(g) = r.gateway_id() {
        return match g {
            "local" => LiveTarget::Local,
            g if g.starts_with("igw-") => LiveTarget::InternetGateway(g.to_owned()),
            g if g.starts_with("vpce-") => LiveTarget::Endpoint(g.to_owned()),
            g => LiveTarget::Other(format!("gateway {g}")),
        };
    }
    if let Some(n) = r.nat_gateway_id() {
        return LiveTarget::NatGateway(n.to_owned());
    }
    if let Some(e) = r.egress_only_internet_gateway_id() {
        return LiveTarget::EgressOnlyInternetGateway(e.to_owned());
    }
    if let Some(i) = r.instance_id() {
        return LiveTarget::Instance(i.to_owned());
    }
    let other = [
        ("transit gateway", r.transit_gateway_id()),
        ("peering connection", r.vpc_peering_connection_id()),
        ("network interface", r.network_interface_id()),
        ("local gateway", r.local_gateway_id()),
        ("carrier gateway", r.carrier_gateway_id()),
        ("core network", r.core_network_arn()),
    ];
    match other
        .iter()
        .find_map(|(k, v)| v.map(|v| format!("{k} {v}")))
    {
        Some(s) => LiveTarget::Other(s),
        None => LiveTarget::Other("a target AWS did not name (blackhole?)".to_owned()),
    }
}

fn table(t: &RouteTable) -> LiveRouteTable {
    LiveRouteTable {
        id: t.route_table_id().unwrap_or_default().to_owned(),
        main: t.associations().iter().any(|a| a.main() == Some(true)),
        subnets: t
            .associations()
            .iter()
            .filter_map(|a| a.subnet_id().map(str::to_owned))
            .collect(),
        routes: t
            .routes()
            .iter()
            .map(|r| LiveRoute {
                destination: r
                    .destination_cidr_block()
                    .or(r.destination_ipv6_cidr_block())
                    .or(r.destination_prefix_list_id())
                    .unwrap_or_default()
                    .to_owned(),
                target: route_target(r),
            })
            .collect(),
        tags: tag_map(t.tags()),
    }
}

async fn route_tables(aws: &Aws, vpc: &str) -> Result<Vec<LiveRouteTable>, String> {
    let all = in_vpc!(aws, vpc, describe_route_tables, route_tables)?;
    Ok(all.iter().map(table).collect())
}

async fn internet_gateway(aws: &Aws, vpc: &str) -> Result<Option<String>, String> {
    let f = Filter::builder()
        .name("attachment.vpc-id")
        .values(vpc)
        .build();
    let out = aws
        .ec2(|c| c.describe_internet_gateways().filters(f).send())
        .await
        .map_err(err)?;
    Ok(out
        .internet_gateways()
        .first()
        .and_then(|g| g.internet_gateway_id())
        .map(str::to_owned))
}

async fn egress_only(aws: &Aws, vpc: &str) -> Result<Option<String>, String> {
    let all = all_pages(|token| async move {
        let out = aws
            .ec2(|c| {
                c.describe_egress_only_internet_gateways()
                    .set_next_token(token)
                    .send()
            })
            .await
            .map_err(err)?;
        Ok::<_, String>((
            out.egress_only_internet_gateways().to_vec(),
            out.next_token().map(str::to_owned),
        ))
    })
    .await?;
    Ok(all
        .iter()
        .find(|g| g.attachments().iter().any(|a| a.vpc_id() == Some(vpc)))
        .and_then(|g| g.egress_only_internet_gateway_id())
        .map(str::to_owned))
}

async fn nat_gateways(aws: &Aws, vpc: &str) -> Result<Vec<LiveNatGateway>, String> {
    let state = Filter::builder()
        .name("state")
        .values("available")
        .values("pending")
        .build();
    let all = all_pages(|token| {
        let state = state.clone();
        async move {
            let out = aws
                .ec2(|c| {
                    c.describe_nat_gateways()
                        .filter(vpc_filter(vpc))
                        .filter(state)
                        .set_next_token(token)
                        .send()
                })
                .await
                .map_err(err)?;
            Ok::<_, String>((
                out.nat_gateways().to_vec(),
                out.next_token().map(str::to_owned),
            ))
        }
    })
    .await?;
    Ok(all
        .iter()
        .map(|n| LiveNatGateway {
            id: n.nat_gateway_id().unwrap_or_default().to_owned(),
            subnet: n.subnet_id().unwrap_or_default().to_owned(),
            allocation_id: n
                .nat_gateway_addresses()
                .iter()
                .find_map(|a| a.allocation_id())
                .map(str::to_owned),
            private: n
                .connectivity_type()
                .is_some_and(|c| c.as_str() == "private"),
        })
        .collect())
}
