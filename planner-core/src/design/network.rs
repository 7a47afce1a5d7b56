//! The design: what a user asks for, as written in `design.json` or the editor — the VPC, its
//! tiers across availability zones and NAT, holding the security groups, IAM and instances
//! of its sibling modules.
//!
//! Every type here is `deny_unknown_fields`, so a typo is an error with a JSON path rather
//! than a silently ignored setting. Semantic rules that serde cannot express (unique names,
//! AZs in the region) live in `validate`, above the model: [`Design::check`].

use std::collections::BTreeMap;
use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::acl::NetworkAcl;
use super::endpoint::Endpoint;
use super::flow_logs::FlowLogs;
use super::iam::model::Iam;
use super::instances::{Instance, NatInstances};
use super::sg::SecurityGroup;
use super::traffic::Traffic;
use crate::cidr::{prefix_for_hosts, Cidr};

/// The most availability zones a design may span.
pub const MAX_AZS: usize = 6;

/// A network design: one VPC, its tiers of subnets across availability zones, and egress.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Design {
    /// The plan's name: tags every resource and prefixes every `Name` tag.
    /// 1–64 characters of letters, digits, `-` and `_`.
    pub name: String,
    /// The AWS region, e.g. `us-east-1`.
    pub region: String,
    /// The VPC's address space. A design without one holds IAM resources only (as Determined
    /// Cloud's guide does, whose vendor builds the network itself).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc: Option<Vpc>,
    /// A count of AZs (1–6, named `<region>a`, `<region>b`, …) or their explicit names;
    /// required with a VPC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_zones: Option<AvailabilityZones>,
    /// AZ slots every tier keeps free so AZs added later sit beside their siblings.
    #[serde(default)]
    pub reserved_az_slots: u8,
    /// Subnet tiers, each spread across the availability zones.
    #[serde(default)]
    pub tiers: Vec<Tier>,
    /// How private tiers reach the internet over IPv4 (default: none).
    #[serde(default)]
    pub nat: NatStrategy,
    /// Address ranges used elsewhere (peered VPCs, on-premises) that must not overlap.
    #[serde(default)]
    pub cidrs_in_use: Vec<InUseCidr>,
    /// Blocks inside the VPC that subnets made outside the plan hold (`executor import`
    /// keeps here what a tier cannot express): never allocated, never touched.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unmanaged_blocks: Vec<InUseCidr>,
    /// Network ACLs and the tiers whose subnets use them; a tier in none uses the VPC's
    /// default ACL.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub network_acls: Vec<NetworkAcl>,
    /// VPC endpoints: private paths to AWS services.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub endpoints: Vec<Endpoint>,
    /// The VPC's flow log; absent, none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow_logs: Option<FlowLogs>,
    /// Security groups.
    #[serde(default)]
    pub security_groups: Vec<SecurityGroup>,
    /// Roles, policies and instance profiles.
    #[serde(default)]
    pub iam: Iam,
    /// Instances: bastions, jump hosts, master nodes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub instances: Vec<Instance>,
    /// How NAT instances run when `nat` uses them.
    #[serde(default, skip_serializing_if = "is_default")]
    pub nat_instances: NatInstances,
    /// The monthly traffic the cost estimate and the cost findings assume.
    #[serde(default, skip_serializing_if = "is_default")]
    pub traffic: Traffic,
    /// Live resources the design describes, by plan id: what `executor import` read from an
    /// existing VPC (`"subnet.app.a": "subnet-0abc…"`; IAM roles, policies and instance
    /// profiles by name). `executor adopt` tags exactly these as the plan's, so `run`,
    /// `diff` and `destroy` manage them from then on; ids the plan no longer has are skipped.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub imports: BTreeMap<String, String>,
}

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// The VPC's address space.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Vpc {
    /// The primary IPv4 CIDR block (AWS accepts /16 to /28).
    pub cidr: Cidr,
    /// Further IPv4 blocks associated with the VPC; subnets may be placed in them.
    #[serde(default)]
    pub secondary_cidrs: Vec<Cidr>,
    /// Ask AWS for an Amazon-provided /56; every subnet then gets a /64 of it.
    #[serde(default)]
    pub ipv6: bool,
    /// Remove every rule of the VPC's default security group (as the CDK's
    /// `restrictDefaultSecurityGroup`), so nothing that lands in it by default reaches or is
    /// reached by anything.
    #[serde(default, skip_serializing_if = "is_default")]
    pub restrict_default_security_group: bool,
    /// Public DNS hostnames for instances with public addresses (default true); needs
    /// `dns_support`.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub dns_hostnames: bool,
    /// DNS resolution through the Amazon-provided server (default true).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub dns_support: bool,
    /// The rules of the VPC's default network ACL, which every subnet without an ACL of its
    /// own uses, when the plan manages them: AWS's allow-all (how rules removed earlier or by
    /// hand are restored) or none at all. Absent (the default), the plan leaves the ACL as AWS
    /// made it, or as it was changed by hand, and its policy grants no call on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_network_acl: Option<DefaultNetworkAcl>,
}

impl Vpc {
    /// A VPC of `cidr` with every other setting at its default.
    ///
    /// ```
    /// use planner_core::design::Vpc;
    /// let vpc = Vpc::new("10.0.0.0/16".parse().unwrap());
    /// assert!(vpc.dns_support && vpc.dns_hostnames && !vpc.restrict_default_security_group);
    /// assert_eq!(vpc.default_network_acl, None); // AWS's, not managed
    /// ```
    pub fn new(cidr: Cidr) -> Vpc {
        Vpc {
            cidr,
            secondary_cidrs: Vec::new(),
            ipv6: false,
            restrict_default_security_group: false,
            dns_hostnames: true,
            dns_support: true,
            default_network_acl: None,
        }
    }
}

fn yes() -> bool {
    true
}

fn is_true(v: &bool) -> bool {
    *v
}

/// The rules of a VPC's default network ACL, when the plan manages them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DefaultNetworkAcl {
    /// AWS's rules: allow every packet in and out (IPv4, and IPv6 when the VPC has it).
    AllowAll,
    /// Every rule removed, so only the final deny-all remains (as CIS AWS Foundations asks):
    /// subnets without an ACL of their own then pass no traffic at all.
    DenyAll,
}

impl DefaultNetworkAcl {
    /// The JSON spelling, e.g. `deny_all`.
    pub fn as_str(self) -> &'static str {
        match self {
            DefaultNetworkAcl::AllowAll => "allow_all",
            DefaultNetworkAcl::DenyAll => "deny_all",
        }
    }
}

/// Availability zones, as a count or as names.
#[derive(Clone, Debug, PartialEq, Eq, JsonSchema)]
#[schemars(untagged)]
pub enum AvailabilityZones {
    /// The first N zones of the region: `<region>a`, `<region>b`, …
    Count(#[schemars(range(min = 1, max = 6))] u8),
    /// Explicit zone names such as `us-east-1a`, in the order tiers use them.
    Names(Vec<String>),
}

/// A tier: one subnet per availability zone, all of one kind and size.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// Lower-case name: a letter, then letters, digits or `-`; at most 32 characters.
    pub name: String,
    /// Public, private or isolated.
    pub kind: TierKind,
    /// Each subnet's size: a prefix length, or the usable addresses it must hold.
    pub size: SubnetSize,
    /// Only the first N availability zones get a subnet of this tier (default: all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_azs: Option<u8>,
    /// Extra blocks of this tier's size kept free for its growth.
    #[serde(default)]
    pub reserve: u8,
    /// Private tiers only: route `::/0` through the internet gateway instead of an egress-only
    /// gateway, so the tier's IPv6 addresses are reachable from the internet (security groups
    /// permitting), as Titus does for SSH to its private hosts. IPv4 still leaves through NAT.
    #[serde(default)]
    pub ipv6_from_internet: bool,
    /// A route table in every AZ instead of one for the whole tier, as the console's VPC
    /// wizard and the CDK make them. A private tier with a NAT in every AZ has one per AZ
    /// either way.
    #[serde(default, skip_serializing_if = "is_default")]
    pub route_table_per_az: bool,
    /// Whether instances launched in the tier get a public IPv4 address unless they say
    /// otherwise (the subnets' `MapPublicIpOnLaunch`); default: public tiers yes, others no.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_ip_on_launch: Option<bool>,
}

/// How a tier reaches the internet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TierKind {
    /// Routes 0.0.0.0/0 (and ::/0) to the internet gateway; instances may have public addresses.
    Public,
    /// Routes 0.0.0.0/0 to a NAT and ::/0 to an egress-only internet gateway.
    Private,
    /// Local routes only.
    Isolated,
}

/// A subnet size.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum SubnetSize {
    /// A prefix length: `{"prefix": 24}`.
    Prefix(u8),
    /// The usable addresses each subnet must hold once AWS keeps its five: `{"hosts": 200}`.
    Hosts(u32),
}

impl SubnetSize {
    /// The prefix length this size asks for.
    ///
    /// ```
    /// use planner_core::SubnetSize;
    /// assert_eq!(SubnetSize::Hosts(251).prefix_len(), 24);
    /// assert_eq!(SubnetSize::Prefix(20).prefix_len(), 20);
    /// ```
    pub fn prefix_len(self) -> u8 {
        match self {
            SubnetSize::Prefix(p) => p,
            SubnetSize::Hosts(h) => prefix_for_hosts(h),
        }
    }
}

/// How private tiers reach the internet over IPv4.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NatStrategy {
    /// No NAT: private tiers have no IPv4 route out (they are isolated).
    #[default]
    None,
    /// One NAT gateway in the first AZ shared by every AZ.
    SingleGateway,
    /// A NAT gateway in every AZ; each AZ's private subnets use their own.
    GatewayPerAz,
    /// A NAT instance in every AZ.
    InstancePerAz,
    /// One NAT instance in the first AZ shared by every AZ.
    SingleInstance,
}

impl NatStrategy {
    /// Every strategy, in documentation order.
    pub const ALL: [NatStrategy; 5] = [
        NatStrategy::None,
        NatStrategy::SingleGateway,
        NatStrategy::GatewayPerAz,
        NatStrategy::InstancePerAz,
        NatStrategy::SingleInstance,
    ];

    /// Whether one NAT serves every AZ.
    pub fn is_single(self) -> bool {
        matches!(
            self,
            NatStrategy::SingleGateway | NatStrategy::SingleInstance
        )
    }

    /// Whether NAT is done by EC2 instances rather than managed gateways.
    pub fn uses_instances(self) -> bool {
        matches!(
            self,
            NatStrategy::InstancePerAz | NatStrategy::SingleInstance
        )
    }

    /// The JSON spelling, e.g. `gateway_per_az`.
    pub fn as_str(self) -> &'static str {
        match self {
            NatStrategy::None => "none",
            NatStrategy::SingleGateway => "single_gateway",
            NatStrategy::GatewayPerAz => "gateway_per_az",
            NatStrategy::InstancePerAz => "instance_per_az",
            NatStrategy::SingleInstance => "single_instance",
        }
    }
}

impl fmt::Display for NatStrategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A range used outside this VPC.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InUseCidr {
    /// The range.
    pub cidr: Cidr,
    /// Where it is used, e.g. `office VPN` or `peered: shared-services`.
    #[serde(default)]
    pub description: String,
}

impl Design {
    /// The availability zone names, in order.
    ///
    /// ```
    /// # use planner_core::design::AvailabilityZones;
    /// let zones = AvailabilityZones::Count(2).names("eu-west-1");
    /// assert_eq!(zones, ["eu-west-1a", "eu-west-1b"]);
    /// ```
    pub fn az_names(&self) -> Vec<String> {
        self.availability_zones
            .as_ref()
            .map_or_else(Vec::new, |a| a.names(&self.region))
    }

    /// The VPC of a design that has one; network code runs only for those.
    pub(crate) fn vpc(&self) -> &Vpc {
        self.vpc
            .as_ref()
            .expect("network code runs only for designs with a VPC")
    }

    /// The AZs a tier has subnets in.
    pub fn tier_azs<'a>(&self, tier: &Tier, azs: &'a [String]) -> &'a [String] {
        let n = tier
            .max_azs
            .map_or(azs.len(), |m| usize::from(m).min(azs.len()));
        &azs[..n]
    }
}

impl AvailabilityZones {
    /// Zone names for `region`.
    pub fn names(&self, region: &str) -> Vec<String> {
        match self {
            AvailabilityZones::Count(n) => (b'a'..)
                .take(usize::from(*n))
                .map(|l| format!("{region}{}", char::from(l)))
                .collect(),
            AvailabilityZones::Names(v) => v.clone(),
        }
    }
}

impl Serialize for AvailabilityZones {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            AvailabilityZones::Count(n) => s.serialize_u8(*n),
            AvailabilityZones::Names(v) => v.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for AvailabilityZones {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = AvailabilityZones;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(
                    f,
                    "a zone count from 1 to {MAX_AZS} or a list of zone names"
                )
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
                match u8::try_from(v) {
                    Ok(n) if (1..=MAX_AZS as u8).contains(&n) => Ok(AvailabilityZones::Count(n)),
                    _ => Err(E::custom(format!(
                        "expected a zone count from 1 to {MAX_AZS}, got {v}"
                    ))),
                }
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Err(E::custom(format!(
                    "expected a zone count from 1 to {MAX_AZS}, got {v}"
                )))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Self::Value, A::Error> {
                let mut names = Vec::new();
                while let Some(n) = seq.next_element::<String>()? {
                    names.push(n);
                }
                Ok(AvailabilityZones::Names(names))
            }
        }
        d.deserialize_any(Visitor)
    }
}
