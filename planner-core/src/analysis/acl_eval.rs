//! Evaluating network ACLs ([`super::acl`]) as AWS does: rules in number order, the first rule
//! whose protocol, ports and block match decides, and what no rule matches meets the final
//! deny (`*`). Traffic is a protocol and a port range; a crossing lets it through only when
//! every port of the range is allowed. Addresses are ranges cut into pieces that every rule
//! holds whole or not at all ([`pieces`]), so each piece is decided exactly.

use std::collections::BTreeMap;

use super::acl::{Acl, Entry, Span, EPHEMERAL};
use crate::design::acl::AclAction;
use crate::design::sg::{PortRange, Protocol};
use crate::resource::Direction;

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
    use crate::design::acl::AclBlock;

    fn r(from: u16, to: u16) -> PortRange {
        PortRange { from, to }
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
