//! What the internet reaches: the core's exposure report, one line per group and port, each a
//! link to the rule that opens it.

use planner_core::analysis::matrix::{Exposure, Shielded};
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

/// One line about what a group admits from the internet that network ACLs stop, with AWS's
/// explanation code.
pub fn blocked_line(b: &Shielded) -> String {
    let code = b
        .blocked_by
        .code
        .map(|c| format!(" [{}]", c.as_str()))
        .unwrap_or_default();
    format!(
        "{}: {} {} from {}: {}{code}",
        b.group, b.protocol, b.ports, b.from, b.blocked_by.message
    )
}

/// The exposure report, and what network ACLs stop of what the groups open.
#[function_component]
pub fn ExposureList(props: &ExposureListProps) -> Html {
    let editor = use_editor();
    let report = props.graph.0.exposure_report();
    let mut exposure = report.exposed;
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
            if !report.blocked.is_empty() {
                <h4>{ "What network ACLs stop" }</h4>
                <ul id="sg-exposure-blocked">
                { for report.blocked.iter().map(|b| html! {
                    <li data-group={b.group.clone()}>{ blocked_line(b) }</li>
                }) }
                </ul>
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

    #[test]
    fn what_an_acl_stops_is_a_line_with_its_code() {
        let design = planner_core::parse_design(
            r#"{"name": "d", "region": "us-east-1", "vpc": {"cidr": "10.0.0.0/16"},
                "availability_zones": 1,
                "tiers": [{"name": "public", "kind": "public", "size": {"prefix": 24}}],
                "security_groups": [{"name": "web", "description": "web",
                    "attached_to": [{"role": "app", "tier": "public"}],
                    "ingress": [{"protocol": "tcp", "ports": 8080, "peer": "internet"}]}],
                "network_acls": [{"name": "edge", "tiers": ["public"],
                    "ingress": [{"rule_number": 100, "action": "allow", "protocol": "tcp", "ports": 443, "cidr": "0.0.0.0/0"}],
                    "egress": [{"rule_number": 100, "action": "allow", "protocol": "all", "cidr": "0.0.0.0/0"}]}]}"#,
        )
        .unwrap();
        let plan = planner_core::plan(&design, None).unwrap().plan;
        let report = planner_core::analysis::sg_graph::Graph::new(&plan).exposure_report();
        assert!(report.exposed.is_empty());
        let lines: Vec<String> = report.blocked.iter().map(blocked_line).collect();
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(
            lines[0].starts_with("web: tcp 8080 from the internet: network ACL edge")
                && lines[0].ends_with("[SUBNET_ACL_RESTRICTION]"),
            "{}",
            lines[0]
        );
    }
}
