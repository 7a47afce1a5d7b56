//! The instances editor's JSON against the core: what it writes plans, and the core's
//! messages land at the fields that show them.

use planner_core::design::instances::InstanceRole;
use serde_json::json;

use super::json::new_instance;
use crate::fields::ami::AmiKind;
use crate::state::{blank, Action, Loaded, State};

fn set(s: State, path: &str, value: serde_json::Value) -> State {
    s.apply(Action::Set {
        path: path.into(),
        value,
    })
}

/// A blank design with a bastion host the editor made.
fn start() -> State {
    let s = State::loaded(Loaded::fresh(blank(), None));
    let bastion = new_instance(&s.doc, InstanceRole::Bastion);
    let s = s.apply(Action::Insert {
        path: "instances".into(),
        index: usize::MAX,
        value: bastion,
    });
    assert!(s.error.is_none(), "{:?}", s.error);
    s
}

#[test]
fn a_new_instance_plans_in_the_first_public_tier() {
    let s = start();
    let design = s.design.as_ref().unwrap();
    assert_eq!(design.instances[0].tier, "public");
    assert_eq!(design.instances[0].name, "bastion");
    let planned = s.planned.as_ref().unwrap();
    assert!(planned
        .plan
        .resources
        .iter()
        .any(|r| r.id == "instance.bastion"));
}

#[test]
fn the_cores_messages_land_at_the_fields() {
    let at = "instances[0]";
    let cases = [
        ("instance_type", json!("big"), "instances[0].instance_type"),
        ("tier", json!("db"), "instances[0].tier"),
        (
            "availability_zone",
            json!("us-east-1f"),
            "instances[0].availability_zone",
        ),
        (
            "security_groups",
            json!(["web"]),
            "instances[0].security_groups",
        ),
        (
            "instance_profile",
            json!("p"),
            "instances[0].instance_profile",
        ),
        ("ami", json!({"id": "img-1"}), "instances[0].ami.id"),
    ];
    for (member, value, field) in cases {
        let s = set(start(), &format!("{at}.{member}"), value);
        assert!(s.error_at(field).is_some(), "{member}: {:?}", s.error);
    }
    // Every image kind the field offers plans, but an id, which is the user's to type.
    for k in AmiKind::ALL {
        let s = set(start(), "instances[0].ami", k.value(&json!(null), false));
        match k {
            AmiKind::Id => assert!(s.error_at("instances[0].ami.id").is_some()),
            _ => assert!(s.error.is_none(), "{k:?}: {:?}", s.error),
        }
    }
}

#[test]
fn nat_instances_settings_plan_and_their_errors_land_at_the_field() {
    let s = set(start(), "nat", json!("single_instance"));
    let s = set(s, "nat_instances.instance_type", json!("t4g.micro"));
    let s = set(s, "nat_instances.autoscaling", json!(true));
    assert!(s.error.is_none(), "{:?}", s.error);
    assert_eq!(
        s.design.as_ref().unwrap().nat_instances.instance_type,
        "t4g.micro"
    );
    let s = set(s, "nat_instances.instance_type", json!("tiny"));
    assert!(s.error_at("nat_instances.instance_type").is_some());
    // Emptied, the field removes the member: the default type again.
    let s = set(s, "nat_instances.instance_type", serde_json::Value::Null);
    assert!(s.error.is_none(), "{:?}", s.error);
    assert_eq!(
        s.design.as_ref().unwrap().nat_instances.instance_type,
        "t4g.nano"
    );
}
