//! The toolbar: the design's name, New…, Import…, Undo, the exports (plan.json, CloudFormation,
//! Terraform, SVG; with the reason when the plan cannot be exported) and Share link.

use yew::prelude::*;

use super::export::{export_cloudformation, export_plan, export_svg, export_terraform};
use crate::editor::Editor;
use crate::state::Action;

/// Properties of [`Toolbar`].
#[derive(Properties, PartialEq, Clone)]
pub struct ToolbarProps {
    /// The editor.
    pub editor: Editor,
    /// Opens the start dialog.
    pub on_new: Callback<MouseEvent>,
    /// The file input's change handler.
    pub on_file: Callback<Event>,
    /// Opens the share panel.
    pub on_share: Callback<MouseEvent>,
}

/// The toolbar.
#[function_component]
pub fn Toolbar(props: &ToolbarProps) -> Html {
    let editor = &props.editor;
    let name = editor
        .value("name")
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_owned();
    let blocked = editor.export_blocked();
    let undo = editor.undo.as_ref().map(|u| {
        let label = format!("Undo {}", u.what);
        let editor = editor.clone();
        let onclick = Callback::from(move |_| editor.dispatch(Action::Undo));
        html! {
            <button type="button" id="undo" title={label.clone()} aria-label={label} {onclick}>{ "↶ Undo" }</button>
        }
    });
    html! {
        <header class="toolbar">
            <h1>{ "VPC planner" }</h1>
            <span class="design-name">{ name }</span>
            if editor.unsaved {
                <span class="unsaved" title="Changes since the design was loaded or exported are kept in this browser's autosave">
                    { "not exported" }</span>
            }
            <nav class="actions" aria-label="File">
                <button type="button" id="new" onclick={props.on_new.clone()}>{ "New…" }</button>
                // The input before its label, so that its focus ring shows on the label.
                <input id="import-file" class="visually-hidden" type="file"
                    accept=".json,application/json" onchange={props.on_file.clone()} />
                <label class="button" for="import-file">{ "Import…" }</label>
                { for undo }
                // Its room is kept when there is nothing to say, so that the toolbar keeps its
                // size while an error comes and goes.
                <span class="export-blocked-slot">
                    if let Some(why) = &blocked {
                        <span id="export-blocked" class="export-blocked" role="status" title={why.clone()}>{ why }</span>
                    }
                </span>
                <button type="button" id="export-plan" onclick={export_plan(editor)}
                    disabled={editor.planned.is_none() || blocked.is_some()}
                    aria-describedby={blocked.is_some().then_some("export-blocked")}
                    title={blocked.clone().unwrap_or_else(|| "Download plan.json for `executor run`".to_owned())}>
                    { "Export plan.json" }</button>
                <button type="button" id="export-cloudformation" onclick={export_cloudformation(editor)}
                    disabled={editor.planned.is_none() || blocked.is_some()}
                    aria-describedby={blocked.is_some().then_some("export-blocked")}
                    title={blocked.clone().unwrap_or_else(|| "Download the CloudFormation template (create the stack with CAPABILITY_NAMED_IAM)".to_owned())}>
                    { "Export CloudFormation" }</button>
                <button type="button" id="export-terraform" onclick={export_terraform(editor)}
                    disabled={editor.planned.is_none() || blocked.is_some()}
                    aria-describedby={blocked.is_some().then_some("export-blocked")}
                    title={blocked.clone().unwrap_or_else(|| "Download the Terraform configuration (a .tar of .tf files)".to_owned())}>
                    { "Export Terraform" }</button>
                <button type="button" id="export-svg" onclick={export_svg(editor)}
                    disabled={editor.planned.is_none()}>{ "Download SVG" }</button>
                <button type="button" id="share" onclick={props.on_share.clone()}>{ "Share link" }</button>
            </nav>
        </header>
    }
}
