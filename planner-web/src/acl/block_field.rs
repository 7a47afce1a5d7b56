//! The block a rule matches: IPv4 (`cidr`) or IPv6 (`ipv6_cidr`), exactly one.

use serde_json::Value;
use yew::prelude::*;

use super::json::{with_block, BlockKind};
use crate::editor::use_editor;
use crate::fields::FieldError;
use crate::path::field_id;
use crate::state::Action;

/// Properties of [`BlockField`].
#[derive(Properties, PartialEq, Clone)]
pub struct BlockFieldProps {
    /// The rule's path.
    pub path: AttrValue,
}

/// A select of the block's kind and its input, whose id is the member it sets
/// (`….cidr` or `….ipv6_cidr`); the messages about either member show under it.
#[function_component]
pub fn BlockField(props: &BlockFieldProps) -> Html {
    let editor = use_editor();
    let rule = props.path.to_string();
    let current = editor.value(&rule).cloned().unwrap_or(Value::Null);
    let kind = BlockKind::of(&current);
    let member = format!("{rule}.{}", kind.key());
    let on_kind = {
        let editor = editor.clone();
        let rule = rule.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            editor.dispatch(Action::Set {
                path: rule.clone(),
                value: with_block(&current, BlockKind::from_key(&select.value())),
            });
        })
    };
    let on_input = {
        let editor = editor.clone();
        let member = member.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            editor.dispatch(Action::Set {
                path: member.clone(),
                value: Value::String(input.value().trim().to_owned()),
            });
        })
    };
    let paths = BlockKind::ALL.map(|k| format!("{rule}.{}", k.key()));
    let invalid = paths.iter().any(|p| editor.error_at(p).is_some());
    html! {
        <div class={classes!("field", "acl-block", invalid.then_some("invalid"))}>
            <span class="label">{ "Block" }</span>
            <span class="acl-block-inputs">
                <select aria-label="Block kind" onchange={on_kind}>
                    { for BlockKind::ALL.iter().map(|k| html! {
                        <option value={k.key()} selected={*k == kind}>{ k.label() }</option>
                    }) }
                </select>
                <input id={field_id(&member)} type="text" value={editor.text(&member)}
                    oninput={on_input} aria-label={format!("{} block", kind.label())}
                    placeholder={kind.anywhere()} size="14" spellcheck="false"
                    aria-invalid={invalid.then_some("true")} />
            </span>
            { for paths.iter().map(|p| html! { <FieldError path={p.clone()} /> }) }
        </div>
    }
}
