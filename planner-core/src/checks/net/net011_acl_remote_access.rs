//! ## What it does
//! Warns when a network ACL of the design admits SSH (TCP 22) or RDP (TCP 3389) from anywhere
//! (`0.0.0.0/0` or `::/0`): an inbound allow rule whose protocol and ports cover the port and
//! that no earlier deny of the same block takes first. This is AWS Config's
//! `nacl-no-unrestricted-ssh-rdp`. The VPC's default ACL (AWS's allow-all) is not judged here.
//!
//! One rule is a bastion's door rather than an oversight, as `SG001` accepts of a bastion's
//! group: a rule for exactly that port, in an ACL of a tier where a bastion or jump host sits
//! whose group admits the port from anywhere. A range that merely holds the port is still
//! flagged.
//!
//! ## Why is this bad?
//! Remote administration ports open to the whole internet are scanned and brute-forced within
//! minutes of an address going live. The ACL is the subnet's last line: when a security group
//! is loosened by mistake, nothing else stands in the way.
//!
//! ## Example
//! ```json
//! {"network_acls": [{"name": "web", "tiers": ["public"],
//!   "ingress": [{"rule_number": 100, "action": "allow", "protocol": "tcp", "ports": 22,
//!                "cidr": "0.0.0.0/0"}]}]}
//! ```
//! Admit 22 only from the block that administers the hosts (`"cidr": "203.0.113.0/24"`), or
//! reach them through Session Manager and drop the rule. A range that holds the port (the
//! replies' `1024-65535` holds 3389) needs a deny of the port at a lower rule number.

use super::context::Context;
use crate::analysis::acl::Acls;
use crate::analysis::sg_graph::Graph;
use crate::design::acl::{AclAction, AclBlock};
use crate::design::sg::{PortRange, Protocol};
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};
use crate::resource::Direction;

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "NET011",
    name: "acl-unrestricted-ssh-rdp",
    severity: Severity::Warning,
    summary: "a network ACL admits SSH (22) or RDP (3389) from 0.0.0.0/0 or ::/0",
};

fn anywhere(b: AclBlock) -> bool {
    match b {
        AclBlock::Ipv4(c) => c.prefix_len() == 0,
        AclBlock::Ipv6(b) => b.is_any(),
    }
}

/// Whether a bastion or jump host in one of `tiers` has a group admitting TCP `port` from
/// anywhere.
fn bastion_door(graph: &Graph, tiers: &[String], port: u16) -> bool {
    graph.groups.iter().any(|g| {
        g.members
            .iter()
            .any(|m| m.role.is_remote_access_host() && tiers.contains(&m.tier))
            && g.ingress
                .iter()
                .any(|e| e.admits(Protocol::Tcp, Some(port)) && e.from_internet(&graph.vpc))
    })
}

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let design = &cx.plan.design;
    if design.network_acls.is_empty() {
        return;
    }
    let acls = Acls::new(design, &cx.plan.allocation);
    let graph = Graph::new(cx.plan);
    for acl in acls.acls.iter().filter(|a| a.default.is_none()) {
        let tiers: &[String] = design
            .network_acls
            .iter()
            .find(|a| a.name == acl.name)
            .map_or(&[], |a| a.tiers.as_slice());
        let rules = acl.rules(Direction::Ingress);
        for (i, r) in rules.iter().enumerate() {
            if r.action != AclAction::Allow
                || !anywhere(r.block)
                || !r.protocol.covers(Protocol::Tcp)
            {
                continue;
            }
            for (port, what) in [(22, "SSH"), (3389, "RDP")] {
                let earlier_deny = rules[..i].iter().any(|d| {
                    d.action == AclAction::Deny
                        && d.span.contains(r.span)
                        && d.protocol.covers(Protocol::Tcp)
                        && d.ports.contains(port)
                });
                if !r.ports.contains(port) || earlier_deny {
                    continue;
                }
                if r.ports == PortRange::one(port) && bastion_door(&graph, tiers, port) {
                    continue;
                }
                let fix = if r.ports == PortRange::one(port) {
                    "admit it only from the addresses that administer the hosts, or reach them through Session Manager".to_owned()
                } else {
                    format!(
                        "its range {} holds it: deny tcp {port} from {} at a lower rule number, or narrow the range",
                        r.ports, r.block
                    )
                };
                out.push(Diagnostic::new(
                    INFO.code,
                    Severity::Warning,
                    r.path.clone(),
                    format!(
                        "network ACL {} rule {} admits tcp {port} ({what}) from {}: {fix}",
                        acl.name, r.number, r.block
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{findings, BASE};

    fn with_ingress(rules: &str) -> String {
        BASE.replace(
            r#""nat": "gateway_per_az""#,
            &format!(
                r#""nat": "gateway_per_az", "network_acls": [{{"name": "web", "tiers": ["web"], "ingress": [{rules}]}}]"#
            ),
        )
    }

    #[test]
    fn triggers_on_ssh_and_rdp_from_anywhere() {
        let d = findings(
            &with_ingress(
                r#"{"rule_number": 100, "action": "allow", "protocol": "tcp", "ports": 22, "cidr": "0.0.0.0/0"},
                   {"rule_number": 110, "action": "allow", "protocol": "all", "ipv6_cidr": "::/0"}"#,
            ),
            "NET011",
        );
        let got: Vec<(&str, &str)> = d
            .iter()
            .map(|d| (d.path.as_str(), d.message.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("network_acls[0].ingress[0]", "network ACL web rule 100 admits tcp 22 (SSH) from 0.0.0.0/0: admit it only from the addresses that administer the hosts, or reach them through Session Manager"),
                ("network_acls[0].ingress[1]", "network ACL web rule 110 admits tcp 22 (SSH) from ::/0: its range 0-65535 holds it: deny tcp 22 from ::/0 at a lower rule number, or narrow the range"),
                ("network_acls[0].ingress[1]", "network ACL web rule 110 admits tcp 3389 (RDP) from ::/0: its range 0-65535 holds it: deny tcp 3389 from ::/0 at a lower rule number, or narrow the range"),
            ]
        );
    }

    #[test]
    fn quiet_when_restricted_denied_first_or_other_ports() {
        let d = findings(
            &with_ingress(
                r#"{"rule_number": 100, "action": "allow", "protocol": "tcp", "ports": 22, "cidr": "203.0.113.0/24"},
                   {"rule_number": 110, "action": "allow", "protocol": "tcp", "ports": 443, "cidr": "0.0.0.0/0"},
                   {"rule_number": 120, "action": "deny", "protocol": "tcp", "ports": "0-5000", "cidr": "0.0.0.0/0"},
                   {"rule_number": 130, "action": "allow", "protocol": "tcp", "ports": "0-65535", "cidr": "0.0.0.0/0"},
                   {"rule_number": 140, "action": "allow", "protocol": "udp", "ports": 22, "ipv6_cidr": "::/0"}"#,
            ),
            "NET011",
        );
        assert_eq!(d, []);
        // The default ACL's allow-all is AWS's, not the design's.
        assert_eq!(findings(BASE, "NET011"), []);
    }

    #[test]
    fn a_bastions_door_is_not_flagged_but_a_range_holding_it_is() {
        let rules = r#"{"rule_number": 100, "action": "allow", "protocol": "tcp", "ports": 22, "cidr": "0.0.0.0/0"},
                       {"rule_number": 110, "action": "allow", "protocol": "tcp", "ports": "1-1000", "cidr": "0.0.0.0/0"}"#;
        let bastion = with_ingress(rules).replace(
            r#""nat": "gateway_per_az""#,
            r#""nat": "gateway_per_az", "security_groups": [{"name": "bastion", "description": "b",
                "attached_to": [{"role": "bastion", "tier": "web"}],
                "ingress": [{"protocol": "tcp", "ports": 22, "peer": "internet"}]}]"#,
        );
        let d = findings(&bastion, "NET011");
        let paths: Vec<&str> = d.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(paths, ["network_acls[0].ingress[1]"], "{d:#?}");
        // The same group on an app server is no door.
        let app = bastion.replace(r#""role": "bastion""#, r#""role": "app""#);
        assert_eq!(findings(&app, "NET011").len(), 2);
    }
}
