//! A subnet size: a prefix length or a host count. Switching between them converts the
//! number ([`convert`]), so the size keeps its meaning.

use planner_core::cidr::{block_size, prefix_for_hosts, AWS_RESERVED_PER_SUBNET};
use serde_json::{json, Value};
use yew::prelude::*;

use crate::editor::use_editor;
use crate::fields::{FieldError, Kind};
use crate::path::field_id;
use crate::state::Action;

/// The size `number` (a prefix length or a host count, as `from` says) in the unit `to`:
/// a prefix becomes the addresses its subnets hold once AWS keeps its five, and a host count
/// the longest prefix whose subnets hold that many. A number that is not one of `from` (text,
/// a prefix past /32, a count past 2³²) is kept as it is, for the core to name.
///
/// ```
/// use planner_web::network::size_field::convert;
/// use serde_json::json;
/// assert_eq!(convert("prefix", "hosts", &json!(22)), json!(1019));
/// assert_eq!(convert("hosts", "prefix", &json!(1019)), json!(22));
/// assert_eq!(convert("hosts", "prefix", &json!(1020)), json!(21));
/// assert_eq!(convert("prefix", "prefix", &json!(22)), json!(22));
/// assert_eq!(convert("prefix", "hosts", &json!("2x")), json!("2x"));
/// ```
pub fn convert(from: &str, to: &str, number: &Value) -> Value {
    match (from, to, number.as_u64()) {
        ("prefix", "hosts", Some(p)) if p <= 32 => {
            json!(block_size(p as u8).saturating_sub(AWS_RESERVED_PER_SUBNET))
        }
        ("hosts", "prefix", Some(h)) => match u32::try_from(h) {
            Ok(h) => json!(prefix_for_hosts(h)),
            Err(_) => number.clone(),
        },
        _ => number.clone(),
    }
}

/// Properties of [`SizeField`].
#[derive(Properties, PartialEq, Clone)]
pub struct SizeFieldProps {
    /// The tier's `size` path.
    pub path: AttrValue,
}

/// A subnet size: a prefix length or a host count.
#[function_component]
pub fn SizeField(props: &SizeFieldProps) -> Html {
    let editor = use_editor();
    let path = props.path.to_string();
    let (unit, number) = match editor.value(&path).and_then(Value::as_object) {
        Some(o) if o.contains_key("hosts") => ("hosts", o["hosts"].clone()),
        Some(o) => ("prefix", o.get("prefix").cloned().unwrap_or(Value::Null)),
        None => ("prefix", Value::Null),
    };
    let number_text = match &number {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        v => v.to_string(),
    };
    let set = {
        let editor = editor.clone();
        let path = path.clone();
        move |unit: String, text: String| {
            editor.dispatch(Action::Set {
                path: path.clone(),
                value: json!({ unit: Kind::Number.value(&text) }),
            })
        }
    };
    let on_unit = {
        let editor = editor.clone();
        let path = path.clone();
        let from = unit.to_owned();
        let number = number.clone();
        Callback::from(move |e: Event| {
            let s: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let to = s.value();
            editor.dispatch(Action::Set {
                path: path.clone(),
                value: json!({ to.clone(): convert(&from, &to, &number) }),
            })
        })
    };
    let on_number = {
        let unit = unit.to_owned();
        Callback::from(move |e: InputEvent| {
            let i: web_sys::HtmlInputElement = e.target_unchecked_into();
            set(unit.clone(), i.value())
        })
    };
    let invalid = editor.error_at(&path).is_some();
    html! {
        <div class={classes!("field", "size", invalid.then_some("invalid"))}>
            <span class="label">{ "Size" }</span>
            <span class="size-inputs">
                <select aria-label="Size by" onchange={on_unit}>
                    <option value="prefix" selected={unit == "prefix"}>{ "/prefix" }</option>
                    <option value="hosts" selected={unit == "hosts"}>{ "hosts" }</option>
                </select>
                <input id={field_id(&path)} type="text" value={number_text} oninput={on_number}
                    aria-label={if unit == "prefix" { "Prefix length" } else { "Usable addresses" }}
                    aria-invalid={invalid.then_some("true")} size="5" />
            </span>
            <FieldError path={props.path.clone()} />
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_prefix_aws_takes_comes_back_from_its_host_count() {
        for p in 16..=28u64 {
            let hosts = convert("prefix", "hosts", &json!(p));
            assert_eq!(
                convert("hosts", "prefix", &hosts),
                json!(p),
                "/{p} is {hosts}"
            );
        }
        assert_eq!(convert("prefix", "hosts", &json!(28)), json!(11));
        assert_eq!(convert("prefix", "hosts", &json!(24)), json!(251));
    }

    #[test]
    fn a_count_takes_the_smallest_prefix_holding_it() {
        assert_eq!(convert("hosts", "prefix", &json!(1)), json!(28));
        assert_eq!(convert("hosts", "prefix", &json!(251)), json!(24));
        assert_eq!(convert("hosts", "prefix", &json!(252)), json!(23));
        assert_eq!(convert("hosts", "prefix", &json!(22)), json!(27));
    }

    #[test]
    fn what_is_not_a_number_of_its_unit_is_kept() {
        assert_eq!(convert("prefix", "hosts", &json!(40)), json!(40));
        assert_eq!(
            convert("hosts", "prefix", &json!(1u64 << 40)),
            json!(1u64 << 40)
        );
        assert_eq!(convert("prefix", "hosts", &Value::Null), Value::Null);
        assert_eq!(convert("hosts", "hosts", &json!(7)), json!(7));
    }
}
