//! Who may reach an instance and what it may do: its security groups, instance profile, key
//! pair and public address.

use serde_json::json;
use yew::prelude::*;

use super::json::{strings, toggled};
use crate::editor::use_editor;
use crate::fields::{FieldError, Kind, PublicAddress, Select, TextField};
use crate::path::{self, field_id};
use crate::state::Action;

/// Properties of [`Access`].
#[derive(Properties, PartialEq, Clone)]
pub struct AccessProps {
    /// The instance's path (`instances[0]`).
    pub base: AttrValue,
}

/// A checkbox per security group of the design (and per name the instance holds that is not
/// one, to take it out); the instance profile; the key pair; the public address.
#[function_component]
pub fn Access(props: &AccessProps) -> Html {
    let editor = use_editor();
    let at = |m: &str| format!("{}.{m}", props.base);
    let groups_path = at("security_groups");
    let chosen = strings(editor.value(&groups_path));
    let mut groups = path::names(&editor.doc, "security_groups");
    let unknown: Vec<String> = chosen
        .iter()
        .filter(|c| !groups.contains(c))
        .cloned()
        .collect();
    groups.extend(unknown.iter().cloned());
    let boxes = groups.iter().map(|name| {
        let on = chosen.contains(name);
        let next = toggled(&chosen, name, !on);
        let onchange = {
            let editor = editor.clone();
            let action = Action::Set {
                path: groups_path.clone(),
                value: json!(next),
            };
            Callback::from(move |_: Event| editor.dispatch(action.clone()))
        };
        let label = if unknown.contains(name) {
            format!("{name} (not in this design)")
        } else {
            name.clone()
        };
        html! {
            <label class="check">
                <input type="checkbox" id={format!("{}-{name}", field_id(&groups_path))}
                    checked={on} {onchange} />
                { label }
            </label>
        }
    });
    let profiles = path::names(&editor.doc, "iam.instance_profiles");
    let profile = editor.text(&at("instance_profile"));
    let mut profile_options: Vec<(AttrValue, AttrValue)> = profiles
        .iter()
        .map(|p| (p.clone().into(), p.clone().into()))
        .collect();
    if !profile.is_empty() && !profiles.contains(&profile) {
        profile_options.insert(
            0,
            (
                profile.clone().into(),
                format!("{profile} (not in this design)").into(),
            ),
        );
    }
    html! {
        <>
            <fieldset class="members instance-groups" id={field_id(&groups_path)} tabindex="-1">
                <legend>{ "Security groups" }</legend>
                if groups.is_empty() {
                    <p class="empty">{ "The design has no security groups yet (the Security groups tab adds them)." }</p>
                }
                { for boxes }
                <FieldError path={groups_path.clone()} />
            </fieldset>
            <div class="row">
                <Select path={at("instance_profile")} label="Instance profile (IAM role)"
                    options={profile_options} unset={AttrValue::from("none")} />
                <TextField path={at("key_name")} label="Key pair (existing EC2 key)"
                    kind={Kind::OptionalText} placeholder="none" />
                <PublicAddress path={at("public_address")} label="Public IPv4 address" />
            </div>
        </>
    }
}
