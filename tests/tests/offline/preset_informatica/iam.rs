//! The Informatica preset's IAM against its guide: the roles and their instance profiles, the
//! cluster installer and worker node policies statement by statement, what `hardened` changes,
//! the role-name parameters, and the policies' size in every partition.

use planner_core::{Design, Severity};
use serde_json::{json, Value};

use super::{
    build, design_json, ec2_any, findings, plan_json, resource, role, sids, statement, statements,
};

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
