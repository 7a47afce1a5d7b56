//! A rule's ports (or ICMP type).

use yew::prelude::*;

use super::json::ports_value;
use super::props::PathProps;
use crate::editor::use_editor;
use crate::fields::FieldError;
use crate::path::{self, field_id};
use crate::state::Action;

/// Ports as the design spells them: `443`, `8000-8100`, or empty for every port; for ICMP, the
/// type. Protocol `all` takes none.
#[function_component]
pub fn PortsField(props: &PathProps) -> Html {
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
        <label class={classes!("field", "sg-ports", invalid.then_some("invalid"))}>
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
