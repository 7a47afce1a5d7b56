//! The groups editor: add and remove groups; per group its name, description, what it is
//! attached to, whether AWS's default egress stays, and its rules.

use serde_json::Value;
use yew::prelude::*;

use super::json::{new_attachment, new_group, Direction, Names, ROLES};
use super::notes::Notes;
use super::rules::RuleList;
use crate::browser::field_id;
use crate::fields::{on_click, use_editor, FieldError, Kind, Select, TextField};
use crate::state::Action;

/// The number of elements of the array at `path`.
fn count(value: Option<&Value>) -> usize {
    value.and_then(Value::as_array).map_or(0, Vec::len)
}

/// Every group of the design.
#[function_component]
pub fn GroupsEditor() -> Html {
    let editor = use_editor();
    let n = count(editor.value("security_groups"));
    let add = {
        let editor = editor.clone();
        Callback::from(move |_| {
            editor.dispatch(Action::Insert {
                path: "security_groups".into(),
                index: usize::MAX,
                value: new_group(&editor.doc),
            })
        })
    };
    let claimed = (0..n)
        .map(|i| format!("security_groups[{i}]"))
        .collect::<Vec<_>>();
    html! {
        <section class="sg-groups" id={field_id("security_groups")} tabindex="-1"
            aria-labelledby="sg-groups-title">
            <h2 id="sg-groups-title">{ "Security groups" }</h2>
            <Notes path="security_groups" {claimed} />
            if n == 0 {
                <p class="empty">{ "No security groups yet." }</p>
            }
            { for (0..n).map(|i| html! { <GroupCard index={i} /> }) }
            <button type="button" id="sg-add-group" onclick={add}>{ "Add group" }</button>
        </section>
    }
}

/// Properties of [`GroupCard`].
#[derive(Properties, PartialEq, Clone)]
struct GroupCardProps {
    index: usize,
}

#[function_component]
fn GroupCard(props: &GroupCardProps) -> Html {
    let editor = use_editor();
    let base = format!("security_groups[{}]", props.index);
    let at = |member: &str| format!("{base}.{member}");
    let name = editor.text(&at("name"));
    let remove = on_click(&editor, Action::Remove { path: base.clone() });
    let claimed = [
        "name",
        "description",
        "default_egress",
        "attached_to",
        "ingress",
        "egress",
    ]
    .map(at)
    .to_vec();
    html! {
        <article class="sg-group" id={field_id(&base)} tabindex="-1" data-group={name.clone()}>
            <header class="sg-group-head">
                <h3>{ if name.is_empty() { "(unnamed)".to_owned() } else { name.clone() } }</h3>
                <button type="button" class="sg-remove" onclick={remove}
                    aria-label={format!("Remove group {name}")}>{ "Remove group" }</button>
            </header>
            <Notes path={base.clone()} {claimed} />
            <div class="row">
                <TextField path={at("name")} label="Name" />
                <TextField path={at("description")} label="Description" class="sg-description" />
            </div>
            <Attachments group={base.clone()} />
            <RuleList group={base.clone()} direction={Direction::Ingress} />
            <RuleList group={base.clone()} direction={Direction::Egress} />
            <DefaultEgress path={at("default_egress")} />
        </article>
    }
}

/// Properties of components editing one path.
#[derive(Properties, PartialEq, Clone)]
struct PathProps {
    path: AttrValue,
}

/// `default_egress`: absent (kept, AWS's default) or `false` (revoked).
#[function_component]
fn DefaultEgress(props: &PathProps) -> Html {
    let editor = use_editor();
    let path = props.path.to_string();
    let kept = editor.value(&path) != Some(&Value::Bool(false));
    let onchange = {
        let editor = editor.clone();
        let path = path.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            editor.dispatch(Action::Set {
                path: path.clone(),
                value: if input.checked() {
                    Value::Null
                } else {
                    Value::Bool(false)
                },
            });
        })
    };
    html! {
        <label class="field check">
            <input id={field_id(&path)} type="checkbox" checked={kept} {onchange} />
            <span class="label">{ "Keep AWS's default egress (all traffic out)" }</span>
            <FieldError path={props.path.clone()} />
        </label>
    }
}

/// Properties of [`Attachments`].
#[derive(Properties, PartialEq, Clone)]
struct AttachmentsProps {
    group: AttrValue,
}

/// What the group is attached to: roles placed in tiers.
#[function_component]
fn Attachments(props: &AttachmentsProps) -> Html {
    let editor = use_editor();
    let list = format!("{}.attached_to", props.group);
    let n = count(editor.value(&list));
    let add = {
        let editor = editor.clone();
        let list = list.clone();
        Callback::from(move |_| {
            editor.dispatch(Action::Insert {
                path: list.clone(),
                index: usize::MAX,
                value: new_attachment(&editor.doc),
            })
        })
    };
    let claimed = (0..n).map(|i| format!("{list}[{i}]")).collect::<Vec<_>>();
    html! {
        <fieldset class="sg-attached" id={field_id(&list)} tabindex="-1">
            <legend>{ "Attached to" }</legend>
            if n == 0 {
                <p class="empty">{ "Nothing (instances may still name the group)." }</p>
            }
            { for (0..n).map(|i| html! { <AttachmentRow path={format!("{list}[{i}]")} /> }) }
            <Notes path={list.clone()} {claimed} />
            <button type="button" class="sg-add-attachment" onclick={add}>{ "Add attachment" }</button>
        </fieldset>
    }
}

#[function_component]
fn AttachmentRow(props: &PathProps) -> Html {
    let editor = use_editor();
    let base = props.path.to_string();
    let at = |member: &str| format!("{base}.{member}");
    let option = |s: &str| {
        (
            AttrValue::from(s.to_owned()),
            AttrValue::from(s.replace('_', " ")),
        )
    };
    let roles = ROLES.iter().map(|r| option(r.as_str())).collect::<Vec<_>>();
    let mut tiers = Names::of(&editor.doc, "").tiers;
    let tier = editor.text(&at("tier"));
    if !tiers.contains(&tier) {
        tiers.insert(0, tier);
    }
    let tiers = tiers.iter().map(|t| option(t)).collect::<Vec<_>>();
    let remove = on_click(&editor, Action::Remove { path: base.clone() });
    let claimed = ["role", "tier", "name", "public_address"].map(at).to_vec();
    html! {
        <div class="sg-attachment" id={field_id(&base)} tabindex="-1">
            <Select path={at("role")} label="Role" options={roles} />
            <Select path={at("tier")} label="Tier" options={tiers} />
            <TextField path={at("name")} label="Label" kind={Kind::OptionalText} placeholder="the role" />
            <PublicAddress path={at("public_address")} />
            <button type="button" class="sg-remove" aria-label={format!("Remove attachment {base}")}
                onclick={remove}>{ "✕" }</button>
            <div class="sg-rule-notes"><Notes path={base.clone()} {claimed} /></div>
        </div>
    }
}

/// `public_address`: absent (as the tier is), `true` or `false`.
#[function_component]
fn PublicAddress(props: &PathProps) -> Html {
    let editor = use_editor();
    let path = props.path.to_string();
    let current = editor.text(&path);
    let onchange = {
        let editor = editor.clone();
        let path = path.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let value = match select.value().as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => Value::Null,
            };
            editor.dispatch(Action::Set {
                path: path.clone(),
                value,
            });
        })
    };
    let invalid = editor.error_at(&path).is_some();
    let options = [("", "as its tier"), ("true", "yes"), ("false", "no")];
    html! {
        <label class={classes!("field", invalid.then_some("invalid"))}>
            <span class="label">{ "Public address" }</span>
            <select id={field_id(&path)} {onchange}>
                { for options.iter().map(|(v, l)| html! {
                    <option value={*v} selected={*v == current}>{ *l }</option>
                }) }
            </select>
            <FieldError path={props.path.clone()} />
        </label>
    }
}
