//! One managed policy attachment of a role: its kind, the policy, and its findings.

use serde_json::{json, Value};
use yew::prelude::*;

use super::arn_field::ArnField;
use super::items::{names, remove_button};
use super::own_policy_pick::OwnPolicyPick;
use super::props::AttachmentProps;
use crate::editor::use_editor;
use crate::fields::DocFindings;
use crate::state::Action;

/// One attachment: its kind, the policy, and its findings.
#[function_component]
pub fn AttachmentRow(props: &AttachmentProps) -> Html {
    let editor = use_editor();
    let path = props.path.clone();
    let own = matches!(editor.value(&path), Some(Value::Object(_)));
    let on_kind = {
        let editor = editor.clone();
        let path = path.clone();
        let first = names(&editor, "iam.policies").into_iter().next();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let value = match (select.value().as_str(), &first) {
                ("own", Some(name)) => json!({"policy": name}),
                ("own", None) => json!({"policy": ""}),
                _ => json!(""),
            };
            editor.dispatch(Action::Set {
                path: path.clone(),
                value,
            });
        })
    };
    html! {
        <div class="iam-item attachment" data-path={path.clone()}>
            <div class="row">
                <label class="field">
                    <span class="label">{ "Kind" }</span>
                    <select class="attachment-kind" onchange={on_kind}>
                        <option value="aws" selected={!own}>{ "AWS managed or by ARN" }</option>
                        <option value="own" selected={own}>{ "This design's policy" }</option>
                    </select>
                </label>
                if own {
                    <OwnPolicyPick path={path.clone()} />
                } else {
                    <ArnField path={path.clone()} />
                }
                { remove_button(&editor, path.clone(), "this attachment".to_owned()) }
            </div>
            <DocFindings {path} with_error={false} />
        </div>
    }
}
