//! plan.json: the design, its allocation record and its resources, in one versioned document;
//! [`Planned`], a plan with its findings; and the JSON Schemas of plan.json and of a design.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::alloc::Allocation;
use crate::design::network::Design;
use crate::diag::Diagnostic;
use crate::resource::Resource;

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
