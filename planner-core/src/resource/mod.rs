//! The resources of a plan: what the executor creates, in a form it can apply without
//! consulting the design again.
//!
//! Each resource has a stable `id` derived from names (`subnet.app.a`), a snake_case `type`,
//! the ids it `depends_on`, and its attributes. Values only known at apply time (the VPC's
//! IPv6 block, an AMI id) are typed references rather than placeholders.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub mod iam;

use self::iam::{InstanceProfileResource, PolicyAttachment, PolicyResource, RoleResource};
use crate::cidr::Cidr;
use crate::design::acl::{AclAction, AclBlock};
use crate::design::endpoint::EndpointKind;
use crate::design::flow_logs::FlowLogTraffic;
use crate::design::iam::document::PolicyDocument;
use crate::design::instances::AmiSpec;
use crate::design::network::DefaultNetworkAcl;
use crate::design::sg::{Ipv6Block, PortRange, Protocol};

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

/// The type of a resource, without its attributes: what the executor dispatches on. Adding a
/// variant to [`ResourceKind`] means adding one here, and every exhaustive `match` on it (the
/// executor's operations, its policy) then fails to compile until it handles the new type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ResourceType {
    /// `vpc`.
    Vpc,
    /// `vpc_cidr_block`.
    VpcCidrBlock,
    /// `subnet`.
    Subnet,
    /// `internet_gateway`.
    InternetGateway,
    /// `egress_only_internet_gateway`.
    EgressOnlyInternetGateway,
    /// `elastic_ip`.
    ElasticIp,
    /// `nat_gateway`.
    NatGateway,
    /// `security_group`.
    SecurityGroup,
    /// `security_group_rule`.
    SecurityGroupRule,
    /// `instance`.
    Instance,
    /// `launch_template`.
    LaunchTemplate,
    /// `autoscaling_group`.
    AutoscalingGroup,
    /// `route_table`.
    RouteTable,
    /// `route`.
    Route,
    /// `route_table_association`.
    RouteTableAssociation,
    /// `network_acl`.
    NetworkAcl,
    /// `network_acl_entry`.
    NetworkAclEntry,
    /// `network_acl_association`.
    NetworkAclAssociation,
    /// `vpc_endpoint`.
    VpcEndpoint,
    /// `log_group`.
    LogGroup,
    /// `flow_log`.
    FlowLog,
    /// `iam_policy`.
    IamPolicy,
    /// `iam_role`.
    IamRole,
    /// `iam_instance_profile`.
    IamInstanceProfile,
}

impl ResourceType {
    /// Every type, in the order of [`ResourceKind`]'s variants.
    pub const ALL: [ResourceType; 24] = [
        ResourceType::Vpc,
        ResourceType::VpcCidrBlock,
        ResourceType::Subnet,
        ResourceType::InternetGateway,
        ResourceType::EgressOnlyInternetGateway,
        ResourceType::ElasticIp,
        ResourceType::NatGateway,
        ResourceType::SecurityGroup,
        ResourceType::SecurityGroupRule,
        ResourceType::Instance,
        ResourceType::LaunchTemplate,
        ResourceType::AutoscalingGroup,
        ResourceType::RouteTable,
        ResourceType::Route,
        ResourceType::RouteTableAssociation,
        ResourceType::NetworkAcl,
        ResourceType::NetworkAclEntry,
        ResourceType::NetworkAclAssociation,
        ResourceType::VpcEndpoint,
        ResourceType::LogGroup,
        ResourceType::FlowLog,
        ResourceType::IamPolicy,
        ResourceType::IamRole,
        ResourceType::IamInstanceProfile,
    ];

    /// The snake_case name used in plan.json (`security_group_rule`).
    ///
    /// ```
    /// use planner_core::resource::ResourceType;
    /// assert_eq!(ResourceType::SecurityGroupRule.name(), "security_group_rule");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            ResourceType::Vpc => "vpc",
            ResourceType::VpcCidrBlock => "vpc_cidr_block",
            ResourceType::Subnet => "subnet",
            ResourceType::InternetGateway => "internet_gateway",
            ResourceType::EgressOnlyInternetGateway => "egress_only_internet_gateway",
            ResourceType::ElasticIp => "elastic_ip",
            ResourceType::NatGateway => "nat_gateway",
            ResourceType::SecurityGroup => "security_group",
            ResourceType::SecurityGroupRule => "security_group_rule",
            ResourceType::Instance => "instance",
            ResourceType::LaunchTemplate => "launch_template",
            ResourceType::AutoscalingGroup => "autoscaling_group",
            ResourceType::RouteTable => "route_table",
            ResourceType::Route => "route",
            ResourceType::RouteTableAssociation => "route_table_association",
            ResourceType::NetworkAcl => "network_acl",
            ResourceType::NetworkAclEntry => "network_acl_entry",
            ResourceType::NetworkAclAssociation => "network_acl_association",
            ResourceType::VpcEndpoint => "vpc_endpoint",
            ResourceType::LogGroup => "log_group",
            ResourceType::FlowLog => "flow_log",
            ResourceType::IamPolicy => "iam_policy",
            ResourceType::IamRole => "iam_role",
            ResourceType::IamInstanceProfile => "iam_instance_profile",
        }
    }

    /// The type a plan.json name stands for.
    ///
    /// ```
    /// use planner_core::resource::ResourceType;
    /// assert_eq!(ResourceType::from_name("nat_gateway"), Some(ResourceType::NatGateway));
    /// assert_eq!(ResourceType::from_name("nat"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<ResourceType> {
        ResourceType::ALL.into_iter().find(|t| t.name() == name)
    }
}

impl std::fmt::Display for ResourceType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A subnet's IPv6 /64, known once AWS has assigned the VPC its /56: the `index`-th /64 of
/// the VPC's block. Indexes never change for a subnet that keeps existing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ipv6SubnetBlock {
    /// The VPC whose Amazon-provided block is divided.
    pub vpc: String,
    /// Always 64.
    pub prefix_len: u8,
    /// Which /64 of the VPC's /56 (0–255).
    pub index: u8,
}

/// A route destination.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Destination {
    /// An IPv4 block such as `0.0.0.0/0`.
    Ipv4(Cidr),
    /// An IPv6 block such as `::/0`.
    Ipv6(String),
}

/// Where a route sends traffic (the id of a resource in this plan).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RouteTarget {
    /// An internet gateway.
    InternetGateway(String),
    /// An egress-only internet gateway.
    EgressOnlyInternetGateway(String),
    /// A NAT gateway.
    NatGateway(String),
    /// An instance (a NAT instance).
    Instance(String),
    /// The instance an auto-scaling group of one is running (a NAT instance), resolved when
    /// the route is made; the instance takes the route over itself when it is replaced.
    AutoscalingGroup(String),
}

impl RouteTarget {
    /// The id of the resource traffic goes to.
    pub fn id(&self) -> &str {
        match self {
            RouteTarget::InternetGateway(id)
            | RouteTarget::EgressOnlyInternetGateway(id)
            | RouteTarget::NatGateway(id)
            | RouteTarget::Instance(id)
            | RouteTarget::AutoscalingGroup(id) => id,
        }
    }
}

/// Where a flow log delivers its records.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FlowLogTarget {
    /// A log group of this plan, written through a role of this plan.
    CloudwatchLogs {
        /// The `log_group`'s id.
        log_group: String,
        /// The delivery role's id (`iam_role.…`).
        role: String,
    },
    /// An existing bucket.
    S3 {
        /// The bucket's (or folder's) ARN.
        bucket_arn: String,
    },
}

/// Which way a rule admits traffic.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Inbound.
    Ingress,
    /// Outbound.
    Egress,
}

/// The peer of one AWS security group rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RulePeer {
    /// An IPv4 block.
    CidrIpv4(Cidr),
    /// An IPv6 block.
    CidrIpv6(Ipv6Block),
    /// A security group of this plan, by id.
    SecurityGroup(String),
}

pub use crate::design::instances::InstanceRole;

/// An instance image.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Ami {
    /// A literal AMI id.
    Id(String),
    /// Resolved at apply time from a public SSM parameter, e.g. the latest Amazon Linux 2023.
    SsmParameter(String),
}

impl AmiSpec {
    /// The plan's form: an id, or the SSM parameter the executor resolves.
    pub fn resolve(&self) -> Ami {
        match self {
            AmiSpec::Id(id) => Ami::Id(id.clone()),
            AmiSpec::SsmParameter(p) => Ami::SsmParameter(p.clone()),
            AmiSpec::Alias(a) => Ami::SsmParameter(a.ssm_parameter().to_owned()),
        }
    }
}
