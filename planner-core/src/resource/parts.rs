//! The small values resources are made of: a subnet's IPv6 block, route destinations and
//! targets, flow log targets, rule directions and peers, images.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::cidr::Cidr;
use crate::design::instances::AmiSpec;
use crate::design::sg::Ipv6Block;

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
