//! Subnet allocation: where every tier × AZ subnet goes inside the VPC, and why it stays there.
//!
//! **Invariant: a subnet that exists in the previous allocation and still exists in the design
//! (same tier, same AZ, same size) keeps its block.** New subnets first take blocks their tier
//! reserved, then the best-fitting free space, largest requests first, so a fresh layout is
//! packed and aligned. Blocks of removed tiers or AZs return to free space.

use std::collections::BTreeMap;

use crate::alloc::{Allocation, ReservedBlock, SubnetAllocation};
use crate::cidr::{block_size, prefix_holding, Cidr, FreeSpace};
use crate::design::network::Design;
use crate::diag::{Diagnostic, Severity};
use crate::error::PlanError;

/// What one tier asks for, resolved from the design.
struct TierNeed<'a> {
    name: &'a str,
    prefix: u8,
    azs: &'a [String],
    reserve: usize,
}

impl TierNeed<'_> {
    fn footprint(&self) -> u64 {
        ((self.azs.len() + self.reserve) as u64).saturating_mul(block_size(self.prefix))
    }
}

#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Slot {
    Subnet(usize),
    Reserve,
}

/// Allocates every subnet of `design`, keeping the blocks of `previous` where they still fit.
pub(crate) fn allocate(
    design: &Design,
    azs: &[String],
    previous: Option<&Allocation>,
    diags: &mut Vec<Diagnostic>,
) -> Result<Allocation, PlanError> {
    let needs: Vec<TierNeed> = design
        .tiers
        .iter()
        .map(|t| TierNeed {
            name: &t.name,
            prefix: t.size.prefix_len(),
            azs: design.tier_azs(t, azs),
            reserve: usize::from(design.reserved_az_slots) + usize::from(t.reserve),
        })
        .collect();
    let tier_index = |name: &str| needs.iter().position(|n| n.name == name);

    let vpc_blocks: Vec<Cidr> = std::iter::once(design.vpc().cidr)
        .chain(design.vpc().secondary_cidrs.iter().copied())
        .collect();
    let mut free = FreeSpace::new(vpc_blocks.iter().copied());
    for used in design.cidrs_in_use.iter().chain(&design.unmanaged_blocks) {
        free.remove(used.cidr);
    }
    let capacity = free.total();

    // 1. Pin what the previous allocation placed.
    let mut placed: BTreeMap<(usize, usize), (Cidr, Option<u8>)> = BTreeMap::new();
    let mut pools: Vec<Vec<Cidr>> = needs.iter().map(|_| Vec::new()).collect();
    if let Some(prev) = previous {
        for s in &prev.subnets {
            let Some(ti) = tier_index(&s.tier) else {
                continue;
            };
            let need = &needs[ti];
            let Some(ai) = need.azs.iter().position(|a| *a == s.availability_zone) else {
                continue;
            };
            if placed.contains_key(&(ti, ai)) {
                continue;
            }
            let path = format!("tiers[{ti}]");
            if s.cidr.prefix_len() != need.prefix {
                diags.push(Diagnostic::new(
                    "NET008",
                    Severity::Info,
                    path,
                    format!(
                        "subnet {}-{} gets a new block: its size changed from /{} to /{} and AWS cannot resize a subnet",
                        s.tier, s.availability_zone, s.cidr.prefix_len(), need.prefix
                    ),
                ));
                continue;
            }
            if !free.covers(s.cidr) {
                diags.push(Diagnostic::new(
                    "NET008",
                    Severity::Info,
                    path,
                    format!(
                        "subnet {}-{} moves: its block {} is no longer free (outside the VPC or in use elsewhere)",
                        s.tier, s.availability_zone, s.cidr
                    ),
                ));
                continue;
            }
            free.remove(s.cidr);
            placed.insert((ti, ai), (s.cidr, s.ipv6_index));
        }
        for r in &prev.reserved {
            let Some(ti) = tier_index(&r.tier) else {
                continue;
            };
            if r.cidr.prefix_len() == needs[ti].prefix && free.covers(r.cidr) {
                free.remove(r.cidr);
                pools[ti].push(r.cidr);
            }
        }
    }

    // 2. New subnets take their tier's reserved blocks first; surplus reservations are freed.
    let mut requests: Vec<(u8, usize, Slot)> = Vec::new();
    let mut reserved: Vec<(usize, Cidr)> = Vec::new();
    for (ti, need) in needs.iter().enumerate() {
        let pool = &mut pools[ti];
        pool.sort();
        pool.reverse(); // pop() yields the lowest address
        for ai in 0..need.azs.len() {
            if placed.contains_key(&(ti, ai)) {
                continue;
            }
            match pool.pop() {
                Some(block) => {
                    placed.insert((ti, ai), (block, None));
                }
                None => requests.push((need.prefix, ti, Slot::Subnet(ai))),
            }
        }
        while pool.len() > need.reserve {
            free.insert(pool.remove(0));
        }
        reserved.extend(pool.iter().map(|&b| (ti, b)));
        for _ in pool.len()..need.reserve {
            requests.push((need.prefix, ti, Slot::Reserve));
        }
    }

    // 3. Largest first, best fit: a fresh layout packs without gaps.
    requests.sort();
    for (prefix, ti, slot) in requests {
        let Some(block) = free.take(prefix) else {
            return Err(fit_error(design, &needs, capacity, &free, ti, &slot));
        };
        match slot {
            Slot::Subnet(ai) => {
                placed.insert((ti, ai), (block, None));
            }
            Slot::Reserve => reserved.push((ti, block)),
        }
    }

    // 4. IPv6: pinned subnets keep their /64 index, new ones take the lowest free index.
    let mut ipv6: BTreeMap<(usize, usize), u8> = BTreeMap::new();
    if design.vpc().ipv6 {
        let mut used = [false; 256];
        for (key, (_, index)) in &placed {
            if let Some(i) = *index {
                if !used[usize::from(i)] {
                    used[usize::from(i)] = true;
                    ipv6.insert(*key, i);
                }
            }
        }
        for key in placed.keys() {
            if ipv6.contains_key(key) {
                continue;
            }
            match used.iter().position(|u| !u) {
                Some(i) => {
                    used[i] = true;
                    ipv6.insert(*key, i as u8);
                }
                None => {
                    diags.push(Diagnostic::new(
                        "NET009",
                        Severity::Error,
                        "vpc.ipv6",
                        format!(
                            "the VPC's IPv6 /56 holds 256 /64 subnets but the design has {}",
                            placed.len()
                        ),
                    ));
                    break;
                }
            }
        }
    }

    reserved.sort();
    Ok(Allocation {
        subnets: placed
            .iter()
            .map(|(&(ti, ai), &(cidr, _))| {
                let range = cidr.aws_usable_range();
                SubnetAllocation {
                    tier: needs[ti].name.to_owned(),
                    availability_zone: needs[ti].azs[ai].clone(),
                    cidr,
                    ipv6_index: ipv6.get(&(ti, ai)).copied(),
                    usable_addresses: cidr.aws_usable(),
                    first_usable: range.map(|r| r.0),
                    last_usable: range.map(|r| r.1),
                }
            })
            .collect(),
        reserved: reserved
            .into_iter()
            .map(|(ti, cidr)| ReservedBlock {
                tier: needs[ti].name.to_owned(),
                cidr,
            })
            .collect(),
    })
}

/// Explains a failed placement with the smallest changes that would make it fit.
fn fit_error(
    design: &Design,
    needs: &[TierNeed],
    capacity: u64,
    free: &FreeSpace,
    ti: usize,
    slot: &Slot,
) -> PlanError {
    let need = &needs[ti];
    let needed = needs
        .iter()
        .map(TierNeed::footprint)
        .fold(0u64, u64::saturating_add);
    let vpc = design.vpc().cidr;
    let reserved = needs
        .iter()
        .map(|n| (n.reserve as u64).saturating_mul(block_size(n.prefix)))
        .fold(0u64, u64::saturating_add);
    let mut fixes = Vec::new();

    let message = if needed > capacity {
        // More than the whole IPv4 space has no prefix: a VPC on 0.0.0.0/0 can get here.
        let want = prefix_holding(needed);
        let vpc_desc = if design.vpc().secondary_cidrs.is_empty() && capacity == vpc.size() {
            format!("the VPC is a /{}", vpc.prefix_len())
        } else {
            format!("the VPC has {capacity} addresses for subnets")
        };
        match want
            .filter(|&w| w >= crate::cidr::MIN_AWS_PREFIX)
            .and_then(|w| ipnet::Ipv4Net::new(vpc.network(), w).ok())
        {
            Some(wider) => fixes.push(format!("use {}", wider.trunc())),
            None => {
                fixes.push("add secondary CIDRs (a VPC block is at most a /16)".to_owned());
            }
        }
        // A failed request implies a tier; the largest one is the one worth shrinking.
        let biggest = needs.iter().rev().max_by_key(|n| n.footprint());
        if let Some(big) = biggest {
            let rest = needed.saturating_sub(big.footprint());
            let blocks = (big.azs.len() + big.reserve) as u64;
            if let Some(p) = (big.prefix.saturating_add(1)..=crate::cidr::MAX_AWS_PREFIX)
                .find(|&p| rest.saturating_add(blocks.saturating_mul(block_size(p))) <= capacity)
            {
                fixes.push(format!("shrink tier {} to /{p}", big.name));
            }
        }
        if reserved > 0 && needed.saturating_sub(reserved) <= capacity {
            fixes.push(format!(
                "keep fewer reserved slots (they take {reserved} addresses)"
            ));
        }
        let size = want.map_or("more than the whole IPv4 space".to_owned(), |w| {
            format!("a /{w}")
        });
        format!("the design does not fit: it needs {needed} addresses ({size}); {vpc_desc}")
    } else {
        let what = match slot {
            Slot::Subnet(ai) => format!("subnet {}-{}", need.name, need.azs[*ai]),
            Slot::Reserve => format!("a reserved block of tier {}", need.name),
        };
        let largest = free
            .largest()
            .map_or("nothing".to_owned(), |p| format!("a /{p}"));
        if let Some(p) = free.largest() {
            if p <= crate::cidr::MAX_AWS_PREFIX {
                fixes.push(format!("shrink tier {} to /{p}", need.name));
            }
        }
        fixes.push("add a secondary CIDR".to_owned());
        fixes.push("plan without the previous plan to pack every subnet again (existing subnets would move)".to_owned());
        format!(
            "{what} needs an aligned /{} but the free space is fragmented: {} addresses are free and the largest free block is {largest}",
            need.prefix,
            free.total()
        )
    };
    PlanError::DoesNotFit(format!("{message}: {}", fixes.join(" or ")))
}
