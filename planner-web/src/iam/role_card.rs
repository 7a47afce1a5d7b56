//! One role: name and settings, the trust policy, inline policies, managed policy
//! attachments and tags.

use yew::prelude::*;

use super::attachments::Attachments;
use super::inline_policies::InlinePolicies;
use super::items::{remove_button, scalar};
use crate::editor::use_editor;
use crate::fields::{DocFindings, JsonField, Kind};
use crate::path::field_id;

/// Properties of [`RoleCard`].
#[derive(Properties, PartialEq, Clone)]
pub struct RoleCardProps {
    /// Which role: `iam.roles[index]`.
    pub index: usize,
}

/// One role.
#[function_component]
pub fn RoleCard(props: &RoleCardProps) -> Html {
    let editor = use_editor();
    let base = format!("iam.roles[{}]", props.index);
    let at = |p: &str| format!("{base}.{p}");
    let name = editor.text(&at("name"));
    let inner = [
        "name",
        "path",
        "description",
        "max_session_duration",
        "trust_policy",
        "inline_policies",
        "managed_policies",
        "tags",
    ]
    .map(at);
    html! {
        <div class="iam-card role" id={field_id(&base)} tabindex="-1" data-name={name.clone()}>
            <div class="card-head">
                <h3>{ format!("Role {name}") }</h3>
                { remove_button(&editor, base.clone(), format!("role {name}")) }
            </div>
            <DocFindings path={base.clone()} exclude={inner.to_vec()} />
            <div class="row">
                { scalar(at("name"), "Name", Kind::Text, "") }
                { scalar(at("path"), "Path", Kind::OptionalText, "/") }
                { scalar(at("max_session_duration"), "Max session (s)", Kind::OptionalNumber, "3600") }
            </div>
            { scalar(at("description"), "Description", Kind::OptionalText, "") }
            <JsonField path={at("trust_policy")} label="Trust policy: who may assume the role" />
            <InlinePolicies role={base.clone()} />
            <Attachments role={base.clone()} />
            <JsonField path={at("tags")} label="Tags (a JSON object; blank for none)"
                optional={true} max_rows={8} />
        </div>
    }
}
