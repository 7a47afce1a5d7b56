//! ## What it does
//! Warns when a group needs more than 60 inbound or 60 outbound rules of one address family
//! (AWS counts IPv4 and IPv6 rules separately). Peers such as `vpc` or `{"tier": …}` expand
//! to one rule per block, and a kept default egress counts as one IPv4 outbound rule.
//!
//! ## Why is this bad?
//! 60 is the default quota; the 61st `AuthorizeSecurityGroupIngress` fails mid-apply. The quota
//! can be raised (rules per group × groups per interface ≤ 1,000), or rules can be merged into
//! wider ranges or a prefix list.
//!
//! ## Example
//! A group admitting tcp 443 from 61 office /32s. Use a managed prefix list, or request more.

use std::collections::BTreeMap;

use super::context::Context;
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};
use crate::ids::key;
use crate::resource::{Direction, ResourceKind, RulePeer};

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "SG004",
    name: "too-many-rules",
    severity: Severity::Warning,
    summary: "more than 60 inbound or outbound rules of one address family in a group",
};

const QUOTA: usize = 60;

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let mut count: BTreeMap<(&str, Direction, bool), usize> = BTreeMap::new();
    for r in &cx.plan.resources {
        match &r.kind {
            ResourceKind::SecurityGroupRule {
                group,
                direction,
                peer,
                ..
            } => {
                let v6 = matches!(peer, RulePeer::CidrIpv6(_));
                *count.entry((group.as_str(), *direction, v6)).or_default() += 1;
            }
            ResourceKind::SecurityGroup {
                revoke_default_egress: false,
                ..
            } => {
                *count
                    .entry((r.id.as_str(), Direction::Egress, false))
                    .or_default() += 1;
            }
            _ => {}
        }
    }
    for ((group, direction, v6), n) in count {
        if n <= QUOTA {
            continue;
        }
        let name = key(group);
        let path = cx
            .graph
            .group(name)
            .map(|i| cx.graph.groups[i].path.clone())
            .unwrap_or_default();
        out.push(Diagnostic::new(
            INFO.code,
            Severity::Warning,
            path,
            format!(
                "group {name} needs {n} {} {} rules; the default quota is {QUOTA}: merge ranges, use a prefix list, or request a higher quota",
                if v6 { "IPv6" } else { "IPv4" },
                match direction {
                    Direction::Ingress => "inbound",
                    Direction::Egress => "outbound",
                }
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::sg::test_support::findings;

    fn group(rules: usize) -> String {
        let rules: Vec<String> = (0..rules)
            .map(|i| {
                format!(
                    r#"{{"protocol": "tcp", "ports": 443, "peer": {{"cidr": "203.0.113.{i}/32"}}}}"#
                )
            })
            .collect();
        format!(
            r#"[{{"name": "w", "description": "w", "attached_to": [{{"role": "app", "tier": "public"}}], "ingress": [{}]}}]"#,
            rules.join(",")
        )
    }

    #[test]
    fn sixty_one_rules() {
        let d = findings(&group(61), "SG004");
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("61 IPv4 inbound"));
    }

    #[test]
    fn sixty_rules_are_fine() {
        assert!(findings(&group(60), "SG004").is_empty());
    }
}
