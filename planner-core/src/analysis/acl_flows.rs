//! What network ACLs let through as sets of ports per kind of traffic ([`Allowed`]), for the
//! exposure report and the all-pairs matrix: from the internet into a subnet with its replies
//! back out, and between two subnets both ways.
//!
//! At the scale of the matrix (hundreds of groups in tens of tiers, every pair of their
//! subnets) the same evaluations recur: an ACL decides the same for every subnet its rules
//! hold alike, so what one direction of an ACL lets through is computed once per set of rules
//! that hold the subnet ([`Sides`]), and what a pair of subnets lets through once per
//! combination of those.

use std::collections::BTreeMap;

use super::acl::{Acl, Acls, Span, TRAFFIC};
use super::acl_eval::{decide, intersect, normalize, pieces, reply_of, Verdict};
use crate::design::sg::{PortRange, Protocol};
use crate::resource::Direction;

/// The ports of each kind of traffic, in [`TRAFFIC`] order, that get through somewhere.
pub type Allowed = [Vec<PortRange>; 5];

/// Every port of every kind of traffic.
pub fn everything() -> Allowed {
    std::array::from_fn(|_| vec![PortRange::ALL])
}

/// What both `a` and `b` let through.
pub fn both(a: &Allowed, b: &Allowed) -> Allowed {
    std::array::from_fn(|i| intersect(&a[i], &b[i]))
}

/// The index of `p` in [`TRAFFIC`].
pub fn traffic_index(p: Protocol) -> usize {
    TRAFFIC
        .iter()
        .position(|&t| t == p)
        .expect("every protocol is a kind of traffic")
}

/// Whether the sorted, disjoint `ranges` hold every port of `r`.
fn holds(ranges: &[PortRange], r: PortRange) -> bool {
    ranges.iter().any(|x| x.from <= r.from && r.to <= x.to)
}

impl Acl {
    /// What the internet (`internet`: spans of one family) gets through this ACL inbound with
    /// its replies back out, per kind of traffic.
    pub fn internet_allowed(&self, internet: &[Span]) -> Allowed {
        std::array::from_fn(|i| self.internet_ports(Direction::Ingress, TRAFFIC[i], internet))
    }

    /// The ports of every kind of traffic that every address of `remote` gets through in
    /// `dir` (as [`Acl::ports_all`] for each).
    pub fn side(&self, dir: Direction, remote: Span) -> Allowed {
        if self.allows_everything() {
            return everything();
        }
        let rules = self.rules(dir);
        let mut out = everything();
        let mut verdicts = Vec::new();
        for piece in pieces(&[remote], &[rules]) {
            for (i, &p) in TRAFFIC.iter().enumerate() {
                if out[i].is_empty() {
                    continue;
                }
                verdicts.clear();
                decide(rules, piece, p, PortRange::ALL, &mut verdicts);
                let allowed = normalize(
                    verdicts
                        .iter()
                        .filter(|(_, v)| matches!(v, Verdict::Allow(_)))
                        .map(|(r, _)| *r)
                        .collect(),
                );
                out[i] = intersect(&out[i], &allowed);
            }
        }
        out
    }

    /// Which rules of `dir` hold every address of `remote`, as a bit set, when every rule holds
    /// it whole or not at all and there are at most 128; `None` otherwise.
    fn holding(&self, dir: Direction, remote: Span) -> Option<u128> {
        let rules = self.rules(dir);
        if rules.len() > 128 {
            return None;
        }
        let mut mask = 0u128;
        for (i, r) in rules.iter().enumerate() {
            if r.span.contains(remote) {
                mask |= 1 << i;
            } else if r.span.overlaps(remote) {
                return None;
            }
        }
        Some(mask)
    }
}

/// What each ACL lets through in each direction to or from each subnet, computed when first
/// asked and shared between subnets its rules hold alike; and what each pair of subnets lets
/// through, shared between pairs whose sides are alike.
#[derive(Clone, Debug, Default)]
pub struct Sides {
    subnets: usize,
    /// By (ACL, direction, subnet): an index into `sides`.
    slot: Vec<Option<usize>>,
    /// By (ACL, direction, rules holding the subnet): an index into `sides`.
    by_rules: BTreeMap<(usize, bool, u128), usize>,
    /// The distinct results.
    sides: Vec<Allowed>,
    /// By the four sides a pair of subnets crosses: an index into `pairs`.
    by_sides: BTreeMap<[usize; 4], usize>,
    /// What pairs of subnets let through, distinct.
    pairs: Vec<Allowed>,
}

/// What a pair of subnets lets through: everything (one subnet, or ACLs that allow
/// everything), or an index into [`Sides::pair`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Pair {
    /// Nothing is dropped.
    Everything,
    /// What [`Sides::pair`] holds at this index.
    Some(usize),
}

impl Sides {
    /// An empty cache for the ACLs and subnets of `acls`.
    pub fn new(acls: &Acls) -> Sides {
        Sides {
            subnets: acls.subnets.len(),
            slot: vec![None; acls.acls.len() * 2 * acls.subnets.len()],
            ..Sides::default()
        }
    }

    /// What ACL `acl` lets through in `dir` from or to every address of subnet `s`, as an
    /// index into `sides`.
    fn get(&mut self, acls: &Acls, acl: usize, dir: Direction, s: usize) -> usize {
        let out = dir == Direction::Egress;
        let slot = (acl * 2 + usize::from(out)) * self.subnets + s;
        if let Some(i) = self.slot[slot] {
            return i;
        }
        let remote = Span::v4(acls.subnets[s].cidr);
        let a = &acls.acls[acl];
        let i = match a.holding(dir, remote) {
            Some(mask) => match self.by_rules.get(&(acl, out, mask)) {
                Some(&i) => i,
                None => {
                    self.sides.push(a.side(dir, remote));
                    let i = self.sides.len() - 1;
                    self.by_rules.insert((acl, out, mask), i);
                    i
                }
            },
            None => {
                self.sides.push(a.side(dir, remote));
                self.sides.len() - 1
            }
        };
        self.slot[slot] = Some(i);
        i
    }

    /// What the pair of index `i` lets through.
    pub fn pair(&self, i: usize) -> &Allowed {
        &self.pairs[i]
    }

    /// What traffic from subnet `a` to subnet `b` gets through their ACLs, request and reply,
    /// per kind of traffic.
    pub fn between(&mut self, acls: &Acls, a: usize, b: usize) -> Pair {
        if a == b {
            return Pair::Everything;
        }
        let (x, y) = (acls.subnets[a].acl, acls.subnets[b].acl);
        if acls.acls[x].allows_everything() && acls.acls[y].allows_everything() {
            return Pair::Everything;
        }
        let key = [
            self.get(acls, x, Direction::Egress, b),
            self.get(acls, y, Direction::Ingress, a),
            self.get(acls, y, Direction::Egress, a),
            self.get(acls, x, Direction::Ingress, b),
        ];
        if let Some(&i) = self.by_sides.get(&key) {
            return Pair::Some(i);
        }
        let [x_out, y_in, y_out, x_in] = key.map(|i| &self.sides[i]);
        let allowed: Allowed = std::array::from_fn(|i| {
            let replies = reply_of(TRAFFIC[i]).is_none_or(|(rp, rr)| {
                let j = traffic_index(rp);
                holds(&y_out[j], rr) && holds(&x_in[j], rr)
            });
            if replies {
                intersect(&x_out[i], &y_in[i])
            } else {
                Vec::new()
            }
        });
        self.pairs.push(allowed);
        let i = self.pairs.len() - 1;
        self.by_sides.insert(key, i);
        Pair::Some(i)
    }
}

impl Acls {
    /// Whether every subnet's ACL lets everything through (the default ACL at AWS's
    /// allow-all): then no path has an ACL hop.
    pub fn none_restrict(&self) -> bool {
        self.subnets
            .iter()
            .all(|s| self.acls[s.acl].allows_everything())
    }
}
