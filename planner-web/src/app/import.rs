//! Importing a file the user picked or dropped: a plan.json or a design replaces the design
//! as edited (after asking, when that has unsaved changes); a file that is neither leaves it
//! unchanged and says why.

use yew::prelude::*;

use crate::browser;
use crate::editor::Editor;
use crate::share;
use crate::state::{Action, Ask, Notice};

/// The callback that reads a file and loads what it holds into `editor`.
pub fn import_file(editor: &Editor) -> Callback<web_sys::File> {
    let editor = editor.clone();
    Callback::from(move |file: web_sys::File| {
        let editor = editor.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let name = file.name();
            let result = browser::read_file(file)
                .await
                .map_err(|e| format!("{name}: {e}; your design is unchanged"))
                .and_then(|text| share::import(&name, &text));
            editor.dispatch(match result {
                Ok(s) => {
                    let n = Notice::info(format!("Imported {name}."));
                    Action::Replace(Box::new(s.into_loaded(Some(n))), Ask::IfUnsaved)
                }
                Err(e) => Action::Notice(Some(Notice::error(e))),
            });
        });
    })
}

/// The file input's change handler: imports the file picked, then clears the input so the same
/// file can be picked again.
pub fn file_input(import: &Callback<web_sys::File>) -> Callback<Event> {
    let import = import.clone();
    Callback::from(move |e: Event| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            import.emit(file);
        }
        input.set_value("");
    })
}

/// The page's drop handler: imports the file dropped.
pub fn file_drop(import: &Callback<web_sys::File>) -> Callback<DragEvent> {
    let import = import.clone();
    Callback::from(move |e: DragEvent| {
        e.prevent_default();
        if let Some(file) = e
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|f| f.get(0))
        {
            import.emit(file);
        }
    })
}
