//! Where an instance is launched: its tier and the zone of the tier's subnet.

use serde_json::Value;
use yew::prelude::*;

use super::json::tier_zones;
use crate::editor::use_editor;
use crate::fields::{FieldError, Select};
use crate::path::{self, field_id};
use crate::state::Action;

/// Properties of [`Placement`].
#[derive(Properties, PartialEq, Clone)]
pub struct PlacementProps {
    /// The instance's path (`instances[0]`).
    pub base: AttrValue,
}

/// The tier (a select of the design's tiers) and the zone (a select of the zones the tier has
/// subnets in, or the tier's first). Moving to a tier without the chosen zone drops the zone,
/// so the instance goes to the new tier's first.
#[function_component]
pub fn Placement(props: &PlacementProps) -> Html {
    let editor = use_editor();
    let at = |m: &str| format!("{}.{m}", props.base);
    let tier_path = at("tier");
    let zone_path = at("availability_zone");
    let tier = editor.text(&tier_path);
    let zone = editor.text(&zone_path);
    let tiers = path::names(&editor.doc, "tiers");
    let on_tier = {
        let editor = editor.clone();
        let tier_path = tier_path.clone();
        let zone_path = zone_path.clone();
        let zone = zone.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let chosen = select.value();
            if !zone.is_empty() && !tier_zones(&editor.doc, &chosen).contains(&zone) {
                editor.dispatch(Action::Set {
                    path: zone_path.clone(),
                    value: Value::Null,
                });
            }
            editor.dispatch(Action::Set {
                path: tier_path.clone(),
                value: Value::String(chosen),
            });
        })
    };
    let zones = tier_zones(&editor.doc, &tier);
    let mut zone_options: Vec<(AttrValue, AttrValue)> = zones
        .iter()
        .map(|z| (z.clone().into(), z.clone().into()))
        .collect();
    if !zone.is_empty() && !zones.contains(&zone) {
        zone_options.insert(0, (zone.clone().into(), zone.clone().into()));
    }
    let first = match zones.first() {
        Some(z) => format!("the tier's first ({z})"),
        None => "the tier's first".to_owned(),
    };
    let invalid = editor.error_at(&tier_path).is_some();
    html! {
        <>
            <label class={classes!("field", invalid.then_some("invalid"))}>
                <span class="label">{ "Tier" }</span>
                <select id={field_id(&tier_path)} onchange={on_tier}>
                    if !tiers.contains(&tier) {
                        <option value={tier.clone()} selected=true>
                            { if tier.is_empty() { "(choose a tier)".to_owned() } else { format!("{tier} (not in this design)") } }
                        </option>
                    }
                    { for tiers.iter().map(|t| html! {
                        <option value={t.clone()} selected={*t == tier}>{ t }</option>
                    }) }
                </select>
                <FieldError path={tier_path.clone()} />
            </label>
            <Select path={zone_path} label="Availability zone" options={zone_options}
                unset={AttrValue::from(first)} />
        </>
    }
}
