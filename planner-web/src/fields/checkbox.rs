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
}

/// A labelled checkbox for a boolean path; unchecked removes the member (the default).
#[function_component]
pub fn Checkbox(props: &CheckboxProps) -> Html {
    let editor = use_editor();
    let path = props.path.to_string();
    let checked = editor.value(&path) == Some(&Value::Bool(true));
    let onchange = {
        let editor = editor.clone();
        let path = path.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            editor.dispatch(Action::Set {
                path: path.clone(),
                value: if input.checked() {
                    Value::Bool(true)
                } else {
                    Value::Null
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
