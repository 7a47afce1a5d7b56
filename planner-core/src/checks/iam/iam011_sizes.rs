//! ## What it does
//! Measures each document as AWS will receive it (references rendered with stand-ins of
//! realistic length, whitespace not counted, as IAM counts) against IAM's limits:
//!
//! * a managed policy: 6,144 characters (error);
//! * a role's inline policies together: 10,240 characters (error);
//! * a trust policy: 2,048 characters by default (warning: the quota can be raised to 4,096
//!   in Service Quotas), 4,096 at most (error).
//!
//! ## Why is this bad?
//! AWS refuses the policy with `LimitExceeded` in the middle of the apply. Long vendor
//! policies (Informatica's installer policy lists dozens of ARNs) come close.
//!
//! ## Example
//! An inline policy listing every EC2 action one by one: use `ec2:Describe*` for the
//! read-only ones, split the rest into managed policies, or attach an AWS managed policy.

use super::context::Context;
use crate::design::iam::document::PolicyDocument;
use crate::design::iam::reference::Reference;
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "IAM011",
    name: "policy-size",
    severity: Severity::Error,
    summary: "a policy over IAM's size limits (managed 6,144, a role's inline policies 10,240, trust 2,048 by default)",
};

/// The most characters of a managed policy.
const MANAGED: usize = 6_144;
/// The most characters of a role's inline policies together.
const INLINE: usize = 10_240;
/// The default quota of a trust policy's characters.
const TRUST_DEFAULT: usize = 2_048;
/// The most a trust policy's quota can be raised to.
const TRUST_MAX: usize = 4_096;

/// Characters IAM counts: the rendered document without whitespace.
fn size(cx: &Context, doc: &PolicyDocument) -> usize {
    let text = doc
        .render(&|r: &Reference| cx.stand_in.resolve(cx.design, r))
        .unwrap_or_else(|_| serde_json::to_string(doc).expect("a document serializes"));
    text.chars().filter(|c| !c.is_whitespace()).count()
}

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let iam = &cx.design.iam;
    for (k, p) in iam.policies.iter().enumerate() {
        let n = size(cx, &p.document);
        if n > MANAGED {
            out.push(Diagnostic::new(
                INFO.code,
                Severity::Error,
                format!("iam.policies[{k}].document"),
                format!("policy {} is {n} characters without whitespace; a managed policy takes at most {MANAGED}: split it in two, or use wildcards for related actions", p.name),
            ));
        }
    }
    for (i, r) in iam.roles.iter().enumerate() {
        let n: usize = r
            .inline_policies
            .iter()
            .map(|p| size(cx, &p.document))
            .sum();
        if n > INLINE {
            out.push(Diagnostic::new(
                INFO.code,
                Severity::Error,
                format!("iam.roles[{i}].inline_policies"),
                format!("the inline policies of role {} are {n} characters without whitespace together; a role's inline policies take at most {INLINE}: move some into managed policies", r.name),
            ));
        }
        let n = size(cx, &r.trust_policy);
        let (severity, limit) = if n > TRUST_MAX {
            (
                Severity::Error,
                "the most IAM allows even with a raised quota",
            )
        } else if n > TRUST_DEFAULT {
            (
                Severity::Warning,
                "the default quota (request up to 4,096 in Service Quotas before applying)",
            )
        } else {
            continue;
        };
        out.push(Diagnostic::new(
            INFO.code,
            severity,
            format!("iam.roles[{i}].trust_policy"),
            format!("the trust policy of role {} is {n} characters without whitespace, over {}: {limit}", r.name, if n > TRUST_MAX { TRUST_MAX } else { TRUST_DEFAULT }),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::iam::test_support::{findings, role_json};

    fn arns(n: usize) -> String {
        let v: Vec<String> = (0..n)
            .map(|i| {
                format!(
                    r#"{{"join": ["arn:aws:s3:::bucket-{i:04}/", {{"ref": "account_id"}}, "/*"]}}"#
                )
            })
            .collect();
        v.join(", ")
    }

    #[test]
    fn triggers_on_big_policies() {
        let principals: Vec<String> = (0..64)
            .map(|i| format!(r#""arn:aws:iam::1111222233{i:02}:root""#))
            .collect();
        let iam = format!(
            r#"{{"roles": [{}], "policies": [{{"name": "big", "document": {{"Version": "2012-10-17",
                "Statement": [{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": [{}]}}]}}}}]}}"#,
            role_json(
                "r",
                &format!(r#"{{"AWS": [{}]}}"#, principals.join(", ")),
                ""
            ),
            arns(150),
        );
        let d = findings(&iam, "IAM011");
        let got: Vec<(&str, crate::Severity)> =
            d.iter().map(|d| (d.path.as_str(), d.severity)).collect();
        assert_eq!(
            got,
            [
                ("iam.policies[0].document", crate::Severity::Error),
                ("iam.roles[0].trust_policy", crate::Severity::Warning),
            ]
        );
    }

    #[test]
    fn quiet_on_small_policies() {
        let iam = format!(
            r#"{{"policies": [{{"name": "small", "document": {{"Version": "2012-10-17",
                "Statement": [{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": [{}]}}]}}}}]}}"#,
            arns(100),
        );
        assert_eq!(findings(&iam, "IAM011"), []);
    }
}
