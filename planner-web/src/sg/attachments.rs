//! What a group is attached to: roles placed in tiers.

use yew::prelude::*;

use super::attachment_row::AttachmentRow;
use super::json::new_attachment;
use crate::editor::use_editor;
use crate::fields::Notes;
use crate::path::{self, field_id};
use crate::state::Action;

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
    html! {
        <fieldset class="sg-attached" id={field_id(&list)} tabindex="-1">
            <legend>{ "Attached to" }</legend>
            if n == 0 {
                <p class="empty">{ "Nothing (instances may still name the group)." }</p>
            }
            { for (0..n).map(|i| html! { <AttachmentRow path={format!("{list}[{i}]")} /> }) }
            <Notes path={list.clone()} {claimed} />
            <button type="button" class="sg-add-attachment" onclick={add}>{ "Add attachment" }</button>
        </fieldset>
    }
}
