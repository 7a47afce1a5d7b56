//! ## What it does
//! Flags an action named in a statement (no wildcard) when none of the statement's resources
//! can be a resource the action acts on: `s3:GetObject` acts on objects
//! (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`), so `arn:aws:s3:::logs` names none.
//! Wildcards and policy variables in the resources are matched against the ARN formats of
//! the action's resource types, from the IAM catalogue.
//!
//! ## Why is this bad?
//! The statement grants (or denies) nothing for that action, which is rarely what was meant:
//! the application fails with `AccessDenied` at run time (or a deny meant to protect does
//! not). IAM accepts the policy without a word.
//!
//! ## Example
//! ```json
//! {"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetObject"], "Resource": "arn:aws:s3:::logs"}
//! ```
//! Add `arn:aws:s3:::logs/*` for the objects.

use super::context::{arn_may_match, Context};
use crate::analysis::iam_details::details;
use crate::design::iam::document::Effect;
use crate::design::iam::walk::DocKind;
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "IAM014",
    name: "resource-type-mismatch",
    severity: Severity::Warning,
    summary: "an action none of whose resource types the statement's resources can be",
};

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(d) = details() else { return };
    for doc in cx.docs.iter().filter(|d| d.kind == DocKind::Identity) {
        for (sp, s) in doc.statements() {
            let (Some(actions), Some(resources)) = (&s.action, &s.resource) else {
                continue;
            };
            let rendered: Vec<String> = resources
                .as_slice()
                .iter()
                .filter_map(|v| cx.render(v))
                .collect();
            if rendered.len() != resources.as_slice().len() || rendered.iter().any(|r| r == "*") {
                continue;
            }
            for (path, a) in actions.with_paths(&format!("{sp}.Action")) {
                if a.contains(['*', '?']) {
                    continue;
                }
                let Some((service, name)) = a.split_once(':') else {
                    continue;
                };
                let Some((svc, action)) = d.action(service, name) else {
                    continue;
                };
                let types: Vec<_> = svc.types_of(action).map(|(t, _)| t).collect();
                if types.is_empty() {
                    continue; // only "*": IAM004's business
                }
                let fits = types.iter().any(|t| {
                    t.arns
                        .iter()
                        .any(|f| rendered.iter().any(|r| arn_may_match(f, r)))
                });
                if fits {
                    continue;
                }
                let what = types
                    .iter()
                    .map(|t| format!("{} ({})", t.name, t.arns.join(" or ")))
                    .collect::<Vec<_>>()
                    .join(", ");
                let verb = if s.effect == Effect::Allow {
                    "grants"
                } else {
                    "denies"
                };
                out.push(Diagnostic::new(
                    INFO.code,
                    Severity::Warning,
                    path,
                    format!(
                        "{}: {a} acts on {what}; none of the statement's resources ({}) is one, so the statement {verb} nothing for it",
                        doc.what,
                        rendered.join(", ")
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::iam::test_support::{findings, inline, stmt};

    #[test]
    fn triggers_when_no_resource_fits() {
        let d = findings(
            &inline(
                r#"[{"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetObject"], "Resource": "arn:aws:s3:::logs"},
                    {"Effect": "Deny", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::logs/*"}]"#,
            ),
            "IAM014",
        );
        let paths: Vec<&str> = d.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                format!("{}.Action[1]", stmt(0)),
                format!("{}.Action", stmt(1))
            ]
        );
        assert!(d[0].message.contains("object"), "{}", d[0].message);
    }

    #[test]
    fn quiet_when_a_resource_fits_or_may() {
        let iam = inline(
            r#"[{"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetObject"], "Resource": ["arn:aws:s3:::logs", "arn:aws:s3:::logs/*"]},
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::*"},
                {"Effect": "Allow", "Action": "ec2:DescribeInstances", "Resource": "*"},
                {"Effect": "Allow", "Action": "iam:PassRole", "Resource": {"ref": "role_arn", "role": "app"}},
                {"Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::logs"}]"#,
        );
        assert_eq!(findings(&iam, "IAM014"), []);
    }
}
