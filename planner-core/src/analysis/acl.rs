//! Network ACLs as reachability evaluates them, the way AWS does: stateless, on the edge of a
//! subnet, rules in number order, the first rule whose protocol, ports and block match decides,
//! and what no rule matches meets the final deny (`*`). Inbound rules match the source address,
//! outbound rules the destination. Traffic between two addresses of one subnet crosses no ACL.
//!
//! Traffic is a protocol and a port range; a crossing lets it through only when every port of
//! the range is allowed. Addresses are inclusive ranges ([`Span`]) cut into pieces that every
//! rule holds whole or not at all, so each piece is decided exactly.
//!
//! The reply to TCP and UDP goes back to the client's ephemeral ports, taken as
//! [`EPHEMERAL`] (1024–65535), the range AWS's network ACL documentation says to allow for
//! replies because it covers the clients of every operating system. ICMP replies are other
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

/// The client ports replies go back to: 1024–65535, the range AWS's network ACL
/// documentation says to allow for replies.
pub const EPHEMERAL: PortRange = PortRange {
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

/// What decides a part of some traffic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    /// The rule at this index of the direction's rules allows it.
    Allow(usize),
    /// The rule at this index denies it.
    Deny(usize),
    /// No rule matches: the final deny `*` drops it.
    FinalDeny,
}

/// The verdicts of `rules` (in number order) on `p` traffic to `asked` ports from or to the
/// addresses of `piece`, which every rule holds whole or not at all; appended to `out` as
/// (ports, verdict), in the order the rules decide them.
pub fn decide(
    rules: &[Entry],
    piece: Span,
    p: Protocol,
    asked: PortRange,
    out: &mut Vec<(PortRange, Verdict)>,
) {
    let mut rest = vec![asked];
    let mut next = Vec::new();
    for (i, r) in rules.iter().enumerate() {
        if rest.is_empty() {
            return;
        }
        if !r.protocol.covers(p) || !r.span.contains(piece) {
            continue;
        }
        let verdict = match r.action {
            AclAction::Allow => Verdict::Allow(i),
            AclAction::Deny => Verdict::Deny(i),
        };
        for range in rest.drain(..) {
            let (lo, hi) = (range.from.max(r.ports.from), range.to.min(r.ports.to));
            if lo > hi {
                next.push(range);
                continue;
            }
            out.push((PortRange { from: lo, to: hi }, verdict));
            if range.from < lo {
                next.push(PortRange {
                    from: range.from,
                    to: lo - 1,
                });
            }
            if hi < range.to {
                next.push(PortRange {
                    from: hi + 1,
                    to: range.to,
                });
            }
        }
        std::mem::swap(&mut rest, &mut next);
    }
    out.extend(rest.into_iter().map(|r| (r, Verdict::FinalDeny)));
}

/// `targets` (sorted spans of one family) cut at every edge of the blocks of `rule_sets`, so
/// that every rule holds each piece whole or not at all.
pub fn pieces(targets: &[Span], rule_sets: &[&[Entry]]) -> Vec<Span> {
    let mut cuts: Vec<u128> = Vec::new();
    for r in rule_sets.iter().flat_map(|s| s.iter()) {
        if targets.iter().any(|t| t.overlaps(r.span)) {
            cuts.push(r.span.lo);
            if let Some(after) = r.span.hi.checked_add(1) {
                cuts.push(after);
            }
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::new();
    for t in targets {
        let mut lo = t.lo;
        let start = cuts.partition_point(|&c| c <= t.lo);
        for &c in cuts[start..].iter().take_while(|&&c| c <= t.hi) {
            out.push(Span {
                v6: t.v6,
                lo,
                hi: c - 1,
            });
            lo = c;
        }
        out.push(Span {
            v6: t.v6,
            lo,
            hi: t.hi,
        });
    }
    out
}

/// The part of some traffic a crossing drops, and what drops it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dropped {
    /// The rule that denies it (index into the direction's rules); `None`: the final deny.
    pub rule: Option<usize>,
    /// The protocol dropped.
    pub protocol: Protocol,
    /// The ports (or ICMP types) dropped: the first range a verdict drops.
    pub ports: PortRange,
    /// The addresses it was dropped for (the first piece dropped).
    pub remote: Span,
}

/// How one crossing ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Crossing {
    /// Everything gets through, allowed by these rules (indexes into the direction's rules).
    Pass(Vec<usize>),
    /// Part of it is dropped.
    Drop(Dropped),
}

fn note(allowed: &mut Vec<usize>, i: usize) {
    if !allowed.contains(&i) {
        allowed.push(i);
    }
}

impl Acl {
    /// Whether every address of `remote` gets `p` traffic on every port of `ports` through
    /// this ACL in `dir`; otherwise the first part dropped.
    pub fn check_all(
        &self,
        dir: Direction,
        p: Protocol,
        ports: PortRange,
        remote: Span,
    ) -> Crossing {
        if self.allows_everything() {
            return Crossing::Pass(Vec::new());
        }
        let rules = self.rules(dir);
        let mut allowed = Vec::new();
        let mut verdicts = Vec::new();
        for piece in pieces(&[remote], &[rules]) {
            verdicts.clear();
            decide(rules, piece, p, ports, &mut verdicts);
            verdicts.sort_by_key(|(r, _)| r.from);
            for &(range, v) in &verdicts {
                match v {
                    Verdict::Allow(i) => note(&mut allowed, i),
                    Verdict::Deny(i) => return Crossing::Drop(dropped(Some(i), p, range, piece)),
                    Verdict::FinalDeny => return Crossing::Drop(dropped(None, p, range, piece)),
                }
            }
        }
        allowed.sort_unstable();
        Crossing::Pass(allowed)
    }

    /// The ports of `p` that every address of `remote` gets through in `dir`, sorted and
    /// disjoint.
    pub fn ports_all(&self, dir: Direction, p: Protocol, remote: Span) -> Vec<PortRange> {
        if self.allows_everything() {
            return vec![PortRange::ALL];
        }
        let rules = self.rules(dir);
        let mut verdicts = Vec::new();
        let mut out = vec![PortRange::ALL];
        for piece in pieces(&[remote], &[rules]) {
            verdicts.clear();
            decide(rules, piece, p, PortRange::ALL, &mut verdicts);
            let allowed = normalize(
                verdicts
                    .iter()
                    .filter(|(_, v)| matches!(v, Verdict::Allow(_)))
                    .map(|(r, _)| *r)
                    .collect(),
            );
            out = intersect(&out, &allowed);
            if out.is_empty() {
                break;
            }
        }
        out
    }

    /// Whether some address of `internet` (spans of one family) gets a request of `p` to
    /// `ports` through in `dir` and its reply (see [`reply_of`]) back through in the other
    /// direction. A deny stops the internet only where it covers every address the allows
    /// would let through: an allow for part of the internet admits it.
    pub fn check_internet(
        &self,
        dir: Direction,
        p: Protocol,
        ports: PortRange,
        internet: &[Span],
    ) -> InternetCrossing {
        let back = flip(dir);
        let (rules, replies) = (self.rules(dir), self.rules(back));
        let reply = reply_of(p);
        let mut request_drops: BTreeMap<(Option<usize>, PortRange), (u128, Span)> = BTreeMap::new();
        let mut reply_drops: BTreeMap<(Option<usize>, PortRange), (u128, Span)> = BTreeMap::new();
        let mut verdicts = Vec::new();
        let tally = |m: &mut BTreeMap<(Option<usize>, PortRange), (u128, Span)>,
                     rule: Option<usize>,
                     range: PortRange,
                     piece: Span| {
            let e = m.entry((rule, range)).or_insert((0, piece));
            e.0 = e.0.saturating_add(piece.size());
        };
        for piece in pieces(internet, &[rules, replies]) {
            verdicts.clear();
            decide(rules, piece, p, ports, &mut verdicts);
            verdicts.sort_by_key(|(r, _)| r.from);
            let mut request = Vec::new();
            let first_drop = verdicts.iter().find_map(|&(range, v)| match v {
                Verdict::Allow(i) => {
                    note(&mut request, i);
                    None
                }
                Verdict::Deny(i) => Some((Some(i), range)),
                Verdict::FinalDeny => Some((None, range)),
            });
            if let Some((rule, range)) = first_drop {
                tally(&mut request_drops, rule, range, piece);
                continue;
            }
            let Some((rp, rports)) = reply else {
                request.sort_unstable();
                return InternetCrossing::Pass {
                    request,
                    reply: Vec::new(),
                };
            };
            match self.check_all(back, rp, rports, piece) {
                Crossing::Pass(reply) => {
                    request.sort_unstable();
                    return InternetCrossing::Pass { request, reply };
                }
                Crossing::Drop(d) => tally(&mut reply_drops, d.rule, d.ports, piece),
            }
        }
        let heaviest = |m: &BTreeMap<(Option<usize>, PortRange), (u128, Span)>| {
            m.iter()
                .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.0.cmp(a.0)))
                .map(|(&(rule, range), &(_, piece))| (rule, range, piece))
        };
        let (is_reply, (rule, range, piece)) = match heaviest(&reply_drops) {
            Some(d) => (true, d),
            None => match heaviest(&request_drops) {
                Some(d) => (false, d),
                // No internet address at all: nothing to drop, nothing to pass.
                None => {
                    return InternetCrossing::Drop {
                        reply: false,
                        dropped: dropped(
                            None,
                            p,
                            ports,
                            internet.first().copied().unwrap_or(Span {
                                v6: false,
                                lo: 0,
                                hi: 0,
                            }),
                        ),
                    }
                }
            },
        };
        let protocol = if is_reply {
            reply.map_or(p, |r| r.0)
        } else {
            p
        };
        InternetCrossing::Drop {
            reply: is_reply,
            dropped: dropped(rule, protocol, range, piece),
        }
    }

    /// The ports of `p` some address of `internet` gets through in `dir` with its reply back
    /// in the other direction, sorted and disjoint.
    pub fn internet_ports(&self, dir: Direction, p: Protocol, internet: &[Span]) -> Vec<PortRange> {
        if self.allows_everything() {
            return vec![PortRange::ALL];
        }
        let back = flip(dir);
        let (rules, replies) = (self.rules(dir), self.rules(back));
        let reply = reply_of(p);
        let mut out = Vec::new();
        let mut verdicts = Vec::new();
        for piece in pieces(internet, &[rules, replies]) {
            if let Some((rp, rports)) = reply {
                if !matches!(self.check_all(back, rp, rports, piece), Crossing::Pass(_)) {
                    continue;
                }
            }
            verdicts.clear();
            decide(rules, piece, p, PortRange::ALL, &mut verdicts);
            out.extend(
                verdicts
                    .iter()
                    .filter(|(_, v)| matches!(v, Verdict::Allow(_)))
                    .map(|(r, _)| *r),
            );
        }
        normalize(out)
    }
}

/// How a crossing by internet traffic ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InternetCrossing {
    /// Some internet address gets through, by these rules of the request's direction and of
    /// the reply's.
    Pass {
        /// Rules allowing the request.
        request: Vec<usize>,
        /// Rules allowing the reply.
        reply: Vec<usize>,
    },
    /// No internet address gets through; what drops the most of it.
    Drop {
        /// Whether it is the reply that is dropped (the request got through).
        reply: bool,
        /// What is dropped.
        dropped: Dropped,
    },
}

fn dropped(rule: Option<usize>, protocol: Protocol, ports: PortRange, remote: Span) -> Dropped {
    Dropped {
        rule,
        protocol,
        ports,
        remote,
    }
}

/// The other direction.
pub fn flip(dir: Direction) -> Direction {
    match dir {
        Direction::Ingress => Direction::Egress,
        Direction::Egress => Direction::Ingress,
    }
}

/// The reply to `p` traffic, as it crosses the ACLs back: TCP and UDP to the client's
/// [`EPHEMERAL`] ports, other protocols (`all`) the same protocol; `None` for ICMP, whose
/// replies are other types (not checked).
pub fn reply_of(p: Protocol) -> Option<(Protocol, PortRange)> {
    match p {
        Protocol::Tcp | Protocol::Udp => Some((p, EPHEMERAL)),
        Protocol::Icmp | Protocol::Icmpv6 => None,
        Protocol::All => Some((Protocol::All, PortRange::ALL)),
    }
}

/// `ranges` sorted, with overlapping and adjacent ranges merged.
pub fn normalize(mut ranges: Vec<PortRange>) -> Vec<PortRange> {
    ranges.sort_unstable();
    let mut out: Vec<PortRange> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if u32::from(r.from) <= u32::from(last.to) + 1 => {
                last.to = last.to.max(r.to);
            }
            _ => out.push(r),
        }
    }
    out
}

/// The ports in both of two sorted, disjoint range lists.
pub fn intersect(a: &[PortRange], b: &[PortRange]) -> Vec<PortRange> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() && j < b.len() {
        let (lo, hi) = (a[i].from.max(b[j].from), a[i].to.min(b[j].to));
        if lo <= hi {
            out.push(PortRange { from: lo, to: hi });
        }
        if a[i].to < b[j].to {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(from: u16, to: u16) -> PortRange {
        PortRange { from, to }
    }

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

    #[test]
    fn ranges_intersect_and_merge() {
        assert_eq!(
            normalize(vec![r(5, 9), r(1, 4), r(20, 30)]),
            [r(1, 9), r(20, 30)]
        );
        assert_eq!(
            intersect(&[r(0, 10), r(20, 30)], &[r(5, 25)]),
            [r(5, 10), r(20, 25)]
        );
    }

    #[test]
    fn pieces_cut_at_rule_edges() {
        let target = Span::v4("10.0.0.0/24".parse().unwrap());
        let rule = Entry {
            number: 1,
            action: AclAction::Deny,
            protocol: Protocol::All,
            ports: PortRange::ALL,
            block: AclBlock::Ipv4("10.0.0.128/25".parse().unwrap()),
            span: Span::v4("10.0.0.128/25".parse().unwrap()),
            path: String::new(),
        };
        let p = pieces(&[target], &[std::slice::from_ref(&rule)]);
        assert_eq!(p.len(), 2);
        assert_eq!(p[1], rule.span);
    }
}
