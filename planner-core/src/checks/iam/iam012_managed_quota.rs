//! ## What it does
//! Counts the managed policies attached to each role: more than 10 (the default quota) is a
//! warning, more than 20 (the most the quota can be raised to) an error.
//!
//! ## Why is this bad?
//! The eleventh `AttachRolePolicy` fails with `LimitExceeded` unless the quota was raised in
//! Service Quotas beforehand, and nothing can attach a twenty-first.
//!
//! ## Example
//! A role attaching twelve AWS managed policies: merge some into one customer managed
//! policy, or request a quota of at least 12 before applying.

use super::context::Context;
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "IAM012",
    name: "managed-policies-per-role",
    severity: Severity::Error,
    summary: "more than 10 managed policies on a role (the default quota; 20 at most)",
};

/// Managed policies per role, by default.
const DEFAULT_QUOTA: usize = 10;
/// The most the quota can be raised to.
const MAX_QUOTA: usize = 20;

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for (i, r) in cx.design.iam.roles.iter().enumerate() {
        let n = r.managed_policies.len();
        let (severity, what) = if n > MAX_QUOTA {
            (Severity::Error, format!("IAM allows at most {MAX_QUOTA} even with a raised quota: merge some into a customer managed policy"))
        } else if n > DEFAULT_QUOTA {
            (Severity::Warning, format!("the default quota is {DEFAULT_QUOTA}: request at least {n} in Service Quotas before applying, or merge some"))
        } else {
            continue;
        };
        out.push(Diagnostic::new(
            INFO.code,
            severity,
            format!("iam.roles[{i}].managed_policies"),
            format!("role {} attaches {n} managed policies; {what}", r.name),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::iam::test_support::{findings, role_json};

    fn role(n: usize) -> String {
        let arns: Vec<String> = (0..n)
            .map(|i| format!(r#""arn:aws:iam::aws:policy/P{i}""#))
            .collect();
        let iam = format!(
            r#"{{"roles": [{}]}}"#,
            role_json(
                "r",
                r#"{"Service": "ec2.amazonaws.com"}"#,
                &format!(r#""managed_policies": [{}]"#, arns.join(", "))
            )
        );
        iam
    }

    #[test]
    fn triggers_over_the_quota() {
        let d = findings(&role(11), "IAM012");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].severity, crate::Severity::Warning);
        assert_eq!(d[0].path, "iam.roles[0].managed_policies");
        assert_eq!(
            findings(&role(21), "IAM012")[0].severity,
            crate::Severity::Error
        );
    }

    #[test]
    fn quiet_at_ten() {
        assert_eq!(findings(&role(10), "IAM012"), []);
    }
}
