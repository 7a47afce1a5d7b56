//! The Informatica preset's facts, asserted on the built design and its plan: the guide's
//! subnets, gateways and routes, its SSH security group, the cluster installer and worker
//! node policies statement by statement, the roles, instance profiles and instances, and what
//! each parameter changes.

use planner_core::presets;
use planner_core::sg::graph::Graph;
use planner_core::sg::reach::Endpoint;
use planner_core::sg::Protocol;
use planner_core::{Design, Severity};
use serde_json::{json, Value};

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

fn reach(d: &Design, from: &str, to: &str) -> planner_core::sg::reach::Answer {
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

#[test]
fn roles_trust_ec2_and_hold_their_policies_with_instance_profiles_of_their_names() {
    for hardened in ["false", "true"] {
        let j = design_json(&build(&[("hardened", hardened)]));
        let trust = json!({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]
        });
        let installer = role(&j, "cluster_installer_role");
        let worker = role(&j, "worker_node_role");
        assert_eq!(installer["trust_policy"], trust);
        assert_eq!(worker["trust_policy"], trust);
        assert_eq!(
            worker["managed_policies"],
            json!([{"policy": "worker_node_policy"}])
        );
        let expected = if hardened == "true" {
            json!([{"policy": "cluster_installer_policy"}, {"policy": "cluster_installer_policy_2"}])
        } else {
            json!([{"policy": "cluster_installer_policy"}])
        };
        assert_eq!(
            installer["managed_policies"], expected,
            "hardened={hardened}"
        );
        assert_eq!(
            j["iam"]["instance_profiles"],
            json!([
                {"name": "cluster_installer_role", "role": "cluster_installer_role"},
                {"name": "worker_node_role", "role": "worker_node_role"}
            ])
        );
    }
}

#[test]
fn the_cluster_installer_policy_is_the_guides_statement_by_statement() {
    let j = design_json(&build(&[]));
    let st = statements(&j, "cluster_installer_policy");
    assert_eq!(
        sids(&st),
        [
            "VisualEditor0",
            "VisualEditor1",
            "VisualEditor2",
            "VisualEditor3",
            "VisualEditor4",
            "VisualEditor5",
            "VisualEditor6",
            "VisualEditor7",
            "VisualEditor8",
            "VisualEditor9",
            "VisualEditor10",
            "VisualEditor11",
            "VisualEditor13",
            "VisualEditor14",
            "VisualEditor19",
            "VisualEditor21",
            "VisualEditor22",
            "",
        ]
    );
    assert!(st.iter().all(|s| s["Effect"] == "Allow"));
    let ve0 = statement(&j, "VisualEditor0");
    assert_eq!(ve0["Action"].as_array().unwrap().len(), 8);
    assert_eq!(ve0["Resource"], "*");
    assert_eq!(
        statement(&j, "VisualEditor1"),
        json!({"Sid": "VisualEditor1", "Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"})
    );
    let ve2 = statement(&j, "VisualEditor2");
    assert_eq!(ve2["Action"], "ec2:RunInstances");
    assert_eq!(ve2["Resource"][0], ec2_any("security-group/*"));
    assert_eq!(
        ve2["Resource"][3],
        json!({"join": ["arn:", {"ref": "partition"}, ":ec2:*::snapshot/*"]})
    );
    assert_eq!(ve2["Resource"].as_array().unwrap().len(), 9);
    let ve3 = statement(&j, "VisualEditor3");
    assert_eq!(ve3["Action"].as_array().unwrap().len(), 12);
    assert_eq!(ve3["Resource"].as_array().unwrap().len(), 13);
    assert_eq!(
        ve3["Resource"][7],
        json!({"join": ["arn:", {"ref": "partition"}, ":ec2:", {"ref": "region"}, ":", {"ref": "account_id"}, ":route-table/*"]})
    );
    let ve4 = statement(&j, "VisualEditor4");
    assert_eq!(ve4["Action"].as_array().unwrap().len(), 30);
    assert!(ve4["Action"]
        .as_array()
        .unwrap()
        .contains(&json!("ec2:AssociateIamInstanceProfile")));
    assert_eq!(ve4["Resource"], "*");
    let ve5 = statement(&j, "VisualEditor5");
    assert_eq!(ve5["Action"], "ec2:CreateTags");
    let create_actions = ve5["Condition"]["StringEquals"]["ec2:CreateAction"]
        .as_array()
        .unwrap();
    assert_eq!(create_actions.len(), 11);
    assert!(create_actions.contains(&json!("network-interface")));
    assert_eq!(statement(&j, "VisualEditor6")["Resource"], ec2_any("vpc/*"));
    assert_eq!(
        statement(&j, "VisualEditor7")["Resource"][3],
        ec2_any("elastic-ip/*")
    );
    let ve8 = statement(&j, "VisualEditor8");
    assert_eq!(
        ve8["Resource"][0],
        json!({"join": ["arn:", {"ref": "partition"}, ":ec2:", {"ref": "region"}, ":", {"ref": "account_id"}, ":vpc/", {"ref": "vpc_id"}]})
    );
    assert_eq!(statement(&j, "VisualEditor9")["Action"], "ec2:CreateVolume");
    assert_eq!(
        statement(&j, "VisualEditor10")["Action"],
        json!([
            "elasticfilesystem:CreateMountTarget",
            "elasticfilesystem:Describe*"
        ])
    );
    assert_eq!(
        statement(&j, "VisualEditor11")["Action"][0],
        "elasticfilesystem:CreateFileSystem"
    );
    assert_eq!(
        statement(&j, "VisualEditor13"),
        json!({"Sid": "VisualEditor13", "Effect": "Allow", "Action": "iam:PassRole", "Resource": [
            {"ref": "role_arn", "role": "cluster_installer_role"},
            {"ref": "role_arn", "role": "worker_node_role"}
        ]})
    );
    assert_eq!(
        statement(&j, "VisualEditor14")["Action"],
        "sts:DecodeAuthorizationMessage"
    );
    let ve19 = statement(&j, "VisualEditor19");
    assert_eq!(ve19["Action"], "elasticloadbalancing:*");
    assert_eq!(ve19["Resource"].as_array().unwrap().len(), 9);
    let ve21 = statement(&j, "VisualEditor21");
    assert_eq!(ve21["Action"], "secretsmanager:*");
    assert_eq!(
        ve21["Resource"],
        json!({"join": ["arn:", {"ref": "partition"}, ":secretsmanager:*:", {"ref": "account_id"}, ":secret:*"]})
    );
    assert_eq!(statement(&j, "VisualEditor22")["Resource"], "*");
    assert_eq!(
        st[17],
        json!({"Effect": "Allow", "Action": ["elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeInstanceHealth"], "Resource": "*"})
    );
}

#[test]
fn the_worker_node_policy_is_the_guides() {
    let j = design_json(&build(&[]));
    let st = statements(&j, "worker_node_policy");
    assert_eq!(
        sids(&st),
        [
            "DescribeActions",
            "AutoscalingCapacity",
            "SecretsManagerAccess"
        ]
    );
    assert_eq!(st[0]["Action"].as_array().unwrap().len(), 11);
    assert_eq!(
        st[1]["Action"],
        json!([
            "autoscaling:SetDesiredCapacity",
            "autoscaling:TerminateInstanceInAutoScalingGroup"
        ])
    );
    assert_eq!(
        st[2],
        json!({"Sid": "SecretsManagerAccess", "Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"], "Resource": "*"})
    );
}

#[test]
fn no_placeholders_and_every_arn_names_its_partition() {
    for hardened in ["false", "true"] {
        let j = design_json(&build(&[("hardened", hardened)]));
        let text = j.to_string();
        for placeholder in ["{{", "<your", "ACCOUNTID", "arn:aws:"] {
            assert!(!text.contains(placeholder), "{placeholder} in {text}");
        }
        fn walk(v: &Value, out: &mut Vec<Value>) {
            match v {
                Value::Object(m) if m.contains_key("join") => out.push(v.clone()),
                Value::Object(m) => m.values().for_each(|x| walk(x, out)),
                Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
                _ => {}
            }
        }
        let mut joins = Vec::new();
        walk(&j["iam"], &mut joins);
        assert!(joins.len() > 40, "{}", joins.len());
        for join in joins {
            assert_eq!(join["join"][0], "arn:", "{join}");
            assert_eq!(join["join"][1], json!({"ref": "partition"}), "{join}");
        }
    }
}

#[test]
fn the_default_keeps_the_guides_risks_and_the_checks_flag_them() {
    let mut warnings: Vec<String> = findings(&build(&[]))
        .into_iter()
        .filter(|(_, s)| *s <= Severity::Warning)
        .map(|(c, s)| format!("{c} {s:?}"))
        .collect();
    warnings.sort();
    assert_eq!(
        warnings,
        ["IAM007 Warning", "IAM007 Warning", "SG001 Warning"]
    );
    let notes = findings(&build(&[]));
    // PassRole with RunInstances, on named roles: a note
    assert!(notes.contains(&("IAM006".to_owned(), Severity::Info)));
    assert!(notes.contains(&("IAM004".to_owned(), Severity::Info)));
}

#[test]
fn hardened_lists_actions_scopes_resources_and_keeps_every_statement() {
    let default = design_json(&build(&[]));
    let d = build(&[("hardened", "true")]);
    let j = design_json(&d);
    let all: Vec<Value> = ["cluster_installer_policy", "cluster_installer_policy_2"]
        .iter()
        .flat_map(|p| statements(&j, p))
        .collect();
    // every Sid of the guide is still there
    for sid in sids(&statements(&default, "cluster_installer_policy")) {
        if !sid.is_empty() {
            assert!(sids(&all).contains(&sid), "{sid}");
        }
    }
    // no service wildcard, and no region wildcard in an ARN
    let text = serde_json::to_string(&all).unwrap();
    for s in &all {
        for a in s["Action"]
            .as_array()
            .cloned()
            .unwrap_or_else(|| vec![s["Action"].clone()])
        {
            assert!(!a.as_str().unwrap().ends_with(":*"), "{a}");
        }
    }
    assert!(!text.contains(":ec2:*:"), "{text}");
    let ve21 = statement(&j, "VisualEditor21");
    assert!(ve21["Action"]
        .as_array()
        .unwrap()
        .contains(&json!("secretsmanager:GetSecretValue")));
    assert_eq!(
        statement(&j, "VisualEditor13")["Condition"],
        json!({"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}})
    );
    assert_ne!(statement(&j, "VisualEditor4")["Resource"], "*");
    assert_ne!(statement(&j, "VisualEditor22")["Resource"], "*");
    assert_ne!(statement(&j, "SecretsManagerAccess")["Resource"], "*");
    assert_ne!(statement(&j, "AutoscalingCapacity")["Resource"], "*");
    // what stays on "*" takes nothing else
    assert_eq!(statement(&j, "VisualEditor1")["Resource"], "*");
    assert_eq!(statement(&j, "VisualEditor14")["Resource"], "*");

    let f = findings(&d);
    assert!(
        !f.iter()
            .any(|(c, s)| *s <= Severity::Warning && (c.starts_with("SG") || c.starts_with("IAM"))),
        "{f:?}"
    );
}

#[test]
fn the_role_names_are_parameters() {
    let d = build(&[
        ("cluster_installer_role", "ere-installer"),
        ("worker_node_role", "ere-worker"),
    ]);
    let j = design_json(&d);
    role(&j, "ere-installer");
    role(&j, "ere-worker");
    assert_eq!(
        j["iam"]["instance_profiles"],
        json!([
            {"name": "ere-installer", "role": "ere-installer"},
            {"name": "ere-worker", "role": "ere-worker"}
        ])
    );
    assert_eq!(
        statement(&j, "VisualEditor13")["Resource"],
        json!([{"ref": "role_arn", "role": "ere-installer"}, {"ref": "role_arn", "role": "ere-worker"}])
    );
    let plan = plan_json(&d);
    assert_eq!(
        resource(&plan, "instance.master_node")["iam_instance_profile"],
        "iam_instance_profile.ere-installer"
    );
}

#[test]
fn one_name_for_both_roles_is_one_role_with_both_policies() {
    let d = build(&[
        ("cluster_installer_role", "ere"),
        ("worker_node_role", "ERE"),
    ]);
    let j = design_json(&d);
    assert_eq!(j["iam"]["roles"].as_array().unwrap().len(), 1);
    assert_eq!(
        role(&j, "ere")["managed_policies"],
        json!([{"policy": "cluster_installer_policy"}, {"policy": "worker_node_policy"}])
    );
    assert_eq!(
        statement(&j, "VisualEditor13")["Resource"],
        json!([{"ref": "role_arn", "role": "ere"}])
    );
    assert!(!findings(&d).iter().any(|(_, s)| *s == Severity::Error));
}

#[test]
fn the_installer_policy_fits_iams_limit_in_every_partition() {
    // The guide's policy is about 5,800 characters in `aws`; the longer partition name of
    // aws-us-gov takes it over 6,144, and the preset then splits it in two.
    for region in ["us-east-1", "cn-north-1", "us-gov-west-1", "ap-southeast-4"] {
        for hardened in ["false", "true"] {
            let d = build(&[("region", region), ("hardened", hardened)]);
            let errors: Vec<_> = findings(&d)
                .into_iter()
                .filter(|(_, s)| *s == Severity::Error)
                .collect();
            assert!(
                errors.is_empty(),
                "{region} hardened={hardened}: {errors:?}"
            );
        }
    }
    let names =
        |d: &Design| -> Vec<String> { d.iam.policies.iter().map(|p| p.name.clone()).collect() };
    assert_eq!(
        names(&build(&[])),
        ["cluster_installer_policy", "worker_node_policy"]
    );
    let gov = build(&[("region", "us-gov-west-1")]);
    assert_eq!(
        names(&gov),
        [
            "cluster_installer_policy",
            "cluster_installer_policy_2",
            "worker_node_policy"
        ]
    );
    // the split keeps the guide's statements, in order
    let j = design_json(&gov);
    let split: Vec<Value> = ["cluster_installer_policy", "cluster_installer_policy_2"]
        .iter()
        .flat_map(|p| statements(&j, p))
        .collect();
    let whole = statements(&design_json(&build(&[])), "cluster_installer_policy");
    assert_eq!(split, whole);
}
