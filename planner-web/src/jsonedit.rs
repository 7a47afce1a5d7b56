//! The whole design as JSON: for what the forms do not cover (instances, NAT instances) and
//! for pasting a design in.

use yew::prelude::*;

use crate::browser::field_id;
use crate::fields::{use_editor, FieldError};
use crate::state::Action;

/// The JSON tab.
#[function_component]
pub fn JsonPanel() -> Html {
    let editor = use_editor();
    let text = match editor.drafts.get("") {
        Some(d) => d.text.clone(),
        None => serde_json::to_string_pretty(&*editor.doc).unwrap_or_default(),
    };
    let oninput = {
        let editor = editor.clone();
        Callback::from(move |e: InputEvent| {
            let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            let text = area.value();
            editor.dispatch(match serde_json::from_str(&text) {
                Ok(value) => Action::Set {
                    path: String::new(),
                    value,
                },
                Err(e) => Action::Draft {
                    path: String::new(),
                    text,
                    error: format!("not JSON: {e}"),
                },
            });
        })
    };
    let whole_error = editor
        .drafts
        .get("")
        .map(|d| d.error.clone())
        .or_else(|| editor.error.as_ref().map(|e| format!("at {}: {}", if e.path.is_empty() { "$" } else { &e.path }, e.message)));
    html! {
        <div class="panel json">
            <p class="help">{ "The design as JSON. Instances, NAT instances and everything the forms show can be edited here; the format is design.schema.json." }</p>
            <textarea id={field_id("instances")} class="code" rows="30" spellcheck="false"
                aria-label="Design JSON" value={text} {oninput} />
            if let Some(e) = whole_error {
                <span class="field-error" role="alert">{ e }</span>
            }
            <FieldError path="nat_instances" />
        </div>
    }
}
