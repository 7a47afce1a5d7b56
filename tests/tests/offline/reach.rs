//! Reachability on a TinyStacks-like topology: load balancer → ECS on one port, ECS → database
//! on one port, and an optional bastion → database.

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
