//! The editor page: toolbar, tabs of editors, and the drawings and findings of the plan.
//!
//! `boot` (the first state, and share links), `toolbar`, `import` (files picked or dropped),
//! `export` (plan.json and the SVG), `confirm` (the question before the design is replaced),
//! `tabs` and `share_panel` are its parts.

mod boot;
mod confirm;
mod export;
mod import;
mod share_panel;
mod tabs;
mod toolbar;

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
use crate::state::{Action, Ask, Loaded};
use boot::{boot, link_in_url};
use confirm::confirm_dialog;
use import::{file_drop, file_input, import_file};
use share_panel::share_panel;
use tabs::{tab_buttons, tab_panel, tab_slug};
use toolbar::Toolbar;

/// The IAM catalogue's two files, copied beside the page by trunk (see `index.html`), and
/// what installs each: the actions, then their details (resource types, condition keys).
type Install = fn(&[u8]) -> Result<(), String>;
const IAM_DATA: [(&str, Install); 2] = [
    (
        "iam-actions.txt.deflate",
        planner_core::analysis::iam_catalogue::install,
    ),
    (
        "iam-details.txt.deflate",
        planner_core::analysis::iam_details::install,
    ),
];

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
            browser::save(AUTOSAVE_KEY, &Snapshot::autosave(&editor).to_json());
        });
    }
    use_effect_with(editor.focus.clone(), |focus| {
        if let Some(f) = focus {
            browser::focus_field(&f.path);
        }
    });
    use_effect_with(editor.pending.is_some(), |asking| {
        if *asking {
            browser::focus_field_id("confirm-keep");
        }
    });
    {
        // A share link pasted into this tab's address bar changes only the fragment.
        let dispatcher = editor.dispatcher();
        use_effect_with((), move |_| {
            let listener = browser::listen("hashchange", move || {
                if let Some(action) = link_in_url() {
                    dispatcher.dispatch(action);
                }
            });
            move || drop(listener)
        });
    }
    use_effect_with((), |_| browser::mark("first-diagram"));
    {
        // The IAM catalogue is not in the first download: its files are fetched from the
        // page's own origin after the first drawing, and as each arrives the design is planned
        // again so the checks that need it (unknown actions, resource types, condition keys)
        // show their findings.
        let dispatcher = editor.dispatcher();
        use_effect_with((), move |_| {
            for (file, install) in IAM_DATA {
                let dispatcher = dispatcher.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    match browser::fetch_bytes(file).await.and_then(|b| install(&b)) {
                        Ok(()) => dispatcher.dispatch(Action::Replan),
                        Err(e) => browser::log(&format!("IAM catalogue {file} not loaded: {e}")),
                    }
                });
            }
        });
    }

    // The same callback on every render, so the findings re-render only when they change.
    let dispatch = {
        let dispatcher = editor.dispatcher();
        (*use_memo((), move |_| {
            Callback::from(move |a: Action| dispatcher.dispatch(a))
        }))
        .clone()
    };
    let on_start = {
        let editor = editor.clone();
        let show_start = show_start.clone();
        Callback::from(move |loaded: Loaded| {
            editor.dispatch(Action::Replace(Box::new(loaded), Ask::IfUnsaved));
            show_start.set(false);
        })
    };
    let import = import_file(&editor);
    let on_file = file_input(&import);
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    let ondrop = file_drop(&import);
    let on_share = share_callback(&editor, &share_link);
    let on_new = {
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
    let dismiss = dispatch.reform(|_: MouseEvent| Action::Notice(None));
    let on_answer = dispatch.reform(Action::Answer);
    let tab = editor.tab;

    html! {
        <ContextProvider<Editor> context={editor.clone()}>
        <div class="app" {ondragover} {ondrop}>
            <Toolbar editor={editor.clone()} {on_new} {on_file} {on_share} />
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
                    if let Some(p) = &editor.drawn {
                        <Topology planned={p.clone()} />
                        <SubnetMap planned={p.clone()} baseline={editor.baseline.clone()} />
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
            if let Some(p) = &editor.pending {
                { confirm_dialog(p, on_answer) }
            }
        </div>
        </ContextProvider<Editor>>
    }
}

/// The "Share link" button's handler: shows the share and embed links of the design as
/// edited, with its baseline.
fn share_callback(
    editor: &Editor,
    share_link: &UseStateHandle<Option<(String, String)>>,
) -> Callback<MouseEvent> {
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
}
