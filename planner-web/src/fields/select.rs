//! A labelled drop-down for one path.

use serde_json::Value;
use yew::prelude::*;

use super::field_error::FieldError;
use crate::editor::use_editor;
use crate::path::field_id;
use crate::state::Action;

/// Properties of a [`Select`].
#[derive(Properties, PartialEq, Clone)]
pub struct SelectProps {
    /// The design path it edits.
    pub path: AttrValue,
    /// Its label.
    pub label: AttrValue,
    /// The JSON strings it offers, with their labels.
    pub options: Vec<(AttrValue, AttrValue)>,
    /// The value shown when the path has none (the design's default).
    #[prop_or_default]
    pub default: AttrValue,
}

/// A labelled drop-down setting a string at one path.
#[function_component]
pub fn Select(props: &SelectProps) -> Html {
    let editor = use_editor();
    let path = props.path.to_string();
    let current = match editor.text(&path) {
        t if t.is_empty() => props.default.to_string(),
        t => t,
    };
    let onchange = {
        let editor = editor.clone();
        let path = path.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            editor.dispatch(Action::Set {
                path: path.clone(),
                value: Value::String(select.value()),
            });
        })
    };
    let error = editor.error_at(&path).is_some();
    html! {
        <label class={classes!("field", error.then_some("invalid"))}>
            <span class="label">{ &props.label }</span>
            <select id={field_id(&path)} {onchange}>
                { for props.options.iter().map(|(value, label)| html! {
                    <option value={value.clone()} selected={*value == current}>{ label }</option>
                }) }
            </select>
            <FieldError path={props.path.clone()} />
        </label>
    }
}
