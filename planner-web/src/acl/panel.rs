//! The network ACL tab: what ACLs do, which tiers keep the VPC's default ACL, and one card per
//! ACL.

use serde_json::Value;
use yew::prelude::*;

use super::acl_card::AclCard;
use super::json::{new_acl, tier_owners};
use crate::editor::use_editor;
use crate::fields::Notes;
use crate::path::{self, field_id};
use crate::state::{Action, Tab};

/// The network ACL editor.
#[function_component]
pub fn AclPanel() -> Html {
    let editor = use_editor();
    if editor.value("vpc").is_none() {
        return html! {
            <div class="panel acl">
                <p class="empty">{ "This design has no VPC: network ACLs filter a VPC's subnets." }</p>
            </div>
        };
    }
    let n = path::count(&editor.doc, "network_acls");
    let add = {
        let editor = editor.clone();
        Callback::from(move |_| {
            editor.dispatch(Action::Insert {
                path: "network_acls".into(),
                index: usize::MAX,
                value: new_acl(&editor.doc),
            })
        })
    };
    let owners = tier_owners(&editor.doc);
    let free: Vec<String> = path::names(&editor.doc, "tiers")
        .into_iter()
        .filter(|t| !owners.contains_key(t))
        .collect();
    let default = match editor
        .value("vpc.default_network_acl")
        .and_then(Value::as_str)
    {
        Some("deny_all") => {
            "denies everything (deny_all): their subnets reach nothing and nothing reaches them"
        }
        Some("allow_all") => "allows everything (allow_all)",
        _ => "is AWS's, not managed by the plan (it allows everything unless changed by hand)",
    };
    let to_network = {
        let editor = editor.clone();
        Callback::from(move |_| editor.dispatch(Action::Tab(Tab::Network)))
    };
    let claimed = (0..n)
        .map(|i| format!("network_acls[{i}]"))
        .collect::<Vec<_>>();
    html! {
        <div class="panel acl">
            <p class="acl-intro">
                { "A network ACL filters what crosses the edge of its tiers' subnets, in and out. \
                   It is stateless (replies need a rule of their own) and its rules are evaluated \
                   lowest number first: the first that matches decides." }
            </p>
            <p class="acl-default" id="acl-default">
                if free.is_empty() {
                    { "Every tier is in an ACL." }
                } else {
                    { format!("Tiers in no ACL ({}) use the VPC's default ACL, which {default}. ", free.join(", ")) }
                    <button type="button" class="link" onclick={to_network}>{ "Change it on the Network tab" }</button>
                }
            </p>
            <section class="acl-list" id={field_id("network_acls")} tabindex="-1"
                aria-labelledby="acl-list-title">
                <h2 id="acl-list-title">{ "Network ACLs" }</h2>
                <Notes path="network_acls" {claimed} />
                if n == 0 {
                    <p class="empty">{ "No network ACLs: every subnet uses the VPC's default ACL." }</p>
                }
                { for (0..n).map(|i| html! { <AclCard index={i} /> }) }
                <button type="button" id="acl-add" onclick={add}>{ "Add network ACL" }</button>
            </section>
        </div>
    }
}
