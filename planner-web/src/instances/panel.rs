//! The instances tab: every instance of the design, and buttons to add one of each role.

use planner_core::design::instances::InstanceRole;
use yew::prelude::*;

use super::card::{instance_types, InstanceCard};
use super::json::{new_instance, role_key, role_label, ROLES};
use crate::editor::use_editor;
use crate::fields::Notes;
use crate::path::{self, field_id};
use crate::state::Action;

/// The instances editor.
#[function_component]
pub fn InstancesPanel() -> Html {
    let editor = use_editor();
    let n = path::count(&editor.doc, "instances");
    let has_vpc = editor.value("vpc").is_some();
    let add_buttons = ROLES.iter().map(|&role| {
        let editor = editor.clone();
        let onclick = Callback::from(move |_| {
            editor.dispatch(Action::Insert {
                path: "instances".into(),
                index: usize::MAX,
                value: new_instance(&editor.doc, role),
            })
        });
        let label = match role {
            InstanceRole::NatInstance => "Add a NAT instance of your own".to_owned(),
            _ => format!("Add {}", role_label(role).to_lowercase()),
        };
        html! {
            <button type="button" id={format!("instance-add-{}", role_key(role))} {onclick}
                disabled={!has_vpc}>{ label }</button>
        }
    });
    let claimed = (0..n)
        .map(|i| format!("instances[{i}]"))
        .collect::<Vec<_>>();
    html! {
        <div class="panel instances">
            <section class="instance-list" id={field_id("instances")} tabindex="-1"
                aria-labelledby="instances-title">
                <h2 id="instances-title">{ "Instances" }</h2>
                <p class="help">{ "Bastion hosts, jump hosts, master nodes and other EC2 instances the plan launches, each in a subnet of its tier. NAT instances are set in the Network tab." }</p>
                <Notes path="instances" {claimed} />
                { instance_types() }
                if n == 0 {
                    <p class="empty">{ if has_vpc { "No instances yet." } else { "This design has no VPC to launch instances in." } }</p>
                }
                { for (0..n).map(|i| html! { <InstanceCard index={i} /> }) }
                <div class="row instance-add">{ for add_buttons }</div>
            </section>
        </div>
    }
}
