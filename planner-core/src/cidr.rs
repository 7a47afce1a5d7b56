//! IPv4 CIDR blocks as the design writes them, and the arithmetic the allocator needs.
//!
//! All bit arithmetic is delegated to [`ipnet`]; this module adds the AWS view of a subnet
//! (five reserved addresses) and a free-space set with best-fit, aligned carving.

use std::fmt;
use std::net::Ipv4Addr;
use std::str::FromStr;

use ipnet::Ipv4Net;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Addresses AWS keeps in every subnet: network, VPC router, DNS, future use, broadcast.
pub const AWS_RESERVED_PER_SUBNET: u64 = 5;
/// The smallest prefix length (largest block) AWS accepts for a VPC or a subnet.
pub const MIN_AWS_PREFIX: u8 = 16;
/// The largest prefix length (smallest block) AWS accepts for a VPC or a subnet.
pub const MAX_AWS_PREFIX: u8 = 28;

/// An IPv4 CIDR block with no host bits set, such as `10.0.0.0/16`.
///
/// Parsing is strict: `10.0.0.1/16` is refused with a hint naming `10.0.0.0/16`, because
/// AWS and a reader would disagree about what was meant.
///
/// ```
/// use planner_core::Cidr;
/// let c: Cidr = "10.0.0.0/16".parse().unwrap();
/// assert_eq!(c.to_string(), "10.0.0.0/16");
/// assert!("10.0.0.0/33".parse::<Cidr>().is_err());
/// assert!("10.0.0.1/16".parse::<Cidr>().unwrap_err().contains("10.0.0.0/16"));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cidr(Ipv4Net);

impl Cidr {
    /// Wraps a network, truncating any host bits.
    pub fn new(net: Ipv4Net) -> Self {
        Cidr(net.trunc())
    }

    /// The underlying [`Ipv4Net`].
    pub fn net(self) -> Ipv4Net {
        self.0
    }

    /// The prefix length, e.g. `16` for a `/16`.
    pub fn prefix_len(self) -> u8 {
        self.0.prefix_len()
    }

    /// The first address of the block.
    pub fn network(self) -> Ipv4Addr {
        self.0.network()
    }

    /// The number of addresses in the block.
    ///
    /// ```
    /// # use planner_core::Cidr;
    /// assert_eq!("10.0.0.0/24".parse::<Cidr>().unwrap().size(), 256);
    /// ```
    pub fn size(self) -> u64 {
        block_size(self.prefix_len())
    }

    /// Whether `other` lies entirely inside this block.
    pub fn contains(self, other: Cidr) -> bool {
        self.0.contains(&other.0)
    }

    /// Whether the two blocks share any address.
    pub fn overlaps(self, other: Cidr) -> bool {
        self.0.contains(&other.0) || other.0.contains(&self.0)
    }

    /// Addresses usable by instances once AWS has kept its five (never below zero).
    ///
    /// ```
    /// # use planner_core::Cidr;
    /// assert_eq!("10.0.0.0/24".parse::<Cidr>().unwrap().aws_usable(), 251);
    /// ```
    pub fn aws_usable(self) -> u64 {
        self.size().saturating_sub(AWS_RESERVED_PER_SUBNET)
    }

    /// The first and last addresses an instance can be given: AWS keeps the first four and
    /// the last one. `None` for blocks too small to hold any.
    ///
    /// ```
    /// # use planner_core::Cidr;
    /// let (first, last) = "10.0.1.0/24".parse::<Cidr>().unwrap().aws_usable_range().unwrap();
    /// assert_eq!((first.to_string(), last.to_string()), ("10.0.1.4".into(), "10.0.1.254".into()));
    /// ```
    pub fn aws_usable_range(self) -> Option<(Ipv4Addr, Ipv4Addr)> {
        if self.aws_usable() == 0 {
            return None;
        }
        let first = u32::from(self.0.network()) + 4;
        let last = u32::from(self.0.broadcast()) - 1;
        Some((Ipv4Addr::from(first), Ipv4Addr::from(last)))
    }
}

/// The number of addresses in a block of the given prefix length.
pub fn block_size(prefix_len: u8) -> u64 {
    1u64 << (32 - u32::from(prefix_len.min(32)))
}

/// The longest prefix (smallest subnet) whose AWS-usable addresses cover `hosts`; never longer
/// than /28, the smallest subnet AWS accepts. Above 2³² − 5 no block is large enough and the
/// answer is /0; the design's rules refuse such a count before it gets here.
///
/// ```
/// use planner_core::cidr::prefix_for_hosts;
/// assert_eq!(prefix_for_hosts(1), 28);
/// assert_eq!(prefix_for_hosts(11), 28); // 16 - 5
/// assert_eq!(prefix_for_hosts(12), 27);
/// assert_eq!(prefix_for_hosts(251), 24);
/// assert_eq!(prefix_for_hosts(252), 23);
/// assert_eq!(prefix_for_hosts(2_000_000_000), 1);
/// ```
pub fn prefix_for_hosts(hosts: u32) -> u8 {
    prefix_holding(u64::from(hosts).saturating_add(AWS_RESERVED_PER_SUBNET))
        .unwrap_or(0)
        .min(MAX_AWS_PREFIX)
}

/// The longest prefix whose block holds `addresses` addresses, or `None` when even the whole
/// IPv4 space (a /0) is too small.
///
/// ```
/// use planner_core::cidr::prefix_holding;
/// assert_eq!(prefix_holding(256), Some(24));
/// assert_eq!(prefix_holding(257), Some(23));
/// assert_eq!(prefix_holding(1 << 32), Some(0));
/// assert_eq!(prefix_holding((1 << 32) + 1), None);
/// ```
pub fn prefix_holding(addresses: u64) -> Option<u8> {
    (0..=32u8).rev().find(|&p| block_size(p) >= addresses)
}

impl FromStr for Cidr {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let net: Ipv4Net = s
            .parse()
            .map_err(|_| format!("expected an IPv4 CIDR block like 10.0.0.0/16, got {s:?}"))?;
        if net.trunc() != net {
            return Err(format!(
                "{s} has host bits set; the block it names is {}",
                net.trunc()
            ));
        }
        Ok(Cidr(net))
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Debug for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Serialize for Cidr {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Cidr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Cidr;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an IPv4 CIDR block like 10.0.0.0/16")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Cidr, E> {
                v.parse().map_err(E::custom)
            }
        }
        d.deserialize_str(Visitor)
    }
}

impl schemars::JsonSchema for Cidr {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Cidr".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "An IPv4 CIDR block with no host bits set, e.g. 10.0.0.0/16.",
            "pattern": r"^(\d{1,3}\.){3}\d{1,3}/\d{1,2}$"
        })
    }
}

/// A set of disjoint free blocks from which aligned subnets are carved.
///
/// Carving is best-fit: the smallest free block that can hold the request is split, and the
/// request takes its lowest-addressed aligned part. Returned space is re-aggregated, so two
/// freed halves become one block again.
#[derive(Clone, Debug, Default)]
pub struct FreeSpace {
    blocks: Vec<Ipv4Net>,
}

impl FreeSpace {
    /// Free space covering exactly the given blocks (overlaps are merged).
    pub fn new(blocks: impl IntoIterator<Item = Cidr>) -> Self {
        let nets: Vec<Ipv4Net> = blocks.into_iter().map(Cidr::net).collect();
        FreeSpace {
            blocks: Ipv4Net::aggregate(&nets),
        }
    }

    /// The free blocks, in address order.
    pub fn blocks(&self) -> impl Iterator<Item = Cidr> + '_ {
        self.blocks.iter().copied().map(Cidr)
    }

    /// Total free addresses.
    pub fn total(&self) -> u64 {
        self.blocks().map(Cidr::size).sum()
    }

    /// Whether every address of `c` is free.
    pub fn covers(&self, c: Cidr) -> bool {
        self.blocks.iter().any(|b| b.contains(&c.net()))
    }

    /// Marks `c` as used; the parts of it that were not free are ignored.
    pub fn remove(&mut self, c: Cidr) {
        let cut = c.net();
        let mut out = Vec::with_capacity(self.blocks.len() + 8);
        for &b in &self.blocks {
            if cut.contains(&b) {
                continue;
            }
            if !b.contains(&cut) {
                out.push(b);
                continue;
            }
            // Walk down from `b` to `cut`, keeping the sibling half at every level.
            let mut cur = b;
            while cur.prefix_len() < cut.prefix_len() {
                let mut halves = cur
                    .subnets(cur.prefix_len() + 1)
                    .expect("a longer prefix is valid");
                let (lo, hi) = (
                    halves.next().expect("two halves"),
                    halves.next().expect("two halves"),
                );
                if lo.contains(&cut) {
                    out.push(hi);
                    cur = lo;
                } else {
                    out.push(lo);
                    cur = hi;
                }
            }
        }
        out.sort();
        self.blocks = out;
    }

    /// Returns `c` to the free set.
    pub fn insert(&mut self, c: Cidr) {
        self.blocks.push(c.net());
        self.blocks = Ipv4Net::aggregate(&self.blocks);
    }

    /// Carves the best-fitting aligned block of `prefix_len`, or `None` when nothing fits (or
    /// the prefix is longer than /32).
    ///
    /// ```
    /// use planner_core::cidr::{Cidr, FreeSpace};
    /// let mut free = FreeSpace::new(["10.0.0.0/16".parse::<Cidr>().unwrap()]);
    /// free.remove("10.0.0.0/24".parse().unwrap());
    /// // best fit: the /24 beside the used one, not the start of the big free /17.
    /// assert_eq!(free.take(24).unwrap().to_string(), "10.0.1.0/24");
    /// ```
    pub fn take(&mut self, prefix_len: u8) -> Option<Cidr> {
        let best = self
            .blocks
            .iter()
            .filter(|b| b.prefix_len() <= prefix_len)
            .max_by_key(|b| (b.prefix_len(), std::cmp::Reverse(b.network())))
            .copied()?;
        let got = Cidr(Ipv4Net::new(best.network(), prefix_len).ok()?.trunc());
        self.remove(got);
        Some(got)
    }

    /// The largest free block's prefix length, if any space is free.
    pub fn largest(&self) -> Option<u8> {
        self.blocks.iter().map(|b| b.prefix_len()).min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> Cidr {
        s.parse().unwrap()
    }

    #[test]
    fn remove_splits_into_siblings() {
        let mut f = FreeSpace::new([c("10.0.0.0/22")]);
        f.remove(c("10.0.1.0/24"));
        let got: Vec<String> = f.blocks().map(|b| b.to_string()).collect();
        assert_eq!(got, ["10.0.0.0/24", "10.0.2.0/23"]);
        assert_eq!(f.total(), 768);
    }

    #[test]
    fn insert_reaggregates() {
        let mut f = FreeSpace::new([c("10.0.0.0/22")]);
        let a = f.take(24).unwrap();
        let b = f.take(24).unwrap();
        f.insert(a);
        f.insert(b);
        assert_eq!(f.blocks().collect::<Vec<_>>(), [c("10.0.0.0/22")]);
    }

    #[test]
    fn take_fails_when_nothing_is_large_enough() {
        let mut f = FreeSpace::new([c("10.0.0.0/25"), c("10.0.1.0/25")]);
        assert_eq!(f.take(24), None);
        assert_eq!(f.largest(), Some(25));
    }

    #[test]
    fn take_refuses_a_prefix_longer_than_32() {
        let mut f = FreeSpace::new([c("10.0.0.0/24")]);
        assert_eq!(f.take(33), None);
        assert_eq!(f.total(), 256);
    }

    #[test]
    fn usable_range_of_tiny_blocks() {
        assert_eq!(c("10.0.0.0/30").aws_usable_range(), None);
        assert_eq!(c("10.0.0.0/28").aws_usable(), 11);
    }
}
