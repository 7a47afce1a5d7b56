//! The NAT cost estimate, from the core's dated price table.

use planner_core::Design;
use yew::prelude::*;

/// The traffic the estimate assumes, per month.
pub const GB_PER_MONTH: f64 = 100.0;

/// Properties of [`NatCost`].
#[derive(Properties, PartialEq, Clone)]
pub struct NatCostProps {
    /// The design priced.
    pub design: std::rc::Rc<Design>,
}

/// Every NAT strategy priced for the design's AZs, the chosen one marked.
#[function_component]
pub fn NatCost(props: &NatCostProps) -> Html {
    let Some(estimate) = planner_core::analysis::cost::estimate(&props.design, GB_PER_MONTH) else {
        return html! {
            <section class="cost"><h2>{ "NAT cost" }</h2>
                <p class="empty">{ format!("No price table for {}; known: {}.", props.design.region,
                    planner_core::analysis::cost::PRICES.iter().map(|p| p.region).collect::<Vec<_>>().join(", ")) }</p>
            </section>
        };
    };
    let chosen = estimate.chosen;
    html! {
        <section class="cost" aria-labelledby="cost-title">
            <h2 id="cost-title">{ "NAT cost" }
                <small>{ format!(" per month, {} GB through NAT, prices of {} ({})",
                    GB_PER_MONTH, estimate.prices_as_of, estimate.region) }</small></h2>
            <table>
                <thead><tr><th>{ "Strategy" }</th><th>{ "NATs" }</th><th>{ "Hourly" }</th><th>{ "Data" }</th><th>{ "USD / month" }</th></tr></thead>
                <tbody>
                { for estimate.strategies.iter().map(|c| html! {
                    <tr class={classes!((c.strategy == chosen).then_some("chosen"))}>
                        <td>{ c.strategy.as_str() }</td>
                        <td>{ c.nat_count }</td>
                        <td>{ format!("{:.2}", c.hourly_usd) }</td>
                        <td>{ format!("{:.2}", c.processing_usd) }</td>
                        <td>{ format!("{:.2}", c.total_usd) }</td>
                    </tr>
                }) }
                </tbody>
            </table>
        </section>
    }
}
