//! ## What it does
//! Flags a service's condition key (`ec2:InstanceType`, `s3:prefix`) that no action of its
//! statement supports, or that its service does not have at all. Global keys (`aws:…`) are
//! IAM020's. The statement's actions are its `Action` patterns expanded through the
//! catalogue; a statement with `NotAction` or `"Action": "*"` is not judged.
//!
//! ## Why is this bad?
//! A condition on a key the request never carries does not match: an `Allow` then grants
//! nothing (or, with `…IfExists`, everything), a `Deny` never applies. The policy is accepted
//! all the same.
//!
//! ## Example
//! ```json
//! {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::logs/*",
//!  "Condition": {"StringEquals": {"ec2:InstanceType": "t3.micro"}}}
//! ```
//! Use a key the action supports (`s3:ExistingObjectTag/…`), or move the condition to the
//! statement whose action does.

use super::context::{named_actions, Context};
use crate::analysis::iam_details::details;
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "IAM015",
    name: "unsupported-condition-key",
    severity: Severity::Warning,
    summary: "a condition key that none of the statement's actions supports",
};

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(d) = details() else { return };
    if !crate::analysis::iam_catalogue::loaded() {
        return; // the statements' actions are expanded through it
    }
    for doc in &cx.docs {
        for (sp, s) in doc.statements() {
            let Some(conditions) = &s.condition else {
                continue;
            };
            let actions = named_actions(s);
            for (op, keys) in conditions {
                for key in keys.keys() {
                    let Some((prefix, _)) = key.split_once(':') else {
                        continue;
                    };
                    if prefix.eq_ignore_ascii_case("aws") || d.is_global(key) {
                        continue;
                    }
                    let path = format!("{sp}.Condition.{op}.{key}");
                    if d.service(prefix).is_some() && !d.key_known(key) {
                        out.push(Diagnostic::new(
                            INFO.code,
                            Severity::Warning,
                            path,
                            format!("{}: {key} is not a condition key of {prefix}; no request carries it, so the condition never matches", doc.what),
                        ));
                        continue;
                    }
                    let Some(actions) = &actions else { continue };
                    let known: Vec<_> = actions
                        .iter()
                        .filter_map(|(svc, name)| d.action(svc, name))
                        .collect();
                    if known.is_empty() || known.iter().any(|(_, a)| a.supports(key)) {
                        continue;
                    }
                    let names: Vec<String> = known
                        .iter()
                        .map(|(svc, a)| format!("{}:{}", svc.prefix, a.name))
                        .collect();
                    out.push(Diagnostic::new(
                        INFO.code,
                        Severity::Warning,
                        path,
                        format!(
                            "{}: none of the statement's actions ({}) supports {key}; the request never carries it, so the condition never matches",
                            doc.what,
                            super::context::list(&names, 3)
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
    fn triggers_on_keys_no_action_supports() {
        let d = findings(
            &inline(
                r#"[{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::logs/*",
                     "Condition": {"StringEquals": {"ec2:InstanceType": "t3.micro", "s3:NoSuchKey": "x"}}}]"#,
            ),
            "IAM015",
        );
        let paths: Vec<&str> = d.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                format!("{}.Condition.StringEquals.ec2:InstanceType", stmt(0)),
                format!("{}.Condition.StringEquals.s3:NoSuchKey", stmt(0))
            ]
        );
    }

    #[test]
    fn quiet_on_supported_and_global_keys() {
        let iam = inline(
            r#"[{"Effect": "Allow", "Action": ["ec2:RunInstances", "ec2:CreateTags"], "Resource": "*",
                 "Condition": {"StringEquals": {"ec2:InstanceType": "t3.micro", "aws:RequestTag/team": "a"}}},
                {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*",
                 "Condition": {"StringEquals": {"ec2:InstanceType": "t3.micro"}}},
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::l/*",
                 "Condition": {"StringEquals": {"s3:ExistingObjectTag/team": "a"}}}]"#,
        );
        assert_eq!(findings(&iam, "IAM015"), []);
    }
}
