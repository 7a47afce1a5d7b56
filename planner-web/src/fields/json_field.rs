//! A JSON editor for the value at one design path, in a `<textarea>`.
//!
//! The textarea keeps its own text: re-rendering it from the design on every keystroke would
//! move the caret and throw away the user's layout. The text is replaced from the design only
//! when the design's value is no longer what the text means (an import, a reload, a removed
//! item shifting the ones after it), as decided by [`synced_text`].

use serde_json::Value;
use yew::prelude::*;

use super::doc_findings::DocFindings;
use super::field_error::FieldError;
use crate::editor::use_editor;
use crate::path::{field_id, is_within};
use crate::state::Action;

/// The value `text` means: its JSON, or nothing when it is blank and the value is `optional`.
///
/// ```
/// use planner_web::fields::json_field::parse_text;
/// assert_eq!(parse_text(" [1] ", false), Ok(serde_json::json!([1])));
/// assert_eq!(parse_text("  ", true), Ok(serde_json::Value::Null));
/// assert!(parse_text("{", false).unwrap_err().starts_with("not JSON: "));
/// ```
pub fn parse_text(text: &str, optional: bool) -> Result<Value, String> {
    if optional && text.trim().is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))
}

/// The text an editor that keeps its own text shows:
///
/// * the draft kept for its path (text that is not JSON yet), when there is one;
/// * else its own text, while that still means the design's value (`means`), so the caret
///   and the user's layout stay;
/// * else the design's value as text (`text_of`; a missing value is `None`).
///
/// `own` is `None` before the first render.
pub fn synced_text(
    own: Option<&str>,
    draft: Option<&str>,
    current: Option<&Value>,
    means: impl Fn(&str) -> Option<Value>,
    text_of: impl Fn(Option<&Value>) -> String,
) -> String {
    if let Some(draft) = draft {
        return draft.to_owned();
    }
    let current_or_null = current.unwrap_or(&Value::Null);
    match own {
        Some(own) if means(own).as_ref() == Some(current_or_null) => own.to_owned(),
        _ => text_of(current),
    }
}

/// A value as a JSON editor first shows it: pretty-printed; nothing for no value.
pub fn pretty(value: Option<&Value>) -> String {
    match value {
        None => String::new(),
        Some(v) => serde_json::to_string_pretty(v).unwrap_or_default(),
    }
}

/// Properties of a [`JsonField`].
#[derive(Properties, PartialEq, Clone)]
pub struct JsonFieldProps {
    /// The design path it edits; empty for the whole design.
    pub path: AttrValue,
    /// Its visible label.
    pub label: AttrValue,
    /// The most lines the textarea grows to (it fits its text up to this).
    #[prop_or(24)]
    pub max_rows: usize,
    /// Whether blank text removes the value (an optional member) rather than being an error.
    #[prop_or_default]
    pub optional: bool,
    /// The textarea's DOM id; `field-<path>` by default.
    #[prop_or_default]
    pub id: Option<AttrValue>,
    /// Whether to list the findings about the path under the editor (with the core's error);
    /// otherwise only the error at the path is shown.
    #[prop_or(true)]
    pub findings: bool,
    /// Extra classes on the wrapper.
    #[prop_or_default]
    pub class: Classes,
}

/// A labelled JSON editor for one path: valid JSON is set at the path (so the core's messages
/// land at their fields), other text is kept as a draft with its parse error.
#[function_component]
pub fn JsonField(props: &JsonFieldProps) -> Html {
    let editor = use_editor();
    let own = use_mut_ref(|| None::<String>);
    let path = props.path.to_string();
    let optional = props.optional;
    let draft = editor.drafts.get(&path);
    let text = synced_text(
        own.borrow().as_deref(),
        draft.map(|d| d.text.as_str()),
        editor.value(&path),
        |t| parse_text(t, optional).ok(),
        pretty,
    );
    *own.borrow_mut() = Some(text.clone());

    let oninput = {
        let editor = editor.clone();
        let path = path.clone();
        Callback::from(move |e: InputEvent| {
            let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            let text = area.value();
            *own.borrow_mut() = Some(text.clone());
            editor.dispatch(match parse_text(&text, optional) {
                Ok(value) => Action::Set {
                    path: path.clone(),
                    value,
                },
                Err(error) => Action::Draft {
                    path: path.clone(),
                    text,
                    error,
                },
            });
        })
    };
    let id = props.id.clone().unwrap_or_else(|| field_id(&path).into());
    let invalid = draft.is_some()
        || editor
            .error
            .as_ref()
            .is_some_and(|e| is_within(&e.path, &path));
    let rows = (text.lines().count() + 1).clamp(3, props.max_rows.max(3));
    html! {
        <div class={classes!("field", "json-field", invalid.then_some("invalid"), props.class.clone())}>
            <label class="label" for={id.clone()}>{ &props.label }</label>
            <textarea {id} class="code" rows={rows.to_string()} spellcheck="false"
                autocomplete="off" value={text} {oninput}
                aria-invalid={invalid.then_some("true")} />
            if props.findings {
                if let Some(d) = draft {
                    <span class="field-error" role="alert" data-path={props.path.clone()}>{ &d.error }</span>
                }
                <DocFindings path={props.path.clone()} />
            } else {
                <FieldError path={props.path.clone()} />
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn shown(own: Option<&str>, draft: Option<&str>, current: Option<&Value>) -> String {
        synced_text(own, draft, current, |t| parse_text(t, true).ok(), pretty)
    }

    #[test]
    fn own_text_stays_while_it_means_the_value() {
        let doc = json!({"Version": "2012-10-17", "Statement": []});
        let typed = "{\"Statement\": [],\n   \"Version\": \"2012-10-17\"  }";
        assert_eq!(shown(Some(typed), None, Some(&doc)), typed);
        assert_eq!(shown(Some(""), None, None), "");
        assert_eq!(shown(Some("  "), None, Some(&Value::Null)), "  ");
    }

    #[test]
    fn a_changed_value_replaces_the_text() {
        let doc = json!({"Version": "2012-10-17"});
        let first = shown(None, None, Some(&doc));
        assert_eq!(first, "{\n  \"Version\": \"2012-10-17\"\n}");
        assert_eq!(
            shown(Some("{\"Version\": \"2008-10-17\"}"), None, Some(&doc)),
            first
        );
        assert_eq!(shown(Some("{}"), None, None), "");
        // Text that is not JSON and has no draft any more (cleared by another edit).
        assert_eq!(shown(Some("{\"Vers"), None, Some(&doc)), first);
    }

    #[test]
    fn a_draft_wins() {
        let doc = json!(1);
        assert_eq!(shown(Some("1"), Some("1,"), Some(&doc)), "1,");
        assert_eq!(shown(None, Some("[x"), Some(&doc)), "[x");
    }

    #[test]
    fn blank_is_only_a_value_when_optional() {
        assert_eq!(parse_text("", true), Ok(Value::Null));
        assert!(parse_text("", false).is_err());
        let required = synced_text(
            Some(""),
            None,
            Some(&json!({})),
            |t| parse_text(t, false).ok(),
            pretty,
        );
        assert_eq!(required, "{}");
    }
}
