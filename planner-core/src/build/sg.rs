//! Security groups and their rules as plan resources: one `security_group` per group and one
//! `security_group_rule` per AWS permission (one protocol, one port range, one peer).

use std::collections::BTreeSet;

use super::sg_peers::{resolve, Resolved};
use crate::alloc::Allocation;
use crate::design::network::Design;
use crate::design::sg::{Ipv6Block, Rule, SecurityGroup};
use crate::ids::{group_id, group_rule_id, VPC_ID};
use crate::resource::{Direction, Resource, ResourceKind, RulePeer};

fn slug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}

/// Appends every group's resources, then every rule's, to `out`. `design` is the effective
/// design, which holds the groups the planner adds.
pub(crate) fn resources(design: &Design, allocation: &Allocation, out: &mut Vec<Resource>) {
    let groups = &design.security_groups;
    let known: BTreeSet<&str> = groups.iter().map(|g| g.name.as_str()).collect();
    for g in groups.iter() {
        out.push(Resource {
            id: group_id(&g.name),
            kind: ResourceKind::SecurityGroup {
                name: g.name.clone(),
                description: g.description.clone(),
                vpc: VPC_ID.to_owned(),
                revoke_default_egress: !g.default_egress,
            },
            depends_on: vec![VPC_ID.to_owned()],
        });
    }
    let mut seen = BTreeSet::new();
    for g in groups.iter() {
        for (direction, rules) in [
            (Direction::Ingress, &g.ingress),
            (Direction::Egress, &g.egress),
        ] {
            for rule in rules {
                for peer in resolve(design, allocation, &g.name, rule) {
                    if let Resolved::Group(p) = &peer {
                        if !known.contains(p.as_str()) {
                            continue; // SG007 reports it
                        }
                    }
                    let r = rule_resource(g, direction, rule, peer);
                    if seen.insert(r.id.clone()) {
                        out.push(r);
                    }
                }
            }
        }
    }
}

fn rule_resource(g: &SecurityGroup, direction: Direction, rule: &Rule, peer: Resolved) -> Resource {
    let group = group_id(&g.name);
    let (peer, peer_slug, deps) = match peer {
        Resolved::Group(p) => {
            let id = group_id(&p);
            (
                RulePeer::SecurityGroup(id.clone()),
                format!("sg-{}", slug(&p)),
                vec![group.clone(), id],
            )
        }
        Resolved::V4(c) => (
            RulePeer::CidrIpv4(c),
            slug(&c.to_string()),
            vec![group.clone()],
        ),
        Resolved::V6(n) => (
            RulePeer::CidrIpv6(Ipv6Block(n)),
            format!("v6-{}", slug(&n.to_string())),
            vec![group.clone()],
        ),
    };
    let dir = match direction {
        Direction::Ingress => "in",
        Direction::Egress => "out",
    };
    let ports = match rule.ports {
        Some(p) => format!("-{p}"),
        None => String::new(),
    };
    Resource::new(
        group_rule_id(&g.name, dir, rule.protocol, &ports, &peer_slug),
        ResourceKind::SecurityGroupRule {
            group,
            direction,
            protocol: rule.protocol,
            ports: rule.ports,
            peer,
            description: rule.description.clone(),
        },
        deps,
    )
}
