//! ## What it does
//! Warns about an `Allow` statement with `NotAction` or `NotResource`.
//!
//! ## Why is this bad?
//! `"Effect": "Allow", "NotAction": "iam:*"` grants every action of every service except
//! IAM's, including those AWS launches after the policy was written; `NotResource` likewise
//! grants every resource but the listed ones. Such a statement is almost always broader than
//! meant. `NotAction` and `NotResource` belong in `Deny` statements.
//!
//! ## Example
//! ```json
//! {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}
//! ```
//! List the actions granted instead, or turn it into a `Deny` beside a narrower `Allow`.

use super::context::Context;
use crate::design::iam::document::Effect;
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "IAM003",
    name: "allow-with-not",
    severity: Severity::Warning,
    summary: "an Allow statement with NotAction or NotResource grants everything else",
};

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for doc in &cx.docs {
        for (sp, s) in doc.statements() {
            if s.effect != Effect::Allow {
                continue;
            }
            for (name, present, what) in [
                (
                    "NotAction",
                    s.not_action.is_some(),
                    "every action not listed, in every service, including actions AWS adds later",
                ),
                (
                    "NotResource",
                    s.not_resource.is_some(),
                    "every resource not listed",
                ),
            ] {
                if present {
                    out.push(Diagnostic::new(
                        INFO.code,
                        Severity::Warning,
                        format!("{sp}.{name}"),
                        format!("{}: an Allow with {name} grants {what}; list what is granted, or use {name} in a Deny", doc.what),
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
    fn triggers_on_allow_not_action() {
        let d = findings(
            &inline(
                r#"[{"Effect": "Allow", "NotAction": "iam:*", "NotResource": "arn:aws:s3:::secret/*"}]"#,
            ),
            "IAM003",
        );
        let paths: Vec<&str> = d.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                format!("{}.NotAction", stmt(0)),
                format!("{}.NotResource", stmt(0))
            ]
        );
    }

    #[test]
    fn quiet_on_deny_not_action() {
        let iam = inline(
            r#"[{"Effect": "Deny", "NotAction": "iam:*", "Resource": "*"},
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]"#,
        );
        assert_eq!(findings(&iam, "IAM003"), []);
    }
}
