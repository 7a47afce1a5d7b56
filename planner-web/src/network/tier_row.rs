//! One tier of the tiers table.

use yew::prelude::*;

use super::size_field::SizeField;
use crate::editor::{on_click, use_editor};
use crate::fields::{Checkbox, FieldError, Kind, Select, TextField};
use crate::path::field_id;
use crate::state::Action;

/// Properties of [`TierRow`].
#[derive(Properties, PartialEq, Clone)]
pub struct TierRowProps {
    /// Which tier: `tiers[index]`.
    pub index: usize,
    /// How many tiers there are.
    pub count: usize,
}

/// One tier: name, kind, size, AZs, reserve, whether its subnets give public addresses and
/// have a route table per AZ, and buttons to move or remove it.
#[function_component]
pub fn TierRow(props: &TierRowProps) -> Html {
    let editor = use_editor();
    let i = props.index;
    let base = format!("tiers[{i}]");
    let kind_options = ["public", "private", "isolated"]
        .iter()
        .map(|k| (AttrValue::from(*k), AttrValue::from(*k)))
        .collect::<Vec<_>>();
    let kind = editor.text(&format!("{base}.kind"));
    let is_private = kind == "private";
    let act = |action: Action| on_click(&editor, action);
    html! {
        <div class="tier" id={field_id(&base)} tabindex="-1">
            <TextField path={format!("{base}.name")} label="Name" />
            <Select path={format!("{base}.kind")} label="Kind" options={kind_options} />
            <SizeField path={format!("{base}.size")} />
            <TextField path={format!("{base}.max_azs")} label="Max AZs" kind={Kind::OptionalNumber} placeholder="all" />
            <TextField path={format!("{base}.reserve")} label="Reserve" kind={Kind::Number} placeholder="0" />
            if is_private {
                <Checkbox path={format!("{base}.ipv6_from_internet")} label="IPv6 from internet" />
            }
            <Checkbox path={format!("{base}.public_ip_on_launch")} label="Public IPv4 on launch"
                default={kind == "public"} />
            <Checkbox path={format!("{base}.route_table_per_az")} label="Route table per AZ" />
            <div class="tier-buttons">
                <button type="button" aria-label={format!("Move tier {} up", i + 1)} disabled={i == 0}
                    onclick={act(Action::Move { path: "tiers".into(), from: i, to: i.saturating_sub(1) })}>{ "↑" }</button>
                <button type="button" aria-label={format!("Move tier {} down", i + 1)} disabled={i + 1 >= props.count}
                    onclick={act(Action::Move { path: "tiers".into(), from: i, to: i + 1 })}>{ "↓" }</button>
                <button type="button" aria-label={format!("Remove tier {}", i + 1)}
                    onclick={act(Action::Remove { path: base.clone() })}>{ "✕" }</button>
            </div>
            <FieldError path={base.clone()} />
        </div>
    }
}
