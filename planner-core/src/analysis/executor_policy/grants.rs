//! What the executor calls for each resource type, with how each call is scoped: the table
//! the executor's policy is derived from. A new resource type does not compile until
//! [`grants_of`] says what it calls.

use crate::resource::{FlowLogTarget, ResourceKind, ResourceType};

/// How an action is scoped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    /// Creating a resource that is tagged with the plan in the same request.
    New,
    /// Acting on a resource that already carries the plan's tag.
    Owned,
    /// No tag condition: read-only calls, or resources that cannot carry the plan's tag
    /// (public images, security group rules, the VPC's default network ACL as the place a
    /// subnet goes back to) and are only reachable through an owned one, which the same call
    /// names and IAM checks too (the group of a rule, the subnet moved).
    Any,
    /// The VPC's default security group and default network ACL, which AWS creates with the
    /// VPC, untagged. IAM cannot scope these calls any closer: there is no condition on the
    /// tags of the VPC they are in, and the VPC's id (for `ec2:Vpc`) is only known once it
    /// exists, after the policy is derived. So they are scoped to the region and the resource
    /// type (every group, or every network ACL, of the region), which is accepted on one
    /// condition: they are granted only to a plan whose design asks the executor to manage
    /// those rules ([`DEFAULT_SECURITY_GROUP`] for `restrict_default_security_group`,
    /// [`DEFAULT_NETWORK_ACL`] for `default_network_acl`), never for the VPC as such. Never
    /// part of a teardown either: they go with the VPC.
    VpcDefault,
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

use Scope::{Any, New, Owned, VpcDefault};

/// Discovery and tagging, whatever the plan holds. IAM has no tag filter: discovery lists
/// every role, policy and instance profile and reads their tags.
pub(super) const COMMON: &[Grant] = &[
    g("sts:GetCallerIdentity", "*", Any),
    g("ec2:DescribeTags", "*", Any),
    g("iam:ListInstanceProfiles", "*", Any),
    g("iam:ListPolicies", "*", Any),
    g("iam:ListRoles", "*", Any),
];

const VPC: &[Grant] = &[
    g("ec2:CreateVpc", "vpc", New),
    g("ec2:DescribeVpcs", "*", Any),
    g("ec2:DescribeVpcAttribute", "vpc", Owned),
    g("ec2:ModifyVpcAttribute", "vpc", Owned),
    // Its Amazon-provided IPv6 block, added or taken away when the design turns IPv6 on or off.
    g("ec2:AssociateVpcCidrBlock", "vpc", Owned),
    g("ec2:DisassociateVpcCidrBlock", "vpc", Owned),
    g("ec2:DeleteVpc", "vpc", Owned),
];

/// The VPC's default security group's rules removed, for a VPC with
/// `restrict_default_security_group` only (see [`Scope::VpcDefault`]).
pub const DEFAULT_SECURITY_GROUP: &[Grant] = &[
    g("ec2:DescribeSecurityGroups", "*", Any),
    g(
        "ec2:RevokeSecurityGroupIngress",
        "security-group",
        VpcDefault,
    ),
    g(
        "ec2:RevokeSecurityGroupEgress",
        "security-group",
        VpcDefault,
    ),
];

/// The VPC's default network ACL's rules kept to the design's `default_network_acl`, for a
/// VPC that sets it only (see [`Scope::VpcDefault`]): absent, the executor does not even
/// read the ACL.
pub const DEFAULT_NETWORK_ACL: &[Grant] = &[
    g("ec2:DescribeNetworkAcls", "*", Any),
    g("ec2:CreateNetworkAclEntry", "network-acl", VpcDefault),
    g("ec2:DeleteNetworkAclEntry", "network-acl", VpcDefault),
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
    // Its IPv6 /64, added or taken away when the design turns IPv6 on or off.
    g("ec2:AssociateSubnetCidrBlock", "subnet", Owned),
    g("ec2:DisassociateSubnetCidrBlock", "subnet", Owned),
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
    g("ec2:RevokeSecurityGroupEgress", "security-group", Owned),
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

const NETWORK_ACL: &[Grant] = &[
    g("ec2:CreateNetworkAcl", "network-acl", New),
    g("ec2:CreateNetworkAcl", "vpc", Owned),
    g("ec2:DescribeNetworkAcls", "*", Any),
    g("ec2:DeleteNetworkAcl", "network-acl", Owned),
];

/// An owned ACL's rules, found in its describe and created, replaced and deleted by number.
const NETWORK_ACL_ENTRY: &[Grant] = &[
    g("ec2:DescribeNetworkAcls", "*", Any),
    g("ec2:CreateNetworkAclEntry", "network-acl", Owned),
    g("ec2:ReplaceNetworkAclEntry", "network-acl", Owned),
    g("ec2:DeleteNetworkAclEntry", "network-acl", Owned),
];

/// A subnet moved onto the plan's ACL (from whatever ACL it uses, found by describing the
/// ACLs by subnet), and back onto its VPC's default ACL ([`BACK_TO_THE_DEFAULT_ACL`]).
const NETWORK_ACL_ASSOCIATION: &[Grant] = &[
    g("ec2:DescribeNetworkAcls", "*", Any),
    g("ec2:ReplaceNetworkAclAssociation", "network-acl", Owned),
    g("ec2:ReplaceNetworkAclAssociation", "subnet", Owned),
    g("ec2:ReplaceNetworkAclAssociation", "network-acl", Any),
];

/// How a subnet leaves an ACL the plan made (an association cannot be removed, only moved):
/// onto its VPC's default ACL, which AWS made untagged. IAM checks
/// `ReplaceNetworkAclAssociation` against the ACL named and the subnet moved (not the ACL
/// the subnet leaves), and the subnet is granted only with the plan's tag: so the ACL is
/// [`Scope::Any`] (every network ACL of the region), and still the call moves only the
/// plan's own subnets, onto an ACL of their own VPC (AWS refuses any other). Part of the
/// teardown of `network_acl_association`, though its verb is not one of `TEARDOWN_VERBS`,
/// so that a plan whose design dropped its ACLs can still empty and delete them.
pub const BACK_TO_THE_DEFAULT_ACL: &[Grant] = &[
    g("ec2:ReplaceNetworkAclAssociation", "network-acl", Any),
    g("ec2:ReplaceNetworkAclAssociation", "subnet", Owned),
];

const VPC_ENDPOINT: &[Grant] = &[
    g("ec2:CreateVpcEndpoint", "vpc-endpoint", New),
    g("ec2:CreateVpcEndpoint", "vpc", Owned),
    g("ec2:CreateVpcEndpoint", "route-table", Owned),
    g("ec2:CreateVpcEndpoint", "subnet", Owned),
    g("ec2:CreateVpcEndpoint", "security-group", Owned),
    g("ec2:DescribeVpcEndpoints", "*", Any),
    g("ec2:ModifyVpcEndpoint", "vpc-endpoint", Owned),
    g("ec2:ModifyVpcEndpoint", "route-table", Owned),
    g("ec2:ModifyVpcEndpoint", "subnet", Owned),
    g("ec2:ModifyVpcEndpoint", "security-group", Owned),
    g("ec2:DeleteVpcEndpoints", "vpc-endpoint", Owned),
];

/// CloudWatch Logs groups, all under the plan's prefix (`log-group` is every group named
/// `/vpc-planner/<plan>/…`). Creating a group with tags takes `TagResource` too, on the tags
/// of the request; DescribeLogGroups takes no tag condition. Discovery reads the tags of the
/// prefix's groups where they carry the plan's tag: one whose tags it may not read is not the
/// plan's.
const LOG_GROUP: &[Grant] = &[
    g("logs:CreateLogGroup", "log-group", New),
    g("logs:TagResource", "log-group", New),
    g("logs:DescribeLogGroups", "*", Any),
    g("logs:ListTagsForResource", "log-group", Owned),
    g("logs:TagResource", "log-group", Owned),
    g("logs:PutRetentionPolicy", "log-group", Owned),
    g("logs:DeleteLogGroup", "log-group", Owned),
];

/// The VPC's flow log. To CloudWatch Logs it also passes the delivery role (`iam:PassRole`,
/// in the IAM statements, on that role only and to `vpc-flow-logs.amazonaws.com` only); to
/// S3 it takes [`FLOW_LOG_TO_S3`].
const FLOW_LOG: &[Grant] = &[
    g("ec2:CreateFlowLogs", "vpc-flow-log", New),
    g("ec2:CreateFlowLogs", "vpc", Owned),
    g("ec2:DescribeFlowLogs", "*", Any),
    g("ec2:DeleteFlowLogs", "vpc-flow-log", Owned),
];

/// What creating and deleting a flow log to S3 takes beyond `FLOW_LOG`: AWS sets up the
/// delivery to the bucket with the caller's permission. These actions take no resource
/// (`"*"` only), so they are granted only to a plan whose flow log goes to S3
/// ([`grants_for`]), never as a teardown. So a plan whose design has dropped its S3 flow log
/// (or moved it to CloudWatch Logs) cannot delete the old one with its own policy: `destroy`
/// the plan that made it, or delete it with another identity (the README says so). Making it
/// a teardown would grant a write on `*` to every plan and push the largest derived policies
/// over IAM's 6,144 characters.
pub const FLOW_LOG_TO_S3: &[Grant] = &[
    g("logs:CreateLogDelivery", "*", Any),
    g("logs:DeleteLogDelivery", "*", Any),
];

/// The verbs of the calls that find and delete: what the executor needs for a type the plan
/// no longer has, to delete what an earlier version of the plan made of it.
const TEARDOWN_VERBS: &[&str] = &[
    "Describe",
    "ListTags",
    "Delete",
    "Detach",
    "Disassociate",
    "Release",
    "Revoke",
    "Terminate",
];

/// The calls of [`grants_of`] that find and delete resources of type `ty` (never a create):
/// granted whether or not the plan has the type, so that `run` and `destroy` can remove what
/// an earlier version of the plan made of it, and for `network_acl_association` moving the
/// plan's subnets back onto the default network ACL ([`BACK_TO_THE_DEFAULT_ACL`]), which is
/// how an association is deleted. Never the calls on the VPC's defaults' rules.
pub fn teardown_of(ty: ResourceType) -> impl Iterator<Item = &'static Grant> {
    let moves: &'static [Grant] = if matches!(ty, ResourceType::NetworkAclAssociation) {
        BACK_TO_THE_DEFAULT_ACL
    } else {
        &[]
    };
    grants_of(ty)
        .iter()
        .filter(|g| {
            let name = g.action.split_once(':').map_or(g.action, |(_, n)| n);
            g.scope != New
                && g.scope != VpcDefault
                && TEARDOWN_VERBS.iter().any(|v| name.starts_with(v))
        })
        .chain(moves)
}

/// What the executor calls for each EC2 resource type, in create / discover / delete order;
/// nothing for a name that is no resource type.
pub fn grants(type_name: &str) -> &'static [Grant] {
    match ResourceType::from_name(type_name) {
        Some(ty) => grants_of(ty),
        None => &[],
    }
}

/// What the executor calls for one resource beyond its type's [`grants_of`], because of what
/// the design asks of it: for a VPC, the calls on its default security group and network
/// ACL when the design has the plan manage them; for a flow log to S3, the log delivery
/// calls; nothing otherwise.
pub fn grants_for(kind: &ResourceKind) -> impl Iterator<Item = &'static Grant> {
    let to_s3 = matches!(
        kind,
        ResourceKind::FlowLog {
            destination: FlowLogTarget::S3 { .. },
            ..
        }
    );
    let (group, acl) = match kind {
        ResourceKind::Vpc {
            restrict_default_security_group,
            default_network_acl,
            ..
        } => (
            *restrict_default_security_group,
            default_network_acl.is_some(),
        ),
        _ => (false, false),
    };
    [
        (group, DEFAULT_SECURITY_GROUP),
        (acl, DEFAULT_NETWORK_ACL),
        (to_s3, FLOW_LOG_TO_S3),
    ]
    .into_iter()
    .filter(|(wanted, _)| *wanted)
    .flat_map(|(_, grants)| grants.iter())
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
        ResourceType::NetworkAcl => NETWORK_ACL,
        ResourceType::NetworkAclEntry => NETWORK_ACL_ENTRY,
        ResourceType::NetworkAclAssociation => NETWORK_ACL_ASSOCIATION,
        ResourceType::VpcEndpoint => VPC_ENDPOINT,
        ResourceType::LogGroup => LOG_GROUP,
        ResourceType::FlowLog => FLOW_LOG,
        // IAM actions are scoped to the plan's exact ARNs: see `iam_statements`.
        ResourceType::IamPolicy | ResourceType::IamRole | ResourceType::IamInstanceProfile => &[],
    }
}
