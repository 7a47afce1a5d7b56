//! Terraform addresses from plan ids: the resource type of each plan type, names, and the
//! extra resources a plan resource becomes; two ids sharing an address are an error.

use std::collections::BTreeMap;

use super::error::{err, TerraformError};
use crate::ids;
use crate::plan::Plan;
use crate::resource::iam::PolicyAttachment;
use crate::resource::{Direction, Resource, ResourceKind, RouteTarget};

/// The Terraform resource type of a plan resource type.
pub fn terraform_type(kind: &ResourceKind) -> &'static str {
    match kind {
        ResourceKind::Vpc { .. } => "aws_vpc",
        ResourceKind::VpcCidrBlock { .. } => "aws_vpc_ipv4_cidr_block_association",
        ResourceKind::Subnet { .. } => "aws_subnet",
        ResourceKind::InternetGateway { .. } => "aws_internet_gateway",
        ResourceKind::EgressOnlyInternetGateway { .. } => "aws_egress_only_internet_gateway",
        ResourceKind::ElasticIp { .. } => "aws_eip",
        ResourceKind::NatGateway { .. } => "aws_nat_gateway",
        ResourceKind::SecurityGroup { .. } => "aws_security_group",
        ResourceKind::SecurityGroupRule { direction, .. } => match direction {
            Direction::Ingress => "aws_vpc_security_group_ingress_rule",
            Direction::Egress => "aws_vpc_security_group_egress_rule",
        },
        ResourceKind::Instance { .. } => "aws_instance",
        ResourceKind::LaunchTemplate { .. } => "aws_launch_template",
        ResourceKind::AutoscalingGroup { .. } => "aws_autoscaling_group",
        ResourceKind::RouteTable { .. } => "aws_route_table",
        ResourceKind::Route { .. } => "aws_route",
        ResourceKind::RouteTableAssociation { .. } => "aws_route_table_association",
        ResourceKind::NetworkAcl { .. } => "aws_network_acl",
        ResourceKind::NetworkAclEntry { .. } => "aws_network_acl_rule",
        ResourceKind::NetworkAclAssociation { .. } => "aws_network_acl_association",
        ResourceKind::VpcEndpoint { .. } => "aws_vpc_endpoint",
        ResourceKind::LogGroup { .. } => "aws_cloudwatch_log_group",
        ResourceKind::FlowLog { .. } => "aws_flow_log",
        ResourceKind::IamPolicy(_) => "aws_iam_policy",
        ResourceKind::IamRole(_) => "aws_iam_role",
        ResourceKind::IamInstanceProfile(_) => "aws_iam_instance_profile",
    }
}

/// A Terraform name from any text: characters other than letters, digits, `_` and `-`
/// become `_`, and a leading `_` is added when the first is not a letter or `_`.
///
/// ```
/// use planner_core::export::terraform::tf_name;
/// assert_eq!(tf_name("app.a"), "app_a");
/// assert_eq!(tf_name("10-1-0-0-16"), "_10-1-0-0-16");
/// ```
pub fn tf_name(text: &str) -> String {
    let mut s: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        s.insert(0, '_');
    }
    s
}

/// Whether a route is made by the NAT instance of an auto-scaling group rather than by
/// Terraform.
fn made_by_instance(kind: &ResourceKind) -> bool {
    matches!(
        kind,
        ResourceKind::Route {
            target: RouteTarget::AutoscalingGroup(_),
            ..
        }
    )
}

/// The Terraform address of every plan resource that has one, by plan id.
///
/// ```
/// let design = planner_core::presets::build("titus", &[]).unwrap();
/// let plan = planner_core::plan(&design, None).unwrap().plan;
/// let addrs = planner_core::export::terraform::addresses(&plan).unwrap();
/// assert_eq!(addrs["subnet.public.a"], "aws_subnet.public_a");
/// ```
pub fn addresses(plan: &Plan) -> Result<BTreeMap<String, String>, TerraformError> {
    let mut by_id = BTreeMap::new();
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    let mut claim = |address: String, id: &str| -> Result<(), TerraformError> {
        if let Some(other) = taken.insert(address.clone(), id.to_owned()) {
            return Err(err(
                id,
                format!("its Terraform address {address} is also {other}'s; rename one"),
            ));
        }
        Ok(())
    };
    for r in &plan.resources {
        if made_by_instance(&r.kind) {
            continue;
        }
        let address = format!("{}.{}", terraform_type(&r.kind), tf_name(ids::key(&r.id)));
        claim(address.clone(), &r.id)?;
        // The extra resources a plan resource becomes take addresses too.
        for extra in extras(r) {
            claim(extra, &r.id)?;
        }
        by_id.insert(r.id.clone(), address);
    }
    Ok(by_id)
}

/// The addresses beyond its own a plan resource is written as.
pub(super) fn extras(r: &Resource) -> Vec<String> {
    let name = tf_name(ids::key(&r.id));
    match &r.kind {
        ResourceKind::SecurityGroup {
            revoke_default_egress: false,
            ..
        } => vec![format!(
            "aws_vpc_security_group_egress_rule.{name}_default_egress"
        )],
        ResourceKind::IamRole(role) => role
            .inline_policies
            .iter()
            .map(|p| format!("aws_iam_role_policy.{}", inline_name(&name, &p.name)))
            .chain(role.managed_policies.iter().map(|m| {
                format!(
                    "aws_iam_role_policy_attachment.{}",
                    attachment_name(&name, m)
                )
            }))
            .collect(),
        ResourceKind::Vpc {
            restrict_default_security_group,
            default_network_acl,
            ..
        } => {
            let mut v = Vec::new();
            if *restrict_default_security_group {
                v.push(format!("aws_default_security_group.{name}"));
            }
            if default_network_acl.is_some() {
                v.push(format!("aws_default_network_acl.{name}"));
            }
            v
        }
        _ => vec![],
    }
}

pub(super) fn inline_name(role: &str, policy: &str) -> String {
    format!("{role}_{}", tf_name(policy).trim_start_matches('_'))
}

pub(super) fn attachment_name(role: &str, m: &PolicyAttachment) -> String {
    match m {
        PolicyAttachment::Policy(id) => {
            format!("{role}_{}", tf_name(ids::key(id)).trim_start_matches('_'))
        }
        PolicyAttachment::Arn(arn) => {
            let last = arn.rsplit('/').next().unwrap_or(arn);
            format!("{role}_{}", tf_name(last).trim_start_matches('_'))
        }
    }
}
