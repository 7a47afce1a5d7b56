//! The rules of security groups that serde cannot express.

use std::collections::BTreeSet;

use crate::design::network::Design;
use crate::design::sg::{Peer, Protocol, Rule};
use crate::error::InputError;
use crate::ids::NAT_GROUP;

/// Whether a design may name a security group so: 1–255 letters, digits, `-` and `_`, not
/// starting with `sg-` (AWS's ids).
pub(crate) fn valid_group_name(n: &str) -> bool {
    (1..=255).contains(&n.len())
        && !n.starts_with("sg-")
        && n.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Checks names, tiers and ports; a rule naming an unknown group is finding SG007, not this.
pub(crate) fn check(design: &Design) -> Result<(), InputError> {
    let tiers: BTreeSet<&str> = design.tiers.iter().map(|t| t.name.as_str()).collect();
    let mut names = BTreeSet::new();
    for (i, g) in design.security_groups.iter().enumerate() {
        let at = |what: &str| format!("security_groups[{i}]{what}");
        if !valid_group_name(&g.name) {
            return Err(InputError::at(
                at(".name"),
                format!(
                    "expected 1-255 letters, digits, '-' or '_', not starting with 'sg-', got {:?}",
                    g.name
                ),
            ));
        }
        if !names.insert(g.name.as_str()) {
            return Err(InputError::at(
                at(".name"),
                format!("group {} is defined twice", g.name),
            ));
        }
        if g.name == NAT_GROUP && design.nat.uses_instances() {
            return Err(InputError::at(
                at(".name"),
                format!("{NAT_GROUP} is the group the planner makes for NAT instances; pick another name"),
            ));
        }
        if g.description.len() > 255 || !g.description.is_ascii() {
            return Err(InputError::at(
                at(".description"),
                "expected at most 255 ASCII characters",
            ));
        }
        for (j, a) in g.attached_to.iter().enumerate() {
            if !tiers.contains(a.tier.as_str()) {
                return Err(InputError::at(
                    at(&format!(".attached_to[{j}].tier")),
                    format!("no tier named {:?}", a.tier),
                ));
            }
        }
        for (dir, rules) in [("ingress", &g.ingress), ("egress", &g.egress)] {
            for (j, r) in rules.iter().enumerate() {
                check_rule(r, &tiers).map_err(|e| e.under(&at(&format!(".{dir}[{j}]"))))?;
            }
        }
    }
    Ok(())
}

fn check_rule(r: &Rule, tiers: &BTreeSet<&str>) -> Result<(), InputError> {
    if r.protocol == Protocol::All && r.ports.is_some() {
        return Err(InputError::at(
            "ports",
            "protocol all covers every port; remove ports",
        ));
    }
    if matches!(r.protocol, Protocol::Icmp | Protocol::Icmpv6) {
        if let Some(p) = r.ports.filter(|p| p.from != p.to || p.from > 255) {
            return Err(InputError::at(
                "ports",
                format!(
                    "for {} ports names one ICMP type (0-255), or is absent for every type; got {p}",
                    r.protocol
                ),
            ));
        }
    }
    if let Peer::Tier(t) = &r.peer {
        if !tiers.contains(t.as_str()) {
            return Err(InputError::at("peer.tier", format!("no tier named {t:?}")));
        }
    }
    if r.description.len() > 255 {
        return Err(InputError::at(
            "description",
            "expected at most 255 characters",
        ));
    }
    Ok(())
}
