//! What the internet reaches (the exposure report) and who reaches whom on which ports (the
//! all-pairs matrix the diagram draws).

use serde::Serialize;

use super::graph::{Edge, Graph, Node};
use super::model::{PortRange, Protocol};

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

/// One non-empty cell of the matrix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Cell {
    /// `internet` or a group name.
    pub from: String,
    /// A group name.
    pub to: String,
    /// What gets through, merged per protocol.
    pub flows: Vec<Flow>,
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
    pub fn matrix(&self) -> Vec<Cell> {
        let mut cells = Vec::new();
        let exposure = self.exposure();
        for (ti, t) in self.groups.iter().enumerate() {
            let flows = merge(
                exposure
                    .iter()
                    .filter(|x| x.group == t.name)
                    .map(|x| Flow {
                        protocol: x.protocol,
                        ports: x.ports,
                    })
                    .collect(),
            );
            if !flows.is_empty() {
                cells.push(Cell {
                    from: "internet".to_owned(),
                    to: self.groups[ti].name.clone(),
                    flows,
                });
            }
        }
        for (fi, f) in self.groups.iter().enumerate() {
            if f.members.is_empty() {
                continue;
            }
            for (ti, t) in self.groups.iter().enumerate() {
                if t.members.is_empty() {
                    continue;
                }
                let inn: Vec<&Edge> = t
                    .ingress
                    .iter()
                    .filter(|e| self.peer_covers_group(&e.peer, fi))
                    .collect();
                if inn.is_empty() {
                    continue;
                }
                let out: Vec<&Edge> = f
                    .egress
                    .iter()
                    .filter(|e| self.peer_covers_group(&e.peer, ti))
                    .collect();
                let mut flows = Vec::new();
                for i in &inn {
                    for o in &out {
                        flows.extend(intersect(i, o));
                    }
                }
                let flows = merge(flows);
                if !flows.is_empty() {
                    cells.push(Cell {
                        from: f.name.clone(),
                        to: t.name.clone(),
                        flows,
                    });
                }
            }
        }
        cells
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

/// Sorts flows and merges overlapping or adjacent ranges of one protocol; `all` swallows the rest.
fn merge(mut flows: Vec<Flow>) -> Vec<Flow> {
    if flows.iter().any(|f| f.protocol == Protocol::All) {
        return vec![Flow {
            protocol: Protocol::All,
            ports: PortRange::ALL,
        }];
    }
    flows.sort();
    let mut out: Vec<Flow> = Vec::with_capacity(flows.len());
    for f in flows {
        match out.last_mut() {
            Some(last)
                if last.protocol == f.protocol
                    && u32::from(f.ports.from) <= u32::from(last.ports.to) + 1 =>
            {
                last.ports.to = last.ports.to.max(f.ports.to);
            }
            _ => out.push(f),
        }
    }
    out
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
        let got = merge(vec![
            flow(Protocol::Tcp, 81, 90),
            flow(Protocol::Tcp, 80, 80),
            flow(Protocol::Udp, 53, 53),
        ]);
        assert_eq!(
            got,
            [flow(Protocol::Tcp, 80, 90), flow(Protocol::Udp, 53, 53)]
        );
    }

    #[test]
    fn all_swallows_everything() {
        let got = merge(vec![
            flow(Protocol::Tcp, 80, 80),
            Flow {
                protocol: Protocol::All,
                ports: PortRange::ALL,
            },
        ]);
        assert_eq!(got.len(), 1);
    }
}
