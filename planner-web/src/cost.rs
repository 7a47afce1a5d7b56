//! The network's monthly cost, from the core's dated price table, at the traffic figures the
//! design holds (`traffic`), which the panel edits: the design's own items (NAT, endpoints,
//! flow logs), each interface endpoint against NAT, and every NAT strategy compared.

use std::collections::BTreeSet;

use planner_core::design::endpoint::EndpointKind;
use planner_core::Design;
use yew::prelude::*;

use crate::fields::kind::Kind;
use crate::fields::text_field::TextField;

/// Properties of [`NatCost`].
#[derive(Properties, PartialEq, Clone)]
pub struct NatCostProps {
    /// The design priced.
    pub design: std::rc::Rc<Design>,
}

/// The services whose traffic figure the panel offers: S3 (the usual NAT bill), every service
/// with an endpoint, and any the design already gives a figure for.
fn priced_services(design: &Design) -> Vec<String> {
    let mut services: BTreeSet<String> = ["s3".to_owned()].into();
    services.extend(design.endpoints.iter().map(|e| e.service.clone()));
    services.extend(design.traffic.services_gb_per_month.keys().cloned());
    services.into_iter().collect()
}

/// The network's monthly cost with the traffic it assumes, editable.
#[function_component]
pub fn NatCost(props: &NatCostProps) -> Html {
    let design = &props.design;
    // Without a VPC there is no NAT, endpoint or flow log to price.
    if design.vpc.is_none() {
        return html! {};
    }
    let Some(estimate) = planner_core::analysis::cost::estimate(design, &design.traffic) else {
        return html! {
            <section class="cost"><h2>{ "Network cost" }</h2>
                <p class="empty">{ format!("No price table for {}; known: {}.", design.region,
                    planner_core::analysis::cost::PRICES.iter().map(|p| p.region).collect::<Vec<_>>().join(", ")) }</p>
            </section>
        };
    };
    let chosen = estimate.chosen;
    let endpoint_of = |service: &str| {
        let kinds: Vec<&str> = design
            .endpoints
            .iter()
            .filter(|e| e.service == service)
            .map(|e| match e.kind {
                EndpointKind::Gateway => "gateway endpoint",
                EndpointKind::Interface => "interface endpoint",
            })
            .collect();
        if kinds.is_empty() {
            "through NAT".to_owned()
        } else {
            kinds.join(", ")
        }
    };
    html! {
        <section class="cost" aria-labelledby="cost-title">
            <h2 id="cost-title">{ "Network cost" }
                <small>{ format!(" per month, list prices of {} ({})", estimate.prices_as_of, estimate.region) }</small></h2>
            <fieldset class="traffic">
                <legend>{ "Traffic assumed (GB a month)" }</legend>
                <TextField path="traffic.internet_gb_per_month" label="to the internet through NAT" kind={Kind::OptionalNumber} placeholder="100" />
                { for priced_services(design).into_iter().map(|s| {
                    let path = format!("traffic.services_gb_per_month[{s}]");
                    let label = format!("to {s} ({})", endpoint_of(&s));
                    html! { <TextField path={path} label={label} kind={Kind::OptionalNumber} placeholder="0" /> }
                }) }
                if design.flow_logs.is_some() {
                    <TextField path="traffic.flow_logs_gb_per_month" label="flow-log records" kind={Kind::OptionalNumber} placeholder="0" />
                }
            </fieldset>
            if !estimate.items.is_empty() {
                <table class="items">
                    <thead><tr><th>{ "This design" }</th><th>{ "GB" }</th><th>{ "Hourly" }</th><th>{ "Data" }</th><th>{ "USD / month" }</th></tr></thead>
                    <tbody>
                    { for estimate.items.iter().map(|i| html! {
                        <tr title={i.note.clone().unwrap_or_default()}>
                            <td>{ &i.what }{ i.note.as_ref().map(|n| html! { <small>{ format!(" ({n})") }</small> }) }</td>
                            <td>{ i.gb_per_month }</td>
                            <td>{ format!("{:.2}", i.hourly_usd) }</td>
                            <td>{ format!("{:.2}", i.data_usd) }</td>
                            <td>{ format!("{:.2}", i.hourly_usd + i.data_usd) }</td>
                        </tr>
                    }) }
                    <tr class="total"><td colspan="4">{ "Total" }</td><td>{ format!("{:.2}", estimate.total_usd) }</td></tr>
                    </tbody>
                </table>
            }
            { for estimate.break_even.iter().map(|b| html! {
                <p class="break-even">{ format!(
                    "Interface endpoint {}: {:.2} USD a month for {} AZs; it pays for itself above {} GB a month against a NAT gateway (each GB saves {:.3} USD){}.",
                    b.service, b.hourly_usd, b.azs, b.break_even_gb, b.saving_per_gb_usd,
                    if f64::from(b.gb_per_month) >= b.break_even_gb { format!("; at {} GB it does", b.gb_per_month) }
                    else { format!("; at {} GB it does not", b.gb_per_month) }) }</p>
            }) }
            <table>
                <caption>{ format!("NAT strategies at {} GB through NAT", estimate.gb_per_month) }</caption>
                <thead><tr><th>{ "Strategy" }</th><th>{ "NATs" }</th><th>{ "Hourly" }</th><th>{ "Data" }</th><th>{ "USD / month" }</th></tr></thead>
                <tbody>
                { for estimate.strategies.iter().map(|c| html! {
                    <tr class={classes!((c.strategy == chosen).then_some("chosen"))}>
                        <td title={c.strategy.as_str()}>{ crate::words::nat_label(c.strategy) }</td>
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
