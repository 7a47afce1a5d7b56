//! What a VPC holds beyond its network: security groups and their rules, network ACLs,
//! endpoints, flow logs, instances and network interfaces.

use std::collections::BTreeMap;

use aws_sdk_ec2::types::Filter;
use planner_core::import::snapshot::{
    LiveAcl, LiveAclEntry, LiveEndpoint, LiveFlowLog, LiveGroup, LiveInstance, LiveInterface,
    LivePeer, LiveRule,
};

use super::filters::{err, in_vpc, vpc_filter};
use crate::apply::shared::ec2::tag_map;
use crate::apply::shared::pages::all_pages;
use crate::aws::Aws;

pub(super) async fn groups(aws: &Aws, vpc: &str) -> Result<Vec<LiveGroup>, String> {
    let all = in_vpc!(aws, vpc, describe_security_groups, security_groups)?;
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

pub(super) async fn acls(aws: &Aws, vpc: &str) -> Result<Vec<LiveAcl>, String> {
    let all = in_vpc!(aws, vpc, describe_network_acls, network_acls)?;
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

pub(super) async fn endpoints(aws: &Aws, vpc: &str) -> Result<Vec<LiveEndpoint>, String> {
    let all = in_vpc!(aws, vpc, describe_vpc_endpoints, vpc_endpoints)?;
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

pub(super) async fn flow_logs(aws: &Aws, vpc: &str) -> Result<Vec<LiveFlowLog>, String> {
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

pub(super) async fn instances(aws: &Aws, vpc: &str) -> Result<Vec<LiveInstance>, String> {
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

pub(super) async fn interfaces(aws: &Aws, vpc: &str) -> Result<Vec<LiveInterface>, String> {
    let all = in_vpc!(aws, vpc, describe_network_interfaces, network_interfaces)?;
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
