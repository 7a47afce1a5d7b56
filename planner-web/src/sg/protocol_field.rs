//! A rule's protocol.

use planner_core::design::sg::Protocol;
use serde_json::Value;
use yew::prelude::*;

use super::json::{protocol, PROTOCOLS};
use super::props::PathProps;
use crate::editor::use_editor;
use crate::fields::FieldError;
use crate::path::{self, field_id};
use crate::state::Action;

/// The protocol; choosing `all` removes the ports, which it covers (ports first, so the design
/// never holds `all` with ports because of this field).
#[function_component]
pub fn ProtocolField(props: &PathProps) -> Html {
    let editor = use_editor();
    let path = props.path.to_string();
    let ports = format!("{}.ports", path::parent(&path).unwrap_or_default());
    let current = editor.text(&path);
    let onchange = {
        let editor = editor.clone();
        let path = path.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let value = select.value();
            if value == Protocol::All.as_str() {
                editor.dispatch(Action::Set {
                    path: ports.clone(),
                    value: Value::Null,
                });
            }
            editor.dispatch(Action::Set {
                path: path.clone(),
                value: Value::String(value),
            });
        })
    };
    let known = protocol(&current).is_some();
    let invalid = editor.error_at(&path).is_some();
    html! {
        <label class={classes!("field", "sg-protocol", invalid.then_some("invalid"))}>
            <span class="label">{ "Protocol" }</span>
            <select id={field_id(&path)} {onchange}>
                if !known { <option value={current.clone()} selected=true>{ &current }</option> }
                { for PROTOCOLS.iter().map(|p| html! {
                    <option value={p.as_str()} selected={p.as_str() == current}>{ p.as_str() }</option>
                }) }
            </select>
            <FieldError path={props.path.clone()} />
        </label>
    }
}
