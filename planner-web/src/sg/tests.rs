//! The security-group editor's JSON against the core: what it writes plans, and the core's
//! messages land at the field.

use serde_json::json;

use super::json::{new_group, new_rule, peer_value, Direction, Names, PeerKind};
use crate::state::{blank, Action, Loaded, State};

fn set(s: State, path: &str, value: serde_json::Value) -> State {
    s.apply(Action::Set {
        path: path.into(),
        value,
    })
}

/// A blank design with one group the editor made and one inbound rule.
fn start() -> State {
    let s = State::loaded(Loaded::fresh(blank(), None));
    let group = new_group(&s.doc);
    let s = s.apply(Action::Insert {
        path: "security_groups".into(),
        index: usize::MAX,
        value: group,
    });
    let s = s.apply(Action::Insert {
        path: "security_groups[0].ingress".into(),
        index: usize::MAX,
        value: new_rule(Direction::Ingress),
    });
    assert!(s.error.is_none(), "{:?}", s.error);
    s
}

#[test]
fn the_core_names_the_field_of_a_wrong_value() {
    let rule = "security_groups[0].ingress[0]";
    let s = set(start(), &format!("{rule}.ports"), json!(70000));
    let message = s
        .error_at(&format!("{rule}.ports"))
        .expect("70000 is no port");
    assert!(message.contains("65535"), "{message}");
    assert_eq!(s.text(&format!("{rule}.ports")), "70000", "kept as typed");

    let s = set(start(), &format!("{rule}.ports"), json!("8000-8100"));
    assert!(s.error.is_none(), "{:?}", s.error);

    let s = set(start(), &format!("{rule}.peer"), json!({"tier": "nope"}));
    assert!(
        s.error_at(&format!("{rule}.peer")).is_some(),
        "{:?}",
        s.error
    );
}

#[test]
fn protocol_all_takes_no_ports() {
    let rule = "security_groups[0].ingress[0]";
    let s = set(start(), &format!("{rule}.protocol"), json!("all"));
    let message = s
        .error_at(&format!("{rule}.ports"))
        .expect("all with ports");
    assert!(message.contains("remove ports"), "{message}");
    // What the protocol field does: ports first, then the protocol.
    let s = set(start(), &format!("{rule}.ports"), serde_json::Value::Null);
    let s = set(s, &format!("{rule}.protocol"), json!("all"));
    assert!(s.error.is_none(), "{:?}", s.error);
}

#[test]
fn an_unknown_group_is_a_finding_at_the_peer() {
    let rule = "security_groups[0].ingress[0]";
    let s = set(start(), &format!("{rule}.peer"), json!({"group": "nope"}));
    assert!(s.error.is_none(), "{:?}", s.error);
    let found = &s.planned.as_ref().unwrap().diagnostics;
    assert!(
        found
            .iter()
            .any(|d| d.code == "SG007" && d.path == format!("{rule}.peer.group")),
        "{found:?}"
    );
}

#[test]
fn every_peer_kind_the_editor_offers_plans() {
    let s = start();
    let names = Names::of(&s.doc, "security_groups[0]");
    for kind in PeerKind::ALL {
        let peer = peer_value(kind, &json!("vpc"), &names);
        let s = set(s.clone(), "security_groups[0].ingress[0].peer", peer);
        assert!(s.error.is_none(), "{kind:?}: {:?}", s.error);
    }
}

/// A group's card lists the instances that carry it, the ones the graph counts among its
/// members besides its attachments, in every preset (Titus's `titusbastion` on its bastion).
#[test]
fn the_instances_a_card_lists_are_the_graphs_members() {
    use super::attachments::carriers;
    use planner_core::analysis::sg_graph::Graph;
    for info in planner_core::presets::list() {
        let s = State::loaded(Loaded::fresh(
            crate::state::preset(info.name, &[]).unwrap(),
            None,
        ));
        let graph = Graph::new(&s.planned.as_ref().unwrap().plan);
        for (i, g) in s
            .design
            .as_ref()
            .unwrap()
            .security_groups
            .iter()
            .enumerate()
        {
            let node = &graph.groups[i];
            assert_eq!(node.name, g.name);
            let from_instances: Vec<&str> = node.members[g.attached_to.len()..]
                .iter()
                .map(|m| m.label.as_str())
                .collect();
            let listed: Vec<String> = carriers(&s.doc, &g.name)
                .into_iter()
                .map(|c| c.name)
                .collect();
            assert_eq!(listed, from_instances, "{}: {}", info.name, g.name);
        }
    }
    let titus = State::loaded(Loaded::fresh(
        crate::state::preset("titus", &[]).unwrap(),
        None,
    ));
    let bastion = carriers(&titus.doc, "titusbastion");
    assert_eq!(bastion.len(), 1);
    assert_eq!(
        (bastion[0].name.as_str(), bastion[0].role.as_str()),
        ("titus-bastion", "bastion")
    );
}
