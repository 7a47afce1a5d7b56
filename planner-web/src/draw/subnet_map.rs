//! The subnet map: the VPC's address space to scale, as laid out by [`super::layout`].
//!
//! Pointer and focus events are handled once, on the map's body, so a hover re-renders only
//! the detail line, never the blocks.

use std::rc::Rc;

use planner_core::alloc::{Allocation, SubnetAllocation};
use planner_core::{Plan, Planned};
use yew::prelude::*;

use super::layout::{self, Block, BlockKind, Section};
use super::{kind_name, thousands, tier_kind};

/// Drawn height of one row, in pixels.
const ROW_PX: u32 = 26;

/// Properties of [`SubnetMap`].
#[derive(Properties, PartialEq, Clone)]
pub struct SubnetMapProps {
    /// The plan drawn.
    pub planned: Rc<Planned>,
    /// The allocation before the last edit, to mark subnets that stayed put.
    #[prop_or_default]
    pub before: Option<Rc<Allocation>>,
}

/// Whether a subnet is new or moved since `before`: no subnet there had its tier, AZ and block.
fn is_changed(before: Option<&Allocation>, s: &SubnetAllocation) -> bool {
    before.is_some_and(|b| {
        !b.subnets.iter().any(|o| {
            o.cidr == s.cidr && o.tier == s.tier && o.availability_zone == s.availability_zone
        })
    })
}

/// What a block is, in one line: shown as its tooltip and in the detail line.
fn describe(plan: &Plan, before: Option<&Allocation>, section: &Section, block: &Block) -> String {
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
            let changed = if is_changed(before, s) {
                " (new or moved since the last edit)"
            } else {
                ""
            };
            format!(
                "{tier} · {} · {}{v6}: {} usable addresses{range}{changed}",
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
fn label(plan: &Plan, block: &Block, row_size: u64) -> Html {
    let wide = block.width(row_size) * block.rows as f64;
    let az = |s: &SubnetAllocation| {
        planner_core::routing::az_suffix(&plan.design.region, &s.availability_zone).to_owned()
    };
    match block.kind {
        BlockKind::Subnet(i) if wide >= 0.2 => {
            let s = &plan.allocation.subnets[i];
            html! { <span class="label"><b>{ format!("{} {}", s.tier, az(s)) }</b>{ " " }<code>{ s.cidr.to_string() }</code></span> }
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

/// Properties of [`MapSections`].
#[derive(Properties, PartialEq, Clone)]
struct MapSectionsProps {
    planned: Rc<Planned>,
    before: Option<Rc<Allocation>>,
    sections: Rc<Vec<Section>>,
}

/// The sections' blocks; re-rendered only when the plan changes.
#[function_component]
fn MapSections(props: &MapSectionsProps) -> Html {
    let plan = &props.planned.plan;
    let before = props.before.as_deref();
    let section = |(si, s): (usize, &Section)| {
        let used: u64 = s
            .blocks
            .iter()
            .filter(|b| matches!(b.kind, BlockKind::Subnet(_)))
            .map(|b| b.cidr.size())
            .sum();
        let marks = s.blocks.iter().filter(|b| b.col == 0).map(|b| {
            let style = format!("top:{}px", b.top * ROW_PX);
            html! { <span class="row-mark" aria-hidden="true" {style}>{ b.cidr.network().to_string() }</span> }
        });
        let blocks = s.blocks.iter().enumerate().map(|(bi, b)| {
            let style = format!(
                "left:{:.4}%;width:{:.4}%;top:{}px;height:{}px",
                b.left(s.row_size) * 100.0,
                b.width(s.row_size) * 100.0,
                b.top * ROW_PX,
                b.height * ROW_PX
            );
            let title = AttrValue::from(describe(plan, before, s, b));
            let key = format!("{si}.{bi}");
            let cidr = b.cidr.to_string();
            let body = label(plan, b, s.row_size);
            match b.kind {
                BlockKind::Subnet(i) => {
                    let sub = &plan.allocation.subnets[i];
                    let class = classes!(
                        "block",
                        "subnet",
                        kind_name(tier_kind(&plan.design, &sub.tier)),
                        is_changed(before, sub).then_some("changed")
                    );
                    html! {
                        <div {class} role="listitem" aria-label={title.clone()} tabindex="0" data-key={key} data-cidr={cidr} {style} {title}
                            data-tier={sub.tier.clone()} data-az={sub.availability_zone.clone()}>{ body }</div>
                    }
                }
                BlockKind::Reserved(i) => html! {
                    <div class="block reserved" role="listitem" aria-label={title.clone()} tabindex="0" data-key={key} data-cidr={cidr} {style} {title}
                        data-tier={plan.allocation.reserved[i].tier.clone()}>{ body }</div>
                },
                BlockKind::InUse(_) => html! {
                    <div class="block in-use" role="listitem" aria-label={title.clone()} tabindex="0" data-key={key} data-cidr={cidr} {style} {title}>{ body }</div>
                },
                BlockKind::Free => html! {
                    <div class={classes!("block", "free", b.is_compressed().then_some("compressed"))}
                        role="listitem" aria-label={title.clone()} tabindex="0" data-key={key} data-cidr={cidr} {style} {title}>{ body }</div>
                },
            }
        });
        html! {
            <figure class="map-section" data-cidr={s.cidr.to_string()}>
                <figcaption>
                    <code>{ s.cidr.to_string() }</code>
                    { format!(" {} · {} addresses · {:.0}% in subnets",
                        if s.primary { "primary" } else { "secondary" },
                        thousands(s.cidr.size()),
                        used as f64 * 100.0 / s.cidr.size() as f64) }
                </figcaption>
                <div class="map-rows" role="list" aria-label={format!("Blocks of {}", s.cidr)}
                    style={format!("height:{}px", s.height * ROW_PX)}>
                    { for marks }
                    { for blocks }
                </div>
            </figure>
        }
    };
    html! { <>{ for props.sections.iter().enumerate().map(section) }</> }
}

/// The key (`section.block`) of the map block an event happened in.
fn block_key(e: &Event) -> Option<(usize, usize)> {
    let target: web_sys::Element = e.target_dyn_into()?;
    let key = target
        .closest("[data-key]")
        .ok()??
        .get_attribute("data-key")?;
    let (s, b) = key.split_once('.')?;
    Some((s.parse().ok()?, b.parse().ok()?))
}

/// The VPC's address space to scale.
#[function_component]
pub fn SubnetMap(props: &SubnetMapProps) -> Html {
    let sections = use_memo(props.planned.clone(), |p| layout::layout(&p.plan));
    let detail = use_state(|| None::<(usize, usize)>);
    let show = use_callback(detail.clone(), |e: Event, detail| {
        if let Some(key) = block_key(&e) {
            detail.set(Some(key));
        }
    });
    let onmouseover = show.reform(Event::from);
    let onfocusin = show.reform(Event::from);
    let hide = use_callback(detail.clone(), |_: (), detail| detail.set(None));
    let onmouseleave = hide.reform(|_: MouseEvent| ());
    let onfocusout = hide.reform(|_: FocusEvent| ());

    let plan = &props.planned.plan;
    let shown = (*detail).and_then(|(s, b)| {
        let section = sections.get(s)?;
        Some(describe(
            plan,
            props.before.as_deref(),
            section,
            section.blocks.get(b)?,
        ))
    });
    let changed = plan
        .allocation
        .subnets
        .iter()
        .filter(|s| is_changed(props.before.as_deref(), s))
        .count();
    let summary = format!(
        "{} subnets, {} reserved blocks{}",
        plan.allocation.subnets.len(),
        plan.allocation.reserved.len(),
        if props.before.is_some() {
            format!(", {changed} new or moved")
        } else {
            String::new()
        }
    );
    // Swatch classes are prefixed so `.subnet-map .free` and the like select blocks only.
    let swatch = |kind: &'static str, text: &'static str| {
        let class = format!("swatch swatch-{kind}");
        html! { <li data-kind={kind}><span {class} aria-hidden="true"></span>{ text }</li> }
    };
    html! {
        <section class="subnet-map" aria-labelledby="subnet-map-title">
            <h2 id="subnet-map-title">{ "Subnet map" }<small class="count">{ summary }</small></h2>
            <ul class="map-legend" aria-label="Legend">
                { swatch("public", "public") }
                { swatch("private", "private") }
                { swatch("isolated", "isolated") }
                { swatch("reserved", "reserved") }
                if !plan.design.cidrs_in_use.is_empty() { { swatch("in-use", "in use elsewhere") } }
                { swatch("free", "free") }
                if props.before.is_some() { { swatch("changed", "new or moved since the last edit") } }
            </ul>
            if sections.is_empty() {
                <p class="empty">{ "This design has no VPC: nothing to map." }</p>
            } else {
                <div class="map-body" {onmouseover} {onfocusin} {onmouseleave} {onfocusout}>
                    <MapSections planned={props.planned.clone()} before={props.before.clone()} sections={sections.clone()} />
                </div>
                <p class="map-detail" aria-live="polite">
                    { shown.unwrap_or_else(|| "Hover over or focus a block to see its usable addresses.".to_owned()) }
                </p>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(
            describe(&p.plan, Some(&before), s, b).ends_with(" (new or moved since the last edit)")
        );
        let free = s.blocks.last().unwrap();
        assert_eq!(
            describe(&p.plan, None, s, free),
            "10.0.128.0/17 free: 32,768 addresses, 50.0% of 10.0.0.0/16 (drawn shorter than to scale)"
        );
    }

    #[test]
    fn only_new_or_moved_subnets_are_changed() {
        let p = planned("tinystacks");
        let mut before = p.plan.allocation.clone();
        let s = before.subnets[0].clone();
        assert!(!is_changed(None, &s), "nothing is marked on a first plan");
        assert!(!is_changed(Some(&before), &s));
        before.subnets[0].cidr = "10.0.200.0/22".parse().unwrap();
        assert!(is_changed(Some(&before), &s), "moved");
        before.subnets.remove(0);
        assert!(is_changed(Some(&before), &s), "new");
    }
}
