//! The executor's derived policy: real actions only, scoped to the plan, nothing for resource
//! types the plan does not hold.

use planner_core::analysis::executor_policy::{
    grants, policy, Target, BACK_TO_THE_DEFAULT_ACL, DEFAULT_NETWORK_ACL, DEFAULT_SECURITY_GROUP,
    FLOW_LOG_TO_S3,
};
use planner_core::analysis::iam_catalogue as catalogue;

fn plans() -> Vec<(String, planner_core::Plan)> {
    tests::fixture_files("designs")
        .iter()
        .map(|p| {
            (
                tests::stem(p),
                planner_core::plan(&tests::design(p), None).unwrap().plan,
            )
        })
        .collect()
}

fn statements(plan: &planner_core::Plan, account: &str) -> Vec<serde_json::Value> {
    let target = Target {
        partition: "aws".into(),
        account: account.into(),
    };
    let doc = serde_json::to_value(policy(plan, &target)).unwrap();
    doc["Statement"].as_array().unwrap().clone()
}

fn strings(v: &serde_json::Value) -> Vec<String> {
    match v {
        serde_json::Value::String(s) => vec![s.clone()],
        serde_json::Value::Array(a) => a.iter().map(|x| x.as_str().unwrap().to_owned()).collect(),
        _ => vec![],
    }
}

#[test]
fn every_action_exists_in_the_iam_catalogue() {
    let types = [
        "vpc",
        "vpc_cidr_block",
        "subnet",
        "internet_gateway",
        "egress_only_internet_gateway",
        "elastic_ip",
        "nat_gateway",
        "security_group",
        "security_group_rule",
        "instance",
        "route_table",
        "route",
        "route_table_association",
        "network_acl",
        "network_acl_entry",
        "network_acl_association",
        "vpc_endpoint",
        "log_group",
        "flow_log",
    ];
    let tables = types.iter().map(|t| (*t, grants(t))).chain([
        ("the default security group", DEFAULT_SECURITY_GROUP),
        ("the default network ACL", DEFAULT_NETWORK_ACL),
        ("a flow log to S3", FLOW_LOG_TO_S3),
        (
            "moving subnets back to the default ACL",
            BACK_TO_THE_DEFAULT_ACL,
        ),
    ]);
    for (t, table) in tables {
        assert!(!table.is_empty(), "no grants for {t}");
        for g in table {
            let (service, name) = g.action.split_once(':').unwrap();
            let info = catalogue::lookup(service, name)
                .unwrap_or_else(|| panic!("{} is not an IAM action", g.action));
            assert_eq!(
                info.name, name,
                "{} is spelled differently in IAM",
                g.action
            );
        }
    }
    for (name, plan) in plans() {
        for s in statements(&plan, "123456789012") {
            for a in strings(&s["Action"]) {
                let (service, action) = a.split_once(':').unwrap();
                assert!(catalogue::lookup(service, action).is_some(), "{name}: {a}");
            }
        }
    }
}

#[test]
fn only_read_actions_get_every_resource() {
    for (name, plan) in plans() {
        for s in statements(&plan, "123456789012") {
            if strings(&s["Resource"]).iter().any(|r| r == "*") {
                for a in strings(&s["Action"]) {
                    let (service, action) = a.split_once(':').unwrap();
                    let info = catalogue::lookup(service, action).unwrap();
                    assert!(
                        matches!(
                            info.access_level,
                            catalogue::AccessLevel::List | catalogue::AccessLevel::Read
                        ),
                        "{name}: {a} on * is {:?}",
                        info.access_level
                    );
                    assert!(
                        !info.resource_level,
                        "{name}: {a} supports resource-level permissions but gets *"
                    );
                }
            }
        }
    }
}

#[test]
fn mutations_are_scoped_to_the_region_and_the_plans_tag() {
    for (name, plan) in plans() {
        let region = &plan.design.region;
        for s in statements(&plan, "123456789012") {
            for r in strings(&s["Resource"])
                .iter()
                .filter(|r| r.starts_with("arn:aws:ec2"))
            {
                assert!(
                    r.starts_with(&format!("arn:aws:ec2:{region}:")),
                    "{name}: {r}"
                );
            }
            let sid = s["Sid"].as_str().unwrap();
            if sid.starts_with("CreateTagged") || sid.starts_with("ManageOwned") {
                let cond = s["Condition"]["StringEquals"].as_object().unwrap();
                let (key, value) = cond.iter().next().unwrap();
                assert!(key.ends_with("Tag/vpc-planner:plan"), "{name}: {key}");
                assert_eq!(value, &serde_json::json!(plan.design.name));
            }
        }
    }
}

#[test]
fn no_instance_permissions_without_instances() {
    let (_, plan) = plans()
        .into_iter()
        .find(|(n, _)| n == "three-tier")
        .unwrap();
    let all: Vec<String> = statements(&plan, "*")
        .iter()
        .flat_map(|s| strings(&s["Action"]))
        .collect();
    assert!(
        !all.iter()
            .any(|a| a == "ec2:RunInstances" || a == "iam:PassRole"),
        "{all:?}"
    );
    assert!(all.iter().any(|a| a == "ec2:CreateNatGateway"));
}

/// Whatever types a plan still has, its policy lets the executor find and delete what an
/// earlier version made of every type (a NAT gateway, an instance, a role), only where the
/// plan's tag is, and never create one.
#[test]
fn every_type_can_be_found_and_deleted_by_tag() {
    let (_, plan) = plans()
        .into_iter()
        .find(|(n, _)| n == "three-tier")
        .unwrap();
    let all = statements(&plan, "123456789012");
    let granted = |action: &str, tagged: bool| {
        all.iter().any(|s| {
            strings(&s["Action"]).iter().any(|a| a == action)
                && (!tagged
                    || s["Condition"]["StringEquals"]
                        .as_object()
                        .is_some_and(|c| c.keys().any(|k| k == "aws:ResourceTag/vpc-planner:plan")))
        })
    };
    for read in [
        "ec2:DescribeNatGateways",
        "ec2:DescribeInstances",
        "ec2:DescribeEgressOnlyInternetGateways",
        "autoscaling:DescribeAutoScalingGroups",
        "iam:ListRoles",
        "iam:ListRoleTags",
        "iam:ListPolicies",
        "iam:ListInstanceProfiles",
    ] {
        assert!(granted(read, false), "{read} is not granted");
    }
    for delete in [
        "ec2:DeleteNatGateway",
        "ec2:ReleaseAddress",
        "ec2:TerminateInstances",
        "ec2:DeleteEgressOnlyInternetGateway",
        "ec2:DeleteLaunchTemplate",
        "autoscaling:DeleteAutoScalingGroup",
        "iam:DeleteRole",
        "iam:DeletePolicy",
        "iam:DeleteInstanceProfile",
    ] {
        assert!(
            granted(delete, true),
            "{delete} is not granted on tagged resources"
        );
    }
    for create in [
        "ec2:RunInstances",
        "iam:CreateRole",
        "autoscaling:CreateAutoScalingGroup",
    ] {
        assert!(!granted(create, false), "{create} is granted");
    }
}

/// The plan's lock: exactly its three calls, on its one parameter in the plan's region, and no
/// other statement grants SSM writes.
#[test]
fn the_lock_is_granted_exactly_its_calls_on_its_parameter() {
    for (name, plan) in plans() {
        let account = "123456789012";
        let arn = format!(
            "arn:aws:ssm:{}:{account}:parameter{}",
            plan.design.region,
            planner_core::ids::lock_parameter(&plan.design.name)
        );
        let all = statements(&plan, account);
        let ssm: Vec<&serde_json::Value> = all
            .iter()
            .filter(|s| {
                strings(&s["Action"])
                    .iter()
                    .any(|a| a.starts_with("ssm:") && !a.starts_with("ssm:GetParameters"))
            })
            .collect();
        assert_eq!(ssm.len(), 1, "{name}: {ssm:#?}");
        assert_eq!(strings(&ssm[0]["Resource"]), [arn], "{name}");
        assert_eq!(
            strings(&ssm[0]["Action"]),
            [
                "ssm:DeleteParameter",
                "ssm:GetParameter",
                "ssm:PutParameter"
            ],
            "{name}"
        );
    }
}

/// The three-tier fixture with its VPC's defaults managed as told: `restrict` sets
/// `restrict_default_security_group`, `acl` the `default_network_acl` member (absent: none).
fn with_defaults(restrict: bool, acl: Option<&str>) -> planner_core::Plan {
    let path = tests::fixtures().join("designs/three-tier.json");
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let vpc = json["vpc"].as_object_mut().unwrap();
    if restrict {
        vpc.insert("restrict_default_security_group".into(), true.into());
    }
    if let Some(acl) = acl {
        vpc.insert("default_network_acl".into(), acl.into());
    }
    let design = planner_core::parse_design(&json.to_string()).unwrap();
    planner_core::plan(&design, None).unwrap().plan
}

/// Every action granted on `resource` (an ARN) by a statement without a condition.
fn unconditioned(all: &[serde_json::Value], resource: &str) -> Vec<String> {
    all.iter()
        .filter(|s| s.get("Condition").is_none())
        .filter(|s| strings(&s["Resource"]).iter().any(|r| r == resource))
        .flat_map(|s| strings(&s["Action"]))
        .collect()
}

/// A plan that neither restricts its VPC's default group nor sets its default network ACL
/// gets no call on their rules: no revoke on a group without the plan's tag, no call on the
/// rules of an ACL without it, no statement for the defaults. Its one call on an untagged
/// ACL is moving its own subnets back onto the VPC's default ACL (see
/// [`an_untagged_acl_takes_only_the_plans_subnets`]).
#[test]
fn a_plan_that_leaves_the_vpc_defaults_alone_gets_no_call_on_them() {
    let account = "123456789012";
    let mut plans = plans();
    plans.push(("three-tier, unchanged".into(), with_defaults(false, None)));
    let mut checked = 0;
    for (name, plan) in plans {
        if plan
            .design
            .vpc
            .as_ref()
            .is_some_and(|v| v.restrict_default_security_group || v.default_network_acl.is_some())
        {
            continue;
        }
        checked += 1;
        let all = statements(&plan, account);
        let untagged: Vec<String> = all
            .iter()
            .filter(|s| s.get("Condition").is_none())
            .flat_map(|s| strings(&s["Action"]))
            .collect();
        assert!(
            !untagged.iter().any(|a| a.contains("NetworkAclEntry")),
            "{name}: {untagged:?} without the plan's tag"
        );
        let text = serde_json::to_string(&all).unwrap();
        assert!(!text.contains("ManageVpcDefaults"), "{name}: {text}");
        let groups = format!(
            "arn:aws:ec2:{}:{account}:security-group/*",
            plan.design.region
        );
        let untagged = unconditioned(&all, &groups);
        assert!(
            !untagged.iter().any(|a| a.starts_with("ec2:Revoke")),
            "{name}: {untagged:?} on every group of the region"
        );
        let anywhere = unconditioned(
            &all,
            &format!("arn:aws:ec2:{}:{account}:*/*", plan.design.region),
        );
        assert!(
            anywhere.is_empty(),
            "{name}: {anywhere:?} on every resource of the region"
        );
    }
    assert!(checked > 1, "no fixture leaves the defaults alone");
}

/// Each of the VPC's defaults the design has the plan manage brings exactly its calls, in one
/// statement without a tag condition (the default group and ACL carry no tag of the plan),
/// on the region's groups and their rules or on its network ACLs: nothing more, and reading
/// the ACLs only when they are managed.
#[test]
fn each_managed_vpc_default_gets_exactly_its_calls() {
    let account = "123456789012";
    let revoke = [
        "ec2:RevokeSecurityGroupEgress",
        "ec2:RevokeSecurityGroupIngress",
    ];
    let acl = ["ec2:CreateNetworkAclEntry", "ec2:DeleteNetworkAclEntry"];
    // `restrict_default_security_group`, `default_network_acl`, the statement's actions and
    // the EC2 types of its resources (a revoke acts on the group, not on its rules: IAM014).
    type Case<'a> = (bool, Option<&'a str>, Vec<&'a str>, Vec<&'a str>);
    let cases: [Case; 5] = [
        (true, None, revoke.to_vec(), vec!["security-group"]),
        (false, Some("allow_all"), acl.to_vec(), vec!["network-acl"]),
        (false, Some("deny_all"), acl.to_vec(), vec!["network-acl"]),
        (
            true,
            Some("deny_all"),
            [acl, revoke].concat(),
            vec!["network-acl", "security-group"],
        ),
        (
            true,
            Some("allow_all"),
            [acl, revoke].concat(),
            vec!["network-acl", "security-group"],
        ),
    ];
    for (restrict, acl_member, actions, types) in cases {
        let name = format!("restrict {restrict}, default_network_acl {acl_member:?}");
        let plan = with_defaults(restrict, acl_member);
        let region = &plan.design.region;
        let all = statements(&plan, account);
        let defaults: Vec<&serde_json::Value> = all
            .iter()
            .filter(|s| s["Sid"] == "ManageVpcDefaults")
            .collect();
        assert_eq!(defaults.len(), 1, "{name}: {all:#?}");
        assert_eq!(strings(&defaults[0]["Action"]), actions, "{name}");
        assert_eq!(defaults[0].get("Condition"), None, "{name}");
        let arns: Vec<String> = types
            .iter()
            .map(|t| format!("arn:aws:ec2:{region}:{account}:{t}/*"))
            .collect();
        assert_eq!(strings(&defaults[0]["Resource"]), arns, "{name}");
        // Only that statement touches the rules of an ACL without the plan's tag.
        let untagged_entries = all
            .iter()
            .filter(|s| s.get("Condition").is_none())
            .flat_map(|s| strings(&s["Action"]))
            .filter(|a| a.contains("NetworkAclEntry"))
            .count();
        assert_eq!(
            untagged_entries,
            if acl_member.is_some() { 2 } else { 0 },
            "{name}"
        );
        // No other statement revokes on a group without the plan's tag.
        let groups = format!("arn:aws:ec2:{region}:{account}:security-group/*");
        let revokes = unconditioned(&all, &groups)
            .iter()
            .filter(|a| a.starts_with("ec2:Revoke"))
            .count();
        assert_eq!(revokes, if restrict { 2 } else { 0 }, "{name}");
    }
    // The fixture that manages both gets both.
    let (_, plan) = plans()
        .into_iter()
        .find(|(n, _)| n == "vpc-defaults")
        .unwrap();
    let all = statements(&plan, account);
    let defaults = all.iter().find(|s| s["Sid"] == "ManageVpcDefaults");
    assert_eq!(
        defaults.map(|s| strings(&s["Action"])),
        Some(
            [acl, revoke]
                .concat()
                .iter()
                .map(|a| a.to_string())
                .collect()
        ),
    );
}

/// The flow log's delivery role is the one role passed, and only to the flow-logs service;
/// every CloudWatch Logs call but the listing is on the plan's log groups only (by name
/// prefix), and those that read, change or delete one also need the plan's tag.
#[test]
fn the_flow_log_role_is_passed_to_flow_logs_only_and_log_calls_stay_under_the_prefix() {
    let (_, plan) = plans()
        .into_iter()
        .find(|(n, _)| n == "endpoints-flow-logs")
        .unwrap();
    let all = statements(&plan, "123456789012");
    let passing: Vec<&serde_json::Value> = all
        .iter()
        .filter(|s| strings(&s["Action"]).iter().any(|a| a == "iam:PassRole"))
        .collect();
    assert_eq!(passing.len(), 1, "{passing:#?}");
    assert_eq!(
        strings(&passing[0]["Resource"]),
        ["arn:aws:iam::123456789012:role/endpoints-flow-logs-flow-logs"]
    );
    assert_eq!(
        passing[0]["Condition"]["StringEquals"]["iam:PassedToService"],
        "vpc-flow-logs.amazonaws.com"
    );
    let prefix = "arn:aws:logs:us-east-1:123456789012:log-group:/vpc-planner/endpoints-flow-logs/*";
    let mut seen = Vec::new();
    for s in &all {
        let logs: Vec<String> = strings(&s["Action"])
            .into_iter()
            .filter(|a| a.starts_with("logs:") && a != "logs:DescribeLogGroups")
            .collect();
        if logs.is_empty() {
            continue;
        }
        let arns: Vec<String> = strings(&s["Resource"])
            .into_iter()
            .filter(|r| r.starts_with("arn:aws:logs:"))
            .collect();
        assert_eq!(arns, [prefix], "{s:#}");
        let tagged = s["Condition"]["StringEquals"]
            .as_object()
            .is_some_and(|c| c.keys().any(|k| k.ends_with("Tag/vpc-planner:plan")));
        for a in &logs {
            if [
                "logs:PutRetentionPolicy",
                "logs:DeleteLogGroup",
                "logs:CreateLogGroup",
                "logs:ListTagsForResource",
            ]
            .contains(&a.as_str())
            {
                assert!(tagged, "{a} without the plan's tag: {s:#}");
            }
        }
        seen.extend(logs);
    }
    seen.sort();
    seen.dedup();
    assert_eq!(
        seen,
        [
            "logs:CreateLogGroup",
            "logs:DeleteLogGroup",
            "logs:ListTagsForResource",
            "logs:PutRetentionPolicy",
            "logs:TagResource"
        ]
    );
    // No S3 flow log: no log-delivery call.
    let actions: Vec<String> = all.iter().flat_map(|s| strings(&s["Action"])).collect();
    assert!(
        !actions.iter().any(|a| a.contains("LogDelivery")),
        "{actions:?}"
    );
}

/// How a subnet leaves an ACL the plan made: moved onto another ACL.
const MOVE: &str = "ec2:ReplaceNetworkAclAssociation";

/// Every plan may move subnets onto an ACL without its tag (back onto the VPC's default ACL,
/// which is how a subnet leaves an ACL the plan made, also once the design dropped it), but
/// IAM checks that call against the subnet too, and no statement grants it on a subnet
/// without the plan's tag.
#[test]
fn an_untagged_acl_takes_only_the_plans_subnets() {
    let account = "123456789012";
    for (name, plan) in plans() {
        let all = statements(&plan, account);
        let region = &plan.design.region;
        let moves = |s: &&serde_json::Value| strings(&s["Action"]).iter().any(|a| a == MOVE);
        let tagged = |s: &&serde_json::Value| {
            s["Condition"]["StringEquals"]
                .as_object()
                .is_some_and(|c| c.keys().any(|k| k == "aws:ResourceTag/vpc-planner:plan"))
        };
        let arn = |t: &str| format!("arn:aws:ec2:{region}:{account}:{t}/*");
        let untagged: Vec<String> = all
            .iter()
            .filter(moves)
            .filter(|s| !tagged(s))
            .flat_map(|s| strings(&s["Resource"]))
            .collect();
        assert!(
            untagged.contains(&arn("network-acl")),
            "{name}: {untagged:?}"
        );
        for not in [arn("subnet"), arn("*"), "*".to_owned()] {
            assert!(
                !untagged.contains(&not),
                "{name}: a subnet without the plan's tag may be moved: {untagged:?}"
            );
        }
        assert!(
            all.iter()
                .filter(moves)
                .filter(tagged)
                .any(|s| strings(&s["Resource"]).contains(&arn("*"))),
            "{name}: the plan's own subnets cannot be moved"
        );
    }
}
