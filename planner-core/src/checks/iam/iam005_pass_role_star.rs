//! ## What it does
//! Warns when an `Allow` statement grants `iam:PassRole` (directly or through a wildcard such
//! as `iam:*`) on every role: `"Resource": "*"` or an ARN whose role name is a wildcard
//! (`arn:aws:iam::*:role/*`).
//!
//! ## Why is this bad?
//! Passing a role hands it to a service (an EC2 instance, a Lambda function, an ECS task)
//! that then acts with the role's permissions. Whoever may pass every role may borrow the
//! most powerful one in the account, administrator included.
//!
//! ## Example
//! ```json
//! {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}
//! ```
//! Name the roles: `"Resource": {"ref": "role_arn", "role": "agent"}`, and add an
//! `iam:PassedToService` condition.

use super::context::Context;
use crate::design::iam::walk::{allows, glob, DocKind};
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "IAM005",
    name: "pass-role-star",
    severity: Severity::Warning,
    summary: "iam:PassRole on every role",
};

/// Whether a resource ARN (or `*`) covers every role.
fn every_role(arn: &str) -> bool {
    if arn == "*" {
        return true;
    }
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    parts.len() == 6
        && glob(parts[2], "iam")
        && glob(parts[5], "role/any/path/and-any-name")
        && glob(parts[5], "role/x")
}

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for doc in cx.docs.iter().filter(|d| d.kind == DocKind::Identity) {
        for (sp, s) in doc.statements() {
            if !allows(s, "iam:PassRole") {
                continue;
            }
            let Some(resources) = &s.resource else {
                continue; // NotResource: IAM003
            };
            for (path, v) in resources.with_paths(&format!("{sp}.Resource")) {
                let Some(r) = cx.render(v) else { continue };
                if every_role(&r) {
                    out.push(Diagnostic::new(
                        INFO.code,
                        Severity::Warning,
                        path,
                        format!(
                            "{}: iam:PassRole on {r:?} lets its holder give any role of the account, administrator included, to an instance or function and act with it; name the roles it may pass (e.g. {{\"ref\": \"role_arn\", \"role\": \"…\"}}) and add an iam:PassedToService condition",
                            doc.what
                        ),
                    ));
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::iam::test_support::{findings, inline, stmt};

    #[test]
    fn triggers_on_star_and_role_wildcards() {
        let d = findings(
            &inline(
                r#"[{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"},
                    {"Effect": "Allow", "Action": "iam:*", "Resource": ["arn:aws:s3:::b", "arn:aws:iam::*:role/*"]}]"#,
            ),
            "IAM005",
        );
        let paths: Vec<&str> = d.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                format!("{}.Resource", stmt(0)),
                format!("{}.Resource[1]", stmt(1))
            ]
        );
    }

    #[test]
    fn quiet_on_named_roles() {
        let iam = inline(
            r#"[{"Effect": "Allow", "Action": "iam:PassRole", "Resource": [{"ref": "role_arn", "role": "app"}, "arn:aws:iam::*:role/app-*"]},
                {"Effect": "Deny", "Action": "iam:PassRole", "Resource": "*"},
                {"Effect": "Allow", "Action": "iam:GetRole", "Resource": "*"}]"#,
        );
        assert_eq!(findings(&iam, "IAM005"), []);
    }
}
