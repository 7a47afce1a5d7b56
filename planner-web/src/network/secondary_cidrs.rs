//! The VPC's secondary CIDR blocks.

use serde_json::json;
use yew::prelude::*;

use crate::editor::{on_click, use_editor};
use crate::fields::TextField;
use crate::path::{self, field_id};
use crate::state::Action;

/// Further VPC CIDR blocks.
#[function_component]
pub fn SecondaryCidrs() -> Html {
    let editor = use_editor();
    let n = path::count(&editor.doc, "vpc.secondary_cidrs");
    let add = on_click(
        &editor,
        Action::Insert {
            path: "vpc.secondary_cidrs".into(),
            index: usize::MAX,
            value: json!("10.1.0.0/16"),
        },
    );
    html! {
        <fieldset class="list" id={field_id("vpc.secondary_cidrs")} tabindex="-1">
            <legend>{ "Secondary VPC CIDRs" }</legend>
            { for (0..n).map(|i| {
                let path = format!("vpc.secondary_cidrs[{i}]");
                let remove = on_click(&editor, Action::Remove { path: path.clone() });
                html! {
                    <div class="row">
                        <TextField path={path.clone()} label={format!("Block {}", i + 1)} />
                        <button type="button" aria-label={format!("Remove block {}", i + 1)} onclick={remove}>{ "✕" }</button>
                    </div>
                }
            }) }
            <button type="button" onclick={add}>{ "Add block" }</button>
        </fieldset>
    }
}
