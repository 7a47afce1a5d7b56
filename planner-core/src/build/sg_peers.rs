//! From the design's rules to concrete peers: `internet`, `vpc` and `{"tier": …}` become the
//! blocks they stand for, `self` and `{"group": …}` become group references.

use ipnet::Ipv6Net;

use crate::alloc::Allocation;
use crate::cidr::Cidr;
use crate::design::network::Design;
use crate::design::sg::{Peer, Protocol, Rule};

/// A rule's peer once resolved.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Resolved {
    /// A group of the design, by name.
    Group(String),
    /// An IPv4 block.
    V4(Cidr),
    /// An IPv6 block.
    V6(Ipv6Net),
}

/// The concrete peers of `rule` in group `own`. ICMP rules keep only IPv4 peers and ICMPv6
/// rules only IPv6 ones: `internet` in an IPv6 VPC means 0.0.0.0/0 for the one and ::/0 for
/// the other, never an ICMPv4 rule for ::/0.
pub fn resolve(design: &Design, allocation: &Allocation, own: &str, rule: &Rule) -> Vec<Resolved> {
    let mut peers = resolve_peer(design, allocation, own, &rule.peer);
    match rule.protocol {
        Protocol::Icmp => peers.retain(|p| !matches!(p, Resolved::V6(_))),
        Protocol::Icmpv6 => peers.retain(|p| !matches!(p, Resolved::V4(_))),
        _ => {}
    }
    peers
}

fn resolve_peer(design: &Design, allocation: &Allocation, own: &str, peer: &Peer) -> Vec<Resolved> {
    match peer {
        Peer::Internet => {
            let mut v = vec![Resolved::V4("0.0.0.0/0".parse().expect("valid"))];
            if design.vpc().ipv6 {
                v.push(Resolved::V6(Ipv6Net::default()));
            }
            v
        }
        Peer::SelfGroup => vec![Resolved::Group(own.to_owned())],
        Peer::Group(g) => vec![Resolved::Group(g.clone())],
        Peer::Vpc => std::iter::once(design.vpc().cidr)
            .chain(design.vpc().secondary_cidrs.iter().copied())
            .map(Resolved::V4)
            .collect(),
        Peer::Tier(t) => allocation
            .subnets
            .iter()
            .filter(|s| s.tier == *t)
            .map(|s| Resolved::V4(s.cidr))
            .collect(),
        Peer::Cidr(c) => vec![Resolved::V4(*c)],
        Peer::Ipv6Cidr(b) => vec![Resolved::V6(b.0)],
    }
}

#[cfg(test)]
mod tests {
    use crate::resource::{ResourceKind, RulePeer};

    #[test]
    fn icmp_from_the_internet_stays_ipv4_and_icmpv6_ipv6() {
        let design = crate::parse_design(
            r#"{"name": "d", "region": "us-east-1", "vpc": {"cidr": "10.0.0.0/16", "ipv6": true},
                "availability_zones": 1,
                "tiers": [{"name": "public", "kind": "public", "size": {"prefix": 24}}],
                "security_groups": [{"name": "ping", "description": "p",
                  "attached_to": [{"role": "generic", "tier": "public"}],
                  "ingress": [{"protocol": "icmp", "peer": "internet"},
                              {"protocol": "icmpv6", "peer": "internet"},
                              {"protocol": "tcp", "ports": 22, "peer": "internet"}]}]}"#,
        )
        .unwrap();
        let plan = crate::plan(&design, None).unwrap().plan;
        let rules: Vec<(String, bool)> = plan
            .resources
            .iter()
            .filter_map(|r| match &r.kind {
                ResourceKind::SecurityGroupRule { protocol, peer, .. } => {
                    Some((protocol.to_string(), matches!(peer, RulePeer::CidrIpv6(_))))
                }
                _ => None,
            })
            .collect();
        assert_eq!(
            rules,
            [
                ("icmp".to_owned(), false),
                ("icmpv6".to_owned(), true),
                ("tcp".to_owned(), false),
                ("tcp".to_owned(), true)
            ]
        );
    }
}
