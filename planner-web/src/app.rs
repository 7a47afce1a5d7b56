//! The editor page: toolbar, tabs of editors, and the drawings and findings of the plan.

use std::rc::Rc;

use yew::prelude::*;

use crate::browser::{self, AUTOSAVE_KEY};
use crate::cost::NatCost;
use crate::draw::{self, SubnetMap, Topology};
use crate::fields::Editor;
use crate::findings::Findings;
use crate::iam::IamPanel;
use crate::jsonedit::JsonPanel;
use crate::network::NetworkPanel;
use crate::sg::SgPanel;
use crate::share::{self, Snapshot};
use crate::start::StartDialog;
use crate::state::{self, Action, Loaded, Notice, State, Tab};

/// The first state: the design of a share link, else the autosaved one, else a blank design
/// with the start dialog open.
fn boot() -> (State, bool) {
    let mut notice = None;
    if let Some(encoded) = browser::fragment().strip_prefix("design=") {
        // A reload after edits must show the edits (autosave), not the link again.
        browser::replace_fragment("");
        match Snapshot::decode(encoded) {
            Ok(s) => {
                let n = Notice::info("Loaded the design from the link.");
                return (State::loaded(s.into_loaded(Some(n))), false);
            }
            Err(e) => notice = Some(Notice::error(e)),
        }
    }
    if let Some(saved) = browser::load(AUTOSAVE_KEY) {
        match serde_json::from_str::<Snapshot>(&saved) {
            Ok(s) => {
                let n = notice.or_else(|| Some(Notice::info("Restored your autosaved design.")));
                return (State::loaded(s.into_loaded(n)), false);
            }
            Err(e) => web_sys::console::warn_1(&format!("ignoring a damaged autosave: {e}").into()),
        }
    }
    let loaded = Loaded {
        doc: state::blank(),
        pin: None,
        notice,
    };
    (State::loaded(loaded), true)
}

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
    let import = {
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
                        Action::Load(Box::new(s.into_loaded(Some(n))))
                    }
                    Err(e) => Action::Notice(Some(Notice::error(e))),
                });
            });
        })
    };
    let on_file = {
        let import = import.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                import.emit(file);
            }
            input.set_value("");
        })
    };
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    let ondrop = {
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
    };
    let report = |result: Result<(), String>, editor: &Editor| {
        if let Err(e) = result {
            editor.dispatch(Action::Notice(Some(Notice::error(e))));
        }
    };
    let export_plan = {
        let editor = editor.clone();
        Callback::from(move |_| {
            if let Some(p) = editor.planned.as_ref().filter(|_| !editor.is_stale()) {
                report(
                    browser::download("plan.json", "application/json", &p.plan.to_json()),
                    &editor,
                );
            }
        })
    };
    let export_svg = {
        let editor = editor.clone();
        Callback::from(move |_| {
            if let Some(p) = &editor.planned {
                let name = format!("{}-topology.svg", p.plan.design.name);
                report(
                    browser::download(&name, "image/svg+xml", &draw::topology_svg(p)),
                    &editor,
                );
            }
        })
    };
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
    let select_all = Callback::from(|e: FocusEvent| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        input.select();
    });

    let stale = editor.is_stale();
    let tab = editor.tab;
    let tabs = Tab::ALL.iter().map(|&t| {
        let editor = editor.clone();
        let id = format!("tab-{}", tab_slug(t));
        html! {
            <button type="button" role="tab" id={id} aria-selected={(t == tab).to_string()}
                aria-controls="tabpanel" class={classes!("tab", (t == tab).then_some("active"))}
                onclick={Callback::from(move |_| editor.dispatch(Action::Tab(t)))}>{ t.label() }</button>
        }
    });
    let panel = match tab {
        Tab::Network => html! { <NetworkPanel /> },
        Tab::SecurityGroups => html! { <SgPanel /> },
        Tab::Iam => html! { <IamPanel /> },
        Tab::Json => html! { <JsonPanel /> },
    };
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
                <div class="share" id="share-panel">
                    <label class="field"><span class="label">{ "Share link (the design travels in the URL; nothing is uploaded)" }</span>
                        <input id="share-link" type="text" readonly=true value={link.clone()} onfocus={select_all.clone()} /></label>
                    <label class="field"><span class="label">{ "Embed in docs" }</span>
                        <input id="embed-snippet" type="text" readonly=true onfocus={select_all}
                            value={format!(r#"<iframe src="{embed}" width="100%" height="640" style="border:0" title="Network plan"></iframe>"#)} /></label>
                    <button type="button" onclick={close_share}>{ "Close" }</button>
                </div>
            }
            <main class="columns">
                <section class="editor" aria-label="Design">
                    <div role="tablist" class="tabs" aria-label="Editors">{ for tabs }</div>
                    <div role="tabpanel" id="tabpanel" aria-labelledby={format!("tab-{}", tab_slug(tab))}>{ panel }</div>
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

/// The id part of a tab.
fn tab_slug(tab: Tab) -> &'static str {
    match tab {
        Tab::Network => "network",
        Tab::SecurityGroups => "sg",
        Tab::Iam => "iam",
        Tab::Json => "json",
    }
}
