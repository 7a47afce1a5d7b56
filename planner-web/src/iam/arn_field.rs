//! An attachment of an AWS managed policy by name, or of any managed policy by ARN.

use serde_json::Value;
use yew::prelude::*;

use super::aws_policies::{attachment_value, SUGGESTIONS_ID};
use super::props::AttachmentProps;
use crate::editor::use_editor;
use crate::fields::json_field::synced_text;
use crate::fields::FieldError;
use crate::path::field_id;
use crate::state::Action;

/// An AWS managed policy by name, or any managed policy by ARN. It keeps its own text, so a
/// name stays a name while the design holds the ARN it stands for.
#[function_component]
pub fn ArnField(props: &AttachmentProps) -> Html {
    let editor = use_editor();
    let own = use_mut_ref(|| None::<String>);
    let path = props.path.clone();
    let region = editor.text("region");
    let partition = planner_core::design::iam::partition_of(&region);
    let text = synced_text(
        own.borrow().as_deref(),
        None,
        editor.value(&path),
        |t| Some(attachment_value(t, partition)),
        |v| v.and_then(Value::as_str).unwrap_or_default().to_owned(),
    );
    *own.borrow_mut() = Some(text.clone());
    let stored = attachment_value(&text, partition);
    let arn = stored
        .as_str()
        .filter(|arn| *arn != text.trim())
        .map(str::to_owned);
    let oninput = {
        let editor = editor.clone();
        let path = path.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let text = input.value();
            *own.borrow_mut() = Some(text.clone());
            editor.dispatch(Action::Set {
                path: path.clone(),
                value: attachment_value(&text, partition),
            });
        })
    };
    let invalid = editor.error_at(&path).is_some();
    html! {
        <label class={classes!("field", "arn", invalid.then_some("invalid"))}>
            <span class="label">{ "AWS managed policy name, or policy ARN" }</span>
            <input id={field_id(&path)} type="text" value={text} {oninput} list={SUGGESTIONS_ID}
                placeholder="AmazonSSMManagedInstanceCore" spellcheck="false"
                aria-invalid={invalid.then_some("true")} />
            if let Some(arn) = arn { <small class="hint arn-value">{ arn }</small> }
            <FieldError path={path.clone()} />
        </label>
    }
}
