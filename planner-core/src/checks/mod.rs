//! Network findings. One file per check; each documents what it does, why it matters and an
//! example. Codes are stable: a retired code is never reused.
//!
//! `NET008` (a subnet moved) and `NET009` (IPv6 /64s exhausted) are raised by the allocator,
//! which is the only place that knows; `EXE001` (a plan edited by hand) by [`crate::validate`].

use crate::diag::{Diagnostic, Severity};
use crate::plan::Plan;

mod net001_prefix_range;
mod net002_public_range;
mod net003_restricted_range;
mod net004_in_use_overlap;
mod net005_quotas;
mod net006_private_without_nat;
mod net007_single_nat;

/// What a check is, for documentation and the editor's legend.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CheckInfo {
    /// Stable code.
    pub code: &'static str,
    /// Short kebab-case name.
    pub name: &'static str,
    /// The most severe finding it raises.
    pub severity: Severity,
    /// One line on what it finds.
    pub summary: &'static str,
}

/// Every code the planner can raise: the network's, then the security groups', then IAM's.
pub fn all() -> Vec<CheckInfo> {
    NET.iter()
        .chain(crate::sg::checks::ALL)
        .chain(crate::iam::checks::ALL)
        .copied()
        .collect()
}

/// The network codes.
const NET: &[CheckInfo] = &[
    net001_prefix_range::INFO,
    net002_public_range::INFO,
    net003_restricted_range::INFO,
    net004_in_use_overlap::INFO,
    net005_quotas::INFO,
    net006_private_without_nat::INFO,
    net007_single_nat::INFO,
    CheckInfo {
        code: "NET008",
        name: "subnet-moved",
        severity: Severity::Info,
        summary: "a subnet of the previous plan gets a new block (its size changed, or its block left the VPC)",
    },
    CheckInfo {
        code: "NET009",
        name: "ipv6-subnets-exhausted",
        severity: Severity::Error,
        summary: "more subnets than the 256 /64s of the VPC's IPv6 /56",
    },
    CheckInfo {
        code: "EXE001",
        name: "plan-edited",
        severity: Severity::Error,
        summary: "a plan's allocation or resources differ from what its design plans to",
    },
];

/// What every check reads.
pub(crate) struct Context<'a> {
    pub plan: &'a Plan,
    pub azs: &'a [String],
}

/// Runs every check in code order.
pub(crate) fn run(plan: &Plan, azs: &[String], out: &mut Vec<Diagnostic>) {
    let cx = Context { plan, azs };
    net001_prefix_range::check(&cx, out);
    net002_public_range::check(&cx, out);
    net003_restricted_range::check(&cx, out);
    net004_in_use_overlap::check(&cx, out);
    net005_quotas::check(&cx, out);
    net006_private_without_nat::check(&cx, out);
    net007_single_nat::check(&cx, out);
    crate::sg::checks::run(plan, out);
    crate::iam::checks::run(&plan.design, out);
}

/// The VPC's blocks with their design paths.
pub(crate) fn vpc_blocks(plan: &Plan) -> Vec<(String, crate::Cidr)> {
    let Some(vpc) = &plan.design.vpc else {
        return Vec::new();
    };
    std::iter::once(("vpc.cidr".to_owned(), vpc.cidr))
        .chain(
            vpc.secondary_cidrs
                .iter()
                .enumerate()
                .map(|(i, &c)| (format!("vpc.secondary_cidrs[{i}]"), c)),
        )
        .collect()
}

#[cfg(test)]
pub(crate) mod test_support {
    use crate::diag::Diagnostic;

    /// A small valid design as JSON, for checks to edit.
    pub const BASE: &str = r#"{
        "name": "demo", "region": "us-east-1",
        "vpc": {"cidr": "10.0.0.0/16"},
        "availability_zones": 3,
        "tiers": [{"name": "web", "kind": "public", "size": {"prefix": 24}},
                  {"name": "app", "kind": "private", "size": {"prefix": 20}}],
        "nat": "gateway_per_az"
    }"#;

    /// The diagnostics with `code` for the design `json`.
    pub fn findings(json: &str, code: &str) -> Vec<Diagnostic> {
        let design = crate::parse_design(json).expect("test design parses");
        let planned = crate::plan(&design, None).expect("test design plans");
        planned
            .diagnostics
            .into_iter()
            .filter(|d| d.code == code)
            .collect()
    }
}
