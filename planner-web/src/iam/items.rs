//! What the IAM lists share: counting and naming their items, a scalar field with its
//! findings, and a remove button.

use yew::prelude::*;

use crate::editor::{on_click, Editor};
use crate::fields::{DocFindings, Kind, TextField};
use crate::path;
use crate::state::Action;

/// How many elements the array at `path` has.
pub(super) fn count(editor: &Editor, path: &str) -> usize {
    path::count(&editor.doc, path)
}

/// The `name` members of the objects in the array at `path`.
pub(super) fn names(editor: &Editor, path: &str) -> Vec<String> {
    path::names(&editor.doc, path)
}

/// A name for a new item that none of `taken` has (IAM names are unique ignoring case):
/// `stem1`, `stem2`, … starting after the items there already are.
///
/// ```
/// use planner_web::iam::items::fresh_name;
/// assert_eq!(fresh_name("role", &["app".into()]), "role2");
/// assert_eq!(fresh_name("role", &["ROLE1".into()]), "role2");
/// assert_eq!(fresh_name("role", &["a".into(), "role3".into()]), "role4");
/// ```
pub fn fresh_name(stem: &str, taken: &[String]) -> String {
    (taken.len() + 1..)
        .map(|n| format!("{stem}{n}"))
        .find(|name| !taken.iter().any(|t| t.eq_ignore_ascii_case(name)))
        .expect("some number is free")
}

/// A text field with the findings about its own path (its error is the field's own).
pub(super) fn scalar(
    path: String,
    label: &'static str,
    kind: Kind,
    placeholder: &'static str,
) -> Html {
    html! {
        <div class="scalar">
            <TextField path={path.clone()} {label} {kind} {placeholder} />
            <DocFindings {path} with_error={false} />
        </div>
    }
}

/// The paths of elements `0..n` of the array at `path`.
pub(super) fn items(path: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{path}[{i}]")).collect()
}

/// A small "remove" button.
pub(super) fn remove_button(editor: &Editor, path: String, what: String) -> Html {
    let onclick = on_click(editor, Action::Remove { path });
    html! {
        <button type="button" class="remove" aria-label={format!("Remove {what}")}
            title={format!("Remove {what}")} {onclick}>{ "✕" }</button>
    }
}
