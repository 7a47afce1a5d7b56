//! The share panel: the share link and the embed snippet, selected whole on focus.

use yew::prelude::*;

/// The panel for a share `link` and an `embed` link.
pub fn share_panel(link: &str, embed: &str, on_close: Callback<MouseEvent>) -> Html {
    let select_all = Callback::from(|e: FocusEvent| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        input.select();
    });
    html! {
        <div class="share" id="share-panel">
            <label class="field"><span class="label">{ "Share link (the design travels in the URL; nothing is uploaded)" }</span>
                <input id="share-link" type="text" readonly=true value={link.to_owned()} onfocus={select_all.clone()} /></label>
            <label class="field"><span class="label">{ "Embed in docs" }</span>
                <input id="embed-snippet" type="text" readonly=true onfocus={select_all}
                    value={format!(r#"<iframe src="{embed}" width="100%" height="640" style="border:0" title="Network plan"></iframe>"#)} /></label>
            <button type="button" onclick={on_close}>{ "Close" }</button>
        </div>
    }
}
