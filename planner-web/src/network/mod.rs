//! The network editor: [`panel`] (the tab), [`az_field`], [`tiers`], [`tier_row`],
//! [`size_field`], [`nat_instances`], [`secondary_cidrs`], [`cidrs_in_use`], [`endpoints`] and
//! [`flow_logs`], one component each.

pub mod az_field;
pub mod cidrs_in_use;
pub mod endpoints;
pub mod flow_logs;
pub mod nat_instances;
pub mod panel;
pub mod secondary_cidrs;
pub mod size_field;
pub mod tier_row;
pub mod tiers;

pub use panel::NetworkPanel;
