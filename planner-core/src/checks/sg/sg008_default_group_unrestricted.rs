//! ## What it does
//! Notes a VPC whose default security group keeps AWS's rules: every member may reach every
//! other on any port, and all outbound traffic is allowed.
//!
//! ## Why is this bad?
//! Anything launched without a group of its own (an interface, an endpoint, an instance
//! started by hand) lands in the default group and gets those rules. CIS AWS Foundations
//! (5.4) asks for a default group with no rules, as the CDK's
//! `restrictDefaultSecurityGroup` does.
//!
//! ## Example
//! ```json
//! "vpc": {"cidr": "10.0.0.0/16"}
//! ```
//! Use `"vpc": {"cidr": "10.0.0.0/16", "restrict_default_security_group": true}`: the
//! executor removes every rule of the default group.

use super::context::Context;
use crate::diag::{CheckInfo, Diagnostic, Severity};

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "SG008",
    name: "default-group-unrestricted",
    severity: Severity::Info,
    summary: "the VPC's default security group keeps AWS's allow rules",
};

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(vpc) = &cx.plan.design.vpc else {
        return;
    };
    if !vpc.restrict_default_security_group {
        out.push(Diagnostic::new(
            INFO.code,
            Severity::Info,
            "vpc.restrict_default_security_group",
            "the VPC's default security group keeps AWS's rules (members reach each other, all egress): set restrict_default_security_group to true to remove them",
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{findings, BASE};

    #[test]
    fn the_default_group_keeps_its_rules() {
        let d = findings(BASE, "SG008");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].path, "vpc.restrict_default_security_group");
    }

    #[test]
    fn restricted() {
        let design = BASE.replace(
            r#""cidr": "10.0.0.0/16""#,
            r#""cidr": "10.0.0.0/16", "restrict_default_security_group": true"#,
        );
        assert_eq!(findings(&design, "SG008"), []);
    }

    #[test]
    fn no_vpc_no_finding() {
        let iam_only = r#"{"name": "demo", "region": "us-east-1"}"#;
        assert_eq!(findings(iam_only, "SG008"), []);
    }
}
