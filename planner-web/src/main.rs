//! planner-web: the browser editor, built by trunk from the root `index.html`.
//!
//! It will run planner-core inside the page (no server); the editor itself is the work of its
//! own issue. Until then this binary only proves the core links into a wasm32 executable.

fn main() {
    let _ = planner_core::SCHEMA_VERSION;
}
