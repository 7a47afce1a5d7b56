//! Instances: bastion hosts, jump hosts, master nodes and any other EC2 instance the design
//! launches (`planner_core::design::instances::Instance`).
//!
//! The editor writes the design's JSON like every other field (`instances[0].tier`); the core
//! judges the values, and its message shows at the field. Tiers, zones, security groups and
//! instance profiles are chosen from the design's own.
//!
//! Code map: [`json`] (the JSON written and the names offered, pure); [`panel`] (the tab),
//! [`card`] (one instance), [`placement`] (its tier and zone) and [`access`] (its groups,
//! profile, key pair and public address), one component each; the image is
//! [`crate::fields::ami`]'s.

pub mod access;
pub mod card;
pub mod json;
pub mod panel;
pub mod placement;
#[cfg(test)]
mod tests;

pub use panel::InstancesPanel;
