//! The subnet map's sections: each VPC block's rows of subnets, reserved blocks, ranges in
//! use elsewhere and free space, placed as [`super::layout`] says.

use std::rc::Rc;

use planner_core::alloc::Allocation;
use planner_core::Planned;
use yew::prelude::*;

use super::block_text::{describe, is_changed, is_pinned, label};
use super::layout::{BlockKind, Section};
use crate::draw::labels::{kind_name, thousands, tier_kind, Acls, SubnetAcl};

/// Drawn height of one row, in pixels.
const ROW_PX: u32 = 26;

/// Properties of [`MapSections`].
#[derive(Properties, PartialEq, Clone)]
pub(super) struct MapSectionsProps {
    /// The plan drawn.
    pub planned: Rc<Planned>,
    /// The baseline plan's allocation.
    pub baseline: Option<Rc<Allocation>>,
    /// The plan's sections, as laid out.
    pub sections: Rc<Vec<Section>>,
}

/// The sections' blocks; re-rendered only when the plan changes.
#[function_component]
pub(super) fn MapSections(props: &MapSectionsProps) -> Html {
    let plan = &props.planned.plan;
    let baseline = props.baseline.as_deref();
    let acls = Acls::of(plan);
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
            let title = AttrValue::from(describe(plan, baseline, s, b));
            let key = format!("{si}.{bi}");
            let cidr = b.cidr.to_string();
            let body = label(plan, b, s.row_size);
            match b.kind {
                BlockKind::Subnet(i) => {
                    let sub = &plan.allocation.subnets[i];
                    let acl = acls.of_subnet(plan, sub);
                    let class = classes!(
                        "block",
                        "subnet",
                        kind_name(tier_kind(&plan.design, &sub.tier)),
                        is_changed(baseline, sub).then_some("changed"),
                        is_pinned(baseline, sub).then_some("pinned"),
                        (acl == SubnetAcl::DenyAll).then_some("deny-all")
                    );
                    let data_acl = match &acl {
                        SubnetAcl::Named(name) => Some(name.clone()),
                        _ => None,
                    };
                    html! {
                        <div {class} role="listitem" aria-label={title.clone()} tabindex="0" data-key={key} data-cidr={cidr} {style} {title}
                            data-tier={sub.tier.clone()} data-az={sub.availability_zone.clone()} data-acl={data_acl}>{ body }</div>
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
