//! The groups editor: every security group of the design, and a button to add one.

use yew::prelude::*;

use super::group_card::GroupCard;
use super::json::new_group;
use crate::editor::use_editor;
use crate::fields::Notes;
use crate::path::{self, field_id};
use crate::state::Action;

/// Every group of the design.
#[function_component]
pub fn GroupsEditor() -> Html {
    let editor = use_editor();
    let n = path::count(&editor.doc, "security_groups");
    let add = {
        let editor = editor.clone();
        Callback::from(move |_| {
            editor.dispatch(Action::Insert {
                path: "security_groups".into(),
                index: usize::MAX,
                value: new_group(&editor.doc),
            })
        })
    };
    let claimed = (0..n)
        .map(|i| format!("security_groups[{i}]"))
        .collect::<Vec<_>>();
    html! {
        <section class="sg-groups" id={field_id("security_groups")} tabindex="-1"
            aria-labelledby="sg-groups-title">
            <h2 id="sg-groups-title">{ "Security groups" }</h2>
            <Notes path="security_groups" {claimed} />
            if n == 0 {
                <p class="empty">{ "No security groups yet." }</p>
            }
            { for (0..n).map(|i| html! { <GroupCard index={i} /> }) }
            <button type="button" id="sg-add-group" onclick={add}>{ "Add group" }</button>
        </section>
    }
}
