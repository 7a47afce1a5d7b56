//! ## What it does
//! Flags a group attached to nothing: no `attached_to` entry, no instance and no interface
//! endpoint naming it.
//!
//! ## Why is this bad?
//! An unused group is usually a mistake (the intended host forgot to name it) or leftover
//! clutter; rules that reference it admit nothing, which makes reachability surprising.
//!
//! ## Example
//! ```json
//! {"name": "titusapp", "description": "apps", "ingress": []}
//! ```
//! Attach it: `"attached_to": [{"role": "app", "tier": "private"}]`, or remove it.

use super::context::Context;
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "SG006",
    name: "unused-group",
    severity: Severity::Warning,
    summary: "a security group attached to nothing",
};

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for (i, g) in cx.graph.groups.iter().enumerate() {
        let on_endpoint = cx.graph.services.iter().any(|e| e.groups.contains(&i));
        if g.members.is_empty() && !on_endpoint {
            out.push(Diagnostic::new(
                INFO.code,
                Severity::Warning,
                g.path.clone(),
                format!(
                    "group {} is attached to nothing: attach it with attached_to, or remove it",
                    g.name
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::sg::test_support::findings;

    #[test]
    fn unattached() {
        let d = findings(r#"[{"name": "lonely", "description": "l"}]"#, "SG006");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].path, "security_groups[0]");
    }

    #[test]
    fn attached() {
        let d = findings(
            r#"[{"name": "used", "description": "u", "attached_to": [{"role": "app", "tier": "private"}]}]"#,
            "SG006",
        );
        assert!(d.is_empty());
    }

    #[test]
    fn on_an_interface_endpoint() {
        let json = crate::checks::test_support::BASE.replace(
            r#""nat": "gateway_per_az""#,
            r#""nat": "gateway_per_az",
               "security_groups": [{"name": "https", "description": "to endpoints"}],
               "endpoints": [{"service": "ssm", "kind": "interface", "tiers": ["app"], "security_groups": ["https"]}]"#,
        );
        assert!(crate::checks::test_support::findings(&json, "SG006").is_empty());
    }
}
