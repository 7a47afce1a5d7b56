//! ## What it does
//! Warns when one direction of a network ACL has more than 20 rules, AWS's default quota of
//! rules per network ACL per direction.
//!
//! ## Why is this bad?
//! The apply fails at the 21st entry, after the ACL and the first 20 were made, and the
//! subnets are left with half a rule set (possibly without the rules that let replies back).
//! The quota can be raised to 40 through Service Quotas, at some cost to network performance.
//!
//! ## Example
//! An ACL with 21 inbound rules: merge adjacent port ranges and blocks, or ask for a quota of at
//! least 21 before applying.

use super::context::Context;
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "NET013",
    name: "acl-rule-quota",
    severity: Severity::Warning,
    summary: "more than 20 rules in one direction of a network ACL (AWS's default quota)",
};

/// AWS's default quota of rules per network ACL, per direction.
const RULES_PER_DIRECTION: usize = 20;

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for (i, acl) in cx.plan.design.network_acls.iter().enumerate() {
        for (dir, word, n) in [
            ("ingress", "inbound", acl.ingress.len()),
            ("egress", "outbound", acl.egress.len()),
        ] {
            if n > RULES_PER_DIRECTION {
                out.push(Diagnostic::new(
                    INFO.code,
                    Severity::Warning,
                    format!("network_acls[{i}].{dir}"),
                    format!(
                        "network ACL {} has {n} {word} rules; the default quota is {RULES_PER_DIRECTION} per direction: merge rules, or request an increase (up to 40) in Service Quotas before applying",
                        acl.name
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{findings, BASE};

    fn with_rules(ingress: usize, egress: usize) -> String {
        let rules = |n: usize| -> String {
            (1..=n)
                .map(|k| {
                    format!(
                        r#"{{"rule_number": {k}, "action": "allow", "protocol": "tcp", "ports": {}, "cidr": "10.0.0.0/16"}}"#,
                        1000 + k
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        BASE.replace(
            r#""nat": "gateway_per_az""#,
            &format!(
                r#""nat": "gateway_per_az", "network_acls": [{{"name": "app", "tiers": ["app"], "ingress": [{}], "egress": [{}]}}]"#,
                rules(ingress),
                rules(egress)
            ),
        )
    }

    #[test]
    fn triggers_past_20_in_one_direction() {
        let d = findings(&with_rules(21, 3), "NET013");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].path, "network_acls[0].ingress");
        assert!(
            d[0].message
                .starts_with("network ACL app has 21 inbound rules"),
            "{}",
            d[0].message
        );
        let d = findings(&with_rules(0, 25), "NET013");
        assert_eq!(d[0].path, "network_acls[0].egress");
    }

    #[test]
    fn quiet_at_20() {
        assert_eq!(findings(&with_rules(20, 20), "NET013"), []);
    }
}
