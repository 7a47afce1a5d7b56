//! ## What it does
//! Suggests naming resources where an `Allow` statement grants, on `"Resource": "*"`, actions
//! that support resource-level permissions (per the embedded catalogue). Actions without
//! resource types, such as most `Describe*` and `List*` actions, only accept `*` and are not
//! reported.
//!
//! ## Why is this bad?
//! `*` grants the action on every resource of the account, present and future, where the
//! policy could have named the subnets, roles or buckets it needs (an ARN, a path wildcard, or
//! a reference such as `{"ref": "vpc_arn"}`). This is a suggestion, like IAM Access
//! Analyzer's: some grants on `*` are deliberate.
//!
//! ## Example
//! ```json
//! {"Effect": "Allow", "Action": ["ec2:DescribeInstances", "ec2:TerminateInstances"], "Resource": "*"}
//! ```
//! `ec2:TerminateInstances` can be scoped, e.g. to
//! `{"join": ["arn:aws:ec2:*:", {"ref": "account_id"}, ":instance/*"]}` with a tag condition.

use super::context::{list, Context};
use crate::analysis::iam_catalogue as catalogue;
use crate::design::iam::document::Effect;
use crate::design::iam::walk::DocKind;
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "IAM004",
    name: "resource-star",
    severity: Severity::Info,
    summary: "Resource \"*\" for actions that support resource-level permissions (suggestion)",
};

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for doc in cx.docs.iter().filter(|d| d.kind == DocKind::Identity) {
        for (sp, s) in doc.statements() {
            let (Some(actions), Some(resources)) = (&s.action, &s.resource) else {
                continue;
            };
            if s.effect != Effect::Allow {
                continue;
            }
            let Some((path, _)) = resources
                .with_paths(&format!("{sp}.Resource"))
                .into_iter()
                .find(|(_, v)| v.as_literal() == Some("*"))
            else {
                continue;
            };
            let scoped: Vec<String> = actions
                .as_slice()
                .iter()
                .filter(|a| !a.contains(['*', '?']))
                .filter_map(|a| a.split_once(':'))
                .filter_map(|(svc, name)| catalogue::lookup(svc, name))
                .filter(|info| info.resource_level)
                .map(|info| format!("{}:{}", info.service, info.name))
                .collect();
            if scoped.is_empty() {
                continue;
            }
            out.push(Diagnostic::new(
                INFO.code,
                Severity::Info,
                path,
                format!(
                    "{}: {} {} resource-level permissions, but Resource \"*\" grants {} on every resource of the account; name the resources (ARNs or references such as {{\"ref\": \"vpc_arn\"}}) where you can",
                    doc.what,
                    list(&scoped, 6),
                    if scoped.len() == 1 { "supports" } else { "support" },
                    if scoped.len() == 1 { "it" } else { "them" },
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::iam::test_support::{findings, inline, stmt};

    #[test]
    fn triggers_on_scopable_actions() {
        let d = findings(
            &inline(
                r#"[{"Effect": "Allow", "Action": ["ec2:DescribeInstances", "ec2:TerminateInstances"], "Resource": "*"}]"#,
            ),
            "IAM004",
        );
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].path, format!("{}.Resource", stmt(0)));
        assert_eq!(d[0].severity, crate::Severity::Info);
        assert!(
            d[0].message.contains("ec2:TerminateInstances support"),
            "{}",
            d[0].message
        );
        assert!(
            !d[0].message.contains("DescribeInstances"),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn quiet_on_describe_and_scoped_resources() {
        let iam = inline(
            r#"[{"Effect": "Allow", "Action": ["ec2:DescribeInstances", "ec2:Describe*"], "Resource": "*"},
                {"Effect": "Allow", "Action": "ec2:TerminateInstances", "Resource": "arn:aws:ec2:*:*:instance/*"}]"#,
        );
        assert_eq!(findings(&iam, "IAM004"), []);
    }
}
