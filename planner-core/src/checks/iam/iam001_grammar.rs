//! ## What it does
//! Reports what the IAM policy grammar forbids and the JSON types cannot express: an unknown
//! `Version`; no statements; a statement without `Action`/`NotAction` or with both; a
//! `Principal` in an identity policy or none in a trust or resource policy; a `Resource` in a
//! trust policy or none in an identity policy; an action without a `service:` prefix; a `Sid` with
//! characters other than letters and digits; a malformed ARN, account or service principal;
//! an unknown condition operator or a condition key without a prefix. A document without a
//! `Version` is a warning.
//!
//! ## Why is this bad?
//! AWS refuses the request with `MalformedPolicyDocument`, after everything before it in the
//! plan was created. Without `"Version": "2012-10-17"` IAM reads the policy in the 2008
//! language, where policy variables such as `${aws:username}` are literal text.
//!
//! ## Example
//! ```json
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "RunInstances",
//!   "Principal": "*", "Resource": "arn:aws:ec2:subnet/*"}]}
//! ```
//! in an inline policy: the action lacks its `ec2:` prefix, an identity policy takes no
//! `Principal`, and the ARN lacks its region and account fields.

use super::context::Context;
use crate::design::iam::document::{ConditionValue, OneOrMany, Principal, PrincipalMap, Statement};
use crate::design::iam::walk::{Doc, DocKind};
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "IAM001",
    name: "policy-grammar",
    severity: Severity::Error,
    summary: "a policy document AWS would refuse as malformed (missing or forbidden elements, bad actions, ARNs or conditions)",
};

/// The condition operators of the IAM policy language, without `IfExists` or set prefixes.
const OPERATORS: &[&str] = &[
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
    "Null",
];

/// Whether `op` is a condition operator: one of [`OPERATORS`], optionally with the
/// `ForAllValues:` or `ForAnyValue:` prefix and (except `Null`) the `IfExists` suffix.
pub(crate) fn known_operator(op: &str) -> bool {
    let op = op
        .strip_prefix("ForAllValues:")
        .or_else(|| op.strip_prefix("ForAnyValue:"))
        .unwrap_or(op);
    let base = match op.strip_suffix("IfExists") {
        Some(b) if b != "Null" => b,
        _ => op,
    };
    OPERATORS.contains(&base)
}

/// `*`, or a service prefix and an action name (with wildcards).
fn valid_action(a: &str) -> bool {
    if a == "*" {
        return true;
    }
    let Some((service, name)) = a.split_once(':') else {
        return false;
    };
    !service.is_empty()
        && service
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-')
        && !name.is_empty()
        && name
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"*?_-".contains(&c))
}

/// `arn:partition:service:region:account:resource`, with a non-empty partition and service.
/// The resource may be empty: IAM accepts `arn:aws:organizations::*:`, which AWS's own
/// `AmazonDevOpsGuruOrganizationsAccess` grants.
pub(crate) fn valid_arn(s: &str) -> bool {
    let parts: Vec<&str> = s.splitn(6, ':').collect();
    parts.len() == 6 && parts[0] == "arn" && !parts[1].is_empty() && !parts[2].is_empty()
}

fn twelve_digits(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|c| c.is_ascii_digit())
}

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for doc in &cx.docs {
        check_doc(cx, doc, out);
    }
}

pub(crate) fn check_doc(cx: &Context, doc: &Doc, out: &mut Vec<Diagnostic>) {
    let mut err = |path: String, msg: String| {
        out.push(Diagnostic::new(INFO.code, Severity::Error, path, msg));
    };
    match doc.doc.version.as_deref() {
        None => {}
        Some("2012-10-17" | "2008-10-17") => {}
        Some(v) => err(
            format!("{}.Version", doc.path),
            format!(
                "{}: Version {v:?} is not a policy language version; use \"2012-10-17\"",
                doc.what
            ),
        ),
    }
    if doc.doc.statements().is_empty() {
        err(
            format!("{}.Statement", doc.path),
            format!(
                "{} has no statements; AWS refuses an empty policy",
                doc.what
            ),
        );
    }
    for (sp, s) in doc.statements() {
        for (path, msg) in statement(cx, doc.kind, &sp, s) {
            err(path, format!("{}: {msg}", doc.what));
        }
    }
    if doc.doc.version.is_none() {
        out.push(Diagnostic::new(
            INFO.code,
            Severity::Warning,
            doc.path.clone(),
            format!("{} has no Version, so IAM reads it in the 2008-10-17 language, where policy variables such as ${{aws:username}} are literal text; add \"Version\": \"2012-10-17\"", doc.what),
        ));
    }
}

fn statement(cx: &Context, kind: DocKind, sp: &str, s: &Statement) -> Vec<(String, String)> {
    let mut e: Vec<(String, String)> = Vec::new();
    if let Some(sid) = &s.sid {
        if !sid.bytes().all(|c| c.is_ascii_alphanumeric()) {
            e.push((
                format!("{sp}.Sid"),
                format!("Sid {sid:?} may only hold ASCII letters and digits"),
            ));
        }
    }
    match (&s.action, &s.not_action) {
        (None, None) => e.push((
            sp.to_owned(),
            "a statement needs Action or NotAction".into(),
        )),
        (Some(_), Some(_)) => e.push((
            sp.to_owned(),
            "a statement takes Action or NotAction, not both".into(),
        )),
        _ => {}
    }
    for (name, v) in [("Action", &s.action), ("NotAction", &s.not_action)] {
        let Some(v) = v else { continue };
        if v.as_slice().is_empty() {
            e.push((format!("{sp}.{name}"), format!("{name} is empty")));
        }
        for (path, a) in v.with_paths(&format!("{sp}.{name}")) {
            if !valid_action(a) {
                e.push((path, format!("{a:?} is not an action: expected service:Action, e.g. ec2:RunInstances, or *")));
            }
        }
    }
    let has_principal = s.principal.is_some() || s.not_principal.is_some();
    let has_resource = s.resource.is_some() || s.not_resource.is_some();
    match kind {
        DocKind::Identity => {
            for (name, present) in [
                ("Principal", s.principal.is_some()),
                ("NotPrincipal", s.not_principal.is_some()),
            ] {
                if present {
                    e.push((
                        format!("{sp}.{name}"),
                        format!(
                            "an identity policy takes no {name}: it applies to whoever holds it"
                        ),
                    ));
                }
            }
            if !has_resource {
                e.push((
                    sp.to_owned(),
                    "a statement of an identity policy needs Resource or NotResource".into(),
                ));
            }
        }
        DocKind::Trust => {
            for (name, present) in [
                ("Resource", s.resource.is_some()),
                ("NotResource", s.not_resource.is_some()),
            ] {
                if present {
                    e.push((
                        format!("{sp}.{name}"),
                        format!("a trust policy takes no {name}: the resource is the role itself"),
                    ));
                }
            }
            if !has_principal {
                e.push((
                    sp.to_owned(),
                    "a statement of a trust policy needs a Principal: who may assume the role"
                        .into(),
                ));
            }
        }
        DocKind::Resource => {
            if !has_principal {
                e.push((
                    sp.to_owned(),
                    "a statement of a resource policy needs a Principal or NotPrincipal: who it applies to"
                        .into(),
                ));
            }
        }
    }
    if s.principal.is_some() && s.not_principal.is_some() {
        e.push((
            sp.to_owned(),
            "a statement takes Principal or NotPrincipal, not both".into(),
        ));
    }
    if s.resource.is_some() && s.not_resource.is_some() {
        e.push((
            sp.to_owned(),
            "a statement takes Resource or NotResource, not both".into(),
        ));
    }
    for (name, p) in [
        ("Principal", &s.principal),
        ("NotPrincipal", &s.not_principal),
    ] {
        if let Some(Principal::Map(m)) = p {
            principals(cx, &format!("{sp}.{name}"), m, &mut e);
        }
    }
    for (name, v) in [("Resource", &s.resource), ("NotResource", &s.not_resource)] {
        let Some(v) = v else { continue };
        if v.as_slice().is_empty() {
            e.push((format!("{sp}.{name}"), format!("{name} is empty")));
        }
        for (path, r) in v.with_paths(&format!("{sp}.{name}")) {
            let Some(r) = cx.render(r) else { continue };
            if r != "*" && !valid_arn(&r) {
                e.push((
                    path,
                    format!(
                        "{r:?} is not an ARN (arn:partition:service:region:account:resource) or *"
                    ),
                ));
            }
        }
    }
    for (op, keys) in s.condition.iter().flatten() {
        let at = format!("{sp}.Condition.{op}");
        if !known_operator(op) {
            e.push((at.clone(), format!("{op:?} is not a condition operator (StringEquals, ArnLike, Bool, …, with IfExists or ForAllValues:/ForAnyValue:)")));
        }
        for (key, vals) in keys {
            if !key.contains(':') {
                e.push((format!("{at}.{key}"), format!("condition key {key:?} lacks its prefix, e.g. aws:SourceIp or sts:ExternalId")));
            }
            let base = op.trim_end_matches("IfExists");
            if base == "Bool" || base == "Null" {
                for (path, v) in vals.with_paths(&format!("{at}.{key}")) {
                    let ok = match v {
                        ConditionValue::Bool(_) => true,
                        ConditionValue::Value(v) => {
                            matches!(v.as_literal(), Some("true" | "false"))
                        }
                        ConditionValue::Number(_) => false,
                    };
                    if !ok {
                        e.push((path, format!("{op} takes true or false")));
                    }
                }
            }
        }
    }
    e
}

fn principals(cx: &Context, at: &str, m: &PrincipalMap, e: &mut Vec<(String, String)>) {
    if m == &PrincipalMap::default() {
        e.push((at.to_owned(), "an empty Principal names no one".into()));
    }
    let empty = |v: &Option<OneOrMany<_>>| {
        v.as_ref()
            .is_some_and(|v: &OneOrMany<_>| v.as_slice().is_empty())
    };
    if empty(&m.aws) || empty(&m.federated) {
        e.push((at.to_owned(), "an empty principal list names no one".into()));
    }
    for (path, v) in m
        .aws
        .iter()
        .flat_map(|v| v.with_paths(&format!("{at}.AWS")))
    {
        let Some(r) = cx.render(v) else { continue };
        let arn_ok = valid_arn(&r) && {
            let parts: Vec<&str> = r.splitn(6, ':').collect();
            matches!(parts[2], "iam" | "sts") && (twelve_digits(parts[4]) || parts[4] == "aws")
        };
        if !(r == "*" || twelve_digits(&r) || arn_ok) {
            e.push((path, format!("{r:?} is not an AWS principal: expected *, a 12-digit account id, or an IAM or STS ARN such as arn:aws:iam::111122223333:role/name")));
        }
    }
    for (path, svc) in m
        .service
        .iter()
        .flat_map(|v| v.with_paths(&format!("{at}.Service")))
    {
        let ok = svc.contains('.')
            && svc
                .bytes()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'.' || c == b'-');
        if !ok {
            e.push((
                path,
                format!("{svc:?} is not a service principal such as ec2.amazonaws.com"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::iam::test_support::{findings, inline, role_json, stmt};

    #[test]
    fn operators() {
        use super::known_operator;
        for ok in [
            "StringEquals",
            "ForAnyValue:StringLike",
            "ArnLikeIfExists",
            "Null",
        ] {
            assert!(known_operator(ok), "{ok}");
        }
        for bad in [
            "StringEqual",
            "NullIfExists",
            "ForAll:StringEquals",
            "stringequals",
        ] {
            assert!(!known_operator(bad), "{bad}");
        }
    }

    #[test]
    fn arns() {
        use super::valid_arn;
        for ok in [
            "arn:aws:s3:::bucket/*",
            "arn:aws:organizations::*:",
            "arn:aws-cn:ec2:cn-north-1:123456789012:vpc/*",
        ] {
            assert!(valid_arn(ok), "{ok}");
        }
        for bad in [
            "arn:aws:ec2:subnet/*",
            "arn::s3:::b",
            "arn:aws::::x",
            "aws:s3:::b:c:d",
        ] {
            assert!(!valid_arn(bad), "{bad}");
        }
    }

    #[test]
    fn triggers_on_malformed_statements() {
        let d = findings(
            &inline(
                r#"[{"Sid": "bad-sid", "Effect": "Allow", "Action": "RunInstances", "Principal": "*",
                "Resource": ["arn:aws:ec2:subnet/*", {"join": ["arn:aws:ec2:*:", {"ref": "account_id"}, ":vpc/*"]}],
                "Condition": {"StringEqual": {"ExternalId": "x"}, "Bool": {"aws:SecureTransport": "yes"}}},
               {"Effect": "Deny", "NotAction": "s3:*", "Action": "s3:Get*"}]"#,
            ),
            "IAM001",
        );
        let paths: Vec<&str> = d.iter().map(|d| d.path.as_str()).collect();
        let s0 = stmt(0);
        for want in [
            format!("{s0}.Sid"),
            format!("{s0}.Action"),
            format!("{s0}.Principal"),
            format!("{s0}.Resource[0]"),
            format!("{s0}.Condition.StringEqual"),
            format!("{s0}.Condition.StringEqual.ExternalId"),
            format!("{s0}.Condition.Bool.aws:SecureTransport"),
            stmt(1),
        ] {
            assert!(paths.contains(&want.as_str()), "{want} not in {paths:#?}");
        }
        assert!(
            !paths.contains(&format!("{s0}.Resource[1]").as_str()),
            "{paths:#?}"
        );
    }

    #[test]
    fn triggers_on_a_trust_policy_with_a_resource_and_a_bad_principal() {
        let role = role_json(
            "r",
            r#"{"AWS": "arn:aws:s3:::bucket", "Service": "EC2"}"#,
            "",
        )
        .replace(
            r#""Action": "sts:AssumeRole""#,
            r#""Action": "sts:AssumeRole", "Resource": "*""#,
        )
        .replace(r#""Version": "2012-10-17", "#, "");
        let d = findings(&format!(r#"{{"roles": [{role}]}}"#), "IAM001");
        let paths: Vec<(&str, crate::Severity)> =
            d.iter().map(|d| (d.path.as_str(), d.severity)).collect();
        let s = "iam.roles[0].trust_policy.Statement[0]";
        assert!(
            paths.contains(&(&format!("{s}.Resource"), crate::Severity::Error)),
            "{paths:?}"
        );
        assert!(
            paths.contains(&(&format!("{s}.Principal.AWS"), crate::Severity::Error)),
            "{paths:?}"
        );
        assert!(
            paths.contains(&(&format!("{s}.Principal.Service"), crate::Severity::Error)),
            "{paths:?}"
        );
        assert!(
            paths.contains(&("iam.roles[0].trust_policy", crate::Severity::Warning)),
            "{paths:?}"
        );
    }

    #[test]
    fn quiet_on_good_documents() {
        let iam = inline(
            r#"[{"Sid": "Run1", "Effect": "Allow", "Action": ["ec2:RunInstances", "ec2:Describe*"],
                 "Resource": {"join": ["arn:", {"ref": "partition"}, ":ec2:", {"ref": "region"}, ":", {"ref": "account_id"}, ":subnet/*"]},
                 "Condition": {"ForAnyValue:StringLikeIfExists": {"aws:TagKeys": ["a*"]}, "Bool": {"aws:SecureTransport": true}}},
                {"Effect": "Allow", "Action": "iam:PassRole", "Resource": {"ref": "role_arn", "role": "app"}}]"#,
        );
        assert_eq!(findings(&iam, "IAM001"), []);
        let trust = format!(
            r#"{{"roles": [{}]}}"#,
            role_json(
                "x",
                r#"{"AWS": ["111122223333", {"ref": "account_id"}, "arn:aws:iam::111122223333:root"]}"#,
                ""
            )
        );
        assert_eq!(findings(&trust, "IAM001"), []);
    }
}
