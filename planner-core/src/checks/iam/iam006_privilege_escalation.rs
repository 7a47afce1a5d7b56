//! ## What it does
//! Warns about permissions that let their holder raise its own privileges, after Rhino
//! Security Labs' catalogue of IAM privilege escalation methods (as parliament checks them):
//!
//! * one action suffices: rewriting or attaching policies (`iam:CreatePolicyVersion`,
//!   `iam:SetDefaultPolicyVersion`, `iam:AttachRolePolicy`, `iam:PutRolePolicy` and their user
//!   and group forms), `iam:AddUserToGroup`, `iam:UpdateAssumeRolePolicy`, credentials for
//!   other users (`iam:CreateAccessKey`, `iam:CreateLoginProfile`, `iam:UpdateLoginProfile`),
//!   or code that runs as another role (`lambda:UpdateFunctionCode`, `glue:UpdateDevEndpoint`);
//!   reported on the statement that grants it when its resources can match the holder's own
//!   role (`*`, `role/*`, the holder's ARN, `NotResource`); for a policy no role of the design
//!   holds, when any resource is a wildcard. A role that may rewrite other roles only (the
//!   executor's derived policy, a vendor role scoped to `role/vendor/*`) is not flagged;
//! * `iam:PassRole` together with a way to run something as the passed role
//!   (`ec2:RunInstances`, `ec2:AssociateIamInstanceProfile`, `lambda:CreateFunction` with
//!   `lambda:InvokeFunction` or `lambda:CreateEventSourceMapping`, `glue:CreateDevEndpoint`,
//!   `cloudformation:CreateStack`, `datapipeline:CreatePipeline` with
//!   `datapipeline:PutPipelineDefinition`, `ecs:RegisterTaskDefinition` with `ecs:RunTask`);
//!   reported once per role (over its inline policies and the design's policies it attaches)
//!   or per policy no role of the design attaches, on the statement granting `iam:PassRole`;
//!   a warning when the roles it may pass are not named exactly, a note when they are.
//!
//! Wildcards count (`iam:*` grants `iam:PutRolePolicy`); `Deny` statements and AWS managed
//! policies, whose text is not known offline, are not considered.
//!
//! ## Why is this bad?
//! A role that can attach `AdministratorAccess` to itself, or launch an instance with a more
//! powerful role, holds those powers already: its policy understates what it can do.
//!
//! ## Example
//! ```json
//! {"Effect": "Allow", "Action": ["iam:PassRole", "ec2:RunInstances"], "Resource": "*"}
//! ```
//! Scope `iam:PassRole` to the roles meant for the instances it launches, and make sure those
//! roles hold no more than it does.

use super::context::{list, Context};
use crate::design::iam::walk::{actions, allows, role_permissions, Doc, DocKind};
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "IAM006",
    name: "privilege-escalation",
    severity: Severity::Warning,
    summary: "permissions that let their holder grant itself more (policy rewrites, PassRole with a way to run code)",
};

/// Actions that alone let a principal escalate.
const SINGLE: &[&str] = &[
    "iam:CreatePolicyVersion",
    "iam:SetDefaultPolicyVersion",
    "iam:AttachUserPolicy",
    "iam:AttachGroupPolicy",
    "iam:AttachRolePolicy",
    "iam:PutUserPolicy",
    "iam:PutGroupPolicy",
    "iam:PutRolePolicy",
    "iam:AddUserToGroup",
    "iam:UpdateAssumeRolePolicy",
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:UpdateLoginProfile",
    "lambda:UpdateFunctionCode",
    "glue:UpdateDevEndpoint",
];

/// What, besides `iam:PassRole`, runs something as the passed role.
const WITH_PASS_ROLE: &[&[&str]] = &[
    &["ec2:RunInstances"],
    &["ec2:AssociateIamInstanceProfile"],
    &["lambda:CreateFunction", "lambda:InvokeFunction"],
    &["lambda:CreateFunction", "lambda:CreateEventSourceMapping"],
    &["glue:CreateDevEndpoint"],
    &["cloudformation:CreateStack"],
    &[
        "datapipeline:CreatePipeline",
        "datapipeline:PutPipelineDefinition",
    ],
    &["ecs:RegisterTaskDefinition", "ecs:RunTask"],
];

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for doc in cx.docs.iter().filter(|d| d.kind == DocKind::Identity) {
        for (sp, s) in doc.statements() {
            let granted: Vec<String> = SINGLE
                .iter()
                .filter(|a| allows(s, a))
                .map(|a| a.to_string())
                .collect();
            if !granted.is_empty() && !reaches_itself(cx, doc, s) {
                continue;
            }
            let Some((path, _)) = actions(s, &sp).into_iter().next() else {
                continue;
            };
            if !granted.is_empty() {
                let path = match path.strip_suffix(']').and_then(|p| p.rsplit_once('[')) {
                    Some((element_of, _)) => element_of.to_owned(),
                    None => path,
                };
                out.push(Diagnostic::new(
                    INFO.code,
                    Severity::Warning,
                    path,
                    format!(
                        "{}: grants {}, with which its holder can give itself any permission (privilege escalation); scope the resources to what it manages, or drop them",
                        doc.what,
                        list(&granted, 5)
                    ),
                ));
            }
        }
    }
    let iam = &cx.design.iam;
    for (i, role) in iam.roles.iter().enumerate() {
        combos(
            cx,
            &role_permissions(iam, i),
            &format!("role {}", role.name),
            out,
        );
    }
    for (k, p) in iam.policies.iter().enumerate() {
        let attached = iam.roles.iter().any(|r| {
            r.managed_policies.iter().any(|m| {
                matches!(m, crate::design::iam::model::ManagedPolicyRef::Policy { policy } if policy == &p.name)
            })
        });
        if !attached {
            let path = format!("iam.policies[{k}].document");
            let doc: Vec<Doc> = cx.docs.iter().filter(|d| d.path == path).cloned().collect();
            combos(cx, &doc, &format!("policy {}", p.name), out);
        }
    }
}

/// Whether the statement's resources may include the role holding it: a resource matching
/// the holder's own ARN (wildcards included), or, when the holder is not a role of the design
/// (an unattached policy), any broad resource (see [`broad`]).
fn reaches_itself(cx: &Context, doc: &Doc, s: &crate::design::iam::document::Statement) -> bool {
    let Some(resources) = &s.resource else {
        return true;
    };
    let holders = holder_arns(cx, doc);
    if holders.is_empty() {
        return broad(cx, s);
    }
    resources.as_slice().iter().any(|v| {
        v.resolve(&|r| cx.stand_in.resolve(cx.design, r))
            .is_none_or(|pattern| holders.iter().any(|h| glob(&pattern, h)))
    })
}

/// The ARNs (with stand-in account) of the roles holding `doc`: the role it belongs to, or the
/// roles attaching the managed policy it is.
fn holder_arns(cx: &Context, doc: &Doc) -> Vec<String> {
    let index = |prefix: &str| {
        doc.path
            .strip_prefix(prefix)
            .and_then(|p| p.split_once(']'))
            .and_then(|(i, _)| i.parse::<usize>().ok())
    };
    let iam = &cx.design.iam;
    let roles: Vec<&str> = if let Some(i) = index("iam.roles[") {
        iam.roles
            .get(i)
            .map(|r| r.name.as_str())
            .into_iter()
            .collect()
    } else if let Some(k) = index("iam.policies[") {
        let Some(policy) = iam.policies.get(k) else {
            return Vec::new();
        };
        iam.roles
            .iter()
            .filter(|r| {
                r.managed_policies.iter().any(|m| {
                    matches!(m, crate::design::iam::model::ManagedPolicyRef::Policy { policy: p } if *p == policy.name)
                })
            })
            .map(|r| r.name.as_str())
            .collect()
    } else {
        Vec::new()
    };
    roles
        .into_iter()
        .filter_map(|role| {
            cx.stand_in.resolve(
                cx.design,
                &crate::design::iam::reference::Reference::RoleArn {
                    role: role.to_owned(),
                },
            )
        })
        .collect()
}

/// IAM's ARN matching: `*` matches any run of characters, `?` any one character.
fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// Whether the statement's resources are not named exactly: `*`, a wildcard in an ARN's
/// resource part, `NotResource`, or a value unknown offline.
fn broad(cx: &Context, s: &crate::design::iam::document::Statement) -> bool {
    let Some(resources) = &s.resource else {
        return true;
    };
    resources.as_slice().iter().any(|v| {
        v.resolve(&|r| cx.stand_in.resolve(cx.design, r))
            .is_none_or(|t| {
                t == "*"
                    || t.splitn(6, ':')
                        .nth(5)
                        .is_none_or(|name| name.contains(['*', '?']))
            })
    })
}

/// Reports `iam:PassRole` with a way to use the passed role, across `docs`.
/// A warning when the passable roles are not named exactly; a note when they are, since
/// scoping `iam:PassRole` is the remedy AWS recommends and the rest is the roles' content.
fn combos(cx: &Context, docs: &[Doc], holder: &str, out: &mut Vec<Diagnostic>) {
    let statements: Vec<(String, &crate::design::iam::document::Statement)> =
        docs.iter().flat_map(|d| d.statements()).collect();
    let grants = |a: &str| statements.iter().find(|(_, s)| allows(s, a));
    let Some((pass_path, _)) = grants("iam:PassRole") else {
        return;
    };
    let ways: Vec<String> = WITH_PASS_ROLE
        .iter()
        .filter(|combo| combo.iter().all(|a| grants(a).is_some()))
        .map(|combo| combo.join(" + "))
        .collect();
    if ways.is_empty() {
        return;
    }
    let scoped = statements
        .iter()
        .filter(|(_, s)| allows(s, "iam:PassRole"))
        .all(|(_, s)| !broad(cx, s));
    out.push(Diagnostic::new(
        INFO.code,
        if scoped { Severity::Info } else { Severity::Warning },
        pass_path.clone(),
        format!(
            "{holder} can pass roles with iam:PassRole and run something as them with {}: it holds the permissions of every role it may pass (privilege escalation); make sure those roles hold no more than {holder} does",
            list(&ways, 4)
        ),
    ));
}

#[cfg(test)]
mod tests {
    use crate::checks::iam::test_support::{findings, inline, stmt};

    #[test]
    fn triggers_on_policy_rewrites_and_pass_role_with_run_instances() {
        let d = findings(
            &inline(
                r#"[{"Effect": "Allow", "Action": ["iam:PutRolePolicy", "s3:GetObject"], "Resource": "*"},
                    {"Effect": "Allow", "Action": "iam:PassRole", "Resource": {"ref": "role_arn", "role": "app"}},
                    {"Effect": "Allow", "Action": "ec2:Run*", "Resource": "*"}]"#,
            ),
            "IAM006",
        );
        let paths: Vec<&str> = d.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(paths, [format!("{}.Action", stmt(0)), stmt(1)]);
        assert!(
            d[1].message.contains("role app can pass roles"),
            "{}",
            d[1].message
        );
        assert!(
            d[1].message.contains("ec2:RunInstances"),
            "{}",
            d[1].message
        );
    }

    #[test]
    fn quiet_on_pass_role_alone_and_on_denies() {
        let iam = inline(
            r#"[{"Effect": "Allow", "Action": "iam:PassRole", "Resource": {"ref": "role_arn", "role": "app"}},
                {"Effect": "Deny", "Action": "iam:*", "Resource": "*"},
                {"Effect": "Allow", "Action": ["ec2:Describe*", "iam:Get*"], "Resource": "*"}]"#,
        );
        assert_eq!(findings(&iam, "IAM006"), []);
    }

    #[test]
    fn exact_resources_other_than_the_holder_are_quiet() {
        let own = inline(
            r#"[{"Effect": "Allow", "Action": "iam:PutRolePolicy", "Resource": {"ref": "role_arn", "role": "app"}}]"#,
        );
        assert_eq!(
            findings(&own, "IAM006").len(),
            1,
            "a role rewriting itself escalates"
        );
        let scoped = inline(
            r#"[{"Effect": "Allow", "Action": "iam:PutRolePolicy", "Resource": "arn:aws:iam::123456789012:role/other"}]"#,
        );
        assert_eq!(findings(&scoped, "IAM006"), []);
        let wildcard = inline(
            r#"[{"Effect": "Allow", "Action": "iam:PutRolePolicy", "Resource": "arn:aws:iam::123456789012:role/*"}]"#,
        );
        assert_eq!(findings(&wildcard, "IAM006").len(), 1);
    }

    #[test]
    fn glob_matches_like_iam() {
        use super::glob;
        assert!(glob(
            "arn:aws:iam::*:role/*",
            "arn:aws:iam::123456789012:role/app"
        ));
        assert!(glob("*", "anything"));
        assert!(!glob(
            "arn:aws:iam::*:role/det/*",
            "arn:aws:iam::123456789012:role/app"
        ));
        assert!(glob(
            "arn:aws:iam::12345678901?:role/a*p",
            "arn:aws:iam::123456789012:role/app"
        ));
    }

    #[test]
    fn a_path_the_holder_is_not_under_is_quiet() {
        let other_path = inline(
            r#"[{"Effect": "Allow", "Action": "iam:AttachRolePolicy", "Resource": "arn:aws:iam::123456789012:role/clusters/*"}]"#,
        );
        assert_eq!(findings(&other_path, "IAM006"), []);
    }
}
