//! ## What it does
//! Warns when private subnets in several AZs share one NAT (`single_gateway` or
//! `single_instance`).
//!
//! ## Why is this bad?
//! The NAT lives in one AZ. If that AZ fails, every AZ loses IPv4 egress, which defeats the
//! point of spreading across AZs; cross-AZ traffic to the NAT is also billed. It is a fair
//! trade for development stacks, so this is a warning.
//!
//! ## Example
//! ```json
//! {"availability_zones": 3, "nat": "single_gateway"}
//! ```
//! Use `gateway_per_az` (or `instance_per_az`) for production.

use super::context::Context;
use crate::design::network::TierKind;
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};
use crate::resource::ResourceKind;

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "NET007",
    name: "single-nat",
    severity: Severity::Warning,
    summary: "one NAT serves several AZs: one AZ outage takes every AZ's egress down",
};

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let design = &cx.plan.design;
    if !design.nat.is_single() {
        return;
    }
    let private_azs = cx
        .azs
        .iter()
        .filter(|az| {
            design
                .tiers
                .iter()
                .any(|t| t.kind == TierKind::Private && design.tier_azs(t, cx.azs).contains(az))
        })
        .count();
    let nat_az = cx.plan.resources.iter().find_map(|r| match &r.kind {
        ResourceKind::NatGateway {
            availability_zone, ..
        }
        | ResourceKind::Instance {
            availability_zone, ..
        } => Some(availability_zone.as_str()),
        _ => None,
    });
    if let (true, Some(az)) = (private_azs > 1, nat_az) {
        out.push(Diagnostic::new(
            INFO.code,
            Severity::Warning,
            "nat",
            format!(
                "one NAT in {az} serves private subnets in {private_azs} AZs: an outage of {az} takes every AZ's IPv4 egress down; use {} for production",
                if design.nat.uses_instances() { "instance_per_az" } else { "gateway_per_az" }
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{findings, BASE};

    #[test]
    fn triggers_on_single_gateway() {
        let d = findings(&BASE.replace("gateway_per_az", "single_gateway"), "NET007");
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("us-east-1a"));
    }

    #[test]
    fn quiet_with_one_az_or_per_az() {
        assert!(findings(BASE, "NET007").is_empty());
        let one_az = BASE
            .replace("gateway_per_az", "single_gateway")
            .replace(r#""availability_zones": 3"#, r#""availability_zones": 1"#);
        assert!(findings(&one_az, "NET007").is_empty());
    }
}
