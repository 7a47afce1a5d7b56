//! A labelled checkbox for a boolean path.

use serde_json::Value;
use yew::prelude::*;

use super::field_error::FieldError;
use crate::editor::use_editor;
use crate::path::field_id;
use crate::state::Action;

/// Properties of a [`Checkbox`].
#[derive(Properties, PartialEq, Clone)]
pub struct CheckboxProps {
    /// The design path it edits (a boolean).
    pub path: AttrValue,
    /// Its label.
    pub label: AttrValue,
    /// The design's value when the member is absent (`false` unless told).
    #[prop_or_default]
    pub default: bool,
}

/// A labelled checkbox for a boolean path; the design's default removes the member.
#[function_component]
pub fn Checkbox(props: &CheckboxProps) -> Html {
    let editor = use_editor();
    let path = props.path.to_string();
    let default = props.default;
    let checked = match editor.value(&path) {
        Some(Value::Bool(b)) => *b,
        _ => default,
    };
    let onchange = {
        let editor = editor.clone();
        let path = path.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let on = input.checked();
            editor.dispatch(Action::Set {
                path: path.clone(),
                value: if on == default {
                    Value::Null
                } else {
                    Value::Bool(on)
                },
            });
        })
    };
    html! {
        <label class="field check">
            <input id={field_id(&path)} type="checkbox" {checked} {onchange} />
            <span class="label">{ &props.label }</span>
            <FieldError path={props.path.clone()} />
        </label>
    }
}
