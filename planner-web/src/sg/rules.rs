//! A group's inbound or outbound rules, with a button to add one.

use yew::prelude::*;

use super::json::{new_rule, Direction};
use super::rule_row::RuleRow;
use crate::editor::use_editor;
use crate::fields::Notes;
use crate::path::{self, field_id};
use crate::state::Action;

/// Properties of [`RuleList`].
#[derive(Properties, PartialEq, Clone)]
pub struct RuleListProps {
    /// The group's path.
    pub group: AttrValue,
    /// Which list.
    pub direction: Direction,
}

/// One list of rules, with a button to add one.
#[function_component]
pub fn RuleList(props: &RuleListProps) -> Html {
    let editor = use_editor();
    let list = format!("{}.{}", props.group, props.direction.key());
    let n = path::count(&editor.doc, &list);
    let group_name = editor.text(&format!("{}.name", props.group));
    let add = {
        let editor = editor.clone();
        let list = list.clone();
        let direction = props.direction;
        Callback::from(move |_| {
            editor.dispatch(Action::Insert {
                path: list.clone(),
                index: usize::MAX,
                value: new_rule(direction),
            })
        })
    };
    let what = match props.direction {
        Direction::Ingress => "inbound",
        Direction::Egress => "outbound",
    };
    html! {
        <fieldset class={classes!("sg-rules", props.direction.key())} id={field_id(&list)} tabindex="-1">
            <legend>{ props.direction.label() }</legend>
            if n == 0 {
                <p class="empty">{ match props.direction {
                    Direction::Ingress => "Nothing may come in.",
                    Direction::Egress => "Nothing beyond the default egress.",
                } }</p>
            }
            { for (0..n).map(|i| html! {
                <RuleRow path={format!("{list}[{i}]")} group={props.group.clone()} />
            }) }
            <Notes path={list.clone()}
                claimed={(0..n).map(|i| format!("{list}[{i}]")).collect::<Vec<_>>()} />
            <button type="button" class="sg-add-rule" onclick={add}
                aria-label={format!("Add an {what} rule to group {group_name}")}>
                { format!("Add {what} rule") }</button>
        </fieldset>
    }
}
