//! ## What it does
//! Flags a condition operator that does not fit its key: a `String…` operator on a date, ARN,
//! boolean, number or IP address key; `Arn…` on a key that is not an ARN; `Numeric…`,
//! `Date…`, `Bool` or `IpAddress` on a key of another type; `ForAllValues:` or `ForAnyValue:`
//! on a key that carries one value; and `…IfExists` in an `Allow`, which also grants when
//! the request does not carry the key. Key types are the catalogue's.
//!
//! ## Why is this bad?
//! A mismatched operator compares values the wrong way (a date as text, an ARN without its
//! wildcards' meaning) or not at all. `ForAllValues` on a single-valued key matches requests
//! without the key, so an `Allow` grants more than it seems; `…IfExists` in an `Allow` grants
//! every request that lacks the key.
//!
//! ## Example
//! ```json
//! {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*",
//!  "Condition": {"StringEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:topic"}}}
//! ```
//! Use `ArnEquals` (or `ArnLike`) for ARN keys.

use super::context::Context;
use crate::analysis::iam_details::{details, KeyType};
use crate::design::iam::document::Effect;
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "IAM016",
    name: "condition-operator-type",
    severity: Severity::Warning,
    summary: "a condition operator that does not fit its key's type, a set operator on a single-valued key, or IfExists widening an Allow",
};

/// The key types an operator (without set prefix and `IfExists`) compares; `None`: any.
fn fits(op: &str) -> Option<&'static [KeyType]> {
    Some(match op {
        o if o.starts_with("String") => &[KeyType::String],
        o if o.starts_with("Arn") => &[KeyType::Arn],
        o if o.starts_with("Numeric") => &[KeyType::Numeric],
        o if o.starts_with("Date") => &[KeyType::Date, KeyType::Numeric],
        "Bool" => &[KeyType::Bool],
        "IpAddress" | "NotIpAddress" => &[KeyType::IpAddress],
        _ => return None,
    })
}

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(d) = details() else { return };
    for doc in &cx.docs {
        for (sp, s) in doc.statements() {
            for (op, keys) in s.condition.iter().flatten() {
                let (set, base) = match op.split_once(':') {
                    Some((set, rest)) => (Some(set), rest),
                    None => (None, op.as_str()),
                };
                let (base, if_exists) = match base.strip_suffix("IfExists") {
                    Some(b) => (b, true),
                    None => (base, false),
                };
                let mut say = |path: String, msg: String| {
                    out.push(Diagnostic::new(
                        INFO.code,
                        Severity::Warning,
                        path,
                        format!("{}: {msg}", doc.what),
                    ));
                };
                if if_exists && s.effect == Effect::Allow {
                    say(
                        format!("{sp}.Condition.{op}"),
                        format!("{op} in an Allow also grants every request that does not carry the key; use {base} unless that is meant"),
                    );
                }
                for key in keys.keys() {
                    let Some(ty) = d.key_type(key) else { continue };
                    let path = format!("{sp}.Condition.{op}.{key}");
                    if set.is_some() && !ty.is_multivalued() {
                        say(path.clone(), format!("{op} is for keys with several values; {key} has one ({}), so use {base}", ty.as_str()));
                    }
                    if let Some(types) = fits(base) {
                        if !types.contains(&ty.element()) {
                            say(
                                path,
                                format!(
                                    "{base} compares {} values, but {key} is {}",
                                    types[0].as_str(),
                                    ty.as_str()
                                ),
                            );
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::iam::test_support::{findings, inline, stmt};

    #[test]
    fn triggers_on_mismatches() {
        let d = findings(
            &inline(
                r#"[{"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*",
                     "Condition": {"StringEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:1:t"},
                                   "ArnLike": {"aws:PrincipalAccount": "1"},
                                   "ForAllValues:StringEquals": {"aws:RequestedRegion": "us-east-1"},
                                   "StringEqualsIfExists": {"aws:RequestTag/team": "a"}}}]"#,
            ),
            "IAM016",
        );
        let paths: Vec<String> = d.iter().map(|d| d.path.clone()).collect();
        let s = stmt(0);
        assert_eq!(
            paths,
            [
                format!("{s}.Condition.ArnLike.aws:PrincipalAccount"),
                format!("{s}.Condition.ForAllValues:StringEquals.aws:RequestedRegion"),
                format!("{s}.Condition.StringEquals.aws:SourceArn"),
                format!("{s}.Condition.StringEqualsIfExists"),
            ]
        );
    }

    #[test]
    fn quiet_when_operators_fit() {
        let iam = inline(
            r#"[{"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*",
                 "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:sns:*:1:t"},
                               "ForAllValues:StringEquals": {"aws:TagKeys": ["a"]},
                               "Bool": {"aws:SecureTransport": "true"},
                               "DateGreaterThan": {"aws:CurrentTime": "2026-01-01T00:00:00Z"},
                               "IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}},
                {"Effect": "Deny", "Action": "ec2:*", "Resource": "*",
                 "Condition": {"StringNotEqualsIfExists": {"aws:RequestedRegion": "us-east-1"}}}]"#,
        );
        assert_eq!(findings(&iam, "IAM016"), []);
    }
}
