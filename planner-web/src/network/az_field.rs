//! The availability zones: a count, or zone names separated by commas.

use serde_json::{json, Value};
use yew::prelude::*;

use crate::editor::use_editor;
use crate::fields::FieldError;
use crate::path::field_id;
use crate::state::Action;

/// Availability zones: a count, or names separated by commas.
#[function_component]
pub fn AzField() -> Html {
    let editor = use_editor();
    let path = "availability_zones";
    let text = match editor.value(path) {
        Some(Value::Array(names)) => names
            .iter()
            .map(|n| n.as_str().map_or_else(|| n.to_string(), str::to_owned))
            .collect::<Vec<_>>()
            .join(", "),
        _ => editor.text(path),
    };
    let oninput = {
        let editor = editor.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let text = input.value();
            let value = match text.trim().parse::<u64>() {
                Ok(n) => json!(n),
                Err(_) if text.contains(',') || text.trim().contains('-') => json!(text
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()),
                Err(_) => json!(text),
            };
            editor.dispatch(Action::Set {
                path: path.into(),
                value,
            });
        })
    };
    let invalid = editor.error_at(path).is_some();
    html! {
        <label class={classes!("field", invalid.then_some("invalid"))}>
            <span class="label">{ "Availability zones" }</span>
            <input id={field_id(path)} type="text" value={text} {oninput}
                title="a count (1-6) or zone names separated by commas"
                aria-invalid={invalid.then_some("true")} />
            <FieldError {path} />
        </label>
    }
}
