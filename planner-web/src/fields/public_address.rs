//! A `public_address` (of a security-group attachment or an instance): as its tier, yes or no.

use serde_json::Value;
use yew::prelude::*;

use super::field_error::FieldError;
use crate::editor::use_editor;
use crate::path::field_id;
use crate::state::Action;

/// Properties of [`PublicAddress`].
#[derive(Properties, PartialEq, Clone)]
pub struct PublicAddressProps {
    /// The `public_address` path.
    pub path: AttrValue,
    /// Its label.
    pub label: AttrValue,
}

/// `public_address`: absent (as the tier is), `true` or `false`.
#[function_component]
pub fn PublicAddress(props: &PublicAddressProps) -> Html {
    let editor = use_editor();
    let path = props.path.to_string();
    let current = editor.text(&path);
    let onchange = {
        let editor = editor.clone();
        let path = path.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let value = match select.value().as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => Value::Null,
            };
            editor.dispatch(Action::Set {
                path: path.clone(),
                value,
            });
        })
    };
    let invalid = editor.error_at(&path).is_some();
    let options = [("", "as its tier"), ("true", "yes"), ("false", "no")];
    html! {
        <label class={classes!("field", invalid.then_some("invalid"))}>
            <span class="label">{ &props.label }</span>
            <select id={field_id(&path)} {onchange}>
                { for options.iter().map(|(v, l)| html! {
                    <option value={*v} selected={*v == current}>{ *l }</option>
                }) }
            </select>
            <FieldError path={props.path.clone()} />
        </label>
    }
}
