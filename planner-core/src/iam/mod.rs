//! IAM: policy documents typed to the IAM grammar, roles, managed policies and instance
//! profiles, typed references to apply-time values, and the `IAM…` checks.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The design's IAM resources.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Iam {}
