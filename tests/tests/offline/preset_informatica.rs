//! The Informatica preset's facts, asserted on the built design and its plan: the guide's
//! subnets, gateways and routes, its SSH security group, the cluster installer and worker
//! node policies statement by statement, the roles, instance profiles and instances, and what
//! each parameter changes.

use planner_core::analysis::reach::Endpoint;
use planner_core::analysis::sg_graph::Graph;
use planner_core::design::sg::Protocol;
use planner_core::presets;
use planner_core::{Design, Severity};
use serde_json::{json, Value};

mod iam;

fn build(set: &[(&str, &str)]) -> Design {
    presets::build("informatica", set).unwrap()
}

fn design_json(d: &Design) -> Value {
    serde_json::to_value(d).unwrap()
}

fn plan_json(d: &Design) -> Value {
    serde_json::from_str(&planner_core::plan(d, None).unwrap().plan.to_json()).unwrap()
}

fn resources<'a>(plan: &'a Value, kind: &str) -> Vec<&'a Value> {
    plan["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["type"] == kind)
        .collect()
}

fn resource<'a>(plan: &'a Value, id: &str) -> &'a Value {
    plan["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no resource {id}"))
}

/// The design's policy `name`.
fn policy(d: &Value, name: &str) -> Value {
    d["iam"]["policies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("no policy {name}"))
        .clone()
}

fn statements(d: &Value, name: &str) -> Vec<Value> {
    policy(d, name)["document"]["Statement"]
        .as_array()
        .unwrap()
        .clone()
}

/// The statement with this Sid, in any policy of the design.
fn statement(d: &Value, sid: &str) -> Value {
    d["iam"]["policies"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["document"]["Statement"].as_array().unwrap().clone())
        .find(|s| s["Sid"] == sid)
        .unwrap_or_else(|| panic!("no statement {sid}"))
}

fn sids(statements: &[Value]) -> Vec<String> {
    statements
        .iter()
        .map(|s| s["Sid"].as_str().unwrap_or("").to_owned())
        .collect()
}

fn role<'a>(d: &'a Value, name: &str) -> &'a Value {
    d["iam"]["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no role {name}"))
}

fn findings(d: &Design) -> Vec<(String, Severity)> {
    planner_core::plan(d, None)
        .unwrap()
        .diagnostics
        .iter()
        .map(|x| (x.code.to_string(), x.severity))
        .collect()
}

fn reach(d: &Design, from: &str, to: &str) -> planner_core::analysis::reach::Answer {
    let plan = planner_core::plan(d, None).unwrap().plan;
    Graph::new(&plan)
        .reach(
            &Endpoint::parse(from),
            &Endpoint::parse(to),
            Protocol::Tcp,
            Some(22),
        )
        .unwrap()
}

/// `arn:<partition>:ec2:*:<account>:<resource>` as the preset writes the guide's ARNs.
fn ec2_any(resource: &str) -> Value {
    json!({"join": ["arn:", {"ref": "partition"}, ":ec2:*:", {"ref": "account_id"}, format!(":{resource}")]})
}

#[test]
fn parameters_are_the_issues() {
    let info = presets::list()
        .into_iter()
        .find(|p| p.name == "informatica")
        .unwrap();
    let params: Vec<(&str, &str)> = info.params.iter().map(|p| (p.key, p.default)).collect();
    assert_eq!(
        params,
        [
            ("vpc_cidr", "10.0.0.0/16"),
            ("region", "us-east-1"),
            ("azs", "1"),
            ("cluster_installer_role", "cluster_installer_role"),
            ("worker_node_role", "worker_node_role"),
            ("hardened", "false"),
        ]
    );
    assert!(info.summary.contains("Informatica"), "{}", info.summary);
    let e = presets::build("informatica", &[("worker_node_role", "worker node")])
        .unwrap_err()
        .to_string();
    assert!(e.contains("worker_node_role"), "{e}");
}

#[test]
fn one_public_and_one_private_subnet_with_nat_and_routes() {
    let d = build(&[]);
    assert_eq!(d.region, "us-east-1");
    let plan = plan_json(&d);
    assert_eq!(resource(&plan, "vpc.main")["cidr_block"], "10.0.0.0/16");
    let subnets = resources(&plan, "subnet");
    let tiers: Vec<(&str, &str)> = subnets
        .iter()
        .map(|s| {
            (
                s["tier"].as_str().unwrap(),
                s["availability_zone"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(tiers, [("public", "us-east-1a"), ("private", "us-east-1a")]);
    assert_eq!(
        resource(&plan, "subnet.public.a")["map_public_ip_on_launch"],
        true
    );
    assert_eq!(
        resource(&plan, "subnet.private.a")["map_public_ip_on_launch"],
        false
    );

    assert_eq!(resources(&plan, "internet_gateway").len(), 1);
    let nats = resources(&plan, "nat_gateway");
    assert_eq!(nats.len(), 1);
    assert_eq!(nats[0]["subnet"], "subnet.public.a");

    assert_eq!(resources(&plan, "route_table").len(), 2);
    let public = resource(&plan, "route.public.ipv4-default");
    assert_eq!(public["destination"], json!({"ipv4": "0.0.0.0/0"}));
    assert_eq!(
        public["target"],
        json!({"internet_gateway": "internet_gateway.main"})
    );
    let private = resource(&plan, "route.private.ipv4-default");
    assert_eq!(private["target"], json!({"nat_gateway": "nat_gateway.a"}));
    assert_eq!(
        resource(&plan, "route_table_association.private.a")["route_table"],
        "route_table.private"
    );
}

#[test]
fn network_parameters() {
    let d = build(&[
        ("vpc_cidr", "192.168.0.0/20"),
        ("region", "eu-west-1"),
        ("azs", "2"),
    ]);
    let plan = plan_json(&d);
    assert_eq!(resource(&plan, "vpc.main")["cidr_block"], "192.168.0.0/20");
    let zones: Vec<&str> = resources(&plan, "subnet")
        .iter()
        .map(|s| s["availability_zone"].as_str().unwrap())
        .collect();
    assert_eq!(zones.len(), 4);
    assert!(zones.iter().all(|z| z.starts_with("eu-west-1")));
    // still one NAT gateway, serving both zones
    assert_eq!(resources(&plan, "nat_gateway").len(), 1);
    assert!(findings(&d).contains(&("NET007".to_owned(), Severity::Warning)));
}

#[test]
fn the_ssh_group_admits_ssh_from_anywhere_on_the_jump_host_and_the_master_node() {
    let d = build(&[]);
    let j = design_json(&d);
    let groups = j["security_groups"].as_array().unwrap();
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0]["name"], "elastic_runtime_ssh");
    assert_eq!(
        groups[0]["ingress"],
        json!([{"protocol": "tcp", "ports": 22, "peer": "internet", "description": "SSH"}])
    );
    let plan = plan_json(&d);
    for instance in ["instance.jump_host", "instance.master_node"] {
        assert_eq!(
            resource(&plan, instance)["security_groups"],
            json!(["security_group.elastic_runtime_ssh"]),
            "{instance}"
        );
    }
    let a = reach(&d, "internet", "elastic_runtime_ssh");
    assert!(a.reachable, "{}", a.message);
}

#[test]
fn hardened_ssh_goes_through_the_jump_host() {
    let d = build(&[("hardened", "true")]);
    let plan = plan_json(&d);
    assert_eq!(
        resource(&plan, "instance.jump_host")["security_groups"],
        json!(["security_group.jump_host_ssh"])
    );
    assert_eq!(
        resource(&plan, "instance.master_node")["security_groups"],
        json!(["security_group.elastic_runtime_ssh"])
    );
    let j = design_json(&d);
    let ssh = j["security_groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == "elastic_runtime_ssh")
        .unwrap();
    assert_eq!(ssh["ingress"][0]["peer"], json!({"group": "jump_host_ssh"}));
    assert_eq!(ssh["ingress"].as_array().unwrap().len(), 1);

    assert!(reach(&d, "internet", "jump_host_ssh").reachable);
    let a = reach(&d, "internet", "elastic_runtime_ssh");
    assert!(!a.reachable, "{}", a.message);
    let a = reach(&d, "jump_host_ssh", "elastic_runtime_ssh");
    assert!(a.reachable, "{}", a.message);
}

#[test]
fn instances_in_their_subnets_with_the_installer_role_on_the_master_node() {
    let plan = plan_json(&build(&[]));
    let jump = resource(&plan, "instance.jump_host");
    assert_eq!(jump["role"], "jump_host");
    assert_eq!(jump["subnet"], "subnet.public.a");
    assert_eq!(jump["associate_public_ip_address"], true);
    assert!(jump.get("iam_instance_profile").is_none_or(Value::is_null));
    let master = resource(&plan, "instance.master_node");
    assert_eq!(master["role"], "master_node");
    assert_eq!(master["subnet"], "subnet.private.a");
    assert_eq!(master["associate_public_ip_address"], false);
    assert_eq!(
        master["iam_instance_profile"],
        "iam_instance_profile.cluster_installer_role"
    );
    assert_eq!(resources(&plan, "instance").len(), 2);
}
