//! Network ACLs applied to moto: the fixture's two ACLs made tagged, their rules exactly the
//! design's, each subnet of their tiers on them and the other tier's on the VPC's default ACL,
//! all read back through the SDK independently of the executor; a re-run makes no mutating
//! call; a rule added by hand, a rule whose action was changed by hand and a subnet moved back
//! to the default ACL by hand are reported by `diff` and repaired by `run`; a tier taken out
//! of an ACL goes back to the default ACL, and ACLs the design drops are deleted once their
//! subnets are back there, with nothing but that plan's own policy; a subnet outside the plan
//! put on an owned ACL is left where it is; `destroy` leaves nothing tagged. Every call is one
//! the plan's derived policy grants.
//!
//! moto is lenient where AWS is not: it deletes a VPC that still has ACLs, and keeps a deleted
//! subnet's association. The order AWS needs (subnets moved back, then the ACL deleted, then
//! the VPC) is asserted on the recorded calls instead. moto also drops the ICMP type and code
//! of a rule (it reads `Icmp.Type` from its parsed parameters, where the member is called
//! `IcmpTypeCode`), so an ICMP rule it stores never matches: the fixture's ICMP rules are
//! applied once, checked in the requests the executor sent, and left out of the rest.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use aws_sdk_ec2::types::{Filter, PortRange, RuleAction};
use planner_core::design::acl::{AclAction, AclBlock};
use planner_core::design::sg::Protocol;
use planner_core::resource::Direction;
use planner_core::ResourceKind;
use tests::account::{self, ID_TAG, PLAN_TAG};

use super::convergence::assert_granted;
use super::executor::{
    assert_destroy_order, assert_rerun_changes_nothing, ec2_blocking, fixture_plan, ok, plan_of, s,
    snapshot, text, Env,
};

const NAME: &str = "network-acls";

/// What the account says of the plan's ACLs, read without the executor.
#[derive(Debug, PartialEq, Eq)]
struct Acls {
    /// By the ACL's plan id: its rules other than AWS's final deny,
    /// `in|out number allow|deny protocol-number block detail`.
    rules: BTreeMap<String, BTreeSet<String>>,
    /// By subnet plan id: the plan id of its ACL, or `default`.
    subnets: BTreeMap<String, String>,
}

fn rule_text(
    egress: bool,
    number: i32,
    action: &str,
    protocol: &str,
    block: &str,
    detail: &str,
) -> String {
    let dir = if egress { "out" } else { "in" };
    format!("{dir} {number} {action} {protocol} {block}{detail}")
}

/// The rules and associations `path`'s plan asks for, as [`read`] writes them; AWS's protocol
/// numbers and its spelling of ports and ICMP types are written out here, not taken from the
/// executor.
fn planned(path: &Path) -> Acls {
    let plan = plan_of(path);
    let mut rules: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut subnets = BTreeMap::new();
    for r in &plan.resources {
        match &r.kind {
            ResourceKind::NetworkAcl { .. } => {
                rules.entry(r.id.clone()).or_default();
            }
            ResourceKind::Subnet { .. } => {
                subnets
                    .entry(r.id.clone())
                    .or_insert_with(|| "default".to_owned());
            }
            _ => {}
        }
    }
    for r in &plan.resources {
        match &r.kind {
            ResourceKind::NetworkAclEntry {
                network_acl,
                direction,
                rule_number,
                action,
                protocol,
                ports,
                block,
                ..
            } => {
                let (number, detail) = match protocol {
                    Protocol::Tcp => (
                        "6",
                        ports.map_or(" ports 0-65535".to_owned(), |p| {
                            format!(" ports {}-{}", p.from, p.to)
                        }),
                    ),
                    Protocol::Udp => (
                        "17",
                        ports.map_or(" ports 0-65535".to_owned(), |p| {
                            format!(" ports {}-{}", p.from, p.to)
                        }),
                    ),
                    Protocol::Icmp => (
                        "1",
                        format!(" icmp {}/-1", ports.map_or(-1, |p| i32::from(p.from))),
                    ),
                    Protocol::Icmpv6 => (
                        "58",
                        format!(" icmp {}/-1", ports.map_or(-1, |p| i32::from(p.from))),
                    ),
                    Protocol::All => ("-1", String::new()),
                };
                let block = match block {
                    AclBlock::Ipv4(c) => c.to_string(),
                    AclBlock::Ipv6(b) => b.to_string(),
                };
                let action = match action {
                    AclAction::Allow => "allow",
                    AclAction::Deny => "deny",
                };
                rules.get_mut(network_acl).unwrap().insert(rule_text(
                    *direction == Direction::Egress,
                    i32::try_from(*rule_number).unwrap(),
                    action,
                    number,
                    &block,
                    &detail,
                ));
            }
            ResourceKind::NetworkAclAssociation {
                network_acl,
                subnet,
            } => {
                subnets.insert(subnet.clone(), network_acl.clone());
            }
            _ => {}
        }
    }
    Acls { rules, subnets }
}

async fn vpc_id(ec2: &aws_sdk_ec2::Client) -> String {
    let out = ec2
        .describe_vpcs()
        .filters(account::tag_filter(PLAN_TAG, NAME))
        .send()
        .await
        .unwrap();
    assert_eq!(out.vpcs().len(), 1, "{out:?}");
    out.vpcs()[0].vpc_id().unwrap().to_owned()
}

fn by(name: &str, value: &str) -> Filter {
    Filter::builder().name(name).values(value).build()
}

/// Every ACL of the plan's VPC, the default one included.
async fn vpc_acls(ec2: &aws_sdk_ec2::Client) -> Vec<aws_sdk_ec2::types::NetworkAcl> {
    let vpc = vpc_id(ec2).await;
    let out = ec2
        .describe_network_acls()
        .filters(by("vpc-id", &vpc))
        .send()
        .await
        .unwrap();
    out.network_acls().to_vec()
}

/// The plan's ACLs (found by tag: each carries the plan's tags and `Name`) and which ACL each
/// of the plan's subnets is on.
fn read(env: &Env) -> Acls {
    ec2_blocking(env, async |ec2| {
        let acls = vpc_acls(&ec2).await;
        let mut rules = BTreeMap::new();
        let mut by_aws = BTreeMap::new();
        for acl in &acls {
            let aws = acl.network_acl_id().unwrap().to_owned();
            if acl.is_default() == Some(true) {
                by_aws.insert(aws, "default".to_owned());
                continue;
            }
            let tags = account::tag_map(acl.tags());
            assert_eq!(
                tags.get(PLAN_TAG).map(String::as_str),
                Some(NAME),
                "{acl:?}"
            );
            let id = tags[ID_TAG].clone();
            assert_eq!(
                tags.get("Name"),
                Some(&format!("{NAME}-{}", id.trim_start_matches("network_acl."))),
                "{acl:?}"
            );
            let set: BTreeSet<String> = acl
                .entries()
                .iter()
                .filter(|e| e.rule_number().unwrap() < 32767)
                .map(|e| {
                    let detail = match (e.port_range(), e.icmp_type_code()) {
                        (Some(p), _) => format!(" ports {}-{}", p.from().unwrap(), p.to().unwrap()),
                        (_, Some(i)) => {
                            format!(" icmp {}/{}", i.r#type().unwrap(), i.code().unwrap())
                        }
                        _ => String::new(),
                    };
                    rule_text(
                        e.egress().unwrap(),
                        e.rule_number().unwrap(),
                        e.rule_action().unwrap().as_str(),
                        e.protocol().unwrap(),
                        e.cidr_block().or(e.ipv6_cidr_block()).unwrap(),
                        &detail,
                    )
                })
                .collect();
            rules.insert(id.clone(), set);
            by_aws.insert(aws, id);
        }
        let mut on = BTreeMap::new();
        for acl in &acls {
            for a in acl.associations() {
                on.insert(
                    a.subnet_id().unwrap().to_owned(),
                    by_aws[acl.network_acl_id().unwrap()].clone(),
                );
            }
        }
        let subnets = ec2
            .describe_subnets()
            .filters(account::tag_filter(PLAN_TAG, NAME))
            .send()
            .await
            .unwrap();
        let subnets = subnets
            .subnets()
            .iter()
            .map(|sn| {
                let id = account::tag_map(sn.tags())[ID_TAG].clone();
                let acl = on.get(sn.subnet_id().unwrap()).cloned();
                (id, acl.unwrap_or_else(|| "none".to_owned()))
            })
            .collect();
        Acls { rules, subnets }
    })
}

/// The fixture design without its ICMP rules and with `edit` applied, planned into
/// `<name>.plan.json`.
fn plan_file(env: &Env, name: &str, edit: impl Fn(&mut serde_json::Value)) -> PathBuf {
    fixture_plan(env, "network-acls", name, |d| {
        without_icmp(d);
        edit(d);
    })
}

/// `run` with `path`, every call granted by its plan's policy; answers what it printed.
fn run(env: &Env, path: &Path, what: &str) -> String {
    env.proxy.clear();
    let out = ok(&env.exec(&["run", s(path), "--yes"])).clone();
    assert_granted(env, path, what);
    text(&out.stdout)
}

/// What a console user might do: open SSH in the edge ACL, turn the data ACL's first rule
/// into a deny, and put a web subnet back on the default ACL.
fn change_by_hand(env: &Env) {
    ec2_blocking(env, async |ec2| {
        let acls = vpc_acls(&ec2).await;
        let named = |id: &str| {
            acls.iter()
                .find(|a| account::tag_map(a.tags()).get(ID_TAG).map(String::as_str) == Some(id))
                .unwrap()
                .clone()
        };
        let (edge, data) = (named("network_acl.edge"), named("network_acl.data"));
        let default = acls.iter().find(|a| a.is_default() == Some(true)).unwrap();
        ec2.create_network_acl_entry()
            .network_acl_id(edge.network_acl_id().unwrap())
            .rule_number(300)
            .egress(false)
            .protocol("6")
            .rule_action(RuleAction::Allow)
            .cidr_block("0.0.0.0/0")
            .port_range(PortRange::builder().from(22).to(22).build())
            .send()
            .await
            .unwrap();
        ec2.replace_network_acl_entry()
            .network_acl_id(data.network_acl_id().unwrap())
            .rule_number(100)
            .egress(false)
            .protocol("6")
            .rule_action(RuleAction::Deny)
            .cidr_block("10.40.2.0/24")
            .port_range(PortRange::builder().from(5432).to(5432).build())
            .send()
            .await
            .unwrap();
        let web_b = account::subnet_id(&ec2, NAME, "subnet.web.b").await;
        let assoc = edge
            .associations()
            .iter()
            .find(|a| a.subnet_id() == Some(web_b.as_str()))
            .unwrap();
        ec2.replace_network_acl_association()
            .association_id(assoc.network_acl_association_id().unwrap())
            .network_acl_id(default.network_acl_id().unwrap())
            .send()
            .await
            .unwrap();
    });
}

/// Moves `subnet` by hand onto the ACL with plan id `to`, or onto the default ACL.
async fn move_subnet(ec2: &aws_sdk_ec2::Client, subnet: &str, to: Option<&str>) {
    let acls = vpc_acls(ec2).await;
    let target = acls
        .iter()
        .find(|a| match to {
            Some(id) => account::tag_map(a.tags()).get(ID_TAG).map(String::as_str) == Some(id),
            None => a.is_default() == Some(true),
        })
        .unwrap();
    let assoc = acls
        .iter()
        .flat_map(|a| a.associations())
        .find(|a| a.subnet_id() == Some(subnet))
        .unwrap();
    ec2.replace_network_acl_association()
        .association_id(assoc.network_acl_association_id().unwrap())
        .network_acl_id(target.network_acl_id().unwrap())
        .send()
        .await
        .unwrap();
}

/// The calls that moved a subnet and deleted an ACL, in order.
fn acl_moves(env: &Env) -> Vec<String> {
    env.proxy
        .calls()
        .iter()
        .filter(|c| c.action == "ReplaceNetworkAclAssociation" || c.action == "DeleteNetworkAcl")
        .map(|c| c.action.clone())
        .collect()
}

/// What a request says of an ICMP rule: protocol, ICMP type, ICMP code.
type Icmp<'c> = (Option<&'c str>, Option<&'c str>, Option<&'c str>);

/// The value of `key` in a recorded query-protocol call.
fn param<'c>(c: &'c tests::proxy::Call, key: &str) -> Option<&'c str> {
    c.params
        .split('&')
        .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
}

/// The fixture without its ICMP rules, which moto cannot keep (see the module's doc).
fn without_icmp(d: &mut serde_json::Value) {
    for acl in d["network_acls"].as_array_mut().unwrap() {
        for dir in ["ingress", "egress"] {
            acl[dir]
                .as_array_mut()
                .unwrap()
                .retain(|r| !r["protocol"].as_str().unwrap().starts_with("icmp"));
        }
    }
}

#[test]
fn network_acls_lifecycle() {
    let env = Env::new(NAME);
    let with_icmp = fixture_plan(&env, "network-acls", "with-icmp", |_| {});
    let full = plan_file(&env, "full", |_| {});

    // The fixture as it is: ICMP rules are created with their type, and every code.
    env.proxy.clear();
    ok(&env.exec(&["run", s(&with_icmp), "--yes", "--no-progress"]));
    assert_granted(&env, &with_icmp, "the first run");
    let calls = env.proxy.calls();
    let sent: BTreeMap<&str, Icmp> = calls
        .iter()
        .filter(|c| c.action == "CreateNetworkAclEntry")
        .filter(|c| param(c, "Protocol").is_some_and(|p| p == "1" || p == "58"))
        .map(|c| {
            (
                param(c, "RuleNumber").unwrap(),
                (
                    param(c, "Protocol"),
                    param(c, "Icmp.Type"),
                    param(c, "Icmp.Code"),
                ),
            )
        })
        .collect();
    assert_eq!(
        sent,
        BTreeMap::from([
            ("140", (Some("1"), Some("3"), Some("-1"))),
            ("150", (Some("58"), Some("-1"), Some("-1"))),
        ])
    );

    ok(&env.exec(&["run", s(&full), "--yes"]));
    let want = planned(&full);
    assert_eq!(want.rules.len(), 2, "{want:#?}");
    assert_eq!(want.rules["network_acl.edge"].len(), 8, "{want:#?}");
    assert_eq!(want.subnets["subnet.app.a"], "default");
    assert_eq!(read(&env), want);
    assert_rerun_changes_nothing(&env, &full);

    change_by_hand(&env);
    let diff = env.exec(&["diff", s(&full)]);
    let said = text(&diff.stdout);
    assert_eq!(
        diff.status.code(),
        Some(1),
        "diff missed the changes by hand:\n{said}"
    );
    for what in [
        "- rule in 300 of network_acl.edge",
        "~ network_acl_entry.data.in.100: action is deny (plan: allow)",
        "~ network_acl_association.web.b: network_acl is default acl-",
    ] {
        assert!(said.contains(what), "diff does not say {what:?}:\n{said}");
    }
    let out = run(&env, &full, "the repair");
    assert_eq!(read(&env), want, "run did not repair:\n{out}");
    assert_rerun_changes_nothing(&env, &full);

    // The web tier taken out of the edge ACL: its subnets go back to the default ACL, and the
    // ACL, with its rules, stays.
    let no_web = plan_file(&env, "no-web", |d| {
        d["network_acls"][0]["tiers"] = serde_json::json!([]);
    });
    let out = run(&env, &no_web, "taking a tier out of an ACL");
    let got = read(&env);
    assert_eq!(got, planned(&no_web), "{out}");
    assert_eq!(got.subnets["subnet.web.a"], "default");
    assert_eq!(got.rules["network_acl.edge"].len(), 8);
    assert_rerun_changes_nothing(&env, &no_web);

    // Back, then every ACL dropped: the plan no longer has any ACL type, and its policy's
    // teardown alone moves the subnets back and deletes the ACLs, the moves first.
    run(&env, &full, "putting the ACLs back");
    assert_eq!(read(&env), want);
    let none = plan_file(&env, "none", |d| {
        d.as_object_mut().unwrap().remove("network_acls");
    });
    assert!(!plan_of(&none)
        .resources
        .iter()
        .any(|r| r.kind.type_name().starts_with("network_acl")));
    let out = run(&env, &none, "dropping every ACL");
    let moves = acl_moves(&env);
    assert_eq!(
        moves
            .iter()
            .filter(|a| *a == "ReplaceNetworkAclAssociation")
            .count(),
        4,
        "{moves:?}\n{out}"
    );
    assert_eq!(moves.iter().filter(|a| *a == "DeleteNetworkAcl").count(), 2);
    assert_destroy_order(&env.proxy.calls());
    let got = read(&env);
    assert!(got.rules.is_empty(), "{got:#?}\n{out}");
    assert!(got.subnets.values().all(|a| a == "default"), "{got:#?}");
    assert_rerun_changes_nothing(&env, &none);

    // Applied again. A subnet without the plan's tag put on an owned ACL by hand is someone
    // else's: not a difference, and never moved.
    run(&env, &full, "applying again");
    assert_eq!(read(&env), want);
    let foreign = ec2_blocking(&env, async |ec2| {
        let vpc = vpc_id(&ec2).await;
        let made = ec2
            .create_subnet()
            .vpc_id(&vpc)
            .cidr_block("10.40.200.0/24")
            .send()
            .await
            .unwrap();
        let subnet = made.subnet().unwrap().subnet_id().unwrap().to_owned();
        move_subnet(&ec2, &subnet, Some("network_acl.edge")).await;
        subnet
    });
    assert_rerun_changes_nothing(&env, &full);
    ec2_blocking(&env, async |ec2| {
        move_subnet(&ec2, &foreign, None).await;
        ec2.delete_subnet()
            .subnet_id(&foreign)
            .send()
            .await
            .unwrap();
    });

    // Destroyed: nothing tagged is left, no subnet either.
    env.proxy.clear();
    ok(&env.exec(&["destroy", s(&full), "--yes"]));
    assert_granted(&env, &full, "destroy");
    let calls = env.proxy.calls();
    assert_destroy_order(&calls);
    assert!(calls.iter().any(|c| c.action == "DeleteNetworkAcl"));
    let left = snapshot(&env, NAME);
    assert!(left.is_empty(), "destroy left {left:#?}");
}
