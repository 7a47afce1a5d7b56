//! Security groups: the editor of groups and rules, the graph of who reaches whom, the
//! reachability question and the exposure report.
//!
//! The editor writes the design's JSON like every other field (`security_groups[0].ingress[1]
//! .ports`), in the shapes of `planner_core::sg`; the core judges the values, and its message
//! shows at the field. The graph, the question and the report read the core's
//! [`Graph`] of the last good plan, built once per plan.
//!
//! Code map: [`json`] (the JSON written, pure); [`groups`], [`rules`], [`peer`] and [`notes`]
//! (the editor); [`diagram`] (nodes and arrows, pure), [`layout`] (where they go, pure) and
//! [`view`] (the SVG); [`reach`] (the question box) and [`exposure`] (the report).

pub mod diagram;
pub mod exposure;
#[cfg(test)]
mod fixture;
pub mod groups;
pub mod json;
pub mod layout;
pub mod notes;
pub mod peer;
pub mod reach;
pub mod rules;
pub mod view;

use std::rc::Rc;

use planner_core::sg::graph::Graph;
use planner_core::Planned;
use yew::prelude::*;

use crate::fields::use_editor;
use crate::state::Action;

/// A graph shared by the views; equal when it is the same one (built from the same plan).
#[derive(Clone, Debug)]
pub struct SharedGraph(pub Rc<Graph>);

impl PartialEq for SharedGraph {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// A plan compared by identity, to build its graph once.
#[derive(Clone)]
struct PlanKey(Option<Rc<Planned>>);

impl PartialEq for PlanKey {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
            (a, b) => a.is_none() && b.is_none(),
        }
    }
}

/// The security-group tab.
#[function_component]
pub fn SgPanel() -> Html {
    let editor = use_editor();
    let graph = use_memo(PlanKey(editor.planned.clone()), |key| {
        key.0
            .as_ref()
            .map(|p| SharedGraph(Rc::new(Graph::new(&p.plan))))
    });
    let stale = editor.is_stale();
    html! {
        <div class="panel sg">
            <Jump graph={(*graph).clone()} />
            <groups::GroupsEditor />
            <section class="sg-views" id="sg-views" aria-label="Reachability">
                <h2>{ "Who reaches whom" }
                    if stale { <small class="sg-stale">{ "last valid plan" }</small> }</h2>
                if let Some(graph) = (*graph).clone() {
                    <div class="sg-graph-wrap">
                        <view::SgGraph graph={graph.clone()} />
                    </div>
                    <p class="sg-legend">
                        <span class="key exposed">{ "reachable from the internet" }</span>
                        <span class="key unattached">{ "attached to nothing" }</span>
                        { "Arrows: what may flow (both sides' rules allow it). Click a group to edit it." }
                    </p>
                    <reach::ReachBox graph={graph.clone()} {stale} />
                    <exposure::ExposureList {graph} />
                } else {
                    <p class="empty">{ "No valid plan yet: fix the marked error to see the graph." }</p>
                }
            </section>
        </div>
    }
}

/// Properties of [`Jump`].
#[derive(Properties, PartialEq, Clone)]
struct JumpProps {
    graph: Option<SharedGraph>,
}

/// Buttons to each group's card and to the views below the editor, which grows long.
#[function_component]
fn Jump(props: &JumpProps) -> Html {
    let editor = use_editor();
    let names = json::Names::of(&editor.doc, "").groups;
    let exposed: Vec<String> = props
        .graph
        .as_ref()
        .map(|g| g.0.exposure().into_iter().map(|x| x.group).collect())
        .unwrap_or_default();
    let groups = names.iter().enumerate().map(|(i, name)| {
        let editor = editor.clone();
        let onclick = Callback::from(move |_| {
            editor.dispatch(Action::Focus(format!("security_groups[{i}]")))
        });
        let class = classes!(exposed.contains(name).then_some("exposed"));
        html! { <button type="button" {class} {onclick}>{ name }</button> }
    });
    let to_views = Callback::from(|_| {
        let views = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("sg-views"));
        if let Some(views) = views {
            views.scroll_into_view();
        }
    });
    html! {
        <nav class="sg-nav" aria-label="Go to">
            <span class="label">{ "Go to" }</span>
            { for groups }
            <button type="button" id="sg-go-views" onclick={to_views}>{ "Graph and reachability ↓" }</button>
        </nav>
    }
}

#[cfg(test)]
mod tests {
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
        let s = State::loaded(Loaded {
            doc: blank(),
            pin: None,
            notice: None,
        });
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
}
