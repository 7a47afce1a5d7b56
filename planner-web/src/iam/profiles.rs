//! Instance profiles: how EC2 instances get a role.

use serde_json::json;
use yew::prelude::*;

use super::items::{count, fresh_name, items, names, remove_button, scalar};
use crate::editor::use_editor;
use crate::fields::{DocFindings, Kind, Select};
use crate::path::field_id;
use crate::state::Action;

/// The instance profiles.
#[function_component]
pub fn InstanceProfiles() -> Html {
    let editor = use_editor();
    let n = count(&editor, "iam.instance_profiles");
    let roles = names(&editor, "iam.roles");
    let add = {
        let editor = editor.clone();
        let role = roles.first().cloned().unwrap_or_default();
        Callback::from(move |_| {
            let taken = names(&editor, "iam.instance_profiles");
            // A profile usually bears its role's name; else a fresh one.
            let name = if role.is_empty() || taken.iter().any(|t| t.eq_ignore_ascii_case(&role)) {
                fresh_name("profile", &taken)
            } else {
                role.clone()
            };
            editor.dispatch(Action::Insert {
                path: "iam.instance_profiles".into(),
                index: usize::MAX,
                value: json!({"name": name, "role": role}),
            });
        })
    };
    html! {
        <fieldset class="iam-list profiles" id={field_id("iam.instance_profiles")} tabindex="-1">
            <legend>{ "Instance profiles" }</legend>
            <DocFindings path="iam.instance_profiles" exclude={items("iam.instance_profiles", n)} />
            { for items("iam.instance_profiles", n).into_iter().map(|base| {
                let at = |p: &str| format!("{base}.{p}");
                let name = editor.text(&at("name"));
                let role = editor.text(&at("role"));
                let mut options: Vec<(AttrValue, AttrValue)> = roles
                    .iter()
                    .map(|r| (r.clone().into(), r.clone().into()))
                    .collect();
                if !roles.contains(&role) {
                    options.insert(0, (role.clone().into(), format!("{role} (not in this design)").into()));
                }
                html! {
                    <div class="iam-item profile row" id={field_id(&base)} tabindex="-1" data-name={name.clone()}>
                        <DocFindings path={base.clone()} exclude={["name", "path", "role"].map(at).to_vec()} />
                        { scalar(at("name"), "Name", Kind::Text, "") }
                        { scalar(at("path"), "Path", Kind::OptionalText, "/") }
                        <div class="scalar">
                            <Select path={at("role")} label="Role" {options} />
                            <DocFindings path={at("role")} with_error={false} />
                        </div>
                        { remove_button(&editor, base.clone(), format!("instance profile {name}")) }
                    </div>
                }
            }) }
            <button type="button" id="add-instance-profile" onclick={add}
                disabled={roles.is_empty()}
                title={roles.is_empty().then_some("Add a role first")}>{ "Add instance profile" }</button>
        </fieldset>
    }
}
