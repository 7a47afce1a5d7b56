//! Property tests of the planner over random designs.
//!
//! Every generated design is valid input (names, sizes, NAT only with a public tier), so the
//! only error `plan()` may return is `DoesNotFit`; such cases are skipped. What is checked:
//!
//! * the allocation is sound: complete, non-overlapping, inside the VPC, of the asked sizes;
//! * the per-subnet address figures are right;
//! * planning is deterministic, round-trips through plan.json and is idempotent;
//! * resources are in dependency order with unique ids;
//! * stability: after a sequence of edits, every subnet that survives keeps its block (and its
//!   IPv6 /64), and new subnets take their tier's reserved blocks first.

use std::collections::BTreeSet;

use planner_core::alloc::SubnetAllocation;
use planner_core::{
    parse_plan, plan, validate, AvailabilityZones, Cidr, Design, NatStrategy, SubnetSize, Tier,
    TierKind, Vpc,
};
use proptest::prelude::*;

use crate::designs::{apply, az_count, cidr, design, edit, Edit};
use crate::invariants::{by_key, check_allocation, check_resources, json, try_plan};

// ---------------------------------------------------------------------------------------------
// Properties

/// Failures are reported with the minimal input; no regression files are written.
/// `PROPTEST_CASES=n` overrides the case count for a deeper run (the crate's no-environment
/// rule is about the planner, not its tests).
#[allow(clippy::disallowed_methods)]
pub(crate) fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(cases),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn allocation_is_sound(d in design()) {
        let Some(planned) = try_plan(&d, None)? else { return Ok(()) };
        check_allocation(&d, &planned.plan)?;
    }

    /// Aligned power-of-two blocks placed largest first in one power-of-two VPC block always
    /// pack: a fresh plan without secondary CIDRs fits exactly when the addresses do.
    #[test]
    fn fresh_layouts_pack(mut d in design()) {
        d.vpc.as_mut().unwrap().secondary_cidrs.clear();
        let azs = usize::from(az_count(&d));
        let footprint: u64 = d
            .tiers
            .iter()
            .map(|t| {
                let blocks = azs + usize::from(d.reserved_az_slots) + usize::from(t.reserve);
                blocks as u64 * (1u64 << (32 - u32::from(t.size.prefix_len())))
            })
            .sum();
        let fits = try_plan(&d, None)?.is_some();
        prop_assert_eq!(
            fits,
            footprint <= d.vpc.as_ref().unwrap().cidr.size(),
            "footprint {} in a VPC of {}: {}",
            footprint,
            d.vpc.as_ref().unwrap().cidr.size(),
            json(&d)
        );
    }

    #[test]
    fn resources_are_in_dependency_order(d in design()) {
        let Some(planned) = try_plan(&d, None)? else { return Ok(()) };
        check_resources(&d, &planned.plan)?;
    }

    #[test]
    fn planning_is_deterministic_and_round_trips(d in design()) {
        let Some(a) = try_plan(&d, None)? else { return Ok(()) };
        let b = try_plan(&d, None)?.expect("the same design fits twice");
        prop_assert_eq!(&a, &b);
        let text = a.plan.to_json();
        prop_assert_eq!(&text, &b.plan.to_json());
        prop_assert!(text.ends_with("}\n"), "plan.json ends with a newline");

        let back = parse_plan(&text);
        prop_assert!(back.is_ok(), "plan.json does not parse back: {:?}\n{}", back, text);
        let back = back.expect("checked");
        prop_assert_eq!(&back, &a.plan, "plan.json round trip changed the plan");
        prop_assert_eq!(back.to_json(), text);

        // Re-planning with its own allocation changes nothing, so validate finds no hand edit.
        let again = plan(&d, Some(&a.plan.allocation));
        prop_assert!(again.is_ok(), "re-planning with its own allocation failed: {:?}: {}", again, json(&d));
        prop_assert_eq!(&again.expect("checked").plan, &a.plan, "re-planning moved something: {}", json(&d));
        let diags = validate(&a.plan);
        prop_assert!(diags.is_ok());
        prop_assert!(
            diags.expect("checked").iter().all(|x| x.code != "EXE001"),
            "validate flags a freshly made plan as edited: {}",
            json(&d)
        );
    }
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn surviving_subnets_keep_their_blocks(
        d in design(),
        edits in prop::collection::vec(edit(), 1..=5),
    ) {
        let Some(mut previous) = try_plan(&d, None)? else { return Ok(()) };
        let mut design = d;
        for e in &edits {
            let Some(next) = apply(&design, e) else { continue };
            let planned = try_plan(&next, Some(&previous.plan.allocation))?;
            let Some(planned) = planned else {
                // Using reserved space must always fit: every new subnet takes a reserved block.
                prop_assert!(
                    !matches!(e, Edit::UseReservedSpace(_)),
                    "{:?} did not fit: {} then {}",
                    e,
                    json(&design),
                    json(&next)
                );
                continue;
            };
            let ctx = || format!("after {:?}\nbefore: {}\nafter:  {}", e, json(&design), json(&next));
            check_allocation(&next, &planned.plan)?;
            check_resources(&next, &planned.plan)?;

            let before = by_key(&previous.plan.allocation);
            let after = by_key(&planned.plan.allocation);
            let keep_v6 = design.vpc.as_ref().unwrap().ipv6 && next.vpc.as_ref().unwrap().ipv6;
            for (key, b) in &before {
                let Some(a) = after.get(key) else { continue };
                prop_assert_eq!(a.cidr, b.cidr, "subnet {:?} moved: {}", key, ctx());
                if keep_v6 {
                    prop_assert_eq!(a.ipv6_index, b.ipv6_index, "subnet {:?} changed /64: {}", key, ctx());
                }
            }

            // New subnets of a surviving tier take its reserved blocks first.
            for t in &next.tiers {
                let pool: BTreeSet<Cidr> = previous
                    .plan
                    .allocation
                    .reserved
                    .iter()
                    .filter(|r| r.tier == t.name)
                    .map(|r| r.cidr)
                    .collect();
                let new: Vec<&&SubnetAllocation> = after
                    .iter()
                    .filter(|(k, _)| k.0 == t.name && !before.contains_key(*k))
                    .map(|(_, s)| s)
                    .collect();
                let from_pool = new.iter().filter(|s| pool.contains(&s.cidr)).count();
                prop_assert_eq!(
                    from_pool,
                    new.len().min(pool.len()),
                    "tier {} placed new subnets outside its reserved blocks: {}",
                    &t.name,
                    ctx()
                );
            }
            if matches!(e, Edit::UseReservedSpace(_)) {
                // Nothing new was carved: the remaining reservations are old ones.
                let old: BTreeSet<Cidr> =
                    previous.plan.allocation.reserved.iter().map(|r| r.cidr).collect();
                for r in &planned.plan.allocation.reserved {
                    prop_assert!(old.contains(&r.cidr), "new reservation {:?}: {}", r, ctx());
                }
            }

            design = next;
            previous = planned;
        }
    }
}

/// The generator must produce designs that fit often enough for the properties to mean
/// something.
#[test]
fn most_generated_designs_fit() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]),
    );
    let strategy = design();
    let total = 200;
    let fit = (0..total)
        .filter(|_| {
            let d = strategy.new_tree(&mut runner).expect("a design").current();
            plan(&d, None).is_ok()
        })
        .count();
    assert!(
        fit * 2 >= total,
        "only {fit} of {total} generated designs fit"
    );
}

// ---------------------------------------------------------------------------------------------
// Regressions the properties found.

fn small_design(tiers: Vec<Tier>, azs: u8, nat: NatStrategy) -> Design {
    Design {
        name: "prop".to_owned(),
        region: "us-east-1".to_owned(),
        vpc: Some(Vpc::new(cidr("10.0.0.0/16"))),
        availability_zones: Some(AvailabilityZones::Count(azs)),
        reserved_az_slots: 0,
        tiers,
        nat,
        cidrs_in_use: Vec::new(),
        network_acls: Vec::new(),
        endpoints: Vec::new(),
        flow_logs: None,
        security_groups: Vec::new(),
        iam: Default::default(),
        instances: Vec::new(),
        nat_instances: Default::default(),
        traffic: Default::default(),
        imports: Default::default(),
        unmanaged_blocks: Vec::new(),
    }
}

fn small_tier(name: &str, kind: TierKind, size: SubnetSize) -> Tier {
    Tier {
        name: name.to_owned(),
        kind,
        size,
        max_azs: None,
        reserve: 0,
        ipv6_from_internet: false,
        route_table_per_az: false,
        public_ip_on_launch: None,
    }
}

/// A private tier `a` with a NAT per AZ gets route tables `route_table.a-a`, `route_table.a-b`;
/// a tier named `a-a` gets the single table `route_table.a-a` too (and the same route ids).
#[test]
fn route_table_ids_of_tier_a_and_tier_a_a_do_not_clash() {
    let d = small_design(
        vec![
            small_tier("a-a", TierKind::Public, SubnetSize::Prefix(20)),
            small_tier("a", TierKind::Private, SubnetSize::Prefix(20)),
        ],
        2,
        NatStrategy::GatewayPerAz,
    );
    let p = plan(&d, None).expect("fits").plan;
    let mut seen = BTreeSet::new();
    let dups: Vec<&str> = p
        .resources
        .iter()
        .filter(|r| !seen.insert(r.id.as_str()))
        .map(|r| r.id.as_str())
        .collect();
    assert!(
        dups.is_empty(),
        "duplicate resource ids {dups:?} in plan of {}",
        json(&d)
    );
}

/// Sizing by hosts must give a subnet AWS accepts: 1–3 hosts fit a /29, but AWS's smallest
/// subnet is a /28, so the planner should round up to /28 instead of planning a /29 and then
/// refusing its own plan with NET001.
#[test]
fn few_hosts_round_up_to_a_slash_28() {
    for hosts in 1..=3 {
        assert_eq!(SubnetSize::Hosts(hosts).prefix_len(), 28, "hosts {hosts}");
        let d = small_design(
            vec![small_tier(
                "db",
                TierKind::Isolated,
                SubnetSize::Hosts(hosts),
            )],
            1,
            NatStrategy::None,
        );
        let planned = plan(&d, None).expect("fits");
        assert_eq!(planned.plan.allocation.subnets[0].cidr.prefix_len(), 28);
        assert!(
            planned.diagnostics.iter().all(|x| x.code != "NET001"),
            "{:?}",
            planned.diagnostics
        );
    }
}
