//! The block a rule matches, in one field: IPv4 (`cidr`) or, when it has a `:`, IPv6
//! (`ipv6_cidr`); exactly one.

use serde_json::Value;
use yew::prelude::*;

use super::json::{block_edit, BlockKind};
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

/// The block's input, whose id is the member it holds (`….cidr` or `….ipv6_cidr`); the
/// messages about either member show under it.
#[function_component]
pub fn BlockField(props: &BlockFieldProps) -> Html {
    let editor = use_editor();
    let rule = props.path.to_string();
    let current = editor.value(&rule).cloned().unwrap_or(Value::Null);
    let member = format!("{rule}.{}", BlockKind::of(&current).key());
    let oninput = {
        let editor = editor.clone();
        let rule = rule.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let (path, value) = block_edit(&current, &rule, &input.value());
            editor.dispatch(Action::Set { path, value });
        })
    };
    let paths = BlockKind::ALL.map(|k| format!("{rule}.{}", k.key()));
    let invalid = paths.iter().any(|p| editor.error_at(p).is_some());
    html! {
        <label class={classes!("field", "acl-block", invalid.then_some("invalid"))}>
            <span class="label">{ "Block" }</span>
            <input id={field_id(&member)} type="text" value={editor.text(&member)} {oninput}
                placeholder="0.0.0.0/0 or ::/0" size="14" spellcheck="false"
                title="an IPv4 block (10.0.0.0/8) or an IPv6 block (2001:db8::/32, ::/0)"
                aria-invalid={invalid.then_some("true")} />
            { for paths.iter().map(|p| html! { <FieldError path={p.clone()} /> }) }
        </label>
    }
}
