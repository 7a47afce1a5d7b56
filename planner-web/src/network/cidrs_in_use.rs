//! Ranges used outside this VPC, which no subnet may take.

use serde_json::json;
use yew::prelude::*;

use crate::editor::{on_click, use_editor};
use crate::fields::TextField;
use crate::path::{self, field_id};
use crate::state::Action;

/// Ranges used outside this VPC.
#[function_component]
pub fn CidrsInUse() -> Html {
    let editor = use_editor();
    let n = path::count(&editor.doc, "cidrs_in_use");
    let add = on_click(
        &editor,
        Action::Insert {
            path: "cidrs_in_use".into(),
            index: usize::MAX,
            value: json!({"cidr": "192.168.0.0/16", "description": "office"}),
        },
    );
    html! {
        <fieldset class="list" id={field_id("cidrs_in_use")} tabindex="-1">
            <legend>{ "CIDRs in use elsewhere" }</legend>
            { for (0..n).map(|i| {
                let base = format!("cidrs_in_use[{i}]");
                let remove = on_click(&editor, Action::Remove { path: base.clone() });
                html! {
                    <div class="row" id={field_id(&base)} tabindex="-1">
                        <TextField path={format!("{base}.cidr")} label="CIDR" />
                        <TextField path={format!("{base}.description")} label="Where" />
                        <button type="button" aria-label={format!("Remove range {}", i + 1)} onclick={remove}>{ "✕" }</button>
                    </div>
                }
            }) }
            <button type="button" onclick={add}>{ "Add range" }</button>
        </fieldset>
    }
}
