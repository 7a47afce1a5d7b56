//! Reachability on a TinyStacks-like topology: load balancer → ECS on one port, ECS → database
//! on one port, and an optional bastion → database. Then the same kind of topology behind
//! network ACLs (`fixtures/reach/`): the security groups allow every path asked about, and an
//! ACL drops it inbound at the destination, outbound at the source, or the reply at either
//! side; each answer names the ACL rule (or its final deny) with AWS's explanation code.

use planner_core::analysis::explain::{Block, Code};
use planner_core::analysis::reach::Endpoint;
use planner_core::analysis::sg_graph::Graph;
use planner_core::design::sg::Protocol;
use planner_core::Design;

fn design() -> Design {
    tests::design(&tests::fixtures().join("designs/tinystacks-sg.json"))
}

fn without_bastion() -> Design {
    let mut d = design();
    d.security_groups.retain(|g| g.name != "bastion");
    for g in &mut d.security_groups {
        g.ingress
            .retain(|r| r.peer != planner_core::design::sg::Peer::Group("bastion".into()));
    }
    d
}

fn ask(d: &Design, from: &str, to: &str, port: u16) -> planner_core::analysis::reach::Answer {
    let plan = planner_core::plan(d, None).unwrap().plan;
    Graph::new(&plan)
        .reach(
            &Endpoint::parse(from),
            &Endpoint::parse(to),
            Protocol::Tcp,
            Some(port),
        )
        .unwrap()
}

#[test]
fn the_internet_reaches_the_load_balancer_on_443() {
    let a = ask(&design(), "internet", "alb", 443);
    assert!(a.reachable, "{}", a.message);
    assert_eq!(
        a.path,
        [
            "internet",
            "internet_gateway.main",
            "route_table.public",
            "alb (public address in tier public)",
            "group alb admits tcp 443 from the internet",
        ]
    );
}

#[test]
fn the_internet_does_not_reach_the_database() {
    let a = ask(&design(), "internet", "db", 5432);
    assert!(!a.reachable);
    assert!(
        a.message.starts_with("the internet cannot reach db:5432: group db admits tcp 5432 only from group ecs, group bastion"),
        "{}",
        a.message
    );
}

#[test]
fn the_internet_does_not_reach_ecs_even_on_its_port() {
    let a = ask(&design(), "internet", "ecs", 8080);
    assert!(!a.reachable);
    assert!(a.message.contains("only from group alb"), "{}", a.message);
}

#[test]
fn ecs_reaches_the_database_on_5432_only() {
    assert!(ask(&design(), "ecs", "db", 5432).reachable);
    let a = ask(&design(), "ecs", "db", 3306);
    assert!(!a.reachable);
    assert!(
        a.message.contains("group db admits nothing on tcp 3306"),
        "{}",
        a.message
    );
}

#[test]
fn the_bastion_reaches_the_database_only_when_it_exists() {
    assert!(ask(&design(), "bastion", "db", 5432).reachable);
    let plan = planner_core::plan(&without_bastion(), None).unwrap().plan;
    let err = Graph::new(&plan)
        .reach(
            &Endpoint::parse("bastion"),
            &Endpoint::parse("db"),
            Protocol::Tcp,
            Some(5432),
        )
        .unwrap_err();
    assert_eq!(err.to_string(), "no security group named \"bastion\"");
}

#[test]
fn the_load_balancer_reaches_ecs_but_not_the_database() {
    assert!(ask(&design(), "alb", "ecs", 8080).reachable);
    assert!(!ask(&design(), "alb", "db", 5432).reachable);
}

#[test]
fn exposure_lists_only_what_the_internet_reaches() {
    let plan = planner_core::plan(&design(), None).unwrap().plan;
    let exposed: Vec<(String, String)> = Graph::new(&plan)
        .exposure()
        .into_iter()
        .map(|x| (x.group, x.ports.to_string()))
        .collect();
    assert_eq!(
        exposed,
        [
            ("alb".to_owned(), "443".to_owned()),
            ("bastion".to_owned(), "22".to_owned())
        ]
    );
}

#[test]
fn matrix_has_the_designed_flows() {
    let plan = planner_core::plan(&design(), None).unwrap().plan;
    let graph = Graph::new(&plan);
    let matrix = graph.matrix();
    let cells: Vec<String> = matrix
        .cells
        .iter()
        .map(|c| {
            let flows: Vec<String> = matrix
                .flows(c)
                .iter()
                .map(|f| format!("{} {}", f.protocol, f.ports))
                .collect();
            format!(
                "{} -> {}: {}",
                c.sender_name(&graph),
                graph.groups[c.to].name,
                flows.join(", ")
            )
        })
        .collect();
    for designed in [
        "internet -> alb: tcp 443",
        "internet -> bastion: tcp 22",
        "alb -> ecs: tcp 8080",
        "ecs -> db: tcp 5432",
        "bastion -> db: tcp 5432",
        // 0.0.0.0/0 admits addresses inside the VPC too, as AWS does.
        "ecs -> alb: tcp 443",
        // The NAT instances take all traffic from the VPC.
        "ecs -> nat-instance: all 0-65535",
    ] {
        assert!(
            cells.iter().any(|c| c == designed),
            "{designed} missing from {cells:#?}"
        );
    }
    for pair in [
        "internet -> db",
        "internet -> ecs",
        "alb -> db",
        "db -> ecs",
        "ecs -> ecs",
    ] {
        assert!(
            !cells.iter().any(|c| c.starts_with(&format!("{pair}:"))),
            "{pair} in {cells:#?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Network ACLs

fn acl_design(name: &str) -> Design {
    tests::design(&tests::fixtures().join(format!("reach/{name}.json")))
}

/// The answer's one blocking hop, which must be an ACL's.
fn acl_block(d: &Design, from: &str, to: &str, port: u16) -> String {
    let a = ask(d, from, to, port);
    assert!(!a.reachable, "{}", a.message);
    let [Block { code, message }] = &a.blocked_by[..] else {
        panic!("one blocking hop expected: {:?}", a.blocked_by);
    };
    assert_eq!(*code, Some(Code::SubnetAclRestriction), "{message}");
    a.message
}

#[test]
fn with_acls_that_allow_them_the_designed_paths_get_through_with_their_acl_hops() {
    let d = acl_design("acls");
    let a = ask(&d, "internet", "alb", 443);
    assert_eq!(
        a.path,
        [
            "internet",
            "internet_gateway.main",
            "route_table.public",
            "network ACL web rule 100 allows tcp 443 from the internet into tier public",
            "alb (public address in tier public)",
            "group alb admits tcp 443 from the internet",
            "network ACL web rule 100 allows the reply (tcp 32768-65535) to the internet out of tier public",
        ]
    );
    let a = ask(&d, "ecs", "db", 5432);
    assert!(a.reachable, "{}", a.message);
    assert!(a.blocked_by.is_empty());
    assert_eq!(
        a.path,
        [
            "group ecs",
            "group ecs allows out all traffic to anywhere (default egress)",
            // Rule 100 (the replies' 1024-65535) comes first and holds 5432 too.
            "network ACL app rule 100 allows tcp 5432 to tier data out of tier app",
            "network ACL data rule 100 allows tcp 5432 from tier app into tier data",
            "group db admits tcp 5432 from group ecs",
            "group db",
            "network ACL data rule 100 allows the reply (tcp 32768-65535) to tier app out of tier data",
            // Rule 100 (8080) takes port 8080 of the reply range, rule 110 the rest.
            "network ACL app rule 110 allows the reply (tcp 32768-65535) from tier data into tier app",
        ]
    );
    assert!(ask(&d, "alb", "ecs", 8080).reachable);
}

#[test]
fn an_acl_denying_inbound_at_the_destination_is_the_blocking_hop() {
    let d = acl_design("acl-deny-inbound");
    assert_eq!(
        acl_block(&d, "ecs", "db", 5432),
        "group ecs cannot reach db:5432: network ACL data rule 90 denies tcp 5432 from 10.0.0.0/16 into tier data"
    );
    assert_eq!(
        acl_block(&d, "internet", "alb", 443),
        "the internet cannot reach alb:443: network ACL web rule 90 denies tcp 443 from 0.0.0.0/0 into tier public"
    );
}

#[test]
fn an_acl_denying_outbound_at_the_source_is_the_blocking_hop() {
    let d = acl_design("acl-deny-outbound");
    assert_eq!(
        acl_block(&d, "ecs", "db", 5432),
        "group ecs cannot reach db:5432: network ACL app rule 90 denies tcp 5432 to 10.0.0.0/16 out of tier app"
    );
    // The same rule drops no reply: clients draw their ports from 32768 up.
    let a = ask(&d, "alb", "ecs", 8080);
    assert!(a.reachable, "{}", a.message);
}

#[test]
fn an_acl_dropping_the_reply_at_the_destination_is_the_blocking_hop() {
    let d = acl_design("acl-reply-destination");
    assert_eq!(
        acl_block(&d, "ecs", "db", 5432),
        "group ecs cannot reach db:5432: network ACL data has no rule allowing the reply (tcp 32768-65535) to 10.0.2.0/24 (tier app, us-east-1a) out of tier data (its final deny rule * drops it)"
    );
    // Replies let out only to Windows' 49152-65535: Linux clients' ports are dropped.
    assert_eq!(
        acl_block(&d, "internet", "alb", 443),
        "the internet cannot reach alb:443: network ACL web has no rule allowing the reply (tcp 32768-49151) to the internet out of tier public (its final deny rule * drops it)"
    );
}

#[test]
fn an_acl_dropping_the_reply_at_the_source_is_the_blocking_hop() {
    let d = acl_design("acl-reply-source");
    assert_eq!(
        acl_block(&d, "ecs", "db", 5432),
        "group ecs cannot reach db:5432: network ACL app rule 90 denies the reply (tcp 32768-65535) from 10.0.0.0/16 into tier app"
    );
}

#[test]
fn the_emptied_default_acl_is_named_as_the_vpcs() {
    let d = acl_design("acl-default-deny");
    assert_eq!(
        acl_block(&d, "internet", "alb", 443),
        "the internet cannot reach alb:443: the VPC's default network ACL (deny_all) has no rule allowing tcp 443 from the internet into tier public (its final deny rule * drops it)"
    );
    // Between two tiers with ACLs of their own, the default one plays no part.
    assert!(ask(&d, "ecs", "db", 5432).reachable);
}

#[test]
fn security_groups_and_routes_carry_their_codes_too() {
    let a = ask(&design(), "internet", "db", 5432);
    let codes: Vec<Option<Code>> = a.blocked_by.iter().map(|b| b.code).collect();
    assert_eq!(
        codes,
        [
            Some(Code::EniSgRulesMismatch),
            Some(Code::NoRouteToDestination)
        ],
        "{:?}",
        a.blocked_by
    );
}

#[test]
fn exposure_and_matrix_leave_out_what_acls_stop() {
    let plan = planner_core::plan(&acl_design("acl-deny-inbound"), None)
        .unwrap()
        .plan;
    let graph = Graph::new(&plan);
    let report = graph.exposure_report();
    assert!(report.exposed.is_empty(), "{:?}", report.exposed);
    assert_eq!(report.blocked.len(), 1);
    assert_eq!(report.blocked[0].group, "alb");
    assert_eq!(
        report.blocked[0].blocked_by,
        Block {
            code: Some(Code::SubnetAclRestriction),
            message: "network ACL web rule 90 denies tcp 443 from 0.0.0.0/0 into tier public"
                .to_owned()
        }
    );
    let matrix = graph.matrix();
    let name = |i: Option<usize>| i.map_or("internet", |i| graph.groups[i].name.as_str());
    let cells: Vec<String> = matrix
        .cells
        .iter()
        .map(|c| format!("{} -> {}", name(c.from), graph.groups[c.to].name))
        .collect();
    assert!(cells.contains(&"alb -> ecs".to_owned()), "{cells:?}");
    for stopped in ["internet -> alb", "ecs -> db"] {
        assert!(!cells.contains(&stopped.to_owned()), "{cells:?}");
        assert!(
            matrix.blocked.iter().any(|b| format!(
                "{} -> {}",
                name(b.from),
                graph.groups[b.to].name
            ) == stopped
                && b.blocked_by.code == Some(Code::SubnetAclRestriction)),
            "{stopped} not among the blocked cells"
        );
    }
}
