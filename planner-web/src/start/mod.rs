//! The start dialog: a blank design, or one of the vendor presets with its parameters (the
//! same presets and parameters as `executor preset`). `param` draws a parameter's input.

mod param;

use planner_core::presets;
use yew::prelude::*;

use crate::browser;
use crate::state::{self, Loaded, Notice};
use param::param_control;

/// Properties of [`StartDialog`].
#[derive(Properties, PartialEq, Clone)]
pub struct StartDialogProps {
    /// Receives the design of the chosen start.
    pub on_start: Callback<Loaded>,
    /// Closes the dialog without a change; `None` when there is nothing to go back to.
    #[prop_or_default]
    pub on_cancel: Option<Callback<()>>,
}

/// The dialog.
#[function_component]
pub fn StartDialog(props: &StartDialogProps) -> Html {
    let presets = use_memo((), |_| presets::list());
    let chosen = use_state(|| "blank".to_owned());
    let values = use_state(Vec::<(String, String)>::new);
    let error = use_state(|| None::<String>);

    let info = presets.iter().find(|p| p.name == chosen.as_str()).copied();
    let choose = |name: &'static str| {
        let chosen = chosen.clone();
        let values = values.clone();
        let error = error.clone();
        Callback::from(move |_| {
            chosen.set(name.to_owned());
            values.set(Vec::new());
            error.set(None);
        })
    };
    let set_param = |key: &'static str| {
        let values = values.clone();
        Callback::from(move |value: String| {
            let mut v = (*values).clone();
            v.retain(|(k, _)| k != key);
            v.push((key.to_owned(), value));
            values.set(v);
        })
    };
    let onsubmit = {
        let chosen = chosen.clone();
        let values = values.clone();
        let error = error.clone();
        let on_start = props.on_start.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let result = if chosen.as_str() == "blank" {
                Ok(state::blank())
            } else {
                let pairs: Vec<(&str, &str)> = values
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                state::preset(&chosen, &pairs)
            };
            match result {
                Ok(doc) => {
                    error.set(None);
                    let what = match chosen.as_str() {
                        "blank" => "a blank design".to_owned(),
                        name => format!("the {name} preset"),
                    };
                    let notice = Notice::info(format!("Started from {what}."));
                    on_start.emit(Loaded::fresh(doc, Some(notice)));
                }
                Err(e) => error.set(Some(e)),
            }
        })
    };
    let current = |key: &str, default: &str| {
        values
            .iter()
            .find(|(k, _)| k == key)
            .map_or_else(|| default.to_owned(), |(_, v)| v.clone())
    };

    // Keyboard users land in the dialog and stay in it until it closes, when focus goes back
    // to what opened it (New…); Escape leaves it when there is somewhere to go back to.
    use_effect_with((), |_| {
        let opener = browser::focused();
        browser::focus_field_id("start-go");
        move || {
            if let Some(opener) = opener {
                browser::refocus(&opener);
            }
        }
    });
    let onkeydown = {
        let cancel = props.on_cancel.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                if let Some(cancel) = &cancel {
                    cancel.emit(());
                }
            }
            browser::keep_tab_inside("start-dialog", &e);
        })
    };
    html! {
        <div class="dialog-backdrop">
        <form class="dialog start" id="start-dialog" role="dialog" aria-modal="true" aria-labelledby="start-title" {onsubmit} {onkeydown}>
            <h2 id="start-title">{ "Start a design" }</h2>
            <fieldset class="choices">
                <legend>{ "Start from" }</legend>
                <label class="choice">
                    <input type="radio" name="start" id="start-blank" value="blank"
                        checked={chosen.as_str() == "blank"} onchange={choose("blank")} />
                    <span><b>{ "Blank" }</b>{ ": a VPC over two AZs with a public and a private tier, and a NAT gateway in each AZ (the CDK's default; choose another NAT in the network tab)" }</span>
                </label>
                { for presets.iter().map(|p| html! {
                    <label class="choice">
                        <input type="radio" name="start" id={format!("start-{}", p.name)} value={p.name}
                            checked={chosen.as_str() == p.name} onchange={choose(p.name)} />
                        <span><b>{ p.name }</b>{ ": " }{ p.summary }</span>
                    </label>
                }) }
            </fieldset>
            if let Some(info) = info {
                <fieldset class="params">
                    <legend>{ format!("{} parameters", info.name) }</legend>
                    { for info.params.iter().map(|param| {
                        let id = format!("param-{}", param.key);
                        let value = current(param.key, param.default);
                        let on_set = set_param(param.key);
                        let control = param_control(param, &id, &value, on_set);
                        html! {
                            <div class="field">
                                <label class="label" for={id}>{ param.key }</label>
                                { control }
                                <small class="help">{ param.help }</small>
                            </div>
                        }
                    }) }
                </fieldset>
            }
            if let Some(e) = &*error {
                <p class="field-error" role="alert">{ e }</p>
            }
            <div class="actions">
                <button type="submit" id="start-go" class="primary">{ "Start" }</button>
                if let Some(cancel) = &props.on_cancel {
                    <button type="button" id="start-cancel" onclick={cancel.reform(|_| ())}>{ "Cancel" }</button>
                }
            </div>
        </form>
        </div>
    }
}
