//! The security-group graph as a drawing: which nodes (the internet, each group, blocks outside
//! the VPC that rules let in) and which arrows (what may flow, from the core's matrix). Pure,
//! so it is tested natively; [`super::layout`] places it and [`super::view`] draws it.

use std::collections::BTreeMap;

use planner_core::analysis::matrix::Flow;
use planner_core::analysis::sg_graph::{is_internet_v6, Graph, GroupNode, Node as Peer};
use planner_core::design::sg::{PortRange, Protocol};

/// What a node stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    /// The internet.
    Internet,
    /// A security group.
    Group,
    /// Addresses outside the VPC that some rule lets in (an office, a peered network).
    Block,
}

/// One box of the drawing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// Stable key: `internet`, `group:NAME`, `block:CIDR`.
    pub key: String,
    /// What it is.
    pub kind: NodeKind,
    /// Its name.
    pub label: String,
    /// One line under the name: its members, or why it has none.
    pub detail: String,
    /// Whether the internet reaches it.
    pub exposed: bool,
    /// Whether it is attached to anything (a group attached to nothing carries no traffic).
    pub attached: bool,
    /// The design path to focus on a click; empty for what the design does not hold.
    pub path: String,
}

/// One arrow: what `from` may send `to`. Between groups, only what the internet may not send
/// `to` anyway: a rule open to the internet admits every group too, and an arrow from each of
/// them would say nothing the internet's arrow does not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// Index of the sender in [`Diagram::nodes`].
    pub from: usize,
    /// Index of the receiver.
    pub to: usize,
    /// A short label, e.g. `tcp 443`.
    pub label: String,
    /// Every flow, for the tooltip.
    pub title: String,
    /// Whether the sender is the internet.
    pub internet: bool,
}

/// The nodes and arrows of a graph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagram {
    /// The internet first, then the groups in graph order, then outside blocks.
    pub nodes: Vec<Node>,
    /// The arrows, in the matrix's order, then the blocks'.
    pub links: Vec<Link>,
}

/// How a flow reads: `tcp 443`, `tcp 8000-8100`, `all udp`, `all traffic`.
///
/// ```
/// use planner_core::design::sg::{PortRange, Protocol};
/// use planner_web::draw::sg_graph::diagram::flow_label;
/// assert_eq!(flow_label(Protocol::Tcp, PortRange::one(443)), "tcp 443");
/// assert_eq!(flow_label(Protocol::Udp, PortRange::ALL), "all udp");
/// assert_eq!(flow_label(Protocol::All, PortRange::ALL), "all traffic");
/// ```
pub fn flow_label(protocol: Protocol, ports: PortRange) -> String {
    match protocol {
        Protocol::All => "all traffic".to_owned(),
        p if ports == PortRange::ALL => format!("all {p}"),
        p => format!("{p} {ports}"),
    }
}

/// Whether every packet of `inner` is also in `outer`.
fn covers(outer: Flow, inner: Flow) -> bool {
    outer.protocol == Protocol::All
        || (outer.protocol == inner.protocol
            && outer.ports.from <= inner.ports.from
            && inner.ports.to <= outer.ports.to)
}

/// The first two flows, and how many more.
fn short(flows: &[String]) -> String {
    match flows {
        [] => String::new(),
        [a] => a.clone(),
        [a, b] => format!("{a}, {b}"),
        [a, b, rest @ ..] => format!("{a}, {b} +{}", rest.len()),
    }
}

fn members(g: &GroupNode) -> String {
    match g.members.as_slice() {
        [] => "attached to nothing".to_owned(),
        [m] => format!("{} in {}", m.label, m.tier),
        [m, rest @ ..] => format!("{} in {} +{}", m.label, m.tier, rest.len()),
    }
}

impl Diagram {
    /// The drawing of `graph`.
    pub fn of(graph: &Graph) -> Diagram {
        let exposure = graph.exposure();
        let mut nodes = vec![Node {
            key: "internet".to_owned(),
            kind: NodeKind::Internet,
            label: "internet".to_owned(),
            detail: "anywhere".to_owned(),
            exposed: false,
            attached: true,
            path: String::new(),
        }];
        nodes.extend(graph.groups.iter().map(|g| Node {
            key: format!("group:{}", g.name),
            kind: NodeKind::Group,
            label: g.name.clone(),
            detail: members(g),
            exposed: exposure.iter().any(|x| x.group == g.name),
            attached: !g.members.is_empty(),
            path: g.path.clone(),
        }));
        let matrix = graph.matrix();
        let from_internet = |to: usize| -> &[Flow] {
            matrix
                .cells
                .iter()
                .find(|c| c.from.is_none() && c.to == to)
                .map_or(&[], |c| matrix.flows(c))
        };
        let mut links: Vec<Link> = matrix
            .cells
            .iter()
            .filter_map(|cell| {
                let open = if cell.from.is_some() {
                    from_internet(cell.to)
                } else {
                    &[]
                };
                let flows: Vec<String> = matrix
                    .flows(cell)
                    .iter()
                    .filter(|f| !open.iter().any(|o| covers(*o, **f)))
                    .map(|f| flow_label(f.protocol, f.ports))
                    .collect();
                (!flows.is_empty()).then(|| Link {
                    from: cell.from.map_or(0, |i| i + 1),
                    to: cell.to + 1,
                    label: short(&flows),
                    title: flows.join(", "),
                    internet: cell.from.is_none(),
                })
            })
            .collect();
        let mut outside: BTreeMap<(usize, usize), Vec<String>> = BTreeMap::new();
        for (gi, g) in graph.groups.iter().enumerate() {
            if g.members.is_empty() {
                continue;
            }
            for e in &g.ingress {
                let block = match &e.peer {
                    Peer::V4(c)
                        if !e.from_internet(&graph.vpc)
                            && !graph.vpc.iter().any(|v| v.contains(*c)) =>
                    {
                        c.to_string()
                    }
                    Peer::V6(n) if !is_internet_v6(*n) => n.to_string(),
                    _ => continue,
                };
                let key = format!("block:{block}");
                let bi = match nodes.iter().position(|n| n.key == key) {
                    Some(i) => i,
                    None => {
                        nodes.push(Node {
                            key,
                            kind: NodeKind::Block,
                            label: block,
                            detail: "outside the VPC".to_owned(),
                            exposed: false,
                            attached: true,
                            path: String::new(),
                        });
                        nodes.len() - 1
                    }
                };
                let flows = outside.entry((bi, gi + 1)).or_default();
                let flow = flow_label(e.protocol, e.ports);
                if !flows.contains(&flow) {
                    flows.push(flow);
                }
            }
        }
        links.extend(outside.into_iter().map(|((from, to), flows)| Link {
            from,
            to,
            label: short(&flows),
            title: flows.join(", "),
            internet: false,
        }));
        Diagram { nodes, links }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draw::sg_graph::fixture::graph;

    fn key(d: &Diagram, i: usize) -> &str {
        &d.nodes[i].key
    }

    #[test]
    fn nodes_and_links_come_from_the_matrix() {
        let d = Diagram::of(&graph());
        let keys: Vec<&str> = (0..d.nodes.len()).map(|i| key(&d, i)).collect();
        assert_eq!(
            keys,
            [
                "internet",
                "group:db",
                "group:app",
                "group:alb",
                "group:bastion",
                "group:spare",
                "block:192.168.0.0/16"
            ]
        );
        let exposed: Vec<&str> = d
            .nodes
            .iter()
            .filter(|n| n.exposed)
            .map(|n| n.label.as_str())
            .collect();
        assert_eq!(exposed, ["alb", "bastion"]);
        assert!(!d.nodes[5].attached);
        assert_eq!(d.nodes[5].detail, "attached to nothing");
        assert_eq!(d.nodes[3].detail, "load_balancer in public");
        let links: Vec<(&str, &str, &str, bool)> = d
            .links
            .iter()
            .map(|l| (key(&d, l.from), key(&d, l.to), l.label.as_str(), l.internet))
            .collect();
        assert!(
            links.contains(&("internet", "group:alb", "tcp 443", true)),
            "{links:?}"
        );
        assert!(links.contains(&("group:app", "group:db", "tcp 5432", false)));
        assert!(links.contains(&("group:app", "group:app", "tcp 8000-8100", false)));
        assert!(links.contains(&("block:192.168.0.0/16", "group:app", "tcp 22", false)));
        assert!(
            !links
                .iter()
                .any(|l| l.0 == "group:spare" || l.1 == "group:spare"),
            "a group attached to nothing carries no traffic"
        );
        assert!(!links.iter().any(|l| l.0 == "internet" && l.1 == "group:db"));
        assert!(
            !links
                .iter()
                .any(|l| l.0 != "internet" && l.1 == "group:alb"),
            "the internet's arrow says it: {links:?}"
        );
    }

    #[test]
    fn long_flow_lists_are_shortened() {
        let flows: Vec<String> = ["tcp 80", "tcp 443", "udp 53", "icmp 8"]
            .map(String::from)
            .to_vec();
        assert_eq!(short(&flows), "tcp 80, tcp 443 +2");
        assert_eq!(short(&flows[..1]), "tcp 80");
    }
}
