//! What must hold of one plan: the allocation is complete, non-overlapping, inside the VPC and
//! of the asked sizes, with the right per-subnet address figures; resources come in dependency
//! order with unique ids. Plus the helpers the properties share.

use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

use planner_core::alloc::SubnetAllocation;
use planner_core::resource::ResourceKind;
use planner_core::{plan, Allocation, Cidr, Design, Plan, PlanError, Planned};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

/// The design as JSON, for failure messages.
pub(crate) fn json(design: &Design) -> String {
    serde_json::to_string(design).expect("a design serializes")
}

/// Plans, turning `DoesNotFit` into `None` and any other error into a test failure.
pub(crate) fn try_plan(
    design: &Design,
    previous: Option<&Allocation>,
) -> Result<Option<Planned>, TestCaseError> {
    match plan(design, previous) {
        Ok(p) => Ok(Some(p)),
        Err(PlanError::DoesNotFit(_)) => Ok(None),
        Err(e) => Err(TestCaseError::fail(format!(
            "plan() returned {e:?} for a valid design: {}",
            json(design)
        ))),
    }
}

fn vpc_blocks(d: &Design) -> Vec<Cidr> {
    std::iter::once(d.vpc.as_ref().unwrap().cidr)
        .chain(d.vpc.as_ref().unwrap().secondary_cidrs.iter().copied())
        .collect()
}

fn end(c: Cidr) -> u64 {
    u64::from(u32::from(c.network())) + c.size()
}

/// The allocation's subnets by (tier, AZ).
pub(crate) fn by_key(a: &Allocation) -> BTreeMap<(String, String), &SubnetAllocation> {
    a.subnets
        .iter()
        .map(|s| ((s.tier.clone(), s.availability_zone.clone()), s))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Invariants of one plan

/// The allocation is sound (complete, non-overlapping, inside the VPC, of the asked sizes) and
/// the per-subnet address figures are right.
pub(crate) fn check_allocation(d: &Design, p: &Plan) -> Result<(), TestCaseError> {
    let a = &p.allocation;
    let ctx = || json(d);
    let azs = d.az_names();
    let blocks = vpc_blocks(d);
    let tier = |name: &str| d.tiers.iter().find(|t| t.name == name);

    // Complete: one subnet per tier × AZ, nothing else.
    let want: BTreeSet<(String, String)> = d
        .tiers
        .iter()
        .flat_map(|t| azs.iter().map(move |az| (t.name.clone(), az.clone())))
        .collect();
    let got: Vec<(String, String)> = a
        .subnets
        .iter()
        .map(|s| (s.tier.clone(), s.availability_zone.clone()))
        .collect();
    let got_set: BTreeSet<_> = got.iter().cloned().collect();
    prop_assert_eq!(
        got.len(),
        got_set.len(),
        "a subnet appears twice: {}",
        ctx()
    );
    prop_assert_eq!(
        &got_set,
        &want,
        "subnets differ from tiers × AZs: {}",
        ctx()
    );

    // Sizes and places.
    for s in &a.subnets {
        let t = tier(&s.tier).expect("checked above");
        let prefix = t.size.prefix_len();
        prop_assert_eq!(
            s.cidr.prefix_len(),
            prefix,
            "subnet {:?} has the wrong size: {}",
            s,
            ctx()
        );
        if (16..=28).contains(&prefix) {
            prop_assert!(
                (16..=28).contains(&s.cidr.prefix_len()),
                "{:?}: {}",
                s,
                ctx()
            );
        }
        prop_assert!(
            blocks.iter().any(|b| b.contains(s.cidr)),
            "subnet {:?} lies outside the VPC's blocks: {}",
            s,
            ctx()
        );

        // Usable addresses: AWS keeps the first four and the last one.
        prop_assert_eq!(s.usable_addresses, s.cidr.size() - 5, "{:?}", s);
        let net = u32::from(s.cidr.network());
        let first = Ipv4Addr::from(net + 4);
        let last = Ipv4Addr::from(net + (s.cidr.size() - 2) as u32);
        prop_assert_eq!(s.first_usable, Some(first), "{:?}", s);
        prop_assert_eq!(s.last_usable, Some(last), "{:?}", s);
        prop_assert!(first <= last);
        prop_assert_eq!(
            u64::from(u32::from(last)) - u64::from(u32::from(first)) + 1,
            s.usable_addresses,
            "{:?}",
            s
        );
    }

    // Reserved blocks: of their tier's size, inside the VPC, as many as asked.
    for r in &a.reserved {
        let t = tier(&r.tier);
        prop_assert!(
            t.is_some(),
            "reserved block {:?} of an unknown tier: {}",
            r,
            ctx()
        );
        let t = t.expect("checked");
        prop_assert_eq!(
            r.cidr.prefix_len(),
            t.size.prefix_len(),
            "{:?}: {}",
            r,
            ctx()
        );
        prop_assert!(
            blocks.iter().any(|b| b.contains(r.cidr)),
            "reserved block {:?} lies outside the VPC's blocks: {}",
            r,
            ctx()
        );
    }
    for t in &d.tiers {
        let n = a.reserved.iter().filter(|r| r.tier == t.name).count();
        prop_assert_eq!(
            n,
            usize::from(d.reserved_az_slots) + usize::from(t.reserve),
            "tier {} has the wrong number of reserved blocks: {}",
            &t.name,
            ctx()
        );
    }

    // No two blocks share an address.
    let mut all: Vec<(Cidr, String)> = a
        .subnets
        .iter()
        .map(|s| (s.cidr, format!("subnet {}-{}", s.tier, s.availability_zone)))
        .chain(
            a.reserved
                .iter()
                .map(|r| (r.cidr, format!("reserved block of {}", r.tier))),
        )
        .collect();
    all.sort_by_key(|(c, _)| (c.network(), c.prefix_len()));
    for w in all.windows(2) {
        prop_assert!(
            end(w[0].0) <= u64::from(u32::from(w[1].0.network())),
            "{} {} overlaps {} {}: {}",
            w[0].1,
            w[0].0,
            w[1].1,
            w[1].0,
            ctx()
        );
    }

    // IPv6: a distinct /64 for every subnet exactly when the VPC has IPv6.
    if d.vpc.as_ref().unwrap().ipv6 {
        let idx: Vec<Option<u8>> = a.subnets.iter().map(|s| s.ipv6_index).collect();
        prop_assert!(
            idx.iter().all(Option::is_some),
            "a subnet without a /64: {}",
            ctx()
        );
        let set: BTreeSet<_> = idx.iter().collect();
        prop_assert_eq!(set.len(), idx.len(), "two subnets share a /64: {}", ctx());
    } else {
        prop_assert!(
            a.subnets.iter().all(|s| s.ipv6_index.is_none()),
            "an IPv6 index without IPv6: {}",
            ctx()
        );
    }
    Ok(())
}

/// Resources come in dependency order with unique ids.
pub(crate) fn check_resources(d: &Design, p: &Plan) -> Result<(), TestCaseError> {
    let ctx = || json(d);
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, r) in p.resources.iter().enumerate() {
        if let Some(first) = seen.insert(&r.id, i) {
            return Err(TestCaseError::fail(format!(
                "resource id {} appears twice (positions {first} and {i}): {}",
                r.id,
                ctx()
            )));
        }
    }
    for (i, r) in p.resources.iter().enumerate() {
        for dep in &r.depends_on {
            match seen.get(dep.as_str()) {
                None => {
                    return Err(TestCaseError::fail(format!(
                        "{} depends on {dep}, which is not in the plan: {}",
                        r.id,
                        ctx()
                    )))
                }
                Some(&j) => prop_assert!(
                    j < i,
                    "{} (position {}) depends on {} at position {}: {}",
                    &r.id,
                    i,
                    dep,
                    j,
                    ctx()
                ),
            }
        }
        let mut sorted = r.depends_on.clone();
        sorted.sort();
        sorted.dedup();
        prop_assert_eq!(
            &sorted,
            &r.depends_on,
            "depends_on of {} is not sorted",
            &r.id
        );
        for id in r.kind.references() {
            prop_assert!(
                r.depends_on.iter().any(|d| d == id),
                "{} refers to {} but does not depend on it: {}",
                &r.id,
                id,
                ctx()
            );
        }
    }

    // Every allocated subnet is a subnet resource with the same block.
    let subnets: BTreeMap<(&str, &str), Cidr> = p
        .resources
        .iter()
        .filter_map(|r| match &r.kind {
            ResourceKind::Subnet {
                tier,
                availability_zone,
                cidr_block,
                ..
            } => Some(((tier.as_str(), availability_zone.as_str()), *cidr_block)),
            _ => None,
        })
        .collect();
    prop_assert_eq!(subnets.len(), p.allocation.subnets.len(), "{}", ctx());
    for s in &p.allocation.subnets {
        prop_assert_eq!(
            subnets.get(&(s.tier.as_str(), s.availability_zone.as_str())),
            Some(&s.cidr),
            "{}",
            ctx()
        );
    }
    Ok(())
}
