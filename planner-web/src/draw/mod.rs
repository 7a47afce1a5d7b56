//! Drawings of a plan: the subnet map, the topology diagram and the security-group graph.
//!
//! Each drawing is a pure function of the plan wrapped by a thin component, so the geometry and
//! the SVG are tested natively and the components only turn them into DOM:
//! [`subnet_map`] ([`subnet_map::layout`] for the map's geometry), [`topology`]
//! ([`topology::topology_svg`] for the diagram) and [`sg_graph`] (nodes and arrows, where they
//! go, and the SVG). [`labels`] holds the words they share. No drawing imports another.

pub mod labels;
pub mod sg_graph;
pub mod subnet_map;
pub mod topology;
