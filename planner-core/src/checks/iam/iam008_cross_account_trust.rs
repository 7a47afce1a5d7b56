//! ## What it does
//! Warns when a role's trust policy lets another account (or any account, `*`) assume it
//! without an `sts:ExternalId` condition. The plan's own account is unknown offline, so a
//! principal written with a literal 12-digit account id (alone or in an ARN) counts as
//! another account; write the own account as `{"ref": "account_id"}` (or a join containing
//! it, or `{"ref": "role_arn", …}`) to say it is not.
//!
//! ## Why is this bad?
//! A vendor that assumes roles in its customers' accounts can be tricked into acting on the
//! wrong one: another customer only has to give the vendor your role's ARN (the "confused
//! deputy"). An external id that the vendor generates per customer, and checks on every
//! `AssumeRole`, closes that gap. For `*`, anyone in any account may try to assume the role.
//!
//! ## Example
//! ```json
//! {"Effect": "Allow", "Action": "sts:AssumeRole",
//!  "Principal": {"AWS": "arn:aws:iam::544296492693:role/vendor-mgmt"}}
//! ```
//! Add `"Condition": {"StringEquals": {"sts:ExternalId": "<id the vendor gives you>"}}`.

use super::context::Context;
use crate::design::iam::document::{Effect, Principal, Statement};
use crate::design::iam::reference::{Reference, Value};
use crate::design::iam::values::ApplyValues;
use crate::design::iam::walk::DocKind;
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "IAM008",
    name: "cross-account-trust-without-external-id",
    severity: Severity::Warning,
    summary: "a role trusts another account without an sts:ExternalId condition (confused deputy)",
};

/// Stands for the plan's own account while classifying principals; no literal can equal it.
const OWN: &str = "<own-account>";

/// Whose account a principal is.
#[derive(Debug, PartialEq, Eq)]
enum Account {
    Own,
    Other(String),
    Any,
}

fn account(cx: &Context, v: &Value) -> Option<Account> {
    let own = ApplyValues {
        account_id: OWN.to_owned(),
        ..cx.stand_in.clone()
    };
    let r = v.resolve(&|r: &Reference| own.resolve(cx.design, r))?;
    if r == "*" {
        return Some(Account::Any);
    }
    let id = if r.starts_with("arn:") {
        r.split(':').nth(4)?.to_owned()
    } else {
        r
    };
    if id == OWN {
        Some(Account::Own)
    } else if id.len() == 12 && id.bytes().all(|c| c.is_ascii_digit()) {
        Some(Account::Other(id))
    } else {
        None
    }
}

fn has_key(s: &Statement, keys: &[&str]) -> bool {
    s.condition
        .iter()
        .flatten()
        .flat_map(|(_, k)| k.keys())
        .any(|k| keys.iter().any(|want| k.eq_ignore_ascii_case(want)))
}

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for doc in cx.docs.iter().filter(|d| d.kind == DocKind::Trust) {
        for (sp, s) in doc.statements() {
            if s.effect != Effect::Allow || has_key(s, &["sts:ExternalId"]) {
                continue;
            }
            let mut found: Vec<(String, Account)> = Vec::new();
            match &s.principal {
                Some(Principal::Any) => found.push((format!("{sp}.Principal"), Account::Any)),
                Some(Principal::Map(m)) => {
                    for (path, v) in m
                        .aws
                        .iter()
                        .flat_map(|a| a.with_paths(&format!("{sp}.Principal.AWS")))
                    {
                        match account(cx, v) {
                            Some(Account::Own) | None => {}
                            Some(a) => found.push((path, a)),
                        }
                    }
                }
                None => {}
            }
            let limited = has_key(
                s,
                &[
                    "aws:PrincipalOrgID",
                    "aws:PrincipalAccount",
                    "aws:PrincipalArn",
                ],
            );
            for (path, a) in found {
                let who = match a {
                    Account::Other(id) => format!("account {id}"),
                    Account::Any if limited => continue,
                    _ => "every AWS account (\"*\")".to_owned(),
                };
                out.push(Diagnostic::new(
                    INFO.code,
                    Severity::Warning,
                    path,
                    format!(
                        "{} lets {who} assume the role without an sts:ExternalId condition, so a third party can get that account to act on this role for it (confused deputy); add \"Condition\": {{\"StringEquals\": {{\"sts:ExternalId\": \"<the id its owner gives you>\"}}}} (if this account is your own, write it as {{\"ref\": \"account_id\"}})",
                        doc.what
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::iam::test_support::{findings, role_json};

    const S: &str = "iam.roles[0].trust_policy.Statement[0]";

    #[test]
    fn triggers_on_a_vendor_account_and_on_star() {
        let iam = format!(
            r#"{{"roles": [{}, {}]}}"#,
            role_json(
                "x",
                r#"{"AWS": ["arn:aws:iam::544296492693:role/mgmt", {"ref": "account_id"}, "111122223333"]}"#,
                ""
            ),
            role_json("y", r#""*""#, ""),
        );
        let d = findings(&iam, "IAM008");
        let paths: Vec<&str> = d.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                format!("{S}.Principal.AWS[0]"),
                format!("{S}.Principal.AWS[2]"),
                "iam.roles[1].trust_policy.Statement[0].Principal".to_owned()
            ]
        );
        assert!(
            d[0].message.contains("account 544296492693"),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn quiet_with_external_id_or_own_account() {
        let with_id = role_json("x", r#"{"AWS": "arn:aws:iam::544296492693:root"}"#, "").replace(
            r#""Action": "sts:AssumeRole""#,
            r#""Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "abc"}}"#,
        );
        let own = role_json(
            "y",
            r#"{"AWS": [{"ref": "role_arn", "role": "x"}, {"join": ["arn:", {"ref": "partition"}, ":iam::", {"ref": "account_id"}, ":root"]}]}"#,
            "",
        );
        let iam = format!(r#"{{"roles": [{with_id}, {own}]}}"#);
        assert_eq!(findings(&iam, "IAM008"), []);
    }
}
