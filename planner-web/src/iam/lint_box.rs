//! "Lint a policy": any pasted IAM policy document (identity, trust or resource policy), design
//! or plan, judged by `planner_core::lint::lint`, the function `executor lint` calls, so the
//! box lists the same findings with the same paths, lines and columns. The text is the box's
//! own, apart from the design, and kept in local storage on every edit, so switching tabs or
//! reloading never loses it; text that is not a policy shows the one-line error
//! `executor lint` prints.

use planner_core::lint::{lint, Finding, Linted};
use planner_core::PlanError;
use yew::prelude::*;

use crate::browser;

/// The local storage key the pasted text is kept under.
const STORAGE_KEY: &str = "vpc-planner-lint-policy";

/// What the box says about `text`: nothing for blank text, else the linted file or the
/// one-line error (`at PATH: what was expected`).
///
/// ```
/// use planner_web::iam::lint_box::outcome;
/// assert!(outcome("  ").is_none());
/// let err = outcome("{\"Statement\": [").unwrap().unwrap_err();
/// assert!(err.starts_with("at Statement"), "{err}");
/// let linted = outcome(r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow",
///     "Action": "s3:*", "Resource": "*"}}"#).unwrap().unwrap();
/// assert_eq!(linted.findings[0].code, "IAM007");
/// ```
pub fn outcome(text: &str) -> Option<Result<Linted, String>> {
    if text.trim().is_empty() {
        return None;
    }
    Some(lint(text).map_err(|e| match e {
        PlanError::Input(e) => e.to_string(),
        other => format!("cannot plan the design: {other}"),
    }))
}

/// The summary line of a linted text, e.g. `trust policy: 1 error, 2 warnings, 0 notes`.
///
/// ```
/// use planner_web::iam::lint_box::{outcome, summary};
/// let linted = outcome(r#"{"Statement": {"Effect": "Allow", "Action": "s3:GetObject",
///     "Resource": "arn:aws:s3:::b/*"}}"#).unwrap().unwrap();
/// assert_eq!(summary(&linted), "identity policy: 0 errors, 1 warning, 0 notes");
/// ```
pub fn summary(linted: &Linted) -> String {
    let count = |sev: planner_core::Severity, one: &str, many: &str| {
        let n = linted.findings.iter().filter(|f| f.severity == sev).count();
        format!("{n} {}", if n == 1 { one } else { many })
    };
    format!(
        "{}: {}, {}, {}",
        linted.kind,
        count(planner_core::Severity::Error, "error", "errors"),
        count(planner_core::Severity::Warning, "warning", "warnings"),
        count(planner_core::Severity::Info, "note", "notes"),
    )
}

fn finding_row(f: &Finding) -> Html {
    let severity = f.severity.to_string();
    html! {
        <li class="finding" data-code={f.code} data-path={f.path.clone()}
            data-line={f.line.to_string()} data-column={f.column.to_string()}>
            <span class={classes!("sev", severity.clone())}>{ severity }</span>
            <code class="code">{ f.code }</code>
            <code class="where">{ format!("{}:{}", f.line, f.column) }</code>
            if !f.path.is_empty() { <code class="path">{ &f.path }</code> }
            <span class="message">{ &f.message }</span>
        </li>
    }
}

/// The "Lint a policy" box of the IAM tab.
#[function_component]
pub fn LintBox() -> Html {
    let text = use_state(|| browser::load(STORAGE_KEY).unwrap_or_default());
    // Linted again when a part of the IAM catalogue arrives (the editor re-renders the box
    // then, when it plans the design again).
    let _ = crate::editor::use_editor();
    let catalogue = (
        planner_core::analysis::iam_catalogue::loaded(),
        planner_core::analysis::iam_details::details().is_some(),
    );
    let result = use_memo(((*text).clone(), catalogue), |(t, _)| outcome(t));
    let oninput = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            let value = area.value();
            browser::save(STORAGE_KEY, &value);
            text.set(value);
        })
    };
    let rows = (text.lines().count() + 1).clamp(6, 24);
    let shown = match result.as_ref() {
        None => html! {},
        Some(Err(error)) => html! {
            <span id="lint-policy-error" class="field-error" role="alert">{ error }</span>
        },
        Some(Ok(linted)) => html! {
            <>
                <p id="lint-policy-summary" class="lint-summary" data-kind={linted.kind.to_string()}>
                    { summary(linted) }</p>
                if !linted.findings.is_empty() {
                    <ul id="lint-policy-findings" class="doc-findings" aria-label="Findings">
                        { for linted.findings.iter().map(finding_row) }
                    </ul>
                }
            </>
        },
    };
    let invalid = matches!(result.as_ref(), Some(Err(_)));
    html! {
        <section class="iam-section lint-policy" aria-labelledby="lint-policy-title">
            <h3 id="lint-policy-title">{ "Lint a policy" }</h3>
            <p class="help">{ "Paste any IAM policy: an identity policy, a role's trust policy, \
                a resource policy (a bucket's, a key's, a queue's), or a whole design or \
                plan. It is checked with the IAM checks above, as " }<code>{ "executor lint" }</code>
                { " checks a file; it is not part of the design, and stays here until you \
                clear it." }</p>
            <div class={classes!("field", "json-field", invalid.then_some("invalid"))}>
                <label class="label" for="lint-policy-text">{ "Policy JSON" }</label>
                <textarea id="lint-policy-text" class="code" rows={rows.to_string()}
                    spellcheck="false" autocomplete="off" value={(*text).clone()} {oninput}
                    placeholder={"{\"Version\": \"2012-10-17\", \"Statement\": [ … ]}"}
                    aria-invalid={invalid.then_some("true")} />
                { shown }
            </div>
        </section>
    }
}
