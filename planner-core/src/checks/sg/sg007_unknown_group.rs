//! ## What it does
//! Flags a rule whose peer is a group the design does not define.
//!
//! ## Why is this bad?
//! AWS refuses the rule (`InvalidGroup.NotFound`), so the apply stops there; usually it is a
//! typo, or a group that was renamed.
//!
//! ## Example
//! ```json
//! {"ingress": [{"protocol": "tcp", "ports": 5432, "peer": {"group": "ecs-hosts"}}]}
//! ```
//! when the group is called `ecs`.

use super::context::Context;
use crate::analysis::sg_graph::Node;
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "SG007",
    name: "unknown-group",
    severity: Severity::Error,
    summary: "a rule naming a security group that is not in the plan",
};

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let known: Vec<&str> = cx.graph.groups.iter().map(|g| g.name.as_str()).collect();
    for g in &cx.graph.groups {
        for e in g.ingress.iter().chain(&g.egress) {
            if let Node::Unknown(name) = &e.peer {
                out.push(Diagnostic::new(
                    INFO.code,
                    Severity::Error,
                    format!("{}.peer.group", e.path),
                    format!(
                        "group {} has a rule naming group {name:?}, which the plan does not define (groups: {})",
                        g.name,
                        known.join(", ")
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::sg::test_support::findings;

    #[test]
    fn typo_in_a_peer() {
        let d = findings(
            r#"[{"name": "db", "description": "d", "attached_to": [{"role": "database", "tier": "private"}],
                "ingress": [{"protocol": "tcp", "ports": 5432, "peer": {"group": "ecs-hosts"}}]}]"#,
            "SG007",
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].path, "security_groups[0].ingress[0].peer.group");
    }

    #[test]
    fn known_peer() {
        let d = findings(
            r#"[{"name": "db", "description": "d", "attached_to": [{"role": "database", "tier": "private"}],
                "ingress": [{"protocol": "tcp", "ports": 5432, "peer": {"group": "ecs"}}]},
               {"name": "ecs", "description": "e", "attached_to": [{"role": "app", "tier": "private"}]}]"#,
            "SG007",
        );
        assert!(d.is_empty());
    }
}
