//! IAM: policy documents typed to the IAM grammar, roles, managed policies and instance
//! profiles, typed references to apply-time values, and the `IAM…` checks.
//!
//! A design's `iam` section:
//!
//! ```json
//! {"roles": [{"name": "app", "trust_policy": {"Version": "2012-10-17", "Statement": [...]},
//!             "inline_policies": [{"name": "s3-read", "document": {...}}],
//!             "managed_policies": ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
//!                                  {"policy": "logs"}]}],
//!  "policies": [{"name": "logs", "document": {...}}],
//!  "instance_profiles": [{"name": "app", "role": "app"}]}
//! ```
//!
//! Documents name other resources and apply-time values through [`Reference`]s, which the
//! executor resolves ([`ApplyValues::resolve`], [`PolicyDocument::render`]). They become
//! `iam_policy`, `iam_role` and `iam_instance_profile` resources ([`resources`]).

pub mod catalogue;
pub mod checks;
pub mod document;
pub mod model;
pub mod reference;
pub mod resources;
pub(crate) mod validate;
pub(crate) mod walk;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use document::{
    Condition, ConditionValue, Effect, OneOrMany, PolicyDocument, Principal, PrincipalMap,
    Statement, Unresolved,
};
pub use model::{InlinePolicy, InstanceProfile, ManagedPolicy, ManagedPolicyRef, Role};
pub use reference::{partition_of, ApplyValues, Reference, Value};
pub use resources::{
    instance_profile_id, policy_id, role_id, InstanceProfileResource, PolicyAttachment,
    PolicyResource, RoleResource,
};

pub(crate) use resources::resources;
pub(crate) use validate::check;

/// The design's IAM resources.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Iam {
    /// Roles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<Role>,
    /// Customer managed policies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<ManagedPolicy>,
    /// Instance profiles, each holding one role.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub instance_profiles: Vec<InstanceProfile>,
}

impl Iam {
    /// The role named `name`.
    pub fn role(&self, name: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.name == name)
    }

    /// The customer managed policy named `name`.
    pub fn policy(&self, name: &str) -> Option<&ManagedPolicy> {
        self.policies.iter().find(|p| p.name == name)
    }
}
