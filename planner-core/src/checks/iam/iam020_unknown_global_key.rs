//! ## What it does
//! Flags a condition key in the `aws:` namespace that is not one of IAM's global condition
//! keys: misspelt (`aws:SourceARN` is fine, keys ignore case; `aws:SourceAcount` is not) or
//! never one (`aws:ARN`, `aws:Region`).
//!
//! ## Why is this bad?
//! No request carries the key, so the condition never matches: an `Allow` grants nothing, a
//! `Deny` never applies (with `…IfExists`, the other way round). IAM accepts it silently.
//!
//! ## Example
//! ```json
//! {"Condition": {"StringEquals": {"aws:Region": "us-east-1"}}}
//! ```
//! The key is `aws:RequestedRegion`.

use super::context::Context;
use crate::analysis::iam_details::details;
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "IAM020",
    name: "unknown-global-key",
    severity: Severity::Warning,
    summary: "an aws: condition key that is not a global condition key",
};

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(d) = details() else { return };
    for doc in &cx.docs {
        for (sp, s) in doc.statements() {
            for (op, keys) in s.condition.iter().flatten() {
                for key in keys.keys() {
                    let global = key
                        .split_once(':')
                        .is_some_and(|(p, _)| p.eq_ignore_ascii_case("aws"));
                    if !global || d.is_global(key) {
                        continue;
                    }
                    out.push(Diagnostic::new(
                        INFO.code,
                        Severity::Warning,
                        format!("{sp}.Condition.{op}.{key}"),
                        format!(
                            "{}: {key} is not a global condition key (aws:SourceArn, aws:RequestedRegion, aws:PrincipalOrgID, …): no request carries it, so the condition never matches",
                            doc.what
                        ),
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::iam::test_support::{findings, inline, stmt};

    #[test]
    fn triggers_on_keys_iam_does_not_have() {
        let d = findings(
            &inline(
                r#"[{"Effect": "Allow", "Action": "ec2:*", "Resource": "*",
                     "Condition": {"StringEquals": {"aws:Region": "us-east-1", "aws:ARN": "x"}}}]"#,
            ),
            "IAM020",
        );
        let paths: Vec<String> = d.iter().map(|d| d.path.clone()).collect();
        assert_eq!(
            paths,
            [
                format!("{}.Condition.StringEquals.aws:ARN", stmt(0)),
                format!("{}.Condition.StringEquals.aws:Region", stmt(0))
            ]
        );
    }

    #[test]
    fn quiet_on_global_keys_in_any_case() {
        let iam = inline(
            r#"[{"Effect": "Allow", "Action": "ec2:*", "Resource": "*",
                 "Condition": {"StringEquals": {"AWS:RequestedRegion": "us-east-1", "aws:ResourceTag/team": "a", "ec2:Region": "us-east-1"}}}]"#,
        );
        assert_eq!(findings(&iam, "IAM020"), []);
    }
}
