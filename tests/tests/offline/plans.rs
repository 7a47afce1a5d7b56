//! Snapshot of every fixture design's plan and findings, plus stability checks across edits.

use planner_core::{plan, Design, SubnetSize, Tier, TierKind};

#[test]
fn fixture_plans_match_their_snapshots() {
    for path in tests::fixture_files("designs") {
        let design = tests::design(&path);
        let planned = plan(&design, None).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let findings: Vec<String> = planned
            .diagnostics
            .iter()
            .map(ToString::to_string)
            .collect();
        insta::with_settings!({
            snapshot_path => tests::fixtures().join("snapshots"),
            prepend_module_to_snapshot => false,
            snapshot_suffix => tests::stem(&path),
            omit_expression => true,
        }, {
            insta::assert_snapshot!("plan", planned.plan.to_json());
            insta::assert_snapshot!("findings", findings.join("\n"));
        });
    }
}

#[test]
fn replanning_a_plan_changes_nothing() {
    for path in tests::fixture_files("designs") {
        let design = tests::design(&path);
        let first = plan(&design, None).unwrap().plan;
        let again = plan(&first.design, Some(&first.allocation)).unwrap().plan;
        assert_eq!(first.to_json(), again.to_json(), "{}", path.display());
        assert!(planner_core::validate(&first)
            .unwrap()
            .iter()
            .all(|d| d.code != "EXE001"));
    }
}

fn subnets(p: &planner_core::Plan) -> Vec<(String, String, String)> {
    p.allocation
        .subnets
        .iter()
        .map(|s| {
            (
                s.tier.clone(),
                s.availability_zone.clone(),
                s.cidr.to_string(),
            )
        })
        .collect()
}

fn three_tier() -> Design {
    tests::design(&tests::fixtures().join("designs/three-tier.json"))
}

/// The CDK renumbers subnets when a group is added (aws/aws-cdk#28644); here nothing moves.
#[test]
fn adding_a_tier_first_in_the_list_moves_nothing() {
    let before = plan(&three_tier(), None).unwrap().plan;
    let mut design = three_tier();
    design.tiers.insert(
        0,
        Tier {
            name: "edge".into(),
            kind: TierKind::Public,
            size: SubnetSize::Prefix(20),
            max_azs: None,
            reserve: 0,
            ipv6_from_internet: false,
            route_table_per_az: false,
            public_ip_on_launch: None,
        },
    );
    let after = plan(&design, Some(&before.allocation)).unwrap().plan;
    let after_subnets = subnets(&after);
    for s in subnets(&before) {
        assert!(after_subnets.contains(&s), "{s:?} moved");
    }
    assert_eq!(after_subnets.len(), before.allocation.subnets.len() + 3);
}

/// Adding an AZ takes the tier's reserved slot, next to its siblings (aws/aws-cdk#6683).
#[test]
fn adding_an_az_uses_the_reserved_slot() {
    let before = plan(&three_tier(), None).unwrap().plan;
    let mut design = three_tier();
    design.availability_zones = Some(planner_core::AvailabilityZones::Count(4));
    design.reserved_az_slots = 0;
    let after = plan(&design, Some(&before.allocation)).unwrap().plan;
    for s in subnets(&before) {
        assert!(subnets(&after).contains(&s), "{s:?} moved");
    }
    for r in before.allocation.reserved.iter().filter(|r| r.tier != "db") {
        let d = after
            .allocation
            .subnets
            .iter()
            .find(|s| s.tier == r.tier && s.availability_zone == "us-east-1d")
            .expect("new AZ has a subnet");
        assert_eq!(
            d.cidr, r.cidr,
            "tier {} did not take its reserved block",
            r.tier
        );
    }
}

/// Removing a tier frees its blocks (and its reserved ones) for the next tier.
#[test]
fn removing_a_tier_frees_its_blocks() {
    let before = plan(&three_tier(), None).unwrap().plan;
    let app: Vec<String> = before
        .allocation
        .subnets
        .iter()
        .filter(|s| s.tier == "app")
        .map(|s| s.cidr.to_string())
        .collect();
    assert_eq!(app, ["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20"]);
    let mut design = three_tier();
    design.tiers.retain(|t| t.name != "app");
    design.tiers.push(Tier {
        name: "batch".into(),
        kind: TierKind::Isolated,
        size: SubnetSize::Prefix(18),
        max_azs: Some(1),
        reserve: 0,
        ipv6_from_internet: false,
        route_table_per_az: false,
        public_ip_on_launch: None,
    });
    design.reserved_az_slots = 0;
    let after = plan(&design, Some(&before.allocation)).unwrap().plan;
    let batch = after
        .allocation
        .subnets
        .iter()
        .find(|s| s.tier == "batch")
        .unwrap();
    // 10.0.0.0/18 is exactly app's three subnets plus its reserved block.
    assert_eq!(batch.cidr.to_string(), "10.0.0.0/18");
    for s in before.allocation.subnets.iter().filter(|s| s.tier != "app") {
        assert!(after.allocation.subnets.contains(s), "{s:?} moved");
    }
}

#[test]
fn a_design_that_cannot_fit_says_what_would() {
    let mut design = three_tier();
    design.vpc.as_mut().unwrap().cidr = "10.0.0.0/20".parse().unwrap();
    design.reserved_az_slots = 0;
    design.tiers[2].reserve = 0;
    let err = plan(&design, None).unwrap_err().to_string();
    assert!(err.contains("needs 13248 addresses (a /18)"), "{err}");
    assert!(err.contains("the VPC is a /20"), "{err}");
    assert!(err.contains("use 10.0.0.0/18"), "{err}");
    assert!(err.contains("shrink tier app to /22"), "{err}");
}
