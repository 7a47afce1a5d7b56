//! What a VPC holds beyond subnets and groups: instances, network ACLs, endpoints, flow logs,
//! and the network interfaces nothing of the design owns.

use std::collections::BTreeSet;

use super::snapshot::{LiveAclEntry, Snapshot};
use super::{Note, NoteKind};
use crate::alloc::Allocation;
use crate::design::acl::{AclAction, AclRule, NetworkAcl};
use crate::design::endpoint::{Endpoint, EndpointKind};
use crate::design::iam::model::Iam;
use crate::design::instances::{AmiSpec, Instance, InstanceRole};
use crate::design::network::{DefaultNetworkAcl, Tier, TierKind};
use crate::design::sg::{Ipv6Block, PortRange, Protocol};

use super::network::tier_name;
use super::security::tier_of;

/// The instances a design can hold: not NAT instances, not in auto-scaling groups, in a
/// tier, with groups and an instance profile the design has.
pub(super) fn instances(
    snap: &Snapshot,
    allocation: &Allocation,
    tiers: &[Tier],
    groups: &BTreeSet<String>,
    iam: &Iam,
    nat_targets: &BTreeSet<String>,
    notes: &mut Vec<Note>,
) -> Vec<(String, Instance)> {
    let group_name = |id: &str| {
        snap.security_groups
            .iter()
            .find(|g| g.id == id)
            .map(|g| g.name.clone())
    };
    let mut out: Vec<(String, Instance)> = Vec::new();
    for i in &snap.instances {
        let kept = |why: String| {
            Note::new(
                "IMP011",
                NoteKind::Kept,
                &i.id,
                format!("instance: {why}; left alone"),
            )
        };
        if nat_targets.contains(&i.id) {
            continue;
        }
        if let Some(asg) = &i.autoscaling_group {
            notes.push(kept(format!("run by the auto-scaling group {asg}")));
            continue;
        }
        let Some(tier) = tier_of(snap, allocation, &i.subnet) else {
            notes.push(kept("its subnet is in no tier".to_owned()));
            continue;
        };
        let names: Vec<Option<String>> = i.groups.iter().map(|g| group_name(g)).collect();
        let Some(sg) = names
            .iter()
            .map(|n| n.clone().filter(|n| groups.contains(n)))
            .collect::<Option<Vec<String>>>()
        else {
            notes.push(kept(
                "it is in a group the design does not hold (the default group?)".to_owned(),
            ));
            continue;
        };
        if let Some(p) = &i.instance_profile {
            if !iam.instance_profiles.iter().any(|x| x.name == *p) {
                notes.push(kept(format!(
                    "its instance profile {p} is not imported: name its role with --roles"
                )));
                continue;
            }
        }
        if !i.source_dest_check {
            notes.push(kept(
                "source/destination check is off, which only a design's NAT instances have"
                    .to_owned(),
            ));
            continue;
        }
        let mut name: String = i
            .name
            .clone()
            .unwrap_or_else(|| i.id.clone())
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        name.truncate(120);
        let base = name.clone();
        let mut k = 2;
        while out.iter().any(|(_, x)| x.name == name) {
            name = format!("{base}-{k}");
            k += 1;
        }
        let public_tier = tiers
            .iter()
            .any(|t| t.name == tier && t.kind == TierKind::Public);
        let az = snap
            .subnets
            .iter()
            .find(|s| s.id == i.subnet)
            .map(|s| s.availability_zone.clone());
        out.push((
            i.id.clone(),
            Instance {
                name,
                role: InstanceRole::Generic,
                ami: AmiSpec::Id(i.image_id.clone()),
                instance_type: i.instance_type.clone(),
                tier,
                availability_zone: az,
                security_groups: sg,
                instance_profile: i.instance_profile.clone(),
                key_name: i.key_name.clone(),
                public_address: (i.public_address != public_tier).then_some(i.public_address),
                user_data: None,
            },
        ));
    }
    out
}

/// Notes every network interface nothing of the design owns (load balancers, databases,
/// Lambda functions…): kept as it is, in its subnet.
pub(super) fn interfaces(snap: &Snapshot, instances: &BTreeSet<String>, notes: &mut Vec<Note>) {
    for e in &snap.network_interfaces {
        let owned_kind = matches!(
            e.interface_type.as_str(),
            "nat_gateway" | "vpc_endpoint" | "gateway_load_balancer_endpoint"
        );
        if owned_kind || e.instance.as_ref().is_some_and(|i| instances.contains(i)) {
            continue;
        }
        notes.push(Note::new(
            "IMP003",
            NoteKind::Kept,
            &e.id,
            format!(
                "network interface ({}{}) in {}: not the design's; it stays, and its subnet cannot be deleted while it does",
                e.interface_type,
                if e.description.is_empty() { String::new() } else { format!(", {}", e.description) },
                e.subnet
            ),
        ));
    }
}

/// The VPC's network ACLs: the default one's rules when they are AWS's or none, and each
/// other ACL whose subnets are whole tiers.
pub(super) fn acls(
    snap: &Snapshot,
    allocation: &Allocation,
    notes: &mut Vec<Note>,
) -> (Option<DefaultNetworkAcl>, Vec<(String, NetworkAcl)>) {
    let mut default = None;
    let mut out: Vec<(String, NetworkAcl)> = Vec::new();
    for acl in &snap.network_acls {
        let custom: Vec<&LiveAclEntry> = acl.entries.iter().filter(|e| e.number != 32767).collect();
        if acl.default {
            let allow_all = !custom.is_empty()
                && custom.iter().all(|e| e.number == 100 || e.number == 101)
                && custom.iter().all(|e| e.allow && e.protocol == "-1");
            default = if custom.is_empty() {
                Some(DefaultNetworkAcl::DenyAll)
            } else if allow_all {
                None
            } else {
                notes.push(Note::new(
                    "IMP008",
                    NoteKind::Kept,
                    &acl.id,
                    "the default network ACL has rules of its own; the plan leaves it as it is"
                        .to_owned(),
                ));
                None
            };
            continue;
        }
        let tiers: BTreeSet<String> = acl
            .subnets
            .iter()
            .filter_map(|s| tier_of(snap, allocation, s))
            .collect();
        let whole = tiers.iter().all(|t| {
            allocation.subnets.iter().filter(|a| a.tier == *t).all(|a| {
                snap.subnets
                    .iter()
                    .find(|s| s.cidr.parse() == Ok(a.cidr))
                    .is_some_and(|s| acl.subnets.contains(&s.id))
            })
        });
        let rules: Result<Vec<(bool, AclRule)>, String> =
            custom.iter().map(|e| acl_rule(e)).collect();
        let label: String = acl
            .tags
            .get("Name")
            .unwrap_or(&acl.id)
            .to_ascii_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let base = tier_name(&label, "acl");
        let mut name = base.clone();
        let mut k = 2;
        while out.iter().any(|(_, a)| a.name == name) {
            name = tier_name(&format!("{}-{k}", &base[..base.len().min(28)]), "acl");
            k += 1;
        }
        match rules {
            Ok(rules) if whole && !tiers.is_empty() => out.push((
                acl.id.clone(),
                NetworkAcl {
                    name,
                    tiers: tiers.into_iter().collect(),
                    ingress: rules
                        .iter()
                        .filter(|(e, _)| !e)
                        .map(|(_, r)| r.clone())
                        .collect(),
                    egress: rules
                        .iter()
                        .filter(|(e, _)| *e)
                        .map(|(_, r)| r.clone())
                        .collect(),
                },
            )),
            Ok(_) => notes.push(Note::new(
                "IMP008",
                NoteKind::Kept,
                &acl.id,
                "network ACL whose subnets are not whole tiers; left as it is".to_owned(),
            )),
            Err(why) => notes.push(Note::new(
                "IMP008",
                NoteKind::Kept,
                &acl.id,
                format!("network ACL: {why}; left as it is"),
            )),
        }
    }
    (default, out)
}

fn acl_rule(e: &LiveAclEntry) -> Result<(bool, AclRule), String> {
    let protocol = match e.protocol.as_str() {
        "-1" => Protocol::All,
        "6" => Protocol::Tcp,
        "17" => Protocol::Udp,
        "1" => Protocol::Icmp,
        "58" => Protocol::Icmpv6,
        p => return Err(format!("rule {} has protocol {p}", e.number)),
    };
    let ports = match protocol {
        Protocol::Tcp | Protocol::Udp => e
            .ports
            .and_then(|(a, b)| {
                Some(PortRange {
                    from: u16::try_from(a).ok()?,
                    to: u16::try_from(b).ok()?,
                })
            })
            .filter(|p| *p != PortRange::ALL),
        Protocol::Icmp | Protocol::Icmpv6 => match e.icmp {
            Some((t, -1)) if t >= 0 => Some(PortRange::one(
                u16::try_from(t).map_err(|_| "bad ICMP type")?,
            )),
            Some((-1, _)) | None => None,
            Some((t, c)) => return Err(format!("rule {} names ICMP type {t} code {c}", e.number)),
        },
        Protocol::All => None,
    };
    let rule = AclRule {
        rule_number: u32::try_from(e.number).map_err(|_| "bad rule number")?,
        action: if e.allow {
            AclAction::Allow
        } else {
            AclAction::Deny
        },
        protocol,
        ports,
        cidr: e
            .cidr
            .as_deref()
            .map(str::parse)
            .transpose()
            .map_err(|_| format!("rule {} block", e.number))?,
        ipv6_cidr: e
            .ipv6_cidr
            .as_deref()
            .map(|c| c.parse::<ipnet::Ipv6Net>().map(Ipv6Block))
            .transpose()
            .map_err(|_| format!("rule {} block", e.number))?,
        description: String::new(),
    };
    Ok((e.egress, rule))
}

/// The VPC's endpoints a design can say: a gateway endpoint on whole tiers' route tables, an
/// interface endpoint in one tier's subnets.
pub(super) fn endpoints(
    snap: &Snapshot,
    tables: &std::collections::BTreeMap<String, (String, Option<String>)>,
    allocation: &Allocation,
    groups: &BTreeSet<String>,
    notes: &mut Vec<Note>,
) -> Vec<(String, Endpoint)> {
    let prefix = format!("com.amazonaws.{}.", snap.region);
    let mut out = Vec::new();
    for e in &snap.endpoints {
        let kept = |why: &str| {
            Note::new(
                "IMP009",
                NoteKind::Kept,
                &e.id,
                format!("VPC endpoint {}: {why}; left as it is", e.service_name),
            )
        };
        let Some(service) = e.service_name.strip_prefix(&prefix) else {
            notes.push(kept("not an AWS service of this region"));
            continue;
        };
        let policy = match &e.policy {
            None => None,
            Some(text) => match serde_json::from_str::<serde_json::Value>(text)
                .ok()
                .and_then(|v| serde_json::from_value(v).ok())
            {
                Some(doc) if !full_access(text) => Some(doc),
                Some(_) => None,
                None => {
                    notes.push(kept("its policy is not one the design reads"));
                    continue;
                }
            },
        };
        let (kind, tiers): (EndpointKind, BTreeSet<String>) =
            match e.kind.to_ascii_lowercase().as_str() {
                "gateway" => (
                    EndpointKind::Gateway,
                    e.route_tables
                        .iter()
                        .filter_map(|t| tables.get(t).map(|(tier, _)| tier.clone()))
                        .collect(),
                ),
                "interface" => (
                    EndpointKind::Interface,
                    e.subnets
                        .iter()
                        .filter_map(|s| tier_of(snap, allocation, s))
                        .collect(),
                ),
                other => {
                    notes.push(kept(&format!(
                        "a {other} endpoint, which a design does not make"
                    )));
                    continue;
                }
            };
        let group_names: Option<Vec<String>> = e
            .groups
            .iter()
            .map(|g| {
                snap.security_groups
                    .iter()
                    .find(|x| x.id == *g)
                    .map(|x| x.name.clone())
                    .filter(|n| groups.contains(n))
            })
            .collect();
        let Some(group_names) = group_names else {
            notes.push(kept("it uses a group the design does not hold"));
            continue;
        };
        if tiers.is_empty() {
            notes.push(kept("its route tables or subnets are in no tier"));
            continue;
        }
        out.push((
            e.id.clone(),
            Endpoint {
                service: service.to_owned(),
                kind,
                tiers: tiers.into_iter().collect(),
                security_groups: group_names,
                private_dns: kind == EndpointKind::Gateway || e.private_dns,
                policy,
            },
        ));
    }
    out
}

/// Whether a policy is AWS's full access one, the default of every endpoint.
fn full_access(text: &str) -> bool {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    compact.contains(r#""Effect":"Allow""#)
        && compact.contains(r#""Principal":"*""#)
        && compact.contains(r#""Action":"*""#)
        && compact.contains(r#""Resource":"*""#)
        && !compact.contains("Condition")
}

/// Flow logs: a design's own writes to a log group the plan makes, so an existing one is
/// noted and left delivering where it does.
pub(super) fn flow_logs(snap: &Snapshot, notes: &mut Vec<Note>) {
    for f in &snap.flow_logs {
        notes.push(Note::new(
            "IMP010",
            NoteKind::Kept,
            &f.id,
            format!("flow log to {}: a design's flow log writes where the plan puts it; this one keeps delivering and run leaves it alone", f.destination),
        ));
    }
}
