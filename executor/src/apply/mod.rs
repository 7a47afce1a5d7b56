//! Applying a plan: discover what exists (one batched describe per resource type, filtered
//! by the plan's tag), compare, then create, repair and delete along the dependency graph
//! with a bounded number of calls in flight.
//!
//! **Invariant: a re-run of an applied plan makes zero mutating calls.** Every create tags the
//! resource in the same request (or, for IAM, creates it by its planned name), so a crash at any
//! point leaves nothing the next run cannot find.
//!
//! From the bottom up: `model` (live state, drift, errors), `context` (`Cx`), `shared` (what
//! several types share), `types` (one module per resource type), `discover` and `dispatch`
//! (the exhaustive match on the resource type), `engine` (the walk and the destroy order).

pub mod context;
pub mod discover;
pub mod dispatch;
pub mod engine;
pub mod model;
pub mod shared;
pub mod types;
