//! The least-privilege IAM policy the executor needs to apply, diff and destroy one plan.
//!
//! The vendor guides hand-write this policy (Determined's cross-account role, Informatica's
//! installer policy) and grant `"Resource": "*"` to be safe. Here it is derived from the plan:
//! only the actions its resource types need; EC2 actions scoped to the plan's region and to
//! resources carrying the plan's tag (`aws:RequestTag` when creating, `aws:ResourceTag`
//! afterwards); IAM actions scoped to the exact ARNs of the plan's roles, policies and instance
//! profiles; `iam:PassRole` only for roles the plan's instances use, and only to EC2.
//!
//! **Invariant: every AWS call the executor makes for a resource type is listed in
//! [`grants`] for that type.** The executor's tests record its calls and check them against it.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use crate::design::iam::document::PolicyDocument;
use crate::ids::PLAN_TAG;
use crate::plan::Plan;
use crate::resource::iam::PolicyAttachment;
use crate::resource::{ResourceKind, ResourceType};

/// How an action is scoped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    /// Creating a resource that is tagged with the plan in the same request.
    New,
    /// Acting on a resource that already carries the plan's tag.
    Owned,
    /// No tag condition: read-only calls, or resources that cannot carry the plan's tag
    /// (public images, security group rules) and are only reachable through an owned one.
    Any,
}

/// One permission: an action on one EC2 resource type (or `*`) with a scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Grant {
    /// `service:Action`.
    pub action: &'static str,
    /// The EC2 resource type in the ARN (`subnet`, `vpc`, …), or `*` for the whole service.
    pub resource: &'static str,
    /// How it is scoped.
    pub scope: Scope,
}

const fn g(action: &'static str, resource: &'static str, scope: Scope) -> Grant {
    Grant {
        action,
        resource,
        scope,
    }
}

use Scope::{Any, New, Owned};

/// Discovery and tagging, whatever the plan holds.
const COMMON: &[Grant] = &[
    g("sts:GetCallerIdentity", "*", Any),
    g("ec2:DescribeTags", "*", Any),
];

const VPC: &[Grant] = &[
    g("ec2:CreateVpc", "vpc", New),
    g("ec2:DescribeVpcs", "*", Any),
    g("ec2:DescribeVpcAttribute", "vpc", Owned),
    g("ec2:ModifyVpcAttribute", "vpc", Owned),
    g("ec2:DeleteVpc", "vpc", Owned),
];

const VPC_CIDR_BLOCK: &[Grant] = &[
    g("ec2:AssociateVpcCidrBlock", "vpc", Owned),
    g("ec2:DisassociateVpcCidrBlock", "vpc", Owned),
];

const SUBNET: &[Grant] = &[
    g("ec2:CreateSubnet", "subnet", New),
    g("ec2:CreateSubnet", "vpc", Owned),
    g("ec2:DescribeSubnets", "*", Any),
    g("ec2:ModifySubnetAttribute", "subnet", Owned),
    g("ec2:DeleteSubnet", "subnet", Owned),
];

const INTERNET_GATEWAY: &[Grant] = &[
    g("ec2:CreateInternetGateway", "internet-gateway", New),
    g("ec2:DescribeInternetGateways", "*", Any),
    g("ec2:AttachInternetGateway", "internet-gateway", Owned),
    g("ec2:AttachInternetGateway", "vpc", Owned),
    g("ec2:DetachInternetGateway", "internet-gateway", Owned),
    g("ec2:DetachInternetGateway", "vpc", Owned),
    g("ec2:DeleteInternetGateway", "internet-gateway", Owned),
];

const EGRESS_ONLY_INTERNET_GATEWAY: &[Grant] = &[
    g(
        "ec2:CreateEgressOnlyInternetGateway",
        "egress-only-internet-gateway",
        New,
    ),
    g("ec2:CreateEgressOnlyInternetGateway", "vpc", Owned),
    g("ec2:DescribeEgressOnlyInternetGateways", "*", Any),
    g(
        "ec2:DeleteEgressOnlyInternetGateway",
        "egress-only-internet-gateway",
        Owned,
    ),
];

const ELASTIC_IP: &[Grant] = &[
    g("ec2:AllocateAddress", "elastic-ip", New),
    g("ec2:DescribeAddresses", "*", Any),
    g("ec2:ReleaseAddress", "elastic-ip", Owned),
];

const NAT_GATEWAY: &[Grant] = &[
    g("ec2:CreateNatGateway", "natgateway", New),
    g("ec2:CreateNatGateway", "subnet", Owned),
    g("ec2:CreateNatGateway", "elastic-ip", Owned),
    g("ec2:DescribeNatGateways", "*", Any),
    g("ec2:DeleteNatGateway", "natgateway", Owned),
];

const SECURITY_GROUP: &[Grant] = &[
    g("ec2:CreateSecurityGroup", "security-group", New),
    g("ec2:CreateSecurityGroup", "vpc", Owned),
    g("ec2:DescribeSecurityGroups", "*", Any),
    g("ec2:DescribeSecurityGroupRules", "*", Any),
    g("ec2:RevokeSecurityGroupEgress", "security-group", Owned),
    g("ec2:RevokeSecurityGroupEgress", "security-group-rule", Any),
    g("ec2:AuthorizeSecurityGroupEgress", "security-group", Owned),
    g(
        "ec2:AuthorizeSecurityGroupEgress",
        "security-group-rule",
        New,
    ),
    g("ec2:DeleteSecurityGroup", "security-group", Owned),
];

const SECURITY_GROUP_RULE: &[Grant] = &[
    g("ec2:DescribeSecurityGroupRules", "*", Any),
    g("ec2:AuthorizeSecurityGroupIngress", "security-group", Owned),
    g(
        "ec2:AuthorizeSecurityGroupIngress",
        "security-group-rule",
        New,
    ),
    g("ec2:AuthorizeSecurityGroupEgress", "security-group", Owned),
    g(
        "ec2:AuthorizeSecurityGroupEgress",
        "security-group-rule",
        New,
    ),
    g("ec2:RevokeSecurityGroupIngress", "security-group", Owned),
    g("ec2:RevokeSecurityGroupIngress", "security-group-rule", Any),
    g("ec2:RevokeSecurityGroupEgress", "security-group", Owned),
    g("ec2:RevokeSecurityGroupEgress", "security-group-rule", Any),
];

const INSTANCE: &[Grant] = &[
    g("ssm:GetParameters", "ssm-public-parameter", Any),
    g("ec2:DescribeImages", "*", Any),
    g("ec2:RunInstances", "instance", New),
    g("ec2:RunInstances", "volume", New),
    g("ec2:RunInstances", "network-interface", New),
    g("ec2:RunInstances", "subnet", Owned),
    g("ec2:RunInstances", "security-group", Owned),
    g("ec2:RunInstances", "image", Any),
    g("ec2:RunInstances", "key-pair", Any),
    g("ec2:DescribeInstances", "*", Any),
    g("ec2:ModifyInstanceAttribute", "instance", Owned),
    g("ec2:ModifyInstanceAttribute", "security-group", Owned),
    g("ec2:TerminateInstances", "instance", Owned),
];

const LAUNCH_TEMPLATE: &[Grant] = &[
    g("ssm:GetParameters", "ssm-public-parameter", Any),
    g("ec2:CreateLaunchTemplate", "launch-template", New),
    g("ec2:DescribeLaunchTemplates", "*", Any),
    g("ec2:DescribeLaunchTemplateVersions", "*", Any),
    g("ec2:CreateLaunchTemplateVersion", "launch-template", Owned),
    g("ec2:ModifyLaunchTemplate", "launch-template", Owned),
    g("ec2:DeleteLaunchTemplate", "launch-template", Owned),
];

const AUTOSCALING_GROUP: &[Grant] = &[
    g(
        "autoscaling:CreateAutoScalingGroup",
        "autoscaling-group",
        New,
    ),
    g("autoscaling:CreateOrUpdateTags", "autoscaling-group", New),
    // The first group of an account creates Auto Scaling's service-linked role.
    g(
        "iam:CreateServiceLinkedRole",
        "autoscaling-service-linked-role",
        Any,
    ),
    // Creating a group checks that the caller may launch what its template describes.
    g("ec2:RunInstances", "launch-template", Owned),
    g("ec2:RunInstances", "instance", New),
    g("ec2:RunInstances", "volume", New),
    g("ec2:RunInstances", "network-interface", New),
    g("ec2:RunInstances", "subnet", Owned),
    g("ec2:RunInstances", "security-group", Owned),
    g("ec2:RunInstances", "image", Any),
    g("autoscaling:DescribeAutoScalingGroups", "*", Any),
    g("autoscaling:DescribeScalingActivities", "*", Any),
    g("ec2:DescribeInstances", "*", Any),
    g(
        "autoscaling:UpdateAutoScalingGroup",
        "autoscaling-group",
        Owned,
    ),
    g(
        "autoscaling:DeleteAutoScalingGroup",
        "autoscaling-group",
        Owned,
    ),
];

const ROUTE_TABLE: &[Grant] = &[
    g("ec2:CreateRouteTable", "route-table", New),
    g("ec2:CreateRouteTable", "vpc", Owned),
    g("ec2:DescribeRouteTables", "*", Any),
    g("ec2:DeleteRouteTable", "route-table", Owned),
];

const ROUTE: &[Grant] = &[
    g("ec2:CreateRoute", "route-table", Owned),
    g("ec2:ReplaceRoute", "route-table", Owned),
    g("ec2:DeleteRoute", "route-table", Owned),
];

const ROUTE_TABLE_ASSOCIATION: &[Grant] = &[
    g("ec2:AssociateRouteTable", "route-table", Owned),
    g("ec2:AssociateRouteTable", "subnet", Owned),
    g("ec2:DisassociateRouteTable", "route-table", Owned),
];

/// What the executor calls for each EC2 resource type, in create / discover / delete order;
/// nothing for a name that is no resource type.
pub fn grants(type_name: &str) -> &'static [Grant] {
    match ResourceType::from_name(type_name) {
        Some(ty) => grants_of(ty),
        None => &[],
    }
}

/// What the executor calls for resources of type `ty`, in create / discover / delete order.
/// Exhaustive: a new resource type does not compile until it says what it calls.
#[deny(clippy::wildcard_enum_match_arm)]
pub fn grants_of(ty: ResourceType) -> &'static [Grant] {
    match ty {
        ResourceType::Vpc => VPC,
        ResourceType::VpcCidrBlock => VPC_CIDR_BLOCK,
        ResourceType::Subnet => SUBNET,
        ResourceType::InternetGateway => INTERNET_GATEWAY,
        ResourceType::EgressOnlyInternetGateway => EGRESS_ONLY_INTERNET_GATEWAY,
        ResourceType::ElasticIp => ELASTIC_IP,
        ResourceType::NatGateway => NAT_GATEWAY,
        ResourceType::SecurityGroup => SECURITY_GROUP,
        ResourceType::SecurityGroupRule => SECURITY_GROUP_RULE,
        ResourceType::Instance => INSTANCE,
        ResourceType::LaunchTemplate => LAUNCH_TEMPLATE,
        ResourceType::AutoscalingGroup => AUTOSCALING_GROUP,
        ResourceType::RouteTable => ROUTE_TABLE,
        ResourceType::Route => ROUTE,
        ResourceType::RouteTableAssociation => ROUTE_TABLE_ASSOCIATION,
        // IAM actions are scoped to the plan's exact ARNs: see `iam_statements`.
        ResourceType::IamPolicy | ResourceType::IamRole | ResourceType::IamInstanceProfile => &[],
    }
}

/// The ARN of every EC2 resource of `kind` in the plan's region; `account` may be `*`.
fn ec2_arn(partition: &str, region: &str, account: &str, kind: &str) -> String {
    match kind {
        "*" => "*".to_owned(),
        "image" => format!("arn:{partition}:ec2:{region}::image/*"),
        "ssm-public-parameter" => format!("arn:{partition}:ssm:{region}::parameter/aws/service/*"),
        "autoscaling-group" => format!(
            "arn:{partition}:autoscaling:{region}:{account}:autoScalingGroup:*:autoScalingGroupName/*"
        ),
        "autoscaling-service-linked-role" => format!(
            "arn:{partition}:iam::{account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
        ),
        _ => format!("arn:{partition}:ec2:{region}:{account}:{kind}/*"),
    }
}

/// Where the policy will be used: the values an ARN needs that the plan does not hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// `aws`, `aws-cn` or `aws-us-gov`.
    pub partition: String,
    /// The account id, or `*` when not known yet.
    pub account: String,
}

impl Default for Target {
    fn default() -> Self {
        Target {
            partition: "aws".to_owned(),
            account: "*".to_owned(),
        }
    }
}

/// The policy document the executor needs for `plan`.
///
/// ```
/// # let design = planner_core::parse_design(r#"{"name": "demo", "region": "eu-west-1",
/// #   "vpc": {"cidr": "10.0.0.0/16"}, "availability_zones": 1, "nat": "none",
/// #   "tiers": [{"name": "app", "kind": "isolated", "size": {"prefix": 24}}]}"#).unwrap();
/// # let plan = planner_core::plan(&design, None).unwrap().plan;
/// use planner_core::analysis::executor_policy::{policy, Target};
/// let doc = policy(&plan, &Target::default());
/// let text = serde_json::to_string(&doc).unwrap();
/// assert!(text.contains("arn:aws:ec2:eu-west-1:*:subnet/*"));
/// assert!(text.contains("aws:ResourceTag/vpc-planner:plan"));
/// assert!(!text.contains("ec2:RunInstances")); // no instances in this plan
/// ```
pub fn policy(plan: &Plan, target: &Target) -> PolicyDocument {
    serde_json::from_value(policy_json(plan, target))
        .expect("the derived policy follows the IAM grammar")
}

fn policy_json(plan: &Plan, target: &Target) -> Value {
    let design = &plan.design;
    let (partition, account, region) = (&target.partition, &target.account, &design.region);
    let mut by_scope: BTreeMap<(Scope, BTreeSet<String>), BTreeSet<&str>> = BTreeMap::new();
    let mut actions: BTreeMap<(Scope, &str), BTreeSet<&str>> = BTreeMap::new();
    let types: BTreeSet<&str> = plan.resources.iter().map(|r| r.kind.type_name()).collect();
    for grant in COMMON.iter().chain(types.iter().flat_map(|t| grants(t))) {
        actions
            .entry((grant.scope, grant.action))
            .or_default()
            .insert(grant.resource);
    }
    // Actions with the same scope and resources share a statement. Owned actions share one
    // statement whatever their resources: every resource must carry the plan's tag, and an
    // action is only ever checked against the resource types it touches, so the union grants
    // nothing more. Likewise untaggable resources other than `*`. Creates stay paired with
    // their new resource types: there the union would let a create touch a parent (a VPC)
    // that only the request's tags, not the parent's, vouch for.
    let mut merged: BTreeMap<Scope, (BTreeSet<String>, BTreeSet<&str>)> = BTreeMap::new();
    for ((scope, action), resources) in actions {
        let arns: BTreeSet<String> = resources
            .iter()
            .map(|k| ec2_arn(partition, region, account, k))
            .collect();
        let mergeable = scope == Scope::Owned || (scope == Scope::Any && !arns.contains("*"));
        if mergeable {
            let (a, b) = merged.entry(scope).or_default();
            a.extend(arns);
            b.insert(action);
        } else {
            by_scope.entry((scope, arns)).or_default().insert(action);
        }
    }
    for (scope, (arns, actions)) in merged {
        by_scope.entry((scope, arns)).or_default().extend(actions);
    }
    let tagged_creates: BTreeSet<&str> = types
        .iter()
        .flat_map(|t| grants(t))
        .filter(|g| g.scope == New && g.action.starts_with("ec2:"))
        .map(|g| g.action.trim_start_matches("ec2:"))
        .collect();

    let mut statements = Vec::new();
    let mut counter: BTreeMap<&str, usize> = BTreeMap::new();
    let mut sid = |base: &'static str| {
        let n = counter.entry(base).or_default();
        *n += 1;
        if *n == 1 {
            base.to_owned()
        } else {
            format!("{base}{n}")
        }
    };
    for ((scope, arns), actions) in &by_scope {
        let (base, condition) = match scope {
            Scope::Any => ("Read", None),
            Scope::New => (
                "CreateTagged",
                Some(json!({"StringEquals": {format!("aws:RequestTag/{PLAN_TAG}"): design.name}})),
            ),
            Scope::Owned => (
                "ManageOwned",
                Some(json!({"StringEquals": {format!("aws:ResourceTag/{PLAN_TAG}"): design.name}})),
            ),
        };
        let base = if *scope == Scope::Any && actions.iter().any(|a| !is_read(a)) {
            "UseUntaggable"
        } else {
            base
        };
        let mut s = json!({
            "Sid": sid(base),
            "Effect": "Allow",
            "Action": actions.iter().collect::<Vec<_>>(),
            "Resource": arns.iter().collect::<Vec<_>>(),
        });
        if let Some(c) = condition {
            s["Condition"] = c;
        }
        statements.push(s);
    }
    if !tagged_creates.is_empty() {
        statements.push(json!({
            "Sid": "TagOnCreate",
            "Effect": "Allow",
            "Action": ["ec2:CreateTags"],
            "Resource": [format!("arn:{partition}:ec2:{region}:{account}:*/*")],
            "Condition": {"StringEquals": {"ec2:CreateAction": tagged_creates.iter().collect::<Vec<_>>()}},
        }));
        statements.push(json!({
            "Sid": "RetagOwned",
            "Effect": "Allow",
            "Action": ["ec2:CreateTags", "ec2:DeleteTags"],
            "Resource": [format!("arn:{partition}:ec2:{region}:{account}:*/*")],
            "Condition": {"StringEquals": {format!("aws:ResourceTag/{PLAN_TAG}"): design.name}},
        }));
    }
    statements.extend(iam_statements(plan, target));
    json!({"Version": "2012-10-17", "Statement": statements})
}

fn is_read(action: &str) -> bool {
    let name = action.split_once(':').map_or(action, |(_, n)| n);
    ["Describe", "Get", "List"]
        .iter()
        .any(|p| name.starts_with(p))
}

/// Statements for the plan's IAM resources, scoped to their exact ARNs.
fn iam_statements(plan: &Plan, target: &Target) -> Vec<Value> {
    let (partition, account) = (&target.partition, &target.account);
    let arn = |kind: &str, path: &str, name: &str| {
        format!("arn:{partition}:iam::{account}:{kind}{path}{name}")
    };
    let (mut roles, mut policies, mut profiles, mut attachable, mut passed) = (
        BTreeSet::new(),
        BTreeSet::new(),
        BTreeSet::new(),
        BTreeSet::new(),
        BTreeSet::new(),
    );
    let mut role_arns = BTreeMap::new();
    for r in &plan.resources {
        match &r.kind {
            ResourceKind::IamRole(role) => {
                let a = arn("role", &role.path, &role.name);
                role_arns.insert(r.id.as_str(), a.clone());
                roles.insert(a);
                for m in &role.managed_policies {
                    if let PolicyAttachment::Arn(a) = m {
                        attachable.insert(a.clone());
                    }
                }
            }
            ResourceKind::IamPolicy(p) => {
                let a = arn("policy", &p.path, &p.name);
                attachable.insert(a.clone());
                policies.insert(a);
            }
            ResourceKind::IamInstanceProfile(p) => {
                profiles.insert(arn("instance-profile", &p.path, &p.name));
                passed.extend(role_arns.get(p.role.as_str()).cloned());
            }
            _ => {}
        }
    }
    let list = |set: &BTreeSet<String>| set.iter().cloned().collect::<Vec<_>>();
    let mut out = Vec::new();
    if !roles.is_empty() {
        out.push(json!({
            "Sid": "ManageRoles",
            "Effect": "Allow",
            "Action": [
                "iam:CreateRole", "iam:DeleteRole", "iam:DeleteRolePolicy", "iam:DetachRolePolicy",
                "iam:GetRole", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies",
                "iam:ListInstanceProfilesForRole",
                "iam:ListRolePolicies", "iam:PutRolePolicy", "iam:TagRole", "iam:UntagRole",
                "iam:UpdateAssumeRolePolicy", "iam:UpdateRole"
            ],
            "Resource": list(&roles),
        }));
        // Detaching only takes permissions away: any policy, so that one attached by hand
        // can be taken off (drift repair, destroy). Attaching is limited to the plan's.
        if !attachable.is_empty() {
            let op = if account == "*" {
                "ArnLike"
            } else {
                "ArnEquals"
            };
            out.push(json!({
                "Sid": "AttachOnlyThePlansPolicies",
                "Effect": "Allow",
                "Action": ["iam:AttachRolePolicy"],
                "Resource": list(&roles),
                "Condition": {op: {"iam:PolicyARN": list(&attachable)}},
            }));
        }
    }
    if !policies.is_empty() {
        out.push(json!({
            "Sid": "ManagePolicies",
            "Effect": "Allow",
            "Action": [
                "iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:DeletePolicy",
                "iam:DeletePolicyVersion", "iam:GetPolicy", "iam:GetPolicyVersion",
                "iam:ListEntitiesForPolicy", "iam:ListPolicyVersions", "iam:TagPolicy",
                "iam:UntagPolicy"
            ],
            "Resource": list(&policies),
        }));
    }
    if !profiles.is_empty() {
        out.push(json!({
            "Sid": "ManageInstanceProfiles",
            "Effect": "Allow",
            "Action": [
                "iam:AddRoleToInstanceProfile", "iam:CreateInstanceProfile",
                "iam:DeleteInstanceProfile", "iam:GetInstanceProfile",
                "iam:RemoveRoleFromInstanceProfile", "iam:TagInstanceProfile",
                "iam:UntagInstanceProfile"
            ],
            "Resource": list(&profiles),
        }));
    }
    if !passed.is_empty() {
        // AddRoleToInstanceProfile and RunInstances both need PassRole on the role.
        out.push(json!({
            "Sid": "PassOnlyInstanceProfileRoles",
            "Effect": "Allow",
            "Action": ["iam:PassRole"],
            "Resource": list(&passed),
        }));
    }
    out
}
