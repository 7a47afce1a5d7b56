//! A preset parameter's input: a checkbox, a drop-down or a text field, by its kind.

use planner_core::presets::{Param, ParamKind};
use yew::prelude::*;

/// The input of `param`, with DOM id `id`, showing `value`; `on_set` receives each new value.
pub fn param_control(param: &Param, id: &str, value: &str, on_set: Callback<String>) -> Html {
    match param.kind {
        ParamKind::Bool => {
            html! { <input id={id.to_owned()} type="checkbox" checked={value == "true"}
            onchange={Callback::from(move |e: Event| {
                let i: web_sys::HtmlInputElement = e.target_unchecked_into();
                on_set.emit(i.checked().to_string());
            })} /> }
        }
        ParamKind::OneOf(options) => {
            html! { <select id={id.to_owned()} onchange={Callback::from(move |e: Event| {
                    let s: web_sys::HtmlSelectElement = e.target_unchecked_into();
                    on_set.emit(s.value());
                })}>
                { for options.iter().map(|o| html! {
                    <option value={*o} selected={*o == value}>{ *o }</option>
                }) }
            </select> }
        }
        _ => html! { <input id={id.to_owned()} type="text" value={value.to_owned()}
        oninput={Callback::from(move |e: InputEvent| {
            let i: web_sys::HtmlInputElement = e.target_unchecked_into();
            on_set.emit(i.value());
        })} /> },
    }
}
