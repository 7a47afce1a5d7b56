//! What the internet reaches (the exposure report) and who reaches whom on which ports (the
//! all-pairs matrix the diagram draws), through the security groups and the network ACLs.
//!
//! A port is exposed when a security group admits it from the internet, a member has the
//! route for it, and the member's subnet's ACL admits it from some internet address whose
//! replies it lets back out (see `acl_reach`). A flow between two groups is in the
//! matrix when both groups' rules let it through and so do the ACLs between every pair of
//! their subnets, both ways. What the groups open but the ACLs stop whole is listed as blocked,
//! with the blocking hop.

use std::collections::BTreeMap;

use serde::Serialize;

use super::acl::{internet_spans, TRAFFIC};
use super::acl_flows::{both, traffic_index, Allowed, Pair, Sides};
use super::explain::Block;
use super::sg_graph::{Edge, Graph, Node};
use crate::design::sg::{PortRange, Protocol};
use crate::resource::Direction;

impl Cell {
    /// The sender's name in `graph`, `internet` for the internet.
    pub fn sender_name<'g>(&self, graph: &'g Graph) -> &'g str {
        self.from
            .map_or("internet", |i| graph.groups[i].name.as_str())
    }
}

/// One group and port the internet reaches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Exposure {
    /// The group.
    pub group: String,
    /// The protocol.
    pub protocol: Protocol,
    /// The ports.
    pub ports: PortRange,
    /// Who is let in, e.g. `the internet` or `203.0.113.0/24`.
    pub from: String,
    /// The members reachable, e.g. `alb in tier public`.
    pub members: Vec<String>,
    /// JSON path of the rule in the design.
    pub path: String,
}

/// A port the security groups open to the internet but the network ACLs stop.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Shielded {
    /// The group.
    pub group: String,
    /// The protocol.
    pub protocol: Protocol,
    /// The ports.
    pub ports: PortRange,
    /// Who the group's rule lets in, e.g. `the internet`.
    pub from: String,
    /// The members the internet has a route to, e.g. `alb in tier public`.
    pub members: Vec<String>,
    /// JSON path of the group's rule in the design.
    pub path: String,
    /// What stops it, with AWS's explanation code.
    pub blocked_by: Block,
}

/// The exposure report: what the internet reaches, and what only the network ACLs keep it
/// from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ExposureReport {
    /// Every group and port reachable from the internet, in group order.
    pub exposed: Vec<Exposure>,
    /// Every group and port its rules open to the internet that network ACLs stop whole.
    pub blocked: Vec<Shielded>,
}

/// A pair whose groups let traffic through but the network ACLs stop all of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BlockedCell {
    /// The sending group's index in [`Graph::groups`]; `None` for the internet.
    pub from: Option<usize>,
    /// The receiving group's index.
    pub to: usize,
    /// What stops the first flow the groups allow, with AWS's explanation code.
    pub blocked_by: Block,
}

/// Traffic one side may send the other.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Flow {
    /// The protocol.
    pub protocol: Protocol,
    /// The ports.
    pub ports: PortRange,
}

/// One non-empty cell of the matrix; [`Matrix::flows`] says what gets through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Cell {
    /// The sending group's index in [`Graph::groups`]; `None` for the internet.
    pub from: Option<usize>,
    /// The receiving group's index.
    pub to: usize,
    start: usize,
    len: usize,
}

impl Graph {
    /// Every group and port reachable from the internet, in group order.
    pub fn exposure(&self) -> Vec<Exposure> {
        self.exposure_report().exposed
    }

    /// Every group and port reachable from the internet, and those the network ACLs stop.
    pub fn exposure_report(&self) -> ExposureReport {
        let internet = [
            internet_spans(false, &self.vpc),
            internet_spans(true, &self.vpc),
        ];
        let mut allowed: BTreeMap<(usize, bool), Allowed> = BTreeMap::new();
        let mut report = ExposureReport::default();
        for (gi, g) in self.groups.iter().enumerate() {
            for e in g.ingress.iter().filter(|e| e.from_internet(&self.vpc)) {
                let v4 = matches!(e.peer, Node::V4(_));
                let mut opened: Vec<(Flow, Vec<String>)> = Vec::new();
                let mut routed = Vec::new();
                for (m, _) in self.exposed_members(gi, v4) {
                    let label = format!("{} in tier {}", m.label, m.tier);
                    let ai = self.acls.acl_of(&m.tier);
                    let through = allowed.entry((ai, v4)).or_insert_with(|| {
                        self.acls.acls[ai].internet_allowed(&internet[usize::from(!v4)])
                    });
                    let mut flows = Vec::new();
                    restrict(&[Flow::of(e)], through, &mut flows);
                    let n = merge(&mut flows);
                    for f in &flows[..n] {
                        match opened.iter_mut().find(|(o, _)| o == f) {
                            Some((_, ms)) => ms.push(label.clone()),
                            None => opened.push((*f, vec![label.clone()])),
                        }
                    }
                    routed.push((m, label));
                }
                let from = self.describe_peer(gi, &e.origin);
                if opened.is_empty() {
                    let Some((m, _)) = routed.first() else {
                        continue;
                    };
                    if let Err(b) =
                        self.acl_internet(&m.tier, v4, Direction::Ingress, e.protocol, e.ports)
                    {
                        report.blocked.push(Shielded {
                            group: g.name.clone(),
                            protocol: e.protocol,
                            ports: e.ports,
                            from,
                            members: routed.into_iter().map(|(_, l)| l).collect(),
                            path: e.path.clone(),
                            blocked_by: b,
                        });
                    }
                    continue;
                }
                for (flow, members) in opened {
                    report.exposed.push(Exposure {
                        group: g.name.clone(),
                        protocol: flow.protocol,
                        ports: flow.ports,
                        from: from.clone(),
                        members,
                        path: e.path.clone(),
                    });
                }
            }
        }
        report
    }

    /// Every pair (the internet or a group, a group) with what may flow between them; pairs
    /// with nothing, and groups attached to nothing, are left out. Pairs the groups open but
    /// the network ACLs stop whole are in [`Matrix::blocked`].
    pub fn matrix(&self) -> Matrix {
        let mut m = Matrix::default();
        let report = self.exposure_report();
        for x in report.exposed {
            let to = self.group(&x.group).expect("exposure names graph groups");
            m.flows.push(Flow {
                protocol: x.protocol,
                ports: x.ports,
            });
            match m.cells.last_mut() {
                Some(c) if c.from.is_none() && c.to == to => c.len += 1,
                _ => m.cells.push(Cell {
                    from: None,
                    to,
                    start: m.flows.len() - 1,
                    len: 1,
                }),
            }
        }
        for c in &mut m.cells {
            c.len = merge(&mut m.flows[c.start..c.start + c.len]);
        }
        for x in report.blocked {
            let to = self.group(&x.group).expect("exposure names graph groups");
            if !m.cells.iter().any(|c| c.from.is_none() && c.to == to)
                && !m.blocked.iter().any(|c| c.from.is_none() && c.to == to)
            {
                m.blocked.push(BlockedCell {
                    from: None,
                    to,
                    blocked_by: x.blocked_by,
                });
            }
        }
        let mut acl = PairAcls::new(self);
        let mut inn: Vec<&Edge> = Vec::new();
        let mut opened: Vec<Flow> = Vec::new();
        for (fi, f) in self.groups.iter().enumerate() {
            if f.members.is_empty() {
                continue;
            }
            for (ti, t) in self.groups.iter().enumerate() {
                if t.members.is_empty() {
                    continue;
                }
                inn.clear();
                inn.extend(t.ingress.iter().filter(|e| self.edge_covers_group(e, fi)));
                if inn.is_empty() {
                    continue;
                }
                let start = m.flows.len();
                for o in f.egress.iter().filter(|e| self.edge_covers_group(e, ti)) {
                    for i in &inn {
                        m.flows.extend(intersect(i, o));
                    }
                }
                if m.flows.len() == start {
                    continue;
                }
                let mut len = merge(&mut m.flows[start..]);
                m.flows.truncate(start + len);
                if let Some(through) = acl.between(self, fi, ti) {
                    opened.clear();
                    restrict(&m.flows[start..], through, &mut opened);
                    let first = m.flows[start];
                    m.flows.truncate(start);
                    if opened.is_empty() {
                        if let Some(b) = acl.why(self, fi, ti, first) {
                            m.blocked.push(BlockedCell {
                                from: Some(fi),
                                to: ti,
                                blocked_by: b,
                            });
                        }
                        continue;
                    }
                    len = merge(&mut opened);
                    m.flows.extend_from_slice(&opened[..len]);
                }
                m.cells.push(Cell {
                    from: Some(fi),
                    to: ti,
                    start,
                    len,
                });
            }
        }
        m
    }
}

/// What the ACLs let through between the subnets of two groups, computed once per pair of
/// locations (groups whose members share tiers share it).
struct PairAcls {
    /// Nothing to compute: no subnet's ACL restricts anything.
    open: bool,
    /// Each group's location: an index into `places`.
    place: Vec<usize>,
    /// The distinct sets of subnets groups' members may be in.
    places: Vec<Vec<usize>>,
    /// By pair of places (`from * places + to`): not computed yet, everything, or what.
    pairs: Vec<Option<Option<Allowed>>>,
    /// By ACL, direction and subnet, and by pair of subnets.
    sides: Sides,
    /// What blocks a flow, by pair of places and flow.
    blocks: BTreeMap<(usize, usize, Flow), Option<Block>>,
}

impl PairAcls {
    fn new(graph: &Graph) -> PairAcls {
        let open = graph.acls.none_restrict();
        let mut places: Vec<Vec<usize>> = Vec::new();
        let mut place = Vec::with_capacity(graph.groups.len());
        if !open {
            for g in 0..graph.groups.len() {
                let subnets = graph.group_subnets(g);
                let at = match places.iter().position(|p| *p == subnets) {
                    Some(i) => i,
                    None => {
                        places.push(subnets);
                        places.len() - 1
                    }
                };
                place.push(at);
            }
        }
        PairAcls {
            open,
            place,
            pairs: vec![None; places.len() * places.len()],
            places,
            sides: Sides::new(&graph.acls),
            blocks: BTreeMap::new(),
        }
    }

    /// What gets through from the members of group `f` to those of `t`; `None`: everything.
    fn between(&mut self, graph: &Graph, f: usize, t: usize) -> Option<&Allowed> {
        if self.open {
            return None;
        }
        let key = self.place[f] * self.places.len() + self.place[t];
        if self.pairs[key].is_none() {
            let mut distinct: Vec<usize> = Vec::new();
            for &a in &self.places[self.place[f]] {
                for &b in &self.places[self.place[t]] {
                    if let Pair::Some(i) = self.sides.between(&graph.acls, a, b) {
                        if !distinct.contains(&i) {
                            distinct.push(i);
                        }
                    }
                }
            }
            let through = match distinct.split_first() {
                None => None,
                Some((&first, rest)) => {
                    Some(rest.iter().fold(self.sides.pair(first).clone(), |acc, &i| {
                        both(&acc, self.sides.pair(i))
                    }))
                }
            };
            self.pairs[key] = Some(through);
        }
        self.pairs[key].as_ref().and_then(Option::as_ref)
    }

    /// What stops `flow` from the members of group `f` to those of `t`.
    fn why(&mut self, graph: &Graph, f: usize, t: usize, flow: Flow) -> Option<Block> {
        let (pf, pt) = (self.place[f], self.place[t]);
        let places = &self.places;
        self.blocks
            .entry((pf, pt, flow))
            .or_insert_with(|| {
                graph
                    .acl_between_subnets(&places[pf], &places[pt], flow.protocol, flow.ports)
                    .err()
            })
            .clone()
    }
}

impl Flow {
    /// What a rule lets through.
    fn of(e: &Edge) -> Flow {
        Flow {
            protocol: e.protocol,
            ports: if e.protocol == Protocol::All {
                PortRange::ALL
            } else {
                e.ports
            },
        }
    }
}

/// The parts of `flows` that `allowed` lets through, appended to `out` (unmerged). A flow of
/// every protocol stays one when the ACLs let everything through; otherwise it becomes the
/// ports each of TCP, UDP, ICMP and ICMPv6 gets through.
fn restrict(flows: &[Flow], allowed: &Allowed, out: &mut Vec<Flow>) {
    for f in flows {
        if f.protocol == Protocol::All {
            // Other protocols (index 4) are the least often all allowed: look there first.
            if allowed.iter().rev().all(|a| a == &[PortRange::ALL]) {
                out.push(*f);
                continue;
            }
            for (i, &p) in TRAFFIC[..4].iter().enumerate() {
                out.extend(allowed[i].iter().map(|&ports| Flow { protocol: p, ports }));
            }
            continue;
        }
        for r in &allowed[traffic_index(f.protocol)] {
            let (from, to) = (r.from.max(f.ports.from), r.to.min(f.ports.to));
            if from <= to {
                out.push(Flow {
                    protocol: f.protocol,
                    ports: PortRange { from, to },
                });
            }
        }
    }
}

/// The all-pairs matrix: its cells, whose flows live in one shared buffer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Matrix {
    /// Non-empty cells: the internet's first, then by sender and receiver.
    pub cells: Vec<Cell>,
    /// Pairs the groups open but the network ACLs stop whole: the internet's first, then by
    /// sender and receiver.
    pub blocked: Vec<BlockedCell>,
    flows: Vec<Flow>,
}

impl Matrix {
    /// What flows through `cell`, merged per protocol.
    pub fn flows(&self, cell: &Cell) -> &[Flow] {
        &self.flows[cell.start..cell.start + cell.len]
    }
}

fn intersect(a: &Edge, b: &Edge) -> Option<Flow> {
    let protocol = match (a.protocol, b.protocol) {
        (Protocol::All, p) | (p, Protocol::All) => p,
        (p, q) if p == q => p,
        _ => return None,
    };
    if protocol == Protocol::All {
        return Some(Flow {
            protocol,
            ports: PortRange::ALL,
        });
    }
    let span = |e: &Edge| {
        if e.protocol == Protocol::All {
            PortRange::ALL
        } else {
            e.ports
        }
    };
    let (x, y) = (span(a), span(b));
    let (from, to) = (x.from.max(y.from), x.to.min(y.to));
    (from <= to).then_some(Flow {
        protocol,
        ports: PortRange { from, to },
    })
}

/// Sorts `flows` and merges overlapping or adjacent ranges of one protocol in place (`all`
/// swallows the rest); returns how many of the leading flows remain.
fn merge(flows: &mut [Flow]) -> usize {
    if flows.iter().any(|f| f.protocol == Protocol::All) {
        flows[0] = Flow {
            protocol: Protocol::All,
            ports: PortRange::ALL,
        };
        return 1;
    }
    flows.sort_unstable();
    let mut len = 0;
    for i in 0..flows.len() {
        let f = flows[i];
        if len > 0 {
            let last = &mut flows[len - 1];
            if last.protocol == f.protocol
                && u32::from(f.ports.from) <= u32::from(last.ports.to) + 1
            {
                last.ports.to = last.ports.to.max(f.ports.to);
                continue;
            }
        }
        flows[len] = f;
        len += 1;
    }
    len
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flow(protocol: Protocol, from: u16, to: u16) -> Flow {
        Flow {
            protocol,
            ports: PortRange { from, to },
        }
    }

    #[test]
    fn merge_joins_adjacent_ranges() {
        let mut flows = [
            flow(Protocol::Tcp, 81, 90),
            flow(Protocol::Tcp, 80, 80),
            flow(Protocol::Udp, 53, 53),
        ];
        let n = merge(&mut flows);
        assert_eq!(
            flows[..n],
            [flow(Protocol::Tcp, 80, 90), flow(Protocol::Udp, 53, 53)]
        );
    }

    #[test]
    fn all_swallows_everything() {
        let mut flows = [flow(Protocol::Tcp, 80, 80), flow(Protocol::All, 0, 65535)];
        assert_eq!(merge(&mut flows), 1);
        assert_eq!(flows[0].protocol, Protocol::All);
    }
}
