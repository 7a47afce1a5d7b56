//! One attachment of a group: its role, tier, label and public address.

use yew::prelude::*;

use super::json::{Names, ROLES};
use super::props::PathProps;
use crate::editor::{on_click, use_editor};
use crate::fields::Notes;
use crate::fields::{Kind, PublicAddress, Select, TextField};
use crate::path::field_id;
use crate::state::Action;

/// One attachment: a role in a tier, its label and public address.
#[function_component]
pub fn AttachmentRow(props: &PathProps) -> Html {
    let editor = use_editor();
    let base = props.path.to_string();
    let at = |member: &str| format!("{base}.{member}");
    let option = |s: &str| {
        (
            AttrValue::from(s.to_owned()),
            AttrValue::from(s.replace('_', " ")),
        )
    };
    let roles = ROLES.iter().map(|r| option(r.as_str())).collect::<Vec<_>>();
    let mut tiers = Names::of(&editor.doc, "").tiers;
    let tier = editor.text(&at("tier"));
    if !tiers.contains(&tier) {
        tiers.insert(0, tier);
    }
    let tiers = tiers.iter().map(|t| option(t)).collect::<Vec<_>>();
    let remove = on_click(&editor, Action::Remove { path: base.clone() });
    let claimed = ["role", "tier", "name", "public_address"].map(at).to_vec();
    html! {
        <div class="sg-attachment" id={field_id(&base)} tabindex="-1">
            <Select path={at("role")} label="Role" options={roles} />
            <Select path={at("tier")} label="Tier" options={tiers} />
            <TextField path={at("name")} label="Label" kind={Kind::OptionalText} placeholder="the role" />
            <PublicAddress path={at("public_address")} label="Public address" />
            <button type="button" class="sg-remove" aria-label={format!("Remove attachment {base}")}
                onclick={remove}>{ "✕" }</button>
            <div class="sg-rule-notes"><Notes path={base.clone()} {claimed} /></div>
        </div>
    }
}
