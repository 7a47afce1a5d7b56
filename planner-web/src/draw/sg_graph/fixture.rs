//! A small design for the tests of the security-group graph and its views.

use planner_core::analysis::sg_graph::Graph;
use serde_json::json;

/// A load balancer and a bastion open to the internet, an app behind the load balancer, a
/// database behind both, an office block let into the app, and a group attached to nothing.
pub fn graph() -> Graph {
    let group = |name: &str, role: &str, tier: &str, ingress: serde_json::Value| {
        json!({"name": name, "description": name,
               "attached_to": [{"role": role, "tier": tier}], "ingress": ingress})
    };
    let design = json!({
        "name": "shop", "region": "us-east-1", "vpc": {"cidr": "10.0.0.0/16"},
        "availability_zones": 2, "nat": "none",
        "tiers": [{"name": "public", "kind": "public", "size": {"prefix": 24}},
                  {"name": "private", "kind": "private", "size": {"prefix": 22}}],
        "security_groups": [
            group("db", "database", "private", json!([
                {"protocol": "tcp", "ports": 5432, "peer": {"group": "app"}},
                {"protocol": "tcp", "ports": 5432, "peer": {"group": "bastion"}}])),
            group("app", "app", "private", json!([
                {"protocol": "tcp", "ports": 8080, "peer": {"group": "alb"}},
                {"protocol": "tcp", "ports": 22, "peer": {"cidr": "192.168.0.0/16"}},
                {"protocol": "tcp", "ports": "8000-8100", "peer": "self"}])),
            group("alb", "load_balancer", "public", json!([
                {"protocol": "tcp", "ports": 443, "peer": "internet"}])),
            group("bastion", "bastion", "public", json!([
                {"protocol": "tcp", "ports": 22, "peer": "internet"}])),
            {"name": "spare", "description": "spare", "ingress": [
                {"protocol": "all", "peer": "vpc"}]}
        ]
    });
    let design = planner_core::parse_design(&design.to_string()).expect("valid");
    Graph::new(&planner_core::plan(&design, None).expect("plans").plan)
}
