//! A labelled text input for one path.

use yew::prelude::*;

use super::field_error::FieldError;
use super::kind::Kind;
use crate::editor::use_editor;
use crate::path::field_id;
use crate::state::Action;

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
    /// The id of a `<datalist>` of suggestions.
    #[prop_or_default]
    pub list: Option<AttrValue>,
    /// One line on what the field means, shown under it (and read with the input).
    #[prop_or_default]
    pub help: Option<AttrValue>,
}

/// A labelled text input for one path, with its error under it.
#[function_component]
pub fn TextField(props: &TextFieldProps) -> Html {
    let editor = use_editor();
    let path = props.path.to_string();
    let error = editor.error_at(&path).map(str::to_owned);
    let help_id = props
        .help
        .as_ref()
        .map(|_| format!("{}-help", field_id(&path)));
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
                placeholder={props.placeholder.clone()} {oninput} list={props.list.clone()}
                aria-invalid={error.is_some().then_some("true")}
                aria-describedby={help_id.clone()}
                spellcheck="false" />
            if let Some(help) = &props.help {
                <small class="help" id={help_id}>{ help }</small>
            }
            <FieldError path={props.path.clone()} />
        </label>
    }
}
