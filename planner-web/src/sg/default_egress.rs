//! A group's `default_egress`: whether AWS's default rule (all traffic out) stays.

use serde_json::Value;
use yew::prelude::*;

use super::props::PathProps;
use crate::editor::use_editor;
use crate::fields::FieldError;
use crate::path::field_id;
use crate::state::Action;

/// `default_egress`: absent (kept, AWS's default) or `false` (revoked).
#[function_component]
pub fn DefaultEgress(props: &PathProps) -> Html {
    let editor = use_editor();
    let path = props.path.to_string();
    let kept = editor.value(&path) != Some(&Value::Bool(false));
    let onchange = {
        let editor = editor.clone();
        let path = path.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            editor.dispatch(Action::Set {
                path: path.clone(),
                value: if input.checked() {
                    Value::Null
                } else {
                    Value::Bool(false)
                },
            });
        })
    };
    html! {
        <label class="field check">
            <input id={field_id(&path)} type="checkbox" checked={kept} {onchange} />
            <span class="label">{ "Keep AWS's default egress (all traffic out)" }</span>
            <FieldError path={props.path.clone()} />
        </label>
    }
}
