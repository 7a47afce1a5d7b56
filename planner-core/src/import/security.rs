//! Security groups and their rules from a live VPC, with peers mapped back to what a design
//! names: groups, tiers, the VPC, the internet, or blocks.

use std::collections::{BTreeMap, BTreeSet};

use super::snapshot::{LiveGroup, LivePeer, LiveRule, Snapshot};
use super::{Note, NoteKind};
use crate::alloc::Allocation;
use crate::cidr::Cidr;
use crate::design::sg::{
    Attachment, Ipv6Block, MemberRole, Peer, PortRange, Protocol, Rule, SecurityGroup,
};
use crate::validate::sg::valid_group_name;

/// The design's groups, and whether the default group is emptied.
pub(super) struct Groups {
    /// Every group but the VPC's default one, in name order.
    pub groups: Vec<SecurityGroup>,
    /// Whether the default group has no rules at all.
    pub default_restricted: bool,
}

/// A rule's protocol and ports in the design's terms, or why it has none.
fn protocol_ports(r: &LiveRule) -> Result<(Protocol, Option<PortRange>), String> {
    let port = |p: i32| u16::try_from(p).map_err(|_| format!("port {p} out of range"));
    match r.protocol.to_ascii_lowercase().as_str() {
        "-1" | "all" => Ok((Protocol::All, None)),
        p @ ("tcp" | "6" | "udp" | "17") => {
            let proto = if p == "tcp" || p == "6" {
                Protocol::Tcp
            } else {
                Protocol::Udp
            };
            let (from, to) = (port(r.from)?, port(r.to)?);
            let range = PortRange { from, to };
            Ok((proto, (range != PortRange::ALL).then_some(range)))
        }
        p @ ("icmp" | "1" | "58" | "icmpv6") => {
            let proto = if p == "icmp" || p == "1" {
                Protocol::Icmp
            } else {
                Protocol::Icmpv6
            };
            match (r.from, r.to) {
                (-1, _) => Ok((proto, None)),
                (t, -1) => Ok((proto, Some(PortRange::one(port(t)?)))),
                (t, c) => Err(format!(
                    "ICMP type {t} code {c}: a design names a type, every code"
                )),
            }
        }
        other => Err(format!(
            "protocol {other}: a design takes tcp, udp, icmp, icmpv6 or all"
        )),
    }
}

/// The design's groups from the snapshot; `allocation` says which blocks are which tier's.
pub(super) fn groups(snap: &Snapshot, allocation: &Allocation, notes: &mut Vec<Note>) -> Groups {
    // Groups a design can name; the others stay as they are.
    let names: BTreeMap<&str, &str> = snap
        .security_groups
        .iter()
        .filter(|g| g.name == "default" || valid_group_name(&g.name))
        .map(|g| (g.id.as_str(), g.name.as_str()))
        .collect();
    let mut tier_blocks: BTreeMap<&str, BTreeSet<Cidr>> = BTreeMap::new();
    for s in &allocation.subnets {
        tier_blocks
            .entry(s.tier.as_str())
            .or_default()
            .insert(s.cidr);
    }
    let vpc_ipv6 = snap.vpc.ipv6_cidr.is_some();
    let vpc_blocks: BTreeSet<Cidr> = std::iter::once(snap.vpc.cidr.as_str())
        .chain(snap.vpc.secondary_cidrs.iter().map(|(c, _)| c.as_str()))
        .filter_map(|c| c.parse().ok())
        .collect();

    let mut out = Groups {
        groups: Vec::new(),
        default_restricted: false,
    };
    for g in &snap.security_groups {
        if g.name == "default" {
            out.default_restricted = g.rules.is_empty();
            continue;
        }
        if !names.contains_key(g.id.as_str()) {
            notes.push(Note::new(
                "IMP004",
                NoteKind::Kept,
                &g.id,
                format!("group {:?}: a design names groups with letters, digits, '-' and '_' (not 'sg-…'); the group stays as it is, outside the plan", g.name),
            ));
            continue;
        }
        let default_egress = g.rules.iter().any(|r| {
            r.egress && r.protocol == "-1" && r.peer == LivePeer::Ipv4("0.0.0.0/0".to_owned())
        });
        let mut group = SecurityGroup {
            name: g.name.clone(),
            description: g.description.clone(),
            attached_to: Vec::new(),
            ingress: Vec::new(),
            egress: Vec::new(),
            default_egress,
        };
        for egress in [false, true] {
            let rules = rules(g, egress, &names, notes);
            let rules = merge(rules, &tier_blocks, &vpc_blocks, vpc_ipv6);
            if egress {
                group.egress = rules;
            } else {
                group.ingress = rules;
            }
        }
        group.attached_to = attachments(snap, g, allocation);
        out.groups.push(group);
    }
    out.groups.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// One direction's rules, peer by peer, in the design's terms.
fn rules(
    g: &LiveGroup,
    egress: bool,
    names: &BTreeMap<&str, &str>,
    notes: &mut Vec<Note>,
) -> Vec<Rule> {
    let mut out = Vec::new();
    for r in g.rules.iter().filter(|r| r.egress == egress) {
        let default = egress
            && r.protocol == "-1"
            && (r.peer == LivePeer::Ipv4("0.0.0.0/0".to_owned())
                || r.peer == LivePeer::Ipv6("::/0".to_owned()));
        if default {
            // AWS's default egress, kept by `default_egress` (the IPv6 one with it).
            continue;
        }
        let not = |why: String| {
            Note::new(
                "IMP004",
                NoteKind::Kept,
                &r.id,
                format!("rule of group {} ({}): {why}; the rule stays as it is, and run leaves it alone", g.name, g.id),
            )
        };
        let (protocol, ports) = match protocol_ports(r) {
            Ok(p) => p,
            Err(why) => {
                notes.push(not(why));
                continue;
            }
        };
        let peer = match &r.peer {
            LivePeer::Ipv4(c) => match c.parse::<Cidr>() {
                Ok(c) => Peer::Cidr(c),
                Err(_) => {
                    notes.push(not(format!("block {c:?} is not one the planner reads")));
                    continue;
                }
            },
            LivePeer::Ipv6(c) => match c.parse::<ipnet::Ipv6Net>() {
                Ok(n) => Peer::Ipv6Cidr(Ipv6Block(n)),
                Err(_) => {
                    notes.push(not(format!("block {c:?} is not one the planner reads")));
                    continue;
                }
            },
            LivePeer::Group(id) if *id == g.id => Peer::SelfGroup,
            LivePeer::Group(id) => match names.get(id.as_str()) {
                Some(&"default") => {
                    notes.push(not(
                        "its peer is the VPC's default group, which a design does not name"
                            .to_owned(),
                    ));
                    continue;
                }
                Some(n) => Peer::Group((*n).to_owned()),
                None => {
                    notes.push(not(format!(
                        "its peer {id} is a group of another VPC or account"
                    )));
                    continue;
                }
            },
            LivePeer::PrefixList(p) => {
                notes.push(not(format!("its peer is the prefix list {p}")));
                continue;
            }
            LivePeer::Unknown => {
                notes.push(not("its peer is unreadable".to_owned()));
                continue;
            }
        };
        out.push(Rule {
            protocol,
            ports,
            peer,
            description: r.description.clone(),
        });
    }
    out
}

/// Rules that together stand for one peer a design names: every block of a tier → the tier;
/// the VPC's blocks → `vpc`; 0.0.0.0/0 (with ::/0 when the VPC has IPv6) → `internet`.
fn merge(
    rules: Vec<Rule>,
    tier_blocks: &BTreeMap<&str, BTreeSet<Cidr>>,
    vpc_blocks: &BTreeSet<Cidr>,
    vpc_ipv6: bool,
) -> Vec<Rule> {
    type Shape = (Protocol, Option<PortRange>, String);
    let shape = |r: &Rule| -> Shape { (r.protocol, r.ports, r.description.clone()) };
    let mut by_shape: BTreeMap<Shape, Vec<Rule>> = BTreeMap::new();
    let mut order: Vec<Shape> = Vec::new();
    for r in rules {
        let s = shape(&r);
        if !by_shape.contains_key(&s) {
            order.push(s.clone());
        }
        by_shape.entry(s).or_default().push(r);
    }
    let mut out = Vec::new();
    for s in order {
        let mut rules = by_shape.remove(&s).unwrap_or_default();
        let blocks = |rules: &[Rule]| -> BTreeSet<Cidr> {
            rules
                .iter()
                .filter_map(|r| match r.peer {
                    Peer::Cidr(c) => Some(c),
                    _ => None,
                })
                .collect()
        };
        let make = |peer: Peer| Rule {
            protocol: s.0,
            ports: s.1,
            peer,
            description: s.2.clone(),
        };
        // The internet.
        let any4: Cidr = "0.0.0.0/0".parse().expect("valid");
        let any6 = |r: &Rule| matches!(r.peer, Peer::Ipv6Cidr(b) if b.is_any());
        let icmp6 = s.0 == Protocol::Icmpv6;
        let icmp4 = s.0 == Protocol::Icmp;
        let has4 = blocks(&rules).contains(&any4);
        let has6 = rules.iter().any(any6);
        let internet = if !vpc_ipv6 || icmp4 {
            has4
        } else if icmp6 {
            has6
        } else {
            has4 && has6
        };
        if internet {
            rules.retain(|r| !(r.peer == Peer::Cidr(any4) || any6(r)));
            out.push(make(Peer::Internet));
        }
        // The VPC.
        let have = blocks(&rules);
        if !vpc_blocks.is_empty() && vpc_blocks.is_subset(&have) && s.0 != Protocol::Icmpv6 {
            rules.retain(|r| !matches!(r.peer, Peer::Cidr(c) if vpc_blocks.contains(&c)));
            out.push(make(Peer::Vpc));
        }
        // Tiers, whose blocks are all there.
        for (tier, tb) in tier_blocks {
            let have = blocks(&rules);
            if !tb.is_empty() && tb.is_subset(&have) && s.0 != Protocol::Icmpv6 {
                rules.retain(|r| !matches!(r.peer, Peer::Cidr(c) if tb.contains(&c)));
                out.push(make(Peer::Tier((*tier).to_owned())));
            }
        }
        out.extend(rules);
    }
    out
}

/// What a group is attached to beyond instances: the network interfaces of load balancers,
/// databases and the like, by the tier of their subnet (`extras::interfaces` notes each: the
/// plan neither manages nor removes them).
fn attachments(snap: &Snapshot, g: &LiveGroup, allocation: &Allocation) -> Vec<Attachment> {
    let nat_subnets: BTreeSet<&str> = snap
        .nat_gateways
        .iter()
        .map(|n| n.subnet.as_str())
        .collect();
    let _ = nat_subnets;
    let mut out: Vec<Attachment> = Vec::new();
    for eni in snap
        .network_interfaces
        .iter()
        .filter(|e| e.groups.contains(&g.id))
    {
        if eni.instance.is_some() || eni.interface_type == "vpc_endpoint" {
            continue;
        }
        let Some(tier) = tier_of(snap, allocation, &eni.subnet) else {
            continue;
        };
        let d = eni.description.to_ascii_lowercase();
        let role = if eni.interface_type.contains("load_balancer") || d.starts_with("elb ") {
            MemberRole::LoadBalancer
        } else if d.contains("rds") {
            MemberRole::Database
        } else if d.contains("elasticache") {
            MemberRole::Cache
        } else {
            MemberRole::Generic
        };
        if !out.iter().any(|a| a.role == role && a.tier == tier) {
            out.push(Attachment {
                role,
                tier,
                name: None,
                public_address: None,
            });
        }
    }
    out
}

/// The tier of a live subnet.
pub(super) fn tier_of(snap: &Snapshot, allocation: &Allocation, subnet: &str) -> Option<String> {
    let s = snap.subnets.iter().find(|s| s.id == subnet)?;
    let cidr: Cidr = s.cidr.parse().ok()?;
    allocation
        .subnets
        .iter()
        .find(|a| a.cidr == cidr)
        .map(|a| a.tier.clone())
}
