//! A role's inline policies: name and document each.

use yew::prelude::*;

use super::items::{count, fresh_name, items, names, remove_button, scalar};
use super::policies::new_policy;
use crate::editor::use_editor;
use crate::fields::{DocFindings, JsonField, Kind};
use crate::path::field_id;
use crate::state::Action;

/// Properties of [`InlinePolicies`].
#[derive(Properties, PartialEq, Clone)]
pub struct RoleProps {
    /// The role's path, `iam.roles[i]`.
    pub role: String,
}

/// A role's inline policies.
#[function_component]
pub fn InlinePolicies(props: &RoleProps) -> Html {
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
