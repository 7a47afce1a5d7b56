//! IAM as the design writes it: policy documents typed to the IAM grammar, roles, managed
//! policies and instance profiles, and typed references to apply-time values.
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
//! `iam_policy`, `iam_role` and `iam_instance_profile` resources (`build::iam`).

pub mod document;
pub mod model;
pub mod reference;
pub mod values;
pub(crate) mod walk;

pub use document::{
    Condition, ConditionValue, Effect, OneOrMany, PolicyDocument, Principal, PrincipalMap,
    Statement, Unresolved,
};
pub use model::{Iam, InlinePolicy, InstanceProfile, ManagedPolicy, ManagedPolicyRef, Role};
pub use reference::{Reference, Value};
pub use values::{partition_of, ApplyValues};
