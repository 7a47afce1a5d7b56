//! IAM: roles, trust and permission documents as JSON with live findings, managed policy
//! attachments, the design's own managed policies, instance profiles, and the executor's
//! derived least-privilege policy.
//!
//! Every editor here is bound to a design path (`iam.roles[0].trust_policy`, …) and carries the
//! DOM id `field-<path>`, so a click on a finding lands on the nearest enclosing editor. Each
//! part lists the findings about it ([`DocFindings`]); a finding is listed once, under the
//! innermost editor that covers its path.

mod attachments;
mod doc_findings;
mod executor;
mod json_field;
mod policies;
mod profiles;
mod roles;

use serde_json::Value;
use yew::prelude::*;

pub use attachments::attachment_value;
pub use doc_findings::{findings_within, relative, DocFindings, DocFindingsProps, Finding};
pub use executor::{executor_policy_text, size_note, ExecutorPolicy};
pub use json_field::{parse_text, synced_text, JsonField, JsonFieldProps};

use crate::fields::{Editor, Kind, TextField};
use policies::ManagedPolicies;
use profiles::InstanceProfiles;
use roles::Roles;

/// The IAM tab.
#[function_component]
pub fn IamPanel() -> Html {
    let exclude = ["iam.roles", "iam.policies", "iam.instance_profiles"].map(String::from);
    html! {
        <div class="panel iam" id="field-iam" tabindex="-1">
            <p class="help">{ "Roles, their trust and permission policies, managed policies and \
                instance profiles. Documents are edited as IAM policy JSON; ARNs and ids known \
                only at apply time are written as references such as {\"ref\": \"account_id\"} \
                or {\"ref\": \"role_arn\", \"role\": \"<name>\"}." }</p>
            <DocFindings path="iam" exclude={exclude.to_vec()} />
            <Roles />
            <ManagedPolicies />
            <InstanceProfiles />
            <ExecutorPolicy />
            { attachments::suggestions() }
        </div>
    }
}

/// How many elements the array at `path` has.
fn count(editor: &Editor, path: &str) -> usize {
    editor
        .value(path)
        .and_then(Value::as_array)
        .map_or(0, Vec::len)
}

/// The `name` members of the objects in the array at `path`.
fn names(editor: &Editor, path: &str) -> Vec<String> {
    editor
        .value(path)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|v| v.get("name").and_then(Value::as_str).map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// A name for a new item that none of `taken` has (IAM names are unique ignoring case):
/// `stem1`, `stem2`, … starting after the items there already are.
///
/// ```
/// use planner_web::iam::fresh_name;
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
fn scalar(path: String, label: &'static str, kind: Kind, placeholder: &'static str) -> Html {
    html! {
        <div class="scalar">
            <TextField path={path.clone()} {label} {kind} {placeholder} />
            <DocFindings {path} with_error={false} />
        </div>
    }
}

/// The paths of elements `0..n` of the array at `path`.
fn items(path: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{path}[{i}]")).collect()
}

/// A small "remove" button.
fn remove_button(editor: &Editor, path: String, what: String) -> Html {
    let onclick = crate::fields::on_click(editor, crate::state::Action::Remove { path });
    html! {
        <button type="button" class="remove" aria-label={format!("Remove {what}")}
            title={format!("Remove {what}")} {onclick}>{ "✕" }</button>
    }
}
