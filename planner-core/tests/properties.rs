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

use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

use planner_core::alloc::SubnetAllocation;
use planner_core::design::InUseCidr;
use planner_core::resource::ResourceKind;
use planner_core::{
    parse_plan, plan, validate, Allocation, AvailabilityZones, Cidr, Design, NatStrategy, Plan,
    PlanError, Planned, SubnetSize, Tier, TierKind, Vpc,
};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::TestCaseError;

// ---------------------------------------------------------------------------------------------
// Strategies

fn cidr(s: &str) -> Cidr {
    s.parse().expect("a valid CIDR")
}

fn kind() -> impl Strategy<Value = TierKind> {
    prop_oneof![
        Just(TierKind::Public),
        Just(TierKind::Private),
        Just(TierKind::Isolated),
    ]
}

/// Prefix 20–28 or 1–2000 hosts, weighted towards small subnets so most designs fit.
fn size() -> impl Strategy<Value = SubnetSize> {
    let prefix = prop_oneof![1 => 20u8..=22, 2 => 23u8..=28];
    let hosts = prop_oneof![1 => 1u32..=2000, 1 => 1u32..=250];
    prop_oneof![
        prefix.prop_map(SubnetSize::Prefix),
        hosts.prop_map(SubnetSize::Hosts),
    ]
}

/// Tier names: mostly free-form, sometimes from a tiny alphabet so that names like `a` and
/// `a-b` (which share prefixes with AZ-suffixed ids) meet often.
fn tier_name() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-z][a-z0-9-]{0,11}",
        1 => "[a-c](-[a-f])?",
    ]
}

fn tier() -> impl Strategy<Value = Tier> {
    (tier_name(), kind(), size(), 0u8..=2).prop_map(|(name, kind, size, reserve)| Tier {
        name,
        kind,
        size,
        max_azs: None,
        reserve,
        ipv6_from_internet: false,
    })
}

/// 1–8 tiers with unique names (later duplicates are dropped; the first always stays).
fn tiers() -> impl Strategy<Value = Vec<Tier>> {
    prop::collection::vec(tier(), 1..=8).prop_map(|ts| {
        let mut seen = BTreeSet::new();
        ts.into_iter()
            .filter(|t| seen.insert(t.name.clone()))
            .collect()
    })
}

fn has_public(tiers: &[Tier]) -> bool {
    tiers.iter().any(|t| t.kind == TierKind::Public)
}

/// A design as the brief describes, plus (sometimes) secondary CIDRs so that "inside the VPC"
/// also covers them.
fn design() -> impl Strategy<Value = Design> {
    let secondary = prop_oneof![
        3 => Just(Vec::new()),
        1 => prop::collection::vec(18u8..=24, 1..=2),
    ];
    (
        0u8..200,
        prop_oneof![2 => 16u8..=17, 1 => 18u8..=20],
        1u8..=6,
        0u8..=2,
        tiers(),
        prop::sample::select(NatStrategy::ALL.to_vec()),
        any::<bool>(),
        secondary,
    )
        .prop_map(|(x, prefix, azs, slots, tiers, nat, ipv6, secondary)| {
            let nat = if has_public(&tiers) {
                nat
            } else {
                NatStrategy::None
            };
            Design {
                name: "prop".to_owned(),
                region: "us-east-1".to_owned(),
                vpc: Some(Vpc {
                    cidr: cidr(&format!("10.{x}.0.0/{prefix}")),
                    secondary_cidrs: secondary
                        .iter()
                        .enumerate()
                        .map(|(i, p)| cidr(&format!("10.{}.0.0/{p}", 200 + i)))
                        .collect(),
                    ipv6,
                }),
                availability_zones: Some(AvailabilityZones::Count(azs)),
                reserved_az_slots: slots,
                tiers,
                nat,
                cidrs_in_use: Vec::<InUseCidr>::new(),
                security_groups: Vec::new(),
                iam: Default::default(),
                instances: Vec::new(),
                nat_instances: Default::default(),
            }
        })
}

/// One change a user makes between two plans. None of them changes an existing tier's size.
#[derive(Clone, Debug)]
enum Edit {
    AddTier {
        tier: Tier,
        at: Index,
    },
    RemoveTier(Index),
    AddAz(u8),
    /// Lower `reserved_az_slots` by n and raise the AZ count by n.
    UseReservedSpace(u8),
    ChangeReserve(Index, u8),
    ToggleIpv6,
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (tier(), any::<Index>()).prop_map(|(tier, at)| Edit::AddTier { tier, at }),
        any::<Index>().prop_map(Edit::RemoveTier),
        (1u8..=2).prop_map(Edit::AddAz),
        (1u8..=2).prop_map(Edit::UseReservedSpace),
        (any::<Index>(), 0u8..=2).prop_map(|(i, r)| Edit::ChangeReserve(i, r)),
        Just(Edit::ToggleIpv6),
    ]
}

fn az_count(d: &Design) -> u8 {
    match d.availability_zones {
        Some(AvailabilityZones::Count(n)) => n,
        Some(AvailabilityZones::Names(ref v)) => v.len() as u8,
        None => 0,
    }
}

/// The edited design, or `None` when the edit does not apply (it would change nothing, or
/// break a rule of the generator such as NAT without a public tier).
fn apply(design: &Design, edit: &Edit) -> Option<Design> {
    let mut d = design.clone();
    match edit {
        Edit::AddTier { tier, at } => {
            if d.tiers.len() >= 8 {
                return None;
            }
            let mut tier = tier.clone();
            let base = tier.name.clone();
            let mut n = 2;
            while d.tiers.iter().any(|t| t.name == tier.name) {
                tier.name = format!("{base}{n}");
                n += 1;
            }
            let at = at.index(d.tiers.len() + 1);
            d.tiers.insert(at, tier);
        }
        Edit::RemoveTier(i) => {
            if d.tiers.len() <= 1 {
                return None;
            }
            d.tiers.remove(i.index(d.tiers.len()));
            if d.nat != NatStrategy::None && !has_public(&d.tiers) {
                return None;
            }
        }
        Edit::AddAz(n) => {
            let now = az_count(&d);
            let to = (now + n).min(6);
            if to == now {
                return None;
            }
            d.availability_zones = Some(AvailabilityZones::Count(to));
        }
        Edit::UseReservedSpace(n) => {
            let now = az_count(&d);
            let n = (*n).min(d.reserved_az_slots).min(6 - now);
            if n == 0 {
                return None;
            }
            d.reserved_az_slots -= n;
            d.availability_zones = Some(AvailabilityZones::Count(now + n));
        }
        Edit::ChangeReserve(i, r) => {
            let i = i.index(d.tiers.len());
            if d.tiers[i].reserve == *r {
                return None;
            }
            d.tiers[i].reserve = *r;
        }
        Edit::ToggleIpv6 => {
            let v = d.vpc.as_mut().unwrap();
            v.ipv6 = !v.ipv6
        }
    }
    Some(d)
}

// ---------------------------------------------------------------------------------------------
// Helpers

fn json(design: &Design) -> String {
    serde_json::to_string(design).expect("a design serializes")
}

/// Plans, turning `DoesNotFit` into `None` and any other error into a test failure.
fn try_plan(
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

fn by_key(a: &Allocation) -> BTreeMap<(String, String), &SubnetAllocation> {
    a.subnets
        .iter()
        .map(|s| ((s.tier.clone(), s.availability_zone.clone()), s))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Invariants of one plan

fn check_allocation(d: &Design, p: &Plan) -> Result<(), TestCaseError> {
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

fn check_resources(d: &Design, p: &Plan) -> Result<(), TestCaseError> {
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

// ---------------------------------------------------------------------------------------------
// Properties

/// Failures are reported with the minimal input; no regression files are written.
/// `PROPTEST_CASES=n` overrides the case count for a deeper run (the crate's no-environment
/// rule is about the planner, not its tests).
#[allow(clippy::disallowed_methods)]
fn config(cases: u32) -> ProptestConfig {
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
        vpc: Some(Vpc {
            cidr: cidr("10.0.0.0/16"),
            secondary_cidrs: Vec::new(),
            ipv6: false,
        }),
        availability_zones: Some(AvailabilityZones::Count(azs)),
        reserved_az_slots: 0,
        tiers,
        nat,
        cidrs_in_use: Vec::new(),
        security_groups: Vec::new(),
        iam: Default::default(),
        instances: Vec::new(),
        nat_instances: Default::default(),
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
