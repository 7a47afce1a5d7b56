//! What the internet reaches: the core's exposure report, one line per group and port, each a
//! link to the rule that opens it.

use planner_core::analysis::matrix::Exposure;
use yew::prelude::*;

use crate::draw::sg_graph::diagram::flow_label;
use crate::draw::sg_graph::shared::SharedGraph;
use crate::editor::use_editor;
use crate::state::Action;

/// One line of the report, e.g. `alb: tcp 443 from the internet (alb in tier public)`.
pub fn line(x: &Exposure) -> String {
    format!(
        "{}: {} from {} ({})",
        x.group,
        flow_label(x.protocol, x.ports),
        x.from,
        x.members.join(", ")
    )
}

/// Properties of [`ExposureList`].
#[derive(Properties, PartialEq, Clone)]
pub struct ExposureListProps {
    /// The graph of the last good plan.
    pub graph: SharedGraph,
}

/// The exposure report.
#[function_component]
pub fn ExposureList(props: &ExposureListProps) -> Html {
    let editor = use_editor();
    let mut exposure = props.graph.0.exposure();
    // IPv4 and IPv6 openings of one rule read the same; one line says it.
    exposure.dedup_by(|a, b| line(a) == line(b) && a.path == b.path);
    let items = exposure.iter().map(|x| {
        let text = line(x);
        if x.path.is_empty() {
            return html! { <li data-group={x.group.clone()}>{ text }</li> };
        }
        let onclick = {
            let editor = editor.clone();
            let path = x.path.clone();
            Callback::from(move |_| editor.dispatch(Action::Focus(path.clone())))
        };
        html! {
            <li data-group={x.group.clone()}>
                <button type="button" class="sg-exposure-item" title="Go to the rule" {onclick}>{ text }</button>
            </li>
        }
    });
    html! {
        <section class="sg-exposure" aria-labelledby="sg-exposure-title">
            <h3 id="sg-exposure-title">{ "What the internet reaches" }</h3>
            if exposure.is_empty() {
                <p class="empty" id="sg-exposure-empty">{ "Nothing is reachable from the internet." }</p>
            } else {
                <ul id="sg-exposure">{ for items }</ul>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draw::sg_graph::fixture::graph;

    #[test]
    fn lines_name_group_ports_and_members() {
        let lines: Vec<String> = graph().exposure().iter().map(line).collect();
        assert_eq!(
            lines,
            [
                "alb: tcp 443 from the internet (load_balancer in tier public)",
                "bastion: tcp 22 from the internet (bastion in tier public)"
            ]
        );
    }
}
