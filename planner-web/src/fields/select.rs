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
    /// The label of a first option that removes the member (for an optional field whose
    /// absence means something of its own); none unless told. Its value is `default`,
    /// which is then best left empty.
    #[prop_or_default]
    pub unset: Option<AttrValue>,
    /// Whether the options are numbers, set as JSON numbers rather than strings.
    #[prop_or_default]
    pub number: bool,
}

/// A labelled drop-down setting a string at one path; with `unset`, its first option
/// removes the member.
#[function_component]
pub fn Select(props: &SelectProps) -> Html {
    let editor = use_editor();
    let path = props.path.to_string();
    let current = match editor.text(&path) {
        t if t.is_empty() => props.default.to_string(),
        t => t,
    };
    let unset_value = props.unset.as_ref().map(|_| props.default.clone());
    let onchange = {
        let editor = editor.clone();
        let path = path.clone();
        let unset_value = unset_value.clone();
        let number = props.number;
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let chosen = select.value();
            editor.dispatch(Action::Set {
                path: path.clone(),
                value: if unset_value.as_deref() == Some(chosen.as_str()) {
                    Value::Null
                } else if number {
                    chosen
                        .parse::<u64>()
                        .map_or(Value::String(chosen), Value::from)
                } else {
                    Value::String(chosen)
                },
            });
        })
    };
    let unset = props.unset.as_ref().map(|label| {
        let value = props.default.clone();
        let selected = *value == current;
        html! { <option {value} {selected}>{ label }</option> }
    });
    let error = editor.error_at(&path).is_some();
    html! {
        <label class={classes!("field", error.then_some("invalid"))}>
            <span class="label">{ &props.label }</span>
            <select id={field_id(&path)} {onchange}>
                { for unset }
                { for props.options.iter().map(|(value, label)| html! {
                    <option value={value.clone()} selected={*value == current}>{ label }</option>
                }) }
            </select>
            <FieldError path={props.path.clone()} />
        </label>
    }
}
