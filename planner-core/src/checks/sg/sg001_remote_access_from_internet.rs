//! ## What it does
//! Flags SSH (tcp 22) or RDP (tcp 3389) admitted from the internet into a group attached to
//! anything that is not a bastion or a jump host.
//!
//! ## Why is this bad?
//! Remote-access ports open to the world are scanned within minutes and are the most common
//! way in. A bastion or jump host exists to be the one such door; every other host should
//! admit SSH only from the bastion's group.
//!
//! ## Example
//! ```json
//! {"name": "titusmaster-mainvpc", "ingress": [{"protocol": "tcp", "ports": 22, "peer": "internet"}]}
//! ```
//! Admit 22 from `{"group": "titusbastion"}` instead.

use super::context::{internet_ingress, Context};
use crate::design::sg::Protocol;
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "SG001",
    name: "remote-access-from-internet",
    severity: Severity::Warning,
    summary: "SSH or RDP from the internet to something that is not a bastion or jump host",
};

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for (gi, e) in internet_ingress(cx) {
        let g = &cx.graph.groups[gi];
        let others: Vec<&str> = g
            .members
            .iter()
            .filter(|m| !m.role.is_remote_access_host())
            .map(|m| m.label.as_str())
            .collect();
        if others.is_empty() && !g.members.is_empty() {
            continue;
        }
        for (port, what) in [(22, "SSH"), (3389, "RDP")] {
            if e.admits(Protocol::Tcp, Some(port))
                && e.protocol != Protocol::All
                && e.ports.from == e.ports.to
            {
                out.push(Diagnostic::new(
                    INFO.code,
                    Severity::Warning,
                    e.path.clone(),
                    format!(
                        "group {} admits {what} (tcp {port}) from {} and is attached to {}, not only bastions or jump hosts: admit {port} from the bastion's group instead",
                        g.name,
                        cx.graph.describe_peer(gi, &e.origin),
                        if others.is_empty() { "nothing yet".to_owned() } else { others.join(", ") }
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
    fn ssh_from_anywhere_to_an_app_host() {
        let d = findings(
            r#"[{"name": "app", "description": "a", "attached_to": [{"role": "app", "tier": "public"}],
                "ingress": [{"protocol": "tcp", "ports": 22, "peer": "internet"}]}]"#,
            "SG001",
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].path, "security_groups[0].ingress[0]");
    }

    #[test]
    fn quiet_for_a_bastion() {
        let d = findings(
            r#"[{"name": "bastion", "description": "b", "attached_to": [{"role": "bastion", "tier": "public"}],
                "ingress": [{"protocol": "tcp", "ports": 22, "peer": "internet"}]}]"#,
            "SG001",
        );
        assert!(d.is_empty());
    }
}
