//! The Titus guide's facts (the minimal install's "Subnets", "Creating security groups" and
//! "Creating IAM Roles"), asserted on the preset's design and plan so that a golden update
//! cannot change them: a public and a private subnet (one private subnet per AZ), a bastion in
//! the public subnet with the `titusmaster-mainvpc` and `titusbastion` groups, the three
//! groups' rules, the three roles, their trust and instance profiles, and the IPv6 variant.

use std::collections::BTreeSet;

use planner_core::analysis::reach::{Answer, Endpoint};
use planner_core::analysis::sg_graph::Graph;
use planner_core::design::sg::Protocol;
use planner_core::presets;
use planner_core::{Design, Plan, Severity};
use serde_json::{json, Value};
use tests::plan_json::{by_id, of_type, rules};

const MASTER: &str = "titusmasterInstanceProfile";
const APP_S3: &str = "titusappwiths3InstanceProfile";
const APP_NO_S3: &str = "titusappnos3InstanceProfile";

fn design(set: &[(&str, &str)]) -> Design {
    presets::build("titus", set).unwrap_or_else(|e| panic!("{set:?}: {e}"))
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

fn set_of(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// The design's role `name` as JSON.
fn role(d: &Design, name: &str) -> Value {
    let r = d
        .iam
        .roles
        .iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no role {name}"));
    serde_json::to_value(r).unwrap()
}

/// Warning-or-worse codes, sorted and deduplicated.
fn warnings(set: &[(&str, &str)]) -> BTreeSet<&'static str> {
    planner_core::plan(&design(set), None)
        .unwrap()
        .diagnostics
        .iter()
        .filter(|d| d.severity <= Severity::Warning)
        .map(|d| d.code)
        .collect()
}

fn reach(
    set: &[(&str, &str)],
    from: &str,
    to: &str,
    protocol: Protocol,
    port: Option<u16>,
) -> Answer {
    Graph::new(&plan(set))
        .reach(&Endpoint::parse(from), &Endpoint::parse(to), protocol, port)
        .unwrap()
}

#[test]
fn parameters_are_the_issues() {
    let info = presets::list()
        .into_iter()
        .find(|p| p.name == "titus")
        .unwrap();
    let params: Vec<(&str, &str)> = info.params.iter().map(|p| (p.key, p.default)).collect();
    assert_eq!(
        params,
        [
            ("vpc_cidr", "10.0.0.0/16"),
            ("region", "us-east-1"),
            ("azs", "1"),
            ("ipv6", "false"),
            ("hardened", "false"),
        ]
    );
    assert!(info.summary.contains("Titus"), "{}", info.summary);
    assert!(!info.summary.contains('\n'));
}

#[test]
fn a_public_and_a_private_subnet_with_nat_for_the_private_one() {
    let d = design(&[]);
    assert_eq!(d.vpc.as_ref().unwrap().cidr.to_string(), "10.0.0.0/16");
    assert_eq!(d.region, "us-east-1");
    assert_eq!(d.nat, planner_core::NatStrategy::SingleGateway);
    let p = plan(&[]);
    let subnets: Vec<(String, String)> = p
        .allocation
        .subnets
        .iter()
        .map(|s| (s.tier.clone(), s.availability_zone.clone()))
        .collect();
    assert_eq!(
        subnets,
        [
            ("public".to_owned(), "us-east-1a".to_owned()),
            ("private".to_owned(), "us-east-1a".to_owned()),
        ]
    );
    let rs = resources(&[]);
    assert_eq!(
        by_id(&rs, "route.public.ipv4-default")["target"],
        json!({"internet_gateway": "internet_gateway.main"})
    );
    assert_eq!(
        by_id(&rs, "route.private.ipv4-default")["target"],
        json!({"nat_gateway": "nat_gateway.a"})
    );
    assert_eq!(by_id(&rs, "nat_gateway.a")["subnet"], "subnet.public.a");
    assert_eq!(
        by_id(&rs, "subnet.public.a")["map_public_ip_on_launch"],
        true
    );
    assert_eq!(
        by_id(&rs, "subnet.private.a")["map_public_ip_on_launch"],
        false
    );
    // No IPv6 unless asked for.
    assert_eq!(by_id(&rs, "vpc.main")["amazon_provided_ipv6"], false);
    assert!(of_type(&rs, "route")
        .iter()
        .all(|r| r["destination"]["ipv6"].is_null()));
}

#[test]
fn private_subnets_are_big_enough_for_container_addresses() {
    // Containers take secondary IPs of their agent's subnet.
    let p = plan(&[]);
    let private = p
        .allocation
        .subnets
        .iter()
        .find(|s| s.tier == "private")
        .unwrap();
    assert_eq!(private.cidr.prefix_len(), 20);
    // A small VPC shrinks the subnets so that six AZs still fit.
    let p = plan(&[("vpc_cidr", "192.168.0.0/22"), ("azs", "6")]);
    assert_eq!(p.allocation.subnets.len(), 7);
    assert!(p
        .allocation
        .subnets
        .iter()
        .all(|s| s.cidr.prefix_len() == 25));
}

#[test]
fn one_private_subnet_per_az_and_one_public_subnet() {
    let set = [("azs", "3"), ("region", "eu-west-1")];
    let p = plan(&set);
    let by_tier = |tier: &str| -> Vec<String> {
        p.allocation
            .subnets
            .iter()
            .filter(|s| s.tier == tier)
            .map(|s| s.availability_zone.clone())
            .collect()
    };
    assert_eq!(by_tier("public"), ["eu-west-1a"]);
    assert_eq!(
        by_tier("private"),
        ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
    );
    let rs = resources(&set);
    // The one NAT gateway serves every private subnet (the wizard's, copied per AZ).
    assert_eq!(of_type(&rs, "nat_gateway").len(), 1);
    for r in of_type(&rs, "route").into_iter().filter(|r| {
        r["route_table"]
            .as_str()
            .unwrap()
            .starts_with("route_table.private")
    }) {
        assert_eq!(r["target"], json!({"nat_gateway": "nat_gateway.a"}));
    }
    assert!(warnings(&set).contains("NET007"));
}

#[test]
fn the_bastion_is_in_the_public_subnet_with_both_groups() {
    let d = design(&[]);
    assert_eq!(d.instances.len(), 1);
    let b = &d.instances[0];
    assert_eq!(
        b.role,
        planner_core::design::instances::InstanceRole::Bastion
    );
    assert_eq!(b.tier, "public");
    assert_eq!(b.security_groups, ["titusmaster-mainvpc", "titusbastion"]);
    let rs = resources(&[]);
    let inst = by_id(&rs, "instance.titus-bastion");
    assert_eq!(inst["subnet"], "subnet.public.a");
    assert_eq!(inst["associate_public_ip_address"], true);
    let a = reach(&[], "internet", "titusbastion", Protocol::Tcp, Some(22));
    assert!(a.reachable, "{}", a.message);
}

#[test]
fn the_three_groups_and_their_rules() {
    let d = design(&[]);
    let names: Vec<&str> = d.security_groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["titusbastion", "titusmaster-mainvpc", "titusapp"]);
    assert!(d.security_groups.iter().all(|g| g.default_egress));
    let rs = resources(&[]);
    // Bastion: from anywhere, TCP 22 and all ICMP.
    assert_eq!(
        rules(&rs, "titusbastion"),
        set_of(&["in tcp 22 0.0.0.0/0", "in icmp all 0.0.0.0/0"])
    );
    // Infrastructure: all TCP and all ICMP from itself, SSH from anywhere; all traffic out
    // (AWS's default egress, kept).
    assert_eq!(
        rules(&rs, "titusmaster-mainvpc"),
        set_of(&[
            "in tcp all sg titusmaster-mainvpc",
            "in icmp all sg titusmaster-mainvpc",
            "in tcp 22 0.0.0.0/0",
        ])
    );
    assert_eq!(
        by_id(&rs, "security_group.titusmaster-mainvpc")["revoke_default_egress"],
        false
    );
    // App: up to the application.
    assert!(rules(&rs, "titusapp").is_empty());
}

#[test]
fn groups_are_on_the_titus_hosts_in_the_private_tier() {
    let d = design(&[]);
    let g = |name: &str| d.security_groups.iter().find(|g| g.name == name).unwrap();
    let at = |name: &str| -> Vec<(String, String)> {
        g(name)
            .attached_to
            .iter()
            .map(|a| (a.role.as_str().to_owned(), a.tier.clone()))
            .collect()
    };
    assert_eq!(
        at("titusmaster-mainvpc"),
        [
            ("master_node".to_owned(), "private".to_owned()),
            ("generic".to_owned(), "private".to_owned()),
        ]
    );
    assert_eq!(at("titusapp"), [("app".to_owned(), "private".to_owned())]);
    // Masters, agents and the bastion talk to each other on every TCP port.
    let a = reach(
        &[],
        "titusmaster-mainvpc",
        "titusmaster-mainvpc",
        Protocol::Tcp,
        Some(7104),
    );
    assert!(a.reachable, "{}", a.message);
    // Nothing admits the internet to the containers.
    let a = reach(&[], "internet", "titusapp", Protocol::Tcp, Some(80));
    assert!(!a.reachable, "{}", a.message);
}

#[test]
fn three_roles_with_instance_profiles_of_the_same_name() {
    let d = design(&[]);
    let roles: Vec<&str> = d.iam.roles.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(roles, [MASTER, APP_S3, APP_NO_S3]);
    let profiles: Vec<(&str, &str)> = d
        .iam
        .instance_profiles
        .iter()
        .map(|p| (p.name.as_str(), p.role.as_str()))
        .collect();
    assert_eq!(
        profiles,
        [(MASTER, MASTER), (APP_S3, APP_S3), (APP_NO_S3, APP_NO_S3)]
    );
    let rs = resources(&[]);
    assert_eq!(of_type(&rs, "iam_instance_profile").len(), 3);
    // The app roles trust the master role, which must exist first.
    for app in [APP_S3, APP_NO_S3] {
        let r = by_id(&rs, &format!("iam_role.{app}"));
        assert_eq!(r["depends_on"], json!([format!("iam_role.{MASTER}")]));
    }
}

#[test]
fn the_master_role_is_trusted_by_ec2_and_wide_open() {
    let d = design(&[]);
    let m = role(&d, MASTER);
    assert_eq!(
        m["trust_policy"]["Statement"],
        json!([{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}])
    );
    assert_eq!(
        m["inline_policies"][0]["document"]["Statement"],
        json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}])
    );
    assert!(m["managed_policies"].is_null());
}

#[test]
fn the_app_roles_trust_ec2_and_the_master_role_as_the_guide_writes() {
    let d = design(&[]);
    let guide = json!({
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"},
            {"Effect": "Allow", "Principal": {"AWS": {"ref": "role_arn", "role": MASTER}}, "Action": "sts:AssumeRole"}
        ]
    });
    for app in [APP_S3, APP_NO_S3] {
        assert_eq!(role(&d, app)["trust_policy"], guide, "{app}");
    }
    // One with S3 read access, one without.
    assert_eq!(
        role(&d, APP_S3)["managed_policies"],
        json!(["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"])
    );
    assert!(role(&d, APP_S3)["inline_policies"].is_null());
    assert!(role(&d, APP_NO_S3)["managed_policies"].is_null());
    assert!(role(&d, APP_NO_S3)["inline_policies"].is_null());
    // Same-account trust is not a confused-deputy finding, and there is no cycle.
    let codes = warnings(&[]);
    assert!(
        !codes.contains("IAM008") && !codes.contains("IAM013"),
        "{codes:?}"
    );
}

#[test]
fn the_default_variant_is_flagged_for_the_guides_choices() {
    assert_eq!(
        warnings(&[]),
        BTreeSet::from(["IAM005", "IAM006", "IAM007", "SG001"])
    );
    let errors = planner_core::plan(&design(&[]), None)
        .unwrap()
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    assert_eq!(errors, 0);
    // SSH from anywhere to the infrastructure group.
    let sg001 = planner_core::plan(&design(&[]), None)
        .unwrap()
        .diagnostics
        .into_iter()
        .find(|d| d.code == "SG001")
        .unwrap();
    assert!(
        sg001.message.contains("titusmaster-mainvpc"),
        "{}",
        sg001.message
    );
}

#[test]
fn ipv6_routes_the_private_tier_through_the_internet_gateway_for_ssh() {
    let set = [("ipv6", "true")];
    let d = design(&set);
    assert!(d.vpc.as_ref().unwrap().ipv6);
    let private = d.tiers.iter().find(|t| t.name == "private").unwrap();
    assert!(private.ipv6_from_internet);
    let rs = resources(&set);
    assert_eq!(by_id(&rs, "vpc.main")["amazon_provided_ipv6"], true);
    assert_eq!(
        by_id(&rs, "route.private.ipv6-default")["target"],
        json!({"internet_gateway": "internet_gateway.main"})
    );
    assert_eq!(
        by_id(&rs, "route.private.ipv4-default")["target"],
        json!({"nat_gateway": "nat_gateway.a"})
    );
    assert!(of_type(&rs, "egress_only_internet_gateway").is_empty());
    assert!(by_id(&rs, "subnet.private.a")["ipv6_cidr_block"].is_object());
    // SSH from anywhere now includes ::/0, and all ICMP includes ICMPv6.
    assert_eq!(
        rules(&rs, "titusmaster-mainvpc"),
        set_of(&[
            "in tcp all sg titusmaster-mainvpc",
            "in icmp all sg titusmaster-mainvpc",
            "in icmpv6 all sg titusmaster-mainvpc",
            "in tcp 22 0.0.0.0/0",
            "in tcp 22 ::/0",
            "out all all ::/0",
        ])
    );
    assert_eq!(
        rules(&rs, "titusbastion"),
        set_of(&[
            "in tcp 22 0.0.0.0/0",
            "in tcp 22 ::/0",
            "in icmp all 0.0.0.0/0",
            "in icmpv6 all ::/0",
        ])
    );
    // The Titus hosts in the private tier are reachable over IPv6 (the bastion over both).
    let graph = Graph::new(&plan(&set));
    assert_eq!(
        graph.tiers["private"].igw_v6.as_deref(),
        Some("route_table.private")
    );
    let g = graph.group("titusmaster-mainvpc").unwrap();
    let tiers: BTreeSet<(&str, &str)> = graph.groups[g]
        .members
        .iter()
        .map(|m| (m.label.as_str(), m.tier.as_str()))
        .collect();
    assert_eq!(
        tiers,
        BTreeSet::from([
            ("titus-agent", "private"),
            ("titus-bastion", "public"),
            ("titus-master", "private"),
        ])
    );
    let a = reach(
        &set,
        "internet",
        "titusmaster-mainvpc",
        Protocol::Tcp,
        Some(22),
    );
    assert!(a.reachable, "{}", a.message);
    // Without IPv6, the private tier has no inbound route at all.
    assert_eq!(Graph::new(&plan(&[])).tiers["private"].igw_v6, None);
}

#[test]
fn hardened_admits_ssh_to_the_infrastructure_only_from_the_bastion() {
    let set = [("hardened", "true")];
    let rs = resources(&set);
    assert_eq!(
        rules(&rs, "titusmaster-mainvpc"),
        set_of(&[
            "in tcp all sg titusmaster-mainvpc",
            "in icmp all sg titusmaster-mainvpc",
            "in tcp 22 sg titusbastion",
        ])
    );
    // The bastion is unchanged: it is the one door.
    assert_eq!(
        rules(&rs, "titusbastion"),
        set_of(&["in tcp 22 0.0.0.0/0", "in icmp all 0.0.0.0/0"])
    );
    let a = reach(
        &set,
        "titusbastion",
        "titusmaster-mainvpc",
        Protocol::Tcp,
        Some(22),
    );
    assert!(a.reachable, "{}", a.message);
    assert!(warnings(&set).is_empty(), "{:?}", warnings(&set));
    // With IPv6, nothing needs the inbound route any more: egress-only.
    let set = [("hardened", "true"), ("ipv6", "true")];
    let rs = resources(&set);
    assert_eq!(
        by_id(&rs, "route.private.ipv6-default")["target"],
        json!({"egress_only_internet_gateway": "egress_only_internet_gateway.main"})
    );
    assert!(!rules(&rs, "titusmaster-mainvpc").contains("in tcp 22 ::/0"));
    let a = reach(
        &set,
        "internet",
        "titusmaster-mainvpc",
        Protocol::Tcp,
        Some(22),
    );
    assert!(!a.reachable, "{}", a.message);
    assert!(warnings(&set).is_empty(), "{:?}", warnings(&set));
}

#[test]
fn hardened_master_role_lists_what_titus_does() {
    let d = design(&[("hardened", "true")]);
    let m = role(&d, MASTER);
    // Trust and the app roles are the guide's.
    assert_eq!(
        m["trust_policy"]["Statement"],
        json!([{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}])
    );
    assert_eq!(role(&d, APP_S3), role(&design(&[]), APP_S3));
    assert_eq!(role(&d, APP_NO_S3), role(&design(&[]), APP_NO_S3));
    let statements = m["inline_policies"][0]["document"]["Statement"]
        .as_array()
        .unwrap()
        .clone();
    let actions: Vec<String> = statements
        .iter()
        .flat_map(|s| match &s["Action"] {
            Value::String(a) => vec![a.clone()],
            Value::Array(v) => v.iter().map(|a| a.as_str().unwrap().to_owned()).collect(),
            other => panic!("{other}"),
        })
        .collect();
    assert!(actions.iter().all(|a| !a.contains('*')), "{actions:?}");
    assert!(
        actions.iter().all(|a| !a.starts_with("iam:")),
        "{actions:?}"
    );
    for needed in [
        "ec2:CreateNetworkInterface",
        "ec2:AttachNetworkInterface",
        "ec2:AssignPrivateIpAddresses",
        "ec2:AssignIpv6Addresses",
        "autoscaling:SetDesiredCapacity",
        "sts:AssumeRole",
    ] {
        assert!(actions.iter().any(|a| a == needed), "{needed}");
    }
    // sts:AssumeRole on the two app roles only.
    let assume = statements
        .iter()
        .find(|s| s["Action"] == "sts:AssumeRole")
        .unwrap();
    assert_eq!(
        assume["Resource"],
        json!([{"ref": "role_arn", "role": APP_S3}, {"ref": "role_arn", "role": APP_NO_S3}])
    );
    // Only the describe calls, which take no resource, are on "*".
    for s in &statements {
        if s["Resource"] == "*" {
            assert_eq!(s["Sid"], "Describe");
        }
    }
    // Not even a note.
    let all = planner_core::plan(&d, None).unwrap().diagnostics;
    assert!(
        all.iter().all(|d| !d.code.starts_with("IAM")),
        "{:?}",
        all.iter().map(ToString::to_string).collect::<Vec<_>>()
    );
}
