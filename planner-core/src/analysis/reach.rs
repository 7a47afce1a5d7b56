//! Reachability before anything is deployed: can A reach B on a port, and if not, which hop
//! blocks it. Also the exposure report (what the internet reaches) and the all-pairs matrix.
//!
//! The path followed is the one AWS's Reachability Analyzer follows: internet → internet
//! gateway → the member's route table → the subnet's network ACL → its public address → the
//! destination group's ingress, and the reply back out through the ACL; between groups, the
//! source's egress, the source subnet's ACL out, the destination subnet's ACL in and the
//! destination's ingress, and the reply through both ACLs the other way (routing inside a VPC
//! is always local). Security groups are stateful, so their replies always get through;
//! network ACLs are not (`acl_reach` says how they are evaluated). A tier in no ACL of
//! the design uses the VPC's default one: AWS's allow-all, or with `default_network_acl:
//! deny_all` only its final deny.
//!
//! Every hop that blocks is a [`Block`]: AWS's explanation code beside our sentence.

use std::fmt;

use serde::Serialize;

use super::acl_reach::AclHops;
use super::explain::{Block, Code};
use super::sg_graph::{Edge, Graph, Node};
use crate::design::sg::{PortRange, Protocol};
use crate::resource::Direction;

/// One end of a question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Endpoint {
    /// Anywhere on the internet.
    Internet,
    /// The members of a security group, by group name.
    Group(String),
    /// An AWS service, by its endpoint name (`s3`, `ecr.api`): only a destination.
    Service(String),
}

impl Endpoint {
    /// `internet` or a group name; [`Graph::endpoint`] also knows AWS services.
    pub fn parse(s: &str) -> Endpoint {
        if s == "internet" {
            Endpoint::Internet
        } else {
            Endpoint::Group(s.to_owned())
        }
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Endpoint::Internet => f.write_str("the internet"),
            Endpoint::Group(g) | Endpoint::Service(g) => f.write_str(g),
        }
    }
}

/// The answer to a reachability question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Answer {
    /// Whether traffic gets through.
    pub reachable: bool,
    /// The hops traffic takes, up to the blocking one when it does not get through.
    pub path: Vec<String>,
    /// One line: the path, or the hops that block it.
    pub message: String,
    /// The hops that block it, each with AWS's explanation code; empty when it gets through.
    pub blocked_by: Vec<Block>,
}

/// An answer that it does not get through: `head` (`the internet cannot reach db:5432`) and
/// every blocking hop.
pub(super) fn blocked(path: Vec<String>, head: String, blocks: Vec<Block>) -> Answer {
    let reasons: Vec<&str> = blocks.iter().map(|b| b.message.as_str()).collect();
    Answer {
        reachable: false,
        path,
        message: format!("{head}: {}", reasons.join("; and ")),
        blocked_by: blocks,
    }
}

fn push_new(blocks: &mut Vec<Block>, b: Block) {
    if !blocks.contains(&b) {
        blocks.push(b);
    }
}

/// A question the graph cannot answer: it names a group that does not exist.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("no security group named {0:?}")]
pub struct UnknownGroup(pub String);

fn traffic(protocol: Protocol, port: Option<u16>) -> String {
    match port {
        Some(p) => format!("{protocol} {p}"),
        None => format!("{protocol}"),
    }
}

fn target(to: &str, port: Option<u16>) -> String {
    match port {
        Some(p) => format!("{to}:{p}"),
        None => to.to_owned(),
    }
}

impl Graph {
    /// What a question's side names: `internet`, a group of the design, or else an AWS service
    /// the plan has an endpoint for or the planner knows (`s3`, `ecr.api`); a name that is none
    /// of these is taken for a group, which [`Graph::reach`] reports unknown.
    pub fn endpoint(&self, s: &str) -> Endpoint {
        if s == "internet" {
            Endpoint::Internet
        } else if self.group(s).is_none() && self.is_service(s) {
            Endpoint::Service(s.to_owned())
        } else {
            Endpoint::Group(s.to_owned())
        }
    }

    /// Whether `from` reaches `to` with `protocol` traffic on `port` (`None`: every port).
    ///
    /// ```
    /// # let design = planner_core::parse_design(r#"{"name": "d", "region": "us-east-1",
    /// #   "vpc": {"cidr": "10.0.0.0/16"}, "availability_zones": 2, "nat": "none",
    /// #   "tiers": [{"name": "public", "kind": "public", "size": {"prefix": 24}},
    /// #             {"name": "data", "kind": "isolated", "size": {"prefix": 24}}],
    /// #   "security_groups": [
    /// #     {"name": "web", "description": "web", "attached_to": [{"role": "app", "tier": "public"}],
    /// #      "ingress": [{"protocol": "tcp", "ports": 443, "peer": "internet"}]},
    /// #     {"name": "db", "description": "db", "attached_to": [{"role": "database", "tier": "data"}],
    /// #      "ingress": [{"protocol": "tcp", "ports": 5432, "peer": {"group": "web"}}]}]}"#).unwrap();
    /// use planner_core::analysis::{reach::Endpoint, sg_graph::Graph};
    /// use planner_core::design::sg::Protocol;
    /// let plan = planner_core::plan(&design, None).unwrap().plan;
    /// let graph = Graph::new(&plan);
    /// let no = graph.reach(&Endpoint::Internet, &Endpoint::Group("db".into()), Protocol::Tcp, Some(5432)).unwrap();
    /// assert_eq!(no.message, "the internet cannot reach db:5432: group db admits tcp 5432 only \
    ///     from group web; and database of group db is in tier data, which has no route from the \
    ///     internet gateway");
    /// let yes = graph.reach(&Endpoint::Group("web".into()), &Endpoint::Group("db".into()), Protocol::Tcp, Some(5432)).unwrap();
    /// assert!(yes.reachable);
    /// ```
    pub fn reach(
        &self,
        from: &Endpoint,
        to: &Endpoint,
        protocol: Protocol,
        port: Option<u16>,
    ) -> Result<Answer, UnknownGroup> {
        if let Endpoint::Service(s) = from {
            return Ok(blocked(
                vec![s.clone()],
                format!("{s} cannot reach {to}"),
                vec![Block::uncoded(format!(
                    "{s} is an AWS service: it answers the VPC's connections but opens none into it"
                ))],
            ));
        }
        if let Endpoint::Service(s) = to {
            return Ok(match from {
                Endpoint::Group(g) => {
                    let f = self.group(g).ok_or_else(|| UnknownGroup(g.clone()))?;
                    self.to_service(f, s, protocol, port)
                }
                _ => Answer {
                    reachable: true,
                    path: vec!["internet".to_owned(), s.clone()],
                    message: format!("the internet reaches {s} outside the VPC"),
                    blocked_by: Vec::new(),
                },
            });
        }
        let index = |e: &Endpoint| match e {
            // A service was answered above.
            Endpoint::Internet | Endpoint::Service(_) => Ok(None),
            Endpoint::Group(g) => self
                .group(g)
                .map(Some)
                .ok_or_else(|| UnknownGroup(g.clone())),
        };
        let (f, t) = (index(from)?, index(to)?);
        let head = |to: &str| target(to, port);
        Ok(match (f, t) {
            (None, None) => Answer {
                reachable: true,
                path: vec!["internet".to_owned()],
                message: "the internet reaches itself".to_owned(),
                blocked_by: Vec::new(),
            },
            (None, Some(t)) => {
                self.inbound_from_internet(t, protocol, port, &head(&self.groups[t].name))
            }
            (Some(f), None) => {
                let what = match port {
                    Some(p) => format!("the internet on {protocol} {p}"),
                    None => "the internet".to_owned(),
                };
                self.outbound_to_internet(f, protocol, port, &what)
            }
            (Some(f), Some(t)) => self.between(f, t, protocol, port, &head(&self.groups[t].name)),
        })
    }

    fn inbound_from_internet(
        &self,
        t: usize,
        protocol: Protocol,
        port: Option<u16>,
        what: &str,
    ) -> Answer {
        let g = &self.groups[t];
        let admitting: Vec<&Edge> = g
            .ingress
            .iter()
            .filter(|e| e.admits(protocol, port) && e.from_internet(&self.vpc))
            .collect();
        let asked = port.map_or(PortRange::ALL, PortRange::one);
        let mut acl_blocks = Vec::new();
        for rule in &admitting {
            let v4 = matches!(rule.peer, Node::V4(_));
            for (m, rt) in self.exposed_members(t, v4) {
                let hops = match self.acl_internet(&m.tier, v4, Direction::Ingress, protocol, asked)
                {
                    Ok(hops) => hops,
                    Err(b) => {
                        push_new(&mut acl_blocks, b);
                        continue;
                    }
                };
                let mut path = vec!["internet".to_owned()];
                path.extend(self.igw.clone());
                path.push(rt.to_owned());
                path.extend(hops.request);
                path.push(format!(
                    "{} ({} address in tier {})",
                    m.label,
                    if v4 { "public" } else { "IPv6" },
                    m.tier
                ));
                path.push(self.rule_hop(t, rule, "admits"));
                path.extend(hops.reply);
                return Answer {
                    reachable: true,
                    message: format!("the internet reaches {what}: {}", path.join(" → ")),
                    path,
                    blocked_by: Vec::new(),
                };
            }
        }
        if admitting.is_empty() {
            // What the ACLs would do as well: the first member the internet has a route to.
            let first = [true, false]
                .into_iter()
                .find_map(|v4| self.exposed_members(t, v4).next().map(|(m, _)| (m, v4)));
            if let Some((m, v4)) = first {
                if let Err(b) = self.acl_internet(&m.tier, v4, Direction::Ingress, protocol, asked)
                {
                    acl_blocks.push(b);
                }
            }
        }
        let mut reasons = Vec::new();
        if admitting.is_empty() {
            reasons.push(Block::new(
                Code::EniSgRulesMismatch,
                self.ingress_block(t, protocol, port),
            ));
        }
        if g.members.is_empty() {
            reasons.push(Block::uncoded(format!(
                "group {} is attached to nothing",
                g.name
            )));
        } else if self.exposed_member(t, true).is_none() && self.exposed_member(t, false).is_none()
        {
            let m = &g.members[0];
            let (code, why) = match self.tiers.get(&m.tier) {
                Some(r) if r.igw_v4.is_some() => (
                    Code::IgwPrivateIpAssociationForIngress,
                    "has no public address".to_owned(),
                ),
                _ => (
                    Code::NoRouteToDestination,
                    format!(
                        "is in tier {}, which has no route from the internet gateway",
                        m.tier
                    ),
                ),
            };
            reasons.push(Block::new(
                code,
                format!("{} of group {} {why}", m.label, g.name),
            ));
        } else if !admitting.is_empty() && acl_blocks.is_empty() {
            reasons.push(Block::new(
                Code::NoRouteToDestination,
                format!(
                    "the rules admitting it are for an address family no member of group {} is reachable on",
                    g.name
                ),
            ));
        }
        reasons.extend(acl_blocks);
        blocked(
            vec!["internet".to_owned()],
            format!("the internet cannot reach {what}"),
            reasons,
        )
    }

    pub(super) fn outbound_to_internet(
        &self,
        f: usize,
        protocol: Protocol,
        port: Option<u16>,
        what: &str,
    ) -> Answer {
        let g = &self.groups[f];
        let allowing = g.egress.iter().find(|e| {
            e.admits(protocol, port) && e.from_internet(&self.vpc) && matches!(e.peer, Node::V4(_))
        });
        let asked = port.map_or(PortRange::ALL, PortRange::one);
        let mut acl_blocks = Vec::new();
        let mut route = None;
        for (m, rt, gw) in self.egressing_members(f) {
            match self.acl_internet(&m.tier, true, Direction::Egress, protocol, asked) {
                Ok(hops) => {
                    route = Some((m, rt, gw, hops));
                    break;
                }
                Err(b) => push_new(&mut acl_blocks, b),
            }
        }
        let routed = self.egressing_member(f).is_some();
        match (allowing, route) {
            (Some(rule), Some((m, rt, gw, hops))) => {
                let AclHops { request, reply } = hops;
                let mut path = vec![
                    format!("{} in tier {}", m.label, m.tier),
                    self.rule_hop(f, rule, "allows out"),
                ];
                path.extend(request);
                path.extend([rt, gw, "internet".to_owned()]);
                path.extend(reply);
                Answer {
                    reachable: true,
                    message: format!("group {} reaches {what}: {}", g.name, path.join(" → ")),
                    path,
                    blocked_by: Vec::new(),
                }
            }
            (rule, _) => {
                let mut reasons = Vec::new();
                if rule.is_none() {
                    reasons.push(Block::new(
                        Code::EniSgRulesMismatch,
                        self.egress_block(f, protocol, port, "the internet"),
                    ));
                }
                if g.members.is_empty() {
                    reasons.push(Block::uncoded(format!(
                        "group {} is attached to nothing",
                        g.name
                    )));
                } else if !routed {
                    reasons.push(Block::new(
                        Code::NoRouteToDestination,
                        format!(
                            "no member of group {} has a route to the internet (no public address with an internet gateway route, no NAT)",
                            g.name
                        ),
                    ));
                }
                reasons.extend(acl_blocks);
                blocked(
                    vec![format!("group {}", g.name)],
                    format!("group {} cannot reach {what}", g.name),
                    reasons,
                )
            }
        }
    }

    fn between(
        &self,
        f: usize,
        t: usize,
        protocol: Protocol,
        port: Option<u16>,
        what: &str,
    ) -> Answer {
        let (src, dst) = (&self.groups[f], &self.groups[t]);
        let out = src
            .egress
            .iter()
            .find(|e| e.admits(protocol, port) && self.edge_covers_group(e, t));
        let inn = dst
            .ingress
            .iter()
            .find(|e| e.admits(protocol, port) && self.edge_covers_group(e, f));
        let acl = self.acl_between(f, t, protocol, port.map_or(PortRange::ALL, PortRange::one));
        let mut reasons = Vec::new();
        if src.members.is_empty() {
            reasons.push(Block::uncoded(format!(
                "group {} is attached to nothing",
                src.name
            )));
        }
        if dst.members.is_empty() {
            reasons.push(Block::uncoded(format!(
                "group {} is attached to nothing",
                dst.name
            )));
        }
        if out.is_none() {
            reasons.push(Block::new(
                Code::EniSgRulesMismatch,
                self.egress_block(f, protocol, port, &format!("group {}", dst.name)),
            ));
        }
        if inn.is_none() {
            reasons.push(Block::new(
                Code::EniSgRulesMismatch,
                self.ingress_block(t, protocol, port),
            ));
        }
        match (out, inn, acl) {
            (Some(out), Some(inn), Ok(hops)) if reasons.is_empty() => {
                let mut path = vec![
                    format!("group {}", src.name),
                    self.rule_hop(f, out, "allows out"),
                ];
                path.extend(hops.request);
                path.push(self.rule_hop(t, inn, "admits"));
                path.push(format!("group {}", dst.name));
                path.extend(hops.reply);
                Answer {
                    reachable: true,
                    message: format!("group {} reaches {what}: {}", src.name, path.join(" → ")),
                    path,
                    blocked_by: Vec::new(),
                }
            }
            (_, _, acl) => {
                if let Err(b) = acl {
                    reasons.push(b);
                }
                blocked(
                    vec![format!("group {}", src.name)],
                    format!("group {} cannot reach {what}", src.name),
                    reasons,
                )
            }
        }
    }

    pub(super) fn rule_hop(&self, g: usize, rule: &Edge, verb: &str) -> String {
        let group = &self.groups[g].name;
        let what = if rule.protocol == Protocol::All {
            "all traffic".to_owned()
        } else if rule.ports == PortRange::ALL {
            format!("all {}", rule.protocol)
        } else {
            format!("{} {}", rule.protocol, rule.ports)
        };
        let dir = if verb == "admits" { "from" } else { "to" };
        let peer = if rule.default {
            "anywhere (default egress)".to_owned()
        } else {
            self.describe_peer(g, &rule.origin)
        };
        format!("group {group} {verb} {what} {dir} {peer}")
    }

    /// "group db admits tcp 5432 only from group ecs" or "group db admits nothing on tcp 5432".
    pub(super) fn ingress_block(&self, t: usize, protocol: Protocol, port: Option<u16>) -> String {
        let g = &self.groups[t];
        let mut sources: Vec<String> = g
            .ingress
            .iter()
            .filter(|e| e.admits(protocol, port))
            .map(|e| self.describe_peer(t, &e.origin))
            .collect();
        sources.dedup();
        if sources.is_empty() {
            format!(
                "group {} admits nothing on {}",
                g.name,
                traffic(protocol, port)
            )
        } else {
            format!(
                "group {} admits {} only from {}",
                g.name,
                traffic(protocol, port),
                sources.join(", ")
            )
        }
    }

    pub(super) fn egress_block(
        &self,
        f: usize,
        protocol: Protocol,
        port: Option<u16>,
        dest: &str,
    ) -> String {
        let g = &self.groups[f];
        let revoked = if g.egress.iter().any(|e| e.default) {
            ""
        } else {
            " (its default egress is revoked)"
        };
        format!(
            "group {} allows no {} out to {dest}{revoked}",
            g.name,
            traffic(protocol, port)
        )
    }
}
