//! VPC endpoints: for each, the service, gateway or interface, the tiers it serves, and for
//! interface endpoints their security groups and private DNS; an optional policy.

use planner_core::design::endpoint::{GATEWAY_SERVICES, KNOWN_INTERFACE_SERVICES};
use serde_json::{json, Value};
use yew::prelude::*;

use crate::editor::{on_click, use_editor, Editor};
use crate::fields::{Checkbox, JsonField, Select, TextField};
use crate::path::{self, field_id};
use crate::state::Action;

/// A checkbox per name that puts it in, or takes it out of, the array at `path`.
fn membership(editor: &Editor, path: &str, names: &[String], legend: &str) -> Html {
    let chosen: Vec<String> = editor
        .value(path)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    html! {
        <fieldset class="members" id={field_id(path)} tabindex="-1">
            <legend>{ legend }</legend>
            if names.is_empty() {
                <p class="empty">{ "None in the design yet." }</p>
            }
            { for names.iter().map(|name| {
                let on = chosen.contains(name);
                let next: Vec<String> = if on {
                    chosen.iter().filter(|c| *c != name).cloned().collect()
                } else {
                    // Keep the design's order, the new one last.
                    chosen.iter().cloned().chain(std::iter::once(name.clone())).collect()
                };
                let onchange = {
                    let editor = editor.clone();
                    let action = Action::Set { path: path.to_owned(), value: json!(next) };
                    Callback::from(move |_: Event| editor.dispatch(action.clone()))
                };
                html! {
                    <label class="check">
                        <input type="checkbox" id={format!("{}-{name}", field_id(path))} checked={on} {onchange} />
                        { name }
                    </label>
                }
            }) }
            <crate::fields::FieldError path={AttrValue::from(path.to_owned())} />
        </fieldset>
    }
}

/// The design's VPC endpoints.
#[function_component]
pub fn Endpoints() -> Html {
    let editor = use_editor();
    let n = path::count(&editor.doc, "endpoints");
    let tiers = path::names(&editor.doc, "tiers");
    let groups = path::names(&editor.doc, "security_groups");
    // A new endpoint serves the first tier that is not public, where endpoints pay off.
    let inner = path::get(&editor.doc, "tiers")
        .and_then(Value::as_array)
        .and_then(|ts| {
            ts.iter()
                .find(|t| t.get("kind").and_then(Value::as_str) != Some("public"))
                .or(ts.first())
        })
        .and_then(|t| t.get("name").and_then(Value::as_str))
        .map(str::to_owned);
    let add = |service: &str, kind: &str| {
        let first_private = inner.clone().into_iter().collect::<Vec<_>>();
        on_click(
            &editor,
            Action::Insert {
                path: "endpoints".into(),
                index: usize::MAX,
                value: json!({"service": service, "kind": kind, "tiers": first_private}),
            },
        )
    };
    let kinds = vec![
        (
            AttrValue::from("gateway"),
            AttrValue::from("gateway (free; S3, DynamoDB)"),
        ),
        (
            AttrValue::from("interface"),
            AttrValue::from("interface (per AZ-hour and GB)"),
        ),
    ];
    html! {
        <fieldset class="list endpoints" id={field_id("endpoints")} tabindex="-1">
            <legend>{ "VPC endpoints" }</legend>
            <datalist id="endpoint-services">
                { for KNOWN_INTERFACE_SERVICES.iter().map(|s| html! { <option value={*s} /> }) }
            </datalist>
            { for (0..n).map(|i| {
                let base = format!("endpoints[{i}]");
                let at = |f: &str| format!("{base}.{f}");
                let kind = editor.value(&at("kind")).and_then(Value::as_str).unwrap_or("gateway").to_owned();
                let service = editor.value(&at("service")).and_then(Value::as_str).unwrap_or("").to_owned();
                let remove = on_click(&editor, Action::Remove { path: base.clone() });
                let has_policy = editor.value(&at("policy")).is_some();
                let add_policy = on_click(&editor, Action::Set {
                    path: at("policy"),
                    value: json!({"Version": "2012-10-17", "Statement": [
                        {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}),
                });
                html! {
                    <div class="card endpoint" id={field_id(&base)} tabindex="-1">
                        <div class="row">
                            <TextField path={at("service")} label="Service" placeholder="s3" list="endpoint-services" />
                            <Select path={at("kind")} label="Kind" options={kinds.clone()} default="gateway" />
                            <button type="button" aria-label={format!("Remove endpoint {}", if service.is_empty() { (i + 1).to_string() } else { service.clone() })} onclick={remove}>{ "✕" }</button>
                        </div>
                        { membership(&editor, &at("tiers"), &tiers,
                            if kind == "gateway" { "Tiers whose route tables get its route" } else { "Tiers whose subnets get its interfaces" }) }
                        if kind == "interface" {
                            { membership(&editor, &at("security_groups"), &groups, "Security groups of its interfaces") }
                            <Checkbox path={at("private_dns")} label="Private DNS (the service's name resolves to the endpoint)" default=true />
                        } else if !GATEWAY_SERVICES.contains(&service.as_str()) && !service.is_empty() {
                            <p class="hint">{ format!("{service} has no gateway endpoint; make it an interface endpoint.") }</p>
                        }
                        if has_policy {
                            <JsonField path={at("policy")} label="Endpoint policy" optional=true max_rows={12} />
                        } else {
                            <button type="button" onclick={add_policy}>{ "Add a policy (default: full access)" }</button>
                        }
                    </div>
                }
            }) }
            <div class="row">
                <button type="button" id="endpoint-add-s3" onclick={add("s3", "gateway")}>{ "Add S3 gateway endpoint" }</button>
                <button type="button" id="endpoint-add-interface" onclick={add("ecr.api", "interface")}>{ "Add interface endpoint" }</button>
            </div>
        </fieldset>
    }
}
