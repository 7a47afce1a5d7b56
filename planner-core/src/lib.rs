//! planner-core: an AWS network design in, a plan and its findings out.
//!
//! **Architecture invariant: this crate does no I/O, reads no clock and draws no random
//! numbers.** Everything from outside (the previous plan, prices, the account) is an argument,
//! so the same design always gives the byte-identical plan, natively and in the browser.
//! `clippy.toml` enforces it.
//!
//! **Architecture invariant: every import points down** the layers ARCHITECTURE.md lists:
//! primitives ([`cidr`], [`diag`], [`ids`]); the model as written ([`design`]); the plan's
//! types ([`resource`], [`alloc`], [`mod@plan`], [`error`]); the rules serde cannot express
//! ([`mod@validate`]) and the design as the planner completes it ([`effective`]); the builders
//! ([`build`]); what can be told about a plan ([`analysis`]); the findings ([`checks`]); the
//! pipeline ([`plan()`], [`validate()`]) and [`parse`]; and the vendor [`presets`].
//!
//! The flow is [`parse_design`] → [`plan()`] ([`Design::check`], [`effective::Effective`],
//! [`build`], [`checks`]) → [`Plan::to_json`]. Around a plan: reachability in
//! [`analysis::sg_graph`] and [`analysis::reach`], the NAT cost in [`analysis::cost`], the
//! executor's own least-privilege policy in [`analysis::executor_policy`].

#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod alloc;
pub mod analysis;
pub mod build;
pub mod checks;
pub mod cidr;
pub mod design;
pub mod diag;
pub mod effective;
pub mod error;
pub mod export;
pub mod ids;
pub mod import;
pub mod lint;
pub mod parse;
pub mod plan;
pub mod planner;
pub mod presets;
pub mod resource;
pub mod validate;

pub use alloc::Allocation;
pub use cidr::Cidr;
pub use design::{AvailabilityZones, Design, NatStrategy, SubnetSize, Tier, TierKind, Vpc};
pub use diag::{Diagnostic, Severity};
pub use error::{InputError, PlanError};
pub use parse::{parse_design, parse_input, parse_plan, Input};
pub use plan::{design_schema, plan_schema, Plan, Planned, SCHEMA_VERSION};
pub use planner::{plan, validate};
pub use resource::{Resource, ResourceKind, ResourceType};
