//! planner-core: an AWS network design in, a plan and its findings out.
//!
//! **Architecture invariant: this crate does no I/O, reads no clock and draws no random
//! numbers.** Everything from outside (the previous plan, prices, the account) is an argument,
//! so the same design always gives the byte-identical plan, natively and in the browser.
//! `clippy.toml` enforces it.
//!
//! The flow is [`parse_design`] → [`plan()`] (allocation in [`alloc`], network resources in
//! [`routing`], security groups in [`sg`], IAM in [`iam`], findings in [`checks`]) →
//! [`Plan::to_json`]. Around a plan: reachability in [`sg::graph`] and [`sg::reach`], the NAT
//! cost in [`cost`], the executor's own least-privilege policy in [`executor_policy`].

#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod alloc;
pub mod checks;
pub mod cidr;
pub mod compute;
pub mod cost;
pub mod design;
pub mod diag;
pub mod executor_policy;
pub mod iam;
mod order;
pub mod parse;
pub mod plan;
pub mod presets;
pub mod resource;
pub mod routing;
pub mod sg;

pub use alloc::Allocation;
pub use cidr::Cidr;
pub use design::{AvailabilityZones, Design, NatStrategy, SubnetSize, Tier, TierKind, Vpc};
pub use diag::{Diagnostic, Severity};
pub use parse::{parse_design, parse_input, parse_plan, Input, InputError};
pub use plan::{
    design_schema, plan, plan_schema, validate, Plan, PlanError, Planned, SCHEMA_VERSION,
};
pub use resource::{Resource, ResourceKind, ResourceType};
