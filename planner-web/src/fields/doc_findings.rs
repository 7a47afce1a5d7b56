//! The findings about one part of the design, listed under its editor: the last plan's
//! diagnostics whose path lies within it, and the error that stops the design from planning
//! when it is about that part.

use planner_core::Diagnostic;
use yew::prelude::*;

use crate::editor::use_editor;
use crate::path::is_within;
use crate::state::FieldError;

/// One finding as listed under an editor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// `IAM004`, …; `INPUT` for the error that stops the design from planning.
    pub code: String,
    /// `error`, `warning` or `info`.
    pub severity: String,
    /// The design path it is about.
    pub path: String,
    /// What is wrong and what to do.
    pub message: String,
    /// Whether it comes from the plan of an earlier version of the design.
    pub stale: bool,
}

/// The findings about `path` and what lies under it, except under any of `exclude` (listed
/// by an inner editor): first the current error (when `with_error` and it is about them),
/// then the diagnostics, which are of an earlier version of the design while there is an error.
///
/// ```
/// use planner_core::{Diagnostic, Severity};
/// use planner_web::fields::doc_findings::findings_within;
/// let d = [Diagnostic::new("IAM004", Severity::Warning, "iam.roles[0].trust_policy.Statement[0]", "…")];
/// assert_eq!(findings_within(&d, None, "iam.roles[0].trust_policy", &[], true).len(), 1);
/// assert_eq!(findings_within(&d, None, "iam.roles[1]", &[], true).len(), 0);
/// ```
pub fn findings_within(
    diagnostics: &[Diagnostic],
    error: Option<&FieldError>,
    path: &str,
    exclude: &[String],
    with_error: bool,
) -> Vec<Finding> {
    let ours = |p: &str| is_within(p, path) && !exclude.iter().any(|x| is_within(p, x));
    let error_item = error
        .filter(|e| with_error && ours(&e.path))
        .map(|e| Finding {
            code: "INPUT".to_owned(),
            severity: "error".to_owned(),
            path: e.path.clone(),
            message: e.message.clone(),
            stale: false,
        });
    let stale = error.is_some();
    error_item
        .into_iter()
        .chain(
            diagnostics
                .iter()
                .filter(|d| ours(&d.path))
                .map(|d| Finding {
                    code: d.code.to_owned(),
                    severity: d.severity.to_string(),
                    path: d.path.clone(),
                    message: d.message.clone(),
                    stale,
                }),
        )
        .collect()
}

/// `path` as seen from `base`: `Statement[0].Action` under `iam.roles[0].trust_policy`.
///
/// ```
/// use planner_web::fields::doc_findings::relative;
/// assert_eq!(relative("iam.roles[0].trust_policy.Statement[0]", "iam.roles[0].trust_policy"), "Statement[0]");
/// assert_eq!(relative("iam.roles[0].managed_policies[1]", "iam.roles[0].managed_policies"), "[1]");
/// assert_eq!(relative("iam.roles[0]", "iam.roles[0]"), "");
/// assert_eq!(relative("name", ""), "name");
/// ```
pub fn relative<'p>(path: &'p str, base: &str) -> &'p str {
    match path.strip_prefix(base) {
        Some(rest) => rest.strip_prefix('.').unwrap_or(rest),
        None => path,
    }
}

/// Properties of [`DocFindings`].
#[derive(Properties, PartialEq, Clone)]
pub struct DocFindingsProps {
    /// The part of the design whose findings to list.
    pub path: AttrValue,
    /// Paths under `path` whose findings an inner editor lists.
    #[prop_or_default]
    pub exclude: Vec<String>,
    /// Whether to list the current error too (off where a field already shows it).
    #[prop_or(true)]
    pub with_error: bool,
}

/// The findings about one part of the design (nothing when there are none).
#[function_component]
pub fn DocFindings(props: &DocFindingsProps) -> Html {
    let editor = use_editor();
    let diagnostics = editor.planned.as_ref().map_or(&[][..], |p| &p.diagnostics);
    let found = findings_within(
        diagnostics,
        editor.error.as_ref(),
        &props.path,
        &props.exclude,
        props.with_error,
    );
    if found.is_empty() {
        return html! {};
    }
    html! {
        <ul class="doc-findings" data-path={props.path.clone()} aria-label="Findings">
            { for found.iter().map(|f| {
                let at = relative(&f.path, &props.path).to_owned();
                html! {
                    <li class={classes!("finding", f.stale.then_some("stale"))}
                        data-code={f.code.clone()} data-path={f.path.clone()}
                        title={f.stale.then_some("from the last valid plan")}>
                        <span class={classes!("sev", f.severity.clone())}>{ &f.severity }</span>
                        <code class="code">{ &f.code }</code>
                        if !at.is_empty() { <code class="path">{ at }</code> }
                        <span class="message">{ &f.message }</span>
                    </li>
                }
            }) }
        </ul>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use planner_core::Severity;

    fn diag(code: &'static str, path: &str) -> Diagnostic {
        Diagnostic::new(code, Severity::Warning, path, "m")
    }

    fn codes(found: &[Finding]) -> Vec<&str> {
        found.iter().map(|f| f.code.as_str()).collect()
    }

    #[test]
    fn lists_what_lies_within_and_not_under_an_inner_editor() {
        let d = [
            diag("A", "iam.roles[0].trust_policy.Statement[0].Principal"),
            diag("B", "iam.roles[0].name"),
            diag("C", "iam.roles[0]"),
            diag("D", "iam.roles[10].trust_policy"),
            diag("E", "iam.roles[0].trust_policy_extra"),
        ];
        let trust = findings_within(&d, None, "iam.roles[0].trust_policy", &[], true);
        assert_eq!(codes(&trust), ["A"]);
        let inner = [
            "iam.roles[0].trust_policy".to_owned(),
            "iam.roles[0].name".to_owned(),
        ];
        let role = findings_within(&d, None, "iam.roles[0]", &inner, true);
        assert_eq!(codes(&role), ["C", "E"]);
        assert_eq!(codes(&findings_within(&d, None, "", &[], true)).len(), 5);
    }

    #[test]
    fn the_error_comes_first_and_marks_the_rest_stale() {
        let d = [diag("IAM004", "iam.policies[0].document.Statement[0]")];
        let e = FieldError {
            path: "iam.policies[0].document.Statement[0].Effect".into(),
            message: "unknown variant".into(),
        };
        let found = findings_within(&d, Some(&e), "iam.policies[0].document", &[], true);
        assert_eq!(codes(&found), ["INPUT", "IAM004"]);
        assert_eq!((found[0].stale, found[1].stale), (false, true));
        let quiet = findings_within(&d, Some(&e), "iam.policies[0].document", &[], false);
        assert_eq!(codes(&quiet), ["IAM004"]);
        let elsewhere = findings_within(&d, Some(&e), "iam.policies[0].name", &[], true);
        assert!(elsewhere.is_empty());
    }
}
