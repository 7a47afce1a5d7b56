//! What the page does when its code panics. A panic in WebAssembly aborts the call it happens
//! in and leaves the page's state half-updated (Yew's `RefCell`s stay borrowed, so every later
//! input fails and nothing is drawn again). The hook makes that visible instead of silent: it
//! stops autosave (the last snapshot written before the panic is the user's good copy, and
//! nothing the dead page does may overwrite it), puts a banner over the page that says what
//! happened, that the work is kept and how to get it back, and makes the dead editor inert.

use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

use crate::browser;

/// Installs the panic hook; `autosave_key` is where the editor autosaves (`None` for the
/// read-only embed, which has nothing to keep).
pub fn install(autosave_key: Option<&'static str>) {
    // Through Yew, which otherwise replaces any hook with its own when the app is rendered.
    yew::set_custom_panic_hook(Box::new(move |info| {
        browser::stop_saving();
        // The message and the JavaScript stack on the console, as Yew's own hook logs them.
        console_error_panic_hook::hook(info);
        let _ = show_banner(autosave_key, &info.to_string());
    }));
}

/// Whether the crash banner is showing.
pub fn has_crashed() -> bool {
    document().is_some_and(|d| d.get_element_by_id("crash").is_some())
}

fn document() -> Option<Document> {
    web_sys::window()?.document()
}

/// A new `tag` element with `text`, appended to `parent`.
fn add(document: &Document, parent: &Element, tag: &str, text: &str) -> Option<Element> {
    let e = document.create_element(tag).ok()?;
    e.set_text_content(Some(text));
    parent.append_child(&e).ok()?;
    Some(e)
}

/// The banner, once, at the top of the page; the editor under it made inert.
fn show_banner(autosave_key: Option<&str>, details: &str) -> Option<()> {
    let document = document()?;
    if document.get_element_by_id("crash").is_some() {
        return Some(());
    }
    let banner = document.create_element("div").ok()?;
    banner.set_id("crash");
    banner.set_class_name("crash");
    banner.set_attribute("role", "alert").ok()?;
    add(&document, &banner, "h2", "The planner stopped working")?;
    add(
        &document,
        &banner,
        "p",
        "Something went wrong inside the page, and it can no longer take changes: \
         anything typed from now on would be lost.",
    )?;
    let saved = autosave_key.and_then(browser::load);
    let keep = match (autosave_key, &saved) {
        (Some(_), Some(_)) => {
            "Your work is safe up to your last change before this message: it is in this \
             browser's autosave, and nothing will overwrite it now. Reload the page to go on \
             from there, or download it to keep a copy (Import… opens it)."
        }
        (Some(_), None) => "Nothing was autosaved yet. Reload the page to start again.",
        (None, _) => "Reload the page to try again.",
    };
    add(&document, &banner, "p", keep)?;
    let actions = add(&document, &banner, "div", "")?;
    actions.set_class_name("actions");
    let reload = add(&document, &actions, "button", "Reload the page")?;
    reload.set_id("crash-reload");
    reload.set_attribute("type", "button").ok()?;
    reload.set_attribute("onclick", "location.reload()").ok()?;
    if let Some(design) = saved.as_deref().and_then(design_of) {
        let link = add(&document, &actions, "a", "Download the autosaved design")?;
        link.set_id("crash-download");
        link.set_class_name("button");
        link.set_attribute("download", "autosaved-design.json")
            .ok()?;
        let href = format!(
            "data:application/json;charset=utf-8,{}",
            js_sys::encode_uri_component(&design)
        );
        link.set_attribute("href", &href).ok()?;
    }
    let more = add(&document, &banner, "details", "")?;
    add(&document, &more, "summary", "Details for a bug report")?;
    add(&document, &more, "pre", details)?;
    let body = document.body()?;
    body.prepend_with_node_1(&banner).ok()?;
    if let Some(app) = document.get_element_by_id("app") {
        app.set_attribute("inert", "").ok()?;
    }
    if let Some(button) = reload.dyn_ref::<web_sys::HtmlElement>() {
        let _ = button.focus();
    }
    Some(())
}

/// The design of an autosaved snapshot, as a file Import… reads.
fn design_of(saved: &str) -> Option<String> {
    let snapshot: serde_json::Value = serde_json::from_str(saved).ok()?;
    serde_json::to_string_pretty(snapshot.get("design")?).ok()
}
