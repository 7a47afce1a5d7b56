//! ## What it does
//! Warns when one thing (an attachment label in a tier) is in more than 5 security groups.
//!
//! ## Why is this bad?
//! AWS allows 5 groups per network interface by default; launching the instance or creating
//! the load balancer fails with the 6th. Merge groups, or request a higher quota (at most 16,
//! with rules per group lowered so the product stays ≤ 1,000).
//!
//! ## Example
//! Six groups each `attached_to` `{"role": "app", "name": "ecs", "tier": "private"}`.

use std::collections::BTreeMap;

use super::context::Context;
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "SG005",
    name: "too-many-groups",
    severity: Severity::Warning,
    summary: "more than 5 security groups on one instance or interface",
};

const QUOTA: usize = 5;

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let mut groups: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
    for g in &cx.graph.groups {
        for m in &g.members {
            let entry = groups
                .entry((m.label.as_str(), m.tier.as_str()))
                .or_default();
            if !entry.contains(&g.name.as_str()) {
                entry.push(&g.name);
            }
        }
    }
    for ((label, tier), names) in groups {
        if names.len() > QUOTA {
            let first = cx
                .graph
                .group(names[0])
                .map(|i| cx.graph.groups[i].path.clone())
                .unwrap_or_default();
            out.push(Diagnostic::new(
                INFO.code,
                Severity::Warning,
                first,
                format!(
                    "{label} in tier {tier} is in {} groups ({}); the default quota is {QUOTA} per network interface",
                    names.len(),
                    names.join(", ")
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::sg::test_support::findings;

    fn groups(n: usize) -> String {
        let g: Vec<String> = (0..n)
            .map(|i| format!(r#"{{"name": "g{i}", "description": "g", "attached_to": [{{"role": "app", "name": "ecs", "tier": "private"}}]}}"#))
            .collect();
        format!("[{}]", g.join(","))
    }

    #[test]
    fn six_groups_on_one_member() {
        let d = findings(&groups(6), "SG005");
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("ecs in tier private is in 6 groups"));
    }

    #[test]
    fn five_are_fine() {
        assert!(findings(&groups(5), "SG005").is_empty());
    }
}
