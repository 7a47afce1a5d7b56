//! The words the drawings share: a tier kind's name and CSS class, large numbers, which
//! network ACL a subnet uses, and how wide a label is drawn.

use std::borrow::Cow;
use std::collections::BTreeMap;

use planner_core::alloc::SubnetAllocation;
use planner_core::design::DefaultNetworkAcl;
use planner_core::{Design, Plan, ResourceKind, TierKind};

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

/// Which network ACL a subnet uses, as the drawings mark it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum SubnetAcl {
    /// One of the design's ACLs, by name.
    Named(String),
    /// The VPC's default ACL, which the design sets to deny everything.
    DenyAll,
    /// The VPC's default ACL, allowing everything (as AWS makes it, or as the design sets it).
    Default,
}

impl SubnetAcl {
    /// The words on the subnet: `ACL edge`, `default: deny all`; none for the default.
    pub(super) fn badge(&self) -> Option<String> {
        match self {
            SubnetAcl::Named(name) => Some(format!("ACL {name}")),
            SubnetAcl::DenyAll => Some("default: deny all".to_owned()),
            SubnetAcl::Default => None,
        }
    }
}

/// The network ACL of every subnet of a plan, read from its associations.
pub(super) struct Acls {
    /// ACL name by subnet id.
    by_subnet: BTreeMap<String, String>,
    /// Whether the design sets the default ACL to deny everything.
    deny_all: bool,
}

impl Acls {
    /// The ACLs of `plan`'s subnets.
    pub(super) fn of(plan: &Plan) -> Acls {
        let by_subnet = plan
            .resources
            .iter()
            .filter_map(|r| match &r.kind {
                ResourceKind::NetworkAclAssociation {
                    network_acl,
                    subnet,
                } => Some((
                    subnet.clone(),
                    planner_core::ids::key(network_acl).to_owned(),
                )),
                _ => None,
            })
            .collect();
        let deny_all = plan.design.vpc.as_ref().and_then(|v| v.default_network_acl)
            == Some(DefaultNetworkAcl::DenyAll);
        Acls {
            by_subnet,
            deny_all,
        }
    }

    /// The ACL the subnet `s` of `plan` uses.
    pub(super) fn of_subnet(&self, plan: &Plan, s: &SubnetAllocation) -> SubnetAcl {
        let id = planner_core::ids::subnet_id(&plan.design.region, &s.tier, &s.availability_zone);
        match self.by_subnet.get(&id) {
            Some(name) => SubnetAcl::Named(name.clone()),
            None if self.deny_all => SubnetAcl::DenyAll,
            None => SubnetAcl::Default,
        }
    }
}

/// The advance of `c` in DejaVu Sans (the widest of the sans-serif faces the page falls back
/// to), in ems: a label measured with it fits in any of them.
fn advance(c: char) -> f64 {
    match c {
        'i' | 'j' | 'l' | '\'' | '|' | '!' => 0.28,
        '.' | ',' | ':' | ';' | ' ' | '·' => 0.32,
        'f' | 't' | '/' | '-' | '(' | ')' | '[' | ']' => 0.39,
        'r' => 0.41,
        's' | 'z' | 'c' | '"' => 0.55,
        '_' | '*' => 0.5,
        'm' => 0.98,
        'w' => 0.82,
        'M' | 'W' | '@' | '%' => 1.0,
        '→' | '…' => 0.84,
        c if c.is_ascii_digit() => 0.64,
        c if c.is_ascii_uppercase() => 0.72,
        c if c.is_ascii_lowercase() => 0.63,
        _ => 0.7,
    }
}

/// How wide `text` is drawn at `size` pixels, bold when `bold` (which DejaVu Sans draws about
/// a tenth wider).
pub(super) fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    let ems: f64 = text.chars().map(advance).sum();
    ems * size * if bold { 1.1 } else { 1.0 }
}

/// `text` as drawn in `width` pixels at `size`: whole when it fits, else cut with `…`.
pub(super) fn fit_width(text: &str, size: f64, bold: bool, width: f64) -> Cow<'_, str> {
    if text_width(text, size, bold) <= width {
        return Cow::Borrowed(text);
    }
    let room = width - text_width("…", size, bold);
    let mut used = 0.0;
    let mut out: String = text
        .chars()
        .take_while(|&c| {
            used += text_width(c.encode_utf8(&mut [0; 4]), size, bold);
            used <= room
        })
        .collect();
    out.push('…');
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::{fit_width, text_width};

    #[test]
    fn text_is_cut_only_when_it_does_not_fit() {
        let name = "titusmaster-mainvpc";
        let w = text_width(name, 13.0, true);
        assert_eq!(fit_width(name, 13.0, true, w), name);
        let cut = fit_width(name, 13.0, true, w - 1.0);
        assert!(
            cut.ends_with('…') && text_width(&cut, 13.0, true) <= w - 1.0,
            "{cut}"
        );
    }

    #[test]
    fn widths_grow_with_the_text_its_size_and_weight() {
        let w = text_width("titusmaster-mainvpc", 13.0, false);
        assert!((110.0..140.0).contains(&w), "{w}");
        assert!(text_width("titusmaster-mainvpc", 13.0, true) > w);
        assert!(text_width("titusmaster-mainvpc", 11.0, false) < w);
        assert!(text_width("iiii", 11.0, false) < text_width("mmmm", 11.0, false));
        assert_eq!(text_width("", 11.0, false), 0.0);
    }
}
