//! The reducer's unit tests.

use super::*;
use planner_core::alloc::Allocation;
use serde_json::json;

fn start() -> State {
    State::loaded(Loaded::fresh(blank(), None))
}

#[test]
fn an_invalid_field_keeps_its_value_and_the_last_plan() {
    let s = start();
    let good = s.planned.clone().expect("the blank design plans");
    let s = s.apply(Action::Set {
        path: "vpc.cidr".into(),
        value: json!("10.0.0.0/33"),
    });
    assert_eq!(s.text("vpc.cidr"), "10.0.0.0/33");
    assert!(s.error_at("vpc.cidr").is_some(), "{:?}", s.error);
    assert!(s.error_at("vpc").is_some());
    assert!(s.error_at("tiers").is_none());
    assert!(s.is_stale());
    assert!(Rc::ptr_eq(s.planned.as_ref().unwrap(), &good));
}

#[test]
fn subnets_stay_where_the_baseline_has_them_when_a_tier_is_added_first() {
    let s = start().apply(Action::Exported);
    let baseline = s.planned.clone().unwrap().plan.allocation.clone();
    assert_eq!(s.baseline.as_deref(), Some(&baseline));
    let s = s.apply(Action::Insert {
        path: "tiers".into(),
        index: 0,
        value: json!({"name": "db", "kind": "isolated", "size": {"prefix": 20}}),
    });
    assert!(s.error.is_none(), "{:?}", s.error);
    let after = &s.planned.as_ref().unwrap().plan.allocation.subnets;
    for old in &baseline.subnets {
        assert!(after.contains(old), "{old:?} moved");
    }
}

/// What `executor plan` makes of the design as edited, with `baseline` as `--previous`.
fn cli_plan(s: &State, baseline: Option<&Allocation>) -> String {
    let design = planner_core::parse_design(&s.doc.to_string()).expect("the design parses");
    planner_core::plan(&design, baseline)
        .expect("the design plans")
        .plan
        .to_json()
}

#[test]
fn every_keystroke_plans_against_the_baseline_only() {
    let hosts = |s: State, text: &str| {
        s.apply(Action::Set {
            path: "tiers[1].size".into(),
            value: json!({ "hosts": text.parse::<u64>().unwrap() }),
        })
    };
    let rename = |s: State, text: &str| {
        s.apply(Action::Set {
            path: "tiers[0].name".into(),
            value: json!(text),
        })
    };
    // Typed key by key: a host count, and a tier renamed through other names and back.
    let mut s = start().apply(Action::Insert {
        path: "tiers".into(),
        index: 2,
        value: json!({"name": "db", "kind": "isolated", "size": {"prefix": 24}}),
    });
    for text in ["1", "10", "100", "1000"] {
        s = hosts(s, text);
    }
    for text in ["p", "pr", "pri", "priv", "public"] {
        s = rename(s, text);
    }
    assert!(s.error.is_none(), "{:?}", s.error);
    assert_eq!(
        s.planned.as_ref().unwrap().plan.to_json(),
        cli_plan(&s, None)
    );

    // With a baseline (the plan as exported), the same holds against it.
    let s = s.apply(Action::Exported);
    let baseline = s.baseline.clone().unwrap();
    let mut s = s;
    for text in ["2", "20", "200"] {
        s = hosts(s, text);
    }
    assert_eq!(
        s.planned.as_ref().unwrap().plan.to_json(),
        cli_plan(&s, Some(&baseline))
    );
}

#[test]
fn replacing_unsaved_work_asks_and_can_be_undone() {
    let tiny = || Loaded::fresh(preset("tinystacks", &[]).unwrap(), None);
    // Untouched work is replaced without a question.
    let s = start().apply(Action::Replace(Box::new(tiny()), Ask::IfUnsaved));
    assert!(s.pending.is_none());
    assert_eq!(s.doc["name"], "tinystacks");
    let s = s.apply(Action::Undo);
    assert_eq!(s.doc["name"], "my-network");

    let edited = start().apply(Action::Set {
        path: "name".into(),
        value: json!("mine"),
    });
    assert!(edited.unsaved);
    let asked = edited
        .clone()
        .apply(Action::Replace(Box::new(tiny()), Ask::IfUnsaved));
    let q = &asked.pending.as_ref().expect("a question").question;
    assert!(q.contains("“mine”") && q.contains("not exported"), "{q}");
    assert_eq!(asked.doc, edited.doc, "nothing replaced before the answer");
    let kept = asked.clone().apply(Action::Answer(false));
    assert!(kept.pending.is_none());
    assert_eq!(kept.doc, edited.doc);
    let replaced = asked.apply(Action::Answer(true));
    assert_eq!(replaced.doc["name"], "tinystacks");
    assert!(!replaced.unsaved);
    let back = replaced.apply(Action::Undo);
    assert_eq!(back.doc, edited.doc);
    assert!(back.unsaved, "the work put back is still unsaved");
    assert!(back.undo.is_none());

    // Once exported, New… does not ask; a share link of another design does.
    let exported = edited.apply(Action::Exported);
    assert!(!exported.unsaved);
    let s = exported
        .clone()
        .apply(Action::Replace(Box::new(tiny()), Ask::IfUnsaved));
    assert!(s.pending.is_none());
    let s = exported.apply(Action::Replace(Box::new(tiny()), Ask::IfDifferent));
    assert!(s.pending.is_some());
}

#[test]
fn a_removal_can_be_undone_until_the_next_edit() {
    let s = start();
    let doc = s.doc.clone();
    let s = s.apply(Action::Remove {
        path: "tiers[1]".into(),
    });
    assert_eq!(s.undo.as_ref().unwrap().what, "removing tier “private”");
    let s = s.apply(Action::Undo);
    assert_eq!(s.doc, doc);
    let s = s
        .apply(Action::Remove {
            path: "tiers[0]".into(),
        })
        .apply(Action::Set {
            path: "name".into(),
            value: json!("x"),
        });
    assert!(s.undo.is_none(), "undoing would drop the later edit");
}

#[test]
fn removing_a_group_role_or_instance_can_be_undone() {
    let load = |name: &str, params: &[(&str, &str)]| {
        let s = State::loaded(Loaded::fresh(preset(name, params).unwrap(), None));
        assert!(s.error.is_none(), "{name}: {:?}", s.error);
        s
    };
    let tiny = load("tinystacks", &[("bastion", "true")]);
    let determined = load("determined", &[]);
    let role = determined.doc["iam"]["roles"][0]["name"]
        .as_str()
        .unwrap()
        .to_owned();
    for (s, path, what) in [
        (
            &tiny,
            "security_groups[0]",
            "removing security group “alb”".to_owned(),
        ),
        (
            &determined,
            "iam.roles[0]",
            format!("removing role “{role}”"),
        ),
    ] {
        let removed = s.clone().apply(Action::Remove { path: path.into() });
        assert_eq!(removed.undo.as_ref().unwrap().what, what);
        assert_eq!(removed.apply(Action::Undo).doc, s.doc);
    }
    // Instances are edited in the design's JSON: the whole value is set at once.
    let mut edited = (*tiny.doc).clone();
    edited["instances"] = json!([]);
    let removed = tiny.clone().apply(Action::Set {
        path: String::new(),
        value: edited,
    });
    assert_eq!(
        removed.undo.as_ref().unwrap().what,
        "removing instance “tinystacks-bastion”"
    );
    assert_eq!(removed.apply(Action::Undo).doc, tiny.doc);
}

#[test]
fn a_plan_with_error_findings_is_not_exported() {
    let s = start();
    assert_eq!(s.export_blocked(), None);
    let s = s.apply(Action::Set {
        path: "vpc.cidr".into(),
        value: json!("10.0.0.0/8"),
    });
    assert!(
        s.error.is_none(),
        "a /8 plans, with a finding: {:?}",
        s.error
    );
    let why = s.export_blocked().expect("an error finding blocks export");
    assert!(why.contains("NET001") && why.contains("vpc.cidr"), "{why}");
    let exported = s.clone().apply(Action::Exported);
    assert!(exported.baseline.is_none(), "nothing was exported");
    let s = s.apply(Action::Set {
        path: "vpc.cidr".into(),
        value: json!("10.0.0.0/33"),
    });
    assert!(s.export_blocked().unwrap().contains("vpc.cidr"));
}

#[test]
fn plan_errors_point_at_a_field() {
    let s = start().apply(Action::Set {
        path: "vpc.cidr".into(),
        value: json!("10.0.0.0/24"),
    });
    let e = s.error.expect("two /22s do not fit a /24");
    assert_eq!(e.path, "vpc.cidr");
    assert!(e.message.contains("does not fit"), "{}", e.message);
    let s = start().apply(Action::Set {
        path: "tiers[1].name".into(),
        value: json!("public"),
    });
    assert!(s.error_at("tiers[1].name").is_some(), "{:?}", s.error);
}

#[test]
fn drafts_elsewhere_survive_list_edits() {
    let draft = |path: &str| Action::Draft {
        path: path.into(),
        text: "{".into(),
        error: "not JSON".into(),
    };
    let s = start()
        .apply(draft("iam.roles[0].trust_policy"))
        .apply(draft("tiers[1].size"))
        .apply(Action::Insert {
            path: "cidrs_in_use".into(),
            index: 0,
            value: json!({"cidr": "192.168.0.0/16"}),
        })
        .apply(Action::Remove {
            path: "tiers[0]".into(),
        });
    assert_eq!(
        s.drafts.keys().collect::<Vec<_>>(),
        ["iam.roles[0].trust_policy"]
    );
}

#[test]
fn focus_switches_to_the_fields_tab() {
    let s = start().apply(Action::Focus("iam.roles[0].trust".into()));
    assert_eq!(s.tab, Tab::Iam);
    assert_eq!(s.focus.as_ref().unwrap().nonce, 1);
    let s = s.apply(Action::Focus("tiers[0]".into()));
    assert_eq!((s.tab, s.focus.unwrap().nonce), (Tab::Network, 2));
    assert_eq!(Tab::for_path("instances[0].tier"), Tab::Instances);
    assert_eq!(Tab::for_path("nat_instances.ami.alias"), Tab::Network);
}

#[test]
fn every_preset_loads_without_errors() {
    for info in planner_core::presets::list() {
        let s = State::loaded(Loaded::fresh(preset(info.name, &[]).unwrap(), None));
        assert!(s.error.is_none(), "{}: {:?}", info.name, s.error);
    }
}

/// The VPC's defaults as the network tab's fields set them: DNS support off while hostnames
/// stay on (their default) is refused at `vpc.dns_hostnames`, and the plan keeps what the
/// fields ask once they agree.
#[test]
fn the_vpcs_defaults_reach_the_plan_and_a_refused_pair_is_marked_at_its_field() {
    let s = start().apply(Action::Set {
        path: "vpc.dns_support".into(),
        value: json!(false),
    });
    assert!(s.error_at("vpc.dns_hostnames").is_some(), "{:?}", s.error);
    assert!(s.error_at("vpc.dns_support").is_none());
    assert!(s.is_stale());
    let s = [
        ("vpc.dns_hostnames", json!(false)),
        ("vpc.restrict_default_security_group", json!(true)),
        ("vpc.default_network_acl", json!("deny_all")),
    ]
    .into_iter()
    .fold(s, |s, (path, value)| {
        s.apply(Action::Set {
            path: path.into(),
            value,
        })
    });
    assert!(s.error.is_none(), "{:?}", s.error);
    let plan = &s.planned.as_ref().expect("a plan").plan;
    let vpc = plan.design.vpc.as_ref().expect("a VPC");
    assert!(!vpc.dns_support && !vpc.dns_hostnames && vpc.restrict_default_security_group);
    assert_eq!(
        vpc.default_network_acl.map(|a| a.as_str()),
        Some("deny_all")
    );
    // The ACL's select removes its member for AWS's own rules, not managed.
    let s = s.apply(Action::Set {
        path: "vpc.default_network_acl".into(),
        value: serde_json::Value::Null,
    });
    assert_eq!(s.value("vpc.default_network_acl"), None);
    let plan = &s.planned.as_ref().expect("a plan").plan;
    let vpc = plan.design.vpc.as_ref().expect("a VPC");
    assert_eq!(vpc.default_network_acl, None);
    // The checkboxes remove a member set back to its default.
    let s = s.apply(Action::Set {
        path: "vpc.dns_hostnames".into(),
        value: serde_json::Value::Null,
    });
    assert_eq!(s.value("vpc.dns_hostnames"), None);
}

/// The blank design with an ACL `edge` holding the public tier, with one inbound rule.
fn with_acl() -> State {
    start()
        .apply(Action::Insert {
            path: "network_acls".into(),
            index: usize::MAX,
            value: json!({"name": "edge", "tiers": [], "ingress": [], "egress": []}),
        })
        .apply(Action::PlaceTier {
            tier: "public".into(),
            acl: Some(0),
        })
        .apply(Action::Insert {
            path: "network_acls[0].ingress".into(),
            index: usize::MAX,
            value: json!({"rule_number": 100, "action": "allow", "protocol": "tcp", "ports": 443, "cidr": "0.0.0.0/0"}),
        })
}

#[test]
fn network_acl_fields_are_paths_and_their_errors_land_there() {
    let s = with_acl();
    assert!(s.error.is_none(), "{:?}", s.error);
    let count = |s: &State, ty: &str| {
        let resources = &s.planned.as_ref().unwrap().plan.resources;
        resources
            .iter()
            .filter(|r| serde_json::to_value(&r.kind).unwrap()["type"] == ty)
            .count()
    };
    assert_eq!(
        count(&s, "network_acl_association"),
        2,
        "public's two subnets"
    );
    assert_eq!(count(&s, "network_acl_entry"), 1);
    let number = "network_acls[0].ingress[0].rule_number";
    let s = s.apply(Action::Set {
        path: number.into(),
        value: json!(0),
    });
    assert!(s.error_at(number).is_some(), "{:?}", s.error);
    assert_eq!(s.text(number), "0");
    let s = s.apply(Action::Set {
        path: number.into(),
        value: json!(32766),
    });
    assert!(s.error.is_none(), "{:?}", s.error);
    assert_eq!(
        s.planned.as_ref().unwrap().plan.to_json(),
        cli_plan(&s, None)
    );
}

#[test]
fn a_tier_moves_between_acls_in_one_action() {
    let s = with_acl().apply(Action::Insert {
        path: "network_acls".into(),
        index: usize::MAX,
        value: json!({"name": "inner", "tiers": ["private"]}),
    });
    assert!(s.error.is_none(), "{:?}", s.error);
    let revision = s.revision;
    let s = s.apply(Action::PlaceTier {
        tier: "public".into(),
        acl: Some(1),
    });
    assert_eq!(s.revision, revision + 1, "one edit");
    assert!(s.error.is_none(), "{:?}", s.error);
    assert_eq!(s.doc["network_acls"][0]["tiers"], json!([]));
    assert_eq!(
        s.doc["network_acls"][1]["tiers"],
        json!(["private", "public"])
    );
    let same = s.clone().apply(Action::PlaceTier {
        tier: "public".into(),
        acl: Some(1),
    });
    assert_eq!((same.revision, same.unsaved), (s.revision, s.unsaved));
    let out = s.apply(Action::PlaceTier {
        tier: "private".into(),
        acl: None,
    });
    assert_eq!(out.doc["network_acls"][1]["tiers"], json!(["public"]));
}

#[test]
fn removing_an_acl_or_a_rule_can_be_undone() {
    let s = with_acl();
    for (path, what) in [
        ("network_acls[0]", "removing network ACL “edge”"),
        ("network_acls[0].ingress[0]", "removing rule 100"),
    ] {
        let removed = s.clone().apply(Action::Remove { path: path.into() });
        assert_eq!(removed.undo.as_ref().unwrap().what, what);
        assert_eq!(removed.apply(Action::Undo).doc, s.doc);
    }
    let s = s.apply(Action::Focus("network_acls[0].ingress[0].cidr".into()));
    assert_eq!(s.tab, Tab::NetworkAcls);
}

#[test]
fn the_blank_design_starts_without_a_warning() {
    let planned = start().planned.expect("the blank design plans");
    let loud: Vec<_> = planned
        .diagnostics
        .iter()
        .filter(|d| d.severity != planner_core::Severity::Info)
        .map(|d| d.code)
        .collect();
    assert_eq!(loud, Vec::<&str>::new());
}

#[test]
fn a_broken_number_reads_in_words() {
    let s = start().apply(Action::Set {
        path: "tiers[0].size".into(),
        value: json!({"prefix": "-1"}),
    });
    assert_eq!(
        s.error_at("tiers[0].size.prefix"),
        Some(r#"expected a prefix length from 16 to 28, got "-1""#)
    );
}

#[test]
fn an_iam_edit_keeps_the_drawn_plan_and_a_network_edit_replaces_it() {
    let s = State::loaded(Loaded::fresh(preset("informatica", &[]).unwrap(), None));
    let drawn = s.drawn.clone().expect("the preset plans");
    assert!(drawn.plan.design.vpc.is_some());
    assert!(Rc::ptr_eq(&drawn, s.planned.as_ref().unwrap()));
    let policy = json!({"name": "extra", "document": {"Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}});
    let s = s.apply(Action::Insert {
        path: "iam.policies".into(),
        index: usize::MAX,
        value: policy,
    });
    assert!(s.error.is_none(), "{:?}", s.error);
    let planned = s.planned.clone().unwrap();
    assert_ne!(planned.plan, drawn.plan, "the IAM edit changed the plan");
    assert!(Rc::ptr_eq(s.drawn.as_ref().unwrap(), &drawn));

    let s = s.apply(Action::Set {
        path: "vpc.cidr".into(),
        value: json!("10.9.0.0/16"),
    });
    assert!(s.error.is_none(), "{:?}", s.error);
    assert!(Rc::ptr_eq(
        s.drawn.as_ref().unwrap(),
        s.planned.as_ref().unwrap()
    ));
    assert_ne!(
        s.drawn.as_ref().unwrap().plan.allocation,
        drawn.plan.allocation
    );
}
