//! The design's own (customer) managed policies: name, path, description and document.

use serde_json::{json, Value};
use yew::prelude::*;

use super::items::{count, fresh_name, items, names, remove_button, scalar};
use crate::editor::use_editor;
use crate::fields::{DocFindings, JsonField, Kind};
use crate::path::field_id;
use crate::state::Action;

/// A new policy (managed or inline: both are a name and a document) granting one read-only
/// call.
pub fn new_policy(name: &str) -> Value {
    json!({
        "name": name,
        "document": {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "ec2:DescribeInstances", "Resource": "*"}]
        }
    })
}

/// The design's managed policies.
#[function_component]
pub fn ManagedPolicies() -> Html {
    let editor = use_editor();
    let n = count(&editor, "iam.policies");
    let add = {
        let editor = editor.clone();
        Callback::from(move |_| {
            let name = fresh_name("managed-policy", &names(&editor, "iam.policies"));
            editor.dispatch(Action::Insert {
                path: "iam.policies".into(),
                index: usize::MAX,
                value: new_policy(&name),
            });
        })
    };
    html! {
        <fieldset class="iam-list policies" id={field_id("iam.policies")} tabindex="-1">
            <legend>{ "Managed policies of this design" }</legend>
            <DocFindings path="iam.policies" exclude={items("iam.policies", n)} />
            { for items("iam.policies", n).into_iter().map(|base| {
                let at = |p: &str| format!("{base}.{p}");
                let name = editor.text(&at("name"));
                let inner = ["name", "path", "description", "document"].map(at);
                html! {
                    <div class="iam-card policy" id={field_id(&base)} tabindex="-1" data-name={name.clone()}>
                        <div class="card-head">
                            <h3>{ format!("Policy {name}") }</h3>
                            { remove_button(&editor, base.clone(), format!("policy {name}")) }
                        </div>
                        <DocFindings path={base.clone()} exclude={inner.to_vec()} />
                        <div class="row">
                            { scalar(at("name"), "Name", Kind::Text, "") }
                            { scalar(at("path"), "Path", Kind::OptionalText, "/") }
                        </div>
                        { scalar(at("description"), "Description", Kind::OptionalText, "") }
                        <JsonField path={at("document")} label="Policy document" />
                    </div>
                }
            }) }
            <button type="button" id="add-policy" onclick={add}>{ "Add managed policy" }</button>
        </fieldset>
    }
}
