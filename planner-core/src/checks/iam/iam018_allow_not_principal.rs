//! ## What it does
//! Flags an `Allow` statement with `NotPrincipal`.
//!
//! ## Why is this bad?
//! `Allow` with `NotPrincipal` grants every principal but the ones named — every account's,
//! anonymous users included. AWS advises never to combine them; what is meant is almost
//! always a `Principal` with the ones allowed, or a `Deny` with `NotPrincipal`.
//!
//! ## Example
//! ```json
//! {"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:user/ana"}, "Action": "sts:AssumeRole"}
//! ```
//! Write `"Principal"` with who may assume the role.

use super::context::Context;
use crate::design::iam::document::Effect;
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "IAM018",
    name: "allow-not-principal",
    severity: Severity::Error,
    summary: "Allow with NotPrincipal: everyone but the named principals",
};

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for doc in &cx.docs {
        for (sp, s) in doc.statements() {
            if s.effect == Effect::Allow && s.not_principal.is_some() {
                out.push(Diagnostic::new(
                    INFO.code,
                    Severity::Error,
                    format!("{sp}.NotPrincipal"),
                    format!(
                        "{}: Allow with NotPrincipal grants every principal of every account but the ones named, anonymous users included; name who is allowed in Principal",
                        doc.what
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::iam::test_support::findings;

    fn trust(effect: &str, element: &str) -> String {
        format!(
            r#"{{"roles": [{{"name": "x", "trust_policy": {{"Version": "2012-10-17", "Statement": [{{"Effect": "{effect}",
                "{element}": {{"AWS": "arn:aws:iam::111122223333:user/ana"}}, "Action": "sts:AssumeRole"}}]}}}}]}}"#
        )
    }

    #[test]
    fn triggers_on_allow_with_not_principal() {
        let d = findings(&trust("Allow", "NotPrincipal"), "IAM018");
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].path,
            "iam.roles[0].trust_policy.Statement[0].NotPrincipal"
        );
    }

    #[test]
    fn quiet_on_principal_and_deny() {
        assert_eq!(findings(&trust("Allow", "Principal"), "IAM018"), []);
        assert_eq!(findings(&trust("Deny", "NotPrincipal"), "IAM018"), []);
    }
}
