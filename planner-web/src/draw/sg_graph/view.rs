//! The graph drawn: `<svg class="sg-graph">` of [`super::diagram`]'s nodes and arrows. A click
//! on a group goes to its fields.

use yew::prelude::*;

use super::diagram::{Diagram, NodeKind};
use super::layout::{layout, CHAR_W, DETAIL_SIZE, NAME_SIZE, NODE_H, NODE_PAD};
use super::shared::SharedGraph;
use crate::draw::labels::fit_width;
use crate::editor::use_editor;
use crate::state::Action;

/// Properties of [`SgGraph`].
#[derive(Properties, PartialEq, Clone)]
pub struct SgGraphProps {
    /// The graph of the last good plan.
    pub graph: SharedGraph,
}

/// Who can reach whom on which ports.
#[function_component]
pub fn SgGraph(props: &SgGraphProps) -> Html {
    let editor = use_editor();
    let drawn = use_memo(props.graph.clone(), |g| {
        let d = Diagram::of(&g.0);
        let l = layout(&d);
        (d, l)
    });
    let (d, l) = &*drawn;
    let links = d.links.iter().zip(&l.routes).map(|(link, route)| {
        let class = classes!("sg-edge", link.internet.then_some("internet"));
        let marker = if link.internet { "url(#sg-arrow-internet)" } else { "url(#sg-arrow)" };
        html! {
            <path class={class} d={route.d.clone()} marker-end={marker}
                data-from={d.nodes[link.from].key.clone()} data-to={d.nodes[link.to].key.clone()}>
                <title>{ format!("{} → {}: {}", d.nodes[link.from].label, d.nodes[link.to].label, link.title) }</title>
            </path>
        }
    });
    let labels = d.links.iter().zip(&l.routes).map(|(link, route)| {
        let (x, y) = route.label;
        let w = link.label.chars().count() as f64 * CHAR_W + 6.0;
        html! {
            <g class={classes!("sg-edge-label", link.internet.then_some("internet"))}>
                <title>{ &link.title }</title>
                <rect x={format!("{:.1}", x - w / 2.0)} y={format!("{:.1}", y - 7.5)}
                    width={format!("{w:.1}")} height="15" rx="3" />
                <text x={format!("{x:.1}")} y={format!("{:.1}", y + 4.0)}>{ &link.label }</text>
            </g>
        }
    });
    let text_w = l.node_w - 2.0 * NODE_PAD;
    let nodes = d.nodes.iter().zip(&l.boxes).map(|(node, &(x, y))| {
        let kind = match node.kind {
            NodeKind::Internet => "internet",
            NodeKind::Group => "group",
            NodeKind::Block => "block",
        };
        let class = classes!(
            "sg-node",
            kind,
            node.exposed.then_some("exposed"),
            (!node.attached).then_some("unattached")
        );
        let path = node.path.clone();
        let focusable = !path.is_empty();
        let focus = {
            let editor = editor.clone();
            let path = path.clone();
            move || {
                if !path.is_empty() {
                    editor.dispatch(Action::Focus(path.clone()))
                }
            }
        };
        let onclick = {
            let focus = focus.clone();
            Callback::from(move |_: MouseEvent| focus())
        };
        let onkeydown = Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" {
                focus()
            }
        });
        let tip = format!(
            "{}: {}{}",
            node.label,
            node.detail,
            if node.exposed { "; reachable from the internet" } else { "" }
        );
        html! {
            <g class={class} data-node={node.key.clone()} transform={format!("translate({x:.1},{y:.1})")}
                tabindex={focusable.then_some("0")} role={focusable.then_some("button")}
                {onclick} {onkeydown}>
                <title>{ tip }</title>
                <rect width={l.node_w.to_string()} height={NODE_H.to_string()} rx="6" />
                <text class="sg-node-name" x={NODE_PAD.to_string()} y="19">
                    { fit_width(&node.label, NAME_SIZE, true, text_w).into_owned() }</text>
                <text class="sg-node-detail" x={NODE_PAD.to_string()} y="36">
                    { fit_width(&node.detail, DETAIL_SIZE, false, text_w).into_owned() }</text>
            </g>
        }
    });
    let (w, h) = l.size;
    html! {
        <svg class="sg-graph" xmlns="http://www.w3.org/2000/svg" viewBox={format!("0 0 {w:.0} {h:.0}")}
            width={format!("{w:.0}")} height={format!("{h:.0}")} aria-labelledby="sg-graph-title">
            <title id="sg-graph-title">{ "Who can reach whom, on which ports" }</title>
            <defs>
                <marker id="sg-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7"
                    markerHeight="7" orient="auto-start-reverse">
                    <path d="M0,0 L10,5 L0,10 z" class="sg-arrowhead" /></marker>
                <marker id="sg-arrow-internet" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7"
                    markerHeight="7" orient="auto-start-reverse">
                    <path d="M0,0 L10,5 L0,10 z" class="sg-arrowhead internet" /></marker>
            </defs>
            <g class="sg-edges">{ for links }</g>
            <g class="sg-nodes">{ for nodes }</g>
            <g class="sg-edge-labels">{ for labels }</g>
        </svg>
    }
}
