//! ## What it does
//! Warns when the plan needs more than an account's default quota of Elastic IPs (5 per
//! region), NAT gateways (5 per AZ), subnets (200 per VPC) or route tables (200 per VPC).
//!
//! ## Why is this bad?
//! The apply fails on the first create past the quota, after everything before it was made.
//! Quotas can be raised through Service Quotas, but that takes a request and some waiting, so
//! it is better known before applying. Elastic IPs already held in the region count too.
//!
//! ## Example
//! Six AZs with `"nat": "gateway_per_az"` need six Elastic IPs: ask for a quota of at least 6,
//! or use `single_gateway`.

use std::collections::BTreeMap;

use super::context::Context;
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};
use crate::resource::ResourceKind;

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "NET005",
    name: "default-quota",
    severity: Severity::Warning,
    summary: "more Elastic IPs, NAT gateways, subnets or route tables than AWS's default quotas",
};

const EIPS_PER_REGION: usize = 5;
const NAT_GATEWAYS_PER_AZ: usize = 5;
const SUBNETS_PER_VPC: usize = 200;
const ROUTE_TABLES_PER_VPC: usize = 200;

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let mut count = BTreeMap::<&str, usize>::new();
    let mut nat_per_az = BTreeMap::<&str, usize>::new();
    for r in &cx.plan.resources {
        *count.entry(r.kind.type_name()).or_default() += 1;
        if let ResourceKind::NatGateway {
            availability_zone, ..
        } = &r.kind
        {
            *nat_per_az.entry(availability_zone).or_default() += 1;
        }
    }
    let mut over = |what: &str, n: usize, quota: usize, path: &str, scope: &str| {
        if n > quota {
            out.push(Diagnostic::new(
                INFO.code,
                Severity::Warning,
                path,
                format!("the plan needs {n} {what}; the default quota is {quota} {scope}: request an increase in Service Quotas before applying"),
            ));
        }
    };
    let n = |t: &str| count.get(t).copied().unwrap_or(0);
    over(
        "Elastic IPs",
        n("elastic_ip"),
        EIPS_PER_REGION,
        "nat",
        "per region",
    );
    for (az, k) in &nat_per_az {
        over(
            &format!("NAT gateways in {az}"),
            *k,
            NAT_GATEWAYS_PER_AZ,
            "nat",
            "per AZ",
        );
    }
    over("subnets", n("subnet"), SUBNETS_PER_VPC, "tiers", "per VPC");
    over(
        "route tables",
        n("route_table"),
        ROUTE_TABLES_PER_VPC,
        "tiers",
        "per VPC",
    );
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{findings, BASE};

    #[test]
    fn six_nat_gateways_need_six_eips() {
        let json = BASE.replace(r#""availability_zones": 3"#, r#""availability_zones": 6"#);
        let d = findings(&json, "NET005");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("6 Elastic IPs"), "{}", d[0].message);
    }

    #[test]
    fn many_subnets() {
        let tiers: Vec<String> = (0..34)
            .map(|i| format!(r#"{{"name": "t{i}", "kind": "isolated", "size": {{"prefix": 28}}}}"#))
            .collect();
        let json = BASE
            .replace(r#""availability_zones": 3"#, r#""availability_zones": 6"#)
            .replace(r#""nat": "gateway_per_az""#, r#""nat": "none""#);
        let json = json.replacen(
            r#"{"name": "web""#,
            &format!("{}, {{\"name\": \"web\"", tiers.join(", ")),
            1,
        );
        let d = findings(&json, "NET005");
        assert!(d.iter().any(|d| d.message.contains("216 subnets")), "{d:?}");
    }

    #[test]
    fn quiet_for_three_azs() {
        assert!(findings(BASE, "NET005").is_empty());
    }
}
