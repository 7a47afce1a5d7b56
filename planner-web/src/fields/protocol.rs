//! A rule's protocol (security-group and network ACL rules spell it the same), and the
//! protocols the editor offers.

use planner_core::design::sg::Protocol;
use serde_json::Value;
use yew::prelude::*;

use super::field_error::FieldError;
use crate::editor::use_editor;
use crate::path::{self, field_id};
use crate::state::Action;

/// Every protocol a rule may name, in the order the editor offers them.
pub const PROTOCOLS: [Protocol; 5] = [
    Protocol::Tcp,
    Protocol::Udp,
    Protocol::Icmp,
    Protocol::Icmpv6,
    Protocol::All,
];

/// The protocol spelled `s` in JSON.
///
/// ```
/// use planner_web::fields::protocol::{protocol, PROTOCOLS};
/// assert!(PROTOCOLS.iter().all(|p| protocol(p.as_str()) == Some(*p)));
/// assert_eq!(protocol("sctp"), None);
/// ```
pub fn protocol(s: &str) -> Option<Protocol> {
    PROTOCOLS.into_iter().find(|p| p.as_str() == s)
}

/// Properties of [`ProtocolField`].
#[derive(Properties, PartialEq, Clone)]
pub struct ProtocolFieldProps {
    /// The rule's `protocol` path.
    pub path: AttrValue,
}

/// The protocol; choosing `all` removes the ports, which it covers (ports first, so the design
/// never holds `all` with ports because of this field).
#[function_component]
pub fn ProtocolField(props: &ProtocolFieldProps) -> Html {
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
        <label class={classes!("field", "protocol-field", invalid.then_some("invalid"))}>
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
