//! The rules of network ACLs that serde cannot express: names, tiers that exist and are in
//! one ACL at most, rule numbers AWS takes and each used once per direction, one block per
//! rule, ports that fit the protocol.

use std::collections::{BTreeMap, BTreeSet};

use super::network::valid_tier_name;
use crate::design::acl::{AclRule, MAX_RULE_NUMBER, MIN_RULE_NUMBER};
use crate::design::network::Design;
use crate::design::sg::Protocol;
use crate::error::InputError;

/// Checks every ACL of `design`; the first broken rule is returned with its JSON path.
pub(crate) fn check(design: &Design) -> Result<(), InputError> {
    if design.vpc.is_none() && !design.network_acls.is_empty() {
        return Err(InputError::at(
            "network_acls",
            "network_acls needs a vpc: add \"vpc\": {\"cidr\": …} or remove network_acls",
        ));
    }
    let tiers: BTreeSet<&str> = design.tiers.iter().map(|t| t.name.as_str()).collect();
    let mut names = BTreeSet::new();
    let mut owner: BTreeMap<&str, &str> = BTreeMap::new();
    for (i, acl) in design.network_acls.iter().enumerate() {
        let at = |what: &str| format!("network_acls[{i}]{what}");
        if !valid_tier_name(&acl.name) {
            return Err(InputError::at(
                at(".name"),
                format!(
                    "expected a lower-case letter then up to 31 lower-case letters, digits or '-', got {:?}",
                    acl.name
                ),
            ));
        }
        if !names.insert(acl.name.as_str()) {
            return Err(InputError::at(
                at(".name"),
                format!("network ACL {} is defined twice", acl.name),
            ));
        }
        for (j, t) in acl.tiers.iter().enumerate() {
            if !tiers.contains(t.as_str()) {
                return Err(InputError::at(
                    at(&format!(".tiers[{j}]")),
                    format!("no tier named {t:?}"),
                ));
            }
            if let Some(first) = owner.insert(t, &acl.name) {
                let message = if first == acl.name {
                    format!("tier {t} is listed twice")
                } else {
                    format!("tier {t} is already in network ACL {first}; a subnet has one ACL")
                };
                return Err(InputError::at(at(&format!(".tiers[{j}]")), message));
            }
        }
        for (dir, rules) in [("ingress", &acl.ingress), ("egress", &acl.egress)] {
            let mut numbers = BTreeMap::new();
            for (j, r) in rules.iter().enumerate() {
                let here = at(&format!(".{dir}[{j}]"));
                check_rule(r).map_err(|e| e.under(&here))?;
                if let Some(k) = numbers.insert(r.rule_number, j) {
                    return Err(InputError::at(
                        format!("{here}.rule_number"),
                        format!(
                            "rule number {} is also {dir}[{k}]'s; each number is used once per direction",
                            r.rule_number
                        ),
                    ));
                }
            }
        }
    }
    Ok(())
}

fn check_rule(r: &AclRule) -> Result<(), InputError> {
    if !(MIN_RULE_NUMBER..=MAX_RULE_NUMBER).contains(&r.rule_number) {
        return Err(InputError::at(
            "rule_number",
            format!(
                "expected a rule number from {MIN_RULE_NUMBER} to {MAX_RULE_NUMBER} (AWS keeps 32767 and up for its final deny), got {}",
                r.rule_number
            ),
        ));
    }
    match (r.cidr, r.ipv6_cidr) {
        (Some(_), Some(_)) => {
            return Err(InputError::at(
                "ipv6_cidr",
                "a rule matches one block: keep cidr or ipv6_cidr, not both",
            ))
        }
        (None, None) => {
            return Err(InputError::at(
                "cidr",
                "expected the block the rule matches: cidr (IPv4, e.g. \"0.0.0.0/0\") or ipv6_cidr",
            ))
        }
        _ => {}
    }
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
    if r.description.len() > 255 {
        return Err(InputError::at(
            "description",
            "expected at most 255 characters",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::error::InputError;

    fn error(acls: &str) -> Option<InputError> {
        let json = format!(
            r#"{{"name": "d", "region": "us-east-1", "vpc": {{"cidr": "10.0.0.0/16"}},
                "availability_zones": 2,
                "tiers": [{{"name": "web", "kind": "public", "size": {{"prefix": 24}}}},
                          {{"name": "data", "kind": "isolated", "size": {{"prefix": 24}}}}],
                "network_acls": {acls}}}"#
        );
        crate::parse_design(&json).err()
    }

    fn rule(extra: &str) -> String {
        format!(
            r#"[{{"name": "edge", "tiers": ["web"], "ingress": [{{"rule_number": 100, "action": "allow", "protocol": "tcp", "ports": 443{extra}}}]}}]"#
        )
    }

    #[test]
    fn a_valid_acl_passes() {
        assert_eq!(error(&rule(r#", "cidr": "0.0.0.0/0""#)), None);
        assert_eq!(error(&rule(r#", "ipv6_cidr": "::/0""#)), None);
    }

    #[test]
    fn each_rule_is_refused_at_its_field() {
        let cases = [
            (rule(""), "network_acls[0].ingress[0].cidr"),
            (
                rule(r#", "cidr": "0.0.0.0/0", "ipv6_cidr": "::/0""#),
                "network_acls[0].ingress[0].ipv6_cidr",
            ),
            (
                rule(r#", "cidr": "0.0.0.0/0", "rule_number": 0"#).replace(r#""rule_number": 100, "#, ""),
                "network_acls[0].ingress[0].rule_number",
            ),
            (
                r#"[{"name": "a", "tiers": ["web"], "egress": [
                    {"rule_number": 32767, "action": "deny", "protocol": "all", "cidr": "0.0.0.0/0"}]}]"#
                    .to_owned(),
                "network_acls[0].egress[0].rule_number",
            ),
            (
                r#"[{"name": "a", "egress": [
                    {"rule_number": 10, "action": "deny", "protocol": "all", "cidr": "0.0.0.0/0"},
                    {"rule_number": 10, "action": "allow", "protocol": "tcp", "cidr": "10.0.0.0/8"}]}]"#
                    .to_owned(),
                "network_acls[0].egress[1].rule_number",
            ),
            (
                r#"[{"name": "a", "ingress": [
                    {"rule_number": 10, "action": "deny", "protocol": "all", "ports": 22, "cidr": "0.0.0.0/0"}]}]"#
                    .to_owned(),
                "network_acls[0].ingress[0].ports",
            ),
            (
                r#"[{"name": "a", "tiers": ["app"]}]"#.to_owned(),
                "network_acls[0].tiers[0]",
            ),
            (
                r#"[{"name": "a", "tiers": ["web"]}, {"name": "b", "tiers": ["data", "web"]}]"#
                    .to_owned(),
                "network_acls[1].tiers[1]",
            ),
            (
                r#"[{"name": "a"}, {"name": "a"}]"#.to_owned(),
                "network_acls[1].name",
            ),
            (r#"[{"name": "A"}]"#.to_owned(), "network_acls[0].name"),
        ];
        for (acls, path) in cases {
            let e = error(&acls).unwrap_or_else(|| panic!("{acls} was accepted"));
            assert_eq!(e.path, path, "{acls}: {e}");
        }
    }

    #[test]
    fn the_same_number_may_serve_both_directions() {
        let acls = r#"[{"name": "a",
            "ingress": [{"rule_number": 100, "action": "allow", "protocol": "all", "cidr": "0.0.0.0/0"}],
            "egress": [{"rule_number": 100, "action": "allow", "protocol": "all", "cidr": "0.0.0.0/0"}]}]"#;
        assert_eq!(error(acls), None);
    }
}
