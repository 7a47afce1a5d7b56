//! A rule's number, which decides where the rule stands in evaluation order.

use yew::prelude::*;

use crate::editor::use_editor;
use crate::fields::{FieldError, Kind};
use crate::path::field_id;
use crate::state::Action;

/// Properties of [`RuleNumber`].
#[derive(Properties, PartialEq, Clone)]
pub struct RuleNumberProps {
    /// The rule's `rule_number` path.
    pub path: AttrValue,
    /// The field got the focus.
    pub on_focus: Callback<()>,
    /// The field was left (`None`) or Enter pressed in it (its id, to keep the focus there).
    pub on_done: Callback<Option<String>>,
}

/// The rule number: set as typed (so the core's message shows at once); the table re-sorts
/// when the field is left or Enter is pressed.
#[function_component]
pub fn RuleNumber(props: &RuleNumberProps) -> Html {
    let editor = use_editor();
    let path = props.path.to_string();
    let id = field_id(&path);
    let oninput = {
        let editor = editor.clone();
        let path = path.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            editor.dispatch(Action::Set {
                path: path.clone(),
                value: Kind::Number.value(&input.value()),
            });
        })
    };
    let onfocus = props.on_focus.reform(|_: FocusEvent| ());
    let onblur = props.on_done.reform(|_: FocusEvent| None);
    let onkeydown = {
        let done = props.on_done.clone();
        let id = id.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" {
                done.emit(Some(id.clone()));
            }
        })
    };
    let invalid = editor.error_at(&path).is_some();
    html! {
        <label class={classes!("field", "acl-rule-number", invalid.then_some("invalid"))}>
            <span class="label">{ "Rule number" }</span>
            <input {id} type="text" inputmode="numeric" value={editor.text(&path)} size="5"
                {oninput} {onfocus} {onblur} {onkeydown} spellcheck="false"
                title="1-32766; lower numbers are evaluated first"
                aria-invalid={invalid.then_some("true")} />
            <FieldError path={props.path.clone()} />
        </label>
    }
}
