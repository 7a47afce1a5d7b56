//! Buttons to each group's card and to the views below the editor, which grows long.

use yew::prelude::*;

use super::json::Names;
use crate::browser;
use crate::draw::sg_graph::shared::SharedGraph;
use crate::editor::use_editor;
use crate::state::Action;

/// Properties of [`Jump`].
#[derive(Properties, PartialEq, Clone)]
pub(super) struct JumpProps {
    /// The graph of the last good plan, to mark the exposed groups.
    pub graph: Option<SharedGraph>,
}

/// Buttons to each group's card and to the views below the editor, which grows long.
#[function_component]
pub(super) fn Jump(props: &JumpProps) -> Html {
    let editor = use_editor();
    let names = Names::of(&editor.doc, "").groups;
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
    let to_views = Callback::from(|_| browser::scroll_to("sg-views"));
    html! {
        <nav class="sg-nav" aria-label="Go to">
            <span class="label">{ "Go to" }</span>
            { for groups }
            <button type="button" id="sg-go-views" onclick={to_views}>{ "Graph and reachability ↓" }</button>
        </nav>
    }
}
