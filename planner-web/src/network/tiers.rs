//! The tiers table: every tier, and a button to add one.

use serde_json::json;
use yew::prelude::*;

use super::tier_row::TierRow;
use crate::browser;
use crate::editor::{on_click, use_editor};
use crate::fields::FieldError;
use crate::path::{self, field_id};
use crate::state::Action;

/// The tiers table: add, remove, reorder, size by prefix or host count.
#[function_component]
pub fn Tiers() -> Html {
    let editor = use_editor();
    let tiers = path::count(&editor.doc, "tiers");
    // The element a move or a removal hands focus to, focused once the tiers are redrawn.
    let refocus = use_mut_ref(|| None::<String>);
    {
        let refocus = refocus.clone();
        use_effect(move || {
            if let Some(id) = refocus.borrow_mut().take() {
                browser::focus_field_id(&id);
            }
        });
    }
    let focus_after = Callback::from(move |id: String| *refocus.borrow_mut() = Some(id));
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
            <p class="help">{ "Reserve keeps blocks of a tier's size free beside it, so the tier can grow without moving any subnet. Max AZs puts the tier in only the first AZs." }</p>
            <FieldError path="tiers" shown_below={(0..tiers).map(|i| format!("tiers[{i}]")).collect::<Vec<_>>()} />
            { for (0..tiers).map(|i| html! { <TierRow index={i} count={tiers} focus_after={focus_after.clone()} /> }) }
            <button type="button" id="add-tier" onclick={add}>{ "Add tier" }</button>
        </fieldset>
    }
}
