//! ## What it does
//! Flags a VPC block that overlaps a range the design declares in use elsewhere (a peered VPC,
//! an on-premises network reached over VPN or Direct Connect).
//!
//! ## Why is this bad?
//! VPC peering refuses overlapping blocks, and routes to an overlapping on-premises range can
//! never be added: the VPC's local route always wins. Subnets are kept out of in-use ranges,
//! but the VPC block itself still collides.
//!
//! ## Example
//! ```json
//! {"vpc": {"cidr": "10.0.0.0/16"}, "cidrs_in_use": [{"cidr": "10.0.128.0/17", "description": "office"}]}
//! ```
//! Move the VPC to 10.1.0.0/16.

use super::context::{vpc_blocks, Context};
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "NET004",
    name: "in-use-overlap",
    severity: Severity::Error,
    summary: "a VPC block overlapping a range declared in use elsewhere",
};

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for (path, block) in vpc_blocks(cx.plan) {
        for (i, used) in cx.plan.design.cidrs_in_use.iter().enumerate() {
            if used.cidr.overlaps(block) {
                let whose = if used.description.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", used.description)
                };
                out.push(Diagnostic::new(
                    INFO.code,
                    Severity::Error,
                    format!("cidrs_in_use[{i}]"),
                    format!(
                        "{block} at {path} overlaps {}{whose}, which is in use elsewhere: peering and routes to it will fail",
                        used.cidr
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{findings, BASE};

    #[test]
    fn triggers_on_overlap() {
        let json = BASE.replace(
            r#""nat": "gateway_per_az""#,
            r#""nat": "gateway_per_az", "cidrs_in_use": [{"cidr": "10.0.128.0/17", "description": "office"}]"#,
        );
        let d = findings(&json, "NET004");
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("office"));
    }

    #[test]
    fn quiet_without_overlap() {
        let json = BASE.replace(
            r#""nat": "gateway_per_az""#,
            r#""nat": "gateway_per_az", "cidrs_in_use": [{"cidr": "10.1.0.0/16"}]"#,
        );
        assert!(findings(&json, "NET004").is_empty());
    }
}
