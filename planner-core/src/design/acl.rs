//! Network ACLs as the design writes them: stateless rules on a subnet's edge, evaluated in
//! rule-number order, first match wins. A tier in no ACL uses the VPC's default ACL
//! (`vpc.default_network_acl`).

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::sg::{Ipv6Block, PortRange, Protocol};
use crate::cidr::Cidr;

/// The lowest rule number AWS takes.
pub const MIN_RULE_NUMBER: u32 = 1;
/// The highest rule number AWS takes; 32767 and up are its own final deny rules.
pub const MAX_RULE_NUMBER: u32 = 32766;

/// A network ACL and the tiers whose subnets use it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NetworkAcl {
    /// Lower-case name: a letter, then letters, digits or `-`; at most 32 characters; unique
    /// in the design.
    pub name: String,
    /// The tiers whose subnets use this ACL; a tier is in at most one ACL.
    #[serde(default)]
    pub tiers: Vec<String>,
    /// Inbound rules, evaluated lowest number first.
    #[serde(default)]
    pub ingress: Vec<AclRule>,
    /// Outbound rules, evaluated lowest number first.
    #[serde(default)]
    pub egress: Vec<AclRule>,
}

/// One rule of a network ACL: a number, allow or deny, a protocol, ports and one block.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AclRule {
    /// 1–32766, unique in its direction of its ACL; lower numbers are evaluated first.
    pub rule_number: u32,
    /// Allow or deny matching traffic.
    pub action: AclAction,
    /// `tcp`, `udp`, `icmp`, `icmpv6` or `all`.
    pub protocol: Protocol,
    /// A port (`22`) or range (`"1024-65535"`) for TCP and UDP; for ICMP, one type. Absent:
    /// all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ports: Option<PortRange>,
    /// The IPv4 block the rule matches (the source inbound, the destination outbound).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidr: Option<Cidr>,
    /// The IPv6 block the rule matches, instead of `cidr`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6_cidr: Option<Ipv6Block>,
    /// Why the rule exists. AWS keeps no description for ACL rules; plans and exports carry it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

impl AclRule {
    /// The block the rule matches, when exactly one of `cidr` and `ipv6_cidr` is set (the
    /// design's check refuses anything else).
    pub fn block(&self) -> Option<AclBlock> {
        match (self.cidr, self.ipv6_cidr) {
            (Some(c), None) => Some(AclBlock::Ipv4(c)),
            (None, Some(b)) => Some(AclBlock::Ipv6(b)),
            _ => None,
        }
    }

    /// The ports the rule matches: every port when absent or for `all`.
    pub fn port_range(&self) -> PortRange {
        match (self.protocol, self.ports) {
            (Protocol::All, _) | (_, None) => PortRange::ALL,
            (_, Some(p)) => p,
        }
    }
}

/// Whether a rule lets matching traffic through.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum AclAction {
    /// Let it through.
    Allow,
    /// Drop it.
    Deny,
}

impl AclAction {
    /// The JSON spelling, which is also AWS's `RuleAction`.
    pub fn as_str(self) -> &'static str {
        match self {
            AclAction::Allow => "allow",
            AclAction::Deny => "deny",
        }
    }
}

impl fmt::Display for AclAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The one block an ACL rule matches.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum AclBlock {
    /// An IPv4 block, e.g. `0.0.0.0/0`.
    Ipv4(Cidr),
    /// An IPv6 block, e.g. `::/0`.
    Ipv6(Ipv6Block),
}

impl fmt::Display for AclBlock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AclBlock::Ipv4(c) => c.fmt(f),
            AclBlock::Ipv6(b) => b.fmt(f),
        }
    }
}
