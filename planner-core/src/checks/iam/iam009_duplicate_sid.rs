//! ## What it does
//! Reports a `Sid` used by two statements of one policy document.
//!
//! ## Why is this bad?
//! IAM requires statement ids to be unique within a policy and refuses the document. Copying
//! a statement in an editor (Informatica's `VisualEditor0`, `VisualEditor1`, …) is the usual
//! way to get there.
//!
//! ## Example
//! ```json
//! {"Version": "2012-10-17", "Statement": [
//!   {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
//!   {"Sid": "Read", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]}
//! ```
//! Rename the second, or merge the two statements.

use std::collections::BTreeMap;

use super::context::Context;
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "IAM009",
    name: "duplicate-sid",
    severity: Severity::Error,
    summary: "two statements of one policy share a Sid",
};

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for doc in &cx.docs {
        let mut seen: BTreeMap<&str, String> = BTreeMap::new();
        for (sp, s) in doc.statements() {
            let Some(sid) = s.sid.as_deref() else {
                continue;
            };
            if let Some(first) = seen.get(sid) {
                out.push(Diagnostic::new(
                    INFO.code,
                    Severity::Error,
                    format!("{sp}.Sid"),
                    format!("{}: Sid {sid:?} is already used at {first}; IAM refuses a policy whose statement ids repeat", doc.what),
                ));
            } else {
                seen.insert(sid, sp);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::iam::test_support::{findings, inline, stmt};

    #[test]
    fn triggers_on_a_repeated_sid() {
        let d = findings(
            &inline(
                r#"[{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
                    {"Sid": "Read", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]"#,
            ),
            "IAM009",
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].path, format!("{}.Sid", stmt(1)));
    }

    #[test]
    fn quiet_on_distinct_sids() {
        let iam = inline(
            r#"[{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
                {"Sid": "List", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"},
                {"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}]"#,
        );
        assert_eq!(findings(&iam, "IAM009"), []);
    }
}
