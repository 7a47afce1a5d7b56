//! The editor page: toolbar, tabs of editors, and the drawings and findings of the plan.
//!
//! `boot` (the first state), `import` (files picked or dropped), `export` (plan.json and the
//! SVG), `tabs` and `share_panel` are its parts.

mod boot;
mod export;
mod import;
mod share_panel;
mod tabs;

use std::rc::Rc;

use yew::prelude::*;

use crate::browser;
use crate::cost::NatCost;
use crate::draw::subnet_map::SubnetMap;
use crate::draw::topology::Topology;
use crate::editor::Editor;
use crate::findings::Findings;
use crate::share::{Snapshot, AUTOSAVE_KEY};
use crate::start::StartDialog;
use crate::state::Action;
use boot::boot;
use export::{export_plan, export_svg};
use import::{file_drop, file_input, import_file};
use share_panel::share_panel;
use tabs::{tab_buttons, tab_panel, tab_slug};

/// The editor page.
#[function_component]
pub fn App() -> Html {
    let boot = use_memo((), |_| boot());
    let editor = {
        let first = boot.0.clone();
        use_reducer(move || first)
    };
    let show_start = use_state(|| boot.1);
    let share_link = use_state(|| None::<(String, String)>);

    {
        let editor = editor.clone();
        use_effect_with(editor.revision, move |_| {
            browser::save(AUTOSAVE_KEY, &Snapshot::of(&editor).to_json());
        });
    }
    use_effect_with(editor.focus.clone(), |focus| {
        if let Some(f) = focus {
            browser::focus_field(&f.path);
        }
    });
    use_effect_with((), |_| browser::mark("first-diagram"));

    let dispatch = Callback::from({
        let editor = editor.clone();
        move |a: Action| editor.dispatch(a)
    });
    let on_start = {
        let editor = editor.clone();
        let show_start = show_start.clone();
        Callback::from(move |a: Action| {
            editor.dispatch(a);
            show_start.set(false);
        })
    };
    let import = import_file(&editor);
    let on_file = file_input(&import);
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    let ondrop = file_drop(&import);
    let export_plan = export_plan(&editor);
    let export_svg = export_svg(&editor);
    let share = {
        let editor = editor.clone();
        let share_link = share_link.clone();
        Callback::from(move |_| {
            let encoded = Snapshot::of(&editor).encode();
            let page = browser::page_url();
            let page = page.split('?').next().unwrap_or_default();
            share_link.set(Some((
                format!("{page}#design={encoded}"),
                format!("{page}#embed={encoded}"),
            )));
        })
    };
    let open_start = {
        let show_start = show_start.clone();
        Callback::from(move |_| show_start.set(true))
    };
    let cancel_start = {
        let show_start = show_start.clone();
        Callback::from(move |()| show_start.set(false))
    };
    let close_share = {
        let share_link = share_link.clone();
        Callback::from(move |_| share_link.set(None))
    };
    let dismiss = {
        let editor = editor.clone();
        Callback::from(move |_| editor.dispatch(Action::Notice(None)))
    };
    let stale = editor.is_stale();
    let tab = editor.tab;
    let name = editor
        .value("name")
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_owned();

    html! {
        <ContextProvider<Editor> context={editor.clone()}>
        <div class="app" {ondragover} {ondrop}>
            <header class="toolbar">
                <h1>{ "VPC planner" }</h1>
                <span class="design-name">{ name }</span>
                <nav class="actions" aria-label="File">
                    <button type="button" id="new" onclick={open_start}>{ "New…" }</button>
                    <label class="button" for="import-file">{ "Import…" }</label>
                    <input id="import-file" class="visually-hidden" type="file"
                        accept=".json,application/json" onchange={on_file} />
                    <button type="button" id="export-plan" onclick={export_plan}
                        disabled={editor.planned.is_none() || stale}
                        title={if stale { "Fix the marked error first" } else { "Download plan.json for `executor run`" }}>
                        { "Export plan.json" }</button>
                    <button type="button" id="export-svg" onclick={export_svg}
                        disabled={editor.planned.is_none()}>{ "Download SVG" }</button>
                    <button type="button" id="share" onclick={share}>{ "Share link" }</button>
                </nav>
            </header>
            if let Some(n) = &editor.notice {
                <div id="notice" class={classes!("notice", if n.error { "error" } else { "info" })}
                    role={if n.error { "alert" } else { "status" }}>
                    <span>{ &n.text }</span>
                    <button type="button" aria-label="Dismiss" onclick={dismiss}>{ "✕" }</button>
                </div>
            }
            if let Some((link, embed)) = &*share_link {
                { share_panel(link, embed, close_share) }
            }
            <main class="columns">
                <section class="editor" aria-label="Design">
                    <div role="tablist" class="tabs" aria-label="Editors">{ tab_buttons(&editor) }</div>
                    <div role="tabpanel" id="tabpanel" aria-labelledby={format!("tab-{}", tab_slug(tab))}>{ tab_panel(tab) }</div>
                </section>
                <section class="views" aria-label="Plan">
                    if let Some(e) = &editor.error {
                        <button type="button" class="stale" id="stale"
                            onclick={dispatch.reform({ let p = e.path.clone(); move |_| Action::Focus(p.clone()) })}>
                            { format!("The design has an error at {}: {}. The drawings show the last valid plan.",
                                if e.path.is_empty() { "$" } else { &e.path }, e.message) }
                        </button>
                    }
                    if let Some(p) = &editor.planned {
                        <Topology planned={p.clone()} />
                        <SubnetMap planned={p.clone()} before={editor.before.clone()} />
                    }
                    if let Some(d) = &editor.design {
                        <NatCost design={Rc::clone(d)} />
                    }
                    <Findings diagnostics={editor.planned.as_ref().map(|p| p.diagnostics.clone()).unwrap_or_default()}
                        error={editor.error.clone()} on_focus={dispatch.clone()} />
                </section>
            </main>
            if *show_start {
                <StartDialog {on_start} on_cancel={Some(cancel_start)} />
            }
        </div>
        </ContextProvider<Editor>>
    }
}
