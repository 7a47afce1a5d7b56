//! What the internet reaches (the exposure report) and who reaches whom on which ports (the
//! all-pairs matrix the diagram draws).

use serde::Serialize;

use super::sg_graph::{Edge, Graph, Node};
use crate::design::sg::{PortRange, Protocol};

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
        let mut out = Vec::new();
        for (gi, g) in self.groups.iter().enumerate() {
            for e in g.ingress.iter().filter(|e| e.from_internet(&self.vpc)) {
                let v4 = matches!(e.peer, Node::V4(_));
                let members: Vec<String> = g
                    .members
                    .iter()
                    .filter(|m| {
                        self.tiers.get(&m.tier).is_some_and(|t| {
                            if v4 {
                                t.igw_v4.is_some() && m.public_address
                            } else {
                                t.igw_v6.is_some()
                            }
                        })
                    })
                    .map(|m| format!("{} in tier {}", m.label, m.tier))
                    .collect();
                if members.is_empty() {
                    continue;
                }
                out.push(Exposure {
                    group: g.name.clone(),
                    protocol: e.protocol,
                    ports: e.ports,
                    from: self.describe_peer(gi, &e.origin),
                    members,
                    path: e.path.clone(),
                });
            }
        }
        out
    }

    /// Every pair (the internet or a group, a group) with what may flow between them; pairs
    /// with nothing, and groups attached to nothing, are left out.
    pub fn matrix(&self) -> Matrix {
        let mut m = Matrix::default();
        for x in self.exposure() {
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
        let mut inn: Vec<&Edge> = Vec::new();
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
                if m.flows.len() > start {
                    let len = merge(&mut m.flows[start..]);
                    m.flows.truncate(start + len);
                    m.cells.push(Cell {
                        from: Some(fi),
                        to: ti,
                        start,
                        len,
                    });
                }
            }
        }
        m
    }
}

/// The all-pairs matrix: its cells, whose flows live in one shared buffer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Matrix {
    /// Non-empty cells: the internet's first, then by sender and receiver.
    pub cells: Vec<Cell>,
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
