//! ## What it does
//! Reports a role whose trust policy names itself, or roles whose trust policies name each
//! other in a cycle, through `{"ref": "role_arn"}` principals.
//!
//! ## Why is this bad?
//! IAM turns a principal ARN into the role's unique id when the trust policy is set, and
//! refuses (`MalformedPolicyDocument: Invalid principal`) a role that does not exist yet. So
//! the first role of a cycle cannot be created with its full trust policy: the plan orders
//! roles to honour every other edge (see [`crate::build::iam`]), and this edge would fail.
//!
//! ## Example
//! Titus' app roles trust the master role; if the master role also trusted the app role,
//! one of the two would have to be created first with a narrower trust policy and updated
//! once the other exists. Break the cycle: usually one direction is not needed.

use super::context::Context;
use crate::build::iam::trust_order;
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "IAM013",
    name: "trust-cycle",
    severity: Severity::Error,
    summary:
        "a role trusts itself, or roles trust each other in a cycle: the first cannot be created",
};

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let roles = &cx.design.iam.roles;
    for (i, j, path) in trust_order(&cx.design.iam).broken {
        let msg = if i == j {
            format!("the trust policy of role {} names the role itself, which does not exist yet when the trust policy is set, so CreateRole fails; trust the account ({{\"ref\": \"account_id\"}}) with an aws:PrincipalArn condition instead", roles[i].name)
        } else {
            format!("the trust policy of role {} names role {}, whose trust policy (directly or through other roles) names {} in turn: whichever is created first names a role that does not exist yet, so CreateRole fails; remove one direction of the cycle", roles[i].name, roles[j].name, roles[i].name)
        };
        out.push(Diagnostic::new(INFO.code, Severity::Error, path, msg));
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::iam::test_support::{findings, role_json};

    fn arn(role: &str) -> String {
        format!(r#"{{"AWS": {{"ref": "role_arn", "role": "{role}"}}}}"#)
    }

    #[test]
    fn triggers_on_self_trust_and_cycles() {
        let iam = format!(
            r#"{{"roles": [{}, {}, {}]}}"#,
            role_json("a", &arn("b"), ""),
            role_json("b", &arn("a"), ""),
            role_json("c", &arn("c"), ""),
        );
        let d = findings(&iam, "IAM013");
        let paths: Vec<&str> = d.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "iam.roles[0].trust_policy.Statement[0].Principal.AWS",
                "iam.roles[2].trust_policy.Statement[0].Principal.AWS"
            ]
        );
        assert!(d[0].message.contains("names role b"), "{}", d[0].message);
    }

    #[test]
    fn quiet_on_a_chain() {
        let iam = format!(
            r#"{{"roles": [{}, {}, {}]}}"#,
            role_json("app", &arn("master"), ""),
            role_json("master", r#"{"Service": "ec2.amazonaws.com"}"#, ""),
            role_json("other", &arn("app"), ""),
        );
        assert_eq!(findings(&iam, "IAM013"), []);
    }
}
