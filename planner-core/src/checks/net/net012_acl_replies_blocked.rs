//! ## What it does
//! Warns when a network ACL lets a service's traffic through one way but not its replies the
//! other way. ACLs are stateless: an inbound allow of TCP 443 from a block needs an outbound
//! allow of the clients' ephemeral ports to that block, and an outbound allow to a service
//! needs the inbound allow of its replies. The replies are checked on the ports clients draw
//! from (32768–65535, Linux's and Windows' ranges); the advice is AWS's, 1024–65535. Checked for every allow rule of TCP or UDP in the design's ACLs, except rules
//! that are themselves for replies (a range of a thousand ports or more above 1023).
//!
//! ## Why is this bad?
//! The requests get through and the answers are dropped: connections hang until they time
//! out, which looks like a dead service rather than a firewall. Security groups, being
//! stateful, would let the same traffic through, so the design looks right everywhere else.
//!
//! ## Example
//! ```json
//! {"name": "web", "tiers": ["public"],
//!  "ingress": [{"rule_number": 100, "action": "allow", "protocol": "tcp", "ports": 443,
//!               "cidr": "0.0.0.0/0"}],
//!  "egress": []}
//! ```
//! Add `{"rule_number": 100, "action": "allow", "protocol": "tcp", "ports": "1024-65535",
//! "cidr": "0.0.0.0/0"}` to `egress`.

use super::context::Context;
use crate::analysis::acl::{Acls, EPHEMERAL, EPHEMERAL_ADVISED};
use crate::analysis::acl_eval::{flip, Crossing};
use crate::design::acl::AclAction;
use crate::design::sg::{PortRange, Protocol};
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};
use crate::resource::Direction;

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "NET012",
    name: "acl-replies-blocked",
    severity: Severity::Warning,
    summary: "a network ACL allows a service one way but drops its replies the other way",
};

/// Whether `ports` reads as a range for replies rather than a service.
fn for_replies(ports: PortRange) -> bool {
    ports.from >= 1024 && ports.to - ports.from >= 1000
}

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let acls = Acls::new(&cx.plan.design, &cx.plan.allocation);
    for acl in acls.acls.iter().filter(|a| a.default.is_none()) {
        for dir in [Direction::Ingress, Direction::Egress] {
            let back = flip(dir);
            for r in acl.rules(dir) {
                if r.action != AclAction::Allow
                    || !matches!(r.protocol, Protocol::Tcp | Protocol::Udp)
                    || for_replies(r.ports)
                {
                    continue;
                }
                let Crossing::Drop(d) = acl.check_all(back, r.protocol, EPHEMERAL, r.span) else {
                    continue;
                };
                let (toward, from, side, fix) = match dir {
                    Direction::Ingress => ("admits", "from", "to", "an outbound"),
                    Direction::Egress => ("lets out", "to", "from", "an inbound"),
                };
                let why = match d.rule {
                    Some(i) => format!(
                        "its rule {} denies the replies ({} {}) {side} {}",
                        acl.rules(back)[i].number,
                        d.protocol,
                        d.ports,
                        acl.rules(back)[i].block
                    ),
                    None => format!(
                        "no rule allows the replies ({} {}) {side} it",
                        d.protocol, d.ports
                    ),
                };
                out.push(Diagnostic::new(
                    INFO.code,
                    Severity::Warning,
                    r.path.clone(),
                    format!(
                        "network ACL {} {toward} {} {} {from} {} (rule {}) but {why}: add {fix} allow of {} {} {side} {} ahead of any deny",
                        acl.name, r.protocol, r.ports, r.block, r.number, r.protocol, EPHEMERAL_ADVISED, r.block
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{findings, BASE};

    fn with_acl(ingress: &str, egress: &str) -> String {
        BASE.replace(
            r#""nat": "gateway_per_az""#,
            &format!(
                r#""nat": "gateway_per_az", "network_acls": [{{"name": "web", "tiers": ["web"], "ingress": [{ingress}], "egress": [{egress}]}}]"#
            ),
        )
    }

    const HTTPS_IN: &str = r#"{"rule_number": 100, "action": "allow", "protocol": "tcp", "ports": 443, "cidr": "0.0.0.0/0"}"#;
    const REPLIES_OUT: &str = r#"{"rule_number": 100, "action": "allow", "protocol": "tcp", "ports": "1024-65535", "cidr": "0.0.0.0/0"}"#;

    #[test]
    fn triggers_without_the_replies_either_way() {
        let d = findings(&with_acl(HTTPS_IN, ""), "NET012");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].path, "network_acls[0].ingress[0]");
        assert_eq!(
            d[0].message,
            "network ACL web admits tcp 443 from 0.0.0.0/0 (rule 100) but no rule allows the replies (tcp 32768-65535) to it: add an outbound allow of tcp 1024-65535 to 0.0.0.0/0 ahead of any deny"
        );
        // An outbound call whose replies meet a deny coming back in.
        let d = findings(
            &with_acl(
                r#"{"rule_number": 50, "action": "deny", "protocol": "tcp", "ports": "1024-65535", "cidr": "0.0.0.0/0"}"#,
                r#"{"rule_number": 100, "action": "allow", "protocol": "tcp", "ports": 443, "cidr": "0.0.0.0/0"}"#,
            ),
            "NET012",
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].path, "network_acls[0].egress[0]");
        assert!(
            d[0].message
                .contains("but its rule 50 denies the replies (tcp 32768-65535) from 0.0.0.0/0"),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn quiet_with_replies_both_ways() {
        let ingress = format!(
            r#"{HTTPS_IN}, {{"rule_number": 110, "action": "allow", "protocol": "tcp", "ports": "1024-65535", "cidr": "0.0.0.0/0"}}"#
        );
        let egress = format!(
            r#"{REPLIES_OUT}, {{"rule_number": 110, "action": "allow", "protocol": "tcp", "ports": 5432, "cidr": "10.0.0.0/16"}}"#
        );
        assert_eq!(findings(&with_acl(&ingress, &egress), "NET012"), []);
    }

    #[test]
    fn a_deny_of_rdp_ahead_of_the_replies_drops_none() {
        // What AWS Config and Security Hub (EC2.21) ask: no 3389 from anywhere, even in the
        // replies' range. No client draws its port from below 32768.
        let ingress = format!(
            r#"{HTTPS_IN}, {{"rule_number": 105, "action": "deny", "protocol": "tcp", "ports": 3389, "cidr": "0.0.0.0/0"}},
               {{"rule_number": 110, "action": "allow", "protocol": "tcp", "ports": "1024-65535", "cidr": "0.0.0.0/0"}}"#
        );
        let egress = r#"{"rule_number": 100, "action": "allow", "protocol": "tcp", "ports": 443, "cidr": "0.0.0.0/0"},
                        {"rule_number": 110, "action": "allow", "protocol": "tcp", "ports": "1024-65535", "cidr": "0.0.0.0/0"}"#;
        let design = with_acl(&ingress, egress);
        assert_eq!(findings(&design, "NET012"), []);
        assert_eq!(findings(&design, "NET011"), []);
    }
}
