//! ## What it does
//! Flags a VPC block or a subnet whose prefix length is outside /16–/28.
//!
//! ## Why is this bad?
//! AWS refuses both: `CreateVpc`, `AssociateVpcCidrBlock` and `CreateSubnet` accept /16 to /28
//! only. The plan would fail halfway through applying.
//!
//! ## Example
//! ```json
//! {"name": "db", "kind": "isolated", "size": {"prefix": 29}}
//! ```
//! Use `{"prefix": 28}` (11 usable addresses) or size by hosts.

use super::context::{vpc_blocks, Context};
use crate::cidr::{MAX_AWS_PREFIX, MIN_AWS_PREFIX};
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "NET001",
    name: "prefix-out-of-range",
    severity: Severity::Error,
    summary: "a VPC block or subnet prefix outside /16–/28, which AWS refuses",
};

fn in_range(p: u8) -> bool {
    (MIN_AWS_PREFIX..=MAX_AWS_PREFIX).contains(&p)
}

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for (path, block) in vpc_blocks(cx.plan) {
        if !in_range(block.prefix_len()) {
            out.push(Diagnostic::new(
                INFO.code,
                Severity::Error,
                path,
                format!(
                    "VPC block {block} is a /{}; AWS accepts /16 to /28",
                    block.prefix_len()
                ),
            ));
        }
    }
    for (i, tier) in cx.plan.design.tiers.iter().enumerate() {
        let p = tier.size.prefix_len();
        if !in_range(p) {
            out.push(Diagnostic::new(
                INFO.code,
                Severity::Error,
                format!("tiers[{i}].size"),
                format!(
                    "tier {} asks for /{p} subnets; AWS accepts /16 to /28",
                    tier.name
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{findings, BASE};

    #[test]
    fn triggers_on_a_tiny_subnet() {
        let d = findings(
            &BASE.replace(r#""prefix": 24"#, r#""prefix": 29"#),
            "NET001",
        );
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].path, "tiers[0].size");
    }

    #[test]
    fn triggers_on_a_huge_vpc() {
        let d = findings(&BASE.replace("10.0.0.0/16", "10.0.0.0/12"), "NET001");
        assert_eq!(d[0].path, "vpc.cidr");
    }

    #[test]
    fn quiet_on_valid_sizes() {
        assert!(findings(BASE, "NET001").is_empty());
    }
}
