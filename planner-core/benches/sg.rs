//! Security-group graph at scale: 500 groups and 5,000 rules, exposure report plus the
//! all-pairs matrix (250,000 ordered pairs); then the same over 50 tiers each in a network ACL
//! of its own with 20 rules in each direction, so every pair's flows also cross the ACLs of
//! their subnets both ways. Aim: under 50 ms each.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use planner_core::analysis::sg_graph::Graph;
use planner_core::design::acl::{AclAction, AclRule, NetworkAcl};
use planner_core::design::sg::{
    Attachment, Ipv6Block, MemberRole, Peer, PortRange, Protocol, Rule, SecurityGroup,
};
use planner_core::{parse_design, plan};

const GROUPS: usize = 500;
const RULES_PER_GROUP: usize = 10;
const ACL_TIERS: usize = 50;
const ACL_RULES_PER_DIRECTION: usize = 20;

fn design() -> planner_core::Design {
    let mut d = parse_design(
        r#"{"name": "bench", "region": "us-east-1", "vpc": {"cidr": "10.0.0.0/16"},
            "availability_zones": 3, "nat": "gateway_per_az",
            "tiers": [{"name": "public", "kind": "public", "size": {"prefix": 24}},
                      {"name": "private", "kind": "private", "size": {"prefix": 20}},
                      {"name": "data", "kind": "isolated", "size": {"prefix": 24}}]}"#,
    )
    .expect("bench design parses");
    add_groups(&mut d, &["public", "private", "data"]);
    d
}

/// 50 tiers of /24 in three zones (a public one, then private and isolated ones), the groups
/// spread over them, and one network ACL per tier: rules for the groups' ports from the VPC
/// and the internet, a few denies, and the replies' ephemeral range.
fn design_with_acls() -> planner_core::Design {
    let tiers: Vec<String> = (0..ACL_TIERS).map(|t| format!("t{t}")).collect();
    let tier_json: Vec<String> = tiers
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let kind = match i % 3 {
                0 => "public",
                1 => "private",
                _ => "isolated",
            };
            format!(r#"{{"name": "{t}", "kind": "{kind}", "size": {{"prefix": 24}}}}"#)
        })
        .collect();
    let mut d = parse_design(&format!(
        r#"{{"name": "bench", "region": "us-east-1", "vpc": {{"cidr": "10.0.0.0/16"}},
            "availability_zones": 3, "nat": "gateway_per_az", "tiers": [{}]}}"#,
        tier_json.join(", ")
    ))
    .expect("bench design parses");
    let names: Vec<&str> = tiers.iter().map(String::as_str).collect();
    add_groups(&mut d, &names);
    let rule = |n: usize, action: AclAction, protocol: Protocol, ports: PortRange, cidr: &str| {
        let (cidr, ipv6_cidr) = if cidr.contains(':') {
            (None, Some(Ipv6Block(cidr.parse().expect("valid"))))
        } else {
            (Some(cidr.parse().expect("valid")), None)
        };
        AclRule {
            rule_number: 10 * (n as u32 + 1),
            action,
            protocol,
            ports: Some(ports),
            cidr,
            ipv6_cidr,
            description: String::new(),
        }
    };
    let rules = |a: usize, replies_first: bool| -> Vec<AclRule> {
        (0..ACL_RULES_PER_DIRECTION)
            .map(|k| {
                let port = 1000 + ((k % 10) as u16) * 100 + ((a + k) % 50) as u16;
                match k {
                    // The replies, early or late.
                    0 if replies_first => rule(
                        k,
                        AclAction::Allow,
                        Protocol::Tcp,
                        PortRange {
                            from: 1024,
                            to: 65535,
                        },
                        "0.0.0.0/0",
                    ),
                    19 => rule(
                        k,
                        AclAction::Allow,
                        Protocol::Tcp,
                        PortRange {
                            from: 1024,
                            to: 65535,
                        },
                        "0.0.0.0/0",
                    ),
                    1 | 7 => rule(
                        k,
                        AclAction::Deny,
                        Protocol::Tcp,
                        PortRange::one(port),
                        &format!("10.0.{}.0/24", (a * 3 + k) % 150),
                    ),
                    2 => rule(
                        k,
                        AclAction::Deny,
                        Protocol::Udp,
                        PortRange { from: 0, to: 1023 },
                        "0.0.0.0/0",
                    ),
                    3 | 9 | 15 => rule(
                        k,
                        AclAction::Allow,
                        Protocol::Tcp,
                        PortRange::one(port),
                        "0.0.0.0/0",
                    ),
                    4 => rule(
                        k,
                        AclAction::Allow,
                        Protocol::Udp,
                        PortRange {
                            from: 1024,
                            to: 65535,
                        },
                        "10.0.0.0/16",
                    ),
                    5 => rule(
                        k,
                        AclAction::Allow,
                        Protocol::Tcp,
                        PortRange::one(port),
                        "::/0",
                    ),
                    6 => rule(
                        k,
                        AclAction::Deny,
                        Protocol::Tcp,
                        PortRange::one(22),
                        "0.0.0.0/0",
                    ),
                    _ => rule(
                        k,
                        AclAction::Allow,
                        Protocol::Tcp,
                        PortRange {
                            from: port,
                            to: port + 50,
                        },
                        "10.0.0.0/16",
                    ),
                }
            })
            .collect()
    };
    d.network_acls = (0..ACL_TIERS)
        .map(|a| NetworkAcl {
            name: format!("acl{a}"),
            tiers: vec![tiers[a].clone()],
            ingress: rules(a, a % 2 == 0),
            egress: rules(a + 1, a % 3 != 0),
        })
        .collect();
    d
}

fn add_groups(d: &mut planner_core::Design, tiers: &[&str]) {
    let n = tiers.len();
    d.security_groups = (0..GROUPS)
        .map(|i| SecurityGroup {
            name: format!("g{i}"),
            description: format!("group {i}"),
            attached_to: vec![Attachment {
                role: MemberRole::App,
                tier: tiers[i % n].to_owned(),
                name: Some(format!("m{i}")),
                public_address: None,
            }],
            ingress: (0..RULES_PER_GROUP)
                .map(|k| {
                    let peer = match k % 5 {
                        0 => Peer::Internet,
                        1 => Peer::Tier(tiers[(i + k) % n].to_owned()),
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

    let plan = planner_core::plan(&design_with_acls(), None)
        .expect("bench design with ACLs plans")
        .plan;
    let acl_rules: usize = plan
        .design
        .network_acls
        .iter()
        .map(|a| a.ingress.len() + a.egress.len())
        .sum();
    assert_eq!(
        (plan.design.network_acls.len(), acl_rules),
        (ACL_TIERS, ACL_TIERS * 2 * ACL_RULES_PER_DIRECTION)
    );
    {
        let graph = Graph::new(&plan);
        let matrix = graph.matrix();
        // The ACLs decide something: some pairs get through, some are stopped.
        assert!(!matrix.cells.is_empty() && !matrix.blocked.is_empty());
    }
    c.bench_function("sg/500_groups_5000_rules_50_acls/exposure+matrix", |b| {
        b.iter(|| {
            let graph = Graph::new(black_box(&plan));
            (
                graph.exposure_report().exposed.len(),
                graph.matrix().cells.len(),
            )
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
