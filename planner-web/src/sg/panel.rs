//! The security-group tab: the groups editor, then the graph of who reaches whom, the
//! reachability question and the exposure report, all read from one [`Graph`] per plan.

use std::rc::Rc;

use planner_core::analysis::sg_graph::Graph;
use yew::prelude::*;

use super::exposure::ExposureList;
use super::groups::GroupsEditor;
use super::jump::Jump;
use super::reach::ReachBox;
use crate::draw::sg_graph::shared::SharedGraph;
use crate::draw::sg_graph::view::SgGraph;
use crate::editor::{use_editor, SamePlan};

/// The security-group tab.
#[function_component]
pub fn SgPanel() -> Html {
    let editor = use_editor();
    let graph = use_memo(SamePlan(editor.planned.clone()), |key| {
        key.0
            .as_ref()
            .map(|p| SharedGraph(Rc::new(Graph::new(&p.plan))))
    });
    let stale = editor.is_stale();
    html! {
        <div class="panel sg">
            <Jump graph={(*graph).clone()} />
            <GroupsEditor />
            <section class="sg-views" id="sg-views" aria-label="Reachability">
                <h2>{ "Who reaches whom" }
                    if stale { <small class="sg-stale">{ "last valid plan" }</small> }</h2>
                if let Some(graph) = (*graph).clone() {
                    <div class="sg-graph-wrap">
                        <SgGraph graph={graph.clone()} />
                    </div>
                    <p class="sg-legend">
                        <span class="key exposed">{ "reachable from the internet" }</span>
                        <span class="key unattached">{ "attached to nothing" }</span>
                        { "Arrows: what may flow (both sides' rules allow it). Click a group to edit it." }
                    </p>
                    <ReachBox graph={graph.clone()} {stale} />
                    <ExposureList {graph} />
                } else {
                    <p class="empty">{ "No valid plan yet: fix the marked error to see the graph." }</p>
                }
            </section>
        </div>
    }
}
