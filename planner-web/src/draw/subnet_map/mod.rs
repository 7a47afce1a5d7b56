//! The subnet map: the VPC's address space to scale, as laid out by [`layout`].
//!
//! Pointer and focus events are handled once, on the map's body, so a hover re-renders only
//! the detail line, never the blocks (`sections`).

mod block_text;
pub mod layout;
mod sections;

use std::rc::Rc;

use planner_core::alloc::Allocation;
use planner_core::Planned;
use yew::prelude::*;

use crate::draw::labels::{Acls, SubnetAcl};
use block_text::{describe, is_changed, is_pinned};
use sections::MapSections;

/// Properties of [`SubnetMap`].
#[derive(Properties, PartialEq, Clone)]
pub struct SubnetMapProps {
    /// The plan drawn.
    pub planned: Rc<Planned>,
    /// The baseline: where the plan the user loaded, imported or exported put the subnets;
    /// those still there are marked pinned, the others new or moved.
    #[prop_or_default]
    pub baseline: Option<Rc<Allocation>>,
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
            props.baseline.as_deref(),
            section,
            section.blocks.get(b)?,
        ))
    });
    let baseline = props.baseline.as_deref();
    let subnets = &plan.allocation.subnets;
    let acls = Acls::of(plan);
    let in_acl = subnets
        .iter()
        .any(|s| matches!(acls.of_subnet(plan, s), SubnetAcl::Named(_)));
    let deny_all = subnets
        .iter()
        .any(|s| acls.of_subnet(plan, s) == SubnetAcl::DenyAll);
    let pinned = subnets.iter().filter(|s| is_pinned(baseline, s)).count();
    let changed = subnets.iter().filter(|s| is_changed(baseline, s)).count();
    let summary = format!(
        "{} subnets, {} reserved blocks{}",
        subnets.len(),
        plan.allocation.reserved.len(),
        if baseline.is_some() {
            format!(", {pinned} pinned by the baseline plan, {changed} new or moved")
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
                if in_acl { { swatch("acl", "in a network ACL (named on the block)") } }
                if deny_all { { swatch("deny-all", "on the default ACL, which denies all traffic") } }
                if baseline.is_some() {
                    { swatch("pinned", "pinned where the baseline plan (loaded, imported or exported) has it") }
                    { swatch("changed", "new or moved since the baseline plan") }
                }
            </ul>
            if sections.is_empty() {
                <p class="empty">{ "This design has no VPC: nothing to map." }</p>
            } else {
                <div class="map-body" {onmouseover} {onfocusin} {onmouseleave} {onfocusout}>
                    <MapSections planned={props.planned.clone()} baseline={props.baseline.clone()} sections={sections.clone()} />
                </div>
                <p class="map-detail" aria-live="polite">
                    { shown.unwrap_or_else(|| "Hover over or focus a block to see its usable addresses.".to_owned()) }
                </p>
            }
        </section>
    }
}
