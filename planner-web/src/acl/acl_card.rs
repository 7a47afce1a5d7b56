//! One network ACL's card: its name, its tiers, and its inbound and outbound rules.

use yew::prelude::*;

use super::json::Direction;
use super::rules::RuleTable;
use super::tiers::AclTiers;
use crate::editor::{on_click, use_editor};
use crate::fields::{Notes, TextField};
use crate::path::field_id;
use crate::state::Action;

/// Properties of [`AclCard`].
#[derive(Properties, PartialEq, Clone)]
pub struct AclCardProps {
    /// Which ACL: `network_acls[index]`.
    pub index: usize,
}

/// One ACL's card.
#[function_component]
pub fn AclCard(props: &AclCardProps) -> Html {
    let editor = use_editor();
    let base = format!("network_acls[{}]", props.index);
    let at = |member: &str| format!("{base}.{member}");
    let name = editor.text(&at("name"));
    let remove = on_click(&editor, Action::Remove { path: base.clone() });
    let claimed = ["name", "tiers", "ingress", "egress"].map(at).to_vec();
    html! {
        <article class="acl-card" id={field_id(&base)} tabindex="-1" data-acl={name.clone()}>
            <header class="acl-head">
                <h3>{ if name.is_empty() { "(unnamed)".to_owned() } else { name.clone() } }</h3>
                <button type="button" class="acl-remove" onclick={remove}
                    aria-label={format!("Remove network ACL {name}")}>{ "Remove ACL" }</button>
            </header>
            <Notes path={base.clone()} {claimed} />
            <div class="row">
                <TextField path={at("name")} label="Name" class="acl-name" />
            </div>
            <AclTiers index={props.index} />
            { for Direction::ALL.map(|direction| html! {
                <RuleTable acl={base.clone()} {direction} />
            }) }
        </article>
    }
}
