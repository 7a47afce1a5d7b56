//! ## What it does
//! Warns when a role's trust policy lets an AWS service assume it without an `aws:SourceArn`,
//! `aws:SourceAccount`, `aws:SourceOrgID` or `aws:SourceOrgPaths` condition. Services that
//! assume a role to run the account's own code are exempt (EC2, Lambda and Lambda@Edge, ECS
//! tasks, EKS and its Fargate pods): they act for the compute that carries the role.
//!
//! ## Why is this bad?
//! A service that acts on behalf of resources (a flow log, a topic, a trail) can be asked by
//! another customer to use your role for their resource: the cross-service confused deputy.
//! A condition naming your account (or the resource) lets the service use the role only for
//! your own resources, as AWS recommends for every such trust.
//!
//! ## Example
//! ```json
//! {"Effect": "Allow", "Principal": {"Service": "vpc-flow-logs.amazonaws.com"}, "Action": "sts:AssumeRole"}
//! ```
//! Add `"Condition": {"StringEquals": {"aws:SourceAccount": {"ref": "account_id"}}}`.

use super::context::Context;
use crate::design::iam::document::{Effect, Principal, Statement};
use crate::design::iam::walk::DocKind;
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "IAM017",
    name: "service-trust-without-source",
    severity: Severity::Warning,
    summary: "a role trusts an AWS service without aws:SourceArn or aws:SourceAccount (cross-service confused deputy)",
};

/// Services that assume a role for the account's own compute.
const RUNS_YOUR_CODE: [&str; 6] = [
    "ec2.amazonaws.com",
    "lambda.amazonaws.com",
    "edgelambda.amazonaws.com",
    "ecs-tasks.amazonaws.com",
    "eks.amazonaws.com",
    "eks-fargate-pods.amazonaws.com",
];

fn limited(s: &Statement) -> bool {
    let keys = [
        "aws:SourceArn",
        "aws:SourceAccount",
        "aws:SourceOrgID",
        "aws:SourceOrgPaths",
    ];
    s.condition
        .iter()
        .flatten()
        .flat_map(|(_, k)| k.keys())
        .any(|k| keys.iter().any(|want| k.eq_ignore_ascii_case(want)))
}

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for doc in cx.docs.iter().filter(|d| d.kind == DocKind::Trust) {
        for (sp, s) in doc.statements() {
            if s.effect != Effect::Allow || limited(s) {
                continue;
            }
            let Some(Principal::Map(m)) = &s.principal else {
                continue;
            };
            for (path, service) in m
                .service
                .iter()
                .flat_map(|v| v.with_paths(&format!("{sp}.Principal.Service")))
            {
                if RUNS_YOUR_CODE
                    .iter()
                    .any(|r| r.eq_ignore_ascii_case(service))
                {
                    continue;
                }
                out.push(Diagnostic::new(
                    INFO.code,
                    Severity::Warning,
                    path,
                    format!(
                        "{} lets {service} assume the role for any account's resources (cross-service confused deputy); add \"Condition\": {{\"StringEquals\": {{\"aws:SourceAccount\": {{\"ref\": \"account_id\"}}}}}} or an aws:SourceArn naming the resource",
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

    #[test]
    fn triggers_on_a_service_acting_for_resources() {
        let iam = format!(
            r#"{{"roles": [{}]}}"#,
            role_json(
                "fl",
                r#"{"Service": ["ec2.amazonaws.com", "vpc-flow-logs.amazonaws.com"]}"#,
                ""
            )
        );
        let d = findings(&iam, "IAM017");
        let paths: Vec<&str> = d.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(
            paths,
            ["iam.roles[0].trust_policy.Statement[0].Principal.Service[1]"]
        );
    }

    #[test]
    fn quiet_with_a_source_condition_or_for_compute() {
        let limited = r#"{"name": "fl", "trust_policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"Service": "vpc-flow-logs.amazonaws.com"}, "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:SourceAccount": {"ref": "account_id"}}}}]}}"#;
        let iam = format!(
            r#"{{"roles": [{limited}, {}]}}"#,
            role_json("app", r#"{"Service": "ec2.amazonaws.com"}"#, "")
        );
        assert_eq!(findings(&iam, "IAM017"), []);
    }
}
