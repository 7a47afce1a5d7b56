//! ## What it does
//! Notes a VPC without flow logs.
//!
//! ## Why is this bad?
//! Flow logs are the only record of which connections a VPC accepted and rejected. Without
//! them a security group or network ACL that lets too much through, or one that breaks a
//! service, leaves no trace to investigate; CIS AWS Foundations (3.9) and AWS Security Hub
//! (EC2.6) ask for them on every VPC. They are billed per GB delivered, so recording only
//! rejected traffic is a cheap start.
//!
//! ## Example
//! ```json
//! {"vpc": {"cidr": "10.0.0.0/16"}}
//! ```
//! Add `"flow_logs": {"destination": "cloudwatch_logs", "traffic": "reject"}`.

use super::context::Context;
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "NET015",
    name: "no-flow-logs",
    severity: Severity::Info,
    summary: "the VPC has no flow logs",
};

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let design = &cx.plan.design;
    if design.vpc.is_none() || design.flow_logs.is_some() {
        return;
    }
    out.push(Diagnostic::new(
        INFO.code,
        Severity::Info,
        "flow_logs".to_owned(),
        "the VPC has no flow logs, so no accepted or rejected connection is recorded; add flow_logs (to cloudwatch_logs or s3; traffic reject is a cheap start)".to_owned(),
    ));
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{findings, BASE};

    #[test]
    fn triggers_without_flow_logs() {
        let d = findings(BASE, "NET015");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].path, "flow_logs");
    }

    #[test]
    fn quiet_with_flow_logs() {
        let with = BASE.replace(
            r#""nat": "gateway_per_az""#,
            r#""nat": "gateway_per_az", "flow_logs": {"destination": "cloudwatch_logs"}"#,
        );
        assert!(findings(&with, "NET015").is_empty());
    }
}
