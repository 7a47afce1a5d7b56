//! A group's inbound or outbound rules: protocol, ports, peer and description per rule.

use serde_json::Value;
use yew::prelude::*;

use planner_core::sg::Protocol;

use super::json::{new_rule, ports_value, protocol, Direction, PROTOCOLS};
use super::notes::Notes;
use super::peer::PeerField;
use crate::browser::field_id;
use crate::fields::{on_click, use_editor, FieldError, TextField};
use crate::state::Action;

/// Properties of [`RuleList`].
#[derive(Properties, PartialEq, Clone)]
pub struct RuleListProps {
    /// The group's path.
    pub group: AttrValue,
    /// Which list.
    pub direction: Direction,
}

/// One list of rules, with a button to add one.
#[function_component]
pub fn RuleList(props: &RuleListProps) -> Html {
    let editor = use_editor();
    let list = format!("{}.{}", props.group, props.direction.key());
    let n = editor
        .value(&list)
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let group_name = editor.text(&format!("{}.name", props.group));
    let add = {
        let editor = editor.clone();
        let list = list.clone();
        let direction = props.direction;
        Callback::from(move |_| {
            editor.dispatch(Action::Insert {
                path: list.clone(),
                index: usize::MAX,
                value: new_rule(direction),
            })
        })
    };
    let what = match props.direction {
        Direction::Ingress => "inbound",
        Direction::Egress => "outbound",
    };
    html! {
        <fieldset class={classes!("sg-rules", props.direction.key())} id={field_id(&list)} tabindex="-1">
            <legend>{ props.direction.label() }</legend>
            if n == 0 {
                <p class="empty">{ match props.direction {
                    Direction::Ingress => "Nothing may come in.",
                    Direction::Egress => "Nothing beyond the default egress.",
                } }</p>
            }
            { for (0..n).map(|i| html! {
                <RuleRow path={format!("{list}[{i}]")} group={props.group.clone()} />
            }) }
            <Notes path={list.clone()}
                claimed={(0..n).map(|i| format!("{list}[{i}]")).collect::<Vec<_>>()} />
            <button type="button" class="sg-add-rule" onclick={add}
                aria-label={format!("Add an {what} rule to group {group_name}")}>
                { format!("Add {what} rule") }</button>
        </fieldset>
    }
}

/// Properties of [`RuleRow`].
#[derive(Properties, PartialEq, Clone)]
struct RuleRowProps {
    /// The rule's path.
    path: AttrValue,
    /// The group's path.
    group: AttrValue,
}

#[function_component]
fn RuleRow(props: &RuleRowProps) -> Html {
    let editor = use_editor();
    let base = props.path.to_string();
    let at = |member: &str| format!("{base}.{member}");
    let remove = on_click(&editor, Action::Remove { path: base.clone() });
    let claimed = ["protocol", "ports", "peer", "description"]
        .map(at)
        .to_vec();
    html! {
        <div class="sg-rule" id={field_id(&base)} tabindex="-1">
            <ProtocolField path={at("protocol")} />
            <PortsField path={at("ports")} />
            <PeerField path={at("peer")} group={props.group.clone()} />
            <TextField path={at("description")} label="Description" class="sg-rule-description" />
            <button type="button" class="sg-remove" aria-label={format!("Remove rule {base}")}
                onclick={remove}>{ "✕" }</button>
            <div class="sg-rule-notes"><Notes path={base.clone()} {claimed} /></div>
        </div>
    }
}

/// Properties of [`ProtocolField`] and [`PortsField`].
#[derive(Properties, PartialEq, Clone)]
struct MemberProps {
    /// The rule member's path.
    path: AttrValue,
}

/// The protocol; choosing `all` removes the ports, which it covers (ports first, so the design
/// never holds `all` with ports because of this field).
#[function_component]
fn ProtocolField(props: &MemberProps) -> Html {
    let editor = use_editor();
    let path = props.path.to_string();
    let ports = format!("{}.ports", crate::path::parent(&path).unwrap_or_default());
    let current = editor.text(&path);
    let onchange = {
        let editor = editor.clone();
        let path = path.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let value = select.value();
            if value == Protocol::All.as_str() {
                editor.dispatch(Action::Set {
                    path: ports.clone(),
                    value: Value::Null,
                });
            }
            editor.dispatch(Action::Set {
                path: path.clone(),
                value: Value::String(value),
            });
        })
    };
    let known = protocol(&current).is_some();
    let invalid = editor.error_at(&path).is_some();
    html! {
        <label class={classes!("field", "sg-protocol", invalid.then_some("invalid"))}>
            <span class="label">{ "Protocol" }</span>
            <select id={field_id(&path)} {onchange}>
                if !known { <option value={current.clone()} selected=true>{ &current }</option> }
                { for PROTOCOLS.iter().map(|p| html! {
                    <option value={p.as_str()} selected={p.as_str() == current}>{ p.as_str() }</option>
                }) }
            </select>
            <FieldError path={props.path.clone()} />
        </label>
    }
}

/// Ports as the design spells them: `443`, `8000-8100`, or empty for every port; for ICMP, the
/// type. Protocol `all` takes none.
#[function_component]
fn PortsField(props: &MemberProps) -> Html {
    let editor = use_editor();
    let path = props.path.to_string();
    let rule = crate::path::parent(&path).unwrap_or_default();
    let proto = editor.text(&format!("{rule}.protocol"));
    let text = editor.text(&path);
    let oninput = {
        let editor = editor.clone();
        let path = path.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            editor.dispatch(Action::Set {
                path: path.clone(),
                value: ports_value(&input.value()),
            });
        })
    };
    let icmp = proto.starts_with("icmp");
    let disabled = proto == "all" && text.is_empty();
    let invalid = editor.error_at(&path).is_some();
    html! {
        <label class={classes!("field", "sg-ports", invalid.then_some("invalid"))}>
            <span class="label">{ if icmp { "ICMP type" } else { "Ports" } }</span>
            <input id={field_id(&path)} type="text" value={text} {oninput} {disabled}
                placeholder="all" size="11" spellcheck="false"
                title={if icmp { "one ICMP type (0-255); empty for every type" }
                       else { "a port (443), a range (8000-8100), or empty for every port" }}
                aria-invalid={invalid.then_some("true")} />
            <FieldError path={props.path.clone()} />
        </label>
    }
}
