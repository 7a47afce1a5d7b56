//! The words the drawings share: a tier kind's name and CSS class, and large numbers.

use planner_core::{Design, TierKind};

/// The kind of the tier named `tier`, if the design has it.
pub(super) fn tier_kind(design: &Design, tier: &str) -> Option<TierKind> {
    design.tiers.iter().find(|t| t.name == tier).map(|t| t.kind)
}

/// The CSS class (and legend word) of a tier kind; `unknown` for a tier the design lacks.
pub(super) fn kind_name(kind: Option<TierKind>) -> &'static str {
    match kind {
        Some(TierKind::Public) => "public",
        Some(TierKind::Private) => "private",
        Some(TierKind::Isolated) => "isolated",
        None => "unknown",
    }
}

/// `65536` → `65,536`.
pub(super) fn thousands(n: u64) -> String {
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
