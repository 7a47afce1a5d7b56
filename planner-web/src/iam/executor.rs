//! The least-privilege policy the executor needs for the plan, read-only, as
//! `executor policy` prints it, with its size and a download.

use planner_core::analysis::executor_policy::{
    counted_size, policies, Target, MANAGED_POLICY_LIMIT,
};
use planner_core::design::iam::PolicyDocument;
use planner_core::plan::Plan;
use yew::prelude::*;

use crate::browser;
use crate::editor::{use_editor, SamePlan};
use crate::state::{Action, Notice};

/// The file the policy downloads as.
const FILE_NAME: &str = "executor-policy.json";

/// The executor's policy for `plan` (any partition and account, `Target::default()`): the
/// managed policies it takes, one unless the whole is over IAM's limit.
pub fn executor_policy_parts(plan: &Plan) -> Vec<PolicyDocument> {
    policies(plan, &Target::default())
}

/// Exactly what `executor policy` prints for `parts`: the one document, or a JSON array of
/// them, pretty and with a newline.
pub fn executor_policy_text(parts: &[PolicyDocument]) -> String {
    let mut text = match parts {
        [one] => serde_json::to_string_pretty(one),
        _ => serde_json::to_string_pretty(parts),
    }
    .expect("a policy document serializes");
    text.push('\n');
    text
}

/// One part as shown: pretty JSON, and its size as IAM counts it (whitespace not counted)
/// against a managed policy's limit.
///
/// ```
/// use planner_web::iam::executor::size_note;
/// assert_eq!(size_note(7), "7 of the 6,144 characters a managed policy may have (whitespace not counted)");
/// ```
pub fn size_note(counted: usize) -> String {
    format!("{counted} of the 6,144 characters a managed policy may have (whitespace not counted)")
}

/// The executor's derived policy.
#[function_component]
pub fn ExecutorPolicy() -> Html {
    let editor = use_editor();
    let parts = use_memo(SamePlan(editor.planned.clone()), |p| {
        p.0.as_ref().map(|p| executor_policy_parts(&p.plan))
    });
    let download = {
        let editor = editor.clone();
        let parts = parts.clone();
        Callback::from(move |_| {
            if let Some(parts) = parts.as_ref() {
                let text = executor_policy_text(parts);
                if let Err(e) = browser::download(FILE_NAME, "application/json", &text) {
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
                { " pins it). Over the 6,144 characters a managed policy may hold, it comes as \
                several managed policies, each within it: attach them all." }</p>
            if let Some(parts) = parts.as_ref() {
                if stale {
                    <p class="stale-note">{ "Of the last valid plan: fix the marked error to update it." }</p>
                }
                <div class="row">
                    <span id="iam-executor-policy-count" class="size">
                        { count_note(parts) }</span>
                    <button type="button" id="download-executor-policy" onclick={download}>
                        { format!("Download {FILE_NAME}") }</button>
                </div>
                <div id="iam-executor-policy">
                    { for parts.iter().enumerate().map(|(i, p)| part(i, parts.len(), p)) }
                </div>
            } else {
                <p class="empty">{ "No plan yet: fix the marked error first." }</p>
                <button type="button" id="download-executor-policy" disabled=true>
                    { format!("Download {FILE_NAME}") }</button>
            }
        </section>
    }
}

/// How many managed policies the policy takes.
fn count_note(parts: &[PolicyDocument]) -> String {
    match parts.len() {
        1 => "One managed policy.".to_owned(),
        n => format!(
            "{n} managed policies: the whole is {} characters, over what one may hold; the download is a JSON array of them, as executor policy prints.",
            parts.iter().map(counted_size).sum::<usize>()
        ),
    }
}

fn part(i: usize, n: usize, doc: &PolicyDocument) -> Html {
    let text = serde_json::to_string_pretty(doc).expect("a policy document serializes");
    let counted = counted_size(doc);
    let title = (n > 1).then(|| format!("Policy {} of {n}", i + 1));
    html! {
        <div class="policy-part">
            if let Some(title) = title { <h4>{ title }</h4> }
            <span id={format!("iam-executor-policy-size-{i}")}
                class={classes!("size", (counted > MANAGED_POLICY_LIMIT).then_some("over"))}>
                { size_note(counted) }</span>
            <pre id={format!("iam-executor-policy-{i}")} class="code" tabindex="0">{ text }</pre>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{preset, Loaded, State};
    use planner_core::analysis::executor_policy::policy;

    #[test]
    fn prints_what_the_cli_prints_for_a_preset() {
        let s = State::loaded(Loaded::fresh(preset("determined", &[]).unwrap(), None));
        let plan = &s.planned.as_ref().expect("the preset plans").plan;
        let parts = executor_policy_parts(plan);
        assert_eq!(parts.len(), 1);
        let text = executor_policy_text(&parts);
        // executor/src/report.rs `json`: pretty JSON and a trailing newline.
        let expected =
            serde_json::to_string_pretty(&policy(plan, &Target::default())).unwrap() + "\n";
        assert_eq!(text, expected);
        assert!(text.contains("\"iam:CreateRole\""), "{text}");
    }

    #[test]
    fn a_policy_over_the_limit_is_shown_in_parts_within_it() {
        let s = State::loaded(Loaded::fresh(
            preset("informatica", &[("hardened", "true")]).unwrap(),
            None,
        ));
        let plan = &s.planned.as_ref().expect("the preset plans").plan;
        let parts = executor_policy_parts(plan);
        assert!(parts.len() > 1);
        assert!(parts
            .iter()
            .all(|p| counted_size(p) <= MANAGED_POLICY_LIMIT));
        let text = executor_policy_text(&parts);
        assert!(text.starts_with('['), "{text}");
        assert!(count_note(&parts).starts_with(&format!("{} managed policies", parts.len())));
    }
}
