//! One rule of an ACL as rows of its table: number, allow or deny, protocol, ports and block;
//! under them the messages about the rule and those fields, then its description.

use yew::prelude::*;

use super::block_field::BlockField;
use super::json::ACTIONS;
use super::rule_number::RuleNumber;
use crate::editor::{on_click, use_editor};
use crate::fields::{Kind, Notes, PortsField, ProtocolField, Select, TextField};
use crate::path::field_id;
use crate::state::Action;

/// Properties of [`RuleRow`].
#[derive(Properties, PartialEq, Clone)]
pub struct RuleRowProps {
    /// The rule's path.
    pub path: AttrValue,
    /// The rule number's field got the focus.
    pub on_number_focus: Callback<()>,
    /// The rule number's field was left (`None`) or its number entered (the field's id, to
    /// keep the focus there).
    pub on_number_done: Callback<Option<String>>,
}

/// One rule.
#[function_component]
pub fn RuleRow(props: &RuleRowProps) -> Html {
    let editor = use_editor();
    let base = props.path.to_string();
    let at = |member: &str| format!("{base}.{member}");
    let remove = on_click(&editor, Action::Remove { path: base.clone() });
    let number = editor.text(&at("rule_number"));
    let action = editor.text(&at("action"));
    let actions = ACTIONS
        .iter()
        .map(|a| (AttrValue::from(a.as_str()), AttrValue::from(a.as_str())))
        .collect::<Vec<_>>();
    // The fields of the first row are narrow: their messages show in the row under them, at
    // the rule's full width (the notes), and only the description's under its field.
    let claimed = vec![at("description")];
    html! {
        <tbody class="acl-rule" id={field_id(&base)} tabindex="-1" data-rule={number.clone()}>
            <tr>
                <td class="acl-number"><RuleNumber path={at("rule_number")}
                    on_focus={props.on_number_focus.clone()} on_done={props.on_number_done.clone()} /></td>
                <td class={classes!("acl-action-cell", action.clone())}>
                    <Select path={at("action")} label="Action" options={actions} /></td>
                <td><ProtocolField path={at("protocol")} /></td>
                <td><PortsField path={at("ports")} /></td>
                <td><BlockField path={base.clone()} /></td>
                <td><button type="button" class="acl-remove-rule" onclick={remove}
                    aria-label={format!("Remove rule {number}")} title="Remove the rule">{ "✕" }</button></td>
            </tr>
            <tr class="acl-rule-notes">
                <td colspan="6"><Notes path={base.clone()} {claimed} /></td>
            </tr>
            <tr class="acl-rule-more">
                <td></td>
                <td class="acl-description" colspan="4"><TextField path={at("description")}
                    label="Description" kind={Kind::OptionalText} placeholder="description (kept in the plan, not by AWS)" /></td>
                <td></td>
            </tr>
        </tbody>
    }
}
