//! The security-group graph: groups with their members, resolved rules, the routes their
//! members' tiers have to and from the internet, and the network ACLs of their subnets
//! ([`super::acl`]). Built once from a plan; queried by [`super::reach`], [`super::matrix`]
//! and the `SG…` checks.

use std::collections::BTreeMap;

use ipnet::Ipv6Net;

use super::acl::{Acls, LOCAL_V6, PRIVATE_V4};
use super::endpoints::{service_endpoints, ServiceEndpoint};
use crate::build::sg_peers::{resolve, Resolved};
use crate::cidr::Cidr;
use crate::design::network::{Design, TierKind};
use crate::design::sg::{MemberRole, Peer, PortRange, Protocol, Rule};
use crate::effective::Effective;
use crate::plan::Plan;
use crate::resource::{Destination, ResourceKind, RouteTarget};

/// Something a group is attached to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    /// Label for messages, e.g. `alb`.
    pub label: String,
    /// What it is.
    pub role: MemberRole,
    /// The tier its interfaces live in.
    pub tier: String,
    /// Whether it has a public IPv4 address.
    pub public_address: bool,
}

/// A rule's other side, as the graph sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    /// A group, by index.
    Group(usize),
    /// A group the design does not define.
    Unknown(String),
    /// An IPv4 block.
    V4(Cidr),
    /// An IPv6 block.
    V6(Ipv6Net),
}

/// One resolved rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge {
    /// Protocol.
    pub protocol: Protocol,
    /// Ports; every port when the design gave none.
    pub ports: PortRange,
    /// The resolved peer.
    pub peer: Node,
    /// The peer as the design wrote it.
    pub origin: Peer,
    /// JSON path of the rule in the design; empty for rules the planner adds.
    pub path: String,
    /// Whether this is AWS's default allow-all egress.
    pub default: bool,
    /// An IPv4 peer as an inclusive address range, for fast overlap tests.
    span: Option<(u32, u32)>,
}

impl Edge {
    /// Whether the rule admits `protocol` traffic to `port` (`None`: every port).
    pub fn admits(&self, protocol: Protocol, port: Option<u16>) -> bool {
        if !self.protocol.covers(protocol) {
            return false;
        }
        if self.protocol == Protocol::All {
            return true;
        }
        match port {
            Some(p) => self.ports.contains(p),
            None => self.ports == PortRange::ALL,
        }
    }

    /// Whether the rule's peer is some part of the internet.
    pub fn from_internet(&self, vpc: &[Cidr]) -> bool {
        match &self.peer {
            Node::V4(c) => is_internet_v4(*c, vpc),
            Node::V6(n) => is_internet_v6(*n),
            _ => false,
        }
    }
}

/// One group in the graph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupNode {
    /// Its name.
    pub name: String,
    /// JSON path in the design; empty for groups the planner adds.
    pub path: String,
    /// What it is attached to.
    pub members: Vec<Member>,
    /// Inbound rules.
    pub ingress: Vec<Edge>,
    /// Outbound rules, the default one first when kept.
    pub egress: Vec<Edge>,
    /// The subnet blocks its members live in.
    pub locations: Vec<Cidr>,
    /// `locations` as inclusive address ranges, for fast overlap tests.
    spans: Vec<(u32, u32)>,
}

/// A block as an inclusive range of addresses.
fn span(c: Cidr) -> (u32, u32) {
    let start = u32::from(c.network());
    (start, start + (c.size() - 1) as u32)
}

/// How a tier's subnets reach and are reached from the internet.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TierRoutes {
    /// Public, private or isolated.
    pub kind: Option<TierKind>,
    /// The route table holding `0.0.0.0/0 → internet gateway`.
    pub igw_v4: Option<String>,
    /// The route table holding `::/0 → internet gateway`.
    pub igw_v6: Option<String>,
    /// The route table and target of `0.0.0.0/0 → NAT`.
    pub nat_v4: Option<(String, String)>,
}

/// The graph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Graph {
    /// Every group, design groups first in design order.
    pub groups: Vec<GroupNode>,
    /// Routes by tier name.
    pub tiers: BTreeMap<String, TierRoutes>,
    /// The VPC's IPv4 blocks.
    pub vpc: Vec<Cidr>,
    /// The internet gateway's id, when there is one.
    pub igw: Option<String>,
    /// The network ACLs and the subnets that use them.
    pub acls: Acls,
    /// The VPC endpoints, for questions about AWS services.
    pub services: Vec<ServiceEndpoint>,
}

/// Whether `c` holds internet addresses: not wholly inside private space or the VPC.
pub fn is_internet_v4(c: Cidr, vpc: &[Cidr]) -> bool {
    let private = PRIVATE_V4
        .iter()
        .map(|s| s.parse::<Cidr>().expect("valid"))
        .chain(vpc.iter().copied());
    !private.into_iter().any(|p| p.contains(c))
}

/// Whether `n` holds global IPv6 addresses (not unique-local or link-local only).
pub fn is_internet_v6(n: Ipv6Net) -> bool {
    !LOCAL_V6
        .iter()
        .map(|s| s.parse::<Ipv6Net>().expect("valid"))
        .any(|l| l.contains(&n))
}

impl Graph {
    /// Builds the graph of `plan`.
    pub fn new(plan: &Plan) -> Graph {
        Graph::of(plan, &Effective::of(&plan.design))
    }

    /// Builds the graph of `plan`, whose design completes to `effective` (what the planner
    /// already computed while planning it).
    pub(crate) fn of(plan: &Plan, effective: &Effective) -> Graph {
        let design: &Design = effective;
        let groups = &design.security_groups;
        let index: BTreeMap<&str, usize> = groups
            .iter()
            .enumerate()
            .map(|(i, g)| (g.name.as_str(), i))
            .collect();
        let vpc: Vec<Cidr> = design
            .vpc
            .iter()
            .flat_map(|v| std::iter::once(v.cidr).chain(v.secondary_cidrs.iter().copied()))
            .collect();

        let mut tiers: BTreeMap<String, TierRoutes> = design
            .tiers
            .iter()
            .map(|t| {
                (
                    t.name.clone(),
                    TierRoutes {
                        kind: Some(t.kind),
                        ..TierRoutes::default()
                    },
                )
            })
            .collect();
        let mut table_tier = BTreeMap::new();
        let mut igw = None;
        for r in &plan.resources {
            match &r.kind {
                ResourceKind::RouteTable { tier, .. } => {
                    table_tier.insert(r.id.as_str(), tier.as_str());
                }
                ResourceKind::InternetGateway { .. } => igw = Some(r.id.clone()),
                ResourceKind::Route {
                    route_table,
                    destination,
                    target,
                } => {
                    let Some(t) = table_tier
                        .get(route_table.as_str())
                        .and_then(|t| tiers.get_mut(*t))
                    else {
                        continue;
                    };
                    match (destination, target) {
                        (Destination::Ipv4(_), RouteTarget::InternetGateway(_)) => {
                            t.igw_v4.get_or_insert_with(|| route_table.clone());
                        }
                        (Destination::Ipv6(_), RouteTarget::InternetGateway(_)) => {
                            t.igw_v6.get_or_insert_with(|| route_table.clone());
                        }
                        (
                            Destination::Ipv4(_),
                            RouteTarget::NatGateway(n)
                            | RouteTarget::Instance(n)
                            | RouteTarget::AutoscalingGroup(n),
                        ) => {
                            t.nat_v4
                                .get_or_insert_with(|| (route_table.clone(), n.clone()));
                        }
                        _ => {}
                    }
                }
                _ => {}
            }
        }

        let node = |peer: Resolved| match peer {
            Resolved::Group(g) => match index.get(g.as_str()) {
                Some(&i) => Node::Group(i),
                None => Node::Unknown(g),
            },
            Resolved::V4(c) => Node::V4(c),
            Resolved::V6(n) => Node::V6(n),
        };
        // Groups after the design's own are the planner's: they have no path to edit.
        let n_design = plan.design.security_groups.len();
        let nodes = groups
            .iter()
            .enumerate()
            .map(|(gi, g)| {
                let path = if gi < n_design {
                    format!("security_groups[{gi}]")
                } else {
                    String::new()
                };
                let edges = |dir: &str, rules: &[Rule]| -> Vec<Edge> {
                    rules
                        .iter()
                        .enumerate()
                        .flat_map(|(ri, rule)| {
                            let rule_path = if path.is_empty() {
                                String::new()
                            } else {
                                format!("{path}.{dir}[{ri}]")
                            };
                            resolve(design, &plan.allocation, &g.name, rule)
                                .into_iter()
                                .map(move |p| (rule, rule_path.clone(), p))
                        })
                        .map(|(rule, rule_path, p)| Edge {
                            protocol: rule.protocol,
                            ports: rule.ports.unwrap_or(PortRange::ALL),
                            peer: node(p),
                            origin: rule.peer.clone(),
                            path: rule_path,
                            default: false,
                            span: None,
                        })
                        .collect()
                };
                let mut egress = Vec::new();
                if g.default_egress {
                    egress.push(Edge {
                        protocol: Protocol::All,
                        ports: PortRange::ALL,
                        peer: Node::V4("0.0.0.0/0".parse().expect("valid")),
                        origin: Peer::Cidr("0.0.0.0/0".parse().expect("valid")),
                        path: if path.is_empty() {
                            String::new()
                        } else {
                            format!("{path}.default_egress")
                        },
                        default: true,
                        span: None,
                    });
                }
                egress.extend(edges("egress", &g.egress));
                let is_public =
                    |tier: &str| tiers.get(tier).and_then(|t| t.kind) == Some(TierKind::Public);
                let members: Vec<Member> = g
                    .attached_to
                    .iter()
                    .map(|a| Member {
                        label: a.name.clone().unwrap_or_else(|| a.role.as_str().to_owned()),
                        role: a.role,
                        tier: a.tier.clone(),
                        public_address: a.public_address.unwrap_or_else(|| is_public(&a.tier)),
                    })
                    .chain(
                        design
                            .instances
                            .iter()
                            .filter(|i| i.security_groups.contains(&g.name))
                            .map(|i| Member {
                                label: i.name.clone(),
                                role: i.role.member_role(),
                                tier: i.tier.clone(),
                                public_address: i
                                    .public_address
                                    .unwrap_or_else(|| is_public(&i.tier)),
                            }),
                    )
                    .collect();
                let mut locations: Vec<Cidr> = plan
                    .allocation
                    .subnets
                    .iter()
                    .filter(|s| members.iter().any(|m| m.tier == s.tier))
                    .map(|s| s.cidr)
                    .collect();
                locations.sort();
                locations.dedup();
                let spans = locations.iter().map(|&c| span(c)).collect();
                GroupNode {
                    name: g.name.clone(),
                    path: path.clone(),
                    members,
                    ingress: edges("ingress", &g.ingress),
                    egress,
                    locations,
                    spans,
                }
            })
            .collect();
        let mut nodes: Vec<GroupNode> = nodes;
        for e in nodes
            .iter_mut()
            .flat_map(|g| g.ingress.iter_mut().chain(g.egress.iter_mut()))
        {
            if let Node::V4(c) = e.peer {
                e.span = Some(span(c));
            }
        }
        let acls = Acls::new(design, &plan.allocation);
        let services = service_endpoints(plan, &acls, |name| {
            nodes.iter().position(|g| g.name == name)
        });
        Graph {
            groups: nodes,
            tiers,
            vpc,
            igw,
            acls,
            services,
        }
    }

    /// The index of group `name`.
    pub fn group(&self, name: &str) -> Option<usize> {
        self.groups.iter().position(|g| g.name == name)
    }

    /// Whether a rule peer `node` covers traffic from or to group `g`.
    pub fn peer_covers_group(&self, node: &Node, g: usize) -> bool {
        match node {
            Node::Group(i) => *i == g,
            Node::V4(c) => {
                let (a, b) = span(*c);
                self.groups[g].spans.iter().any(|&(x, y)| a <= y && x <= b)
            }
            Node::V6(_) | Node::Unknown(_) => false,
        }
    }

    /// Whether rule `e`'s peer covers traffic from or to group `g`.
    pub fn edge_covers_group(&self, e: &Edge, g: usize) -> bool {
        match (&e.peer, e.span) {
            (Node::Group(i), _) => *i == g,
            (_, Some((a, b))) => self.groups[g].spans.iter().any(|&(x, y)| a <= y && x <= b),
            (other, None) => self.peer_covers_group(other, g),
        }
    }

    /// The member of group `g` reachable from the internet, with the route table that makes it
    /// so, preferring IPv4 when `v4` is true.
    pub fn exposed_member(&self, g: usize, v4: bool) -> Option<(&Member, &str)> {
        self.exposed_members(g, v4).next()
    }

    /// Every member of group `g` reachable from the internet over IPv4 (`v4`) or IPv6, with
    /// the route table that makes it so.
    pub fn exposed_members(&self, g: usize, v4: bool) -> impl Iterator<Item = (&Member, &str)> {
        self.groups[g].members.iter().filter_map(move |m| {
            let t = self.tiers.get(&m.tier)?;
            if v4 {
                t.igw_v4
                    .as_deref()
                    .filter(|_| m.public_address)
                    .map(|rt| (m, rt))
            } else {
                t.igw_v6.as_deref().map(|rt| (m, rt))
            }
        })
    }

    /// The member of group `g` that can send IPv4 to the internet, with its route table and the
    /// gateway or NAT its traffic leaves through.
    pub fn egressing_member(&self, g: usize) -> Option<(&Member, String, String)> {
        self.egressing_members(g).next()
    }

    /// Every member of group `g` that can send IPv4 to the internet, with its route table and
    /// the gateway or NAT its traffic leaves through.
    pub fn egressing_members(&self, g: usize) -> impl Iterator<Item = (&Member, String, String)> {
        self.groups[g].members.iter().filter_map(move |m| {
            let t = self.tiers.get(&m.tier)?;
            if let (Some(rt), true, Some(igw)) = (&t.igw_v4, m.public_address, &self.igw) {
                return Some((m, rt.clone(), igw.clone()));
            }
            t.nat_v4.clone().map(|(rt, nat)| (m, rt, nat))
        })
    }

    /// How a rule's peer reads in a message: `group ecs`, `the internet`, `10.0.0.0/8`.
    pub fn describe_peer(&self, own: usize, origin: &Peer) -> String {
        match origin {
            Peer::Internet => "the internet".to_owned(),
            Peer::SelfGroup => format!("group {}", self.groups[own].name),
            Peer::Vpc => "the VPC".to_owned(),
            Peer::Group(g) => format!("group {g}"),
            Peer::Tier(t) => format!("tier {t}"),
            Peer::Cidr(c) if c.prefix_len() == 0 => "the internet (0.0.0.0/0)".to_owned(),
            Peer::Cidr(c) => c.to_string(),
            Peer::Ipv6Cidr(b) if b.is_any() => "the internet (::/0)".to_owned(),
            Peer::Ipv6Cidr(b) => b.to_string(),
        }
    }
}
