//! planner-web: the browser editor. It runs planner-core in the page (WebAssembly, no
//! server), so it works offline and nothing leaves the browser.
//!
//! One [`state::State`] holds the design as edited; components read it from context
//! ([`editor::use_editor`]) and change it only by dispatching [`state::Action`]s, applied by a
//! pure reducer. Browser effects (storage, URL, files, downloads, focus) live in [`browser`]
//! and run in hooks.

pub mod acl;
pub mod app;
pub mod browser;
pub mod cost;
pub mod crash;
pub mod draw;
pub mod editor;
pub mod embed;
pub mod fields;
pub mod findings;
pub mod iam;
pub mod instances;
pub mod jsonedit;
pub mod markup;
pub mod network;
pub mod path;
pub mod sg;
pub mod share;
pub mod start;
pub mod state;
pub mod words;

/// Mounts the editor, or the read-only embed when the URL asks for one, after installing the
/// panic hook ([`crash`]).
pub fn run() {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"))
        .expect("index.html has a #app element");
    match embed::Source::of_page() {
        Some(source) => {
            crash::install(None);
            yew::Renderer::<embed::Embed>::with_root_and_props(root, embed::EmbedProps { source })
                .render();
        }
        None => {
            crash::install(Some(share::AUTOSAVE_KEY));
            yew::Renderer::<app::App>::with_root(root).render();
        }
    }
}
