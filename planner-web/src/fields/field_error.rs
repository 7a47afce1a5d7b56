//! The core's message for a path, under its field.

use yew::prelude::*;

use crate::editor::use_editor;

/// Properties of a [`FieldError`].
#[derive(Properties, PartialEq, Clone)]
pub struct FieldErrorProps {
    /// The path whose message to show.
    pub path: AttrValue,
}

/// The core's message for a path, if any.
#[function_component]
pub fn FieldError(props: &FieldErrorProps) -> Html {
    let editor = use_editor();
    match editor.error_at(&props.path) {
        Some(message) => html! {
            <span class="field-error" role="alert" data-path={props.path.clone()}>{ message }</span>
        },
        None => html! {},
    }
}
