//! An attachment's `public_address`: as its tier, yes or no.

use serde_json::Value;
use yew::prelude::*;

use super::props::PathProps;
use crate::editor::use_editor;
use crate::fields::FieldError;
use crate::path::field_id;
use crate::state::Action;

/// `public_address`: absent (as the tier is), `true` or `false`.
#[function_component]
pub fn PublicAddress(props: &PathProps) -> Html {
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
            <span class="label">{ "Public address" }</span>
            <select id={field_id(&path)} {onchange}>
                { for options.iter().map(|(v, l)| html! {
                    <option value={*v} selected={*v == current}>{ *l }</option>
                }) }
            </select>
            <FieldError path={props.path.clone()} />
        </label>
    }
}
