//! What a group is attached to: roles placed in tiers, and the design's instances that carry
//! it (as the security-group graph counts them among its members).

use serde_json::Value;
use yew::prelude::*;

use super::attachment_row::AttachmentRow;
use super::json::new_attachment;
use crate::editor::{on_click, use_editor};
use crate::fields::Notes;
use crate::path::{self, field_id};
use crate::state::Action;

/// An instance of the design that carries a group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Carrier {
    /// Its path, `instances[2]`.
    pub path: String,
    /// Its name.
    pub name: String,
    /// Its role in words, e.g. `jump host`.
    pub role: String,
    /// Its tier.
    pub tier: String,
}

/// The instances of `doc` whose `security_groups` name the group `group`, in design order.
///
/// ```
/// use planner_web::sg::attachments::carriers;
/// use serde_json::json;
/// let doc = json!({"instances": [
///     {"name": "b", "role": "jump_host", "tier": "public", "security_groups": ["ssh", "web"]},
///     {"name": "m", "role": "master_node", "tier": "private", "security_groups": ["db"]}]});
/// let c = carriers(&doc, "ssh");
/// assert_eq!((c.len(), c[0].path.as_str(), c[0].role.as_str()), (1, "instances[0]", "jump host"));
/// assert!(carriers(&doc, "nothing").is_empty());
/// ```
pub fn carriers(doc: &Value, group: &str) -> Vec<Carrier> {
    let Some(instances) = path::get(doc, "instances").and_then(Value::as_array) else {
        return Vec::new();
    };
    let text = |i: &Value, m: &str| {
        i.get(m)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    instances
        .iter()
        .enumerate()
        .filter(|(_, i)| {
            i.get("security_groups")
                .and_then(Value::as_array)
                .is_some_and(|gs| gs.iter().any(|g| g.as_str() == Some(group)))
        })
        .map(|(n, i)| Carrier {
            path: format!("instances[{n}]"),
            name: text(i, "name"),
            role: text(i, "role").replace('_', " "),
            tier: text(i, "tier"),
        })
        .collect()
}

/// Properties of [`Attachments`].
#[derive(Properties, PartialEq, Clone)]
pub struct AttachmentsProps {
    /// The group's path.
    pub group: AttrValue,
}

/// What the group is attached to: roles placed in tiers.
#[function_component]
pub fn Attachments(props: &AttachmentsProps) -> Html {
    let editor = use_editor();
    let list = format!("{}.attached_to", props.group);
    let n = path::count(&editor.doc, &list);
    let add = {
        let editor = editor.clone();
        let list = list.clone();
        Callback::from(move |_| {
            editor.dispatch(Action::Insert {
                path: list.clone(),
                index: usize::MAX,
                value: new_attachment(&editor.doc),
            })
        })
    };
    let claimed = (0..n).map(|i| format!("{list}[{i}]")).collect::<Vec<_>>();
    let name = editor.text(&format!("{}.name", props.group));
    let carried_by = carriers(&editor.doc, &name);
    let instances = carried_by.iter().map(|c| {
        let onclick = on_click(&editor, Action::Focus(c.path.clone()));
        html! {
            <li data-instance={c.name.clone()}>
                <button type="button" class="sg-instance" title="Edit the instance" {onclick}>
                    { format!("instance {} ({}, tier {})", c.name, c.role, c.tier) }
                </button>
            </li>
        }
    });
    html! {
        <fieldset class="sg-attached" id={field_id(&list)} tabindex="-1">
            <legend>{ "Attached to" }</legend>
            if n == 0 && carried_by.is_empty() {
                <p class="empty">{ "Nothing." }</p>
            }
            if !carried_by.is_empty() {
                <ul class="sg-instances" aria-label="Instances carrying the group">{ for instances }</ul>
            }
            { for (0..n).map(|i| html! { <AttachmentRow path={format!("{list}[{i}]")} /> }) }
            <Notes path={list.clone()} {claimed} />
            <button type="button" class="sg-add-attachment" onclick={add}>{ "Add attachment" }</button>
        </fieldset>
    }
}
