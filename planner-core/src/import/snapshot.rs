//! An existing VPC as the executor reads it: plain values, no SDK types, so mapping it to a
//! design is pure (and testable on a snapshot written by hand).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Everything `executor import` read about one VPC, and the IAM roles it was asked for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Snapshot {
    /// The region it was read in.
    pub region: String,
    /// The VPC.
    pub vpc: LiveVpc,
    /// Its subnets.
    pub subnets: Vec<LiveSubnet>,
    /// Its route tables, with their routes and subnet associations.
    pub route_tables: Vec<LiveRouteTable>,
    /// The internet gateway attached to it.
    pub internet_gateway: Option<String>,
    /// The egress-only internet gateway attached to it.
    pub egress_only_internet_gateway: Option<String>,
    /// Its NAT gateways that are available (or pending).
    pub nat_gateways: Vec<LiveNatGateway>,
    /// Its security groups, the default one included, with their rules.
    pub security_groups: Vec<LiveGroup>,
    /// Its network ACLs, the default one included.
    pub network_acls: Vec<LiveAcl>,
    /// Its VPC endpoints.
    pub endpoints: Vec<LiveEndpoint>,
    /// The flow logs of the VPC.
    pub flow_logs: Vec<LiveFlowLog>,
    /// Its instances that are not terminated.
    pub instances: Vec<LiveInstance>,
    /// Its network interfaces.
    pub network_interfaces: Vec<LiveInterface>,
    /// The roles named on the command line, with their policies and instance profiles.
    pub roles: Vec<LiveRole>,
    /// The customer managed policies those roles have attached.
    pub policies: Vec<LivePolicy>,
    /// The instance profiles holding those roles.
    pub instance_profiles: Vec<LiveInstanceProfile>,
}

/// A VPC.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LiveVpc {
    /// `vpc-…`.
    pub id: String,
    /// The primary IPv4 block.
    pub cidr: String,
    /// Further IPv4 blocks associated with it: (block, association id).
    pub secondary_cidrs: Vec<(String, String)>,
    /// Its Amazon-provided IPv6 block, when it has one.
    pub ipv6_cidr: Option<String>,
    /// An IPv6 block from another pool (BYOIP, IPAM), which a design cannot express.
    pub other_ipv6: Vec<String>,
    /// `enableDnsSupport`.
    pub dns_support: bool,
    /// `enableDnsHostnames`.
    pub dns_hostnames: bool,
    /// Its tags.
    pub tags: BTreeMap<String, String>,
}

/// A subnet.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LiveSubnet {
    /// `subnet-…`.
    pub id: String,
    /// Its IPv4 block.
    pub cidr: String,
    /// Its availability zone.
    pub availability_zone: String,
    /// Its IPv6 block.
    pub ipv6_cidr: Option<String>,
    /// `MapPublicIpOnLaunch`.
    pub map_public_ip_on_launch: bool,
    /// `AssignIpv6AddressOnCreation`.
    pub assign_ipv6_address_on_creation: bool,
    /// Its tags.
    pub tags: BTreeMap<String, String>,
}

/// A route table.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LiveRouteTable {
    /// `rtb-…`.
    pub id: String,
    /// Whether it is the VPC's main table (used by subnets with no association).
    pub main: bool,
    /// The subnets explicitly associated with it.
    pub subnets: Vec<String>,
    /// Its routes, the local ones included.
    pub routes: Vec<LiveRoute>,
    /// Its tags.
    pub tags: BTreeMap<String, String>,
}

/// One route.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveRoute {
    /// An IPv4 or IPv6 block, or a prefix list id.
    pub destination: String,
    /// Where it goes.
    pub target: LiveTarget,
}

/// Where a route goes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LiveTarget {
    /// Inside the VPC.
    Local,
    /// The internet gateway `igw-…`.
    InternetGateway(String),
    /// The egress-only internet gateway `eigw-…`.
    EgressOnlyInternetGateway(String),
    /// The NAT gateway `nat-…`.
    NatGateway(String),
    /// The instance `i-…` (a NAT instance).
    Instance(String),
    /// A gateway endpoint `vpce-…` (its prefix-list routes).
    Endpoint(String),
    /// Anything a design does not make: a peering connection, a transit gateway, a virtual
    /// private gateway, a network interface…, as `kind id`.
    Other(String),
}

/// A NAT gateway.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LiveNatGateway {
    /// `nat-…`.
    pub id: String,
    /// The subnet it sits in.
    pub subnet: String,
    /// The Elastic IP's allocation id, for a public NAT gateway.
    pub allocation_id: Option<String>,
    /// Whether it is a private NAT gateway (no internet access).
    pub private: bool,
}

/// A security group.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LiveGroup {
    /// `sg-…`.
    pub id: String,
    /// Its name (`default` for the VPC's default group).
    pub name: String,
    /// Its description.
    pub description: String,
    /// Its rules.
    pub rules: Vec<LiveRule>,
    /// Its tags.
    pub tags: BTreeMap<String, String>,
}

/// One security group rule.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LiveRule {
    /// `sgr-…`.
    pub id: String,
    /// Outbound.
    pub egress: bool,
    /// `IpProtocol` (`tcp`, `udp`, `icmp`, `58`, `-1` or a number).
    pub protocol: String,
    /// `FromPort` (-1 when absent).
    pub from: i32,
    /// `ToPort` (-1 when absent).
    pub to: i32,
    /// The other side.
    pub peer: LivePeer,
    /// Its description.
    pub description: String,
}

/// The other side of a security group rule.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LivePeer {
    /// An IPv4 block.
    Ipv4(String),
    /// An IPv6 block.
    Ipv6(String),
    /// A security group `sg-…`.
    Group(String),
    /// A prefix list `pl-…`.
    PrefixList(String),
    /// Nothing readable.
    #[default]
    Unknown,
}

/// A network ACL.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LiveAcl {
    /// `acl-…`.
    pub id: String,
    /// Whether it is the VPC's default ACL.
    pub default: bool,
    /// The subnets associated with it.
    pub subnets: Vec<String>,
    /// Its entries, AWS's final deny (rule 32767) included.
    pub entries: Vec<LiveAclEntry>,
    /// Its tags.
    pub tags: BTreeMap<String, String>,
}

/// One network ACL entry.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LiveAclEntry {
    /// Its number.
    pub number: i32,
    /// Outbound.
    pub egress: bool,
    /// `Protocol` as AWS writes it (`6`, `17`, `1`, `58`, `-1`).
    pub protocol: String,
    /// Allow (or deny).
    pub allow: bool,
    /// The IPv4 block.
    pub cidr: Option<String>,
    /// The IPv6 block.
    pub ipv6_cidr: Option<String>,
    /// The port range, for TCP and UDP.
    pub ports: Option<(i32, i32)>,
    /// The ICMP type and code.
    pub icmp: Option<(i32, i32)>,
}

/// A VPC endpoint.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LiveEndpoint {
    /// `vpce-…`.
    pub id: String,
    /// `com.amazonaws.<region>.<service>`.
    pub service_name: String,
    /// `Gateway`, `Interface`, or another type.
    pub kind: String,
    /// A gateway endpoint's route tables.
    pub route_tables: Vec<String>,
    /// An interface endpoint's subnets.
    pub subnets: Vec<String>,
    /// An interface endpoint's groups.
    pub groups: Vec<String>,
    /// Whether private DNS is on.
    pub private_dns: bool,
    /// Its policy document.
    pub policy: Option<String>,
    /// Its tags.
    pub tags: BTreeMap<String, String>,
}

/// A flow log.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LiveFlowLog {
    /// `fl-…`.
    pub id: String,
    /// Where it delivers (`cloud-watch-logs`, `s3`, …) and to what.
    pub destination: String,
}

/// An instance.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LiveInstance {
    /// `i-…`.
    pub id: String,
    /// Its `Name` tag.
    pub name: Option<String>,
    /// Its type.
    pub instance_type: String,
    /// Its image.
    pub image_id: String,
    /// Its subnet.
    pub subnet: String,
    /// Its groups.
    pub groups: Vec<String>,
    /// Its instance profile's name.
    pub instance_profile: Option<String>,
    /// Its key pair.
    pub key_name: Option<String>,
    /// Whether it has a public IPv4 address.
    pub public_address: bool,
    /// `SourceDestCheck`.
    pub source_dest_check: bool,
    /// Its state (`running`, `stopped`, …).
    pub state: String,
    /// Whether an auto-scaling group runs it.
    pub autoscaling_group: Option<String>,
}

/// A network interface.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LiveInterface {
    /// `eni-…`.
    pub id: String,
    /// Its subnet.
    pub subnet: String,
    /// `InterfaceType` (`interface`, `nat_gateway`, `vpc_endpoint`, `load_balancer`, …).
    pub interface_type: String,
    /// Its description (`ELB app/…`, `RDSNetworkInterface`, …).
    pub description: String,
    /// Its groups.
    pub groups: Vec<String>,
    /// The instance it is attached to.
    pub instance: Option<String>,
}

/// An IAM role.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LiveRole {
    /// Its name.
    pub name: String,
    /// Its path.
    pub path: String,
    /// Its description.
    pub description: String,
    /// The trust policy, as JSON text.
    pub trust_policy: String,
    /// Its inline policies: (name, JSON text).
    pub inline_policies: Vec<(String, String)>,
    /// The ARNs of the managed policies attached to it.
    pub managed_policies: Vec<String>,
    /// `MaxSessionDuration`.
    pub max_session_duration: Option<u32>,
    /// Its tags.
    pub tags: BTreeMap<String, String>,
}

/// A customer managed policy.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LivePolicy {
    /// Its ARN.
    pub arn: String,
    /// Its name.
    pub name: String,
    /// Its path.
    pub path: String,
    /// Its description.
    pub description: String,
    /// Its default version's document, as JSON text.
    pub document: String,
}

/// An instance profile.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LiveInstanceProfile {
    /// Its name.
    pub name: String,
    /// Its path.
    pub path: String,
    /// The roles it holds.
    pub roles: Vec<String>,
}
