//! The tiers whose subnets use one network ACL: a checkbox per tier of the design, saying
//! which other ACL holds a tier; checking it there moves it here in one edit.

use serde_json::Value;
use yew::prelude::*;

use super::json::tier_owners;
use crate::editor::use_editor;
use crate::fields::{FieldError, Notes};
use crate::path::{self, field_id};
use crate::state::Action;

/// Properties of [`AclTiers`].
#[derive(Properties, PartialEq, Clone)]
pub struct AclTiersProps {
    /// Which ACL: `network_acls[index]`.
    pub index: usize,
}

/// The ACL's tiers.
#[function_component]
pub fn AclTiers(props: &AclTiersProps) -> Html {
    let editor = use_editor();
    let i = props.index;
    let list = format!("network_acls[{i}].tiers");
    let listed: Vec<String> = path::get(&editor.doc, &list)
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .map(|t| t.as_str().map_or_else(|| t.to_string(), str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let owners = tier_owners(&editor.doc);
    let acl_names = path::names(&editor.doc, "network_acls");
    let mut tiers = path::names(&editor.doc, "tiers");
    // Names the design lacks stay visible (checked) with the core's message.
    tiers.extend(
        listed
            .iter()
            .filter(|t| !tiers.contains(t))
            .cloned()
            .collect::<Vec<_>>(),
    );
    let item = |tier: &String| {
        let at = listed.iter().position(|t| t == tier);
        let id = match at {
            Some(j) => field_id(&format!("{list}[{j}]")),
            None => format!("acl-{i}-tier-{tier}"),
        };
        let elsewhere = owners.get(tier).filter(|&&o| o != i).map(|&o| {
            acl_names
                .get(o)
                .cloned()
                .unwrap_or_else(|| format!("ACL {}", o + 1))
        });
        let onchange = {
            let editor = editor.clone();
            let tier = tier.clone();
            Callback::from(move |e: Event| {
                let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                editor.dispatch(Action::PlaceTier {
                    tier: tier.clone(),
                    acl: input.checked().then_some(i),
                });
            })
        };
        let invalid = at.is_some_and(|j| editor.error_at(&format!("{list}[{j}]")).is_some());
        html! {
            <label class={classes!("field", "check", "acl-tier", invalid.then_some("invalid"))} data-tier={tier.clone()}>
                <input {id} type="checkbox" checked={at.is_some()} {onchange} />
                <span class="label">{ tier }</span>
                if let Some(other) = elsewhere {
                    <small class="acl-elsewhere" title="Checking it here moves it from there">{ format!("in {other}") }</small>
                }
                if let Some(j) = at {
                    <FieldError path={format!("{list}[{j}]")} />
                }
            </label>
        }
    };
    let claimed = (0..listed.len())
        .map(|j| format!("{list}[{j}]"))
        .collect::<Vec<_>>();
    html! {
        <fieldset class="acl-tiers" id={field_id(&list)} tabindex="-1">
            <legend>{ "Tiers (their subnets use this ACL)" }</legend>
            if tiers.is_empty() {
                <p class="empty">{ "The design has no tiers." }</p>
            }
            <div class="acl-tier-list">{ for tiers.iter().map(item) }</div>
            <Notes path={list.clone()} {claimed} />
        </fieldset>
    }
}
