//! Random designs for the planner's properties, and the edits a user makes between two plans.
//! Every generated design is valid input: names, sizes, NAT only with a public tier.

use std::collections::BTreeSet;

use planner_core::design::InUseCidr;
use planner_core::{AvailabilityZones, Cidr, Design, NatStrategy, SubnetSize, Tier, TierKind, Vpc};
use proptest::prelude::*;
use proptest::sample::Index;

/// A CIDR block from its text.
pub(crate) fn cidr(s: &str) -> Cidr {
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
        route_table_per_az: false,
        public_ip_on_launch: None,
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
pub(crate) fn design() -> impl Strategy<Value = Design> {
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
                    ..Vpc::new(cidr(&format!("10.{x}.0.0/{prefix}")))
                }),
                availability_zones: Some(AvailabilityZones::Count(azs)),
                reserved_az_slots: slots,
                tiers,
                nat,
                cidrs_in_use: Vec::<InUseCidr>::new(),
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
        })
}

/// One change a user makes between two plans. None of them changes an existing tier's size.
#[derive(Clone, Debug)]
pub(crate) enum Edit {
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

/// Any one [`Edit`].
pub(crate) fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (tier(), any::<Index>()).prop_map(|(tier, at)| Edit::AddTier { tier, at }),
        any::<Index>().prop_map(Edit::RemoveTier),
        (1u8..=2).prop_map(Edit::AddAz),
        (1u8..=2).prop_map(Edit::UseReservedSpace),
        (any::<Index>(), 0u8..=2).prop_map(|(i, r)| Edit::ChangeReserve(i, r)),
        Just(Edit::ToggleIpv6),
    ]
}

/// How many AZs the design asks for.
pub(crate) fn az_count(d: &Design) -> u8 {
    match d.availability_zones {
        Some(AvailabilityZones::Count(n)) => n,
        Some(AvailabilityZones::Names(ref v)) => v.len() as u8,
        None => 0,
    }
}

/// The edited design, or `None` when the edit does not apply (it would change nothing, or
/// break a rule of the generator such as NAT without a public tier).
pub(crate) fn apply(design: &Design, edit: &Edit) -> Option<Design> {
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
