//! A role's managed policy attachments: AWS managed policies (by name or ARN) and the
//! design's own managed policies (`{"policy": "<name>"}`).

use serde_json::{json, Value};
use yew::prelude::*;

use super::attachment_row::AttachmentRow;
use super::items::{count, items, names};
use crate::editor::use_editor;
use crate::fields::DocFindings;
use crate::path::field_id;
use crate::state::Action;

/// Properties of [`Attachments`].
#[derive(Properties, PartialEq, Clone)]
pub struct AttachmentsProps {
    /// The role's path, `iam.roles[i]`.
    pub role: String,
}

/// A role's managed policy attachments.
#[function_component]
pub fn Attachments(props: &AttachmentsProps) -> Html {
    let editor = use_editor();
    let list = format!("{}.managed_policies", props.role);
    let n = count(&editor, &list);
    let own = names(&editor, "iam.policies");
    let insert = |value: Value| {
        let editor = editor.clone();
        let list = list.clone();
        Callback::from(move |_| {
            editor.dispatch(Action::Insert {
                path: list.clone(),
                index: usize::MAX,
                value: value.clone(),
            })
        })
    };
    let first_own = own.first().cloned().unwrap_or_default();
    html! {
        <fieldset class="iam-list attachments" id={field_id(&list)} tabindex="-1">
            <legend>{ "Managed policies attached" }</legend>
            <DocFindings path={list.clone()} exclude={items(&list, n)} />
            { for items(&list, n).into_iter().map(|path| html! {
                <AttachmentRow {path} />
            }) }
            <div class="row">
                <button type="button" class="attach-aws" onclick={insert(json!(""))}>
                    { "Attach AWS managed policy" }</button>
                <button type="button" class="attach-own" disabled={own.is_empty()}
                    title={own.is_empty().then_some("Add a managed policy to the design first")}
                    onclick={insert(json!({"policy": first_own}))}>
                    { "Attach this design's policy" }</button>
            </div>
        </fieldset>
    }
}
