//! The network editor: [`panel`] (the tab), [`az_field`], [`tiers`], [`tier_row`],
//! [`size_field`], [`secondary_cidrs`] and [`cidrs_in_use`], one component each.

pub mod az_field;
pub mod cidrs_in_use;
pub mod panel;
pub mod secondary_cidrs;
pub mod size_field;
pub mod tier_row;
pub mod tiers;

pub use panel::NetworkPanel;
