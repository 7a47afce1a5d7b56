//! The panic hook in a real browser: the editor mounted, autosaved, then a panic. Run as
//! `components.rs` is (see there); this file is its own test binary because a panic leaves the
//! WebAssembly instance it happens in unfit for further tests.
//!
//! No input of the editor panics (planner-core is panic-free), so the panic here is raised by
//! the test itself, from a timer, outside any test call: a wasm panic aborts the whole call
//! stack it happens in, as it does in the page.
#![cfg(target_arch = "wasm32")]

use planner_web::app::App;
use planner_web::share::AUTOSAVE_KEY;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{HtmlElement, HtmlInputElement};
use yew::Renderer;

wasm_bindgen_test_configure!(run_in_browser);

fn window() -> web_sys::Window {
    web_sys::window().expect("a window")
}

fn document() -> web_sys::Document {
    window().document().expect("a document")
}

fn storage() -> web_sys::Storage {
    window()
        .local_storage()
        .expect("local storage")
        .expect("local storage enabled")
}

/// Resolves after `ms` milliseconds.
async fn tick(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .expect("setTimeout");
    });
    JsFuture::from(promise).await.expect("a timeout resolves");
}

/// Waits until `ready` holds, for up to five seconds.
async fn wait_for(what: &str, ready: impl Fn() -> bool) {
    for _ in 0..500 {
        if ready() {
            return;
        }
        tick(10).await;
    }
    panic!("timed out waiting for {what}");
}

fn exists(selector: &str) -> bool {
    document()
        .query_selector(selector)
        .expect("a valid selector")
        .is_some()
}

fn text(selector: &str) -> String {
    document()
        .query_selector(selector)
        .expect("a valid selector")
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

fn click(selector: &str) {
    document()
        .query_selector(selector)
        .expect("a valid selector")
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
        .unwrap_or_else(|| panic!("no {selector}"))
        .click();
}

/// Types `value` into the field for `path` (one `input` event).
fn type_into(path: &str, value: &str) {
    let input: HtmlInputElement = document()
        .get_element_by_id(&format!("field-{path}"))
        .unwrap_or_else(|| panic!("no field for {path}"))
        .dyn_into()
        .expect("an <input>");
    input.set_value(value);
    let init = web_sys::InputEventInit::new();
    init.set_bubbles(true);
    let event =
        web_sys::InputEvent::new_with_event_init_dict("input", &init).expect("an input event");
    input.dispatch_event(&event).expect("dispatch input");
}

fn autosaved() -> String {
    storage()
        .get_item(AUTOSAVE_KEY)
        .expect("read local storage")
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn a_panic_shows_the_banner_and_nothing_overwrites_the_autosave() {
    storage().clear().expect("clear local storage");
    let root = document().create_element("div").expect("a div");
    root.set_id("app");
    document()
        .body()
        .expect("a body")
        .append_child(&root)
        .expect("append");
    planner_web::crash::install(Some(AUTOSAVE_KEY));
    let _app = Renderer::<App>::with_root(root.clone()).render();
    wait_for("the start dialog", || exists("#start-go")).await;
    click("#start-go");
    wait_for("the first plan", || exists(".subnet-map")).await;
    type_into("name", "kept-before-the-panic");
    wait_for("the autosave of the edit", || {
        autosaved().contains("kept-before-the-panic")
    })
    .await;
    let good = autosaved();
    assert!(!planner_web::crash::has_crashed());

    let boom = Closure::once_into_js(|| -> () { panic!("a panic for the test") });
    window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(boom.unchecked_ref(), 0)
        .expect("setTimeout");
    wait_for("the crash banner", || exists("#crash")).await;

    let banner = text("#crash");
    for words in [
        "The planner stopped working",
        "Your work is safe up to your last change",
        "Reload the page",
        "a panic for the test",
    ] {
        assert!(
            banner.contains(words),
            "the banner says {words:?}: {banner}"
        );
    }
    assert!(exists("#crash-reload"), "a reload button");
    let download = document()
        .get_element_by_id("crash-download")
        .expect("a download of the autosaved design");
    let href = download.get_attribute("href").unwrap_or_default();
    let design = js_sys::decode_uri_component(
        href.strip_prefix("data:application/json;charset=utf-8,")
            .expect("a JSON data URL"),
    )
    .expect("decodes");
    let design: serde_json::Value =
        serde_json::from_str(&String::from(design)).expect("the design as JSON");
    assert_eq!(design["name"], "kept-before-the-panic");
    assert!(
        root.has_attribute("inert"),
        "the dead editor takes no input"
    );

    // The editor still renders here (this panic left Yew's state alone), so an edit after the
    // panic reaches the autosave effect: it must not be written.
    type_into("name", "typed-after-the-panic");
    wait_for("the edit to render", || {
        text(".design-name") == "typed-after-the-panic"
    })
    .await;
    tick(50).await;
    assert_eq!(
        autosaved(),
        good,
        "the autosave is the one from before the panic"
    );
}
