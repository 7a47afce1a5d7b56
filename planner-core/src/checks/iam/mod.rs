//! IAM findings (`IAM…`), modelled on IAM Access Analyzer's policy validation and parliament.
//! One file per check; each documents what it does, why it matters and an example. Codes are
//! stable: a retired code is never reused.
//!
//! Documents are checked as AWS will receive them: references are rendered with stand-ins of
//! realistic length (`ApplyValues::stand_in`), so sizes and ARN shapes are what apply sends.

pub(crate) mod context;
pub(crate) mod iam001_grammar;
pub(crate) mod iam002_unknown_action;
pub(crate) mod iam003_allow_not;
pub(crate) mod iam004_resource_star;
pub(crate) mod iam005_pass_role_star;
pub(crate) mod iam006_privilege_escalation;
pub(crate) mod iam007_wildcard_action;
pub(crate) mod iam008_cross_account_trust;
pub(crate) mod iam009_duplicate_sid;
pub(crate) mod iam010_names;
pub(crate) mod iam011_sizes;
pub(crate) mod iam012_managed_quota;
pub(crate) mod iam013_trust_cycle;
pub(crate) mod iam014_resource_type_mismatch;
pub(crate) mod iam015_unsupported_condition_key;
pub(crate) mod iam016_condition_operator_type;
pub(crate) mod iam017_service_trust_without_source;
pub(crate) mod iam018_allow_not_principal;
pub(crate) mod iam019_arn_region_account;
pub(crate) mod iam020_unknown_global_key;
pub(crate) mod iam021_redundant_action;

#[cfg(test)]
pub(crate) mod test_support {
    use crate::checks::test_support::BASE;
    use crate::diag::Diagnostic;

    /// The base test design with `iam` as its IAM section.
    pub fn design_json(iam: &str) -> String {
        let base = BASE.trim_end();
        let body = base.strip_suffix('}').expect("BASE is an object");
        format!("{body}, \"iam\": {iam}}}")
    }

    /// A role named `name` whose trust policy lets `principal` assume it, plus `extra` fields
    /// (e.g. `"inline_policies": [...]`), as JSON.
    pub fn role_json(name: &str, principal: &str, extra: &str) -> String {
        let extra = if extra.is_empty() {
            String::new()
        } else {
            format!(", {extra}")
        };
        format!(
            r#"{{"name": "{name}", "trust_policy": {{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow",
                "Principal": {principal}, "Action": "sts:AssumeRole"}}]}}{extra}}}"#
        )
    }

    /// An IAM section with one EC2 role whose inline policy has `statements` (a JSON array).
    pub fn inline(statements: &str) -> String {
        format!(
            r#"{{"roles": [{}]}}"#,
            role_json(
                "app",
                r#"{"Service": "ec2.amazonaws.com"}"#,
                &format!(
                    r#""inline_policies": [{{"name": "p", "document": {{"Version": "2012-10-17", "Statement": {statements}}}}}]"#
                ),
            )
        )
    }

    /// The path of the inline policy's statement `i` in [`inline`].
    pub fn stmt(i: usize) -> String {
        format!("iam.roles[0].inline_policies[0].document.Statement[{i}]")
    }

    /// The findings with `code` for the base design with IAM section `iam`.
    pub fn findings(iam: &str, code: &str) -> Vec<Diagnostic> {
        let json = design_json(iam);
        crate::checks::test_support::findings(&json, code)
    }
}
