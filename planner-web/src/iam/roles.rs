//! Roles: name and settings, the trust policy, inline policies, managed policy attachments.

use serde_json::{json, Value};
use yew::prelude::*;

use super::attachments::Attachments;
use super::policies::new_policy;
use super::{count, fresh_name, items, names, remove_button, scalar, DocFindings, JsonField};
use crate::browser::field_id;
use crate::fields::{use_editor, Kind};
use crate::state::Action;

/// A new role: EC2 instances may assume it, and it may do nothing yet.
pub(super) fn new_role(name: &str) -> Value {
    json!({
        "name": name,
        "trust_policy": {
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Principal": {"Service": "ec2.amazonaws.com"},
                "Action": "sts:AssumeRole"
            }]
        }
    })
}

/// The roles.
#[function_component]
pub(super) fn Roles() -> Html {
    let editor = use_editor();
    let n = count(&editor, "iam.roles");
    let add = {
        let editor = editor.clone();
        Callback::from(move |_| {
            let name = fresh_name("role", &names(&editor, "iam.roles"));
            editor.dispatch(Action::Insert {
                path: "iam.roles".into(),
                index: usize::MAX,
                value: new_role(&name),
            });
        })
    };
    html! {
        <fieldset class="iam-list roles" id={field_id("iam.roles")} tabindex="-1">
            <legend>{ "Roles" }</legend>
            <DocFindings path="iam.roles" exclude={items("iam.roles", n)} />
            { for (0..n).map(|i| html! { <RoleCard index={i} /> }) }
            <button type="button" id="add-role" onclick={add}>{ "Add role" }</button>
        </fieldset>
    }
}

/// Properties of [`RoleCard`].
#[derive(Properties, PartialEq, Clone)]
struct RoleCardProps {
    index: usize,
}

/// One role.
#[function_component]
fn RoleCard(props: &RoleCardProps) -> Html {
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

/// Properties of [`InlinePolicies`].
#[derive(Properties, PartialEq, Clone)]
struct RoleProps {
    /// The role's path, `iam.roles[i]`.
    role: String,
}

/// A role's inline policies.
#[function_component]
fn InlinePolicies(props: &RoleProps) -> Html {
    let editor = use_editor();
    let list = format!("{}.inline_policies", props.role);
    let n = count(&editor, &list);
    let add = {
        let editor = editor.clone();
        let list = list.clone();
        Callback::from(move |_| {
            let name = fresh_name("policy", &names(&editor, &list));
            editor.dispatch(Action::Insert {
                path: list.clone(),
                index: usize::MAX,
                value: new_policy(&name),
            });
        })
    };
    html! {
        <fieldset class="iam-list inline-policies" id={field_id(&list)} tabindex="-1">
            <legend>{ "Inline policies" }</legend>
            <DocFindings path={list.clone()} exclude={items(&list, n)} />
            { for items(&list, n).into_iter().map(|base| {
                let at = |p: &str| format!("{base}.{p}");
                let name = editor.text(&at("name"));
                html! {
                    <div class="iam-item inline-policy" id={field_id(&base)} tabindex="-1">
                        <div class="card-head">
                            { scalar(at("name"), "Name", Kind::Text, "") }
                            { remove_button(&editor, base.clone(), format!("inline policy {name}")) }
                        </div>
                        <DocFindings path={base.clone()} exclude={vec![at("name"), at("document")]} />
                        <JsonField path={at("document")} label="Policy document" />
                    </div>
                }
            }) }
            <button type="button" class="add-inline-policy" onclick={add}>{ "Add inline policy" }</button>
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{blank, Loaded, State};

    #[test]
    fn new_roles_and_policies_plan_without_findings() {
        let s = State::loaded(Loaded {
            doc: blank(),
            pin: None,
            notice: None,
        });
        let s = s.apply(Action::Insert {
            path: "iam.roles".into(),
            index: usize::MAX,
            value: new_role("role1"),
        });
        let s = s.apply(Action::Insert {
            path: "iam.roles[0].inline_policies".into(),
            index: usize::MAX,
            value: new_policy("policy1"),
        });
        assert!(s.error.is_none(), "{:?}", s.error);
        let iam: Vec<_> = s
            .planned
            .as_ref()
            .unwrap()
            .diagnostics
            .iter()
            .filter(|d| d.path.starts_with("iam"))
            .collect();
        assert!(iam.is_empty(), "{iam:#?}");
    }
}
