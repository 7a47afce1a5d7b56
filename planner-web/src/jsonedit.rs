//! The whole design as JSON: for pasting a design in, and for editing it all at once.

use yew::prelude::*;

use crate::editor::use_editor;
use crate::fields::JsonField;

/// The JSON tab.
#[function_component]
pub fn JsonPanel() -> Html {
    let editor = use_editor();
    let whole_error = editor.error.as_ref().map(|e| {
        let at = if e.path.is_empty() { "$" } else { &e.path };
        format!("at {at}: {}", e.message)
    });
    html! {
        <div class="panel json">
            <p class="help">{ "The design as JSON (the format of design.schema.json). Everything \
                the forms show can be edited here." }</p>
            <JsonField path="" label="Design" max_rows={40} findings={false} />
            if let Some(e) = whole_error {
                <span class="field-error" role="alert">{ e }</span>
            }
        </div>
    }
}
