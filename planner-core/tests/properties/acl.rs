//! Network ACLs as reachability evaluates them: random rule sets against a naive reference
//! that takes one address and one port at a time (first match wins, then the final deny);
//! an ACL that denies everything blocks every pair of groups whose traffic crosses it; and an
//! ACL that lets a request through but not its reply on the ephemeral ports blocks it.

use std::collections::BTreeSet;

use planner_core::analysis::acl::{Acl, Entry, Span, EPHEMERAL};
use planner_core::analysis::acl_eval::{Crossing, InternetCrossing};
use planner_core::analysis::explain::Code;
use planner_core::analysis::reach::Endpoint;
use planner_core::analysis::sg_graph::Graph;
use planner_core::design::acl::{AclAction, AclBlock};
use planner_core::design::sg::{PortRange, Protocol};
use planner_core::resource::Direction;
use planner_core::Cidr;
use proptest::prelude::*;

#[allow(clippy::disallowed_methods)]
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(cases),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------------
// The naive reference

/// Ports that make rules overlap often.
const PORTS: [u16; 11] = [0, 21, 22, 80, 443, 1023, 1024, 5432, 32767, 32768, 65535];

/// The verdict of `rules` on one packet: the first rule (lowest number) matching decides;
/// `None` is the final deny. Returns the rule's number, or `None`, and whether it is allowed.
fn naive(rules: &[Entry], p: Protocol, port: u16, addr: u128) -> (Option<u32>, bool) {
    let mut sorted: Vec<&Entry> = rules.iter().collect();
    sorted.sort_by_key(|r| r.number);
    for r in sorted {
        let protocol = r.protocol == Protocol::All || r.protocol == p;
        let ports = r.protocol == Protocol::All || (r.ports.from..=r.ports.to).contains(&port);
        let block = !r.span.v6 && (r.span.lo..=r.span.hi).contains(&addr);
        if protocol && ports && block {
            return (Some(r.number), r.action == AclAction::Allow);
        }
    }
    (None, false)
}

/// The ports of `range` at which the verdict of `rules` may change: every port is decided as
/// one of these is.
fn critical_ports(rules: &[Entry], range: PortRange) -> BTreeSet<u16> {
    let mut out = BTreeSet::from([range.from, range.to]);
    for r in rules {
        for p in [
            Some(r.ports.from),
            Some(r.ports.to),
            r.ports.from.checked_sub(1),
            r.ports.to.checked_add(1),
        ]
        .into_iter()
        .flatten()
        {
            if range.contains(p) {
                out.insert(p);
            }
        }
    }
    out
}

fn addresses(s: Span) -> impl Iterator<Item = u128> {
    s.lo..=s.hi
}

// ---------------------------------------------------------------------------------------------
// Generators

fn v4(text: &str) -> Cidr {
    text.parse().expect("valid")
}

/// A block inside 10.0.0.0/24, or now and then 0.0.0.0/0.
fn block() -> impl Strategy<Value = Cidr> {
    prop_oneof![
        1 => Just(v4("0.0.0.0/0")),
        6 => (24u8..=30, 0u32..256).prop_map(|(len, host)| {
            let size = 1u32 << (32 - len);
            let start = (host / size) * size;
            v4(&format!("10.0.0.{start}/{len}"))
        }),
    ]
}

fn range() -> impl Strategy<Value = PortRange> {
    (0..PORTS.len(), 0..PORTS.len()).prop_map(|(a, b)| {
        let (a, b) = (PORTS[a.min(b)], PORTS[a.max(b)]);
        PortRange { from: a, to: b }
    })
}

fn protocol() -> impl Strategy<Value = Protocol> {
    prop_oneof![
        Just(Protocol::Tcp),
        Just(Protocol::Udp),
        Just(Protocol::All)
    ]
}

fn entry() -> impl Strategy<Value = (AclAction, Protocol, PortRange, Cidr)> {
    (
        prop_oneof![Just(AclAction::Allow), Just(AclAction::Deny)],
        protocol(),
        range(),
        block(),
    )
}

/// Up to eight rules with distinct numbers, in random order (the evaluation must sort them).
fn rules() -> impl Strategy<Value = Vec<Entry>> {
    prop::collection::vec((entry(), 1u32..200), 0..8).prop_map(|v| {
        let mut used = BTreeSet::new();
        v.into_iter()
            .filter(|(_, n)| used.insert(*n))
            .map(|((action, protocol, ports, cidr), number)| {
                let block = AclBlock::Ipv4(cidr);
                Entry {
                    number,
                    action,
                    protocol,
                    ports: if protocol == Protocol::All {
                        PortRange::ALL
                    } else {
                        ports
                    },
                    block,
                    span: Span::of(block),
                    path: String::new(),
                }
            })
            .collect()
    })
}

/// The ACL evaluates its rules in number order, as the design keeps them.
fn acl(mut ingress: Vec<Entry>, mut egress: Vec<Entry>) -> Acl {
    ingress.sort_by_key(|e| e.number);
    egress.sort_by_key(|e| e.number);
    Acl {
        name: "x".to_owned(),
        path: "network_acls[0]".to_owned(),
        default: None,
        ingress,
        egress,
    }
}

/// A small block to ask about, inside 10.0.0.0/24 (at most 64 addresses).
fn remote() -> impl Strategy<Value = Cidr> {
    (26u8..=32, 0u32..256).prop_map(|(len, host)| {
        let size = 1u32 << (32 - len);
        v4(&format!("10.0.0.{}/{len}", (host / size) * size))
    })
}

proptest! {
    #![proptest_config(config(512))]

    /// Every port of the range and every address of the block allowed, or the part reported
    /// dropped is dropped by what the report names; the ports every address gets through are
    /// exactly those the reference allows for all of them.
    #[test]
    fn first_match_wins(rules in rules(), p in protocol(), asked in range(), at in remote()) {
        let a = acl(rules.clone(), Vec::new());
        let span = Span::v4(at);
        let ports = critical_ports(&rules, asked);
        let all_allowed = addresses(span)
            .all(|addr| ports.iter().all(|&port| naive(&rules, p, port, addr).1));
        match a.check_all(Direction::Ingress, p, asked, span) {
            Crossing::Pass(used) => {
                prop_assert!(all_allowed, "passed, but the reference drops part of it");
                for i in used {
                    let n = a.ingress[i].number;
                    let decides = addresses(span).any(|addr| {
                        ports.iter().any(|&port| naive(&rules, p, port, addr).0 == Some(n))
                    });
                    prop_assert!(decides, "rule {} reported allowing decides nothing", n);
                }
            }
            Crossing::Drop(d) => {
                prop_assert!(!all_allowed, "dropped, but the reference allows all of it");
                let by = d.rule.map(|i| a.ingress[i].number);
                prop_assert!(asked.from <= d.ports.from && d.ports.to <= asked.to);
                prop_assert!(span.contains(d.remote));
                let drop_ports = critical_ports(&rules, d.ports);
                for addr in addresses(d.remote) {
                    for &port in &drop_ports {
                        prop_assert_eq!(
                            naive(&rules, p, port, addr),
                            (by, false),
                            "at port {}, address {}", port, addr
                        );
                    }
                }
            }
        }
        // The ports every address of the block gets through.
        let through = a.ports_all(Direction::Ingress, p, span);
        for port in critical_ports(&rules, PortRange::ALL) {
            let want = addresses(span).all(|addr| naive(&rules, p, port, addr).1);
            let got = through.iter().any(|r| r.contains(port));
            prop_assert_eq!(got, want, "port {}", port);
        }
    }

    /// Some address of the targets gets the request in and its reply out, exactly when the
    /// reference finds one.
    #[test]
    fn the_internet_gets_through_when_some_address_does(
        ingress in rules(),
        egress in rules(),
        asked in range(),
        at in remote(),
    ) {
        let a = acl(ingress.clone(), egress.clone());
        let span = Span::v4(at);
        let request = critical_ports(&ingress, asked);
        let reply = critical_ports(&egress, EPHEMERAL);
        let some = addresses(span).any(|addr| {
            request.iter().all(|&port| naive(&ingress, Protocol::Tcp, port, addr).1)
                && reply.iter().all(|&port| naive(&egress, Protocol::Tcp, port, addr).1)
        });
        let got = a.check_internet(Direction::Ingress, Protocol::Tcp, asked, &[span]);
        prop_assert_eq!(
            matches!(got, InternetCrossing::Pass { .. }),
            some
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Whole designs

/// A design with groups `app` (tier app), `db` (tier data), `web` (tier public), each
/// admitting tcp `port` from the internet and from every other group, and `acls` as its
/// network ACLs (JSON), over `azs` zones.
fn design(port: u16, azs: u8, acls: &str, default_acl: &str) -> planner_core::Design {
    let group = |name: &str, tier: &str| {
        format!(
            r#"{{"name": "{name}", "description": "{name}",
                "attached_to": [{{"role": "app", "tier": "{tier}", "name": "{name}"}}],
                "ingress": [{{"protocol": "tcp", "ports": {port}, "peer": "internet"}},
                            {{"protocol": "tcp", "ports": {port}, "peer": "vpc"}}]}}"#
        )
    };
    let json = format!(
        r#"{{"name": "p", "region": "us-east-1",
            "vpc": {{"cidr": "10.0.0.0/16", "ipv6": true{default_acl}}},
            "availability_zones": {azs}, "nat": "none",
            "tiers": [{{"name": "public", "kind": "public", "size": {{"prefix": 24}}}},
                      {{"name": "app", "kind": "isolated", "size": {{"prefix": 24}}}},
                      {{"name": "data", "kind": "isolated", "size": {{"prefix": 24}}}}],
            "security_groups": [{}, {}, {}],
            "network_acls": {acls}}}"#,
        group("web", "public"),
        group("app", "app"),
        group("db", "data"),
    );
    planner_core::parse_design(&json).expect("test design parses")
}

const DENY_ALL_RULES: &str = r#"[{"rule_number": 1, "action": "deny", "protocol": "all", "cidr": "0.0.0.0/0"},
                                 {"rule_number": 2, "action": "deny", "protocol": "all", "ipv6_cidr": "::/0"},
                                 {"rule_number": 100, "action": "allow", "protocol": "all", "cidr": "0.0.0.0/0"},
                                 {"rule_number": 101, "action": "allow", "protocol": "all", "ipv6_cidr": "::/0"}]"#;

fn allow_all_rules() -> String {
    r#"[{"rule_number": 100, "action": "allow", "protocol": "all", "cidr": "0.0.0.0/0"},
        {"rule_number": 101, "action": "allow", "protocol": "all", "ipv6_cidr": "::/0"}]"#
        .to_owned()
}

const TIERS: [&str; 3] = ["public", "app", "data"];
const GROUPS: [(&str, &str); 3] = [("web", "public"), ("app", "app"), ("db", "data")];

proptest! {
    #![proptest_config(config(48))]

    /// Tiers in a deny-all ACL (rules 1 and 2 deny everything, or only the default ACL's
    /// final deny) reach nothing and are reached by nothing that crosses their ACL, with the
    /// ACL named and coded; the exposure report and the matrix agree.
    #[test]
    fn a_deny_all_acl_blocks_every_pair_crossing_it(
        port in 1u16..1024,
        azs in 1u8..=3,
        denied in prop::sample::subsequence(TIERS.to_vec(), 1..=3),
        by_default in any::<bool>(),
    ) {
        let open: Vec<&str> = TIERS.iter().copied().filter(|t| !denied.contains(t)).collect();
        let list = |tiers: &[&str]| {
            tiers.iter().map(|t| format!("\"{t}\"")).collect::<Vec<_>>().join(", ")
        };
        let (acls, default_acl) = if by_default {
            // The denied tiers are in no ACL; the default is emptied.
            (
                format!(
                    r#"[{{"name": "open", "tiers": [{}], "ingress": {}, "egress": {}}}]"#,
                    list(&open), allow_all_rules(), allow_all_rules()
                ),
                r#", "default_network_acl": "deny_all""#,
            )
        } else {
            (
                format!(
                    r#"[{{"name": "shut", "tiers": [{}], "ingress": {DENY_ALL_RULES}, "egress": {DENY_ALL_RULES}}},
                        {{"name": "open", "tiers": [{}], "ingress": {}, "egress": {}}}]"#,
                    list(&denied), list(&open), allow_all_rules(), allow_all_rules()
                ),
                "",
            )
        };
        let d = design(port, azs, &acls, default_acl);
        let plan = planner_core::plan(&d, None).expect("test design plans").plan;
        let g = Graph::new(&plan);
        let shut = |tier: &str| denied.contains(&tier);
        for (from, ftier) in GROUPS {
            for (to, ttier) in GROUPS {
                // One subnet and one tier: nothing crosses an ACL.
                let crosses = azs > 1 || ftier != ttier;
                let a = g.reach(&Endpoint::parse(from), &Endpoint::parse(to), Protocol::Tcp, Some(port)).unwrap();
                if crosses && (shut(ftier) || shut(ttier)) {
                    prop_assert!(!a.reachable, "{}", a.message);
                    prop_assert!(
                        a.blocked_by.iter().any(|b| b.code == Some(Code::SubnetAclRestriction)),
                        "{:?}", a.blocked_by
                    );
                } else {
                    prop_assert!(a.reachable, "{}", a.message);
                }
            }
        }
        let a = g.reach(&Endpoint::Internet, &Endpoint::parse("web"), Protocol::Tcp, Some(port)).unwrap();
        prop_assert_eq!(a.reachable, !shut("public"), "{}", a.message);
        let exposed: Vec<String> = g.exposure().into_iter().map(|x| x.group).collect();
        prop_assert_eq!(exposed.is_empty(), shut("public"), "{:?}", exposed);
        let m = g.matrix();
        for c in &m.cells {
            let Some(f) = c.from else { continue };
            let (ft, tt) = (GROUPS[f].1, GROUPS[c.to].1);
            prop_assert!(
                !((azs > 1 || ft != tt) && (shut(ft) || shut(tt))),
                "matrix cell {} -> {} crosses a deny-all ACL", GROUPS[f].0, GROUPS[c.to].0
            );
        }
    }

    /// An ACL that lets the request through but not every port its reply may go to (a deny,
    /// or no rule, for part of the clients' 32768-65535) blocks it, at the side that drops the reply; with the
    /// whole range allowed it gets through.
    #[test]
    fn the_reply_is_checked(
        port in 1u16..1024,
        cut in 1025u16..65535,
        at_source in any::<bool>(),
        with_deny in any::<bool>(),
    ) {
        let allow = |n: u32, ports: &str| format!(
            r#"{{"rule_number": {n}, "action": "allow", "protocol": "tcp", "ports": {ports}, "cidr": "10.0.0.0/16"}}"#
        );
        let replies = allow(110, "\"1024-65535\"");
        let broken = if with_deny {
            format!(
                r#"{{"rule_number": 105, "action": "deny", "protocol": "tcp", "ports": "{cut}-65535", "cidr": "10.0.0.0/16"}}, {replies}"#
            )
        } else {
            allow(110, &format!("\"1024-{}\"", cut - 1))
        };
        let (app_in, data_out) = if at_source {
            (broken.clone(), replies.clone())
        } else {
            (replies.clone(), broken.clone())
        };
        let acls = |app_in: &str, data_out: &str| format!(
            r#"[{{"name": "app", "tiers": ["app"], "ingress": [{app_in}], "egress": [{}]}},
                {{"name": "data", "tiers": ["data"], "ingress": [{}], "egress": [{data_out}]}}]"#,
            allow(100, &port.to_string()),
            allow(100, &port.to_string()),
        );
        let ask = |acls: &str| {
            let plan = planner_core::plan(&design(port, 2, acls, ""), None).expect("plans").plan;
            Graph::new(&plan)
                .reach(&Endpoint::parse("app"), &Endpoint::parse("db"), Protocol::Tcp, Some(port))
                .unwrap()
        };
        let a = ask(&acls(&app_in, &data_out));
        prop_assert!(!a.reachable, "{}", a.message);
        prop_assert_eq!(a.blocked_by.len(), 1);
        prop_assert_eq!(a.blocked_by[0].code, Some(Code::SubnetAclRestriction));
        let side = if at_source { "network ACL app" } else { "network ACL data" };
        prop_assert!(a.message.contains(side) && a.message.contains("the reply (tcp "), "{}", a.message);
        let ok = ask(&acls(&replies, &replies));
        prop_assert!(ok.reachable, "{}", ok.message);
    }
}
