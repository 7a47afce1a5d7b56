//! Exports: the plan as plan.json, as a CloudFormation template and as Terraform configuration (only while it is of the
//! design as edited and has no error finding; it then becomes the baseline later plans keep
//! subnets in, since those subnets may now be deployed) and the topology diagram as SVG, each a
//! download; a failed download shows as the notice.

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

/// The "Export CloudFormation" button's handler: the template `executor export --format
/// cloudformation` writes, as `<name>.template.json`.
pub fn export_cloudformation(editor: &Editor) -> Callback<MouseEvent> {
    let editor = editor.clone();
    Callback::from(move |_| {
        let Some(p) = editor
            .planned
            .as_ref()
            .filter(|_| editor.export_blocked().is_none())
        else {
            return;
        };
        let name = format!("{}.template.json", p.plan.design.name);
        let result = planner_core::export::cloudformation::template(&p.plan)
            .map_err(|e| format!("CloudFormation export: {e}"))
            .and_then(|t| browser::download(&name, "application/json", &t));
        match result {
            Ok(()) => editor.dispatch(Action::Exported),
            Err(e) => report(Err(e), &editor),
        }
    })
}

/// The "Export Terraform" button's handler: the files `executor export --format terraform`
/// writes, in one tar under `<name>-terraform/`.
pub fn export_terraform(editor: &Editor) -> Callback<MouseEvent> {
    let editor = editor.clone();
    Callback::from(move |_| {
        let Some(p) = editor
            .planned
            .as_ref()
            .filter(|_| editor.export_blocked().is_none())
        else {
            return;
        };
        let dir = format!("{}-terraform", p.plan.design.name);
        let archive = planner_core::export::terraform::files(&p.plan)
            .map_err(|e| format!("Terraform export: {e}"))
            .and_then(|files| {
                planner_core::export::archive::tar(&dir, &files)
                    .map_err(|e| format!("Terraform export: {e}"))
            });
        let result = archive
            .and_then(|tar| browser::download(&format!("{dir}.tar"), "application/x-tar", &tar));
        match result {
            Ok(()) => editor.dispatch(Action::Exported),
            Err(e) => report(Err(e), &editor),
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
