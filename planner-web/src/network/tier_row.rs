//! One tier of the tiers table.

use yew::prelude::*;

use super::size_field::SizeField;
use crate::editor::use_editor;
use crate::fields::{Checkbox, FieldError, Kind, Select, TextField};
use crate::path::field_id;
use crate::state::Action;
use crate::words;

/// Properties of [`TierRow`].
#[derive(Properties, PartialEq, Clone)]
pub struct TierRowProps {
    /// Which tier: `tiers[index]`.
    pub index: usize,
    /// How many tiers there are.
    pub count: usize,
    /// Told the DOM id to focus once a move or a removal is drawn.
    pub focus_after: Callback<String>,
}

/// The tier's members a field of the row shows the message of.
/// `ipv6_from_internet` has a field only in a private tier.
const TIER_FIELDS: [&str; 7] = [
    "name",
    "kind",
    "size",
    "max_azs",
    "reserve",
    "public_ip_on_launch",
    "route_table_per_az",
];

/// The DOM id of a tier's button (`up`, `down` or `remove`).
fn button_id(index: usize, which: &str) -> String {
    format!("tier-{index}-{which}")
}

/// Where focus goes after the tier at `from` of `count` moves to `to`: the same button, now at
/// `to`, or the other move button where that one is disabled at the first or last place.
pub fn after_move(to: usize, count: usize, up: bool) -> String {
    let which = match (up, to) {
        (true, 0) => "down",
        (false, t) if t + 1 >= count => "up",
        (true, _) => "up",
        (false, _) => "down",
    };
    button_id(to, which)
}

/// Where focus goes after the tier at `index` of `count` is removed: the tier that takes its
/// place, else the one before it, else the tiers table; never a button, so a second Enter
/// removes nothing.
pub fn after_remove(index: usize, count: usize) -> String {
    let left = count.saturating_sub(1);
    if left == 0 {
        field_id("tiers")
    } else {
        field_id(&format!("tiers[{}]", index.min(left - 1)))
    }
}

/// One tier: name, kind, size, AZs, reserve, whether its subnets give public addresses and
/// have a route table per AZ, and buttons to move or remove it.
#[function_component]
pub fn TierRow(props: &TierRowProps) -> Html {
    let editor = use_editor();
    let i = props.index;
    let base = format!("tiers[{i}]");
    let kind_options = words::KINDS
        .iter()
        .map(|(kind, id)| {
            (
                AttrValue::from(*id),
                AttrValue::from(words::kind_label(*kind)),
            )
        })
        .collect::<Vec<_>>();
    let kind = editor.text(&format!("{base}.kind"));
    let is_private = kind == "private";
    let shown_below: Vec<String> = TIER_FIELDS
        .iter()
        .copied()
        .chain(is_private.then_some("ipv6_from_internet"))
        .map(|f| format!("{base}.{f}"))
        .collect();
    let act = |action: Action, focus: String| {
        let editor = editor.clone();
        let focus_after = props.focus_after.clone();
        Callback::from(move |_: MouseEvent| {
            editor.dispatch(action.clone());
            focus_after.emit(focus.clone());
        })
    };
    html! {
        <div class="tier" id={field_id(&base)} tabindex="-1">
            <TextField path={format!("{base}.name")} label="Name" />
            <Select path={format!("{base}.kind")} label="Kind" options={kind_options} />
            <SizeField path={format!("{base}.size")} />
            <TextField path={format!("{base}.max_azs")} label="Max AZs" kind={Kind::OptionalNumber} placeholder="all" />
            <TextField path={format!("{base}.reserve")} label="Reserve" kind={Kind::OptionalNumber} placeholder="0" />
            if is_private {
                <Checkbox path={format!("{base}.ipv6_from_internet")} label="IPv6 from internet" />
            }
            <Checkbox path={format!("{base}.public_ip_on_launch")} label="Public IPv4 on launch"
                default={kind == "public"} />
            <Checkbox path={format!("{base}.route_table_per_az")} label="Route table per AZ" />
            <div class="tier-buttons">
                <button type="button" id={button_id(i, "up")} aria-label={format!("Move tier {} up", i + 1)} disabled={i == 0}
                    onclick={act(Action::Move { path: "tiers".into(), from: i, to: i.saturating_sub(1) }, after_move(i.saturating_sub(1), props.count, true))}>{ "↑" }</button>
                <button type="button" id={button_id(i, "down")} aria-label={format!("Move tier {} down", i + 1)} disabled={i + 1 >= props.count}
                    onclick={act(Action::Move { path: "tiers".into(), from: i, to: i + 1 }, after_move(i + 1, props.count, false))}>{ "↓" }</button>
                <button type="button" id={button_id(i, "remove")} aria-label={format!("Remove tier {}", i + 1)}
                    onclick={act(Action::Remove { path: base.clone() }, after_remove(i, props.count))}>{ "✕" }</button>
            </div>
            <FieldError path={base.clone()} shown_below={shown_below} />
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::{after_move, after_remove};

    #[test]
    fn focus_follows_a_moved_tier() {
        assert_eq!(after_move(1, 3, true), "tier-1-up");
        assert_eq!(after_move(0, 3, true), "tier-0-down");
        assert_eq!(after_move(1, 3, false), "tier-1-down");
        assert_eq!(after_move(2, 3, false), "tier-2-up");
    }

    #[test]
    fn focus_after_a_removal_is_never_a_remove_button() {
        assert_eq!(after_remove(0, 3), "field-tiers[0]");
        assert_eq!(after_remove(2, 3), "field-tiers[1]");
        assert_eq!(after_remove(0, 1), "field-tiers");
    }
}
