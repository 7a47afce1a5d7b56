//! One instance's card: every field of the design's instance.

use planner_core::design::instances::is_arm64_type;
use yew::prelude::*;

use super::access::Access;
use super::json::{role_label, role_of, INSTANCE_TYPES, ROLES};
use super::placement::Placement;
use crate::editor::{on_click, use_editor};
use crate::fields::{AmiField, FieldError, Kind, Notes, Select, TextField};
use crate::path::field_id;
use crate::state::Action;

/// Properties of [`InstanceCard`].
#[derive(Properties, PartialEq, Clone)]
pub struct InstanceCardProps {
    /// Which instance: `instances[index]`.
    pub index: usize,
}

/// The members of an instance whose fields show their own errors.
const MEMBERS: [&str; 11] = [
    "name",
    "role",
    "ami",
    "instance_type",
    "tier",
    "availability_zone",
    "security_groups",
    "instance_profile",
    "key_name",
    "public_address",
    "user_data",
];

/// One instance: name, role, image, type, tier and zone, security groups, instance profile,
/// key pair, public address, user data, and a button to remove it.
#[function_component]
pub fn InstanceCard(props: &InstanceCardProps) -> Html {
    let editor = use_editor();
    let base = format!("instances[{}]", props.index);
    let at = |m: &str| format!("{base}.{m}");
    let name = editor.text(&at("name"));
    let role = editor.text(&at("role"));
    let mut roles: Vec<(AttrValue, AttrValue)> = ROLES
        .iter()
        .map(|r| (super::json::role_key(*r).into(), role_label(*r).into()))
        .collect();
    if role_of(&role).is_none() {
        roles.insert(0, (role.clone().into(), role.clone().into()));
    }
    let what = role_of(&role).map_or("Instance", role_label);
    let arm64 = is_arm64_type(&editor.text(&at("instance_type")));
    let remove = on_click(&editor, Action::Remove { path: base.clone() });
    let claimed = MEMBERS.map(at).to_vec();
    html! {
        <article class="instance-card" id={field_id(&base)} tabindex="-1" data-instance={name.clone()}>
            <header class="instance-head">
                <h3>{ what }{ " " }<span class="instance-name">{ if name.is_empty() { "(unnamed)" } else { &name } }</span></h3>
                <button type="button" class="instance-remove" onclick={remove}
                    aria-label={format!("Remove instance {name}")}>{ "Remove" }</button>
            </header>
            <Notes path={base.clone()} {claimed} />
            <div class="row">
                <TextField path={at("name")} label="Name" />
                <Select path={at("role")} label="Role" options={roles} />
                <TextField path={at("instance_type")} label="Instance type" placeholder="t3.micro"
                    list="instance-types" class="instance-type" />
            </div>
            <AmiField path={at("ami")} label="Image (AMI)" {arm64} />
            <div class="row">
                <Placement base={base.clone()} />
            </div>
            <Access base={base.clone()} />
            <UserData path={at("user_data")} />
        </article>
    }
}

/// The `<datalist>` of instance types the instance type fields suggest.
pub fn instance_types() -> Html {
    html! {
        <datalist id="instance-types">
            { for INSTANCE_TYPES.iter().map(|t| html! { <option value={*t} /> }) }
        </datalist>
    }
}

/// Properties of [`UserData`].
#[derive(Properties, PartialEq, Clone)]
struct UserDataProps {
    path: String,
}

/// `user_data`: a script run at first boot, in a textarea; empty removes it.
#[function_component]
fn UserData(props: &UserDataProps) -> Html {
    let editor = use_editor();
    let path = props.path.clone();
    let text = editor.text(&path);
    let oninput = {
        let editor = editor.clone();
        let path = path.clone();
        Callback::from(move |e: InputEvent| {
            let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            editor.dispatch(Action::Set {
                path: path.clone(),
                value: Kind::OptionalText.value(&area.value()),
            });
        })
    };
    let id = field_id(&path);
    let invalid = editor.error_at(&path).is_some();
    let rows = (text.lines().count() + 1).clamp(2, 16);
    html! {
        <div class={classes!("field", "user-data", invalid.then_some("invalid"))}>
            <label class="label" for={id.clone()}>{ "User data (a script run at first boot)" }</label>
            <textarea {id} class="code" rows={rows.to_string()} spellcheck="false" value={text}
                placeholder="#!/bin/bash" {oninput} aria-invalid={invalid.then_some("true")} />
            <FieldError path={AttrValue::from(path.clone())} />
        </div>
    }
}
