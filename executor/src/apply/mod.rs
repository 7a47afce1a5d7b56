//! Applying a plan: discover what exists (one batched describe per resource type, filtered
//! by the plan's tag), compare, then create, repair and delete along the dependency graph
//! with a bounded number of calls in flight.
//!
//! **Invariant: a re-run of an applied plan makes zero mutating calls.** Every create tags the
//! resource in the same request (or, for IAM, creates it by its planned name), so a crash at any
//! point leaves nothing the next run cannot find.

pub mod compute;
pub mod engine;
pub mod iam;
pub mod model;
pub mod net;
pub mod ops;
pub mod sg;

pub use engine::Cx;
pub use model::{Change, Live, LiveRes};
