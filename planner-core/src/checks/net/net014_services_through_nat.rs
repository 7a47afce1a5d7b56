//! ## What it does
//! Notes each private tier that reaches S3 (or DynamoDB, when the design's traffic names it)
//! through NAT because no gateway endpoint for the service serves it, with what an endpoint
//! would save at the design's traffic figure (`traffic.services_gb_per_month`).
//!
//! ## Why is this bad?
//! A NAT gateway bills every GB it processes. Traffic from private subnets to S3 (container
//! image layers, artifacts, backups, logs) often dwarfs everything else, and users report NAT
//! bills of hundreds of dollars a month for exactly this. A gateway endpoint for S3 or
//! DynamoDB is free: it is a route in the tier's route table, and the traffic stops passing
//! through NAT.
//!
//! ## Example
//! ```json
//! {"nat": "gateway_per_az",
//!  "tiers": [{"name": "app", "kind": "private", "size": {"prefix": 20}}],
//!  "traffic": {"services_gb_per_month": {"s3": 2000}}}
//! ```
//! Add `{"service": "s3", "kind": "gateway", "tiers": ["app"]}` to `endpoints`.

use super::context::Context;
use crate::analysis::cost::prices;
use crate::design::endpoint::{EndpointKind, GATEWAY_SERVICES};
use crate::design::network::{NatStrategy, TierKind};
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "NET014",
    name: "services-through-nat",
    severity: Severity::Info,
    summary: "a private tier reaches S3 or DynamoDB through NAT with no gateway endpoint",
};

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let design = &cx.plan.design;
    if design.vpc.is_none() || design.nat == NatStrategy::None {
        return;
    }
    for service in GATEWAY_SERVICES {
        let gb = design.traffic.to_service(service);
        if service != "s3" && gb == 0 {
            continue;
        }
        let uncovered: Vec<&str> = design
            .tiers
            .iter()
            .filter(|t| t.kind == TierKind::Private)
            .filter(|t| {
                !design.endpoints.iter().any(|e| {
                    e.service == service
                        && e.kind == EndpointKind::Gateway
                        && e.tiers.contains(&t.name)
                })
            })
            .map(|t| t.name.as_str())
            .collect();
        if uncovered.is_empty() {
            continue;
        }
        let saving = match prices(&design.region) {
            Some(p) if !design.nat.uses_instances() && gb > 0 => format!(
                "; at {gb} GB a month it would save about {:.2} USD a month in NAT data processing",
                f64::from(gb) * p.nat_gateway_gb
            ),
            Some(p) if !design.nat.uses_instances() => format!(
                "; every GB it carries would save {:.3} USD of NAT data processing (set traffic.services_gb_per_month.{service} for a monthly figure)",
                p.nat_gateway_gb
            ),
            _ => String::new(),
        };
        let plural = uncovered.len() > 1;
        out.push(Diagnostic::new(
            INFO.code,
            Severity::Info,
            "endpoints".to_owned(),
            format!(
                "tier{} {} reach{} {service} through NAT: a gateway endpoint for {service} is free and keeps that traffic off NAT{saving}",
                if plural { "s" } else { "" },
                uncovered.join(", "),
                if plural { "" } else { "es" },
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{findings, BASE};

    fn with(extra: &str) -> String {
        BASE.replace(
            r#""nat": "gateway_per_az""#,
            &format!(r#""nat": "gateway_per_az"{extra}"#),
        )
    }

    #[test]
    fn triggers_for_s3_with_the_saving_at_the_traffic_figure() {
        let d = findings(
            &with(r#", "traffic": {"services_gb_per_month": {"s3": 2000}}"#),
            "NET014",
        );
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].path, "endpoints");
        assert!(
            d[0].message.contains("tier app reaches s3"),
            "{}",
            d[0].message
        );
        // 2,000 GB × 0.045 USD
        assert!(
            d[0].message.contains("about 90.00 USD a month"),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn dynamodb_only_when_the_traffic_names_it() {
        let d = findings(
            &with(r#", "traffic": {"services_gb_per_month": {"dynamodb": 10}}"#),
            "NET014",
        );
        assert_eq!(d.len(), 2, "{d:?}");
    }

    #[test]
    fn quiet_with_a_gateway_endpoint_or_without_nat() {
        let covered =
            with(r#", "endpoints": [{"service": "s3", "kind": "gateway", "tiers": ["app"]}]"#);
        assert!(findings(&covered, "NET014").is_empty());
        let no_nat = BASE.replace(r#""nat": "gateway_per_az""#, r#""nat": "none""#);
        assert!(findings(&no_nat, "NET014").is_empty());
    }
}
