//! The TinyStacks guide's facts ("The TinyStacks approach to networking"), asserted on the
//! preset's design and plan so that a golden update cannot change them: three public and three
//! private (or isolated) subnets across three AZs, NAT instances in auto-scaling groups (or no
//! NAT), front end → ECS on one port, ECS → database on one port, and an optional bastion.

use std::collections::BTreeSet;

use planner_core::analysis::reach::Endpoint;
use planner_core::analysis::sg_graph::Graph;
use planner_core::design::sg::{MemberRole, Peer, Protocol, SecurityGroup};
use planner_core::presets;
use planner_core::{Design, Plan, Severity};
use serde_json::Value;
use tests::plan_json::{by_id, of_type, rules};

fn design(set: &[(&str, &str)]) -> Design {
    presets::build("tinystacks", set).unwrap_or_else(|e| panic!("{set:?}: {e}"))
}

fn plan(set: &[(&str, &str)]) -> Plan {
    planner_core::plan(&design(set), None)
        .unwrap_or_else(|e| panic!("{set:?}: {e}"))
        .plan
}

/// The plan's resources as JSON, as plan.json holds them.
fn resources(set: &[(&str, &str)]) -> Vec<Value> {
    tests::plan_json::resources(&plan(set))
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn group<'a>(d: &'a Design, name: &str) -> &'a SecurityGroup {
    d.security_groups
        .iter()
        .find(|g| g.name == name)
        .unwrap_or_else(|| panic!("no group {name}"))
}

fn group_names(d: &Design) -> Vec<&str> {
    d.security_groups.iter().map(|g| g.name.as_str()).collect()
}

fn reach(
    set: &[(&str, &str)],
    from: &str,
    to: &str,
    port: u16,
) -> planner_core::analysis::reach::Answer {
    Graph::new(&plan(set))
        .reach(
            &Endpoint::parse(from),
            &Endpoint::parse(to),
            Protocol::Tcp,
            Some(port),
        )
        .unwrap_or_else(|e| panic!("{set:?}: {e}"))
}

#[test]
fn parameters_and_defaults() {
    let info = presets::list()
        .into_iter()
        .find(|p| p.name == "tinystacks")
        .unwrap();
    assert!(info.summary.contains("TinyStacks"), "{}", info.summary);
    let params: Vec<(&str, &str)> = info.params.iter().map(|p| (p.key, p.default)).collect();
    assert_eq!(
        params,
        [
            ("vpc_cidr", "10.0.0.0/16"),
            ("region", "us-east-1"),
            ("azs", "3"),
            ("nat", "instance"),
            ("bastion", "false"),
            ("front_end", "alb"),
            ("app_port", "8080"),
            ("db_port", "5432"),
            ("endpoints", "none"),
            ("hardened", "false"),
        ]
    );
    let e = presets::build("tinystacks", &[("front_end", "nlb")]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "preset tinystacks: front_end=\"nlb\" is not valid: expected one of alb, api_gateway"
    );
    assert!(presets::build("tinystacks", &[("azs", "7")]).is_err());
    assert!(presets::build("tinystacks", &[("azs", "6")]).is_ok());
}

#[test]
fn three_public_and_three_private_subnets_one_per_az() {
    let d = design(&[]);
    assert_eq!(d.name, "tinystacks");
    assert_eq!(d.region, "us-east-1");
    assert_eq!(d.vpc.as_ref().unwrap().cidr.to_string(), "10.0.0.0/16");
    let tiers: Vec<(&str, planner_core::TierKind)> =
        d.tiers.iter().map(|t| (t.name.as_str(), t.kind)).collect();
    assert_eq!(
        tiers,
        [
            ("public", planner_core::TierKind::Public),
            ("private", planner_core::TierKind::Private)
        ]
    );
    let rs = resources(&[]);
    let subnets: BTreeSet<(String, String)> = of_type(&rs, "subnet")
        .iter()
        .map(|s| {
            (
                s["tier"].as_str().unwrap().to_owned(),
                s["availability_zone"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let mut expected = BTreeSet::new();
    for tier in ["public", "private"] {
        for az in ["us-east-1a", "us-east-1b", "us-east-1c"] {
            expected.insert((tier.to_owned(), az.to_owned()));
        }
    }
    assert_eq!(subnets, expected);
    assert_eq!(of_type(&rs, "subnet").len(), 6);
    // Public subnets are routed to the internet gateway and give public addresses.
    for az in ["a", "b", "c"] {
        let s = by_id(&rs, &format!("subnet.public.{az}"));
        assert_eq!(s["map_public_ip_on_launch"], true);
        assert_eq!(
            s["cidr_block"].as_str().unwrap().split('/').nth(1),
            Some("22")
        );
        let s = by_id(&rs, &format!("subnet.private.{az}"));
        assert_eq!(s["map_public_ip_on_launch"], false);
        assert_eq!(
            s["cidr_block"].as_str().unwrap().split('/').nth(1),
            Some("20")
        );
    }
    assert_eq!(
        by_id(&rs, "route.public.ipv4-default")["target"]["internet_gateway"],
        "internet_gateway.main"
    );
}

#[test]
fn more_or_fewer_azs() {
    let rs = resources(&[("azs", "6"), ("bastion", "true")]);
    assert_eq!(of_type(&rs, "subnet").len(), 12);
    assert_eq!(of_type(&rs, "autoscaling_group").len(), 6);
    let rs = resources(&[("azs", "1")]);
    assert_eq!(of_type(&rs, "subnet").len(), 2);
    assert_eq!(of_type(&rs, "autoscaling_group").len(), 1);
    // Subnet sizes follow the VPC's: a /20 VPC gets /26 public and /24 private subnets.
    let rs = resources(&[("vpc_cidr", "10.20.0.0/20")]);
    assert_eq!(
        by_id(&rs, "subnet.public.a")["cidr_block"]
            .as_str()
            .unwrap()
            .split('/')
            .nth(1),
        Some("26")
    );
    assert_eq!(
        by_id(&rs, "subnet.private.a")["cidr_block"]
            .as_str()
            .unwrap()
            .split('/')
            .nth(1),
        Some("24")
    );
    assert_eq!(by_id(&rs, "vpc.main")["cidr_block"], "10.20.0.0/20");
    assert_eq!(design(&[("region", "eu-west-1")]).region, "eu-west-1");
}

#[test]
fn nat_instances_in_auto_scaling_groups_one_per_az() {
    let d = design(&[]);
    assert_eq!(d.nat, planner_core::NatStrategy::InstancePerAz);
    assert!(d.nat_instances.autoscaling);
    let rs = resources(&[]);
    assert_eq!(of_type(&rs, "nat_gateway").len(), 0);
    assert_eq!(of_type(&rs, "instance").len(), 0, "no bare NAT instances");
    assert_eq!(of_type(&rs, "launch_template").len(), 1);
    let template = by_id(&rs, "launch_template.nat-instance");
    assert_eq!(template["associate_public_ip_address"], true);
    assert_eq!(
        template["security_groups"],
        serde_json::json!(["security_group.nat-instance"])
    );
    for az in ["a", "b", "c"] {
        let asg = by_id(&rs, &format!("autoscaling_group.nat.{az}"));
        assert_eq!(asg["size"], 1);
        assert_eq!(asg["launch_template"], "launch_template.nat-instance");
        assert_eq!(asg["subnet"], format!("subnet.public.{az}"));
        // Each AZ's private subnets send internet traffic to their own AZ's NAT.
        let route = by_id(&rs, &format!("route.private.{az}.ipv4-default"));
        assert_eq!(route["destination"]["ipv4"], "0.0.0.0/0");
        assert_eq!(
            route["target"]["autoscaling_group"],
            format!("autoscaling_group.nat.{az}")
        );
        assert_eq!(
            by_id(&rs, &format!("route_table_association.private.{az}"))["route_table"],
            format!("route_table.private.{az}")
        );
    }
    // The planner's own NAT role, trusted by EC2, is the only IAM.
    let roles = of_type(&rs, "iam_role");
    assert_eq!(roles.len(), 1);
    assert_eq!(roles[0]["name"], "tinystacks-nat-instance");
    assert_eq!(
        roles[0]["trust_policy"]["Statement"][0]["Principal"]["Service"],
        "ec2.amazonaws.com"
    );
    assert_eq!(of_type(&rs, "iam_instance_profile").len(), 1);
    assert!(d.iam.roles.is_empty(), "the preset adds no role of its own");
}

#[test]
fn without_nat_the_subnets_are_isolated() {
    let d = design(&[("nat", "none")]);
    assert_eq!(d.nat, planner_core::NatStrategy::None);
    let tiers: Vec<(&str, planner_core::TierKind)> =
        d.tiers.iter().map(|t| (t.name.as_str(), t.kind)).collect();
    assert_eq!(
        tiers,
        [
            ("public", planner_core::TierKind::Public),
            ("isolated", planner_core::TierKind::Isolated)
        ]
    );
    let rs = resources(&[("nat", "none")]);
    assert_eq!(of_type(&rs, "subnet").len(), 6);
    assert!(of_type(&rs, "autoscaling_group").is_empty());
    assert!(of_type(&rs, "launch_template").is_empty());
    assert!(of_type(&rs, "iam_role").is_empty());
    assert!(of_type(&rs, "nat_gateway").is_empty());
    // The only route out of the VPC is the public tier's.
    let routes: Vec<&str> = of_type(&rs, "route")
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(routes, ["route.public.ipv4-default"]);
    assert_eq!(group(&d, "ecs").attached_to[0].tier, "isolated");
    assert_eq!(group(&d, "database").attached_to[0].tier, "isolated");
    assert!(!group_names(&d).contains(&planner_core::ids::NAT_GROUP));
}

#[test]
fn groups_with_the_load_balancer() {
    let d = design(&[]);
    assert_eq!(group_names(&d), ["alb", "ecs", "database"]);
    let attached = |g: &str| {
        let a = &group(&d, g).attached_to;
        assert_eq!(a.len(), 1, "{g}");
        (a[0].role, a[0].tier.clone())
    };
    assert_eq!(attached("alb"), (MemberRole::LoadBalancer, "public".into()));
    assert_eq!(attached("ecs"), (MemberRole::App, "private".into()));
    assert_eq!(
        attached("database"),
        (MemberRole::Database, "private".into())
    );
    let rs = resources(&[]);
    assert_eq!(
        rules(&rs, "alb"),
        set(&["in tcp 443 0.0.0.0/0", "in tcp 80 0.0.0.0/0"])
    );
    assert_eq!(rules(&rs, "ecs"), set(&["in tcp 8080 sg alb"]));
    assert_eq!(rules(&rs, "database"), set(&["in tcp 5432 sg ecs"]));
    assert_eq!(
        rules(&rs, planner_core::ids::NAT_GROUP),
        set(&["in all all 10.0.0.0/16"])
    );
    // The guide's own choice keeps AWS's default egress on every group.
    for g in ["alb", "ecs", "database"] {
        assert!(group(&d, g).default_egress, "{g}");
    }
    assert!(d.instances.is_empty(), "no bastion unless asked for");
}

#[test]
fn app_and_database_ports() {
    let s = [
        ("app_port", "3000"),
        ("db_port", "3306"),
        ("bastion", "true"),
    ];
    let rs = resources(&s);
    assert_eq!(rules(&rs, "ecs"), set(&["in tcp 3000 sg alb"]));
    assert_eq!(
        rules(&rs, "database"),
        set(&["in tcp 3306 sg ecs", "in tcp 3306 sg bastion"])
    );
    assert!(reach(&s, "ecs", "database", 3306).reachable);
    assert!(!reach(&s, "ecs", "database", 5432).reachable);
    assert!(reach(&s, "alb", "ecs", 3000).reachable);
    assert!(!reach(&s, "alb", "ecs", 8080).reachable);
    assert!(presets::build("tinystacks", &[("app_port", "22")]).is_err());
}

#[test]
fn the_api_gateway_front_end_has_a_vpc_link_group_and_no_load_balancer() {
    let s = [("front_end", "api_gateway")];
    let d = design(&s);
    assert_eq!(group_names(&d), ["vpc-link", "ecs", "database"]);
    let link = group(&d, "vpc-link");
    assert_eq!(link.attached_to[0].role, MemberRole::ApiGateway);
    assert_eq!(link.attached_to[0].tier, "public");
    assert!(link.ingress.is_empty());
    assert!(!link.default_egress);
    let rs = resources(&s);
    assert_eq!(rules(&rs, "vpc-link"), set(&["out tcp 8080 sg ecs"]));
    assert_eq!(
        by_id(&rs, "security_group.vpc-link")["revoke_default_egress"],
        true
    );
    assert_eq!(rules(&rs, "ecs"), set(&["in tcp 8080 sg vpc-link"]));
    assert!(reach(&s, "vpc-link", "ecs", 8080).reachable);
    assert!(!reach(&s, "vpc-link", "ecs", 22).reachable);
    assert!(!reach(&s, "vpc-link", "database", 5432).reachable);
    assert!(!reach(&s, "internet", "ecs", 8080).reachable);
    assert!(Graph::new(&plan(&s)).exposure().is_empty());
}

#[test]
fn the_bastion_on_request() {
    let s = [("bastion", "true")];
    let d = design(&s);
    assert_eq!(group_names(&d), ["alb", "ecs", "database", "bastion"]);
    let rs = resources(&s);
    assert_eq!(rules(&rs, "bastion"), set(&["in tcp 22 0.0.0.0/0"]));
    assert_eq!(
        rules(&rs, "database"),
        set(&["in tcp 5432 sg ecs", "in tcp 5432 sg bastion"])
    );
    let instances = of_type(&rs, "instance");
    assert_eq!(instances.len(), 1);
    let b = instances[0];
    assert_eq!(b["id"], "instance.tinystacks-bastion");
    assert_eq!(b["role"], "bastion");
    assert_eq!(b["subnet"], "subnet.public.a", "the first public subnet");
    assert_eq!(b["availability_zone"], "us-east-1a");
    assert_eq!(b["associate_public_ip_address"], true);
    assert_eq!(
        b["security_groups"],
        serde_json::json!(["security_group.bastion"])
    );
    assert!(reach(&s, "internet", "bastion", 22).reachable);
    assert!(reach(&s, "bastion", "database", 5432).reachable);
    assert!(!reach(&s, "bastion", "ecs", 8080).reachable);
    // Without it, nothing but ECS admits to the database, and there is no bastion group.
    let d = design(&[]);
    assert!(group(&d, "database")
        .ingress
        .iter()
        .all(|r| r.peer == Peer::Group("ecs".into())));
    let g = Graph::new(&plan(&[]));
    assert!(g
        .reach(
            &Endpoint::parse("bastion"),
            &Endpoint::parse("database"),
            Protocol::Tcp,
            Some(5432)
        )
        .is_err());
}

#[test]
fn reachability() {
    for s in [vec![], vec![("nat", "none")], vec![("hardened", "true")]] {
        let a = reach(&s, "internet", "alb", 443);
        assert!(a.reachable, "{s:?}: {}", a.message);
        // The hardened variant's ACLs are hops of their own (checked below).
        let hops: Vec<&str> = a
            .path
            .iter()
            .map(String::as_str)
            .filter(|h| !h.starts_with("network ACL"))
            .collect();
        assert_eq!(
            hops,
            [
                "internet",
                "internet_gateway.main",
                "route_table.public",
                "alb (public address in tier public)",
                "group alb admits tcp 443 from the internet",
            ]
        );
        let a = reach(&s, "internet", "ecs", 8080);
        assert!(!a.reachable);
        assert!(a.message.contains("only from group alb"), "{}", a.message);
        let a = reach(&s, "internet", "database", 5432);
        assert!(!a.reachable);
        assert!(a.message.contains("only from group ecs"), "{}", a.message);
        assert!(reach(&s, "alb", "ecs", 8080).reachable, "{s:?}");
        assert!(!reach(&s, "alb", "database", 5432).reachable, "{s:?}");
        assert!(reach(&s, "ecs", "database", 5432).reachable, "{s:?}");
        assert!(!reach(&s, "ecs", "database", 3306).reachable, "{s:?}");
    }
    assert!(reach(&[], "internet", "alb", 80).reachable);
}

/// The hardened variant puts each tier in an ACL of its own and empties the default ACL; the
/// guide's traffic still gets through, each answer naming the ACL rules it passes, and what
/// the ACLs exist for is stopped.
#[test]
fn hardened_acls_let_the_guides_traffic_through() {
    for extra in [
        vec![],
        vec![("bastion", "true")],
        vec![("nat", "none")],
        vec![("endpoints", "s3,ecr")],
    ] {
        let mut s = vec![("hardened", "true")];
        s.extend(extra);
        let a = reach(&s, "internet", "alb", 443);
        assert!(a.reachable, "{s:?}: {}", a.message);
        assert!(
            a.path.iter().any(|h| h
                == "network ACL public rule 110 allows tcp 443 from the internet into tier public"),
            "{s:?}: {:#?}",
            a.path
        );
        for (from, to, port) in [("alb", "ecs", 8080), ("ecs", "database", 5432)] {
            let a = reach(&s, from, to, port);
            assert!(a.reachable, "{s:?} {from} → {to}: {}", a.message);
            assert!(
                a.path.iter().any(|h| h.starts_with("network ACL")),
                "{s:?}: {:#?}",
                a.path
            );
        }
        if s.contains(&("bastion", "true")) {
            assert!(reach(&s, "internet", "bastion", 22).reachable, "{s:?}");
            assert!(reach(&s, "bastion", "database", 5432).reachable, "{s:?}");
        }
        if !s.contains(&("nat", "none")) {
            // The ECS instances still reach the internet through their NAT instances.
            let g = Graph::new(&plan(&s));
            let out = g
                .reach(
                    &g.endpoint("ecs"),
                    &g.endpoint("internet"),
                    Protocol::Tcp,
                    Some(443),
                )
                .unwrap();
            assert!(out.reachable, "{s:?}: {}", out.message);
        }
    }
}

/// `endpoints`: S3 through its gateway endpoint, ECR through its interface endpoints, NAT for
/// the rest; the guide's own variant sends all of it through NAT.
#[test]
fn endpoints_take_s3_and_ecr_off_nat() {
    let ask = |s: &[(&str, &str)], to: &str| {
        let g = Graph::new(&plan(s));
        g.reach(
            &g.endpoint("ecs"),
            &g.endpoint(to),
            Protocol::Tcp,
            Some(443),
        )
        .unwrap()
    };
    let a = ask(&[], "s3");
    assert!(
        a.reachable
            && a.message
                .contains("over the internet (no endpoint for s3 serves it)"),
        "{}",
        a.message
    );
    let a = ask(&[("endpoints", "s3")], "s3");
    assert!(
        a.message
            .contains("through gateway endpoint vpc_endpoint.s3.gateway"),
        "{}",
        a.message
    );
    for s in [
        vec![("endpoints", "s3,ecr")],
        vec![("endpoints", "s3,ecr"), ("nat", "none")],
        vec![("endpoints", "s3,ecr"), ("hardened", "true")],
    ] {
        for service in ["ecr.api", "ecr.dkr"] {
            let a = ask(&s, service);
            assert!(
                a.reachable
                    && a.message.contains(&format!(
                        "through interface endpoint vpc_endpoint.{service}.interface"
                    )),
                "{s:?}: {}",
                a.message
            );
        }
        assert!(ask(&s, "s3").reachable, "{s:?}");
    }
    // Without NAT and without endpoints, the isolated ECS instances cannot pull images.
    let a = ask(&[("nat", "none")], "ecr.api");
    assert!(!a.reachable, "{}", a.message);
    let d = design(&[("endpoints", "s3,ecr")]);
    assert_eq!(d.endpoints.len(), 3);
    assert_eq!(group(&d, "endpoints").ingress.len(), 1);
}

#[test]
fn hardened_serves_https_only_and_tightens_egress() {
    let s = [("hardened", "true"), ("bastion", "true")];
    let d = design(&s);
    let rs = resources(&s);
    assert_eq!(
        rules(&rs, "alb"),
        set(&["in tcp 443 0.0.0.0/0", "out tcp 8080 sg ecs"])
    );
    assert!(!group(&d, "alb").default_egress);
    assert!(!group(&d, "database").default_egress);
    assert!(group(&d, "database").egress.is_empty());
    assert!(group(&d, "ecs").default_egress);
    assert!(group(&d, "bastion").default_egress);
    // Unchanged: the bastion's SSH, ECS's and the database's ingress.
    assert_eq!(rules(&rs, "bastion"), set(&["in tcp 22 0.0.0.0/0"]));
    assert_eq!(rules(&rs, "ecs"), set(&["in tcp 8080 sg alb"]));
    assert_eq!(
        rules(&rs, "database"),
        set(&["in tcp 5432 sg ecs", "in tcp 5432 sg bastion"])
    );
    assert!(!reach(&s, "internet", "alb", 80).reachable);
    assert!(reach(&s, "bastion", "database", 5432).reachable);
    assert!(!reach(&s, "database", "ecs", 8080).reachable);
    // Hardened changes groups, adds ACLs and flow logs, and manages the VPC's defaults: the
    // rest of the network is the guide's.
    let plain = resources(&[("bastion", "true")]);
    let added = [
        "security_group",
        "network_acl",
        "flow_log",
        "log_group",
        "iam_role",
    ];
    let net = |rs: &[Value]| -> Vec<Value> {
        rs.iter()
            .filter(|r| {
                !added
                    .iter()
                    .any(|t| r["type"].as_str().unwrap().starts_with(t))
            })
            .cloned()
            .map(|mut r| {
                let o = r.as_object_mut().unwrap();
                o.remove("restrict_default_security_group");
                o.remove("default_network_acl");
                r
            })
            .collect()
    };
    assert_eq!(net(&rs), net(&plain));
    let vpc = |rs: &[Value]| rs.iter().find(|r| r["type"] == "vpc").unwrap().clone();
    assert_eq!(vpc(&rs)["restrict_default_security_group"], true);
    assert_eq!(vpc(&rs)["default_network_acl"], "deny_all");
    assert_eq!(vpc(&plain).get("restrict_default_security_group"), None);
    let d = design(&s);
    assert_eq!(
        d.network_acls
            .iter()
            .map(|a| a.name.as_str())
            .collect::<Vec<_>>(),
        ["public", "private"]
    );
    assert!(d.flow_logs.is_some());
}

#[test]
fn no_warnings_in_any_combination() {
    for nat in ["instance", "none"] {
        for bastion in ["false", "true"] {
            for front_end in ["alb", "api_gateway"] {
                for (hardened, endpoints) in
                    [("false", "none"), ("true", "none"), ("true", "s3,ecr")]
                {
                    let s = [
                        ("nat", nat),
                        ("bastion", bastion),
                        ("front_end", front_end),
                        ("hardened", hardened),
                        ("endpoints", endpoints),
                    ];
                    let warnings: Vec<String> = planner_core::plan(&design(&s), None)
                        .unwrap()
                        .diagnostics
                        .iter()
                        .filter(|d| d.severity <= Severity::Warning)
                        .map(ToString::to_string)
                        .collect();
                    assert!(warnings.is_empty(), "{s:?}: {warnings:#?}");
                }
            }
        }
    }
}
