//! The executor's derived policy: real actions only, scoped to the plan, nothing for resource
//! types the plan does not hold.

use planner_core::analysis::executor_policy::{grants, policy, Target};
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
    ];
    for t in types {
        assert!(!grants(t).is_empty(), "no grants for {t}");
        for g in grants(t) {
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

/// The derived policy passes the planner's own IAM checks: no security warning, no error.
#[test]
fn the_derived_policy_has_no_iam_findings() {
    for (name, plan) in plans() {
        let doc = policy(&plan, &Target::default());
        let mut design = plan.design.clone();
        design
            .iam
            .policies
            .push(planner_core::design::iam::ManagedPolicy {
                name: "executor".into(),
                path: "/".into(),
                description: String::new(),
                document: doc,
            });
        let findings: Vec<String> = planner_core::plan(&design, None)
            .unwrap()
            .diagnostics
            .iter()
            .filter(|d| {
                d.path
                    .starts_with(&format!("iam.policies[{}]", design.iam.policies.len() - 1))
            })
            .filter(|d| d.severity != planner_core::Severity::Info)
            .map(ToString::to_string)
            .collect();
        assert!(findings.is_empty(), "{name}: {findings:#?}");
    }
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

/// The VPC's default security group and network ACL carry no tag of the plan: a plan with a
/// VPC gets exactly the calls that remove and restore their rules, in the region, in a
/// statement of their own; a plan without one gets none of them (they
/// are no teardown: they go with the VPC).
#[test]
fn the_vpc_defaults_get_exactly_their_calls() {
    let account = "123456789012";
    for (name, plan) in plans() {
        let all = statements(&plan, account);
        let defaults: Vec<&serde_json::Value> = all
            .iter()
            .filter(|s| s["Sid"] == "ManageVpcDefaults")
            .collect();
        let acl_calls = all
            .iter()
            .flat_map(|s| strings(&s["Action"]))
            .filter(|a| a.ends_with("NetworkAclEntry"))
            .count();
        if plan.design.vpc.is_none() {
            assert!(defaults.is_empty(), "{name}: {defaults:#?}");
            assert_eq!(acl_calls, 0, "{name}");
            continue;
        }
        assert_eq!(defaults.len(), 1, "{name}: {all:#?}");
        assert_eq!(
            strings(&defaults[0]["Action"]),
            [
                "ec2:CreateNetworkAclEntry",
                "ec2:DeleteNetworkAclEntry",
                "ec2:RevokeSecurityGroupEgress",
                "ec2:RevokeSecurityGroupIngress"
            ],
            "{name}"
        );
        // Those calls touch only groups, their rules and network ACLs: every EC2 resource of
        // the region grants no more than listing those types would.
        assert_eq!(
            strings(&defaults[0]["Resource"]),
            [format!("arn:aws:ec2:{}:{account}:*/*", plan.design.region)],
            "{name}"
        );
        assert_eq!(
            acl_calls, 2,
            "{name}: only that statement grants ACL entry calls"
        );
    }
}
