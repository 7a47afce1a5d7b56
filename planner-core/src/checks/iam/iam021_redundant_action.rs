//! ## What it does
//! Notes an action that another entry of the same `Action` list already covers
//! (`["s3:*", "s3:GetObject"]`), and a statement that repeats an earlier one of its policy
//! (same effect, actions, resources and conditions; the `Sid` aside).
//!
//! ## Why is this bad?
//! Nothing, for what the policy grants: the extra entry changes nothing. But it costs
//! characters of the policy's size quota, and it often shows the author meant something
//! narrower than the wildcard that covers it.
//!
//! ## Example
//! ```json
//! {"Effect": "Allow", "Action": ["s3:*", "s3:GetObject"], "Resource": "arn:aws:s3:::logs/*"}
//! ```
//! Keep one of them: the wildcard, or (better) only the actions needed.

use super::context::Context;
use crate::design::iam::walk::glob;
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "IAM021",
    name: "redundant-action",
    severity: Severity::Info,
    summary: "an action another entry of its statement already covers, or a repeated statement",
};

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for doc in &cx.docs {
        let statements = doc.statements();
        for (n, (sp, s)) in statements.iter().enumerate() {
            if let Some((first, _)) = statements[..n].iter().find(|(_, earlier)| {
                let mut e = (*earlier).clone();
                e.sid.clone_from(&s.sid);
                e == **s
            }) {
                out.push(Diagnostic::new(
                    INFO.code,
                    Severity::Info,
                    sp.clone(),
                    format!("{}: this statement repeats {first}", doc.what),
                ));
                continue;
            }
            let Some(actions) = &s.action else { continue };
            let list = actions.as_slice();
            // Only an entry with a wildcard covers another: compare with those alone.
            let wild: Vec<(usize, &String)> = list
                .iter()
                .enumerate()
                .filter(|(_, x)| x.contains(['*', '?']))
                .collect();
            for (i, (path, a)) in actions
                .with_paths(&format!("{sp}.Action"))
                .into_iter()
                .enumerate()
            {
                let covered_by = wild.iter().copied().find(|&(j, other)| {
                    j != i && other != a && glob(other, a) && !(glob(a, other) && i < j)
                });
                if let Some((_, other)) = covered_by {
                    out.push(Diagnostic::new(
                        INFO.code,
                        Severity::Info,
                        path,
                        format!(
                            "{}: {a} is already covered by {other} in the same statement",
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
    fn notes_covered_actions_and_repeated_statements() {
        let d = findings(
            &inline(
                r#"[{"Effect": "Allow", "Action": ["s3:*", "s3:GetObject", "S3:Get*"], "Resource": "*"},
                    {"Sid": "Again", "Effect": "Allow", "Action": ["s3:*", "s3:GetObject", "S3:Get*"], "Resource": "*"}]"#,
            ),
            "IAM021",
        );
        let paths: Vec<String> = d.iter().map(|d| d.path.clone()).collect();
        assert_eq!(
            paths,
            [
                format!("{}.Action[1]", stmt(0)),
                format!("{}.Action[2]", stmt(0)),
                stmt(1)
            ]
        );
    }

    #[test]
    fn quiet_on_distinct_actions() {
        let iam = inline(
            r#"[{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "*"},
                {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::logs/*"}]"#,
        );
        assert_eq!(findings(&iam, "IAM021"), []);
    }
}
