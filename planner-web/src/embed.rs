//! Embed mode for docs: a read-only view of a plan (diagram, subnet map, findings), loaded from
//! the URL fragment (`#embed=…`, as the editor's embed link writes it) or from a `plan` URL
//! parameter naming a plan.json to fetch.

use std::rc::Rc;

use planner_core::Planned;
use yew::prelude::*;

use crate::browser;
use crate::draw::subnet_map::SubnetMap;
use crate::draw::topology::Topology;
use crate::findings::Findings;
use crate::share::{self, Snapshot};

/// Where an embedded plan comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A snapshot in the fragment.
    Fragment(String),
    /// A plan.json to fetch.
    Url(String),
}

impl Source {
    /// The embed source of the current page, if it is an embed.
    pub fn of_page() -> Option<Source> {
        if let Some(encoded) = browser::fragment().strip_prefix("embed=") {
            return Some(Source::Fragment(encoded.to_owned()));
        }
        browser::query("plan").map(Source::Url)
    }
}

/// Plans a snapshot for display.
fn planned(snapshot: Snapshot) -> Result<Planned, String> {
    let design = planner_core::parse_design(&snapshot.design.to_string())
        .map_err(|e| format!("the embedded design is invalid: {e}"))?;
    planner_core::plan(&design, snapshot.allocation.as_ref())
        .map_err(|e| format!("the embedded design cannot be planned: {e}"))
}

/// Properties of [`Embed`].
#[derive(Properties, PartialEq, Clone)]
pub struct EmbedProps {
    /// Where the plan comes from.
    pub source: Source,
}

/// The read-only view.
#[function_component]
pub fn Embed(props: &EmbedProps) -> Html {
    let result = use_state(|| None::<Result<Rc<Planned>, String>>);
    {
        let result = result.clone();
        use_effect_with(props.source.clone(), move |source| match source.clone() {
            Source::Fragment(encoded) => {
                result.set(Some(
                    Snapshot::decode(&encoded).and_then(planned).map(Rc::new),
                ));
            }
            Source::Url(url) => wasm_bindgen_futures::spawn_local(async move {
                let loaded = match browser::fetch_text(&url).await {
                    Ok(text) => share::import(&url, &text).and_then(planned).map(Rc::new),
                    Err(e) => Err(format!("cannot load the plan: {e}")),
                };
                result.set(Some(loaded));
            }),
        });
    }
    let body = match &*result {
        None => html! { <p class="loading">{ "Loading the plan…" }</p> },
        Some(Err(e)) => html! { <p class="field-error" role="alert">{ e }</p> },
        Some(Ok(planned)) => html! {
            <>
                <header class="embed-header">
                    <h1>{ &planned.plan.design.name }</h1>
                    <span class="region">{ &planned.plan.design.region }</span>
                    <a class="open" href={browser::page_url().split('?').next().unwrap_or_default().to_owned()
                        + "#design=" + &Snapshot { design: serde_json::to_value(&planned.plan.design).unwrap_or_default(), unsaved: false, allocation: Some(planned.plan.allocation.clone()) }.encode()}
                        target="_blank" rel="noopener">{ "Open in the editor" }</a>
                </header>
                <Topology planned={planned.clone()} />
                <SubnetMap planned={planned.clone()} />
                <Findings diagnostics={planned.diagnostics.clone()} />
            </>
        },
    };
    html! { <div class="embed" data-mode="embed">{ body }</div> }
}
