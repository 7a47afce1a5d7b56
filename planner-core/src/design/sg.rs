//! Security groups as the design writes them.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::cidr::Cidr;

/// A security group: who may talk to its members, on which ports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SecurityGroup {
    /// The group name in AWS: 1–255 characters; unique in the design.
    pub name: String,
    /// The description AWS requires (ASCII, at most 255 characters).
    pub description: String,
    /// What the group is attached to, beyond instances that name it.
    #[serde(default)]
    pub attached_to: Vec<Attachment>,
    /// Inbound rules.
    #[serde(default)]
    pub ingress: Vec<Rule>,
    /// Outbound rules, on top of the default egress when it is kept.
    #[serde(default)]
    pub egress: Vec<Rule>,
    /// AWS gives every new group an allow-all egress rule; `false` revokes it.
    #[serde(default = "yes")]
    pub default_egress: bool,
}

fn yes() -> bool {
    true
}

/// Something the group is attached to: a role such as a load balancer, placed in a tier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    /// What it is.
    pub role: MemberRole,
    /// The tier its network interfaces live in.
    pub tier: String,
    /// A label for diagrams and findings, e.g. `alb` or `ecs`; defaults to the role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Whether it has a public address (default: whether its tier is public).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_address: Option<bool>,
}

/// What a group member is.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum MemberRole {
    /// An application or network load balancer.
    LoadBalancer,
    /// API Gateway's VPC link.
    ApiGateway,
    /// Application hosts or containers (e.g. ECS instances).
    App,
    /// A database.
    Database,
    /// A cache.
    Cache,
    /// An SSH bastion.
    Bastion,
    /// A jump host.
    JumpHost,
    /// A cluster master node.
    MasterNode,
    /// A NAT instance.
    NatInstance,
    /// Anything else.
    Generic,
}

impl MemberRole {
    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            MemberRole::LoadBalancer => "load_balancer",
            MemberRole::ApiGateway => "api_gateway",
            MemberRole::App => "app",
            MemberRole::Database => "database",
            MemberRole::Cache => "cache",
            MemberRole::Bastion => "bastion",
            MemberRole::JumpHost => "jump_host",
            MemberRole::MasterNode => "master_node",
            MemberRole::NatInstance => "nat_instance",
            MemberRole::Generic => "generic",
        }
    }

    /// Whether SSH or RDP from the internet is its purpose.
    pub fn is_remote_access_host(self) -> bool {
        matches!(self, MemberRole::Bastion | MemberRole::JumpHost)
    }
}

/// One rule: a protocol, ports and a peer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// `tcp`, `udp`, `icmp`, `icmpv6` or `all`.
    pub protocol: Protocol,
    /// A port (`22`) or range (`"1024-65535"`); for ICMP, the type. Absent: all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ports: Option<PortRange>,
    /// The other side.
    pub peer: Peer,
    /// Why the rule exists (shown in the console).
    #[serde(default)]
    pub description: String,
}

/// A rule's protocol.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Protocol {
    /// TCP.
    Tcp,
    /// UDP.
    Udp,
    /// ICMP (IPv4).
    Icmp,
    /// ICMPv6.
    Icmpv6,
    /// Every protocol.
    All,
}

impl Protocol {
    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
            Protocol::Icmp => "icmp",
            Protocol::Icmpv6 => "icmpv6",
            Protocol::All => "all",
        }
    }

    /// Whether a rule of this protocol admits traffic of protocol `other`.
    pub fn covers(self, other: Protocol) -> bool {
        self == Protocol::All || self == other
    }

    /// The value AWS's `IpProtocol` takes.
    pub fn aws_ip_protocol(self) -> &'static str {
        match self {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
            Protocol::Icmp => "icmp",
            Protocol::Icmpv6 => "58",
            Protocol::All => "-1",
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An inclusive port range; one port is written as a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, JsonSchema)]
#[schemars(with = "PortRangeSchema")]
pub struct PortRange {
    /// First port.
    pub from: u16,
    /// Last port.
    pub to: u16,
}

#[derive(JsonSchema)]
#[allow(dead_code)]
#[schemars(untagged)]
enum PortRangeSchema {
    /// One port.
    One(u16),
    /// A range `"from-to"`.
    Range(#[schemars(regex(pattern = r"^\d{1,5}-\d{1,5}$"))] String),
}

impl PortRange {
    /// One port.
    pub const fn one(port: u16) -> Self {
        PortRange {
            from: port,
            to: port,
        }
    }

    /// Every port.
    pub const ALL: PortRange = PortRange { from: 0, to: 65535 };

    /// Whether `port` is in the range.
    pub fn contains(self, port: u16) -> bool {
        (self.from..=self.to).contains(&port)
    }
}

impl fmt::Display for PortRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.from == self.to {
            write!(f, "{}", self.from)
        } else {
            write!(f, "{}-{}", self.from, self.to)
        }
    }
}

impl Serialize for PortRange {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.from == self.to {
            s.serialize_u16(self.from)
        } else {
            s.collect_str(self)
        }
    }
}

impl<'de> Deserialize<'de> for PortRange {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = PortRange;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a port from 0 to 65535 or a range like \"1024-65535\"")
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<PortRange, E> {
                u16::try_from(v)
                    .map(PortRange::one)
                    .map_err(|_| E::custom(format!("expected a port from 0 to 65535, got {v}")))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<PortRange, E> {
                Err(E::custom(format!(
                    "expected a port from 0 to 65535, got {v}"
                )))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<PortRange, E> {
                let bad = || {
                    E::custom(format!(
                        "expected a port range like \"1024-65535\", got {v:?}"
                    ))
                };
                let (a, b) = v.split_once('-').ok_or_else(bad)?;
                let (from, to): (u16, u16) = (
                    a.trim().parse().map_err(|_| bad())?,
                    b.trim().parse().map_err(|_| bad())?,
                );
                if from > to {
                    return Err(E::custom(format!("port range {v:?} runs backwards")));
                }
                Ok(PortRange { from, to })
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// The other side of a rule.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Peer {
    /// Anywhere: 0.0.0.0/0, and ::/0 when the VPC has IPv6.
    Internet,
    /// The group itself (its members talk to each other).
    #[serde(rename = "self")]
    SelfGroup,
    /// The VPC's IPv4 blocks (and its IPv6 block).
    Vpc,
    /// Another group of the design, by name.
    Group(String),
    /// The subnets of a tier.
    Tier(String),
    /// An IPv4 block.
    Cidr(Cidr),
    /// An IPv6 block such as `2001:db8::/32` or `::/0`.
    Ipv6Cidr(Ipv6Block),
}

/// An IPv6 CIDR block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ipv6Block(pub ipnet::Ipv6Net);

impl Ipv6Block {
    /// Whether this is `::/0`.
    pub fn is_any(self) -> bool {
        self.0.prefix_len() == 0
    }
}

impl fmt::Display for Ipv6Block {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Serialize for Ipv6Block {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Ipv6Block {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let net: ipnet::Ipv6Net = s.parse().map_err(|_| {
            serde::de::Error::custom(format!(
                "expected an IPv6 CIDR block like 2001:db8::/32, got {s:?}"
            ))
        })?;
        if net.trunc() != net {
            return Err(serde::de::Error::custom(format!(
                "{s} has host bits set; the block it names is {}",
                net.trunc()
            )));
        }
        Ok(Ipv6Block(net))
    }
}

impl JsonSchema for Ipv6Block {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Ipv6Block".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "An IPv6 CIDR block with no host bits set, e.g. 2001:db8::/32 or ::/0."
        })
    }
}
