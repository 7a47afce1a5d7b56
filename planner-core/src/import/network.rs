//! Tiers, zones and NAT from a live VPC's subnets and route tables.
//!
//! A subnet's kind comes from its route table's default route: to an internet gateway,
//! public; to a NAT gateway or instance, private; otherwise isolated. Subnets of one kind,
//! one base name (their `Name` tag without the zone and trailing numbers) and one size form a
//! tier, one subnet per zone. Zones are ordered so the NAT's zone comes first (where a
//! design puts a single NAT), and a tier must cover the first zones of that order (a tier's
//! `max_azs`); a subnet no tier can hold is kept as an unmanaged block.

use std::collections::{BTreeMap, BTreeSet};

use super::snapshot::{LiveRouteTable, LiveSubnet, LiveTarget, Snapshot};
use super::{Note, NoteKind};
use crate::alloc::{Allocation, SubnetAllocation};
use crate::cidr::Cidr;
use crate::design::network::{InUseCidr, NatStrategy, SubnetSize, Tier, TierKind};

/// The network part of an imported design.
pub(super) struct Network {
    /// Tiers in design order.
    pub tiers: Vec<Tier>,
    /// Zones in design order.
    pub azs: Vec<String>,
    /// How private tiers reach the internet.
    pub nat: NatStrategy,
    /// Every expressed subnet at its live block.
    pub allocation: Allocation,
    /// Subnets no tier holds.
    pub unmanaged: Vec<InUseCidr>,
    /// Live subnet id → (tier, zone).
    pub subnet_tier: BTreeMap<String, (String, String)>,
    /// Route table → the (tier, zone) it serves (zone `None` for the tier's one table).
    pub tables: BTreeMap<String, (String, Option<String>)>,
}

/// How a route table sends default traffic.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Class {
    kind: TierKind,
    /// The NAT gateway or instance a private table uses.
    nat: Option<String>,
    /// `::/0` through the internet gateway (a private tier's `ipv6_from_internet`).
    ipv6_from_internet: bool,
}

fn classify(t: &LiveRouteTable) -> Class {
    let default = |dest: &str| t.routes.iter().find(|r| r.destination == dest);
    let (kind, nat) = match default("0.0.0.0/0").map(|r| &r.target) {
        Some(LiveTarget::InternetGateway(_)) => (TierKind::Public, None),
        Some(LiveTarget::NatGateway(n) | LiveTarget::Instance(n)) => {
            (TierKind::Private, Some(n.clone()))
        }
        _ => (TierKind::Isolated, None),
    };
    let v6_igw = matches!(
        default("::/0").map(|r| &r.target),
        Some(LiveTarget::InternetGateway(_))
    );
    Class {
        kind,
        nat,
        ipv6_from_internet: kind == TierKind::Private && v6_igw,
    }
}

/// A tier name from a subnet's `Name` tag: lower case, the zone and trailing numbers and
/// separators cut off (`project-subnet-public1-us-east-1a` → `project-subnet-public`).
fn raw_label(s: &LiveSubnet) -> String {
    let Some(name) = s.tags.get("Name") else {
        return String::new();
    };
    let mut n = name.to_ascii_lowercase();
    let az = s.availability_zone.to_ascii_lowercase();
    n = n.replace(&az, "");
    n.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .trim_end_matches(|c: char| c == '-' || c.is_ascii_digit())
        .trim_matches('-')
        .to_owned()
}

/// Cuts the words every label starts with (`project-subnet-`), so tiers read `public`.
fn strip_common_prefix(labels: &mut [String]) {
    let words: Vec<Vec<String>> = labels
        .iter()
        .map(|l| l.split('-').map(str::to_owned).collect())
        .collect();
    let Some(first) = words.first() else {
        return;
    };
    let mut common = 0;
    while common < first.len()
        && words
            .iter()
            .all(|w| w.len() > common + 1 && w[common] == first[common])
    {
        common += 1;
    }
    for (l, w) in labels.iter_mut().zip(&words) {
        *l = w[common..].join("-");
    }
}

/// A valid tier (or network ACL) name from `label`, or `fallback`.
pub(super) fn tier_name(label: &str, fallback: &str) -> String {
    let mut n: String = label
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
        .take(32)
        .collect();
    n = n.trim_matches('-').to_owned();
    if !n.starts_with(|c: char| c.is_ascii_lowercase()) {
        n = fallback.to_owned();
    }
    n
}

fn kind_str(k: TierKind) -> &'static str {
    match k {
        TierKind::Public => "public",
        TierKind::Private => "private",
        TierKind::Isolated => "isolated",
    }
}

/// One tier being formed: its subnets by zone.
struct Group {
    name: String,
    class: Class,
    prefix: u8,
    subnets: BTreeMap<String, (Cidr, usize)>,
}

/// Reads tiers, zones, NAT and the allocation from the snapshot.
pub(super) fn network(snap: &Snapshot, notes: &mut Vec<Note>) -> Network {
    let main = snap.route_tables.iter().find(|t| t.main);
    let table_of = |subnet: &str| -> Option<&LiveRouteTable> {
        snap.route_tables
            .iter()
            .find(|t| t.subnets.iter().any(|s| s == subnet))
            .or(main)
    };
    for t in &snap.route_tables {
        for r in &t.routes {
            if let LiveTarget::Other(what) = &r.target {
                notes.push(Note::new(
                    "IMP002",
                    NoteKind::Kept,
                    &t.id,
                    format!(
                        "route {} → {what}: a design has no such target; the route stays as it is, and run leaves it alone",
                        r.destination
                    ),
                ));
            }
        }
    }

    let mut labels: Vec<String> = snap.subnets.iter().map(raw_label).collect();
    strip_common_prefix(&mut labels);
    let mut groups: Vec<Group> = Vec::new();
    let unmanaged = Vec::new();
    for (i, s) in snap.subnets.iter().enumerate() {
        let Ok(cidr) = s.cidr.parse::<Cidr>() else {
            notes.push(Note::new(
                "IMP001",
                NoteKind::NotExpressible,
                &s.id,
                format!(
                    "subnet block {:?} is not an IPv4 block the planner reads; left alone",
                    s.cidr
                ),
            ));
            continue;
        };
        let class = table_of(&s.id).map_or(
            Class {
                kind: TierKind::Isolated,
                nat: None,
                ipv6_from_internet: false,
            },
            classify,
        );
        let base = tier_name(&labels[i], kind_str(class.kind));
        // A private tier's NAT differs per zone; the tier is one whatever NAT serves it.
        let same = |g: &Group| {
            g.class.kind == class.kind
                && g.class.ipv6_from_internet == class.ipv6_from_internet
                && g.prefix == cidr.prefix_len()
                && g.name.split_once('~').map_or(g.name.as_str(), |(b, _)| b) == base
                && !g.subnets.contains_key(&s.availability_zone)
        };
        match groups.iter_mut().find(|g| same(g)) {
            Some(g) => {
                g.subnets.insert(s.availability_zone.clone(), (cidr, i));
            }
            None => {
                let n = groups
                    .iter()
                    .filter(|g| g.name.split_once('~').map_or(g.name.as_str(), |(b, _)| b) == base)
                    .count();
                groups.push(Group {
                    name: format!("{base}~{n}"),
                    class: class.clone(),
                    prefix: cidr.prefix_len(),
                    subnets: [(s.availability_zone.clone(), (cidr, i))].into(),
                });
            }
        }
    }
    // Names: the base, then `-2`, `-3`… for further tiers of one base; unique overall.
    let mut used: BTreeSet<String> = BTreeSet::new();
    for g in &mut groups {
        let (base, n) = g.name.split_once('~').expect("set above");
        let mut name = if n == "0" {
            base.to_owned()
        } else {
            format!("{base}-{}", n.parse::<usize>().unwrap_or(0) + 1)
        };
        let mut k = 2;
        while used.contains(&name) {
            name = format!("{base}-{k}");
            k += 1;
        }
        used.insert(name.clone());
        g.name = name;
    }

    // NAT: what the subnets' tables use (each zone's table may use its own).
    let nat_targets: BTreeSet<String> = snap
        .subnets
        .iter()
        .filter_map(|s| table_of(&s.id).and_then(|t| classify(t).nat))
        .collect();
    let nat_gateways: Vec<&super::snapshot::LiveNatGateway> = snap
        .nat_gateways
        .iter()
        .filter(|n| nat_targets.contains(&n.id))
        .collect();
    let az_of_subnet = |id: &str| {
        snap.subnets
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.availability_zone.clone())
    };
    let instances = nat_targets.iter().filter(|t| t.starts_with("i-")).count();
    let nat = match (nat_gateways.len(), instances) {
        (0, 0) => NatStrategy::None,
        (1, 0) => NatStrategy::SingleGateway,
        (_, 0) => NatStrategy::GatewayPerAz,
        (0, 1) => NatStrategy::SingleInstance,
        _ => NatStrategy::InstancePerAz,
    };
    if instances > 0 {
        for t in nat_targets.iter().filter(|t| t.starts_with("i-")) {
            notes.push(Note::new(
                "IMP006",
                NoteKind::Changes,
                t,
                "a NAT instance: a design launches its own NAT instances, so run would start the design's and move the private tables' default route to it; this one is left running".to_owned(),
            ));
        }
    }
    for n in snap.nat_gateways.iter().filter(|n| n.private) {
        notes.push(Note::new(
            "IMP006",
            NoteKind::Kept,
            &n.id,
            "a private NAT gateway: a design has none; left alone".to_owned(),
        ));
    }

    // Zones: the single NAT's first, then by name.
    let mut azs: Vec<String> = groups
        .iter()
        .flat_map(|g| g.subnets.keys().cloned())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let first_nat_az = nat_gateways.first().and_then(|n| az_of_subnet(&n.subnet));
    if nat.is_single() {
        if let Some(az) = &first_nat_az {
            azs.retain(|a| a != az);
            azs.insert(0, az.clone());
        }
    }
    // The tier hosting a NAT gateway goes first among public tiers.
    let host_subnets: BTreeSet<&str> = nat_gateways.iter().map(|n| n.subnet.as_str()).collect();
    let hosts = |g: &Group| {
        g.subnets
            .values()
            .any(|(_, i)| host_subnets.contains(snap.subnets[*i].id.as_str()))
    };
    let rank = |k: TierKind| match k {
        TierKind::Public => 0,
        TierKind::Private => 1,
        TierKind::Isolated => 2,
    };
    groups.sort_by_key(|g| {
        (
            rank(g.class.kind),
            !hosts(g),
            g.subnets.values().map(|(c, _)| *c).min(),
        )
    });

    let mut out = Network {
        tiers: Vec::new(),
        azs: azs.clone(),
        nat,
        allocation: Allocation::default(),
        unmanaged,
        subnet_tier: BTreeMap::new(),
        tables: BTreeMap::new(),
    };
    for g in &groups {
        // The zones a tier holds must be the first of the design's.
        let covered = azs
            .iter()
            .take_while(|a| g.subnets.contains_key(*a))
            .count();
        for (az, (cidr, i)) in &g.subnets {
            let s = &snap.subnets[*i];
            if azs
                .iter()
                .position(|a| a == az)
                .is_some_and(|p| p >= covered)
            {
                notes.push(Note::new(
                    "IMP001",
                    NoteKind::Kept,
                    &s.id,
                    format!(
                        "subnet {cidr} in {az}: tier {} has no subnet in an earlier zone of {}, which a tier cannot express; its block is kept as unmanaged and run leaves it alone",
                        g.name,
                        azs.join(", ")
                    ),
                ));
                out.unmanaged.push(InUseCidr {
                    cidr: *cidr,
                    description: format!(
                        "{} ({})",
                        s.id,
                        s.tags.get("Name").cloned().unwrap_or_default()
                    ),
                });
            }
        }
        if covered == 0 {
            continue;
        }
        let tier_azs = &azs[..covered];
        let tables: Vec<Option<&LiveRouteTable>> = tier_azs
            .iter()
            .map(|az| table_of(&snap.subnets[g.subnets[az].1].id))
            .collect();
        let distinct: BTreeSet<&str> = tables.iter().flatten().map(|t| t.id.as_str()).collect();
        let per_az = distinct.len() > 1;
        let public_default = g.class.kind == TierKind::Public;
        let maps_public: BTreeSet<bool> = tier_azs
            .iter()
            .map(|az| snap.subnets[g.subnets[az].1].map_public_ip_on_launch)
            .collect();
        let public_ip = match maps_public.iter().next() {
            Some(&m) if maps_public.len() == 1 && m != public_default => Some(m),
            _ => None,
        };
        out.tiers.push(Tier {
            name: g.name.clone(),
            kind: g.class.kind,
            size: SubnetSize::Prefix(g.prefix),
            max_azs: (covered < azs.len()).then(|| u8::try_from(covered).unwrap_or(u8::MAX)),
            reserve: 0,
            ipv6_from_internet: g.class.ipv6_from_internet,
            route_table_per_az: per_az,
            public_ip_on_launch: public_ip,
        });
        for (az, table) in tier_azs.iter().zip(&tables) {
            let (cidr, i) = g.subnets[az];
            let s = &snap.subnets[i];
            out.subnet_tier
                .insert(s.id.clone(), (g.name.clone(), az.clone()));
            out.allocation.subnets.push(SubnetAllocation {
                tier: g.name.clone(),
                availability_zone: az.clone(),
                cidr,
                ipv6_index: ipv6_index(snap, s),
                usable_addresses: cidr.aws_usable(),
                first_usable: cidr.aws_usable_range().map(|r| r.0),
                last_usable: cidr.aws_usable_range().map(|r| r.1),
            });
            let Some(t) = table else {
                continue;
            };
            if !t.subnets.contains(&s.id) {
                notes.push(Note::new(
                    "IMP005",
                    NoteKind::Changes,
                    &s.id,
                    format!("subnet {cidr} uses the main route table {} without an association; once adopted, run associates it explicitly (same routes)", t.id),
                ));
            }
            let serves = (g.name.clone(), per_az.then(|| az.clone()));
            match out.tables.get(&t.id) {
                None => {
                    out.tables.insert(t.id.clone(), serves);
                }
                Some(other) if *other == serves => {}
                Some((other, _)) => notes.push(Note::new(
                    "IMP005",
                    NoteKind::Changes,
                    &t.id,
                    format!("route table shared by tiers {other} and {}: a design gives each tier its own, so run would create one for {} and move its subnets to it", g.name, g.name),
                )),
            }
        }
    }
    out
}

/// Which /64 of the VPC's Amazon-provided /56 the subnet has.
fn ipv6_index(snap: &Snapshot, s: &LiveSubnet) -> Option<u8> {
    let vpc: ipnet::Ipv6Net = snap.vpc.ipv6_cidr.as_deref()?.parse().ok()?;
    let sub: ipnet::Ipv6Net = s.ipv6_cidr.as_deref()?.parse().ok()?;
    if vpc.prefix_len() != 56 || sub.prefix_len() != 64 || !vpc.contains(&sub) {
        return None;
    }
    let bits = u128::from(sub.network());
    u8::try_from((bits >> 64) & 0xff).ok()
}
