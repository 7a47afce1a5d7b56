//! Messages shown at a part of the design made of several fields (a group, an attachment, a
//! rule, an ACL): the core's error about it when none of its fields shows that error, and the
//! findings of the plan about exactly it (an SSH port open to the internet at the rule, an
//! unknown group at the peer).

use yew::prelude::*;

use crate::editor::use_editor;
use crate::path;
use crate::state::State;

/// The current error when it is about `base` but not about any of `claimed` (the paths whose
/// fields show their own errors).
pub fn own_error<'s>(state: &'s State, base: &str, claimed: &[String]) -> Option<&'s str> {
    state
        .error
        .as_ref()
        .filter(|e| path::is_within(&e.path, base))
        .filter(|e| !claimed.iter().any(|c| path::is_within(&e.path, c)))
        .map(|e| e.message.as_str())
}

/// Properties of [`Notes`].
#[derive(Properties, PartialEq, Clone)]
pub struct NotesProps {
    /// The path whose messages to show.
    pub path: AttrValue,
    /// Paths under `path` whose fields show their own errors.
    #[prop_or_default]
    pub claimed: Vec<String>,
}

/// The error no field under `path` shows, and the plan's findings at exactly `path` while the
/// plan is of the design as edited.
#[function_component]
pub fn Notes(props: &NotesProps) -> Html {
    let editor = use_editor();
    let error = own_error(&editor, &props.path, &props.claimed).map(str::to_owned);
    let findings = editor
        .planned
        .as_ref()
        .filter(|_| !editor.is_stale())
        .map(|p| {
            p.diagnostics
                .iter()
                .filter(|d| d.path == props.path.as_str())
                .map(|d| {
                    let severity = d.severity.to_string();
                    html! {
                        <span class={classes!("note", severity)} data-code={d.code}>
                            <code>{ d.code }</code>{ " " }{ &d.message }
                        </span>
                    }
                })
                .collect::<Html>()
        })
        .unwrap_or_default();
    html! {
        <>
            if let Some(message) = error {
                <span class="field-error" role="alert" data-path={props.path.clone()}>{ message }</span>
            }
            { findings }
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::FieldError;

    #[test]
    fn an_error_shows_where_no_field_claims_it() {
        let state = |at: &str| State {
            error: Some(FieldError {
                path: at.into(),
                message: "bad".into(),
            }),
            ..State::default()
        };
        let rule = "security_groups[0].ingress[1]";
        let claimed = [format!("{rule}.ports"), format!("{rule}.peer")];
        assert_eq!(own_error(&state(rule), rule, &claimed), Some("bad"));
        assert_eq!(
            own_error(&state(&format!("{rule}.extra")), rule, &claimed),
            Some("bad")
        );
        assert_eq!(
            own_error(&state(&format!("{rule}.peer.cidr")), rule, &claimed),
            None
        );
        assert_eq!(
            own_error(&state("security_groups[0].ingress[10]"), rule, &claimed),
            None
        );
        assert_eq!(own_error(&State::default(), rule, &claimed), None);
    }
}
