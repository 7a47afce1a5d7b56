//! ## What it does
//! Flags a resource ARN that names a region or an account where the ARNs of the resource
//! types it can be have none: S3 buckets and objects (`arn:aws:s3:::bucket`), IAM (`arn:aws:iam::111122223333:role/x`,
//! no region), Route 53 and the like, from the ARN formats of the catalogue.
//!
//! ## Why is this bad?
//! No resource has such an ARN, so the statement grants (or denies) nothing on it; the typo
//! (`arn:aws:s3:us-east-1::logs`) is accepted silently.
//!
//! ## Example
//! ```json
//! {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:us-east-1:111122223333:logs/*"}
//! ```
//! Write `arn:aws:s3:::logs/*`.

use super::context::{arn_has_shape, Context};
use crate::analysis::iam_details::details;
use crate::design::iam::walk::DocKind;
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "IAM019",
    name: "arn-region-or-account",
    severity: Severity::Warning,
    summary: "an ARN with a region or account where its service's ARNs have none",
};

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(d) = details() else { return };
    for doc in cx.docs.iter().filter(|d| d.kind == DocKind::Identity) {
        for (sp, s) in doc.statements() {
            let Some(resources) = &s.resource else {
                continue;
            };
            for (path, v) in resources.with_paths(&format!("{sp}.Resource")) {
                let Some(arn) = cx.render(v) else { continue };
                let parts: Vec<&str> = arn.splitn(6, ':').collect();
                let [_, _, service, region, account, _] = parts[..] else {
                    continue;
                };
                let Some(svc) = d.service(service) else {
                    continue;
                };
                // The formats this ARN's resource part can be, whatever its region and account.
                let loose = format!("arn:*:{service}:*:*:{}", parts[5]);
                let formats: Vec<Vec<&str>> = svc
                    .resource_types
                    .iter()
                    .flat_map(|t| &t.arns)
                    .filter(|f| arn_has_shape(f, &loose))
                    .map(|f| f.splitn(6, ':').collect())
                    .filter(|f: &Vec<&str>| f.len() == 6)
                    .collect();
                if formats.is_empty() {
                    continue;
                }
                let none = |i: usize| formats.iter().all(|f| f[i].is_empty());
                let mut extra = Vec::new();
                if none(3) && !region.is_empty() && region != "*" {
                    extra.push(format!("the region {region}"));
                }
                if none(4) && !account.is_empty() && account != "*" {
                    extra.push(format!("the account {account}"));
                }
                if extra.is_empty() {
                    continue;
                }
                out.push(Diagnostic::new(
                    INFO.code,
                    Severity::Warning,
                    path,
                    format!(
                        "{}: {arn} names {}, but {service} ARNs have none, so no resource has this ARN and the statement does nothing on it",
                        doc.what,
                        extra.join(" and ")
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::iam::test_support::{findings, inline, stmt};

    #[test]
    fn triggers_on_regions_and_accounts_that_cannot_be() {
        let d = findings(
            &inline(
                r#"[{"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:us-east-1:111122223333:logs/*", "arn:aws:s3:::logs/*"]},
                    {"Effect": "Allow", "Action": "iam:GetRole", "Resource": "arn:aws:iam:us-east-1:111122223333:role/x"}]"#,
            ),
            "IAM019",
        );
        let paths: Vec<&str> = d.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                format!("{}.Resource[0]", stmt(0)),
                format!("{}.Resource", stmt(1))
            ]
        );
        assert!(d[0]
            .message
            .contains("the region us-east-1 and the account 111122223333"));
    }

    #[test]
    fn quiet_on_well_formed_arns() {
        let iam = inline(
            r#"[{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::logs/*"},
                {"Effect": "Allow", "Action": "iam:GetRole", "Resource": ["arn:aws:iam::111122223333:role/x", {"ref": "role_arn", "role": "app"}]},
                {"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "arn:aws:ec2:us-east-1:111122223333:subnet/*"}]"#,
        );
        assert_eq!(findings(&iam, "IAM019"), []);
    }
}
