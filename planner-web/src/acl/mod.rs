//! Network ACLs: the editor of the design's `network_acls`, each with the tiers whose subnets
//! use it and its numbered inbound and outbound rules.
//!
//! The editor writes the design's JSON like every other field (`network_acls[0].ingress[1]
//! .rule_number`), in the shapes of `planner_core::design::acl`; the core judges the values,
//! and its message shows at the field. Rules are shown in evaluation order (by number) while
//! the design keeps them in the order they were added; a number being typed keeps its row in
//! place until the field is left (`rules`).
//!
//! Code map: [`json`] (the JSON written and read, pure); [`panel`] (the tab), [`acl_card`],
//! [`tiers`], [`rules`], [`rule_row`], [`rule_number`] and [`block_field`] (one component
//! each).

pub mod acl_card;
pub mod block_field;
pub mod json;
pub mod panel;
pub mod rule_number;
pub mod rule_row;
pub mod rules;
pub mod tiers;

pub use panel::AclPanel;
