//! plan.json: the design, its allocation record and its resources, in one versioned document.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::alloc::{self, Allocation};
use crate::design::{Design, NatStrategy};
use crate::diag::{Diagnostic, Severity};
use crate::parse::InputError;
use crate::resource::Resource;
use crate::{checks, routing};

/// The plan.json format version this crate writes and reads.
pub const SCHEMA_VERSION: u32 = 1;

/// A plan: everything the executor needs, and everything the next plan needs to stay stable.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// Format version; this crate reads and writes [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The design the plan was made from.
    pub design: Design,
    /// Where every subnet and reserved block went; feed it back to keep them there.
    pub allocation: Allocation,
    /// What to create, in dependency-respecting order.
    pub resources: Vec<Resource>,
}

/// A plan with the findings about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Planned {
    /// The plan.
    pub plan: Plan,
    /// Findings, most severe first.
    pub diagnostics: Vec<Diagnostic>,
}

/// A design that cannot be planned.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// The design breaks a rule of its format.
    #[error("{0}")]
    Input(#[from] InputError),
    /// The subnets do not fit; the message says what would.
    #[error("{0}")]
    DoesNotFit(String),
    /// A NAT must sit in a public subnet of the AZ it serves.
    #[error("nat {nat} needs a public subnet in {availability_zone} to hold the NAT: add a public tier that spans it, or set nat to none")]
    NatWithoutPublicSubnet {
        /// The strategy asked for.
        nat: NatStrategy,
        /// The AZ without a public subnet.
        availability_zone: String,
    },
}

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
    let (allocation, mut resources) = match design.vpc {
        Some(_) => {
            let allocation = alloc::allocate(design, &azs, previous, &mut diagnostics)?;
            let resources = routing::resources(design, &azs, &allocation)?;
            (allocation, resources)
        }
        None => (Allocation::default(), Vec::new()),
    };
    crate::iam::resources(&crate::compute::with_nat_role(design), &mut resources);
    crate::compute::resources(design, &mut resources);
    let resources = crate::order::dependency_order(resources);
    let plan = Plan {
        schema_version: SCHEMA_VERSION,
        design: design.clone(),
        allocation,
        resources,
    };
    checks::run(&plan, &azs, &mut diagnostics);
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

impl Plan {
    /// The plan as pretty JSON with a trailing newline: the exact bytes of plan.json.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("a plan always serializes");
        s.push('\n');
        s
    }

    /// The resource with this id.
    pub fn resource(&self, id: &str) -> Option<&Resource> {
        self.resources.iter().find(|r| r.id == id)
    }
}

/// The JSON Schema of plan.json, generated from these types.
pub fn plan_schema() -> String {
    let schema = schemars::schema_for!(Plan);
    let mut s = serde_json::to_string_pretty(&schema).expect("a schema always serializes");
    s.push('\n');
    s
}

/// The JSON Schema of a design file.
pub fn design_schema() -> String {
    let schema = schemars::schema_for!(Design);
    let mut s = serde_json::to_string_pretty(&schema).expect("a schema always serializes");
    s.push('\n');
    s
}
