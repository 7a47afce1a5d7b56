//! Importing whatever an account may hold: random VPCs (subnets of mixed sizes and zones,
//! route tables with any default route, NAT gateways anywhere, groups whose rules point at
//! each other, blocks or prefix lists) all import, never panicking, and each subnet a tier
//! holds is planned at its live block and zone; none vanishes.

use planner_core::import::snapshot::{
    LiveGroup, LiveNatGateway, LivePeer, LiveRoute, LiveRouteTable, LiveRule, LiveSubnet,
    LiveTarget, LiveVpc, Snapshot,
};
use proptest::prelude::*;

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

/// One subnet: which /N slot of 10.0.0.0/16, which zone, which name, which table.
fn subnet() -> impl Strategy<Value = (u8, u32, u8, u8, usize)> {
    (20u8..=26, 0u32..64, 0u8..3, 0u8..4, 0usize..4)
}

fn snapshot() -> impl Strategy<Value = Snapshot> {
    (
        prop::collection::vec(subnet(), 0..10),
        prop::collection::vec(0u8..5, 4),
        prop::collection::vec((0usize..10, any::<bool>()), 0..3),
        prop::collection::vec((0u8..4, 0u16..1024, 0u8..5), 0..12),
    )
        .prop_map(|(subnets, defaults, nats, rules)| {
            let names = ["web", "app", "db", "Data Tier"];
            let mut snap = Snapshot {
                region: "us-east-1".into(),
                vpc: LiveVpc {
                    id: "vpc-1".into(),
                    cidr: "10.0.0.0/16".into(),
                    dns_support: true,
                    dns_hostnames: true,
                    ..LiveVpc::default()
                },
                ..Snapshot::default()
            };
            let mut used: Vec<ipnet::Ipv4Net> = Vec::new();
            let mut tables: Vec<Vec<String>> = vec![Vec::new(); 4];
            for (i, (prefix, slot, zone, name, table)) in subnets.into_iter().enumerate() {
                let size = 1u32 << (32 - u32::from(prefix));
                let base = 0x0a00_0000u32 + (slot * size) % 0x1_0000;
                let net = ipnet::Ipv4Net::new(base.into(), prefix).unwrap().trunc();
                if used
                    .iter()
                    .any(|u| u.contains(&net.network()) || net.contains(&u.network()))
                {
                    continue;
                }
                used.push(net);
                let id = format!("subnet-{i}");
                let zone = ["us-east-1a", "us-east-1b", "us-east-1c"][usize::from(zone)];
                snap.subnets.push(LiveSubnet {
                    id: id.clone(),
                    cidr: net.to_string(),
                    availability_zone: zone.into(),
                    tags: [(
                        "Name".to_owned(),
                        format!("{}-{zone}", names[usize::from(name)]),
                    )]
                    .into(),
                    ..LiveSubnet::default()
                });
                tables[table].push(id);
            }
            for (n, (at, private)) in nats.into_iter().enumerate() {
                if let Some(s) = snap.subnets.get(at) {
                    snap.nat_gateways.push(LiveNatGateway {
                        id: format!("nat-{n}"),
                        subnet: s.id.clone(),
                        allocation_id: Some(format!("eipalloc-{n}")),
                        private,
                    });
                }
            }
            snap.internet_gateway = Some("igw-1".into());
            for (t, subnets) in tables.into_iter().enumerate() {
                let target = match defaults[t] {
                    0 => None,
                    1 => Some(LiveTarget::InternetGateway("igw-1".into())),
                    2 => Some(LiveTarget::NatGateway("nat-0".into())),
                    3 => Some(LiveTarget::NatGateway("nat-1".into())),
                    _ => Some(LiveTarget::Other("transit gateway tgw-1".into())),
                };
                let mut routes = vec![LiveRoute {
                    destination: "10.0.0.0/16".into(),
                    target: LiveTarget::Local,
                }];
                routes.extend(target.map(|target| LiveRoute {
                    destination: "0.0.0.0/0".into(),
                    target,
                }));
                snap.route_tables.push(LiveRouteTable {
                    id: format!("rtb-{t}"),
                    main: t == 0,
                    subnets,
                    routes,
                    ..LiveRouteTable::default()
                });
            }
            for (g, name) in names.iter().enumerate() {
                snap.security_groups.push(LiveGroup {
                    id: format!("sg-{g}"),
                    name: (*name).into(),
                    description: format!("{name} group"),
                    ..LiveGroup::default()
                });
            }
            for (i, (g, port, peer)) in rules.into_iter().enumerate() {
                let peer = match peer {
                    0 => LivePeer::Ipv4("0.0.0.0/0".into()),
                    1 => LivePeer::Group(format!("sg-{}", (g + 1) % 4)),
                    2 => LivePeer::PrefixList("pl-1".into()),
                    3 => LivePeer::Ipv4("10.0.0.0/16".into()),
                    _ => LivePeer::Group("sg-elsewhere".into()),
                };
                snap.security_groups[usize::from(g)].rules.push(LiveRule {
                    id: format!("sgr-{i}"),
                    egress: port % 2 == 0,
                    protocol: if port % 7 == 0 {
                        "50".into()
                    } else {
                        "tcp".into()
                    },
                    from: i32::from(port),
                    to: i32::from(port),
                    peer,
                    description: String::new(),
                });
            }
            snap
        })
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn importing_never_panics_and_never_moves_a_subnet(snap in snapshot()) {
        // Every snapshot here is a state AWS allows: each imports.
        let imported = match planner_core::import::import(&snap, "brown") {
            Ok(i) => i,
            Err(e) => return Err(TestCaseError::fail(format!("{e}"))),
        };
        let plan = &imported.planned.plan;
        for (plan_id, live_id) in &plan.design.imports {
            let Some(live) = snap.subnets.iter().find(|s| s.id == *live_id) else { continue };
            let Some(planner_core::ResourceKind::Subnet { cidr_block, availability_zone, .. }) =
                plan.resource(plan_id).map(|r| &r.kind)
            else {
                return Err(TestCaseError::fail(format!("{plan_id} names {live_id} but is no subnet")));
            };
            prop_assert_eq!(cidr_block.to_string(), live.cidr.clone());
            prop_assert_eq!(availability_zone, &live.availability_zone);
        }
        // Every live subnet is either planned where it is, kept as unmanaged, or noted.
        for s in &snap.subnets {
            let planned = plan.design.imports.values().any(|v| *v == s.id);
            let kept = plan.design.unmanaged_blocks.iter().any(|b| b.cidr.to_string() == s.cidr);
            let noted = imported.notes.iter().any(|n| n.aws_id == s.id);
            prop_assert!(planned || kept || noted, "{} vanished", s.id);
        }
    }
}
