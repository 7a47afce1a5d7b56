//! One rule of a group: protocol, ports, peer and description.

use yew::prelude::*;

use super::peer::PeerField;
use crate::editor::{on_click, use_editor};
use crate::fields::Notes;
use crate::fields::PortsField;
use crate::fields::ProtocolField;
use crate::fields::TextField;
use crate::path::field_id;
use crate::state::Action;

/// Properties of [`RuleRow`].
#[derive(Properties, PartialEq, Clone)]
pub struct RuleRowProps {
    /// The rule's path.
    pub path: AttrValue,
    /// The group's path.
    pub group: AttrValue,
}

/// One rule: protocol, ports, peer and description.
#[function_component]
pub fn RuleRow(props: &RuleRowProps) -> Html {
    let editor = use_editor();
    let base = props.path.to_string();
    let at = |member: &str| format!("{base}.{member}");
    let remove = on_click(&editor, Action::Remove { path: base.clone() });
    let claimed = ["protocol", "ports", "peer", "description"]
        .map(at)
        .to_vec();
    html! {
        <div class="sg-rule" id={field_id(&base)} tabindex="-1">
            <ProtocolField path={at("protocol")} />
            <PortsField path={at("ports")} />
            <PeerField path={at("peer")} group={props.group.clone()} />
            <TextField path={at("description")} label="Description" class="sg-rule-description" />
            <button type="button" class="sg-remove" aria-label={format!("Remove rule {base}")}
                onclick={remove}>{ "✕" }</button>
            <div class="sg-rule-notes"><Notes path={base.clone()} {claimed} /></div>
        </div>
    }
}
