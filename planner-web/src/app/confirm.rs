//! The question asked before the design is replaced, in the page (not `window.confirm`, which
//! blocks the page and cannot be styled or read by assistive technology the same way).

use yew::prelude::*;

use crate::state::Pending;

/// The dialog for `pending`; `on_answer` gets `true` to replace the design, `false` to keep it.
pub fn confirm_dialog(pending: &Pending, on_answer: Callback<bool>) -> Html {
    let keydown = {
        let on_answer = on_answer.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                on_answer.emit(false);
            }
            crate::browser::keep_tab_inside("confirm", &e);
        })
    };
    html! {
        <div class="dialog-backdrop">
            <div class="dialog confirm" id="confirm" role="alertdialog" aria-modal="true"
                aria-labelledby="confirm-title" aria-describedby="confirm-text" onkeydown={keydown}>
                <h2 id="confirm-title">{ "Replace the design?" }</h2>
                <p id="confirm-text">{ &pending.question }</p>
                <p class="help">{ "Undo in the toolbar brings your design back." }</p>
                <div class="actions">
                    <button type="button" id="confirm-keep" class="primary"
                        onclick={on_answer.reform(|_| false)}>{ "Keep my design" }</button>
                    <button type="button" id="confirm-replace"
                        onclick={on_answer.reform(|_| true)}>{ "Replace it" }</button>
                </div>
            </div>
        </div>
    }
}
