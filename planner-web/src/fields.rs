//! Form fields bound to a path of the design: they show the value as edited and the core's
//! message for that path, and dispatch [`Action::Set`] on input.

use serde_json::Value;
use yew::prelude::*;

use crate::browser::field_id;
use crate::state::{Action, State};

/// The editor: the state and its dispatcher, provided to every component by the app.
pub type Editor = UseReducerHandle<State>;

/// A click handler that dispatches `action`: add, remove and move buttons.
pub fn on_click(editor: &Editor, action: Action) -> Callback<MouseEvent> {
    let editor = editor.clone();
    Callback::from(move |_| editor.dispatch(action.clone()))
}

/// The editor from context.
#[hook]
pub fn use_editor() -> Editor {
    use_context::<Editor>().expect("components render inside the app's editor context")
}

/// How a text field's text becomes a JSON value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A string as typed.
    Text,
    /// A whole number; other text is kept as a string so the core names the field.
    Number,
    /// A number, or nothing when empty (an optional setting).
    OptionalNumber,
    /// A string, or nothing when empty (an optional setting with a default, such as a path).
    OptionalText,
}

impl Kind {
    /// The value for `text`.
    pub fn value(self, text: &str) -> Value {
        let trimmed = text.trim();
        match self {
            Kind::Text => Value::String(text.to_owned()),
            Kind::OptionalNumber | Kind::OptionalText if trimmed.is_empty() => Value::Null,
            Kind::OptionalText => Value::String(text.to_owned()),
            Kind::Number | Kind::OptionalNumber => trimmed
                .parse::<u64>()
                .map(Value::from)
                .unwrap_or_else(|_| Value::String(text.to_owned())),
        }
    }
}

/// Properties of a [`TextField`].
#[derive(Properties, PartialEq, Clone)]
pub struct TextFieldProps {
    /// The design path it edits.
    pub path: AttrValue,
    /// Its label.
    pub label: AttrValue,
    /// How text becomes a value.
    #[prop_or(Kind::Text)]
    pub kind: Kind,
    /// Placeholder text.
    #[prop_or_default]
    pub placeholder: AttrValue,
    /// Extra class on the wrapper.
    #[prop_or_default]
    pub class: Classes,
}

/// A labelled text input for one path, with its error under it.
#[function_component]
pub fn TextField(props: &TextFieldProps) -> Html {
    let editor = use_editor();
    let path = props.path.to_string();
    let error = editor.error_at(&path).map(str::to_owned);
    let oninput = {
        let editor = editor.clone();
        let path = path.clone();
        let kind = props.kind;
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            editor.dispatch(Action::Set {
                path: path.clone(),
                value: kind.value(&input.value()),
            });
        })
    };
    html! {
        <label class={classes!("field", error.is_some().then_some("invalid"), props.class.clone())}>
            <span class="label">{ &props.label }</span>
            <input id={field_id(&path)} type="text" value={editor.text(&path)}
                placeholder={props.placeholder.clone()} {oninput}
                aria-invalid={error.is_some().then_some("true")}
                spellcheck="false" />
            <FieldError path={props.path.clone()} />
        </label>
    }
}

/// Properties of a [`Select`].
#[derive(Properties, PartialEq, Clone)]
pub struct SelectProps {
    /// The design path it edits.
    pub path: AttrValue,
    /// Its label.
    pub label: AttrValue,
    /// The JSON strings it offers, with their labels.
    pub options: Vec<(AttrValue, AttrValue)>,
    /// The value shown when the path has none (the design's default).
    #[prop_or_default]
    pub default: AttrValue,
}

/// A labelled drop-down setting a string at one path.
#[function_component]
pub fn Select(props: &SelectProps) -> Html {
    let editor = use_editor();
    let path = props.path.to_string();
    let current = match editor.text(&path) {
        t if t.is_empty() => props.default.to_string(),
        t => t,
    };
    let onchange = {
        let editor = editor.clone();
        let path = path.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            editor.dispatch(Action::Set {
                path: path.clone(),
                value: Value::String(select.value()),
            });
        })
    };
    let error = editor.error_at(&path).is_some();
    html! {
        <label class={classes!("field", error.then_some("invalid"))}>
            <span class="label">{ &props.label }</span>
            <select id={field_id(&path)} {onchange}>
                { for props.options.iter().map(|(value, label)| html! {
                    <option value={value.clone()} selected={*value == current}>{ label }</option>
                }) }
            </select>
            <FieldError path={props.path.clone()} />
        </label>
    }
}

/// Properties of a [`Checkbox`].
#[derive(Properties, PartialEq, Clone)]
pub struct CheckboxProps {
    /// The design path it edits (a boolean).
    pub path: AttrValue,
    /// Its label.
    pub label: AttrValue,
}

/// A labelled checkbox for a boolean path; unchecked removes the member (the default).
#[function_component]
pub fn Checkbox(props: &CheckboxProps) -> Html {
    let editor = use_editor();
    let path = props.path.to_string();
    let checked = editor.value(&path) == Some(&Value::Bool(true));
    let onchange = {
        let editor = editor.clone();
        let path = path.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            editor.dispatch(Action::Set {
                path: path.clone(),
                value: if input.checked() {
                    Value::Bool(true)
                } else {
                    Value::Null
                },
            });
        })
    };
    html! {
        <label class="field check">
            <input id={field_id(&path)} type="checkbox" {checked} {onchange} />
            <span class="label">{ &props.label }</span>
            <FieldError path={props.path.clone()} />
        </label>
    }
}

/// Properties of a [`FieldError`].
#[derive(Properties, PartialEq, Clone)]
pub struct FieldErrorProps {
    /// The path whose message to show.
    pub path: AttrValue,
}

/// The core's message for a path, if any.
#[function_component]
pub fn FieldError(props: &FieldErrorProps) -> Html {
    let editor = use_editor();
    match editor.error_at(&props.path) {
        Some(message) => html! {
            <span class="field-error" role="alert" data-path={props.path.clone()}>{ message }</span>
        },
        None => html! {},
    }
}
