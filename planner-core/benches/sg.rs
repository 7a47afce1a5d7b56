//! Security-group graph at scale: 500 groups and 5,000 rules, exposure report plus the
//! all-pairs matrix (250,000 ordered pairs). Aim: under 50 ms.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use planner_core::analysis::sg_graph::Graph;
use planner_core::design::sg::{
    Attachment, MemberRole, Peer, PortRange, Protocol, Rule, SecurityGroup,
};
use planner_core::{parse_design, plan};

const GROUPS: usize = 500;
const RULES_PER_GROUP: usize = 10;

fn design() -> planner_core::Design {
    let mut d = parse_design(
        r#"{"name": "bench", "region": "us-east-1", "vpc": {"cidr": "10.0.0.0/16"},
            "availability_zones": 3, "nat": "gateway_per_az",
            "tiers": [{"name": "public", "kind": "public", "size": {"prefix": 24}},
                      {"name": "private", "kind": "private", "size": {"prefix": 20}},
                      {"name": "data", "kind": "isolated", "size": {"prefix": 24}}]}"#,
    )
    .expect("bench design parses");
    let tiers = ["public", "private", "data"];
    d.security_groups = (0..GROUPS)
        .map(|i| SecurityGroup {
            name: format!("g{i}"),
            description: format!("group {i}"),
            attached_to: vec![Attachment {
                role: MemberRole::App,
                tier: tiers[i % 3].to_owned(),
                name: Some(format!("m{i}")),
                public_address: None,
            }],
            ingress: (0..RULES_PER_GROUP)
                .map(|k| {
                    let peer = match k % 5 {
                        0 => Peer::Internet,
                        1 => Peer::Tier(tiers[(i + k) % 3].to_owned()),
                        2 => Peer::Cidr(
                            format!("10.{}.0.0/16", (i + k) % 200)
                                .parse()
                                .expect("valid"),
                        ),
                        _ => Peer::Group(format!("g{}", (i * 7 + k * 13) % GROUPS)),
                    };
                    Rule {
                        protocol: if k % 4 == 3 {
                            Protocol::Udp
                        } else {
                            Protocol::Tcp
                        },
                        ports: Some(PortRange::one(1000 + (k as u16) * 100 + (i % 50) as u16)),
                        peer,
                        description: String::new(),
                    }
                })
                .collect(),
            egress: Vec::new(),
            default_egress: i % 10 != 0,
        })
        .collect();
    d
}

fn bench(c: &mut Criterion) {
    let plan = plan(&design(), None).expect("bench design plans").plan;
    let rules = plan
        .design
        .security_groups
        .iter()
        .map(|g| g.ingress.len())
        .sum::<usize>();
    assert_eq!(
        (plan.design.security_groups.len(), rules),
        (GROUPS, GROUPS * RULES_PER_GROUP)
    );
    c.bench_function("sg/500_groups_5000_rules/exposure+matrix", |b| {
        b.iter(|| {
            let graph = Graph::new(black_box(&plan));
            (graph.exposure().len(), graph.matrix().cells.len())
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
