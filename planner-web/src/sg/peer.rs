//! A rule's peer: a select of its kind, and the group, tier or block where the kind takes one.

use serde_json::Value;
use yew::prelude::*;

use super::json::{peer_value, Names, PeerKind};
use crate::editor::use_editor;
use crate::fields::FieldError;
use crate::fields::Notes;
use crate::path::field_id;
use crate::state::Action;

/// Properties of [`PeerField`].
#[derive(Properties, PartialEq, Clone)]
pub struct PeerFieldProps {
    /// The rule's `peer` path.
    pub path: AttrValue,
    /// The path of the group holding the rule.
    pub group: AttrValue,
}

/// The peer editor. Its kind select has the peer's id; the value's input or select has the id
/// of the member it sets (`….peer.group`), where findings about it point and show.
#[function_component]
pub fn PeerField(props: &PeerFieldProps) -> Html {
    let editor = use_editor();
    let path = props.path.to_string();
    let current = editor.value(&path).cloned().unwrap_or(Value::Null);
    let kind = PeerKind::of(&current);
    let names = Names::of(&editor.doc, &props.group);
    let on_kind = {
        let editor = editor.clone();
        let path = path.clone();
        let current = current.clone();
        let names = names.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let kind = PeerKind::from_key(&select.value());
            editor.dispatch(Action::Set {
                path: path.clone(),
                value: peer_value(kind, &current, &names),
            });
        })
    };
    let member = format!("{path}.{}", kind.key());
    let text = editor.text(&member);
    let set_member = {
        let editor = editor.clone();
        let member = member.clone();
        move |value: String| {
            editor.dispatch(Action::Set {
                path: member.clone(),
                value: Value::String(value),
            })
        }
    };
    let on_select = {
        let set = set_member.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            set(select.value());
        })
    };
    let on_input = Callback::from(move |e: InputEvent| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        set_member(input.value().trim().to_owned());
    });
    let choices = |list: &[String]| -> Html {
        let mut list = list.to_vec();
        if !list.contains(&text) {
            list.insert(0, text.clone());
        }
        list.iter()
            .map(|n| html! { <option value={n.clone()} selected={*n == text}>{ n }</option> })
            .collect()
    };
    let invalid = editor.error_at(&path).is_some();
    let value = match kind {
        PeerKind::Group => html! {
            <select id={field_id(&member)} aria-label="Group" onchange={on_select}>
                { choices(&names.groups) }</select>
        },
        PeerKind::Tier => html! {
            <select id={field_id(&member)} aria-label="Tier" onchange={on_select}>
                { choices(&names.tiers) }</select>
        },
        PeerKind::Cidr | PeerKind::Ipv6Cidr => html! {
            <input id={field_id(&member)} type="text" value={text.clone()} oninput={on_input}
                aria-label={kind.label()} spellcheck="false" size="16"
                placeholder={if kind == PeerKind::Cidr { "10.0.0.0/8" } else { "fc00::/7" }}
                aria-invalid={invalid.then_some("true")} />
        },
        PeerKind::Other => html! { <code class="sg-raw">{ current.to_string() }</code> },
        PeerKind::Internet | PeerKind::SelfGroup | PeerKind::Vpc => html! {},
    };
    let kinds = PeerKind::ALL
        .iter()
        .copied()
        .chain((kind == PeerKind::Other).then_some(PeerKind::Other));
    html! {
        <div class={classes!("field", "sg-peer", invalid.then_some("invalid"))}>
            <span class="label">{ "Peer" }</span>
            <span class="sg-peer-inputs">
                <select id={field_id(&path)} aria-label="Peer kind" onchange={on_kind}>
                    { for kinds.map(|k| html! {
                        <option value={k.key()} selected={k == kind}>{ k.label() }</option>
                    }) }
                </select>
                { value }
            </span>
            <FieldError path={props.path.clone()} />
            if kind.takes_value() {
                <Notes path={member.clone()} claimed={vec![member.clone()]} />
            }
        </div>
    }
}
