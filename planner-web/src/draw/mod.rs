//! Drawings of a plan: the subnet map and the topology diagram.
//!
//! Each drawing is a pure function of the plan ([`layout::layout`] for the map's geometry,
//! [`topology_svg`] for the diagram) wrapped by a thin component, so the geometry and the SVG
//! are tested natively and the components only turn them into DOM.

pub mod layout;
mod scene;
mod subnet_map;
mod svg;
mod topology;

pub use subnet_map::{SubnetMap, SubnetMapProps};
pub use topology::{topology_svg, Topology, TopologyProps};

use planner_core::{Design, TierKind};

/// The kind of the tier named `tier`, if the design has it.
fn tier_kind(design: &Design, tier: &str) -> Option<TierKind> {
    design.tiers.iter().find(|t| t.name == tier).map(|t| t.kind)
}

/// The CSS class (and legend word) of a tier kind; `unknown` for a tier the design lacks.
fn kind_name(kind: Option<TierKind>) -> &'static str {
    match kind {
        Some(TierKind::Public) => "public",
        Some(TierKind::Private) => "private",
        Some(TierKind::Isolated) => "isolated",
        None => "unknown",
    }
}

/// `65536` → `65,536`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests;
