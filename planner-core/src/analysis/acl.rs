//! Network ACLs as reachability sees them, the way AWS applies them: stateless, on the edge of
//! a subnet; inbound rules match the source address, outbound rules the destination; a tier in
//! no ACL of the design uses the VPC's default one. This module holds the ACLs of a plan
//! ([`Acls`]), their rules ready to evaluate ([`Entry`]) and addresses as ranges ([`Span`]);
//! [`super::acl_eval`] evaluates them.
//!
//! The reply to TCP and UDP goes back to the client's ephemeral port, which its operating
//! system draws from its own range: 32768–60999 on Linux (Amazon Linux, containers),
//! 49152–65535 on Windows. A reply is taken to get through when the ACL admits all of
//! [`EPHEMERAL`] (32768–65535, both together), not only part of it. AWS's network ACL
//! documentation says to allow 1024–65535 for replies, which also covers NAT gateways and load
//! balancers (their ports are drawn from all of it); the findings suggest that range. Checking
//! only the clients' ranges keeps the advice of AWS Config and Security Hub (EC2.21) sound: a
//! deny of RDP's 3389 ahead of the 1024–65535 allow drops no reply. ICMP replies are other
//! ICMP types (an echo reply answers an echo request) and are not checked; other protocols
//! (`all`) reply with the same protocol.

use std::collections::BTreeMap;

use ipnet::Ipv6Net;

use crate::alloc::Allocation;
use crate::cidr::Cidr;
use crate::design::acl::{AclAction, AclBlock};
use crate::design::network::{DefaultNetworkAcl, Design};
use crate::design::sg::{PortRange, Protocol};
use crate::resource::Direction;

/// The client ports replies are checked on: 32768–65535, the ephemeral ranges of Linux
/// (32768–60999) and Windows (49152–65535) together.
pub const EPHEMERAL: PortRange = PortRange {
    from: 32768,
    to: 65535,
};

/// The range AWS's network ACL documentation says to allow for replies, which the findings
/// suggest: 1024–65535.
pub const EPHEMERAL_ADVISED: PortRange = PortRange {
    from: 1024,
    to: 65535,
};

/// The kinds of traffic rules tell apart, in this order; [`Protocol::All`] stands for every
/// other protocol (GRE, ESP, …), which only rules of protocol `all` match.
pub const TRAFFIC: [Protocol; 5] = [
    Protocol::Tcp,
    Protocol::Udp,
    Protocol::Icmp,
    Protocol::Icmpv6,
    Protocol::All,
];

/// Blocks that are not the internet, besides the VPC's own.
pub(crate) const PRIVATE_V4: [&str; 6] = [
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
];

/// IPv6 blocks that are not the internet: unique-local and link-local.
pub(crate) const LOCAL_V6: [&str; 2] = ["fc00::/7", "fe80::/10"];

/// An inclusive range of addresses of one family.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// Whether the addresses are IPv6.
    pub v6: bool,
    /// The first address.
    pub lo: u128,
    /// The last address.
    pub hi: u128,
}

impl Span {
    /// The addresses of an IPv4 block.
    pub fn v4(c: Cidr) -> Span {
        let lo = u128::from(u32::from(c.network()));
        Span {
            v6: false,
            lo,
            hi: lo + u128::from(c.size()) - 1,
        }
    }

    /// The addresses of an IPv6 block.
    pub fn v6(n: Ipv6Net) -> Span {
        Span {
            v6: true,
            lo: u128::from(n.network()),
            hi: u128::from(n.broadcast()),
        }
    }

    /// The addresses of a rule's block.
    pub fn of(b: AclBlock) -> Span {
        match b {
            AclBlock::Ipv4(c) => Span::v4(c),
            AclBlock::Ipv6(b) => Span::v6(b.0),
        }
    }

    /// How many addresses, saturating at `u128::MAX` for all of IPv6.
    pub fn size(self) -> u128 {
        (self.hi - self.lo).saturating_add(1)
    }

    /// Whether every address of `other` is in this span.
    pub fn contains(self, other: Span) -> bool {
        self.v6 == other.v6 && self.lo <= other.lo && other.hi <= self.hi
    }

    /// Whether the spans share an address.
    pub fn overlaps(self, other: Span) -> bool {
        self.v6 == other.v6 && self.lo <= other.hi && other.lo <= self.hi
    }
}

/// The internet's addresses of one family: every address outside the private ranges and the
/// VPC's blocks (IPv4), or outside unique-local and link-local space (IPv6).
pub fn internet_spans(v6: bool, vpc: &[Cidr]) -> Vec<Span> {
    let mut holes: Vec<Span> = if v6 {
        LOCAL_V6
            .iter()
            .map(|s| Span::v6(s.parse().expect("valid")))
            .collect()
    } else {
        PRIVATE_V4
            .iter()
            .map(|s| Span::v4(s.parse().expect("valid")))
            .chain(vpc.iter().map(|&c| Span::v4(c)))
            .collect()
    };
    holes.sort();
    let max = if v6 { u128::MAX } else { u128::from(u32::MAX) };
    let mut out = Vec::new();
    let mut next = 0u128;
    let mut done = false;
    for h in holes {
        if h.lo > next {
            out.push(Span {
                v6,
                lo: next,
                hi: h.lo - 1,
            });
        }
        if h.hi >= next {
            if h.hi == max {
                done = true;
                break;
            }
            next = h.hi + 1;
        }
    }
    if !done {
        out.push(Span {
            v6,
            lo: next,
            hi: max,
        });
    }
    out
}

/// One rule of an ACL, ready to evaluate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Its number; lower numbers are evaluated first.
    pub number: u32,
    /// Allow or deny.
    pub action: AclAction,
    /// The protocol it matches (`all`: every protocol).
    pub protocol: Protocol,
    /// The ports (or ICMP types) it matches; every port for `all` or when the design gave none.
    pub ports: PortRange,
    /// The block it matches: the source inbound, the destination outbound.
    pub block: AclBlock,
    /// `block` as a range of addresses.
    pub span: Span,
    /// JSON path of the rule in the design; empty for the default ACL's rules.
    pub path: String,
}

/// One network ACL: a design's, or the VPC's default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Acl {
    /// The design's name for it; `default` for the VPC's default ACL.
    pub name: String,
    /// JSON path in the design (`network_acls[0]`, or `vpc.default_network_acl`).
    pub path: String,
    /// For the VPC's default ACL, what the design keeps it as (absent: AWS's allow-all).
    pub default: Option<DefaultNetworkAcl>,
    /// Inbound rules in number order.
    pub ingress: Vec<Entry>,
    /// Outbound rules in number order.
    pub egress: Vec<Entry>,
}

impl Acl {
    /// How messages name it: `network ACL data`, `the VPC's default network ACL (deny_all)`.
    pub fn label(&self) -> String {
        match self.default {
            None => format!("network ACL {}", self.name),
            Some(DefaultNetworkAcl::AllowAll) => "the VPC's default network ACL".to_owned(),
            Some(DefaultNetworkAcl::DenyAll) => {
                "the VPC's default network ACL (deny_all)".to_owned()
            }
        }
    }

    /// Whether it is the default ACL with AWS's rules, which allow everything: paths through
    /// it show no hop for it.
    pub fn allows_everything(&self) -> bool {
        self.default == Some(DefaultNetworkAcl::AllowAll)
    }

    /// The rules of one direction, in number order.
    pub fn rules(&self, dir: Direction) -> &[Entry] {
        match dir {
            Direction::Ingress => &self.ingress,
            Direction::Egress => &self.egress,
        }
    }
}

/// One subnet as the ACLs see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subnet {
    /// Its tier.
    pub tier: String,
    /// Its availability zone.
    pub zone: String,
    /// Its IPv4 block.
    pub cidr: Cidr,
    /// The ACL it uses, an index into [`Acls::acls`].
    pub acl: usize,
}

/// Every ACL of a plan and which subnets use which.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Acls {
    /// The design's ACLs in design order, then the VPC's default ACL.
    pub acls: Vec<Acl>,
    /// Every subnet, in allocation order.
    pub subnets: Vec<Subnet>,
    tier_acl: BTreeMap<String, usize>,
}

fn entries(path: &str, dir: &str, rules: &[crate::design::acl::AclRule]) -> Vec<Entry> {
    let mut out: Vec<Entry> = rules
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let block = r.block()?;
            Some(Entry {
                number: r.rule_number,
                action: r.action,
                protocol: r.protocol,
                ports: r.port_range(),
                block,
                span: Span::of(block),
                path: format!("{path}.{dir}[{i}]"),
            })
        })
        .collect();
    out.sort_by_key(|e| e.number);
    out
}

impl Acls {
    /// The ACLs of `design` over the subnets of `allocation`.
    pub fn new(design: &Design, allocation: &Allocation) -> Acls {
        let mut acls: Vec<Acl> = design
            .network_acls
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let path = format!("network_acls[{i}]");
                Acl {
                    name: a.name.clone(),
                    ingress: entries(&path, "ingress", &a.ingress),
                    egress: entries(&path, "egress", &a.egress),
                    path,
                    default: None,
                }
            })
            .collect();
        let kept = design
            .vpc
            .as_ref()
            .and_then(|v| v.default_network_acl)
            .unwrap_or(DefaultNetworkAcl::AllowAll);
        let all = |number: u32, block: AclBlock| Entry {
            number,
            action: AclAction::Allow,
            protocol: Protocol::All,
            ports: PortRange::ALL,
            block,
            span: Span::of(block),
            path: String::new(),
        };
        let aws_rules = || match kept {
            DefaultNetworkAcl::AllowAll => vec![
                all(100, AclBlock::Ipv4("0.0.0.0/0".parse().expect("valid"))),
                all(
                    101,
                    AclBlock::Ipv6(crate::design::sg::Ipv6Block("::/0".parse().expect("valid"))),
                ),
            ],
            DefaultNetworkAcl::DenyAll => Vec::new(),
        };
        acls.push(Acl {
            name: "default".to_owned(),
            path: "vpc.default_network_acl".to_owned(),
            default: Some(kept),
            ingress: aws_rules(),
            egress: aws_rules(),
        });
        let default = acls.len() - 1;
        let tier_acl: BTreeMap<String, usize> = design
            .network_acls
            .iter()
            .enumerate()
            .flat_map(|(i, a)| a.tiers.iter().map(move |t| (t.clone(), i)))
            .collect();
        let subnets = allocation
            .subnets
            .iter()
            .map(|s| Subnet {
                tier: s.tier.clone(),
                zone: s.availability_zone.clone(),
                cidr: s.cidr,
                acl: tier_acl.get(&s.tier).copied().unwrap_or(default),
            })
            .collect();
        Acls {
            acls,
            subnets,
            tier_acl,
        }
    }

    /// The index of the ACL the subnets of `tier` use.
    pub fn acl_of(&self, tier: &str) -> usize {
        self.tier_acl
            .get(tier)
            .copied()
            .unwrap_or(self.acls.len() - 1)
    }

    /// The subnets of `tier`, with their indexes.
    pub fn subnets_of<'a>(&'a self, tier: &'a str) -> impl Iterator<Item = (usize, &'a Subnet)> {
        self.subnets
            .iter()
            .enumerate()
            .filter(move |(_, s)| s.tier == tier)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_internet_is_everything_but_private_space_and_the_vpc() {
        let spans = internet_spans(false, &["10.0.0.0/16".parse().unwrap()]);
        let first = spans[0];
        assert_eq!(
            (first.lo, first.hi),
            (
                0,
                u128::from(u32::from(std::net::Ipv4Addr::new(9, 255, 255, 255)))
            )
        );
        assert!(spans
            .iter()
            .all(|s| !s.overlaps(Span::v4("192.168.0.0/16".parse().unwrap()))));
        assert_eq!(spans.last().unwrap().hi, u128::from(u32::MAX));
        let v6 = internet_spans(true, &[]);
        assert!(v6
            .iter()
            .all(|s| !s.overlaps(Span::v6("fd00::/8".parse().unwrap()))));
        assert_eq!(v6.last().unwrap().hi, u128::MAX);
    }
}
