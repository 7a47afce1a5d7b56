//! The browser side effects the components use: storage, URL, files, downloads, focus, event
//! listeners on the window. Nothing here decides anything; the state module does.

use std::sync::atomic::{AtomicBool, Ordering};

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::path::{self, field_id};

fn window() -> web_sys::Window {
    web_sys::window().expect("runs in a browser window")
}

fn js_error(e: JsValue) -> String {
    e.as_string()
        .or_else(|| {
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| format!("{e:?}"))
}

/// Reads local storage.
pub fn load(key: &str) -> Option<String> {
    window().local_storage().ok()??.get_item(key).ok()?
}

/// Set once the page has panicked: from then on nothing is written to local storage.
static SAVING_STOPPED: AtomicBool = AtomicBool::new(false);

/// Stops every later [`save`]: after a panic the page's state cannot be trusted, and the last
/// autosave written before it is the user's good copy.
pub fn stop_saving() {
    SAVING_STOPPED.store(true, Ordering::SeqCst);
}

/// Whether [`stop_saving`] was called.
pub fn saving_stopped() -> bool {
    SAVING_STOPPED.load(Ordering::SeqCst)
}

/// Writes local storage, unless saving was stopped; a full or disabled storage is reported on
/// the console only.
pub fn save(key: &str, value: &str) {
    if saving_stopped() {
        return;
    }
    let result = window()
        .local_storage()
        .map_err(js_error)
        .and_then(|s| s.ok_or_else(|| "no local storage".to_owned()))
        .and_then(|s| s.set_item(key, value).map_err(js_error));
    if let Err(e) = result {
        web_sys::console::warn_1(&format!("autosave failed: {e}").into());
    }
}

/// The URL fragment without its `#`.
pub fn fragment() -> String {
    let hash = window().location().hash().unwrap_or_default();
    hash.strip_prefix('#').unwrap_or(&hash).to_owned()
}

/// Replaces the URL fragment without adding a history entry (empty removes it).
pub fn replace_fragment(fragment: &str) {
    let location = window().location();
    let base = location.href().unwrap_or_default();
    let base = base.split('#').next().unwrap_or_default().to_owned();
    let url = if fragment.is_empty() {
        base
    } else {
        format!("{base}#{fragment}")
    };
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}

/// The page's URL without its fragment.
pub fn page_url() -> String {
    let href = window().location().href().unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_owned()
}

/// A query parameter of the page's URL.
pub fn query(name: &str) -> Option<String> {
    let search = window().location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get(name)
}

/// Offers `text` as a file download.
pub fn download(file_name: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob =
        web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(js_error)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(js_error)?;
    let document = window().document().expect("a window has a document");
    let a: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(js_error)?
        .unchecked_into();
    a.set_href(&url);
    a.set_download(file_name);
    a.click();
    web_sys::Url::revoke_object_url(&url).map_err(js_error)
}

/// Reads a file the user picked or dropped.
pub async fn read_file(file: web_sys::File) -> Result<String, String> {
    let text = JsFuture::from(file.text()).await.map_err(js_error)?;
    text.as_string()
        .ok_or_else(|| "the file is not text".to_owned())
}

/// Fetches a text resource (an embedded plan).
pub async fn fetch_text(url: &str) -> Result<String, String> {
    let response = JsFuture::from(window().fetch_with_str(url))
        .await
        .map_err(js_error)?;
    let response: web_sys::Response = response.unchecked_into();
    if !response.ok() {
        return Err(format!("{url}: HTTP {}", response.status()));
    }
    let text = JsFuture::from(response.text().map_err(js_error)?)
        .await
        .map_err(js_error)?;
    text.as_string().ok_or_else(|| format!("{url}: not text"))
}

/// A warning on the browser's console (for what the page can do without).
pub fn log(message: &str) {
    web_sys::console::warn_1(&message.into());
}

/// Fetches a binary resource of the page's own origin (the IAM catalogue's details).
pub async fn fetch_bytes(url: &str) -> Result<Vec<u8>, String> {
    let response = JsFuture::from(window().fetch_with_str(url))
        .await
        .map_err(js_error)?;
    let response: web_sys::Response = response.unchecked_into();
    if !response.ok() {
        return Err(format!("{url}: HTTP {}", response.status()));
    }
    let buffer = JsFuture::from(response.array_buffer().map_err(js_error)?)
        .await
        .map_err(js_error)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Milliseconds since navigation started.
pub fn now() -> f64 {
    window().performance().map_or(0.0, |p| p.now())
}

/// Scrolls to and focuses the field for `path`, or the nearest enclosing one on the page.
pub fn focus_field(path: &str) {
    let document = window().document().expect("a window has a document");
    let mut at = Some(path);
    while let Some(p) = at {
        if let Some(el) = document.get_element_by_id(&field_id(p)) {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Center);
            el.scroll_into_view_with_scroll_into_view_options(&options);
            if let Some(el) = el.dyn_ref::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
            return;
        }
        at = path::parent(p);
    }
}

/// Records a performance mark (read by the browser tests' timing report).
pub fn mark(name: &str) {
    if let Some(p) = window().performance() {
        let _ = p.mark(name);
    }
}

/// Scrolls the element with this DOM id into view, if there is one.
pub fn scroll_to(id: &str) {
    let element = window().document().and_then(|d| d.get_element_by_id(id));
    if let Some(element) = element {
        element.scroll_into_view();
    }
}

/// Focuses the element with this DOM id, if there is one.
pub fn focus_field_id(id: &str) {
    let element = window()
        .document()
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}

/// The element that has focus now, to give focus back to later (a dialog's opener).
pub fn focused() -> Option<web_sys::HtmlElement> {
    window()
        .document()?
        .active_element()?
        .dyn_into::<web_sys::HtmlElement>()
        .ok()
}

/// Focuses `element` again (a dialog's opener when the dialog closes), if it is still on the
/// page.
pub fn refocus(element: &web_sys::HtmlElement) {
    if element.is_connected() {
        let _ = element.focus();
    }
}

/// What Tab can reach in a dialog; of a group of radio buttons, only the checked one.
const TABBABLE: &str = "button:not([disabled]), input:not([disabled]):not([type=radio]), \
    input[type=radio]:checked:not([disabled]), select:not([disabled]), \
    textarea:not([disabled]), a[href], [tabindex]:not([tabindex='-1'])";

/// Keeps Tab and Shift+Tab inside the element with DOM id `container` (a modal dialog): Tab
/// on its last stop goes to its first, Shift+Tab on its first to its last, and focus that
/// has left it comes back.
pub fn keep_tab_inside(container: &str, e: &web_sys::KeyboardEvent) {
    if e.key() != "Tab" {
        return;
    }
    let Some(document) = window().document() else {
        return;
    };
    let Some(root) = document.get_element_by_id(container) else {
        return;
    };
    let Ok(list) = root.query_selector_all(TABBABLE) else {
        return;
    };
    let stops: Vec<web_sys::HtmlElement> = (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        .filter(|el| el.offset_parent().is_some())
        .collect();
    let (Some(first), Some(last)) = (stops.first(), stops.last()) else {
        return;
    };
    let active = document.active_element();
    let is = |el: &web_sys::HtmlElement| active.as_ref().is_some_and(|a| a == el.as_ref());
    let inside = active.as_ref().is_some_and(|a| root.contains(Some(a)));
    let target = match (e.shift_key(), inside) {
        (true, true) if is(first) => last,
        (false, true) if is(last) => first,
        (_, true) => return,
        (true, false) => last,
        (false, false) => first,
    };
    e.prevent_default();
    let _ = target.focus();
}

/// A listener on a window event; removed when dropped.
pub struct Listener {
    event: &'static str,
    closure: Closure<dyn Fn()>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = window()
            .remove_event_listener_with_callback(self.event, self.closure.as_ref().unchecked_ref());
    }
}

/// Calls `f` on every `event` on the window (`hashchange`) until the listener is dropped.
pub fn listen(event: &'static str, f: impl Fn() + 'static) -> Listener {
    let closure = Closure::<dyn Fn()>::new(f);
    let _ = window().add_event_listener_with_callback(event, closure.as_ref().unchecked_ref());
    Listener { event, closure }
}
