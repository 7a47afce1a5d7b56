//! One group's card: its name, description, what it is attached to, its rules, and whether
//! AWS's default egress stays.

use yew::prelude::*;

use super::attachments::Attachments;
use super::default_egress::DefaultEgress;
use super::json::Direction;
use super::rules::RuleList;
use crate::editor::{on_click, use_editor};
use crate::fields::Notes;
use crate::fields::TextField;
use crate::path::field_id;
use crate::state::Action;

/// Properties of [`GroupCard`].
#[derive(Properties, PartialEq, Clone)]
pub struct GroupCardProps {
    /// Which group: `security_groups[index]`.
    pub index: usize,
}

/// One group's card.
#[function_component]
pub fn GroupCard(props: &GroupCardProps) -> Html {
    let editor = use_editor();
    let base = format!("security_groups[{}]", props.index);
    let at = |member: &str| format!("{base}.{member}");
    let name = editor.text(&at("name"));
    let remove = on_click(&editor, Action::Remove { path: base.clone() });
    let claimed = [
        "name",
        "description",
        "default_egress",
        "attached_to",
        "ingress",
        "egress",
    ]
    .map(at)
    .to_vec();
    html! {
        <article class="sg-group" id={field_id(&base)} tabindex="-1" data-group={name.clone()}>
            <header class="sg-group-head">
                <h3>{ if name.is_empty() { "(unnamed)".to_owned() } else { name.clone() } }</h3>
                <button type="button" class="sg-remove" onclick={remove}
                    aria-label={format!("Remove group {name}")}>{ "Remove group" }</button>
            </header>
            <Notes path={base.clone()} {claimed} />
            <div class="row">
                <TextField path={at("name")} label="Name" />
                <TextField path={at("description")} label="Description" class="sg-description" />
            </div>
            <Attachments group={base.clone()} />
            <RuleList group={base.clone()} direction={Direction::Ingress} />
            <RuleList group={base.clone()} direction={Direction::Egress} />
            <DefaultEgress path={at("default_egress")} />
        </article>
    }
}
