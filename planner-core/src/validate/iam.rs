//! The rules of the IAM section that serde cannot express and without which no plan can be
//! made: unique names, and references to roles, policies and instance profiles that exist.
//! Names AWS would refuse, sizes and the like are findings (`IAM…`), not input errors.

use std::collections::BTreeSet;

use crate::design::iam::model::ManagedPolicyRef;
use crate::design::iam::walk::documents;
use crate::design::network::Design;
use crate::error::InputError;

/// The longest session a role may allow, in seconds.
pub(crate) const MAX_SESSION: u32 = 43_200;
/// The shortest.
pub(crate) const MIN_SESSION: u32 = 3_600;

/// Checks names and references; the first broken rule is returned with its JSON path.
pub(crate) fn check(design: &Design) -> Result<(), InputError> {
    let iam = &design.iam;
    unique(
        "role",
        iam.roles.iter().map(|r| r.name.as_str()),
        "iam.roles",
    )?;
    unique(
        "policy",
        iam.policies.iter().map(|p| p.name.as_str()),
        "iam.policies",
    )?;
    unique(
        "instance profile",
        iam.instance_profiles.iter().map(|p| p.name.as_str()),
        "iam.instance_profiles",
    )?;
    for (i, r) in iam.roles.iter().enumerate() {
        unique(
            "inline policy",
            r.inline_policies.iter().map(|p| p.name.as_str()),
            &format!("iam.roles[{i}].inline_policies"),
        )?;
        let mut attached = BTreeSet::new();
        for (j, m) in r.managed_policies.iter().enumerate() {
            let at = format!("iam.roles[{i}].managed_policies[{j}]");
            if let ManagedPolicyRef::Policy { policy } = m {
                if iam.policy(policy).is_none() {
                    return Err(InputError::at(
                        format!("{at}.policy"),
                        format!("no policy named {policy:?} in iam.policies"),
                    ));
                }
            }
            if !attached.insert(m) {
                return Err(InputError::at(at, "this policy is attached twice"));
            }
        }
        if let Some(s) = r.max_session_duration {
            if !(MIN_SESSION..=MAX_SESSION).contains(&s) {
                return Err(InputError::at(
                    format!("iam.roles[{i}].max_session_duration"),
                    format!(
                        "expected {MIN_SESSION} to {MAX_SESSION} seconds (1 to 12 hours), got {s}"
                    ),
                ));
            }
        }
    }
    for (i, p) in iam.instance_profiles.iter().enumerate() {
        if iam.role(&p.role).is_none() {
            return Err(InputError::at(
                format!("iam.instance_profiles[{i}].role"),
                format!("no role named {:?} in iam.roles", p.role),
            ));
        }
    }
    for doc in documents(iam) {
        for (path, s) in doc.statements() {
            for (vpath, v) in s.values(&path) {
                for (rpath, r) in v.references() {
                    let Some((key, name)) = r.target() else {
                        continue;
                    };
                    let (exists, list) = match key {
                        "role" => (iam.role(name).is_some(), "iam.roles"),
                        "policy" => (iam.policy(name).is_some(), "iam.policies"),
                        _ => (
                            iam.instance_profiles.iter().any(|p| p.name == name),
                            "iam.instance_profiles",
                        ),
                    };
                    if !exists {
                        return Err(InputError::at(
                            format!("{vpath}{rpath}.{key}"),
                            format!("no {} named {name:?} in {list}", key.replace('_', " ")),
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

/// IAM names are unique ignoring case.
fn unique<'a>(
    what: &str,
    names: impl Iterator<Item = &'a str>,
    list: &str,
) -> Result<(), InputError> {
    let mut seen = BTreeSet::new();
    for (i, n) in names.enumerate() {
        if !seen.insert(n.to_ascii_lowercase()) {
            return Err(InputError::at(
                format!("{list}[{i}].name"),
                format!("{what} {n} is defined twice (IAM names are unique ignoring case)"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::checks::iam::test_support::design_json;

    fn err(iam: &str) -> crate::InputError {
        crate::parse_design(&design_json(iam)).unwrap_err()
    }

    const TRUST: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#;

    #[test]
    fn duplicate_role_ignoring_case() {
        let e = err(&format!(
            r#"{{"roles": [{{"name": "App", "trust_policy": {TRUST}}}, {{"name": "app", "trust_policy": {TRUST}}}]}}"#
        ));
        assert_eq!(e.path, "iam.roles[1].name");
    }

    #[test]
    fn unknown_role_in_a_reference() {
        let e = err(&format!(
            r#"{{"roles": [{{"name": "a", "trust_policy": {TRUST}, "inline_policies": [{{"name": "p",
                "document": {{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "iam:PassRole",
                "Resource": ["*", {{"join": ["x", {{"ref": "role_arn", "role": "b"}}]}}]}}]}}}}]}}]}}"#
        ));
        assert_eq!(
            e.path,
            "iam.roles[0].inline_policies[0].document.Statement[0].Resource[1].join[1].role"
        );
    }

    #[test]
    fn unknown_attached_policy_and_profile_role() {
        let e = err(&format!(
            r#"{{"roles": [{{"name": "a", "trust_policy": {TRUST}, "managed_policies": [{{"policy": "nope"}}]}}]}}"#
        ));
        assert_eq!(e.path, "iam.roles[0].managed_policies[0].policy");
        let e = err(r#"{"instance_profiles": [{"name": "p", "role": "r"}]}"#);
        assert_eq!(e.path, "iam.instance_profiles[0].role");
    }

    #[test]
    fn session_duration_range() {
        let e = err(&format!(
            r#"{{"roles": [{{"name": "a", "trust_policy": {TRUST}, "max_session_duration": 60}}]}}"#
        ));
        assert_eq!(e.path, "iam.roles[0].max_session_duration");
    }

    #[test]
    fn unknown_key_in_a_statement_is_a_parse_error_with_a_path() {
        let e = err(&format!(
            r#"{{"roles": [{{"name": "a", "trust_policy": {}}}]}}"#,
            TRUST.replace("\"Action\"", "\"Actions\"")
        ));
        assert_eq!(e.path, "iam.roles[0].trust_policy.Statement[0].Actions");
    }
}
