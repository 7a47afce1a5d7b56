//! The least-privilege policy the executor needs for the plan, read-only, as
//! `executor policy` prints it, with its size and a download.

use planner_core::analysis::executor_policy::{policy, Target};
use planner_core::plan::Plan;
use yew::prelude::*;

use crate::browser;
use crate::editor::{use_editor, SamePlan};
use crate::state::{Action, Notice};

/// The file the policy downloads as.
const FILE_NAME: &str = "executor-policy.json";
/// The most characters (without whitespace) of a managed policy.
const MANAGED_LIMIT: usize = 6_144;

/// The executor's policy for `plan` (any partition and account, `Target::default()`), exactly
/// as `executor policy` prints it: pretty JSON and a newline.
pub fn executor_policy_text(plan: &Plan) -> String {
    let doc = policy(plan, &Target::default());
    let mut text = serde_json::to_string_pretty(&doc).expect("a policy document serializes");
    text.push('\n');
    text
}

/// The size of a policy's text: bytes as printed, and the characters IAM counts (whitespace
/// is not counted) against a managed policy's limit. The flag is whether that limit is passed.
///
/// ```
/// use planner_web::iam::executor::size_note;
/// assert_eq!(size_note("{\n  \"a\": 1\n}\n"), ("13 bytes; 7 of the 6,144 characters a managed policy may have (whitespace not counted)".to_owned(), false));
/// ```
pub fn size_note(text: &str) -> (String, bool) {
    let counted = text.chars().filter(|c| !c.is_whitespace()).count();
    let note = format!(
        "{} bytes; {} of the {} characters a managed policy may have (whitespace not counted)",
        text.len(),
        counted,
        "6,144"
    );
    (note, counted > MANAGED_LIMIT)
}

/// The executor's derived policy.
#[function_component]
pub fn ExecutorPolicy() -> Html {
    let editor = use_editor();
    let text = use_memo(SamePlan(editor.planned.clone()), |p| {
        p.0.as_ref().map(|p| executor_policy_text(&p.plan))
    });
    let download = {
        let editor = editor.clone();
        let text = text.clone();
        Callback::from(move |_| {
            if let Some(text) = text.as_ref() {
                if let Err(e) = browser::download(FILE_NAME, "application/json", text) {
                    editor.dispatch(Action::Notice(Some(Notice::error(e))));
                }
            }
        })
    };
    let stale = editor.is_stale();
    html! {
        <section class="iam-section executor-policy" aria-labelledby="iam-executor-title">
            <h3 id="iam-executor-title">{ "The executor's policy" }</h3>
            <p class="help">{ "What the identity running " }<code>{ "executor run" }</code>
                { " needs for this plan, derived from its resources (the JSON " }
                <code>{ "executor policy" }</code>{ " prints): EC2 actions scoped to the region \
                and the plan's tag, IAM actions to the plan's own roles, policies and instance \
                profiles. The account is * (" }<code>{ "executor policy --account" }</code>
                { " pins it)." }</p>
            if let Some(text) = text.as_ref() {
                if stale {
                    <p class="stale-note">{ "Of the last valid plan: fix the marked error to update it." }</p>
                }
                <div class="row">
                    <span id="iam-executor-policy-size"
                        class={classes!("size", size_note(text).1.then_some("over"))}>
                        { size_note(text).0 }</span>
                    <button type="button" id="download-executor-policy" onclick={download}>
                        { format!("Download {FILE_NAME}") }</button>
                </div>
                <pre id="iam-executor-policy" class="code" tabindex="0">{ text }</pre>
            } else {
                <p class="empty">{ "No plan yet: fix the marked error first." }</p>
                <button type="button" id="download-executor-policy" disabled=true>
                    { format!("Download {FILE_NAME}") }</button>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{preset, Loaded, State};

    #[test]
    fn prints_what_the_cli_prints_for_a_preset() {
        let s = State::loaded(Loaded::fresh(preset("determined", &[]).unwrap(), None));
        let plan = &s.planned.as_ref().expect("the preset plans").plan;
        let text = executor_policy_text(plan);
        // executor/src/report.rs `json`: pretty JSON and a trailing newline.
        let expected =
            serde_json::to_string_pretty(&policy(plan, &Target::default())).unwrap() + "\n";
        assert_eq!(text, expected);
        assert!(text.contains("\"iam:CreateRole\""), "{text}");
        let (note, _) = size_note(&text);
        assert!(
            note.starts_with(&format!("{} bytes; ", text.len())),
            "{note}"
        );
    }

    #[test]
    fn over_the_managed_limit_is_flagged() {
        let big = format!("\"{}\"", "x".repeat(MANAGED_LIMIT));
        assert!(size_note(&big).1);
        assert!(!size_note(&" ".repeat(10_000)).1);
    }
}
