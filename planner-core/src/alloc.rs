//! The allocation record of a plan: where every tier × AZ subnet and every reserved block went.
//! `build::allocate` writes it; fed back as the previous allocation, it keeps those blocks
//! where they are.

use std::net::Ipv4Addr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::cidr::Cidr;

/// The allocation record: every subnet's block and every reserved block. Passing it back as
/// the previous allocation keeps those blocks where they are.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Allocation {
    /// One entry per tier × AZ, in design order.
    pub subnets: Vec<SubnetAllocation>,
    /// Blocks kept free for tiers to grow into, in design order.
    pub reserved: Vec<ReservedBlock>,
}

/// Where one subnet goes, with the addresses it offers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SubnetAllocation {
    /// The tier.
    pub tier: String,
    /// The availability zone.
    pub availability_zone: String,
    /// The IPv4 block.
    pub cidr: Cidr,
    /// Which /64 of the VPC's IPv6 /56, when the VPC has IPv6.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6_index: Option<u8>,
    /// Addresses instances can use: the block's size minus the five AWS keeps.
    pub usable_addresses: u64,
    /// The first address an instance can get.
    pub first_usable: Option<Ipv4Addr>,
    /// The last address an instance can get.
    pub last_usable: Option<Ipv4Addr>,
}

/// A block kept free for a tier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ReservedBlock {
    /// The tier that may grow into it.
    pub tier: String,
    /// The block.
    pub cidr: Cidr,
}
