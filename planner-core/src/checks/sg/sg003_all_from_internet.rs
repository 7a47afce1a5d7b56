//! ## What it does
//! Flags rules admitting every port or every protocol from the internet.
//!
//! ## Why is this bad?
//! Every service on the members is then public, including ones started later or by accident
//! (a debug server, a metrics endpoint). Admit the ports the members serve, one rule each.
//!
//! ## Example
//! ```json
//! {"ingress": [{"protocol": "all", "peer": "internet"}]}
//! ```
//! Use `{"protocol": "tcp", "ports": 443, "peer": "internet"}`.

use super::context::{internet_ingress, Context};
use crate::design::sg::{PortRange, Protocol};
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "SG003",
    name: "all-from-internet",
    severity: Severity::Warning,
    summary: "every port or every protocol admitted from the internet",
};

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for (gi, e) in internet_ingress(cx) {
        let what = match e.protocol {
            Protocol::All => "every protocol",
            Protocol::Tcp | Protocol::Udp if e.ports == PortRange::ALL => "every port",
            _ => continue,
        };
        out.push(Diagnostic::new(
            INFO.code,
            Severity::Warning,
            e.path.clone(),
            format!(
                "group {} admits {what}{} from {}: admit only the ports its members serve",
                cx.graph.groups[gi].name,
                if e.protocol == Protocol::All {
                    String::new()
                } else {
                    format!(" of {}", e.protocol)
                },
                cx.graph.describe_peer(gi, &e.origin)
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::sg::test_support::findings;

    #[test]
    fn all_tcp_from_anywhere() {
        let d = findings(
            r#"[{"name": "w", "description": "w", "attached_to": [{"role": "app", "tier": "public"}],
                "ingress": [{"protocol": "tcp", "peer": "internet"}]}]"#,
            "SG003",
        );
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("every port of tcp"));
    }

    #[test]
    fn quiet_for_one_port_or_the_vpc() {
        let d = findings(
            r#"[{"name": "w", "description": "w", "attached_to": [{"role": "app", "tier": "public"}],
                "ingress": [{"protocol": "tcp", "ports": 443, "peer": "internet"},
                            {"protocol": "all", "peer": "vpc"}]}]"#,
            "SG003",
        );
        assert!(d.is_empty());
    }
}
