//! From the design's rules to concrete peers: `internet`, `vpc` and `{"tier": …}` become the
//! blocks they stand for, `self` and `{"group": …}` become group references.

use std::borrow::Cow;

use ipnet::Ipv6Net;

use super::model::{Attachment, MemberRole, Peer, Rule, SecurityGroup};
use crate::alloc::Allocation;
use crate::cidr::Cidr;
use crate::design::Design;

/// The name of the group the planner adds for NAT instances.
pub const NAT_GROUP: &str = "nat-instance";

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

/// The design's groups plus the ones the planner adds (the NAT instances' group).
pub fn effective_groups(design: &Design) -> Cow<'_, [SecurityGroup]> {
    if !design.nat.uses_instances()
        || !design
            .tiers
            .iter()
            .any(|t| t.kind == crate::TierKind::Private)
    {
        return Cow::Borrowed(&design.security_groups);
    }
    let mut groups = design.security_groups.clone();
    let public = design
        .tiers
        .iter()
        .find(|t| t.kind == crate::TierKind::Public);
    groups.push(SecurityGroup {
        name: NAT_GROUP.to_owned(),
        description: "NAT instances: all traffic from the VPC, all traffic out".to_owned(),
        attached_to: public
            .map(|t| Attachment {
                role: MemberRole::NatInstance,
                tier: t.name.clone(),
                name: Some("nat".to_owned()),
                public_address: Some(true),
            })
            .into_iter()
            .collect(),
        ingress: vec![Rule {
            protocol: super::Protocol::All,
            ports: None,
            peer: Peer::Vpc,
            description: "traffic from the VPC to forward".to_owned(),
        }],
        egress: Vec::new(),
        default_egress: true,
    });
    Cow::Owned(groups)
}

/// The concrete peers of `rule` in group `own`.
pub fn resolve(design: &Design, allocation: &Allocation, own: &str, peer: &Peer) -> Vec<Resolved> {
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
