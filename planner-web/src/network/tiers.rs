//! The tiers table: every tier, and a button to add one.

use serde_json::json;
use yew::prelude::*;

use super::tier_row::TierRow;
use crate::editor::{on_click, use_editor};
use crate::fields::FieldError;
use crate::path::{self, field_id};
use crate::state::Action;

/// The tiers table: add, remove, reorder, size by prefix or host count.
#[function_component]
pub fn Tiers() -> Html {
    let editor = use_editor();
    let tiers = path::count(&editor.doc, "tiers");
    let add = on_click(
        &editor,
        Action::Insert {
            path: "tiers".into(),
            index: usize::MAX,
            value: json!({"name": format!("tier{}", tiers + 1), "kind": "private", "size": {"prefix": 24}}),
        },
    );
    html! {
        <fieldset class="tiers" id={field_id("tiers")} tabindex="-1">
            <legend>{ "Tiers" }</legend>
            <FieldError path="tiers" />
            { for (0..tiers).map(|i| html! { <TierRow index={i} count={tiers} /> }) }
            <button type="button" id="add-tier" onclick={add}>{ "Add tier" }</button>
        </fieldset>
    }
}
