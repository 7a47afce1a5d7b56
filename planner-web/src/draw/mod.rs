//! Drawings of a plan: the subnet map and the topology diagram.

use std::rc::Rc;

use planner_core::alloc::Allocation;
use planner_core::Planned;
use yew::prelude::*;

/// Properties of [`SubnetMap`].
#[derive(Properties, PartialEq, Clone)]
pub struct SubnetMapProps {
    /// The plan drawn.
    pub planned: Rc<Planned>,
    /// The allocation before the last edit, to mark subnets that stayed put.
    #[prop_or_default]
    pub before: Option<Rc<Allocation>>,
}

/// The VPC's address space to scale.
#[function_component]
pub fn SubnetMap(props: &SubnetMapProps) -> Html {
    html! { <section class="subnet-map">{ format!("{} subnets", props.planned.plan.allocation.subnets.len()) }</section> }
}

/// Properties of [`Topology`].
#[derive(Properties, PartialEq, Clone)]
pub struct TopologyProps {
    /// The plan drawn.
    pub planned: Rc<Planned>,
}

/// The topology diagram as SVG.
pub fn topology_svg(planned: &Planned) -> String {
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="20"><text y="15">{}</text></svg>"#,
        planned.plan.design.name
    )
}

/// The topology diagram.
#[function_component]
pub fn Topology(props: &TopologyProps) -> Html {
    let svg = topology_svg(&props.planned);
    html! { <section class="topology">{ Html::from_html_unchecked(AttrValue::from(svg)) }</section> }
}
