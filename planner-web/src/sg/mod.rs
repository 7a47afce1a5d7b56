//! Security groups: the editor of groups and rules, the graph of who reaches whom, the
//! reachability question and the exposure report.
//!
//! The editor writes the design's JSON like every other field (`security_groups[0].ingress[1]
//! .ports`), in the shapes of `planner_core::design::sg`; the core judges the values, and its message
//! shows at the field. The graph (drawn by [`crate::draw::sg_graph`]), the question and the
//! report read the core's graph of the last good plan, built once per plan by [`panel`].
//!
//! Code map: [`json`] (the JSON written, pure); [`groups`], [`group_card`],
//! [`attachments`], [`attachment_row`], [`default_egress`], [`rules`],
//! [`rule_row`] and [`peer`] (the editor, one component each, with the protocol, ports and
//! notes of [`crate::fields`]; [`props`] the properties they share); [`jump`] (the buttons above it);
//! [`reach`] (the question box) and [`exposure`] (the report).

pub mod attachment_row;
pub mod attachments;
pub mod default_egress;
pub mod exposure;
pub mod group_card;
pub mod groups;
pub mod json;
pub mod jump;
pub mod panel;
pub mod peer;
pub mod props;
pub mod reach;
pub mod rule_row;
pub mod rules;
#[cfg(test)]
mod tests;

pub use panel::SgPanel;
