//! One direction's rules of an ACL as a table in evaluation order (by rule number), AWS's final
//! deny under them, and a button to add a rule with the next free number.
//!
//! The order shown is held while a rule number is being typed, so its row does not jump under
//! the caret at every key; leaving the field (or Enter) puts the row in its place. Rows are
//! keyed by their index in the design, so a row that moves keeps its inputs.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::json::{display_order, new_rule, Direction};
use super::rule_row::RuleRow;
use crate::browser;
use crate::editor::use_editor;
use crate::fields::Notes;
use crate::path::{self, field_id};
use crate::state::Action;

/// Properties of [`RuleTable`].
#[derive(Properties, PartialEq, Clone)]
pub struct RuleTableProps {
    /// The ACL's path.
    pub acl: AttrValue,
    /// Which list.
    pub direction: Direction,
}

/// The order to show: the one held while a number is typed (if it still covers every rule),
/// else evaluation order.
fn shown(held: Option<&Vec<usize>>, sorted: Vec<usize>) -> Vec<usize> {
    match held {
        Some(h) if h.len() == sorted.len() => h.clone(),
        _ => sorted,
    }
}

/// One list of rules, with a button to add one.
#[function_component]
pub fn RuleTable(props: &RuleTableProps) -> Html {
    let editor = use_editor();
    let direction = props.direction;
    let list = format!("{}.{}", props.acl, direction.key());
    let rules = editor.value(&list);
    let n = path::count(&editor.doc, &list);
    let held: Rc<RefCell<Option<Vec<usize>>>> = use_mut_ref(|| None);
    let refocus: Rc<RefCell<Option<String>>> = use_mut_ref(|| None);
    let redraw = use_force_update();
    let order = shown(held.borrow().as_ref(), display_order(rules));
    {
        let refocus = refocus.clone();
        use_effect(move || {
            if let Some(id) = refocus.borrow_mut().take() {
                browser::focus_field_id(&id);
            }
        });
    }
    let on_number_focus = {
        let held = held.clone();
        let order = order.clone();
        Callback::from(move |()| *held.borrow_mut() = Some(order.clone()))
    };
    let on_number_done = {
        let held = held.clone();
        Callback::from(move |keep: Option<String>| {
            *held.borrow_mut() = None;
            *refocus.borrow_mut() = keep;
            redraw.force_update();
        })
    };
    let acl_name = editor.text(&format!("{}.name", props.acl));
    let add = {
        let editor = editor.clone();
        let list = list.clone();
        Callback::from(move |_| {
            editor.dispatch(Action::Insert {
                path: list.clone(),
                index: usize::MAX,
                value: new_rule(direction, editor.value(&list)),
            })
        })
    };
    let what = match direction {
        Direction::Ingress => "inbound",
        Direction::Egress => "outbound",
    };
    html! {
        <fieldset class={classes!("acl-rules", direction.key())} id={field_id(&list)} tabindex="-1">
            <legend>{ direction.label() }</legend>
            <div class="acl-table-wrap"><table class="acl-table">
                <thead>
                    <tr>
                        <th scope="col">{ "Rule #" }</th>
                        <th scope="col">{ "Action" }</th>
                        <th scope="col">{ "Protocol" }</th>
                        <th scope="col">{ "Ports" }</th>
                        <th scope="col">{ direction.block_label() }</th>
                        <th><span class="visually-hidden">{ "Remove" }</span></th>
                    </tr>
                </thead>
                { for order.iter().map(|&i| html! {
                    <RuleRow key={i} path={format!("{list}[{i}]")}
                        on_number_focus={on_number_focus.clone()} on_number_done={on_number_done.clone()} />
                }) }
                <tbody class="acl-final">
                    <tr title="AWS's last rule, in every ACL: it cannot be changed">
                        <td>{ "*" }</td>
                        <td><span class="acl-action deny">{ "deny" }</span></td>
                        <td>{ "all" }</td>
                        <td>{ "all" }</td>
                        <td><code>{ "0.0.0.0/0" }</code>{ ", " }<code>{ "::/0" }</code></td>
                        <td></td>
                    </tr>
                </tbody>
            </table></div>
            <Notes path={list.clone()} claimed={(0..n).map(|i| format!("{list}[{i}]")).collect::<Vec<_>>()} />
            <button type="button" class="acl-add-rule" onclick={add}
                aria-label={format!("Add an {what} rule to network ACL {acl_name}")}>
                { format!("Add {what} rule") }</button>
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_order_stands_until_rules_come_or_go() {
        let held = vec![0, 1, 2];
        assert_eq!(shown(Some(&held), vec![1, 0, 2]), [0, 1, 2]);
        assert_eq!(shown(Some(&held), vec![1, 0, 2, 3]), [1, 0, 2, 3]);
        assert_eq!(shown(None, vec![2, 1, 0]), [2, 1, 0]);
    }
}
