//! Planning speed: a small everyday design, a large one, and re-planning the large one with its
//! previous allocation (the path every `executor plan` after the first takes); and exporting
//! the large one as Terraform, and both as CloudFormation templates.
//!
//! Run with `cargo bench -p planner-core --bench plan`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use planner_core::{plan, AvailabilityZones, Design, NatStrategy, SubnetSize, Tier, TierKind, Vpc};

fn tier(name: &str, kind: TierKind, prefix: u8) -> Tier {
    Tier {
        name: name.to_owned(),
        kind,
        size: SubnetSize::Prefix(prefix),
        max_azs: None,
        reserve: 0,
        ipv6_from_internet: false,
        route_table_per_az: false,
        public_ip_on_launch: None,
    }
}

fn design(name: &str, azs: u8, tiers: Vec<Tier>) -> Design {
    Design {
        name: name.to_owned(),
        region: "us-east-1".to_owned(),
        vpc: Some(Vpc::new("10.0.0.0/16".parse().expect("a valid CIDR"))),
        availability_zones: Some(AvailabilityZones::Count(azs)),
        reserved_az_slots: 0,
        tiers,
        nat: NatStrategy::GatewayPerAz,
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

/// 10.0.0.0/16, 3 AZs: public /24, private /20, isolated /24, a NAT gateway per AZ.
fn three_az_three_tier() -> Design {
    design(
        "bench-small",
        3,
        vec![
            tier("web", TierKind::Public, 24),
            tier("app", TierKind::Private, 20),
            tier("db", TierKind::Isolated, 24),
        ],
    )
}

/// 10.0.0.0/16, 6 AZs, 30 /24 tiers cycling public, private, isolated: 180 subnets.
fn six_az_thirty_tier() -> Design {
    let kinds = [TierKind::Public, TierKind::Private, TierKind::Isolated];
    design(
        "bench-large",
        6,
        (0..30)
            .map(|i| tier(&format!("tier{i:02}"), kinds[i % kinds.len()], 24))
            .collect(),
    )
}

fn benches(c: &mut Criterion) {
    let small = three_az_three_tier();
    let large = six_az_thirty_tier();
    let previous = plan(&large, None)
        .expect("the large design fits")
        .plan
        .allocation;
    assert_eq!(previous.subnets.len(), 180);
    plan(&small, None).expect("the small design fits");

    let mut group = c.benchmark_group("plan");
    group.bench_function("3az_3tier", |b| {
        b.iter(|| plan(black_box(&small), None).expect("fits"))
    });
    group.bench_function("6az_30tier_180_subnets", |b| {
        b.iter(|| plan(black_box(&large), None).expect("fits"))
    });
    group.finish();

    let mut group = c.benchmark_group("replan");
    group.bench_function("6az_30tier_with_previous", |b| {
        b.iter(|| plan(black_box(&large), Some(black_box(&previous))).expect("fits"))
    });
    group.finish();

    let large_plan = plan(&large, None).expect("fits").plan;
    let mut group = c.benchmark_group("export");
    group.bench_function("export_terraform", |b| {
        b.iter(|| planner_core::export::terraform::files(black_box(&large_plan)).expect("exports"))
    });
    group.finish();
}

/// The CloudFormation export: the large design's template is over CloudFormation's 500
/// resources, so `template` refuses it; this measures building it and writing it out, the
/// work `template` does before counting.
fn export(c: &mut Criterion) {
    use planner_core::export::cloudformation::{template, template_value};
    let small = plan(&three_az_three_tier(), None).expect("fits").plan;
    let large = plan(&six_az_thirty_tier(), None).expect("fits").plan;
    let mut group = c.benchmark_group("export_cloudformation");
    group.bench_function("3az_3tier", |b| {
        b.iter(|| template(black_box(&small)).expect("exports"))
    });
    group.bench_function("6az_30tier_180_subnets", |b| {
        b.iter(|| {
            let t = template_value(black_box(&large)).expect("exports");
            serde_json::to_string_pretty(&t).expect("serializes")
        })
    });
    group.finish();
}

criterion_group!(plan_benches, benches, export);
criterion_main!(plan_benches);
