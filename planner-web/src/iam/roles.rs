//! The roles list, and the role a new one starts as.

use serde_json::{json, Value};
use yew::prelude::*;

use super::items::{count, fresh_name, items, names};
use super::role_card::RoleCard;
use crate::editor::use_editor;
use crate::fields::DocFindings;
use crate::path::field_id;
use crate::state::Action;

/// A new role: EC2 instances may assume it, and it may do nothing yet.
pub(super) fn new_role(name: &str) -> Value {
    json!({
        "name": name,
        "trust_policy": {
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Principal": {"Service": "ec2.amazonaws.com"},
                "Action": "sts:AssumeRole"
            }]
        }
    })
}

/// The roles.
#[function_component]
pub fn Roles() -> Html {
    let editor = use_editor();
    let n = count(&editor, "iam.roles");
    let add = {
        let editor = editor.clone();
        Callback::from(move |_| {
            let name = fresh_name("role", &names(&editor, "iam.roles"));
            editor.dispatch(Action::Insert {
                path: "iam.roles".into(),
                index: usize::MAX,
                value: new_role(&name),
            });
        })
    };
    html! {
        <fieldset class="iam-list roles" id={field_id("iam.roles")} tabindex="-1">
            <legend>{ "Roles" }</legend>
            <DocFindings path="iam.roles" exclude={items("iam.roles", n)} />
            { for (0..n).map(|i| html! { <RoleCard index={i} /> }) }
            <button type="button" id="add-role" onclick={add}>{ "Add role" }</button>
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::policies::new_policy;
    use crate::state::{blank, Loaded, State};

    #[test]
    fn new_roles_and_policies_plan_without_findings() {
        let s = State::loaded(Loaded::fresh(blank(), None));
        let s = s.apply(Action::Insert {
            path: "iam.roles".into(),
            index: usize::MAX,
            value: new_role("role1"),
        });
        let s = s.apply(Action::Insert {
            path: "iam.roles[0].inline_policies".into(),
            index: usize::MAX,
            value: new_policy("policy1"),
        });
        assert!(s.error.is_none(), "{:?}", s.error);
        let iam: Vec<_> = s
            .planned
            .as_ref()
            .unwrap()
            .diagnostics
            .iter()
            .filter(|d| d.path.starts_with("iam"))
            .collect();
        assert!(iam.is_empty(), "{iam:#?}");
    }
}
