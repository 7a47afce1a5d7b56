//! The findings panel: every diagnostic with code, severity and message; clicking one takes
//! the user to the field it is about.

use planner_core::{Diagnostic, Severity};
use yew::prelude::*;

use crate::state::{Action, FieldError};

/// Properties of [`Findings`].
#[derive(Properties, PartialEq, Clone)]
pub struct FindingsProps {
    /// The findings, most severe first.
    pub diagnostics: Vec<Diagnostic>,
    /// The error that stops the current design from planning, shown first.
    #[prop_or_default]
    pub error: Option<FieldError>,
    /// Where a click goes; `None` in the read-only embed.
    #[prop_or_default]
    pub on_focus: Option<Callback<Action>>,
}

/// Counts by severity, e.g. `1 error, 2 warnings`; `input_error` is the error that stops the
/// design from planning, listed first and counted with the errors.
pub fn summary(diagnostics: &[Diagnostic], input_error: bool) -> String {
    let count = |s| diagnostics.iter().filter(|d| d.severity == s).count();
    let errors = count(Severity::Error) + usize::from(input_error);
    let part = |n: usize, what: &str| match n {
        1 => format!("1 {what}"),
        n => format!("{n} {what}s"),
    };
    format!(
        "{}, {}, {}",
        part(errors, "error"),
        part(count(Severity::Warning), "warning"),
        part(count(Severity::Info), "note")
    )
}

/// The findings panel.
#[function_component]
pub fn Findings(props: &FindingsProps) -> Html {
    let item = |code: &str, severity: &str, path: &str, message: &str| {
        let body = html! {
            <>
                <span class={classes!("sev", severity.to_owned())}>{ severity }</span>
                <code class="code">{ code }</code>
                if !path.is_empty() { <code class="path">{ path }</code> }
                <span class="message">{ message }</span>
            </>
        };
        match &props.on_focus {
            Some(on_focus) => {
                let on_focus = on_focus.clone();
                let target = path.to_owned();
                let onclick = Callback::from(move |_| on_focus.emit(Action::Focus(target.clone())));
                html! {
                    <li class="finding" data-code={code.to_owned()}>
                        <button type="button" class="finding-button" {onclick}
                            title="Go to the field">{ body }</button>
                    </li>
                }
            }
            None => html! { <li class="finding" data-code={code.to_owned()}>{ body }</li> },
        }
    };
    html! {
        <section class="findings" aria-labelledby="findings-title">
            <h2 id="findings-title">{ "Findings" }
                <small class="count">{ summary(&props.diagnostics, props.error.is_some()) }</small></h2>
            <ul>
                if let Some(e) = &props.error {
                    { item("INPUT", "error", &e.path, &e.message) }
                }
                { for props.diagnostics.iter().map(|d| {
                    item(d.code, &d.severity.to_string(), &d.path, &d.message)
                }) }
            </ul>
            if props.diagnostics.is_empty() && props.error.is_none() {
                <p class="empty">{ "No findings." }</p>
            }
        </section>
    }
}
