//! Reaching an AWS service (`reach --to s3`): which way a group's traffic to the service
//! leaves the VPC, and whether it gets there. In AWS's order of preference for the service's
//! public name: a gateway endpoint in the member's route table (S3, DynamoDB) takes it; else
//! an interface endpoint with private DNS, whose name then resolves to the endpoint's network
//! interfaces inside the VPC (except S3's when the VPC also has an S3 gateway endpoint: it
//! then answers only queries from outside the VPC); else the member's route to the internet (NAT, or the internet
//! gateway for a public address). Security groups and network ACLs are checked on the way as
//! for any other destination: a gateway endpoint's traffic goes to the service's public
//! addresses (its prefix list), so the group must allow it out to the internet; an interface
//! endpoint's goes to the endpoint's interfaces, whose groups must admit it.

use super::endpoints::ServiceEndpoint;
use super::explain::{Block, Code};
use super::reach::{blocked, Answer};
use super::sg_graph::{Edge, Graph, Node};
use crate::design::endpoint::{EndpointKind, GATEWAY_SERVICES, KNOWN_INTERFACE_SERVICES};
use crate::design::sg::{PortRange, Protocol};
use crate::resource::Direction;

impl Graph {
    /// Whether `name` is an AWS service a question can ask about: one the plan has an endpoint
    /// for, or one the planner knows.
    pub fn is_service(&self, name: &str) -> bool {
        self.services.iter().any(|e| e.service == name)
            || GATEWAY_SERVICES.contains(&name)
            || KNOWN_INTERFACE_SERVICES.contains(&name)
    }

    /// Whether group `f`'s members reach AWS service `service` with `protocol` traffic on
    /// `port`, and which way: a gateway endpoint, an interface endpoint, or the internet.
    pub(crate) fn to_service(
        &self,
        f: usize,
        service: &str,
        protocol: Protocol,
        port: Option<u16>,
    ) -> Answer {
        let g = &self.groups[f];
        let what = match port {
            Some(p) => format!("{service} on {protocol} {p}"),
            None => service.to_owned(),
        };
        let asked = port.map_or(PortRange::ALL, PortRange::one);
        let gateway = self
            .services
            .iter()
            .find(|e| e.service == service && e.kind == EndpointKind::Gateway);
        // With an S3 gateway endpoint in the VPC, an S3 interface endpoint's private DNS
        // answers only queries from outside the VPC (AWS's default, which the executor keeps):
        // the VPC's own traffic takes the gateway, or the internet where no table has its route.
        let interface = self.services.iter().find(|e| {
            e.service == service
                && e.kind == EndpointKind::Interface
                && e.private_dns
                && !(service == "s3" && gateway.is_some())
        });
        let mut reasons: Vec<Block> = Vec::new();
        let push = |reasons: &mut Vec<Block>, b: Block| {
            if !reasons.contains(&b) {
                reasons.push(b);
            }
        };
        // Members a gateway endpoint serves: their traffic goes to the service's public
        // addresses through the endpoint's route.
        for m in &g.members {
            let Some((e, table)) =
                gateway.and_then(|e| e.route_tables.get(&m.tier).map(|t| (e, t)))
            else {
                continue;
            };
            let out = g.egress.iter().find(|r| {
                r.admits(protocol, port)
                    && r.from_internet(&self.vpc)
                    && matches!(r.peer, Node::V4(_))
            });
            let Some(out) = out else {
                push(
                    &mut reasons,
                    Block::new(
                        Code::EniSgRulesMismatch,
                        self.egress_block(
                            f,
                            protocol,
                            port,
                            &format!(
                                "the internet, where {service}'s addresses (its prefix list) are"
                            ),
                        ),
                    ),
                );
                continue;
            };
            match self.acl_internet(&m.tier, true, Direction::Egress, protocol, asked) {
                Ok(hops) => {
                    let mut path = vec![
                        format!("{} in tier {}", m.label, m.tier),
                        self.rule_hop(f, out, "allows out"),
                    ];
                    path.extend(hops.request);
                    path.extend([table.clone(), e.id.clone(), service.to_owned()]);
                    path.extend(hops.reply);
                    return Answer {
                        reachable: true,
                        message: format!(
                            "group {} reaches {what} through gateway endpoint {}: {}",
                            g.name,
                            e.id,
                            path.join(" → ")
                        ),
                        path,
                        blocked_by: Vec::new(),
                    };
                }
                Err(b) => push(&mut reasons, b),
            }
        }
        // Members no gateway endpoint serves: an interface endpoint, when the service's name
        // resolves to it.
        let unserved = g
            .members
            .iter()
            .any(|m| !gateway.is_some_and(|e| e.route_tables.contains_key(&m.tier)));
        if let (Some(e), true) = (interface, unserved) {
            match self.through_interface(f, e, protocol, port, asked) {
                Ok(path) => {
                    return Answer {
                        reachable: true,
                        message: format!(
                            "group {} reaches {what} through interface endpoint {}: {}",
                            g.name,
                            e.id,
                            path.join(" → ")
                        ),
                        path,
                        blocked_by: Vec::new(),
                    }
                }
                Err(bs) => {
                    for b in bs {
                        push(&mut reasons, b);
                    }
                }
            }
        } else if unserved {
            // The internet way: NAT or the internet gateway.
            let how = format!("{what} over the internet (no endpoint for {service} serves it)");
            let answer = self.outbound_to_internet(f, protocol, port, &how);
            if answer.reachable || reasons.is_empty() {
                return answer;
            }
            for b in answer.blocked_by {
                push(&mut reasons, b);
            }
        }
        if g.members.is_empty() {
            push(
                &mut reasons,
                Block::uncoded(format!("group {} is attached to nothing", g.name)),
            );
        }
        blocked(
            vec![format!("group {}", g.name)],
            format!("group {} cannot reach {what}", g.name),
            reasons,
        )
    }

    /// The path from group `f` to interface endpoint `e`, or what blocks it.
    fn through_interface(
        &self,
        f: usize,
        e: &ServiceEndpoint,
        protocol: Protocol,
        port: Option<u16>,
        asked: PortRange,
    ) -> Result<Vec<String>, Vec<Block>> {
        let g = &self.groups[f];
        let mut reasons = Vec::new();
        let out = g
            .egress
            .iter()
            .find(|r| r.admits(protocol, port) && self.edge_reaches_endpoint(r, e));
        if out.is_none() {
            reasons.push(Block::new(
                Code::EniSgRulesMismatch,
                self.egress_block(f, protocol, port, &format!("interface endpoint {}", e.id)),
            ));
        }
        let admit = e.groups.iter().find_map(|&gi| {
            self.groups[gi]
                .ingress
                .iter()
                .find(|r| r.admits(protocol, port) && self.edge_covers_group(r, f))
                .map(|r| (gi, r))
        });
        if admit.is_none() {
            let message = match e.groups.first() {
                Some(&gi) => format!(
                    "interface endpoint {}: {}",
                    e.id,
                    self.ingress_block(gi, protocol, port)
                ),
                None => format!(
                    "interface endpoint {} has no security group of the design, so it has the VPC's default group, which admits only its own members",
                    e.id
                ),
            };
            reasons.push(Block::new(Code::EniSgRulesMismatch, message));
        }
        let acl = self.acl_between_subnets(&self.group_subnets(f), &e.subnets, protocol, asked);
        match (out, admit, acl) {
            (Some(out), Some((gi, inn)), Ok(hops)) if reasons.is_empty() => {
                let mut path = vec![
                    format!("group {}", g.name),
                    self.rule_hop(f, out, "allows out"),
                ];
                path.extend(hops.request);
                path.push(self.rule_hop(gi, inn, "admits"));
                path.extend([e.id.clone(), e.service.clone()]);
                path.extend(hops.reply);
                Ok(path)
            }
            (_, _, acl) => {
                if let Err(b) = acl {
                    reasons.push(b);
                }
                Err(reasons)
            }
        }
    }

    /// Whether rule `r` lets traffic out to interface endpoint `e`'s network interfaces.
    fn edge_reaches_endpoint(&self, r: &Edge, e: &ServiceEndpoint) -> bool {
        match &r.peer {
            Node::Group(i) => e.groups.contains(i),
            Node::V4(c) => {
                !e.subnets.is_empty()
                    && e.subnets
                        .iter()
                        .all(|&s| c.contains(self.acls.subnets[s].cidr))
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::reach::Endpoint;
    use crate::analysis::sg_graph::Graph;
    use crate::design::sg::Protocol;

    fn json(nat: &str, extra: &str) -> String {
        format!(
            r#"{{"name": "d", "region": "us-east-1", "vpc": {{"cidr": "10.0.0.0/16"}},
                "availability_zones": 2, "nat": "{nat}",
                "tiers": [{{"name": "public", "kind": "public", "size": {{"prefix": 24}}}},
                          {{"name": "app", "kind": "private", "size": {{"prefix": 24}}}}],
                "security_groups": [
                  {{"name": "ecs", "description": "ecs", "attached_to": [{{"role": "app", "tier": "app"}}]}},
                  {{"name": "endpoints", "description": "endpoints", "default_egress": false,
                    "attached_to": [{{"role": "generic", "tier": "app"}}],
                    "ingress": [{{"protocol": "tcp", "ports": 443, "peer": {{"group": "ecs"}}}}]}}]
                {extra}}}"#
        )
    }

    fn graph_of(json: &str) -> Graph {
        let design = crate::parse_design(json).expect("valid");
        Graph::new(&crate::plan(&design, None).expect("plans").plan)
    }

    fn graph(nat: &str, extra: &str) -> Graph {
        graph_of(&json(nat, extra))
    }

    fn ask(g: &Graph, to: &str) -> crate::analysis::reach::Answer {
        let to = g.endpoint(to);
        g.reach(
            &Endpoint::Group("ecs".into()),
            &to,
            Protocol::Tcp,
            Some(443),
        )
        .expect("answers")
    }

    #[test]
    fn a_gateway_endpoint_takes_s3_off_nat() {
        let g = graph(
            "single_gateway",
            r#", "endpoints": [{"service": "s3", "kind": "gateway", "tiers": ["app"]}]"#,
        );
        let a = ask(&g, "s3");
        assert!(a.reachable, "{}", a.message);
        assert!(
            a.message.starts_with(
                "group ecs reaches s3 on tcp 443 through gateway endpoint vpc_endpoint.s3.gateway:"
            ),
            "{}",
            a.message
        );
        assert!(
            a.path.contains(&"route_table.app".to_owned()),
            "{:?}",
            a.path
        );
    }

    #[test]
    fn without_an_endpoint_s3_is_reached_through_nat() {
        let a = ask(&graph("single_gateway", ""), "s3");
        assert!(a.reachable, "{}", a.message);
        assert!(
            a.message
                .contains("over the internet (no endpoint for s3 serves it)"),
            "{}",
            a.message
        );
        assert!(
            a.path.iter().any(|h| h.starts_with("nat_gateway.")),
            "{:?}",
            a.path
        );
    }

    #[test]
    fn an_interface_endpoint_needs_its_group_to_admit_the_caller() {
        let ep = r#", "endpoints": [{"service": "ecr.api", "kind": "interface", "tiers": ["app"], "security_groups": ["endpoints"]}]"#;
        let a = ask(&graph("none", ep), "ecr.api");
        assert!(a.reachable, "{}", a.message);
        assert!(
            a.message
                .contains("through interface endpoint vpc_endpoint.ecr.api.interface"),
            "{}",
            a.message
        );

        let shut = json("none", ep).replace(r#""ports": 443"#, r#""ports": 8443"#);
        let a = ask(&graph_of(&shut), "ecr.api");
        assert!(!a.reachable);
        assert_eq!(
            a.message,
            "group ecs cannot reach ecr.api on tcp 443: interface endpoint vpc_endpoint.ecr.api.interface: group endpoints admits nothing on tcp 443"
        );
    }

    #[test]
    fn an_isolated_tier_without_an_endpoint_has_no_route() {
        let a = ask(&graph("none", ""), "s3");
        assert!(!a.reachable);
        assert!(
            a.blocked_by
                .iter()
                .any(|b| b.code.map(|c| c.as_str()) == Some("NO_ROUTE_TO_DESTINATION")),
            "{:?}",
            a.blocked_by
        );
    }

    #[test]
    fn an_s3_interface_endpoint_beside_a_gateway_serves_only_outside_queries() {
        // The gateway serves tier public only; app's traffic goes by its route, through NAT,
        // since S3's name does not resolve to the interface endpoint inside the VPC.
        let both = r#", "endpoints": [
            {"service": "s3", "kind": "gateway", "tiers": ["public"]},
            {"service": "s3", "kind": "interface", "tiers": ["app"], "security_groups": ["endpoints"]}]"#;
        let a = ask(&graph("single_gateway", both), "s3");
        assert!(a.message.contains("over the internet"), "{}", a.message);
        let design = crate::parse_design(&json("single_gateway", both)).expect("valid");
        let plan = crate::plan(&design, None).expect("plans").plan;
        let interface = plan
            .resources
            .iter()
            .find(|r| r.id == "vpc_endpoint.s3.interface")
            .expect("planned");
        assert!(interface
            .depends_on
            .contains(&"vpc_endpoint.s3.gateway".to_owned()));
        // Alone, it takes the VPC's S3 traffic.
        let alone = r#", "endpoints": [
            {"service": "s3", "kind": "interface", "tiers": ["app"], "security_groups": ["endpoints"]}]"#;
        let a = ask(&graph("single_gateway", alone), "s3");
        assert!(
            a.message
                .contains("through interface endpoint vpc_endpoint.s3.interface"),
            "{}",
            a.message
        );
    }
}
