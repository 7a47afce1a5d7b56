//! What a block of the subnet map says: its one-line description (tooltip and detail line,
//! with the subnet's network ACL), its label, and whether a subnet is pinned where the baseline plan has it or new or moved
//! since that plan.

use planner_core::alloc::{Allocation, SubnetAllocation};
use planner_core::Plan;
use yew::prelude::*;

use super::layout::{Block, BlockKind, Section};
use crate::draw::labels::{kind_name, thousands, tier_kind, Acls, SubnetAcl};

/// Whether the baseline has this subnet (its tier, AZ and block): the planner kept it there.
pub(super) fn is_pinned(baseline: Option<&Allocation>, s: &SubnetAllocation) -> bool {
    baseline.is_some_and(|b| {
        b.subnets.iter().any(|o| {
            o.cidr == s.cidr && o.tier == s.tier && o.availability_zone == s.availability_zone
        })
    })
}

/// Whether a subnet is new or moved since the baseline: there is one, and it does not have it.
pub(super) fn is_changed(baseline: Option<&Allocation>, s: &SubnetAllocation) -> bool {
    baseline.is_some() && !is_pinned(baseline, s)
}

/// What a block is, in one line: shown as its tooltip and in the detail line.
pub(super) fn describe(
    plan: &Plan,
    baseline: Option<&Allocation>,
    section: &Section,
    block: &Block,
) -> String {
    let share = block.cidr.size() as f64 * 100.0 / section.cidr.size() as f64;
    match block.kind {
        BlockKind::Subnet(i) => {
            let s = &plan.allocation.subnets[i];
            let range = match (s.first_usable, s.last_usable) {
                (Some(first), Some(last)) => format!(", {first} – {last}"),
                _ => String::new(),
            };
            let v6 = s
                .ipv6_index
                .map_or(String::new(), |i| format!(" · IPv6 /64 #{i}"));
            let kind = kind_name(tier_kind(&plan.design, &s.tier));
            let tier = if s.tier == kind {
                s.tier.clone()
            } else {
                format!("{} ({kind})", s.tier)
            };
            let acl = match Acls::of(plan).of_subnet(plan, s) {
                SubnetAcl::Named(name) => format!(" · network ACL {name}"),
                SubnetAcl::DenyAll => " · default network ACL denies all traffic".to_owned(),
                SubnetAcl::Default => String::new(),
            };
            let changed = if is_changed(baseline, s) {
                " (new or moved since the baseline plan)"
            } else if is_pinned(baseline, s) {
                " (pinned: where the baseline plan has it)"
            } else {
                ""
            };
            format!(
                "{tier} · {} · {}{v6}: {} usable addresses{range}{acl}{changed}",
                s.availability_zone,
                s.cidr,
                thousands(s.usable_addresses)
            )
        }
        BlockKind::Reserved(i) => format!(
            "{} reserved for tier {} to grow into: {} addresses",
            block.cidr,
            plan.allocation.reserved[i].tier,
            thousands(block.cidr.size())
        ),
        BlockKind::InUse(i) => {
            let what = &plan.design.cidrs_in_use[i].description;
            let what = if what.is_empty() { "elsewhere" } else { what };
            format!(
                "{} in use ({what}): not for subnets, {} addresses",
                block.cidr,
                thousands(block.cidr.size())
            )
        }
        BlockKind::Free => format!(
            "{} free: {} addresses, {share:.1}% of {}{}",
            block.cidr,
            thousands(block.cidr.size()),
            section.cidr,
            if block.is_compressed() {
                " (drawn shorter than to scale)"
            } else {
                ""
            }
        ),
    }
}

/// The text drawn inside a block, as much as its share of the row leaves room for.
pub(super) fn label(plan: &Plan, block: &Block, row_size: u64) -> Html {
    let wide = block.width(row_size) * block.rows as f64;
    let az = |s: &SubnetAllocation| {
        planner_core::ids::az_suffix(&plan.design.region, &s.availability_zone).to_owned()
    };
    match block.kind {
        BlockKind::Subnet(i) if wide >= 0.2 => {
            let s = &plan.allocation.subnets[i];
            let badge = Acls::of(plan).of_subnet(plan, s).badge();
            html! {
                <span class="label"><b>{ format!("{} {}", s.tier, az(s)) }</b>{ " " }<code>{ s.cidr.to_string() }</code>
                    if let Some(badge) = badge { { " " }<span class="acl-tag">{ badge }</span> }</span>
            }
        }
        BlockKind::Subnet(i) if wide >= 0.06 => {
            let s = &plan.allocation.subnets[i];
            html! { <span class="label"><code>{ s.cidr.to_string() }</code></span> }
        }
        BlockKind::Subnet(i) if wide >= 1.0 / 40.0 => {
            html! { <span class="label">{ az(&plan.allocation.subnets[i]) }</span> }
        }
        BlockKind::Free | BlockKind::Reserved(_) | BlockKind::InUse(_) if wide >= 0.2 => {
            let word = match block.kind {
                BlockKind::Free => "free",
                BlockKind::Reserved(_) => "reserved",
                _ => "in use",
            };
            let size = match block.kind {
                BlockKind::Free if block.is_compressed() => format!(
                    " · {} addresses, not to scale",
                    thousands(block.cidr.size())
                ),
                BlockKind::Free if wide >= 0.5 => {
                    format!(" · {} addresses", thousands(block.cidr.size()))
                }
                _ => String::new(),
            };
            html! { <span class="label">{ word }{ " " }<code>{ block.cidr.to_string() }</code>{ size }</span> }
        }
        _ => Html::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draw::subnet_map::layout;
    use planner_core::Planned;

    fn planned(preset: &str) -> Planned {
        let design = planner_core::presets::build(preset, &[]).unwrap();
        planner_core::plan(&design, None).unwrap()
    }

    #[test]
    fn subnets_say_their_usable_range() {
        let p = planned("tinystacks");
        let sections = layout::layout(&p.plan);
        let s = &sections[0];
        let b = s
            .blocks
            .iter()
            .find(|b| b.cidr.to_string() == "10.0.48.0/22")
            .unwrap();
        assert_eq!(
            describe(&p.plan, None, s, b),
            "public · us-east-1a · 10.0.48.0/22: 1,019 usable addresses, 10.0.48.4 – 10.0.51.254"
        );
        let mut before = p.plan.allocation.clone();
        before.subnets.retain(|s| s.cidr != b.cidr);
        assert!(describe(&p.plan, Some(&before), s, b)
            .ends_with(" (new or moved since the baseline plan)"));
        let free = s.blocks.last().unwrap();
        assert_eq!(
            describe(&p.plan, None, s, free),
            "10.0.128.0/17 free: 32,768 addresses, 50.0% of 10.0.0.0/16 (drawn shorter than to scale)"
        );
    }

    #[test]
    fn subnets_say_their_network_acl() {
        let mut design = planner_core::presets::build("tinystacks", &[]).unwrap();
        let acl = r#"{"name": "edge", "tiers": ["public"]}"#;
        design.network_acls = vec![serde_json::from_str(acl).unwrap()];
        design.vpc.as_mut().unwrap().default_network_acl =
            Some(planner_core::design::DefaultNetworkAcl::DenyAll);
        let p = planner_core::plan(&design, None).unwrap();
        let sections = layout::layout(&p.plan);
        let said: Vec<String> = sections[0]
            .blocks
            .iter()
            .filter(|b| matches!(b.kind, BlockKind::Subnet(_)))
            .map(|b| describe(&p.plan, None, &sections[0], b))
            .collect();
        let public = said
            .iter()
            .filter(|d| d.starts_with("public "))
            .collect::<Vec<_>>();
        assert!(!public.is_empty());
        assert!(
            public.iter().all(|d| d.ends_with(" · network ACL edge")),
            "{public:?}"
        );
        let others = said.iter().filter(|d| !d.starts_with("public "));
        assert!(others
            .into_iter()
            .all(|d| d.ends_with(" · default network ACL denies all traffic")));
    }

    #[test]
    fn only_new_or_moved_subnets_are_changed() {
        let p = planned("tinystacks");
        let mut before = p.plan.allocation.clone();
        let s = before.subnets[0].clone();
        assert!(
            !is_changed(None, &s),
            "nothing is marked without a baseline"
        );
        assert!(!is_pinned(None, &s));
        assert!(!is_changed(Some(&before), &s));
        assert!(is_pinned(Some(&before), &s));
        before.subnets[0].cidr = "10.0.200.0/22".parse().unwrap();
        assert!(is_changed(Some(&before), &s), "moved");
        before.subnets.remove(0);
        assert!(is_changed(Some(&before), &s), "new");
    }
}
