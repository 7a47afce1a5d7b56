//! Reading an existing VPC into a [`Snapshot`]: describe calls only, each type in one
//! (paginated) call filtered by the VPC, all in parallel; IAM for the roles asked for. Never
//! a mutating call.

use aws_sdk_ec2::types::{Filter, RouteTable, VpcAttributeName};
use planner_core::import::snapshot::{
    LiveAcl, LiveAclEntry, LiveEndpoint, LiveFlowLog, LiveGroup, LiveInstance, LiveInstanceProfile,
    LiveInterface, LiveNatGateway, LivePeer, LivePolicy, LiveRole, LiveRoute, LiveRouteTable,
    LiveRule, LiveSubnet, LiveTarget, LiveVpc, Snapshot,
};
use std::collections::BTreeMap;

use crate::apply::shared::ec2::tag_map;
use crate::apply::shared::iam_document::percent_decode;
use crate::apply::shared::pages::all_pages;
use crate::aws::Aws;
use crate::aws_error::one_line;

fn vpc_filter(vpc: &str) -> Filter {
    Filter::builder().name("vpc-id").values(vpc).build()
}

fn err<E: aws_sdk_ec2::error::ProvideErrorMetadata + std::error::Error>(e: E) -> String {
    one_line(&e)
}

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
    let all = all_pages(|token| async move {
        let out = aws
            .ec2(|c| {
                c.describe_subnets()
                    .filters(vpc_filter(vpc))
                    .set_next_token(token)
                    .send()
            })
            .await
            .map_err(err)?;
        Ok::<_, String>((out.subnets().to_vec(), out.next_token().map(str::to_owned)))
    })
    .await?;
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
    let all = all_pages(|token| async move {
        let out = aws
            .ec2(|c| {
                c.describe_route_tables()
                    .filters(vpc_filter(vpc))
                    .set_next_token(token)
                    .send()
            })
            .await
            .map_err(err)?;
        Ok::<_, String>((
            out.route_tables().to_vec(),
            out.next_token().map(str::to_owned),
        ))
    })
    .await?;
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

async fn groups(aws: &Aws, vpc: &str) -> Result<Vec<LiveGroup>, String> {
    let all = all_pages(|token| async move {
        let out = aws
            .ec2(|c| {
                c.describe_security_groups()
                    .filters(vpc_filter(vpc))
                    .set_next_token(token)
                    .send()
            })
            .await
            .map_err(err)?;
        Ok::<_, String>((
            out.security_groups().to_vec(),
            out.next_token().map(str::to_owned),
        ))
    })
    .await?;
    let ids: Vec<String> = all
        .iter()
        .filter_map(|g| g.group_id().map(str::to_owned))
        .collect();
    let mut rules: BTreeMap<String, Vec<LiveRule>> = BTreeMap::new();
    // One describe per 200 groups (a filter's limit).
    for chunk in ids.chunks(200) {
        let f = Filter::builder()
            .name("group-id")
            .set_values(Some(chunk.to_vec()))
            .build();
        let page = all_pages(|token| {
            let f = f.clone();
            async move {
                let out = aws
                    .ec2(|c| {
                        c.describe_security_group_rules()
                            .filters(f)
                            .set_next_token(token)
                            .send()
                    })
                    .await
                    .map_err(err)?;
                Ok::<_, String>((
                    out.security_group_rules().to_vec(),
                    out.next_token().map(str::to_owned),
                ))
            }
        })
        .await?;
        for r in page {
            let peer = if let Some(c) = r.cidr_ipv4() {
                LivePeer::Ipv4(c.to_owned())
            } else if let Some(c) = r.cidr_ipv6() {
                LivePeer::Ipv6(c.to_owned())
            } else if let Some(g) = r.referenced_group_info().and_then(|g| g.group_id()) {
                LivePeer::Group(g.to_owned())
            } else if let Some(p) = r.prefix_list_id() {
                LivePeer::PrefixList(p.to_owned())
            } else {
                LivePeer::Unknown
            };
            rules
                .entry(r.group_id().unwrap_or_default().to_owned())
                .or_default()
                .push(LiveRule {
                    id: r.security_group_rule_id().unwrap_or_default().to_owned(),
                    egress: r.is_egress().unwrap_or(false),
                    protocol: r.ip_protocol().unwrap_or("-1").to_owned(),
                    from: r.from_port().unwrap_or(-1),
                    to: r.to_port().unwrap_or(-1),
                    peer,
                    description: r.description().unwrap_or_default().to_owned(),
                });
        }
    }
    Ok(all
        .iter()
        .map(|g| {
            let id = g.group_id().unwrap_or_default().to_owned();
            LiveGroup {
                rules: rules.remove(&id).unwrap_or_default(),
                id,
                name: g.group_name().unwrap_or_default().to_owned(),
                description: g.description().unwrap_or_default().to_owned(),
                tags: tag_map(g.tags()),
            }
        })
        .collect())
}

async fn acls(aws: &Aws, vpc: &str) -> Result<Vec<LiveAcl>, String> {
    let all = all_pages(|token| async move {
        let out = aws
            .ec2(|c| {
                c.describe_network_acls()
                    .filters(vpc_filter(vpc))
                    .set_next_token(token)
                    .send()
            })
            .await
            .map_err(err)?;
        Ok::<_, String>((
            out.network_acls().to_vec(),
            out.next_token().map(str::to_owned),
        ))
    })
    .await?;
    Ok(all
        .iter()
        .map(|a| LiveAcl {
            id: a.network_acl_id().unwrap_or_default().to_owned(),
            default: a.is_default().unwrap_or(false),
            subnets: a
                .associations()
                .iter()
                .filter_map(|x| x.subnet_id().map(str::to_owned))
                .collect(),
            entries: a
                .entries()
                .iter()
                .map(|e| LiveAclEntry {
                    number: e.rule_number().unwrap_or(0),
                    egress: e.egress().unwrap_or(false),
                    protocol: e.protocol().unwrap_or("-1").to_owned(),
                    allow: e.rule_action().is_some_and(|r| r.as_str() == "allow"),
                    cidr: e.cidr_block().map(str::to_owned),
                    ipv6_cidr: e.ipv6_cidr_block().map(str::to_owned),
                    ports: e
                        .port_range()
                        .map(|p| (p.from().unwrap_or(0), p.to().unwrap_or(65535))),
                    icmp: e
                        .icmp_type_code()
                        .map(|i| (i.r#type().unwrap_or(-1), i.code().unwrap_or(-1))),
                })
                .collect(),
            tags: tag_map(a.tags()),
        })
        .collect())
}

async fn endpoints(aws: &Aws, vpc: &str) -> Result<Vec<LiveEndpoint>, String> {
    let all = all_pages(|token| async move {
        let out = aws
            .ec2(|c| {
                c.describe_vpc_endpoints()
                    .filters(vpc_filter(vpc))
                    .set_next_token(token)
                    .send()
            })
            .await
            .map_err(err)?;
        Ok::<_, String>((
            out.vpc_endpoints().to_vec(),
            out.next_token().map(str::to_owned),
        ))
    })
    .await?;
    Ok(all
        .iter()
        .filter(|e| {
            !e.state().is_some_and(|s| {
                matches!(
                    s.as_str().to_ascii_lowercase().as_str(),
                    "deleted" | "deleting"
                )
            })
        })
        .map(|e| LiveEndpoint {
            id: e.vpc_endpoint_id().unwrap_or_default().to_owned(),
            service_name: e.service_name().unwrap_or_default().to_owned(),
            kind: e
                .vpc_endpoint_type()
                .map(|t| t.as_str().to_owned())
                .unwrap_or_default(),
            route_tables: e.route_table_ids().to_vec(),
            subnets: e.subnet_ids().to_vec(),
            groups: e
                .groups()
                .iter()
                .filter_map(|g| g.group_id().map(str::to_owned))
                .collect(),
            private_dns: e.private_dns_enabled().unwrap_or(false),
            policy: e.policy_document().map(str::to_owned),
            tags: tag_map(e.tags()),
        })
        .collect())
}

async fn flow_logs(aws: &Aws, vpc: &str) -> Result<Vec<LiveFlowLog>, String> {
    let f = Filter::builder().name("resource-id").values(vpc).build();
    let out = aws
        .ec2(|c| c.describe_flow_logs().filter(f).send())
        .await
        .map_err(err)?;
    Ok(out
        .flow_logs()
        .iter()
        .map(|f| LiveFlowLog {
            id: f.flow_log_id().unwrap_or_default().to_owned(),
            destination: format!(
                "{} {}",
                f.log_destination_type()
                    .map(|t| t.as_str())
                    .unwrap_or("cloud-watch-logs"),
                f.log_group_name()
                    .or(f.log_destination())
                    .unwrap_or_default()
            ),
        })
        .collect())
}

async fn instances(aws: &Aws, vpc: &str) -> Result<Vec<LiveInstance>, String> {
    let state = Filter::builder()
        .name("instance-state-name")
        .values("pending")
        .values("running")
        .values("stopping")
        .values("stopped")
        .build();
    let all = all_pages(|token| {
        let state = state.clone();
        async move {
            let out = aws
                .ec2(|c| {
                    c.describe_instances()
                        .filters(vpc_filter(vpc))
                        .filters(state)
                        .set_next_token(token)
                        .send()
                })
                .await
                .map_err(err)?;
            let items: Vec<_> = out
                .reservations()
                .iter()
                .flat_map(|r| r.instances().to_vec())
                .collect();
            Ok::<_, String>((items, out.next_token().map(str::to_owned)))
        }
    })
    .await?;
    Ok(all
        .iter()
        .map(|i| {
            let tags = tag_map(i.tags());
            LiveInstance {
                id: i.instance_id().unwrap_or_default().to_owned(),
                name: tags.get("Name").cloned(),
                instance_type: i
                    .instance_type()
                    .map(|t| t.as_str().to_owned())
                    .unwrap_or_default(),
                image_id: i.image_id().unwrap_or_default().to_owned(),
                subnet: i.subnet_id().unwrap_or_default().to_owned(),
                groups: i
                    .security_groups()
                    .iter()
                    .filter_map(|g| g.group_id().map(str::to_owned))
                    .collect(),
                instance_profile: i
                    .iam_instance_profile()
                    .and_then(|p| p.arn())
                    .and_then(|a| a.rsplit('/').next())
                    .map(str::to_owned),
                key_name: i.key_name().map(str::to_owned),
                public_address: i.public_ip_address().is_some(),
                source_dest_check: i.source_dest_check().unwrap_or(true),
                state: i
                    .state()
                    .and_then(|s| s.name())
                    .map(|n| n.as_str().to_owned())
                    .unwrap_or_default(),
                autoscaling_group: tags.get("aws:autoscaling:groupName").cloned(),
            }
        })
        .collect())
}

async fn interfaces(aws: &Aws, vpc: &str) -> Result<Vec<LiveInterface>, String> {
    let all = all_pages(|token| async move {
        let out = aws
            .ec2(|c| {
                c.describe_network_interfaces()
                    .filters(vpc_filter(vpc))
                    .set_next_token(token)
                    .send()
            })
            .await
            .map_err(err)?;
        Ok::<_, String>((
            out.network_interfaces().to_vec(),
            out.next_token().map(str::to_owned),
        ))
    })
    .await?;
    Ok(all
        .iter()
        .map(|e| LiveInterface {
            id: e.network_interface_id().unwrap_or_default().to_owned(),
            subnet: e.subnet_id().unwrap_or_default().to_owned(),
            interface_type: e
                .interface_type()
                .map(|t| t.as_str().to_owned())
                .unwrap_or_default(),
            description: e.description().unwrap_or_default().to_owned(),
            groups: e
                .groups()
                .iter()
                .filter_map(|g| g.group_id().map(str::to_owned))
                .collect(),
            instance: e
                .attachment()
                .and_then(|a| a.instance_id())
                .map(str::to_owned),
        })
        .collect())
}

/// A document as IAM returns it (URL-encoded JSON).
fn decoded(text: &str) -> String {
    percent_decode(text).unwrap_or_else(|| text.to_owned())
}

type IamPart = (Vec<LiveRole>, Vec<LivePolicy>, Vec<LiveInstanceProfile>);

async fn iam(aws: &Aws, names: &[String]) -> Result<IamPart, String> {
    let mut roles = Vec::new();
    let mut policies: Vec<LivePolicy> = Vec::new();
    let mut profiles: Vec<LiveInstanceProfile> = Vec::new();
    for name in names {
        let got = aws
            .iam(|c| c.get_role().role_name(name).send())
            .await
            .map_err(|e| {
                if aws_sdk_iam::error::ProvideErrorMetadata::code(&e) == Some("NoSuchEntity") {
                    format!("there is no role {name} (--roles names roles of this account)")
                } else {
                    one_line(&e)
                }
            })?;
        let r = got
            .role()
            .ok_or_else(|| format!("IAM answered no role {name}"))?;
        let (tags, inline_names, attached, held_by) = tokio::join!(
            aws.iam(|c| c.list_role_tags().role_name(name).send()),
            aws.iam(|c| c.list_role_policies().role_name(name).send()),
            aws.iam(|c| c.list_attached_role_policies().role_name(name).send()),
            aws.iam(|c| c.list_instance_profiles_for_role().role_name(name).send()),
        );
        let tags = tags.map_err(|e| one_line(&e))?;
        let mut inline = Vec::new();
        for p in inline_names.map_err(|e| one_line(&e))?.policy_names() {
            let doc = aws
                .iam(|c| c.get_role_policy().role_name(name).policy_name(p).send())
                .await
                .map_err(|e| one_line(&e))?;
            inline.push((p.clone(), decoded(doc.policy_document())));
        }
        let attached: Vec<String> = attached
            .map_err(|e| one_line(&e))?
            .attached_policies()
            .iter()
            .filter_map(|p| p.policy_arn().map(str::to_owned))
            .collect();
        for arn in attached.iter().filter(|a| !a.contains(":iam::aws:policy/")) {
            if policies.iter().any(|p| p.arn == *arn) {
                continue;
            }
            let p = aws
                .iam(|c| c.get_policy().policy_arn(arn).send())
                .await
                .map_err(|e| one_line(&e))?;
            let Some(p) = p.policy() else { continue };
            let version = aws
                .iam(|c| {
                    c.get_policy_version()
                        .policy_arn(arn)
                        .version_id(p.default_version_id().unwrap_or("v1"))
                        .send()
                })
                .await
                .map_err(|e| one_line(&e))?;
            policies.push(LivePolicy {
                arn: arn.clone(),
                name: p.policy_name().unwrap_or_default().to_owned(),
                path: p.path().unwrap_or("/").to_owned(),
                description: p.description().unwrap_or_default().to_owned(),
                document: decoded(
                    version
                        .policy_version()
                        .and_then(|v| v.document())
                        .unwrap_or_default(),
                ),
            });
        }
        for ip in held_by.map_err(|e| one_line(&e))?.instance_profiles() {
            if profiles
                .iter()
                .any(|p| p.name == ip.instance_profile_name())
            {
                continue;
            }
            profiles.push(LiveInstanceProfile {
                name: ip.instance_profile_name().to_owned(),
                path: ip.path().to_owned(),
                roles: ip
                    .roles()
                    .iter()
                    .map(|r| r.role_name().to_owned())
                    .collect(),
            });
        }
        roles.push(LiveRole {
            name: r.role_name().to_owned(),
            path: r.path().to_owned(),
            description: r.description().unwrap_or_default().to_owned(),
            trust_policy: decoded(r.assume_role_policy_document().unwrap_or_default()),
            inline_policies: inline,
            managed_policies: attached,
            max_session_duration: r.max_session_duration().and_then(|d| u32::try_from(d).ok()),
            tags: tags
                .tags()
                .iter()
                .map(|t| (t.key().to_owned(), t.value().to_owned()))
                .collect(),
        });
    }
    Ok((roles, policies, profiles))
}
