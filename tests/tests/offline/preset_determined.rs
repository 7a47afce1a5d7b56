//! The `determined` preset against its guide (Determined Cloud, bring your own AWS,
//! `/work/shared/seeds/002_…`): the cross-account role, its trust and permission policy, the
//! master and agent roles and instance profiles, the parameters' effects, and what `hardened`
//! changes. Asserted on the design and plan directly, so a golden update cannot change them.

use planner_core::{presets, Design, Severity};
use serde_json::{json, Value};

/// `DetCrossAccountAccess`, copied from the guide in its order.
const GUIDE_XACCT_ACTIONS: &[&str] = &[
    "cloudwatch:GetMetricData",
    "ec2:AllocateAddress",
    "ec2:AssociateAddress",
    "ec2:AssociateRouteTable",
    "ec2:AttachInternetGateway",
    "ec2:AuthorizeSecurityGroupEgress",
    "ec2:AuthorizeSecurityGroupIngress",
    "ec2:CreateInternetGateway",
    "ec2:CreateNatGateway",
    "ec2:CreateNetworkInterface",
    "ec2:CreateRoute",
    "ec2:CreateRouteTable",
    "ec2:CreateSubnet",
    "ec2:CreateTags",
    "ec2:CreateVpc",
    "ec2:DeleteInternetGateway",
    "ec2:DeleteKeyPair",
    "ec2:DeleteNatGateway",
    "ec2:DeleteNetworkInterface",
    "ec2:DeleteRouteTable",
    "ec2:DeleteSubnet",
    "ec2:DeleteVpc",
    "ec2:DescribeAddresses",
    "ec2:DescribeAvailabilityZones",
    "ec2:DescribeInstanceStatus",
    "ec2:DescribeInstanceTypes",
    "ec2:DescribeInstances",
    "ec2:DescribeInternetGateways",
    "ec2:DescribeKeyPairs",
    "ec2:DescribeNatGateways",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeRouteTables",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeSubnets",
    "ec2:DescribeVpcs",
    "ec2:DetachInternetGateway",
    "ec2:DisassociateRouteTable",
    "ec2:ImportKeyPair",
    "ec2:ReleaseAddress",
    "ec2:RunInstances",
    "ec2:TerminateInstances",
    "iam:AddRoleToInstanceProfile",
    "iam:AttachRolePolicy",
    "iam:CreateInstanceProfile",
    "iam:CreatePolicy",
    "iam:CreateRole",
    "iam:DeleteInstanceProfile",
    "iam:DeletePolicy",
    "iam:DeleteRole",
    "iam:DetachRolePolicy",
    "iam:GetInstanceProfile",
    "iam:ListPolicies",
    "iam:ListRoles",
    "iam:RemoveRoleFromInstanceProfile",
    "iam:SimulatePrincipalPolicy",
    "iam:TagInstanceProfile",
    "iam:TagPolicy",
    "iam:TagRole",
    "kms:CreateGrant",
    "kms:DescribeKey",
    "logs:CreateLogGroup",
    "logs:DeleteLogGroup",
    "logs:PutRetentionPolicy",
    "logs:TagResource",
    "rds:AddTagsToResource",
    "rds:CreateDBCluster",
    "rds:CreateDBSubnetGroup",
    "rds:DeleteDBCluster",
    "rds:DeleteDBSubnetGroup",
    "rds:DescribeDBClusters",
    "rds:ModifyDBCluster",
    "rds:RestoreDBClusterToPointInTime",
    "s3:CreateBucket",
    "s3:DeleteBucket",
    "s3:PutBucketPolicy",
    "s3:PutEncryptionConfiguration",
    "servicequotas:GetServiceQuota",
    "ssm:GetCommandInvocation",
    "ssm:SendCommand",
    "ssm:StartSession",
    "ssm:DeleteParameter",
    "ssm:PutParameter",
];

/// The master's first statement, from the guide.
const GUIDE_MASTER_ACTIONS: &[&str] = &[
    "ec2:DescribeInstances",
    "ec2:TerminateInstances",
    "ec2:CreateTags",
    "ec2:RunInstances",
    "ec2:CancelSpotInstanceRequests",
    "ec2:RequestSpotInstances",
    "ec2:DescribeSpotInstanceRequests",
    "logs:CreateLogStream",
    "logs:PutLogEvents",
];

const SSM_POLICY: &str = "arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy";

const HARDENED_ROLE_WRITES: &[&str] = &[
    "iam:AttachRolePolicy",
    "iam:CreateRole",
    "iam:DeleteRole",
    "iam:DetachRolePolicy",
    "iam:TagRole",
];

fn build(set: &[(&str, &str)]) -> Design {
    presets::build("determined", set).unwrap()
}

fn as_json(d: &Design) -> Value {
    serde_json::to_value(d).unwrap()
}

/// The design's role named `name`, as JSON.
fn role(d: &Design, name: &str) -> Value {
    as_json(d)["iam"]["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no role {name}"))
        .clone()
}

/// The statements of a role's only inline policy.
fn statements(role: &Value) -> Vec<Value> {
    let policies = role["inline_policies"].as_array().unwrap();
    assert_eq!(policies.len(), 1, "{role}");
    policies[0]["document"]["Statement"]
        .as_array()
        .unwrap()
        .clone()
}

fn sid<'a>(statements: &'a [Value], sid: &str) -> &'a Value {
    statements
        .iter()
        .find(|s| s["Sid"] == sid)
        .unwrap_or_else(|| panic!("no statement {sid}"))
}

fn actions(statement: &Value) -> Vec<String> {
    match &statement["Action"] {
        Value::String(a) => vec![a.clone()],
        Value::Array(a) => a.iter().map(|x| x.as_str().unwrap().to_owned()).collect(),
        other => panic!("Action {other}"),
    }
}

fn ec2_trust() -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": "ec2.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }],
    })
}

/// (code, severity, path) of every finding.
fn findings(d: &Design) -> Vec<(&'static str, Severity, String)> {
    planner_core::plan(d, None)
        .unwrap()
        .diagnostics
        .into_iter()
        .map(|x| (x.code, x.severity, x.path))
        .collect()
}

fn messages(d: &Design, code: &str) -> Vec<(Severity, String, String)> {
    planner_core::plan(d, None)
        .unwrap()
        .diagnostics
        .into_iter()
        .filter(|x| x.code == code)
        .map(|x| (x.severity, x.path, x.message))
        .collect()
}

#[test]
fn parameters_are_the_connect_aws_flags() {
    let info = presets::list()
        .into_iter()
        .find(|p| p.name == "determined")
        .unwrap();
    let params: Vec<(&str, &str)> = info.params.iter().map(|p| (p.key, p.default)).collect();
    assert_eq!(
        params,
        [
            ("region", "us-west-2"),
            ("vendor_account", "544296492693"),
            ("xacct_role_name", "det-cloud-customer-xacct-mgmt"),
            ("master_instance_profile_name", "det-cloud-customer-master"),
            ("agent_instance_profile_name", "det-cloud-customer-agent"),
            ("external_id", "det-cloud-customer"),
            ("hardened", "false"),
        ]
    );
    assert!(
        info.summary.contains("Determined Cloud"),
        "{}",
        info.summary
    );
    assert!(!info.summary.contains('\n'));
    let e = presets::build("determined", &[("vpc_cidr", "10.0.0.0/16")]).unwrap_err();
    assert!(
        e.to_string().contains("has no parameter \"vpc_cidr\""),
        "{e}"
    );
    let e = presets::build("determined", &[("vendor_account", "54429649269")]).unwrap_err();
    assert!(e.to_string().contains("12-digit"), "{e}");
}

#[test]
fn iam_only_no_network() {
    for hardened in ["false", "true"] {
        let d = build(&[("hardened", hardened)]);
        assert_eq!(d.region, "us-west-2");
        assert!(d.vpc.is_none());
        assert!(d.availability_zones.is_none());
        assert!(d.tiers.is_empty());
        assert_eq!(d.nat, planner_core::NatStrategy::None);
        assert!(d.security_groups.is_empty());
        assert!(d.instances.is_empty());
        assert!(d.iam.policies.is_empty(), "the policies are inline");
        let planned = planner_core::plan(&d, None).unwrap();
        let ids: Vec<&str> = planned
            .plan
            .resources
            .iter()
            .map(|r| r.id.as_str())
            .collect();
        assert_eq!(
            ids,
            [
                "iam_role.det-cloud-customer-xacct-mgmt",
                "iam_role.det-cloud-customer-master",
                "iam_role.det-cloud-customer-agent",
                "iam_instance_profile.det-cloud-customer-master",
                "iam_instance_profile.det-cloud-customer-agent",
            ]
        );
    }
}

#[test]
fn cross_account_role_trusts_the_two_vendor_roles() {
    let d = build(&[]);
    let xacct = role(&d, "det-cloud-customer-xacct-mgmt");
    assert_eq!(
        xacct["trust_policy"],
        json!({
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": "arn:aws:iam::544296492693:role/det-cloud-internal-global-mgmt-role"},
                    "Action": "sts:AssumeRole",
                },
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": "arn:aws:iam::544296492693:role/det-cloud-internal-aws-us-west-2-mgmt-role"},
                    "Action": "sts:AssumeRole",
                },
            ],
        })
    );
    assert!(xacct.get("managed_policies").is_none(), "{xacct}");
}

#[test]
fn cross_account_permission_policy_is_the_guides() {
    let d = build(&[]);
    let s = statements(&role(&d, "det-cloud-customer-xacct-mgmt"));
    assert_eq!(s.len(), 2);
    let access = sid(&s, "DetCrossAccountAccess");
    assert_eq!(actions(access), GUIDE_XACCT_ACTIONS);
    assert_eq!(access["Effect"], "Allow");
    assert_eq!(access["Resource"], "*");
    assert_eq!(
        sid(&s, "DetCrossPassRole"),
        &json!({
            "Sid": "DetCrossPassRole",
            "Effect": "Allow",
            "Action": "iam:PassRole",
            "Resource": {"ref": "role_arn", "role": "det-cloud-customer-master"},
        })
    );
}

#[test]
fn master_role_and_profile() {
    let d = build(&[]);
    let master = role(&d, "det-cloud-customer-master");
    assert_eq!(master["trust_policy"], ec2_trust());
    assert_eq!(master["managed_policies"], json!([SSM_POLICY]));
    let s = statements(&master);
    assert_eq!(s.len(), 2);
    assert_eq!(actions(&s[0]), GUIDE_MASTER_ACTIONS);
    assert_eq!(s[0]["Resource"], "*");
    assert_eq!(
        s[1],
        json!({
            "Effect": "Allow",
            "Action": "iam:PassRole",
            "Resource": {"ref": "role_arn", "role": "det-cloud-customer-agent"},
        })
    );
    let profile = &d.iam.instance_profiles[0];
    assert_eq!(
        (
            profile.name.as_str(),
            profile.path.as_str(),
            profile.role.as_str()
        ),
        (
            "det-cloud-customer-master",
            "/",
            "det-cloud-customer-master"
        )
    );
}

#[test]
fn agent_role_and_profile() {
    let d = build(&[]);
    let agent = role(&d, "det-cloud-customer-agent");
    assert_eq!(agent["trust_policy"], ec2_trust());
    assert_eq!(agent["managed_policies"], json!([SSM_POLICY]));
    let s = statements(&agent);
    assert_eq!(s.len(), 1);
    assert_eq!(
        actions(&s[0]),
        [
            "s3:*",
            "ec2:DescribeInstances",
            "logs:CreateLogStream",
            "logs:PutLogEvents"
        ]
    );
    assert_eq!(s[0]["Resource"], "*");
    assert_eq!(d.iam.instance_profiles.len(), 2);
    let profile = &d.iam.instance_profiles[1];
    assert_eq!(
        (profile.name.as_str(), profile.role.as_str()),
        ("det-cloud-customer-agent", "det-cloud-customer-agent")
    );
}

#[test]
fn names_and_vendor_account_follow_the_parameters() {
    let d = build(&[
        ("vendor_account", "111122223333"),
        ("xacct_role_name", "acme-det-xacct"),
        ("master_instance_profile_name", "acme-det-master"),
        ("agent_instance_profile_name", "acme-det-agent"),
        ("region", "eu-west-1"),
    ]);
    assert_eq!(d.region, "eu-west-1");
    let names: Vec<&str> = d.iam.roles.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        ["acme-det-xacct", "acme-det-master", "acme-det-agent"]
    );
    let profiles: Vec<(&str, &str)> = d
        .iam
        .instance_profiles
        .iter()
        .map(|p| (p.name.as_str(), p.role.as_str()))
        .collect();
    assert_eq!(
        profiles,
        [
            ("acme-det-master", "acme-det-master"),
            ("acme-det-agent", "acme-det-agent")
        ]
    );
    let xacct = role(&d, "acme-det-xacct");
    let principals: Vec<&Value> = xacct["trust_policy"]["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["Principal"]["AWS"])
        .collect();
    // The vendor's regional role keeps its name: it is Determined's, not the customer's region.
    assert_eq!(
        principals,
        [
            "arn:aws:iam::111122223333:role/det-cloud-internal-global-mgmt-role",
            "arn:aws:iam::111122223333:role/det-cloud-internal-aws-us-west-2-mgmt-role"
        ]
    );
    assert_eq!(
        sid(&statements(&xacct), "DetCrossPassRole")["Resource"],
        json!({"ref": "role_arn", "role": "acme-det-master"})
    );
    assert_eq!(
        statements(&role(&d, "acme-det-master"))[1]["Resource"],
        json!({"ref": "role_arn", "role": "acme-det-agent"})
    );
}

#[test]
fn external_id_only_when_hardened() {
    let d = build(&[("external_id", "det-7f3c2a")]);
    assert_eq!(d, build(&[]), "external_id is ignored unless hardened");
    let d = build(&[("external_id", "det-7f3c2a"), ("hardened", "true")]);
    let trust = &role(&d, "det-cloud-customer-xacct-mgmt")["trust_policy"]["Statement"];
    for s in trust.as_array().unwrap() {
        assert_eq!(
            s["Condition"],
            json!({"StringEquals": {"sts:ExternalId": "det-7f3c2a"}})
        );
    }
}

#[test]
fn role_names_that_clash_ignoring_case_are_refused() {
    let e = presets::build(
        "determined",
        &[("master_instance_profile_name", "DET-CLOUD-CUSTOMER-AGENT")],
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.starts_with("preset determined: these parameters do not go together:"),
        "{e}"
    );
    assert!(e.contains("must differ, ignoring case"), "{e}");
}

#[test]
fn default_findings_are_the_guides_risks() {
    let d = build(&[]);
    let f = findings(&d);
    assert!(!f.iter().any(|(_, s, _)| *s == Severity::Error), "{f:#?}");
    let warnings: Vec<(&str, &str)> = f
        .iter()
        .filter(|(_, s, _)| *s == Severity::Warning)
        .map(|(c, _, p)| (*c, p.as_str()))
        .collect();
    assert_eq!(
        warnings,
        [
            (
                "IAM006",
                "iam.roles[0].inline_policies[0].document.Statement[0].Action"
            ),
            (
                "IAM007",
                "iam.roles[2].inline_policies[0].document.Statement[0].Action[0]"
            ),
            (
                "IAM008",
                "iam.roles[0].trust_policy.Statement[0].Principal.AWS"
            ),
            (
                "IAM008",
                "iam.roles[0].trust_policy.Statement[1].Principal.AWS"
            ),
        ],
        "{f:#?}"
    );
    let iam006 = messages(&d, "IAM006");
    assert!(iam006[0].2.contains("iam:AttachRolePolicy"), "{iam006:#?}");
    assert!(iam008_names_vendor(&d, "544296492693"));
    // PassRole scoped to one role, with ec2:RunInstances: notes for the cross-account role
    // (passing the master role) and the master role (passing the agent role).
    let notes: Vec<&str> = iam006
        .iter()
        .filter(|(s, _, _)| *s == Severity::Info)
        .map(|(_, p, _)| p.as_str())
        .collect();
    assert_eq!(
        notes,
        [
            "iam.roles[0].inline_policies[0].document.Statement[1].Action",
            "iam.roles[1].inline_policies[0].document.Statement[1].Action",
        ]
    );
}

fn iam008_names_vendor(d: &Design, account: &str) -> bool {
    messages(d, "IAM008")
        .iter()
        .all(|(_, _, m)| m.contains(&format!("account {account}")))
}

#[test]
fn hardened_removes_every_warning_but_ssm_on_every_instance() {
    let d = build(&[("hardened", "true")]);
    let f = findings(&d);
    let left: Vec<&(&str, Severity, String)> = f
        .iter()
        .filter(|(_, s, _)| *s <= Severity::Warning)
        .collect();
    // What hardening cannot close: ssm:SendCommand and ssm:StartSession on every instance
    // (the guide names no tag of Determined's instances to scope them to).
    assert_eq!(left.len(), 1, "{left:#?}");
    assert_eq!(left[0].0, "IAM006");
    let ssm = &messages(&d, "IAM006")[0].2;
    assert!(
        ssm.contains("SSM command on an instance") && !ssm.contains("AttachRolePolicy"),
        "{ssm}"
    );
    // What stays are notes: the scoped PassRole with RunInstances, and Resource "*".
    let codes: std::collections::BTreeSet<&str> = f.iter().map(|(c, _, _)| *c).collect();
    assert_eq!(codes, ["IAM004", "IAM006"].into_iter().collect());
}

#[test]
fn hardened_trust_requires_the_external_id() {
    let d = build(&[("hardened", "true")]);
    let trust = &role(&d, "det-cloud-customer-xacct-mgmt")["trust_policy"]["Statement"];
    let trust = trust.as_array().unwrap();
    assert_eq!(trust.len(), 2);
    for s in trust {
        assert_eq!(
            s["Condition"],
            json!({"StringEquals": {"sts:ExternalId": "det-cloud-customer"}})
        );
        assert_eq!(s["Action"], "sts:AssumeRole");
    }
    assert_eq!(
        trust[1]["Principal"]["AWS"],
        "arn:aws:iam::544296492693:role/det-cloud-internal-aws-us-west-2-mgmt-role"
    );
}

#[test]
fn hardened_scopes_role_writes_to_the_det_cloud_path() {
    let d = build(&[("hardened", "true")]);
    let s = statements(&role(&d, "det-cloud-customer-xacct-mgmt"));
    let sids: Vec<&str> = s.iter().map(|s| s["Sid"].as_str().unwrap()).collect();
    assert_eq!(
        sids,
        [
            "DetCrossAccountAccess",
            "DetCrossManagedRoles",
            "DetCrossPassRole"
        ]
    );
    let access = actions(sid(&s, "DetCrossAccountAccess"));
    let roles = sid(&s, "DetCrossManagedRoles");
    assert_eq!(actions(roles), HARDENED_ROLE_WRITES);
    assert_eq!(
        roles["Resource"],
        json!({"join": ["arn:", {"ref": "partition"}, ":iam::", {"ref": "account_id"}, ":role/det-cloud/*"]})
    );
    // Nothing of the guide's list is lost, only moved.
    let mut all: Vec<String> = access.iter().cloned().chain(actions(roles)).collect();
    all.sort();
    let mut guide: Vec<String> = GUIDE_XACCT_ACTIONS.iter().map(|a| a.to_string()).collect();
    guide.sort();
    assert_eq!(all, guide);
    assert!(!access
        .iter()
        .any(|a| HARDENED_ROLE_WRITES.contains(&a.as_str())));
    assert_eq!(sid(&s, "DetCrossAccountAccess")["Resource"], "*");
    assert_eq!(
        sid(&s, "DetCrossPassRole")["Resource"],
        json!({"ref": "role_arn", "role": "det-cloud-customer-master"})
    );
}

#[test]
fn hardened_agent_gets_checkpoint_storage_actions_instead_of_s3_star() {
    let d = build(&[("hardened", "true")]);
    let s = statements(&role(&d, "det-cloud-customer-agent"));
    assert_eq!(
        actions(&s[0]),
        [
            "s3:ListBucket",
            "s3:GetObject",
            "s3:PutObject",
            "s3:DeleteObject",
            "s3:AbortMultipartUpload",
            "ec2:DescribeInstances",
            "logs:CreateLogStream",
            "logs:PutLogEvents",
        ]
    );
    // The master role and both profiles are the guide's in both variants.
    let default = build(&[]);
    let master = "det-cloud-customer-master";
    assert_eq!(role(&d, master), role(&default, master));
    assert_eq!(d.iam.instance_profiles, default.iam.instance_profiles);
}
