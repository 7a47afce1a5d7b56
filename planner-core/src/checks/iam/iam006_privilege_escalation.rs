//! ## What it does
//! Warns when a principal can raise its own privileges, by principal: every identity policy a
//! role holds (its inline policies and the design's managed policies it attaches) is
//! evaluated together, as IAM evaluates them (a `Deny` cancels an `Allow`; resources and
//! conditions count), against the catalogue of escalation paths in
//! `analysis::escalation`: rewriting or attaching policies, credentials for users, code that
//! runs as another role, `iam:PassRole` with a way to run something as the passed role (EC2,
//! Lambda, Glue, CloudFormation, Data Pipeline, ECS, SageMaker notebooks, processing and
//! training jobs, CodeBuild), commands or sessions on instances that carry a role (SSM, EC2
//! Instance Connect), a SageMaker notebook's URL, updating a stack that runs with a role.
//! A customer managed policy no role of the design attaches is judged alone. So a path split
//! over two policies of one role is found, and a grant nobody can use is not:
//! `iam:CreatePolicyVersion` on AWS managed policies only, an `Allow` a `Deny` of the same
//! principal cancels, `iam:PassRole` on roles named exactly or to another service. AWS
//! managed policies, whose text is not known offline, are not considered.
//!
//! ## Why is this bad?
//! A role that can attach `AdministratorAccess` to itself, or launch an instance with a more
//! powerful role, holds those powers already: its policy understates what it can do.
//!
//! ## Example
//! ```json
//! {"Effect": "Allow", "Action": ["iam:PassRole", "ec2:RunInstances"], "Resource": "*"}
//! ```
//! Scope `iam:PassRole` to the roles meant for the instances it launches (with an
//! `iam:PassedToService` condition), and make sure those roles hold no more than it does.

use serde_json::Value;

use super::context::{list, Context};
use crate::analysis::escalation::{paths, Path, Principal, Target};
use crate::design::iam::model::ManagedPolicyRef;
use crate::design::iam::reference::Reference;
use crate::design::iam::walk::{allows, role_permissions, Doc};
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "IAM006",
    name: "privilege-escalation",
    severity: Severity::Warning,
    summary:
        "a principal that can grant itself more: a known escalation path its policies open together",
};

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let iam = &cx.design.iam;
    let role_arn = |name: &str| {
        cx.stand_in.resolve(
            cx.design,
            &Reference::RoleArn {
                role: name.to_owned(),
            },
        )
    };
    for (i, role) in iam.roles.iter().enumerate() {
        let docs = role_permissions(iam, i);
        let holder = format!("role {}", role.name);
        let own = role_arn(&role.name);
        let found = judge(cx, &docs, &holder, own.clone(), None, out);
        // The roles of the design it may pass and use, named exactly: a note each.
        for other in iam.roles.iter().filter(|r| r.name != role.name) {
            let Some(arn) = role_arn(&other.name) else {
                continue;
            };
            let through: Vec<&Path> = evaluate(cx, &docs, own.clone(), Some(arn))
                .into_iter()
                .filter(|p| !found.iter().any(|f| f.name == p.name))
                .filter(|p| p.steps.iter().any(|s| matches!(s.target, Target::Role(_))))
                .collect();
            if let Some(first) = through.first() {
                let names: Vec<String> = through.iter().map(|p| p.name.to_owned()).collect();
                report(
                    out,
                    &docs,
                    first,
                    Severity::Info,
                    format!(
                        "{holder} can pass role {} and act as it ({}): it holds that role's permissions; make sure role {} holds no more than {holder} needs",
                        other.name,
                        list(&names, 3),
                        other.name
                    ),
                );
            }
        }
    }
    for (k, p) in iam.policies.iter().enumerate() {
        let attached = iam.roles.iter().any(|r| {
            r.managed_policies
                .iter()
                .any(|m| matches!(m, ManagedPolicyRef::Policy { policy } if policy == &p.name))
        });
        if !attached {
            let path = format!("iam.policies[{k}].document");
            let docs: Vec<Doc> = cx.docs.iter().filter(|d| d.path == path).cloned().collect();
            judge(cx, &docs, &format!("policy {}", p.name), None, None, out);
        }
    }
}

/// The paths `docs` open together for one principal (whose role is `arn`; a stand-in for a
/// policy no role holds), passing or acting on `other` (a stand-in for any role when `None`).
fn evaluate(
    cx: &Context,
    docs: &[Doc],
    arn: Option<String>,
    other: Option<String>,
) -> Vec<&'static Path> {
    let v = &cx.stand_in;
    let rendered: Vec<Value> = docs
        .iter()
        .filter_map(|d| d.doc.render(&|r| v.resolve(cx.design, r)).ok())
        .filter_map(|t| serde_json::from_str(&t).ok())
        .collect();
    let refs: Vec<&Value> = rendered.iter().collect();
    let who = Principal {
        role_arn: arn.unwrap_or_else(|| {
            format!(
                "arn:{}:iam::{}:role/policy-holder",
                v.partition, v.account_id
            )
        }),
        other_role: other,
        partition: v.partition.clone(),
        region: v.region.clone(),
        account: v.account_id.clone(),
    };
    paths(&refs, &who)
}

/// Reports the paths `docs` open for any role of the account, and returns them.
fn judge(
    cx: &Context,
    docs: &[Doc],
    holder: &str,
    arn: Option<String>,
    other: Option<String>,
    out: &mut Vec<Diagnostic>,
) -> Vec<&'static Path> {
    let found = evaluate(cx, docs, arn, other);
    if let Some(first) = found.first() {
        let named: Vec<String> = found
            .iter()
            .map(|p| {
                let mut actions: Vec<&str> = p.steps.iter().map(|s| s.action).collect();
                actions.dedup();
                format!("{} ({})", p.name, actions.join(" + "))
            })
            .collect();
        report(
            out,
            docs,
            first,
            Severity::Warning,
            format!(
                "{holder} can raise its own privileges: {}; {} — it holds every permission that gives it already (privilege escalation): scope the resources, name the roles it may pass, or drop the actions",
                list(&named, 4),
                first.why
            ),
        );
    }
    found
}

/// One finding, on the `Action` of the statement granting `path`'s first step.
fn report(
    out: &mut Vec<Diagnostic>,
    docs: &[Doc],
    path: &Path,
    severity: Severity,
    message: String,
) {
    let Some((at, s)) = docs
        .iter()
        .flat_map(|d| d.statements())
        .find(|(_, s)| allows(s, path.steps[0].action))
    else {
        return;
    };
    let at = if s.action.is_some() {
        format!("{at}.Action")
    } else {
        format!("{at}.NotAction")
    };
    out.push(Diagnostic::new(INFO.code, severity, at, message));
}

#[cfg(test)]
mod tests {
    use crate::checks::iam::test_support::{findings, inline, role_json, stmt};

    #[test]
    fn triggers_on_policy_rewrites_and_pass_role_with_run_instances() {
        let d = findings(
            &inline(
                r#"[{"Effect": "Allow", "Action": ["iam:PutRolePolicy", "s3:GetObject"], "Resource": "*"},
                    {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"},
                    {"Effect": "Allow", "Action": "ec2:Run*", "Resource": "*"}]"#,
            ),
            "IAM006",
        );
        assert_eq!(d.len(), 1, "one finding per principal: {d:?}");
        assert_eq!(d[0].path, format!("{}.Action", stmt(0)));
        for path in [
            "inline policy on itself",
            "PassRole to EC2 (iam:PassRole + ec2:RunInstances)",
        ] {
            assert!(d[0].message.contains(path), "{}", d[0].message);
        }
    }

    #[test]
    fn a_path_split_over_two_policies_of_one_role_is_found() {
        let role = role_json(
            "app",
            r#"{"Service": "ec2.amazonaws.com"}"#,
            r#""inline_policies": [
                {"name": "pass", "document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}]}}],
               "managed_policies": [{"policy": "build"}]"#,
        );
        let iam = format!(
            r#"{{"roles": [{role}], "policies": [{{"name": "build", "document": {{"Version": "2012-10-17",
                "Statement": [{{"Effect": "Allow", "Action": ["codebuild:CreateProject", "codebuild:StartBuild"], "Resource": "*"}}]}}}}]}}"#
        );
        let d = findings(&iam, "IAM006");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].message.contains("PassRole to CodeBuild"),
            "{}",
            d[0].message
        );
        assert_eq!(
            d[0].path,
            "iam.roles[0].inline_policies[0].document.Statement[0].Action"
        );
    }

    #[test]
    fn quiet_where_the_path_cannot_be_used() {
        let iam = inline(
            r#"[{"Effect": "Allow", "Action": "iam:PassRole", "Resource": {"ref": "role_arn", "role": "app"}},
                {"Effect": "Allow", "Action": ["ec2:RunInstances", "ssm:SendCommand"], "Resource": "*"},
                {"Effect": "Deny", "Action": "ssm:*", "Resource": "*"},
                {"Effect": "Allow", "Action": "iam:CreatePolicyVersion", "Resource": "arn:aws:iam::aws:policy/*"},
                {"Effect": "Allow", "Action": ["ec2:Describe*", "iam:Get*"], "Resource": "*"}]"#,
        );
        assert_eq!(findings(&iam, "IAM006"), []);
    }

    #[test]
    fn rewriting_other_roles_only_is_quiet_and_oneself_is_not() {
        let own = inline(
            r#"[{"Effect": "Allow", "Action": "iam:PutRolePolicy", "Resource": {"ref": "role_arn", "role": "app"}}]"#,
        );
        assert_eq!(
            findings(&own, "IAM006").len(),
            1,
            "a role rewriting itself escalates"
        );
        let scoped = inline(
            r#"[{"Effect": "Allow", "Action": "iam:PutRolePolicy", "Resource": "arn:aws:iam::123456789012:role/clusters/*"}]"#,
        );
        assert_eq!(findings(&scoped, "IAM006"), []);
        let wildcard = inline(
            r#"[{"Effect": "Allow", "Action": "iam:PutRolePolicy", "Resource": "arn:aws:iam::123456789012:role/*"}]"#,
        );
        assert_eq!(findings(&wildcard, "IAM006").len(), 1);
    }
}
