//! A role's managed policy attachments: AWS managed policies (by name or ARN) and the
//! design's own managed policies (`{"policy": "<name>"}`).

use serde_json::{json, Value};
use yew::prelude::*;

use super::json_field::synced_text;
use super::{count, items, names, remove_button, DocFindings};
use crate::browser::field_id;
use crate::fields::{use_editor, FieldError};
use crate::state::Action;

/// Common AWS managed policies for instance roles, offered while typing a name.
const SUGGESTED: [&str; 6] = [
    "AmazonSSMManagedInstanceCore",
    "AmazonSSMManagedEC2InstanceDefaultPolicy",
    "CloudWatchAgentServerPolicy",
    "AmazonEC2ContainerRegistryReadOnly",
    "AmazonS3ReadOnlyAccess",
    "AmazonEKSWorkerNodePolicy",
];

/// The DOM id of the suggestions' `<datalist>`.
const SUGGESTIONS_ID: &str = "aws-managed-policies";

/// The suggestions for AWS managed policy names, once per page.
pub(super) fn suggestions() -> Html {
    html! {
        <datalist id={SUGGESTIONS_ID}>
            { for SUGGESTED.iter().map(|s| html! { <option value={*s} /> }) }
        </datalist>
    }
}

/// The attachment an AWS managed policy field's text means: an ARN as typed, or for a bare
/// name the ARN of the AWS managed policy of that name in `partition`.
///
/// ```
/// use planner_web::iam::attachment_value;
/// assert_eq!(attachment_value("AmazonS3ReadOnlyAccess", "aws"), "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess");
/// assert_eq!(attachment_value(" ReadOnlyAccess ", "aws-cn"), "arn:aws-cn:iam::aws:policy/ReadOnlyAccess");
/// assert_eq!(attachment_value("arn:aws:iam::111122223333:policy/x", "aws"), "arn:aws:iam::111122223333:policy/x");
/// assert_eq!(attachment_value("", "aws"), "");
/// ```
pub fn attachment_value(text: &str, partition: &str) -> Value {
    let name = text.trim();
    if name.is_empty() || name.starts_with("arn:") || name.contains(':') {
        Value::String(text.to_owned())
    } else {
        Value::String(format!("arn:{partition}:iam::aws:policy/{name}"))
    }
}

/// Properties of [`Attachments`].
#[derive(Properties, PartialEq, Clone)]
pub(super) struct AttachmentsProps {
    /// The role's path, `iam.roles[i]`.
    pub role: String,
}

/// A role's managed policy attachments.
#[function_component]
pub(super) fn Attachments(props: &AttachmentsProps) -> Html {
    let editor = use_editor();
    let list = format!("{}.managed_policies", props.role);
    let n = count(&editor, &list);
    let own = names(&editor, "iam.policies");
    let insert = |value: Value| {
        let editor = editor.clone();
        let list = list.clone();
        Callback::from(move |_| {
            editor.dispatch(Action::Insert {
                path: list.clone(),
                index: usize::MAX,
                value: value.clone(),
            })
        })
    };
    let first_own = own.first().cloned().unwrap_or_default();
    html! {
        <fieldset class="iam-list attachments" id={field_id(&list)} tabindex="-1">
            <legend>{ "Managed policies attached" }</legend>
            <DocFindings path={list.clone()} exclude={items(&list, n)} />
            { for items(&list, n).into_iter().map(|path| html! {
                <AttachmentRow {path} />
            }) }
            <div class="row">
                <button type="button" class="attach-aws" onclick={insert(json!(""))}>
                    { "Attach AWS managed policy" }</button>
                <button type="button" class="attach-own" disabled={own.is_empty()}
                    title={own.is_empty().then_some("Add a managed policy to the design first")}
                    onclick={insert(json!({"policy": first_own}))}>
                    { "Attach this design's policy" }</button>
            </div>
        </fieldset>
    }
}

/// Properties of [`AttachmentRow`] and its fields.
#[derive(Properties, PartialEq, Clone)]
struct AttachmentProps {
    /// `iam.roles[i].managed_policies[j]`.
    path: String,
}

/// One attachment: its kind, the policy, and its findings.
#[function_component]
fn AttachmentRow(props: &AttachmentProps) -> Html {
    let editor = use_editor();
    let path = props.path.clone();
    let own = matches!(editor.value(&path), Some(Value::Object(_)));
    let on_kind = {
        let editor = editor.clone();
        let path = path.clone();
        let first = names(&editor, "iam.policies").into_iter().next();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let value = match (select.value().as_str(), &first) {
                ("own", Some(name)) => json!({"policy": name}),
                ("own", None) => json!({"policy": ""}),
                _ => json!(""),
            };
            editor.dispatch(Action::Set {
                path: path.clone(),
                value,
            });
        })
    };
    html! {
        <div class="iam-item attachment" data-path={path.clone()}>
            <div class="row">
                <label class="field">
                    <span class="label">{ "Kind" }</span>
                    <select class="attachment-kind" onchange={on_kind}>
                        <option value="aws" selected={!own}>{ "AWS managed or by ARN" }</option>
                        <option value="own" selected={own}>{ "This design's policy" }</option>
                    </select>
                </label>
                if own {
                    <OwnPolicyPick path={path.clone()} />
                } else {
                    <ArnField path={path.clone()} />
                }
                { remove_button(&editor, path.clone(), "this attachment".to_owned()) }
            </div>
            <DocFindings {path} with_error={false} />
        </div>
    }
}

/// An AWS managed policy by name, or any managed policy by ARN. It keeps its own text, so a
/// name stays a name while the design holds the ARN it stands for.
#[function_component]
fn ArnField(props: &AttachmentProps) -> Html {
    let editor = use_editor();
    let own = use_mut_ref(|| None::<String>);
    let path = props.path.clone();
    let region = editor.text("region");
    let partition = planner_core::iam::partition_of(&region);
    let text = synced_text(
        own.borrow().as_deref(),
        None,
        editor.value(&path),
        |t| Some(attachment_value(t, partition)),
        |v| v.and_then(Value::as_str).unwrap_or_default().to_owned(),
    );
    *own.borrow_mut() = Some(text.clone());
    let stored = attachment_value(&text, partition);
    let arn = stored
        .as_str()
        .filter(|arn| *arn != text.trim())
        .map(str::to_owned);
    let oninput = {
        let editor = editor.clone();
        let path = path.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let text = input.value();
            *own.borrow_mut() = Some(text.clone());
            editor.dispatch(Action::Set {
                path: path.clone(),
                value: attachment_value(&text, partition),
            });
        })
    };
    let invalid = editor.error_at(&path).is_some();
    html! {
        <label class={classes!("field", "arn", invalid.then_some("invalid"))}>
            <span class="label">{ "AWS managed policy name, or policy ARN" }</span>
            <input id={field_id(&path)} type="text" value={text} {oninput} list={SUGGESTIONS_ID}
                placeholder="AmazonSSMManagedInstanceCore" spellcheck="false"
                aria-invalid={invalid.then_some("true")} />
            if let Some(arn) = arn { <small class="hint arn-value">{ arn }</small> }
            <FieldError path={path.clone()} />
        </label>
    }
}

/// One of the design's managed policies, by name.
#[function_component]
fn OwnPolicyPick(props: &AttachmentProps) -> Html {
    let editor = use_editor();
    let path = props.path.clone();
    let current = editor.text(&format!("{path}.policy"));
    let mut options = names(&editor, "iam.policies");
    let missing = !options.contains(&current);
    if missing {
        options.insert(0, current.clone());
    }
    let onchange = {
        let editor = editor.clone();
        let path = path.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            editor.dispatch(Action::Set {
                path: path.clone(),
                value: json!({"policy": select.value()}),
            });
        })
    };
    let invalid = editor.error_at(&path).is_some();
    html! {
        <label class={classes!("field", invalid.then_some("invalid"))}>
            <span class="label">{ "Policy" }</span>
            <select id={field_id(&path)} {onchange} aria-invalid={invalid.then_some("true")}>
                { for options.iter().map(|name| {
                    let label = if missing && *name == current {
                        format!("{name} (not in this design)")
                    } else {
                        name.clone()
                    };
                    html! { <option value={name.clone()} selected={*name == current}>{ label }</option> }
                }) }
            </select>
            <FieldError {path} />
        </label>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(own: Option<&str>, current: &Value) -> String {
        synced_text(
            own,
            None,
            Some(current),
            |t| Some(attachment_value(t, "aws")),
            |v| v.and_then(Value::as_str).unwrap_or_default().to_owned(),
        )
    }

    #[test]
    fn a_name_stays_a_name_while_the_design_holds_its_arn() {
        let arn = json!("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore");
        assert_eq!(
            shown(Some("AmazonSSMManagedInstanceCore"), &arn),
            "AmazonSSMManagedInstanceCore"
        );
        assert_eq!(shown(None, &arn), arn.as_str().unwrap());
        assert_eq!(shown(Some("Other"), &arn), arn.as_str().unwrap());
    }

    #[test]
    fn a_typed_arn_is_kept_as_typed() {
        let typed = "arn:aws:iam::111122223333:policy/team/x";
        assert_eq!(attachment_value(typed, "aws"), json!(typed));
        assert_eq!(shown(Some(typed), &json!(typed)), typed);
    }
}
