//! ## What it does
//! Warns about an `Allow` statement whose `Action` is `*` or a whole service (`s3:*`).
//! Narrower wildcards such as `ec2:Describe*` are not reported.
//!
//! ## Why is this bad?
//! `s3:*` grants deleting buckets and rewriting their policies along with reading objects,
//! and every action the service adds later. `*` makes the holder an administrator.
//!
//! ## Example
//! ```json
//! {"Effect": "Allow", "Action": ["s3:*", "ec2:DescribeInstances"], "Resource": "*"}
//! ```
//! List the S3 actions needed (`s3:GetObject`, `s3:PutObject`, …), or use a narrower pattern
//! such as `s3:Get*`.

use super::context::Context;
use crate::design::iam::document::Effect;
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "IAM007",
    name: "wildcard-action",
    severity: Severity::Warning,
    summary: "an Allow of every action (*) or of every action of a service (s3:*)",
};

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for doc in &cx.docs {
        for (sp, s) in doc.statements() {
            let (Effect::Allow, Some(actions)) = (s.effect, &s.action) else {
                continue;
            };
            for (path, a) in actions.with_paths(&format!("{sp}.Action")) {
                let what = if a == "*" {
                    "every action of every service: its holder is an administrator".to_owned()
                } else if let Some(svc) = a.strip_suffix(":*") {
                    format!(
                        "every {svc} action, including destructive ones and those AWS adds later"
                    )
                } else {
                    continue;
                };
                out.push(Diagnostic::new(
                    INFO.code,
                    Severity::Warning,
                    path,
                    format!("{}: {a:?} allows {what}; list the actions needed", doc.what),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::iam::test_support::{findings, inline, stmt};

    #[test]
    fn triggers_on_service_and_global_wildcards() {
        let d = findings(
            &inline(
                r#"[{"Effect": "Allow", "Action": ["s3:*", "ec2:DescribeInstances", "*"], "Resource": "*"}]"#,
            ),
            "IAM007",
        );
        let paths: Vec<&str> = d.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                format!("{}.Action[0]", stmt(0)),
                format!("{}.Action[2]", stmt(0))
            ]
        );
    }

    #[test]
    fn quiet_on_narrow_patterns_and_denies() {
        let iam = inline(
            r#"[{"Effect": "Allow", "Action": ["ec2:Describe*", "s3:Get*"], "Resource": "*"},
                {"Effect": "Deny", "Action": "*", "Resource": "arn:aws:s3:::secret/*"}]"#,
        );
        assert_eq!(findings(&iam, "IAM007"), []);
    }
}
