//! The topology diagram against every preset and NAT strategy: complete, escaped, well-formed
//! and deterministic.

use planner_core::resource::InstanceRole;
use planner_core::{Planned, ResourceKind};
use serde_json::json;

use super::svg::check_well_formed;
use super::topology_svg;
use crate::draw::labels::thousands;

fn preset(name: &str, set: &[(&str, &str)]) -> Planned {
    let design = planner_core::presets::build(name, set).unwrap();
    planner_core::plan(&design, None).unwrap()
}

fn small(nat: &str, extra: serde_json::Value) -> Planned {
    let mut doc = json!({
        "name": "small", "region": "eu-west-1", "vpc": {"cidr": "10.1.0.0/20"},
        "availability_zones": 2, "nat": nat,
        "tiers": [
            {"name": "web", "kind": "public", "size": {"prefix": 24}},
            {"name": "app", "kind": "private", "size": {"prefix": 23}},
            {"name": "db", "kind": "isolated", "size": {"prefix": 26}, "max_azs": 1}
        ]
    });
    if let (Some(doc), Some(extra)) = (doc.as_object_mut(), extra.as_object()) {
        doc.extend(extra.clone());
    }
    let design = planner_core::parse_design(&doc.to_string()).unwrap();
    planner_core::plan(&design, None).unwrap()
}

/// NATs in the plan: gateways, NAT instances, and groups a route sends traffic to.
fn nats(p: &Planned) -> usize {
    let routed: Vec<&str> = p
        .plan
        .resources
        .iter()
        .filter_map(|r| match &r.kind {
            ResourceKind::Route { target, .. } => Some(target.id()),
            _ => None,
        })
        .collect();
    p.plan
        .resources
        .iter()
        .filter(|r| match &r.kind {
            ResourceKind::NatGateway { .. } => true,
            ResourceKind::Instance { role, .. } => *role == InstanceRole::NatInstance,
            ResourceKind::AutoscalingGroup { .. } => routed.contains(&r.id.as_str()),
            _ => false,
        })
        .count()
}

/// Whether something is titled `what name`, on one line or two.
fn titled(svg: &str, what: &str, name: &str) -> bool {
    svg.contains(&format!(">{what} {name}</text>"))
        || svg.contains(&format!(">{what}</text>")) && svg.contains(&format!(">{name}</text>"))
}

/// Everything every diagram must hold.
fn check(what: &str, p: &Planned) -> String {
    let svg = topology_svg(p);
    check_well_formed(&svg).unwrap_or_else(|e| panic!("{what}: {e}\n{svg}"));
    assert!(
        svg.starts_with(r#"<svg xmlns="http://www.w3.org/2000/svg" class="topology-svg"#),
        "{what}"
    );
    assert!(svg.contains("<title>"), "{what}");
    assert_eq!(svg, topology_svg(&p.clone()), "{what}: not deterministic");
    for s in &p.plan.allocation.subnets {
        let g = format!(
            r#"<g class="subnet" data-cidr="{}" data-tier="{}" data-az="{}""#,
            s.cidr, s.tier, s.availability_zone
        );
        assert!(svg.contains(&g), "{what}: no {g}");
        let usable = format!("{} usable</text>", thousands(s.usable_addresses));
        assert!(
            svg.contains(&format!(">{} · {usable}", s.cidr))
                || svg.contains(&format!(">{}</text>", s.cidr)) && svg.contains(&usable),
            "{what}: {}",
            s.cidr
        );
        if let Some(i) = s.ipv6_index {
            assert!(svg.contains(&format!("IPv6 /64 #{i}")), "{what}");
        }
    }
    for az in p.plan.design.az_names() {
        assert!(
            svg.contains(&format!(r#"<g class="az" data-az="{az}">"#)),
            "{what}: {az}"
        );
    }
    assert_eq!(
        svg.matches(r#"<g class="nat""#).count(),
        nats(p),
        "{what}: NATs"
    );
    let instances = p.plan.resources.iter().filter(|r| {
        matches!(&r.kind, ResourceKind::Instance { role, .. } if *role != InstanceRole::NatInstance)
    });
    assert_eq!(
        svg.matches(r#"<g class="instance"#).count(),
        instances.count(),
        "{what}"
    );
    assert!(!svg.contains("NaN"), "{what}");
    svg
}

#[test]
fn every_preset_is_drawn_whole() {
    for info in planner_core::presets::list() {
        let p = preset(info.name, &[]);
        let svg = check(info.name, &p);
        if p.plan.design.vpc.is_none() {
            assert!(svg.contains("no VPC"), "{}", info.name);
            assert!(!svg.contains(r#"class="az""#), "{}", info.name);
        } else {
            assert!(svg.contains(r#"<g class="gateway igw">"#), "{}", info.name);
        }
    }
}

#[test]
fn presets_show_their_nats_routes_and_instances() {
    let svg = check("tinystacks", &preset("tinystacks", &[]));
    assert_eq!(svg.matches("NAT group nat-").count(), 3);
    for az in ["a", "b", "c"] {
        assert!(svg.contains(&format!("0.0.0.0/0 → nat-{az}")), "{az}");
    }
    assert!(svg.contains("0.0.0.0/0 → igw"));
    let svg = check("informatica", &preset("informatica", &[]));
    assert!(titled(&svg, "jump host", "jump_host") && titled(&svg, "master node", "master_node"));
    assert!(svg.contains("NAT gateway nat-a"));
    let svg = check("titus", &preset("titus", &[("ipv6", "true")]));
    assert!(svg.contains("IPv6 /56") && svg.contains("::/0 → "), "{svg}");
    assert!(titled(&svg, "bastion", "titus-bastion"), "{svg}");
}

#[test]
fn every_nat_strategy_puts_its_nats_in_their_azs() {
    for (nat, extra, count) in [
        ("none", json!({}), 0),
        ("single_gateway", json!({}), 1),
        ("gateway_per_az", json!({}), 2),
        ("single_instance", json!({}), 1),
        ("instance_per_az", json!({}), 2),
        (
            "instance_per_az",
            json!({"nat_instances": {"autoscaling": true}}),
            2,
        ),
    ] {
        let what = format!("{nat} {extra}");
        let p = small(nat, extra);
        assert_eq!(nats(&p), count, "{what}");
        let svg = check(&what, &p);
        if count > 0 {
            assert!(
                svg.contains(r#"<g class="nat" data-az="eu-west-1a">"#),
                "{what}"
            );
            assert!(svg.contains("0.0.0.0/0 → nat-a"), "{what}");
        }
        let per_az = count == 2;
        assert_eq!(
            svg.contains(r#"<g class="nat" data-az="eu-west-1b">"#),
            per_az,
            "{what}"
        );
        assert_eq!(svg.contains("0.0.0.0/0 → nat-b"), per_az, "{what}");
        assert!(
            svg.contains("local routes only"),
            "{what}: the isolated tier"
        );
    }
}

#[test]
fn ipv6_routes_to_the_egress_only_gateway() {
    let p = small(
        "single_gateway",
        json!({"vpc": {"cidr": "10.1.0.0/20", "ipv6": true}}),
    );
    let svg = check("ipv6", &p);
    assert!(svg.contains(r#"<g class="gateway eigw">"#));
    assert!(svg.contains("::/0 → eigw") && svg.contains("::/0 → igw"));
}

#[test]
fn names_are_escaped() {
    let mut p = preset("informatica", &[]);
    p.plan.design.name = r#"x<y>&"z'"#.to_owned();
    for r in &mut p.plan.resources {
        if let ResourceKind::Instance { name, .. } = &mut r.kind {
            *name = "<script>alert(1)</script>".to_owned();
        }
    }
    let svg = check("escaped", &p);
    assert!(!svg.contains("<script>") && !svg.contains("x<y"));
    assert!(svg.contains("x&lt;y&gt;&amp;&quot;z&apos;"));
    assert!(svg.contains("&lt;script&gt;"));
}

#[test]
fn a_design_without_tiers_is_an_empty_vpc() {
    let design = planner_core::parse_design(
        r#"{"name": "bare", "region": "us-east-1", "vpc": {"cidr": "10.0.0.0/16"}, "availability_zones": 2}"#,
    )
    .unwrap();
    let p = planner_core::plan(&design, None).unwrap();
    let svg = check("bare", &p);
    assert!(svg.contains("no tiers") && svg.contains("no internet gateway"));
    assert_eq!(svg.matches(r#"<g class="az""#).count(), 2);
}

#[test]
fn subnets_wear_their_network_acl_or_the_default_acls_deny_all() {
    let acl = json!([{"name": "edge", "tiers": ["web"], "ingress": [
        {"rule_number": 100, "action": "allow", "protocol": "tcp", "ports": 443, "cidr": "0.0.0.0/0"}
    ]}]);
    let plain = check("no ACL", &small("none", json!({})));
    assert!(!plain.contains("acl-badge") && !plain.contains("network ACL"));
    let p = small("none", json!({"network_acls": acl}));
    let svg = check("an ACL", &p);
    assert_eq!(
        svg.matches(r#"<g class="acl-badge" data-acl="edge">"#)
            .count(),
        2,
        "web's two subnets"
    );
    assert!(svg.contains(">ACL edge</text>") && svg.contains(">network ACL</text>"));
    assert!(!svg.contains("deny-all"), "the default ACL is AWS's");
    let p = small(
        "none",
        json!({"network_acls": acl, "vpc": {"cidr": "10.1.0.0/20", "default_network_acl": "deny_all"}}),
    );
    let svg = check("deny all", &p);
    // app's two subnets and db's one keep the default ACL.
    assert_eq!(svg.matches(r#"<g class="acl-badge deny-all""#).count(), 3);
    assert_eq!(svg.matches(r#"data-acl="edge""#).count(), 2);
    assert!(svg.contains(">default: deny all</text>"));
}

/// The diagram's `width` attribute.
fn width(svg: &str) -> u32 {
    let rest = &svg[svg.find(" width=\"").unwrap() + 8..];
    rest[..rest.find('"').unwrap()].parse().unwrap()
}

#[test]
fn four_azs_fit_a_laptop_panel_at_a_legible_size() {
    // A panel about 690 pixels wide at a 1280-pixel window: 11-pixel text scaled to at
    // least 9 pixels.
    for azs in ["3", "4"] {
        let svg = check(azs, &preset("tinystacks", &[("azs", azs)]));
        let w = width(&svg);
        assert!(f64::from(w) * 9.0 / 11.0 <= 690.0, "{azs} AZs: {w} wide");
        assert!(svg.contains(r#"viewBox="0 0 "#));
    }
}

#[test]
fn the_front_end_members_and_bastion_are_drawn_in_their_tiers() {
    let svg = check("tinystacks", &preset("tinystacks", &[("bastion", "true")]));
    assert!(
        svg.contains(r#"<g class="member front-end" data-role="load_balancer" data-name="alb" data-tier="public">"#),
        "{svg}"
    );
    assert!(svg.contains(">load balancer alb</text>"));
    assert!(
        svg.contains(r#"<g class="member" data-role="app" data-name="ecs" data-tier="private">"#)
    );
    assert!(svg.contains(r#"data-role="database" data-name="database" data-tier="private""#));
    assert!(svg.contains(r#"<g class="instance bastion" data-az="us-east-1a">"#));
    assert!(titled(&svg, "bastion", "tinystacks-bastion"));
    let api = check(
        "api gateway",
        &preset("tinystacks", &[("front_end", "api_gateway")]),
    );
    assert!(
        api.contains(r#"<g class="member front-end" data-role="api_gateway" data-name="vpc-link""#)
    );
    let titus = check("titus", &preset("titus", &[]));
    assert!(
        titus.contains(r#"data-role="master_node" data-name="titus-master" data-tier="private""#)
    );
    assert!(titus.contains(">group titusmaster-mainvpc<"), "{titus}");
}

#[test]
fn default_routes_are_arrows_to_the_internet_gateway_or_the_nat() {
    let p = preset("tinystacks", &[("azs", "4")]);
    let svg = check("tinystacks", &p);
    // Every subnet points at its route table; the public ones go on to the internet gateway,
    // the private ones each to the NAT of their AZ.
    assert_eq!(svg.matches(r#"class="route-arrow to-table""#).count(), 8);
    assert_eq!(
        svg.matches(r#"<g class="route-table" data-route-table="public">"#)
            .count(),
        4
    );
    assert_eq!(svg.matches(r#"class="route-arrow to-igw""#).count(), 4);
    assert_eq!(svg.matches(r#"class="route-arrow to-nat""#).count(), 4);
    // One NAT gateway for two AZs: the second AZ's arrow crosses to the first's.
    let single = small("single_gateway", json!({}));
    let svg = check("single", &single);
    assert_eq!(svg.matches(r#"class="route-arrow to-nat""#).count(), 2);
    assert_eq!(svg.matches(r#"class="route-arrow to-igw""#).count(), 2);
    let isolated = small("none", json!({}));
    let svg = check("no NAT", &isolated);
    assert_eq!(svg.matches(r#"class="route-arrow to-nat""#).count(), 0);
}
