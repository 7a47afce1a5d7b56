//! The resources of a plan: what the executor creates, in a form it can apply without
//! consulting the design again.
//!
//! Each resource has a stable `id` derived from names (`subnet.app.a`), a snake_case `type`,
//! the ids it `depends_on`, and its attributes. Values only known at apply time (the VPC's
//! IPv6 block, an AMI id) are typed references rather than placeholders.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub mod iam;
mod parts;
mod types;

pub use crate::design::instances::InstanceRole;
pub use parts::{
    Ami, Destination, Direction, FlowLogTarget, Ipv6SubnetBlock, RouteTarget, RulePeer,
};
pub use types::ResourceType;

use self::iam::{InstanceProfileResource, PolicyAttachment, PolicyResource, RoleResource};
use crate::cidr::Cidr;
use crate::design::acl::{AclAction, AclBlock};
use crate::design::endpoint::EndpointKind;
use crate::design::flow_logs::FlowLogTraffic;
use crate::design::iam::document::PolicyDocument;
use crate::design::network::DefaultNetworkAcl;
use crate::design::sg::{PortRange, Protocol};

/// One resource of a plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Resource {
    /// Stable id derived from names, `<type>.<name>` (`subnet.app.a`), unique in the plan.
    pub id: String,
    /// The type and its attributes.
    #[serde(flatten)]
    pub kind: ResourceKind,
    /// Ids of resources that must exist first, sorted.
    pub depends_on: Vec<String>,
}

impl Resource {
    /// A resource with the ids it depends on sorted and each named once, as plan.json holds
    /// them.
    ///
    /// ```
    /// use planner_core::resource::{Resource, ResourceKind};
    /// let eip = ResourceKind::ElasticIp { name: "demo-nat-a".into() };
    /// let r = Resource::new("elastic_ip.nat.a", eip, ["vpc.main", "internet_gateway.main", "vpc.main"]);
    /// assert_eq!(r.depends_on, ["internet_gateway.main", "vpc.main"]);
    /// ```
    pub fn new(
        id: impl Into<String>,
        kind: ResourceKind,
        depends_on: impl IntoIterator<Item = impl Into<String>>,
    ) -> Resource {
        let mut depends_on: Vec<String> = depends_on.into_iter().map(Into::into).collect();
        depends_on.sort();
        depends_on.dedup();
        Resource {
            id: id.into(),
            kind,
            depends_on,
        }
    }
}

/// A resource's type and attributes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ResourceKind {
    /// The VPC with its primary IPv4 block.
    Vpc {
        /// `Name` tag.
        name: String,
        /// Primary IPv4 block.
        cidr_block: Cidr,
        /// Whether to request an Amazon-provided IPv6 /56.
        amazon_provided_ipv6: bool,
        /// DNS resolution through the Amazon-provided server.
        enable_dns_support: bool,
        /// Public DNS hostnames for instances with public addresses.
        enable_dns_hostnames: bool,
        /// Remove every rule of the VPC's default security group.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        restrict_default_security_group: bool,
        /// The rules the VPC's default network ACL keeps; none when the plan does not manage
        /// them.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        default_network_acl: Option<DefaultNetworkAcl>,
    },
    /// A secondary IPv4 block associated with the VPC.
    VpcCidrBlock {
        /// The VPC's id in this plan.
        vpc: String,
        /// The block.
        cidr_block: Cidr,
    },
    /// A subnet of one tier in one availability zone.
    Subnet {
        /// `Name` tag.
        name: String,
        /// The VPC's id in this plan.
        vpc: String,
        /// The subnet's tier.
        tier: String,
        /// Its availability zone.
        availability_zone: String,
        /// Its IPv4 block.
        cidr_block: Cidr,
        /// Its IPv6 /64, when the VPC has IPv6.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ipv6_cidr_block: Option<Ipv6SubnetBlock>,
        /// Public tiers give instances a public IPv4 address at launch.
        map_public_ip_on_launch: bool,
        /// Instances get an IPv6 address at launch.
        assign_ipv6_address_on_creation: bool,
    },
    /// An internet gateway attached to the VPC.
    InternetGateway {
        /// `Name` tag.
        name: String,
        /// The VPC it is attached to.
        vpc: String,
    },
    /// An egress-only internet gateway (outbound IPv6 for private tiers).
    EgressOnlyInternetGateway {
        /// `Name` tag.
        name: String,
        /// Its VPC.
        vpc: String,
    },
    /// An Elastic IP address in the VPC domain.
    ElasticIp {
        /// `Name` tag.
        name: String,
    },
    /// A public NAT gateway.
    NatGateway {
        /// `Name` tag.
        name: String,
        /// The public subnet it lives in.
        subnet: String,
        /// The Elastic IP it uses.
        elastic_ip: String,
        /// The availability zone it serves.
        availability_zone: String,
    },
    /// A security group. Its rules are `security_group_rule` resources, so groups that refer
    /// to each other can be created before either's rules.
    SecurityGroup {
        /// The group name (also the `Name` tag).
        name: String,
        /// The group description AWS requires.
        description: String,
        /// Its VPC.
        vpc: String,
        /// Revoke the allow-all egress rule AWS adds to every new group.
        revoke_default_egress: bool,
    },
    /// One rule of a security group, as one AWS permission with one peer.
    SecurityGroupRule {
        /// The group's id.
        group: String,
        /// Inbound or outbound.
        direction: Direction,
        /// The protocol.
        protocol: Protocol,
        /// Ports (or ICMP type); absent for every port.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ports: Option<PortRange>,
        /// The other side.
        peer: RulePeer,
        /// The rule's description.
        description: String,
    },
    /// An EC2 instance.
    Instance {
        /// `Name` tag.
        name: String,
        /// What the instance is for.
        role: InstanceRole,
        /// The subnet it is launched in.
        subnet: String,
        /// Its availability zone.
        availability_zone: String,
        /// Its image.
        ami: Ami,
        /// Its instance type, e.g. `t4g.nano`.
        instance_type: String,
        /// Security group ids in this plan.
        security_groups: Vec<String>,
        /// Whether it gets a public IPv4 address.
        associate_public_ip_address: bool,
        /// Off for NAT instances, which forward traffic not addressed to them.
        source_dest_check: bool,
        /// The instance profile's id in this plan.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        iam_instance_profile: Option<String>,
        /// An existing EC2 key pair.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        key_name: Option<String>,
        /// A shell script run at first boot.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        user_data: Option<String>,
    },
    /// A launch template: what an auto-scaling group launches.
    LaunchTemplate {
        /// The template name (also the `Name` tag).
        name: String,
        /// Its image.
        ami: Ami,
        /// Instance type.
        instance_type: String,
        /// Security group ids in this plan.
        security_groups: Vec<String>,
        /// Whether instances get a public IPv4 address.
        associate_public_ip_address: bool,
        /// The instance profile's id in this plan.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        iam_instance_profile: Option<String>,
        /// A shell script run at first boot.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        user_data: Option<String>,
    },
    /// An auto-scaling group keeping `size` instances of a launch template in one subnet.
    AutoscalingGroup {
        /// The group name (also the `Name` tag).
        name: String,
        /// The launch template's id in this plan.
        launch_template: String,
        /// The subnet its instances run in.
        subnet: String,
        /// Its availability zone.
        availability_zone: String,
        /// Minimum, maximum and desired capacity.
        size: u32,
    },
    /// A route table.
    RouteTable {
        /// `Name` tag.
        name: String,
        /// Its VPC.
        vpc: String,
        /// The tier whose subnets use it.
        tier: String,
        /// The availability zone it serves, when its targets differ per zone.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        availability_zone: Option<String>,
        /// Tags beyond the ownership ones, e.g. the NAT zone a NAT instance looks for.
        #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
        tags: std::collections::BTreeMap<String, String>,
    },
    /// One route in a route table.
    Route {
        /// The route table's id.
        route_table: String,
        /// The destination.
        destination: Destination,
        /// Where matching traffic goes.
        target: RouteTarget,
    },
    /// The explicit association of a subnet with a route table.
    RouteTableAssociation {
        /// The route table's id.
        route_table: String,
        /// The subnet's id.
        subnet: String,
    },
    /// A network ACL. AWS gives it a final deny-all rule in each direction; its own rules are
    /// `network_acl_entry` resources.
    NetworkAcl {
        /// `Name` tag.
        name: String,
        /// Its VPC.
        vpc: String,
    },
    /// One numbered rule of a network ACL.
    NetworkAclEntry {
        /// The ACL's id.
        network_acl: String,
        /// Inbound or outbound.
        direction: Direction,
        /// 1–32766, unique per direction; lower numbers are evaluated first.
        rule_number: u32,
        /// Allow or deny.
        action: AclAction,
        /// The protocol.
        protocol: Protocol,
        /// Ports (or ICMP type); absent for every port.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ports: Option<PortRange>,
        /// The block matched.
        block: AclBlock,
        /// Why the rule exists (AWS keeps no description for ACL rules).
        #[serde(default, skip_serializing_if = "String::is_empty")]
        description: String,
    },
    /// A subnet's use of a network ACL in place of the VPC's default ACL.
    NetworkAclAssociation {
        /// The ACL's id.
        network_acl: String,
        /// The subnet's id.
        subnet: String,
    },
    /// A VPC endpoint for one AWS service.
    VpcEndpoint {
        /// `Name` tag.
        name: String,
        /// Its VPC.
        vpc: String,
        /// AWS's service name, `com.amazonaws.<region>.<service>`.
        service_name: String,
        /// Gateway or interface.
        endpoint_type: EndpointKind,
        /// Gateway endpoints: the route tables (ids in this plan) that get a route to the
        /// service's prefix list, sorted.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        route_tables: Vec<String>,
        /// Interface endpoints: one subnet (id in this plan) per availability zone, sorted.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        subnets: Vec<String>,
        /// Interface endpoints: the security groups (ids in this plan) of its interfaces.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        security_groups: Vec<String>,
        /// Interface endpoints: resolve the service's name to the endpoint inside the VPC.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        private_dns: bool,
        /// The endpoint policy; absent, AWS's full access.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        policy: Option<PolicyDocument>,
    },
    /// A CloudWatch Logs log group.
    LogGroup {
        /// The group's name, e.g. `/vpc-planner/demo/flow-logs`.
        name: String,
        /// How long it keeps records, in days.
        retention_days: u32,
    },
    /// The VPC's flow log.
    FlowLog {
        /// `Name` tag.
        name: String,
        /// The VPC it records.
        vpc: String,
        /// Which traffic it records.
        traffic: FlowLogTraffic,
        /// Where records go.
        destination: FlowLogTarget,
    },
    /// A customer managed IAM policy.
    IamPolicy(PolicyResource),
    /// An IAM role with its trust policy, inline policies and managed policy attachments.
    IamRole(RoleResource),
    /// An IAM instance profile holding one role.
    IamInstanceProfile(InstanceProfileResource),
}

impl ResourceKind {
    /// Ids of the plan resources this one's attributes name; each is among its `depends_on`.
    pub fn references(&self) -> Vec<&str> {
        match self {
            ResourceKind::Vpc { .. } | ResourceKind::ElasticIp { .. } => vec![],
            ResourceKind::VpcCidrBlock { vpc, .. }
            | ResourceKind::InternetGateway { vpc, .. }
            | ResourceKind::EgressOnlyInternetGateway { vpc, .. }
            | ResourceKind::SecurityGroup { vpc, .. }
            | ResourceKind::RouteTable { vpc, .. }
            | ResourceKind::NetworkAcl { vpc, .. } => vec![vpc],
            ResourceKind::NetworkAclEntry { network_acl, .. } => vec![network_acl],
            ResourceKind::VpcEndpoint {
                vpc,
                route_tables,
                subnets,
                security_groups,
                ..
            } => std::iter::once(vpc.as_str())
                .chain(route_tables.iter().map(String::as_str))
                .chain(subnets.iter().map(String::as_str))
                .chain(security_groups.iter().map(String::as_str))
                .collect(),
            ResourceKind::LogGroup { .. } => vec![],
            ResourceKind::FlowLog {
                vpc, destination, ..
            } => match destination {
                FlowLogTarget::CloudwatchLogs { log_group, role } => vec![vpc, log_group, role],
                FlowLogTarget::S3 { .. } => vec![vpc],
            },
            ResourceKind::NetworkAclAssociation {
                network_acl,
                subnet,
            } => vec![network_acl, subnet],
            ResourceKind::Subnet {
                vpc,
                ipv6_cidr_block,
                ..
            } => std::iter::once(vpc.as_str())
                .chain(ipv6_cidr_block.iter().map(|b| b.vpc.as_str()))
                .collect(),
            ResourceKind::SecurityGroupRule { group, peer, .. } => match peer {
                RulePeer::SecurityGroup(other) => vec![group, other],
                _ => vec![group],
            },
            ResourceKind::NatGateway {
                subnet, elastic_ip, ..
            } => vec![subnet, elastic_ip],
            ResourceKind::Instance {
                subnet,
                security_groups,
                iam_instance_profile,
                ..
            } => std::iter::once(subnet.as_str())
                .chain(security_groups.iter().map(String::as_str))
                .chain(iam_instance_profile.as_deref())
                .collect(),
            ResourceKind::LaunchTemplate {
                security_groups,
                iam_instance_profile,
                ..
            } => security_groups
                .iter()
                .map(String::as_str)
                .chain(iam_instance_profile.as_deref())
                .collect(),
            ResourceKind::AutoscalingGroup {
                launch_template,
                subnet,
                ..
            } => vec![launch_template, subnet],
            ResourceKind::Route {
                route_table,
                target,
                ..
            } => vec![route_table, target.id()],
            ResourceKind::RouteTableAssociation {
                route_table,
                subnet,
            } => vec![route_table, subnet],
            ResourceKind::IamPolicy(_) => vec![],
            ResourceKind::IamRole(r) => r
                .managed_policies
                .iter()
                .filter_map(|m| match m {
                    PolicyAttachment::Policy(id) => Some(id.as_str()),
                    PolicyAttachment::Arn(_) => None,
                })
                .collect(),
            ResourceKind::IamInstanceProfile(p) => vec![&p.role],
        }
    }

    /// The resource's type, without its attributes.
    pub fn resource_type(&self) -> ResourceType {
        match self {
            ResourceKind::Vpc { .. } => ResourceType::Vpc,
            ResourceKind::VpcCidrBlock { .. } => ResourceType::VpcCidrBlock,
            ResourceKind::Subnet { .. } => ResourceType::Subnet,
            ResourceKind::InternetGateway { .. } => ResourceType::InternetGateway,
            ResourceKind::EgressOnlyInternetGateway { .. } => {
                ResourceType::EgressOnlyInternetGateway
            }
            ResourceKind::ElasticIp { .. } => ResourceType::ElasticIp,
            ResourceKind::NatGateway { .. } => ResourceType::NatGateway,
            ResourceKind::SecurityGroup { .. } => ResourceType::SecurityGroup,
            ResourceKind::SecurityGroupRule { .. } => ResourceType::SecurityGroupRule,
            ResourceKind::Instance { .. } => ResourceType::Instance,
            ResourceKind::LaunchTemplate { .. } => ResourceType::LaunchTemplate,
            ResourceKind::AutoscalingGroup { .. } => ResourceType::AutoscalingGroup,
            ResourceKind::RouteTable { .. } => ResourceType::RouteTable,
            ResourceKind::Route { .. } => ResourceType::Route,
            ResourceKind::RouteTableAssociation { .. } => ResourceType::RouteTableAssociation,
            ResourceKind::NetworkAcl { .. } => ResourceType::NetworkAcl,
            ResourceKind::NetworkAclEntry { .. } => ResourceType::NetworkAclEntry,
            ResourceKind::NetworkAclAssociation { .. } => ResourceType::NetworkAclAssociation,
            ResourceKind::VpcEndpoint { .. } => ResourceType::VpcEndpoint,
            ResourceKind::LogGroup { .. } => ResourceType::LogGroup,
            ResourceKind::FlowLog { .. } => ResourceType::FlowLog,
            ResourceKind::IamPolicy(_) => ResourceType::IamPolicy,
            ResourceKind::IamRole(_) => ResourceType::IamRole,
            ResourceKind::IamInstanceProfile(_) => ResourceType::IamInstanceProfile,
        }
    }

    /// The snake_case type name used in plan.json.
    pub fn type_name(&self) -> &'static str {
        self.resource_type().name()
    }
}
