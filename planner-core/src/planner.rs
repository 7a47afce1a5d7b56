//! The pipeline: [`plan()`] checks a design, completes it ([`Effective`]), builds its
//! resources and runs the checks; [`validate()`] checks a plan read from disk against what its
//! design plans to.

use crate::alloc::Allocation;
use crate::checks;
use crate::design::network::Design;
use crate::diag::{Diagnostic, Severity};
use crate::effective::Effective;
use crate::error::PlanError;
use crate::plan::{Plan, Planned, SCHEMA_VERSION};

/// Plans `design`, keeping every subnet `previous` placed that still exists.
///
/// ```
/// let design = planner_core::parse_design(r#"{
///     "name": "demo", "region": "us-east-1", "vpc": {"cidr": "10.0.0.0/16"},
///     "availability_zones": 2, "nat": "gateway_per_az",
///     "tiers": [{"name": "web", "kind": "public", "size": {"prefix": 24}},
///               {"name": "app", "kind": "private", "size": {"hosts": 1000}}]
/// }"#).unwrap();
/// let planned = planner_core::plan(&design, None).unwrap();
/// let cidrs: Vec<String> = planned.plan.allocation.subnets.iter().map(|s| s.cidr.to_string()).collect();
/// assert_eq!(cidrs, ["10.0.8.0/24", "10.0.9.0/24", "10.0.0.0/22", "10.0.4.0/22"]);
/// ```
pub fn plan(design: &Design, previous: Option<&Allocation>) -> Result<Planned, PlanError> {
    design.check()?;
    let azs = design.az_names();
    let mut diagnostics = Vec::new();
    let effective = Effective::of(design);
    let (allocation, resources) = crate::build::plan(&effective, &azs, previous, &mut diagnostics)?;
    let plan = Plan {
        schema_version: SCHEMA_VERSION,
        design: design.clone(),
        allocation,
        resources,
    };
    checks::run(&plan, &effective, &azs, &mut diagnostics);
    diagnostics.sort_by(|a, b| {
        (a.severity, a.code, &a.path, &a.message).cmp(&(b.severity, b.code, &b.path, &b.message))
    });
    diagnostics.dedup();
    Ok(Planned { plan, diagnostics })
}

/// Checks a plan read from disk: its findings, plus `EXE001` when its allocation or resources
/// are not what its own design plans to (a hand edit, or a different planner version).
pub fn validate(plan: &Plan) -> Result<Vec<Diagnostic>, PlanError> {
    let mut planned = self::plan(&plan.design, Some(&plan.allocation))?;
    if planned.plan != *plan {
        let what = if planned.plan.allocation != plan.allocation {
            "allocation"
        } else {
            "resources"
        };
        planned.diagnostics.insert(
            0,
            Diagnostic::new(
                "EXE001",
                Severity::Error,
                "",
                format!(
                    "the plan's {what} differ from what its design plans to (edited by hand?): run `executor plan` on it again"
                ),
            ),
        );
    }
    Ok(planned.diagnostics)
}
