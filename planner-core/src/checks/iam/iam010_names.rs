//! ## What it does
//! Reports names, paths, descriptions, tags and policy ARNs that IAM would refuse:
//!
//! * role names: 1–64 characters of letters, digits and `+=,.@_-`; policy, inline policy and
//!   instance profile names: 1–128 of the same;
//! * paths: `/`, or 1–512 printable ASCII characters starting and ending with `/`;
//! * descriptions: at most 1,000 characters (for roles, printable Latin-1);
//! * tags: at most 50; keys of 1–128 and values of up to 256 letters, digits, spaces and
//!   `_.:/=+-@`; keys starting with `aws:` are reserved;
//! * attached policy ARNs: `arn:<partition>:iam::<account or aws>:policy/<path><name>`.
//!
//! ## Why is this bad?
//! The create call fails with `ValidationError` in the middle of the apply. Informatica's
//! guide warns that its policy names "can't contain spaces": this is where that is caught.
//!
//! ## Example
//! ```json
//! {"name": "cluster installer role", "path": "cluster", "trust_policy": {...}}
//! ```
//! Write `cluster_installer_role` and `/cluster/`.

use super::context::Context;
use crate::design::iam::model::ManagedPolicyRef;
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "IAM010",
    name: "iam-names",
    severity: Severity::Error,
    summary: "a name, path, description, tag or policy ARN that IAM refuses",
};

fn name_ok(s: &str, max: usize) -> bool {
    (1..=max).contains(&s.chars().count())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c))
}

fn path_ok(p: &str) -> bool {
    p == "/"
        || (p.len() >= 2
            && p.len() <= 512
            && p.starts_with('/')
            && p.ends_with('/')
            && p.bytes().all(|c| (0x21..=0x7e).contains(&c)))
}

fn tag_chars_ok(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_alphanumeric() || c.is_whitespace() || "_.:/=+-@".contains(c))
}

fn policy_arn_ok(arn: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    parts.len() == 6
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && parts[2] == "iam"
        && parts[3].is_empty()
        && (parts[4] == "aws"
            || (parts[4].len() == 12 && parts[4].bytes().all(|c| c.is_ascii_digit())))
        && parts[5].strip_prefix("policy/").is_some_and(|rest| {
            let name = rest.rsplit('/').next().unwrap_or("");
            name_ok(name, 128)
        })
}

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let mut bad = |path: String, msg: String| {
        out.push(Diagnostic::new(INFO.code, Severity::Error, path, msg));
    };
    let chars = "letters, digits and +=,.@_-";
    let iam = &cx.design.iam;
    for (i, r) in iam.roles.iter().enumerate() {
        let at = format!("iam.roles[{i}]");
        if !name_ok(&r.name, 64) {
            bad(
                format!("{at}.name"),
                format!("role name {:?}: expected 1-64 {chars}", r.name),
            );
        }
        if !path_ok(&r.path) {
            bad(format!("{at}.path"), format!("path {:?}: expected / or up to 512 printable ASCII characters between slashes, e.g. /app/", r.path));
        }
        let latin1 = r
            .description
            .chars()
            .all(|c| matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{a1}'..='\u{ff}'));
        if r.description.chars().count() > 1000 || !latin1 {
            bad(
                format!("{at}.description"),
                "a role description takes at most 1,000 printable Latin-1 characters".into(),
            );
        }
        if r.tags.len() > 50 {
            bad(
                format!("{at}.tags"),
                format!("{} tags: a role takes at most 50", r.tags.len()),
            );
        }
        for (k, v) in &r.tags {
            let ok = (1..=128).contains(&k.chars().count())
                && v.chars().count() <= 256
                && tag_chars_ok(k)
                && tag_chars_ok(v)
                && !k.to_ascii_lowercase().starts_with("aws:");
            if !ok {
                bad(format!("{at}.tags.{k}"), format!("tag {k:?}: keys take 1-128 and values up to 256 letters, digits, spaces and _.:/=+-@, and keys may not start with aws:"));
            }
        }
        for (j, p) in r.inline_policies.iter().enumerate() {
            if !name_ok(&p.name, 128) {
                bad(
                    format!("{at}.inline_policies[{j}].name"),
                    format!("policy name {:?}: expected 1-128 {chars}", p.name),
                );
            }
        }
        for (j, m) in r.managed_policies.iter().enumerate() {
            if let ManagedPolicyRef::Arn(arn) = m {
                if !policy_arn_ok(arn) {
                    bad(format!("{at}.managed_policies[{j}]"), format!("{arn:?} is not a managed policy ARN such as arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy"));
                }
            }
        }
    }
    for (k, p) in iam.policies.iter().enumerate() {
        let at = format!("iam.policies[{k}]");
        if !name_ok(&p.name, 128) {
            bad(
                format!("{at}.name"),
                format!("policy name {:?}: expected 1-128 {chars}", p.name),
            );
        }
        if !path_ok(&p.path) {
            bad(
                format!("{at}.path"),
                format!(
                    "path {:?}: expected / or up to 512 printable ASCII characters between slashes",
                    p.path
                ),
            );
        }
        if p.description.chars().count() > 1000 {
            bad(
                format!("{at}.description"),
                "a policy description takes at most 1,000 characters".into(),
            );
        }
    }
    for (k, p) in iam.instance_profiles.iter().enumerate() {
        let at = format!("iam.instance_profiles[{k}]");
        if !name_ok(&p.name, 128) {
            bad(
                format!("{at}.name"),
                format!("instance profile name {:?}: expected 1-128 {chars}", p.name),
            );
        }
        if !path_ok(&p.path) {
            bad(
                format!("{at}.path"),
                format!(
                    "path {:?}: expected / or up to 512 printable ASCII characters between slashes",
                    p.path
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::iam::test_support::{findings, role_json};

    const EC2: &str = r#"{"Service": "ec2.amazonaws.com"}"#;

    #[test]
    fn triggers_on_bad_names_paths_tags_and_arns() {
        let long = "r".repeat(65);
        let iam = format!(
            r#"{{"roles": [{}, {}],
                "policies": [{{"name": "worker node policy", "document": {{"Version": "2012-10-17", "Statement": []}}}}],
                "instance_profiles": [{{"name": "ip", "path": "/x", "role": "{long}"}}]}}"#,
            role_json("cluster installer role", EC2, r#""path": "cluster""#),
            role_json(
                &long,
                EC2,
                r#""tags": {"aws:x": "y"}, "managed_policies": ["AmazonSSMManagedEC2InstanceDefaultPolicy"]"#
            ),
        );
        let d = findings(&iam, "IAM010");
        let paths: Vec<&str> = d.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "iam.instance_profiles[0].path",
                "iam.policies[0].name",
                "iam.roles[0].name",
                "iam.roles[0].path",
                "iam.roles[1].managed_policies[0]",
                "iam.roles[1].name",
                "iam.roles[1].tags.aws:x",
            ]
        );
    }

    #[test]
    fn quiet_on_good_names() {
        let iam = format!(
            r#"{{"roles": [{}], "instance_profiles": [{{"name": "det-cloud-customer-master", "path": "/det/", "role": "cluster_installer_role"}}]}}"#,
            role_json(
                "cluster_installer_role",
                EC2,
                r#""path": "/informatica/ere/", "tags": {"team": "data eng"}, "managed_policies": ["arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy", "arn:aws:iam::111122223333:policy/ops/Read+Only"]"#
            ),
        );
        assert_eq!(findings(&iam, "IAM010"), []);
    }
}
