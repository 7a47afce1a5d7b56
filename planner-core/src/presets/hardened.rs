//! What every hardened preset with a VPC adds to its network, whatever the guide: flow logs
//! of all traffic to CloudWatch Logs, the VPC's default security group emptied, and each tier
//! in a network ACL of its own that lets the guide's traffic through, so the default ACL can
//! be emptied too (`deny_all`, as CIS asks).
//!
//! Each tier's ACL, derived from the design's own security groups:
//!
//! - inbound: everything from the VPC's IPv4 blocks (the security groups decide between
//!   tiers); each protocol and port a group of the tier's members admits from anywhere
//!   (`0.0.0.0/0`, and `::/0` in an IPv6 VPC); and, for public and private tiers, the replies
//!   to the tier's own outbound connections, TCP and UDP to the ephemeral ports 1024–65535
//!   from anywhere, after a deny of RDP (3389, inside that range) unless a group admits it (for a private tier these arrive back through NAT, still from the remote
//!   address). In an IPv6 VPC every tier also takes everything from `::/0` that its route
//!   table could bring in, since the VPC's IPv6 block is only known once AWS assigns it: an
//!   ACL rule cannot name it.
//!   A bastion's SSH from anywhere stays admitted, since its group admits it (the guide's
//!   purpose; `NET011`, like `SG001`, accepts a bastion's door).
//! - outbound: everything, to anywhere for public and private tiers, to the VPC's blocks for
//!   isolated ones. What leaves is the security groups' business; the ACL's job here is the
//!   internet's way in.

use crate::cidr::Cidr;
use crate::design::acl::{AclAction, AclRule, NetworkAcl};
use crate::design::flow_logs::{FlowLogDestination, FlowLogTraffic, FlowLogs};
use crate::design::network::{DefaultNetworkAcl, Design, TierKind};
use crate::design::sg::{Ipv6Block, Peer, PortRange, Protocol};

/// Adds flow logs, the default group's and default ACL's restriction and an ACL per tier to
/// `design`, which must have a VPC.
pub(super) fn network(design: &mut Design) {
    let Some(vpc) = design.vpc.as_mut() else {
        return;
    };
    vpc.restrict_default_security_group = true;
    vpc.default_network_acl = Some(DefaultNetworkAcl::DenyAll);
    let ipv6 = vpc.ipv6;
    let blocks: Vec<_> = std::iter::once(vpc.cidr)
        .chain(vpc.secondary_cidrs.iter().copied())
        .collect();
    design.flow_logs = Some(FlowLogs {
        destination: FlowLogDestination::CloudwatchLogs,
        traffic: FlowLogTraffic::All,
        retention_days: 30,
        bucket_arn: None,
    });
    let anywhere: Cidr = "0.0.0.0/0".parse().expect("valid");
    let mut acls = Vec::new();
    for tier in &design.tiers {
        let outbound = tier.kind != TierKind::Isolated;
        let families: &[bool] = if ipv6 { &[false, true] } else { &[false] };
        let mut ingress = Rules::default();
        for &block in &blocks {
            ingress.allow(Protocol::All, None, Some(block), "everything from the VPC");
        }
        let mut opened: Vec<(Protocol, Option<PortRange>, bool)> = Vec::new();
        for found in internet_ingress(design, &tier.name, ipv6) {
            if !opened.contains(&found) {
                opened.push(found);
            }
        }
        for &(protocol, ports, v6) in &opened {
            let block = (!v6).then_some(anywhere);
            ingress.allow(
                protocol,
                ports,
                block,
                "what the tier's groups admit from anywhere",
            );
        }
        if outbound {
            let ephemeral = Some(PortRange {
                from: 1024,
                to: 65535,
            });
            // RDP sits in the ephemeral range: keep it out unless a group admits it.
            for &v6 in families {
                let admitted = opened.iter().any(|&(p, ports, o6)| {
                    o6 == v6 && p.covers(Protocol::Tcp) && ports.is_none_or(|r| r.contains(3389))
                });
                if !admitted {
                    let block = (!v6).then_some(anywhere);
                    let why = "no RDP from anywhere, ahead of the replies' range";
                    ingress.push(
                        AclAction::Deny,
                        Protocol::Tcp,
                        Some(PortRange::one(3389)),
                        block,
                        why,
                    );
                }
            }
            for &v6 in families {
                for protocol in [Protocol::Tcp, Protocol::Udp] {
                    let block = (!v6).then_some(anywhere);
                    ingress.allow(
                        protocol,
                        ephemeral,
                        block,
                        "replies to the tier's outbound connections",
                    );
                }
            }
        }
        let mut egress = Rules::default();
        if outbound {
            for &v6 in families {
                let block = (!v6).then_some(anywhere);
                egress.allow(
                    Protocol::All,
                    None,
                    block,
                    "everything out; the security groups decide",
                );
            }
        } else {
            for &block in &blocks {
                egress.allow(Protocol::All, None, Some(block), "everything to the VPC");
            }
        }
        acls.push(NetworkAcl {
            name: tier.name.clone(),
            tiers: vec![tier.name.clone()],
            ingress: ingress.rules,
            egress: egress.rules,
        });
    }
    design.network_acls = acls;
}

/// Rules numbered 100, 110, 120, … in the order they are added.
#[derive(Default)]
struct Rules {
    rules: Vec<AclRule>,
}

impl Rules {
    /// Allows `protocol` on `ports` from or to `block`, or `::/0` when `block` is `None`.
    fn allow(
        &mut self,
        protocol: Protocol,
        ports: Option<PortRange>,
        block: Option<Cidr>,
        why: &str,
    ) {
        self.push(AclAction::Allow, protocol, ports, block, why);
    }

    /// Adds the next rule.
    fn push(
        &mut self,
        action: AclAction,
        protocol: Protocol,
        ports: Option<PortRange>,
        block: Option<Cidr>,
        why: &str,
    ) {
        self.rules.push(AclRule {
            rule_number: 100 + 10 * self.rules.len() as u32,
            action,
            protocol,
            ports,
            cidr: block,
            ipv6_cidr: block
                .is_none()
                .then(|| Ipv6Block("::/0".parse().expect("valid"))),
            description: why.to_owned(),
        });
    }
}

/// Each protocol and port range a group of `tier`'s members admits from anywhere, and whether
/// over IPv6.
fn internet_ingress(
    design: &Design,
    tier: &str,
    ipv6: bool,
) -> Vec<(Protocol, Option<PortRange>, bool)> {
    let in_tier = |group: &str| {
        let attached = design
            .security_groups
            .iter()
            .any(|g| g.name == group && g.attached_to.iter().any(|a| a.tier == tier));
        let on_instance = design
            .instances
            .iter()
            .any(|i| i.tier == tier && i.security_groups.iter().any(|g| g == group));
        attached || on_instance
    };
    let mut out = Vec::new();
    for g in design.security_groups.iter().filter(|g| in_tier(&g.name)) {
        for r in &g.ingress {
            let ports = match r.protocol {
                Protocol::All => None,
                _ => r.ports,
            };
            let (v4, v6) = match &r.peer {
                Peer::Internet => (true, ipv6),
                Peer::Cidr(c) => (c.prefix_len() == 0, false),
                Peer::Ipv6Cidr(b) => (false, b.is_any()),
                _ => (false, false),
            };
            let v6_protocol = match r.protocol {
                Protocol::Icmp => None,
                p => Some(p),
            };
            if v4 && r.protocol != Protocol::Icmpv6 {
                out.push((r.protocol, ports, false));
            }
            if let (true, Some(p)) = (v6, v6_protocol) {
                out.push((p, ports, true));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::design::network::DefaultNetworkAcl;
    use crate::diag::Severity;

    #[test]
    fn every_hardened_preset_with_a_vpc_has_an_acl_per_tier_and_plans_clean() {
        for (preset, extra) in [
            (
                "tinystacks",
                &[("bastion", "true"), ("endpoints", "s3,ecr")][..],
            ),
            ("tinystacks", &[("nat", "none")][..]),
            ("titus", &[("ipv6", "true"), ("azs", "3")][..]),
            ("informatica", &[][..]),
        ] {
            let mut set = vec![("hardened", "true")];
            set.extend_from_slice(extra);
            let design = crate::presets::build(preset, &set).expect("builds");
            let vpc = design.vpc.as_ref().expect("a VPC");
            assert!(vpc.restrict_default_security_group);
            assert_eq!(vpc.default_network_acl, Some(DefaultNetworkAcl::DenyAll));
            assert!(design.flow_logs.is_some());
            for tier in &design.tiers {
                assert!(
                    design
                        .network_acls
                        .iter()
                        .any(|a| a.tiers.contains(&tier.name)),
                    "{preset}: tier {} has no ACL",
                    tier.name
                );
            }
            let planned = crate::plan(&design, None).expect("plans");
            let bad: Vec<_> = planned
                .diagnostics
                .iter()
                .filter(|d| d.severity != Severity::Info)
                .filter(|d| {
                    d.code.starts_with("NET01")
                        || d.code.starts_with("SG")
                        || d.code.starts_with("IAM")
                })
                .collect();
            assert!(bad.is_empty(), "{preset} {extra:?}: {bad:#?}");
        }
    }

    #[test]
    fn the_unhardened_guides_keep_aws_defaults() {
        let design = crate::presets::build("tinystacks", &[]).expect("builds");
        assert!(design.network_acls.is_empty() && design.flow_logs.is_none());
        assert_eq!(design.vpc.expect("a VPC").default_network_acl, None);
    }
}
