//! A subnet size: a prefix length or a host count.

use serde_json::{json, Value};
use yew::prelude::*;

use crate::editor::use_editor;
use crate::fields::{FieldError, Kind};
use crate::path::field_id;
use crate::state::Action;

/// Properties of [`SizeField`].
#[derive(Properties, PartialEq, Clone)]
pub struct SizeFieldProps {
    /// The tier's `size` path.
    pub path: AttrValue,
}

/// A subnet size: a prefix length or a host count.
#[function_component]
pub fn SizeField(props: &SizeFieldProps) -> Html {
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
