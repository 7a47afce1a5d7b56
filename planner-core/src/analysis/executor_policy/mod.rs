//! The least-privilege IAM policy the executor needs to apply, diff and destroy one plan.
//!
//! The vendor guides hand-write this policy (Determined's cross-account role, Informatica's
//! installer policy) and grant `"Resource": "*"` to be safe. Here it is derived from the plan:
//! only the actions its resource types need; EC2 actions scoped to the plan's region and to
//! resources carrying the plan's tag (`aws:RequestTag` when creating, `aws:ResourceTag`
//! afterwards); IAM actions scoped to the exact ARNs of the plan's roles, policies and instance
//! profiles; `iam:PassRole` only for roles the plan's instances use, and the flow log's
//! delivery role only to `vpc-flow-logs.amazonaws.com`; CloudWatch Logs calls only on the log
//! groups under the plan's prefix (`/vpc-planner/<plan>/`), changed and deleted only where they
//! carry the plan's tag; the
//! SSM calls of the plan's lock on that one parameter. The VPC's default security group and
//! network ACL, which AWS makes untagged, get only the calls that remove or restore their
//! rules, on the region's groups and ACLs ([`Scope::VpcDefault`]), and only when the design
//! has the plan manage them ([`grants_for`]): `restrict_default_security_group` for the
//! group, `default_network_acl` for the ACL. The one other call on an untagged ACL moves the
//! plan's own subnets back onto their VPC's default ACL ([`BACK_TO_THE_DEFAULT_ACL`], every
//! plan's teardown): the subnet the call names must carry the plan's tag.
//!
//! Whatever types the plan holds, it also grants the calls that find and delete every type
//! the executor can create ([`teardown_of`]; for IAM, listing roles, policies and profiles
//! and reading their tags), deleting only what carries the plan's tag: a design that drops
//! its NAT, a role or IPv6 leaves resources an earlier version made, and `run` and `destroy`
//! must remove them.
//!
//! **Invariant: every AWS call the executor makes for a resource type is listed in
//! [`grants`] for that type, or in [`grants_for`] for what the design asks of that one
//! resource.** The executor's tests record its calls and check them against it.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use crate::design::iam::document::PolicyDocument;
use crate::ids::{lock_parameter, log_group_prefix, PLAN_TAG};
use crate::plan::Plan;
use crate::resource::iam::PolicyAttachment;
use crate::resource::{FlowLogTarget, ResourceKind, ResourceType};

use grants::COMMON;
pub use grants::{
    grants, grants_for, grants_of, teardown_of, Grant, Scope, BACK_TO_THE_DEFAULT_ACL,
    DEFAULT_NETWORK_ACL, DEFAULT_SECURITY_GROUP, FLOW_LOG_TO_S3,
};
pub use split::{counted_size, MANAGED_POLICY_LIMIT};
use Scope::New;

mod grants;
mod split;

/// The ARN of every EC2 resource of `kind` in the plan's region (for `log-group`, every log
/// group under the plan's prefix); `account` may be `*`.
fn ec2_arn(partition: &str, region: &str, account: &str, plan: &str, kind: &str) -> String {
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
        "log-group" => format!(
            "arn:{partition}:logs:{region}:{account}:log-group:{}*",
            log_group_prefix(plan)
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
    crate::error::from_value(&policy_json(plan, target))
        .expect("the derived policy follows the IAM grammar")
}

/// The policy the executor needs for `plan` as managed policies IAM accepts: [`policy`] itself
/// when it holds at most [`MANAGED_POLICY_LIMIT`] characters (whitespace not counted), else its
/// statements in order, filled into as many documents as needed, each within the limit. The
/// documents together grant exactly what [`policy`] grants; attach them all.
///
/// ```
/// # let design = planner_core::presets::build("informatica", &[("hardened", "true")]).unwrap();
/// # let plan = planner_core::plan(&design, None).unwrap().plan;
/// use planner_core::analysis::executor_policy::{counted_size, policies, policy, Target};
/// let whole = policy(&plan, &Target::default());
/// let parts = policies(&plan, &Target::default());
/// assert!(counted_size(&whole) > 6_144 && parts.len() > 1);
/// assert!(parts.iter().all(|p| counted_size(p) <= 6_144));
/// ```
pub fn policies(plan: &Plan, target: &Target) -> Vec<PolicyDocument> {
    split::split(policy_json(plan, target))
}

fn policy_json(plan: &Plan, target: &Target) -> Value {
    let design = &plan.design;
    let (partition, account, region) = (&target.partition, &target.account, &design.region);
    let mut by_scope: BTreeMap<(Scope, BTreeSet<String>), BTreeSet<&str>> = BTreeMap::new();
    let mut actions: BTreeMap<(Scope, &str), BTreeSet<&str>> = BTreeMap::new();
    let types: BTreeSet<&str> = plan.resources.iter().map(|r| r.kind.type_name()).collect();
    let teardown = ResourceType::ALL.iter().flat_map(|t| teardown_of(*t));
    let settings = plan.resources.iter().flat_map(|r| grants_for(&r.kind));
    let all: Vec<&Grant> = COMMON
        .iter()
        .chain(types.iter().flat_map(|t| grants(t)))
        .chain(settings)
        .chain(teardown)
        .collect();
    // The types a create takes as an existing resource beside the one it makes (a subnet's
    // VPC, an endpoint's route tables, a NAT gateway's address).
    let parents: BTreeSet<&str> = all
        .iter()
        .filter(|g| g.scope == Scope::Owned)
        .filter(|g| {
            all.iter()
                .any(|n| n.scope == New && n.action == g.action && n.resource != g.resource)
        })
        .map(|g| g.resource)
        .collect();
    for grant in all {
        actions
            .entry((grant.scope, grant.action))
            .or_default()
            .insert(grant.resource);
    }
    // Actions with the same scope and resources share a statement. Owned actions share one
    // statement whatever their resources: every resource must carry the plan's tag, and an
    // action is only ever checked against the resource types it touches, so the union grants
    // nothing more. Likewise untaggable resources other than `*`. Creates of a type that is
    // some create's parent stay paired with their new resource types: there the union would
    // let a create touch a parent (a VPC) that only the request's tags, not the parent's,
    // vouch for. The other creates (of types no call takes as a parent: gateways, endpoints,
    // flow logs, rules, log groups) share one statement, which keeps the policy under IAM's
    // size limit. The calls on the VPC's
    // defaults share one statement too: each names a type (groups and their rules, network
    // ACLs) that only the other calls of that statement act on.
    let mut merged: BTreeMap<Scope, (BTreeSet<String>, BTreeSet<&str>)> = BTreeMap::new();
    for ((scope, action), resources) in actions {
        let arns: BTreeSet<String> = resources
            .iter()
            .map(|k| ec2_arn(partition, region, account, &design.name, k))
            .collect();
        let mergeable = matches!(scope, Scope::Owned | Scope::VpcDefault)
            || (scope == Scope::Any && !arns.contains("*"))
            || (scope == New && resources.iter().all(|r| !parents.contains(r)));
        // For the same reason the owned EC2 types need not be listed one by one: every EC2
        // resource of the region and account, as long as it carries the plan's tag. This
        // keeps the policy under IAM's size limit now that it grants every type's teardown.
        // The calls on the VPC's defaults carry no tag condition: their types stay listed.
        let arns = if scope == Scope::Owned {
            let ec2 = format!("arn:{partition}:ec2:{region}:{account}:");
            arns.into_iter()
                .map(|a| {
                    if a.starts_with(&ec2) {
                        format!("{ec2}*/*")
                    } else {
                        a
                    }
                })
                .collect()
        } else {
            arns
        };
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
            Scope::VpcDefault => ("ManageVpcDefaults", None),
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
    statements.push(lock_statement(plan, target));
    json!({"Version": "2012-10-17", "Statement": statements})
}

/// The calls of the plan's lock, on its one parameter in the plan's region: create it if
/// absent, read who holds it, delete it when done (or forced).
fn lock_statement(plan: &Plan, target: &Target) -> Value {
    let (partition, account, region) = (&target.partition, &target.account, &plan.design.region);
    json!({
        "Sid": "LockThePlan",
        "Effect": "Allow",
        "Action": ["ssm:DeleteParameter", "ssm:GetParameter", "ssm:PutParameter"],
        "Resource": [format!(
            "arn:{partition}:ssm:{region}:{account}:parameter{}",
            lock_parameter(&plan.design.name)
        )],
    })
}

fn is_read(action: &str) -> bool {
    let name = action.split_once(':').map_or(action, |(_, n)| n);
    ["Describe", "Get", "List"]
        .iter()
        .any(|p| name.starts_with(p))
}

/// Statements for the plan's IAM resources, scoped to their exact ARNs. Reading, detaching and
/// deleting are in [`teardown_iam_statements`]: the plan's own carry its tag too.
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
    // The flow log's delivery role is passed to the flow-logs service only.
    let flow_log_roles: BTreeSet<String> = plan
        .resources
        .iter()
        .filter_map(|r| match &r.kind {
            ResourceKind::FlowLog {
                destination: FlowLogTarget::CloudwatchLogs { role, .. },
                ..
            } => role_arns.get(role.as_str()).cloned(),
            _ => None,
        })
        .collect();
    let list = |set: &BTreeSet<String>| set.iter().cloned().collect::<Vec<_>>();
    let mut out = teardown_iam_statements(&plan.design.name, target);
    if !roles.is_empty() {
        out.push(json!({
            "Sid": "ManageRoles",
            "Effect": "Allow",
            "Action": [
                "iam:CreateRole", "iam:GetRole", "iam:GetRolePolicy", "iam:PutRolePolicy",
                "iam:TagRole", "iam:UntagRole", "iam:UpdateAssumeRolePolicy", "iam:UpdateRole"
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
                "iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:GetPolicy",
                "iam:GetPolicyVersion", "iam:TagPolicy", "iam:UntagPolicy"
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
                "iam:TagInstanceProfile", "iam:UntagInstanceProfile"
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
    if !flow_log_roles.is_empty() {
        // CreateFlowLogs passes the delivery role (DeliverLogsPermissionArn).
        out.push(json!({
            "Sid": "PassTheFlowLogRole",
            "Effect": "Allow",
            "Action": ["iam:PassRole"],
            "Resource": list(&flow_log_roles),
            "Condition": {"StringEquals": {"iam:PassedToService": "vpc-flow-logs.amazonaws.com"}},
        }));
    }
    out
}

/// Statements for finding and deleting the IAM resources an earlier version of the plan made,
/// whatever their names: IAM has no tag filter, so every role, policy and instance profile is
/// listed (the listing calls are in `COMMON`) and its tags read; deleting is limited to those
/// carrying the plan's tag.
fn teardown_iam_statements(plan_name: &str, target: &Target) -> Vec<Value> {
    let (partition, account) = (&target.partition, &target.account);
    // Every role, policy and instance profile (the actions name which); one ARN keeps the
    // policy under IAM's size limit.
    let every = [format!("arn:{partition}:iam::{account}:*")];
    vec![
        json!({
            "Sid": "ReadIamTags",
            "Effect": "Allow",
            "Action": ["iam:GetInstanceProfile", "iam:ListPolicyTags", "iam:ListRoleTags"],
            "Resource": every,
        }),
        json!({
            "Sid": "DeleteOwnedIam",
            "Effect": "Allow",
            "Action": [
                "iam:DeleteInstanceProfile", "iam:DeletePolicy", "iam:DeletePolicyVersion",
                "iam:DeleteRole", "iam:DeleteRolePolicy", "iam:DetachRolePolicy",
                "iam:ListAttachedRolePolicies", "iam:ListEntitiesForPolicy",
                "iam:ListInstanceProfilesForRole", "iam:ListPolicyVersions",
                "iam:ListRolePolicies", "iam:RemoveRoleFromInstanceProfile"
            ],
            "Resource": every,
            "Condition": {"StringEquals": {format!("aws:ResourceTag/{PLAN_TAG}"): plan_name}},
        }),
    ]
}
