//! An attachment of one of the design's own managed policies, picked by name.

use serde_json::json;
use yew::prelude::*;

use super::items::names;
use super::props::AttachmentProps;
use crate::editor::use_editor;
use crate::fields::FieldError;
use crate::path::field_id;
use crate::state::Action;

/// One of the design's managed policies, by name.
#[function_component]
pub fn OwnPolicyPick(props: &AttachmentProps) -> Html {
    let editor = use_editor();
    let path = props.path.clone();
    let current = editor.text(&format!("{path}.policy"));
    let mut options = names(&editor, "iam.policies");
    let missing = !options.contains(&current);
    if missing {
        options.insert(0, current.clone());
    }
    let onchange = {
        let editor = editor.clone();
        let path = path.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            editor.dispatch(Action::Set {
                path: path.clone(),
                value: json!({"policy": select.value()}),
            });
        })
    };
    let invalid = editor.error_at(&path).is_some();
    html! {
        <label class={classes!("field", invalid.then_some("invalid"))}>
            <span class="label">{ "Policy" }</span>
            <select id={field_id(&path)} {onchange} aria-invalid={invalid.then_some("true")}>
                { for options.iter().map(|name| {
                    let label = if missing && *name == current {
                        format!("{name} (not in this design)")
                    } else {
                        name.clone()
                    };
                    html! { <option value={name.clone()} selected={*name == current}>{ label }</option> }
                }) }
            </select>
            <FieldError {path} />
        </label>
    }
}
