//! ## What it does
//! Checks every `Action` and `NotAction` against the embedded catalogue of IAM actions
//! ([`crate::analysis::iam_catalogue`]): an unknown service prefix, an unknown action, or a wildcard
//! that matches no action.
//!
//! ## Why is this bad?
//! IAM accepts a policy that names actions that do not exist, and they silently grant
//! nothing: a typo (`ec2:DescribeInstance`) shows up as an `AccessDenied` at run time,
//! far from its cause. In a `NotAction` the typo widens the grant instead.
//!
//! ## Example
//! ```json
//! {"Effect": "Allow", "Action": ["ec2:DescribeInstance", "ec3:RunInstances"], "Resource": "*"}
//! ```
//! `DescribeInstance` is `ec2:DescribeInstances`; there is no service `ec3`.

use super::context::Context;
use crate::analysis::iam_catalogue as catalogue;
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "IAM002",
    name: "unknown-action",
    severity: Severity::Warning,
    summary: "an action or service prefix that does not exist (it grants nothing)",
};

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    if !catalogue::loaded() {
        return; // in the page, until the catalogue has arrived
    }
    for doc in &cx.docs {
        for (sp, s) in doc.statements() {
            let both = [("Action", &s.action), ("NotAction", &s.not_action)];
            let all = both
                .iter()
                .filter_map(|(name, v)| Some((*name, v.as_ref()?)));
            for (path, a) in all.flat_map(|(name, v)| v.with_paths(&format!("{sp}.{name}"))) {
                let Some((service, name)) = a.split_once(':') else {
                    continue; // `*`, or IAM001
                };
                let problem = if !catalogue::service_known(service) {
                    format!("{service:?} is not the prefix of any AWS service")
                } else if name.contains(['*', '?']) {
                    if !catalogue::matching(service, name).is_empty() {
                        continue;
                    }
                    format!("{a:?} matches no {service} action")
                } else if catalogue::lookup(service, name).is_none() {
                    let near = near_miss(service, name);
                    format!("{service} has no action {name:?}{near}")
                } else {
                    continue;
                };
                out.push(Diagnostic::new(
                    INFO.code,
                    Severity::Warning,
                    path,
                    format!(
                        "{}: {problem}, so it grants nothing (catalogue: {})",
                        doc.what,
                        catalogue::source()
                    ),
                ));
            }
        }
    }
}

/// ` (did you mean X?)` for an action one letter short, long or plural off a real one.
fn near_miss(service: &str, name: &str) -> String {
    let candidates = [
        format!("{name}s"),
        name.strip_suffix('s').unwrap_or("").to_owned(),
    ];
    candidates
        .iter()
        .filter(|c| !c.is_empty())
        .find_map(|c| catalogue::lookup(service, c))
        .map(|a| format!(" (did you mean {}:{}?)", a.service, a.name))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use crate::checks::iam::test_support::{findings, inline, stmt};

    #[test]
    fn triggers_on_typos() {
        let d = findings(
            &inline(
                r#"[{"Effect": "Allow", "Action": ["ec2:DescribeInstance", "ec3:RunInstances", "s3:Gte*"], "Resource": "*"}]"#,
            ),
            "IAM002",
        );
        let paths: Vec<&str> = d.iter().map(|d| d.path.as_str()).collect();
        let s = stmt(0);
        assert_eq!(
            paths,
            [
                format!("{s}.Action[0]"),
                format!("{s}.Action[1]"),
                format!("{s}.Action[2]")
            ]
        );
        assert!(
            d[0].message.contains("did you mean ec2:DescribeInstances?"),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn quiet_on_real_actions() {
        let iam = inline(
            r#"[{"Effect": "Allow", "Action": ["EC2:describeinstances", "s3:Get*", "logs:PutLogEvents", "*"], "Resource": "*"}]"#,
        );
        assert_eq!(findings(&iam, "IAM002"), []);
    }
}
