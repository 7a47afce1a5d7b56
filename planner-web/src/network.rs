//! The design panel: name, region, VPC, AZs, tiers, NAT, IPv6 and ranges used elsewhere.

use planner_core::NatStrategy;
use serde_json::{json, Value};
use yew::prelude::*;

use crate::browser::field_id;
use crate::fields::{on_click, use_editor, Checkbox, FieldError, Kind, Select, TextField};
use crate::state::Action;

/// The network editor.
#[function_component]
pub fn NetworkPanel() -> Html {
    let editor = use_editor();
    let nat_options = NatStrategy::ALL
        .iter()
        .map(|n| (AttrValue::from(n.as_str()), AttrValue::from(n.as_str())))
        .collect::<Vec<_>>();
    let has_vpc = editor.value("vpc").is_some();
    let add_vpc = {
        let editor = editor.clone();
        Callback::from(move |_| {
            editor.dispatch(Action::Set {
                path: "vpc".into(),
                value: json!({"cidr": "10.0.0.0/16"}),
            });
            editor.dispatch(Action::Set {
                path: "availability_zones".into(),
                value: json!(2),
            });
        })
    };
    html! {
        <div class="panel network">
            <div class="row">
                <TextField path="name" label="Name" />
                <TextField path="region" label="Region" placeholder="us-east-1" />
            </div>
            if has_vpc {
                <div class="row">
                    <TextField path="vpc.cidr" label="VPC CIDR" placeholder="10.0.0.0/16" />
                    <AzField />
                    <TextField path="reserved_az_slots" label="Reserved AZ slots" kind={Kind::Number} />
                </div>
                <div class="row">
                    <Select path="nat" label="NAT" options={nat_options} default="none" />
                    <Checkbox path="vpc.ipv6" label="IPv6 (/56 from Amazon)" />
                </div>
                <SecondaryCidrs />
                <Tiers />
                <CidrsInUse />
            } else {
                <p class="empty">{ "This design has no VPC (IAM only)." }
                    <button type="button" onclick={add_vpc}>{ "Add a VPC" }</button></p>
            }
        </div>
    }
}

/// Availability zones: a count, or names separated by commas.
#[function_component]
fn AzField() -> Html {
    let editor = use_editor();
    let path = "availability_zones";
    let text = match editor.value(path) {
        Some(Value::Array(names)) => names
            .iter()
            .map(|n| n.as_str().map_or_else(|| n.to_string(), str::to_owned))
            .collect::<Vec<_>>()
            .join(", "),
        _ => editor.text(path),
    };
    let oninput = {
        let editor = editor.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let text = input.value();
            let value = match text.trim().parse::<u64>() {
                Ok(n) => json!(n),
                Err(_) if text.contains(',') || text.trim().contains('-') => json!(text
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()),
                Err(_) => json!(text),
            };
            editor.dispatch(Action::Set {
                path: path.into(),
                value,
            });
        })
    };
    let invalid = editor.error_at(path).is_some();
    html! {
        <label class={classes!("field", invalid.then_some("invalid"))}>
            <span class="label">{ "Availability zones" }</span>
            <input id={field_id(path)} type="text" value={text} {oninput}
                title="a count (1-6) or zone names separated by commas"
                aria-invalid={invalid.then_some("true")} />
            <FieldError {path} />
        </label>
    }
}

/// The tiers table: add, remove, reorder, size by prefix or host count.
#[function_component]
fn Tiers() -> Html {
    let editor = use_editor();
    let tiers = editor
        .value("tiers")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let add = on_click(
        &editor,
        Action::Insert {
            path: "tiers".into(),
            index: usize::MAX,
            value: json!({"name": format!("tier{}", tiers + 1), "kind": "private", "size": {"prefix": 24}}),
        },
    );
    html! {
        <fieldset class="tiers" id={field_id("tiers")} tabindex="-1">
            <legend>{ "Tiers" }</legend>
            <FieldError path="tiers" />
            { for (0..tiers).map(|i| html! { <TierRow index={i} count={tiers} /> }) }
            <button type="button" id="add-tier" onclick={add}>{ "Add tier" }</button>
        </fieldset>
    }
}

/// Properties of [`TierRow`].
#[derive(Properties, PartialEq, Clone)]
struct TierRowProps {
    index: usize,
    count: usize,
}

#[function_component]
fn TierRow(props: &TierRowProps) -> Html {
    let editor = use_editor();
    let i = props.index;
    let base = format!("tiers[{i}]");
    let kind_options = ["public", "private", "isolated"]
        .iter()
        .map(|k| (AttrValue::from(*k), AttrValue::from(*k)))
        .collect::<Vec<_>>();
    let is_private = editor.text(&format!("{base}.kind")) == "private";
    let act = |action: Action| on_click(&editor, action);
    html! {
        <div class="tier" id={field_id(&base)} tabindex="-1">
            <TextField path={format!("{base}.name")} label="Name" />
            <Select path={format!("{base}.kind")} label="Kind" options={kind_options} />
            <SizeField path={format!("{base}.size")} />
            <TextField path={format!("{base}.max_azs")} label="Max AZs" kind={Kind::OptionalNumber} placeholder="all" />
            <TextField path={format!("{base}.reserve")} label="Reserve" kind={Kind::Number} placeholder="0" />
            if is_private {
                <Checkbox path={format!("{base}.ipv6_from_internet")} label="IPv6 from internet" />
            }
            <div class="tier-buttons">
                <button type="button" aria-label={format!("Move tier {} up", i + 1)} disabled={i == 0}
                    onclick={act(Action::Move { path: "tiers".into(), from: i, to: i.saturating_sub(1) })}>{ "↑" }</button>
                <button type="button" aria-label={format!("Move tier {} down", i + 1)} disabled={i + 1 >= props.count}
                    onclick={act(Action::Move { path: "tiers".into(), from: i, to: i + 1 })}>{ "↓" }</button>
                <button type="button" aria-label={format!("Remove tier {}", i + 1)}
                    onclick={act(Action::Remove { path: base.clone() })}>{ "✕" }</button>
            </div>
            <FieldError path={base.clone()} />
        </div>
    }
}

/// Properties of [`SizeField`].
#[derive(Properties, PartialEq, Clone)]
struct SizeFieldProps {
    path: AttrValue,
}

/// A subnet size: a prefix length or a host count.
#[function_component]
fn SizeField(props: &SizeFieldProps) -> Html {
    let editor = use_editor();
    let path = props.path.to_string();
    let (unit, number) = match editor.value(&path).and_then(Value::as_object) {
        Some(o) if o.contains_key("hosts") => ("hosts", o["hosts"].clone()),
        Some(o) => ("prefix", o.get("prefix").cloned().unwrap_or(Value::Null)),
        None => ("prefix", Value::Null),
    };
    let number_text = match &number {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        v => v.to_string(),
    };
    let set = {
        let editor = editor.clone();
        let path = path.clone();
        move |unit: String, text: String| {
            editor.dispatch(Action::Set {
                path: path.clone(),
                value: json!({ unit: Kind::Number.value(&text) }),
            })
        }
    };
    let on_unit = {
        let set = set.clone();
        let text = number_text.clone();
        Callback::from(move |e: Event| {
            let s: web_sys::HtmlSelectElement = e.target_unchecked_into();
            set(s.value(), text.clone())
        })
    };
    let on_number = {
        let unit = unit.to_owned();
        Callback::from(move |e: InputEvent| {
            let i: web_sys::HtmlInputElement = e.target_unchecked_into();
            set(unit.clone(), i.value())
        })
    };
    let invalid = editor.error_at(&path).is_some();
    html! {
        <div class={classes!("field", "size", invalid.then_some("invalid"))}>
            <span class="label">{ "Size" }</span>
            <span class="size-inputs">
                <select aria-label="Size by" onchange={on_unit}>
                    <option value="prefix" selected={unit == "prefix"}>{ "/prefix" }</option>
                    <option value="hosts" selected={unit == "hosts"}>{ "hosts" }</option>
                </select>
                <input id={field_id(&path)} type="text" value={number_text} oninput={on_number}
                    aria-label={if unit == "prefix" { "Prefix length" } else { "Usable addresses" }}
                    aria-invalid={invalid.then_some("true")} size="5" />
            </span>
            <FieldError path={props.path.clone()} />
        </div>
    }
}

/// Further VPC CIDR blocks.
#[function_component]
fn SecondaryCidrs() -> Html {
    let editor = use_editor();
    let n = editor
        .value("vpc.secondary_cidrs")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let add = on_click(
        &editor,
        Action::Insert {
            path: "vpc.secondary_cidrs".into(),
            index: usize::MAX,
            value: json!("10.1.0.0/16"),
        },
    );
    html! {
        <fieldset class="list" id={field_id("vpc.secondary_cidrs")} tabindex="-1">
            <legend>{ "Secondary VPC CIDRs" }</legend>
            { for (0..n).map(|i| {
                let path = format!("vpc.secondary_cidrs[{i}]");
                let remove = on_click(&editor, Action::Remove { path: path.clone() });
                html! {
                    <div class="row">
                        <TextField path={path.clone()} label={format!("Block {}", i + 1)} />
                        <button type="button" aria-label={format!("Remove block {}", i + 1)} onclick={remove}>{ "✕" }</button>
                    </div>
                }
            }) }
            <button type="button" onclick={add}>{ "Add block" }</button>
        </fieldset>
    }
}

/// Ranges used outside this VPC.
#[function_component]
fn CidrsInUse() -> Html {
    let editor = use_editor();
    let n = editor
        .value("cidrs_in_use")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let add = on_click(
        &editor,
        Action::Insert {
            path: "cidrs_in_use".into(),
            index: usize::MAX,
            value: json!({"cidr": "192.168.0.0/16", "description": "office"}),
        },
    );
    html! {
        <fieldset class="list" id={field_id("cidrs_in_use")} tabindex="-1">
            <legend>{ "CIDRs in use elsewhere" }</legend>
            { for (0..n).map(|i| {
                let base = format!("cidrs_in_use[{i}]");
                let remove = on_click(&editor, Action::Remove { path: base.clone() });
                html! {
                    <div class="row" id={field_id(&base)} tabindex="-1">
                        <TextField path={format!("{base}.cidr")} label="CIDR" />
                        <TextField path={format!("{base}.description")} label="Where" />
                        <button type="button" aria-label={format!("Remove range {}", i + 1)} onclick={remove}>{ "✕" }</button>
                    </div>
                }
            }) }
            <button type="button" onclick={add}>{ "Add range" }</button>
        </fieldset>
    }
}
