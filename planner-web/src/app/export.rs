//! Exports: the plan as plan.json (only while it is of the design as edited and has no error
//! finding; it then becomes the baseline later plans keep subnets in) and the topology diagram
//! as SVG, each a download; a failed download shows as the notice.

use yew::prelude::*;

use crate::browser;
use crate::draw::topology::topology_svg;
use crate::editor::Editor;
use crate::state::{Action, Notice};

/// Shows a failed download as the notice.
fn report(result: Result<(), String>, editor: &Editor) {
    if let Err(e) = result {
        editor.dispatch(Action::Notice(Some(Notice::error(e))));
    }
}

/// The "Export plan.json" button's handler.
pub fn export_plan(editor: &Editor) -> Callback<MouseEvent> {
    let editor = editor.clone();
    Callback::from(move |_| {
        if let Some(p) = editor
            .planned
            .as_ref()
            .filter(|_| editor.export_blocked().is_none())
        {
            let result = browser::download("plan.json", "application/json", &p.plan.to_json());
            match result {
                Ok(()) => editor.dispatch(Action::Exported),
                Err(e) => report(Err(e), &editor),
            }
        }
    })
}

/// The "Download SVG" button's handler.
pub fn export_svg(editor: &Editor) -> Callback<MouseEvent> {
    let editor = editor.clone();
    Callback::from(move |_| {
        if let Some(p) = &editor.planned {
            let name = format!("{}-topology.svg", p.plan.design.name);
            report(
                browser::download(&name, "image/svg+xml", &topology_svg(p)),
                &editor,
            );
        }
    })
}
