//! A rule's ports (or ICMP type), as security-group and network ACL rules spell them.

use serde_json::Value;
use yew::prelude::*;

use super::field_error::FieldError;
use crate::editor::use_editor;
use crate::path::{self, field_id};
use crate::state::Action;

/// The value of a rule's `ports` for the text typed: a number for one port, the text for a
/// range (`"8000-8100"`), `null` (no member: every port) when empty. Text that is neither is
/// kept as typed, so the core's message names the field.
///
/// ```
/// use planner_web::fields::ports::ports_value;
/// use serde_json::{json, Value};
/// assert_eq!(ports_value("443"), json!(443));
/// assert_eq!(ports_value(" 8000-8100 "), json!("8000-8100"));
/// assert_eq!(ports_value(""), Value::Null);
/// assert_eq!(ports_value("70000"), json!(70000));
/// assert_eq!(ports_value("http"), json!("http"));
/// ```
pub fn ports_value(text: &str) -> Value {
    let t = text.trim();
    if t.is_empty() {
        Value::Null
    } else if let Ok(n) = t.parse::<u64>() {
        Value::from(n)
    } else {
        Value::String(t.to_owned())
    }
}

/// Properties of [`PortsField`].
#[derive(Properties, PartialEq, Clone)]
pub struct PortsFieldProps {
    /// The rule's `ports` path (its `protocol` is beside it).
    pub path: AttrValue,
}

/// Ports as the design spells them: `443`, `8000-8100`, or empty for every port; for ICMP, the
/// type. Protocol `all` takes none.
#[function_component]
pub fn PortsField(props: &PortsFieldProps) -> Html {
    let editor = use_editor();
    let path = props.path.to_string();
    let rule = path::parent(&path).unwrap_or_default();
    let proto = editor.text(&format!("{rule}.protocol"));
    let text = editor.text(&path);
    let oninput = {
        let editor = editor.clone();
        let path = path.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            editor.dispatch(Action::Set {
                path: path.clone(),
                value: ports_value(&input.value()),
            });
        })
    };
    let icmp = proto.starts_with("icmp");
    let disabled = proto == "all" && text.is_empty();
    let invalid = editor.error_at(&path).is_some();
    html! {
        <label class={classes!("field", "ports-field", invalid.then_some("invalid"))}>
            <span class="label">{ if icmp { "ICMP type" } else { "Ports" } }</span>
            <input id={field_id(&path)} type="text" value={text} {oninput} {disabled}
                placeholder="all" size="11" spellcheck="false"
                title={if icmp { "one ICMP type (0-255); empty for every type" }
                       else { "a port (443), a range (8000-8100), or empty for every port" }}
                aria-invalid={invalid.then_some("true")} />
            <FieldError path={props.path.clone()} />
        </label>
    }
}
