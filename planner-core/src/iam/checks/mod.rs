//! IAM findings, modelled on IAM Access Analyzer's policy validation and parliament. One
//! file per check; each documents what it does, why it matters and an example. Codes are
//! stable: a retired code is never reused.
//!
//! Documents are checked as AWS will receive them: references are rendered with stand-ins of
//! realistic length ([`ApplyValues::stand_in`]), so sizes and ARN shapes are what apply sends.

use super::reference::{ApplyValues, Reference, Value};
use super::walk::{documents, Doc};
use crate::checks::CheckInfo;
use crate::design::Design;
use crate::diag::Diagnostic;

mod iam001_grammar;
mod iam002_unknown_action;
mod iam003_allow_not;
mod iam004_resource_star;
mod iam005_pass_role_star;
mod iam006_privilege_escalation;
mod iam007_wildcard_action;
mod iam008_cross_account_trust;
mod iam009_duplicate_sid;
mod iam010_names;
mod iam011_sizes;
mod iam012_managed_quota;
mod iam013_trust_cycle;

/// Every IAM code.
pub const ALL: &[CheckInfo] = &[
    iam001_grammar::INFO,
    iam002_unknown_action::INFO,
    iam003_allow_not::INFO,
    iam004_resource_star::INFO,
    iam005_pass_role_star::INFO,
    iam006_privilege_escalation::INFO,
    iam007_wildcard_action::INFO,
    iam008_cross_account_trust::INFO,
    iam009_duplicate_sid::INFO,
    iam010_names::INFO,
    iam011_sizes::INFO,
    iam012_managed_quota::INFO,
    iam013_trust_cycle::INFO,
];

/// What every IAM check reads.
pub(crate) struct Context<'a> {
    /// The design.
    pub design: &'a Design,
    /// Its documents with their paths.
    pub docs: Vec<Doc<'a>>,
    /// Stand-ins for apply-time values.
    pub stand_in: ApplyValues,
}

impl Context<'_> {
    /// A value as AWS would receive it, with stand-ins for apply-time values.
    pub fn render(&self, v: &Value) -> Option<String> {
        v.resolve(&|r: &Reference| self.stand_in.resolve(self.design, r))
    }
}

/// Runs every IAM check in code order.
pub(crate) fn run(design: &Design, out: &mut Vec<Diagnostic>) {
    let cx = Context {
        design,
        docs: documents(&design.iam),
        stand_in: ApplyValues::stand_in(design),
    };
    iam001_grammar::check(&cx, out);
    iam002_unknown_action::check(&cx, out);
    iam003_allow_not::check(&cx, out);
    iam004_resource_star::check(&cx, out);
    iam005_pass_role_star::check(&cx, out);
    iam006_privilege_escalation::check(&cx, out);
    iam007_wildcard_action::check(&cx, out);
    iam008_cross_account_trust::check(&cx, out);
    iam009_duplicate_sid::check(&cx, out);
    iam010_names::check(&cx, out);
    iam011_sizes::check(&cx, out);
    iam012_managed_quota::check(&cx, out);
    iam013_trust_cycle::check(&cx, out);
}

/// Up to `n` items joined with ", ", and how many more.
pub(super) fn list(items: &[String], n: usize) -> String {
    let mut s = items[..items.len().min(n)].join(", ");
    if items.len() > n {
        s.push_str(&format!(" and {} more", items.len() - n));
    }
    s
}

#[cfg(test)]
pub(crate) mod test_support {
    use crate::checks::test_support::BASE;
    use crate::diag::Diagnostic;

    /// The base test design with `iam` as its IAM section.
    pub fn design_json(iam: &str) -> String {
        let base = BASE.trim_end();
        let body = base.strip_suffix('}').expect("BASE is an object");
        format!("{body}, \"iam\": {iam}}}")
    }

    /// A role named `name` whose trust policy lets `principal` assume it, plus `extra` fields
    /// (e.g. `"inline_policies": [...]`), as JSON.
    pub fn role_json(name: &str, principal: &str, extra: &str) -> String {
        let extra = if extra.is_empty() {
            String::new()
        } else {
            format!(", {extra}")
        };
        format!(
            r#"{{"name": "{name}", "trust_policy": {{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow",
                "Principal": {principal}, "Action": "sts:AssumeRole"}}]}}{extra}}}"#
        )
    }

    /// An IAM section with one EC2 role whose inline policy has `statements` (a JSON array).
    pub fn inline(statements: &str) -> String {
        format!(
            r#"{{"roles": [{}]}}"#,
            role_json(
                "app",
                r#"{"Service": "ec2.amazonaws.com"}"#,
                &format!(
                    r#""inline_policies": [{{"name": "p", "document": {{"Version": "2012-10-17", "Statement": {statements}}}}}]"#
                ),
            )
        )
    }

    /// The path of the inline policy's statement `i` in [`inline`].
    pub fn stmt(i: usize) -> String {
        format!("iam.roles[0].inline_policies[0].document.Statement[{i}]")
    }

    /// The findings with `code` for the base design with IAM section `iam`.
    pub fn findings(iam: &str, code: &str) -> Vec<Diagnostic> {
        let json = design_json(iam);
        crate::checks::test_support::findings(&json, code)
    }
}
