//! ## What it does
//! Warns about a private tier when the design has no NAT: its subnets have no IPv4 route to
//! the internet, which makes them isolated in all but name.
//!
//! ## Why is this bad?
//! Software placed in a "private" subnet usually expects to reach package mirrors, AWS APIs
//! or a container registry. Without NAT (or VPC endpoints) those calls time out at run time.
//! If no egress is intended, say so with `"kind": "isolated"`.
//!
//! ## Example
//! ```json
//! {"tiers": [{"name": "app", "kind": "private", "size": {"prefix": 20}}], "nat": "none"}
//! ```
//! Choose a NAT strategy, or make the tier isolated.

use super::context::Context;
use crate::design::network::{NatStrategy, TierKind};
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "NET006",
    name: "private-without-nat",
    severity: Severity::Warning,
    summary: "a private tier with no NAT is isolated for IPv4",
};

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let design = &cx.plan.design;
    if design.nat != NatStrategy::None {
        return;
    }
    for (i, tier) in design.tiers.iter().enumerate() {
        if tier.kind == TierKind::Private {
            let v6 = if design.vpc.as_ref().is_some_and(|v| v.ipv6) {
                " (IPv6 still leaves through the egress-only gateway)"
            } else {
                ""
            };
            out.push(Diagnostic::new(
                INFO.code,
                Severity::Warning,
                format!("tiers[{i}].kind"),
                format!(
                    "tier {} is private but nat is none: its subnets have no IPv4 route to the internet, so they are isolated{v6}; choose a NAT strategy or make the tier isolated",
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
    fn triggers_without_nat() {
        let d = findings(&BASE.replace("gateway_per_az", "none"), "NET006");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].path, "tiers[1].kind");
    }

    #[test]
    fn quiet_with_nat() {
        assert!(findings(BASE, "NET006").is_empty());
    }
}
