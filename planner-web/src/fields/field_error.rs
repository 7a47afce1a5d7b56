//! The core's message for a path, under its field.

use yew::prelude::*;

use crate::editor::use_editor;

/// Properties of a [`FieldError`].
#[derive(Properties, PartialEq, Clone)]
pub struct FieldErrorProps {
    /// The path whose message to show.
    pub path: AttrValue,
    /// Paths inside `path` whose messages fields of their own show: not repeated here.
    #[prop_or_default]
    pub shown_below: Vec<String>,
}

/// The core's message for a path, if any.
#[function_component]
pub fn FieldError(props: &FieldErrorProps) -> Html {
    let editor = use_editor();
    let shown_below = editor.error.as_ref().is_some_and(|e| {
        props
            .shown_below
            .iter()
            .any(|below| crate::path::is_within(&e.path, below))
    });
    match editor.error_at(&props.path).filter(|_| !shown_below) {
        Some(message) => html! {
            <span class="field-error" role="alert" data-path={props.path.clone()}>{ message }</span>
        },
        None => html! {},
    }
}
