//! The browser editor end to end: the page trunk builds, in headless Chromium through
//! chromedriver (see `tests::web`). Each test checks what the page shows against what
//! planner-core computes natively for the same design, and ends by asserting that the browser
//! logged no error.
//!
//! `tests/setup-web.sh` installs trunk, wasm-bindgen, wasm-opt, chromium and chromedriver.
//! Screenshots and `timings.json` go to `target/test-output/web/`.

use std::path::PathBuf;

use planner_core::{PlanError, Planned};
use serde_json::{json, Value};
use tests::web::{Page, Web};

mod acl;
mod baseline;
mod bundle;
mod drawings;
mod endpoints;
mod errors;
mod forms;
mod lint;
mod panic_free;
mod replace;
mod timings;
mod words_and_keys;

const PRESETS: [&str; 4] = ["titus", "tinystacks", "determined", "informatica"];

/// The subnets of the subnet map.
const MAP_SUBNETS: &str = "section.subnet-map .subnet[data-cidr]";
/// The subnets of the topology diagram.
const SVG_SUBNETS: &str = "svg.topology-svg .subnet[data-cidr]";
/// The VPC CIDR input (the id has a dot in it).
const VPC_CIDR: &str = r#"[id="field-vpc.cidr"]"#;

/// A preset's design as JSON, as the start dialog loads it.
fn preset_doc(name: &str) -> Value {
    let design = planner_core::presets::build(name, &[]).expect("a preset builds");
    serde_json::to_value(&design).expect("a design serializes")
}

/// What planner-core makes of a design document, with the subnets of `pin` kept in place,
/// as the editor plans it.
fn plan_doc(doc: &Value, pin: Option<&Planned>) -> Result<Planned, (String, String)> {
    let design = planner_core::parse_design(&doc.to_string()).map_err(|e| (e.path, e.message))?;
    planner_core::plan(&design, pin.map(|p| &p.plan.allocation)).map_err(|e| match e {
        PlanError::Input(e) => (e.path, e.message),
        PlanError::DoesNotFit(m) => ("vpc.cidr".to_owned(), m),
        e => ("nat".to_owned(), e.to_string()),
    })
}

/// What `executor plan` makes of a preset with no parameters (`plan.to_json()` is the bytes
/// of its plan.json).
fn preset_plan(name: &str) -> Planned {
    plan_doc(&preset_doc(name), None).unwrap_or_else(|e| panic!("{name}: {e:?}"))
}

/// The subnets of a plan as the page marks them up: `tier az cidr`, sorted.
fn subnets(planned: &Planned) -> Vec<String> {
    let mut v: Vec<String> = planned
        .plan
        .allocation
        .subnets
        .iter()
        .map(|s| format!("{} {} {}", s.tier, s.availability_zone, s.cidr))
        .collect();
    v.sort();
    v
}

/// The finding codes of a plan, in order.
fn codes(planned: &Planned) -> Vec<String> {
    planned
        .diagnostics
        .iter()
        .map(|d| d.code.to_owned())
        .collect()
}

/// `tier az cidr` of every element matching `css`, sorted.
async fn shown_subnets(page: &Page, css: &str) -> Vec<String> {
    let v = page
        .js(
            "return Array.from(document.querySelectorAll(arguments[0]),
                e => [e.dataset.tier, e.dataset.az, e.dataset.cidr].join(' '))",
            vec![json!(css)],
        )
        .await;
    let mut v: Vec<String> = serde_json::from_value(v).expect("strings");
    v.sort();
    v
}

/// Waits until the page (under `scope`, e.g. `.embed`) draws `planned`: the same subnets in
/// the subnet map and the diagram, and the same findings in the same order.
async fn expect_drawn(page: &Page, scope: &str, planned: &Planned) {
    expect_view(page, scope, planned, &[]).await;
}

/// Waits until the page shows the last good plan `planned` under the error that makes it
/// stale: the error is the first finding (code `INPUT`), then the plan's own.
async fn expect_stale(page: &Page, planned: &Planned) {
    expect_view(page, "", planned, &["INPUT"]).await;
}

/// [`expect_drawn`] with `first` codes before the plan's findings.
async fn expect_view(page: &Page, scope: &str, planned: &Planned, first: &[&str]) {
    let want = subnets(planned);
    let want_codes: Vec<String> = first
        .iter()
        .map(|c| c.to_string())
        .chain(codes(planned))
        .collect();
    let map = format!("{scope} {MAP_SUBNETS}");
    let svg = format!("{scope} {SVG_SUBNETS}");
    let findings = format!("{scope} .findings .finding[data-code]");
    page.wait_for(&format!("{scope} svg.topology-svg")).await;
    page.wait_for(&format!("{scope} .findings")).await;
    if !want.is_empty() {
        page.wait_for(&format!("{scope} section.subnet-map")).await;
    }
    let what = format!(
        "the subnets {want:?} in the map and diagram{}, and the findings {want_codes:?}",
        if scope.is_empty() {
            String::new()
        } else {
            format!(" of {scope}")
        }
    );
    page.poll(&what, || async {
        let in_map = shown_subnets(page, &map).await;
        let in_svg = shown_subnets(page, &svg).await;
        let shown_codes = page.attrs(&findings, "data-code").await;
        match in_map == want && in_svg == want && shown_codes == want_codes {
            true => Ok(()),
            false => Err(format!(
                "map {in_map:?}, diagram {in_svg:?}, findings {shown_codes:?}"
            )),
        }
    })
    .await;
}

/// Loads a preset with the start dialog (opened with `#new` unless it is showing).
async fn start_preset(page: &Page, name: &str) {
    // The editor is mounted (the dialog, when shown, is drawn in the same render).
    page.wait_for("#new").await;
    if page.count("#start-go").await == 0 {
        page.click("#new").await;
    }
    page.click(&format!("#start-{name}")).await;
    page.click("#start-go").await;
    page.wait_gone("#start-go").await;
    let design = planner_core::presets::build(name, &[]).expect("a preset builds");
    let shown = format!(
        "return document.querySelector('.design-name')?.textContent === {}",
        json!(design.name)
    );
    page.wait_until(&format!("the design name {}", design.name), &shown)
        .await;
}

/// A scratch folder for files to import, removed by the caller.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("planner-web-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    dir
}

#[tokio::test]
async fn every_preset_loads_from_the_start_dialog_and_is_drawn() {
    let web = Web::start().await;
    let page = web.open("preset").await;
    page.goto("/").await;
    for name in PRESETS {
        start_preset(&page, name).await;
        expect_drawn(&page, "", &preset_plan(name)).await;
        page.screenshot(name).await;
        // The other main views: security groups (editor, graph, reachability) and IAM.
        page.click("#tab-sg").await;
        // A design without groups asks for one instead (Determined is IAM only).
        page.wait_for(".panel.sg #reach-answer, .panel.sg #reach-none")
            .await;
        page.screenshot(&format!("{name}-security-groups")).await;
        page.click("#tab-iam").await;
        page.wait_for(".panel.iam #iam-executor-policy").await;
        page.screenshot(&format!("{name}-iam")).await;
        page.click("#tab-network").await;
        page.wait_for("[id=\"field-name\"]").await;
    }
    page.finish().await;
}

#[tokio::test]
async fn editing_the_vpc_cidr_replans_the_map_and_the_findings() {
    let web = Web::start().await;
    let page = web.open("edit").await;
    page.goto("/").await;
    start_preset(&page, "tinystacks").await;
    let before = preset_plan("tinystacks");
    expect_drawn(&page, "", &before).await;

    // Docker's bridge network: the move must bring finding NET003 with it.
    let mut doc = preset_doc("tinystacks");
    doc["vpc"]["cidr"] = json!("172.17.0.0/16");
    let after = plan_doc(&doc, None).expect("the edited design plans");
    assert!(
        codes(&after).contains(&"NET003".to_owned()),
        "{:?}",
        codes(&after)
    );
    assert_ne!(codes(&after), codes(&before));
    assert!(subnets(&after).iter().all(|s| s.contains(" 172.17.")));

    // Typed key by key: with no baseline plan, no partly typed value leaves a mark.
    page.type_into(VPC_CIDR, "172.17.0.0/16").await;
    expect_drawn(&page, "", &after).await;
    assert_eq!(page.value(VPC_CIDR).await, "172.17.0.0/16");
    assert_eq!(page.count("#stale").await, 0);
    page.screenshot("tinystacks-172.17").await;
    page.finish().await;
}

#[tokio::test]
async fn a_broken_field_shows_its_error_at_the_field_and_the_stale_banner() {
    let web = Web::start().await;
    let page = web.open("broken-field").await;
    page.goto("/").await;
    start_preset(&page, "titus").await;
    let good = preset_plan("titus");
    expect_drawn(&page, "", &good).await;

    let cases = [
        ("vpc.cidr", "10.0.0.0/33"),
        // The first tier's name again.
        ("tiers[1].name", "public"),
    ];
    for (field, text) in cases {
        let mut doc = preset_doc("titus");
        let steps: Vec<&str> = field
            .split(['.', '[', ']'])
            .filter(|s| !s.is_empty())
            .collect();
        let target = steps
            .iter()
            .fold(&mut doc, |v, step| match step.parse::<usize>() {
                Ok(i) => &mut v[i],
                Err(_) => &mut v[*step],
            });
        *target = json!(text);
        let (path, message) = plan_doc(&doc, Some(&good)).expect_err("the edit is invalid");
        let input = format!(r#"[id="field-{field}"]"#);
        let original = page.value(&input).await;

        // Pasted, not typed: a partly typed tier name would be a valid design of its own.
        page.set_value(&input, text).await;
        // The message is at the field itself, under its input.
        let at_field = page
            .wait_until(
                &format!("the error {message:?} under {input}"),
                &format!(
                    "const e = document.getElementById({})?.closest('.field')?.querySelector('.field-error');
                     return e && e.textContent === {} && e.dataset.path",
                    json!(format!("field-{field}")),
                    json!(message)
                ),
            )
            .await;
        assert_eq!(at_field, json!(field));
        assert_eq!(path, field, "planner-core names the edited field");
        let banner = page.text("#stale").await;
        assert!(
            banner.contains(&path) && banner.contains(&message),
            "the stale banner {banner:?} names {path} and {message:?}"
        );
        assert_eq!(
            page.js(
                "return document.getElementById('export-plan').disabled",
                vec![]
            )
            .await,
            json!(true),
            "no export of a stale plan"
        );
        // The last good plan stays on screen.
        expect_stale(&page, &good).await;
        page.screenshot(&format!("{}-error", field.replace(['[', ']'], "")))
            .await;

        page.set_value(&input, &original).await;
        page.wait_gone("#stale").await;
        page.wait_gone(".field-error").await;
    }
    page.finish().await;
}

#[tokio::test]
async fn exported_plan_json_is_byte_identical_to_executor_plan() {
    let web = Web::start().await;
    let page = web.open("export").await;
    page.goto("/").await;
    for name in PRESETS {
        start_preset(&page, name).await;
        let planned = preset_plan(name);
        expect_drawn(&page, "", &planned).await;
        page.click("#export-plan").await;
        let bytes = page.download("plan.json").await;
        let expected = planned.plan.to_json();
        assert!(
            bytes == expected.as_bytes(),
            "{name}: the exported plan.json differs from executor plan's:\n{}",
            first_difference(&String::from_utf8_lossy(&bytes), &expected)
        );
    }
    page.finish().await;
}

/// The first line where two texts differ.
fn first_difference(got: &str, want: &str) -> String {
    let (mut g, mut w) = (got.lines(), want.lines());
    for n in 1.. {
        match (g.next(), w.next()) {
            (None, None) => return "(they differ only in line endings)".to_owned(),
            (a, b) if a != b => return format!("line {n}: got {a:?}, want {b:?}"),
            _ => {}
        }
    }
    unreachable!()
}

#[tokio::test]
async fn importing_a_broken_file_names_it_and_keeps_the_design_then_a_plan_loads() {
    let web = Web::start().await;
    let page = web.open("import").await;
    page.goto("/").await;
    start_preset(&page, "tinystacks").await;
    let tinystacks = preset_plan("tinystacks");
    expect_drawn(&page, "", &tinystacks).await;

    let dir = scratch("import");
    let broken = tests::fixtures().join("bad/string-for-number.json");
    let text = std::fs::read_to_string(&broken).expect("the fixture");
    let error = planner_core::parse_input(&text).expect_err("the fixture is broken");
    page.send_keys("#import-file", &broken.display().to_string())
        .await;
    let notice = page
        .wait_until(
            "an error notice",
            "return document.querySelector('#notice.error')?.textContent",
        )
        .await;
    let notice = notice.as_str().unwrap_or_default();
    for part in ["string-for-number.json", &error.path, &error.message] {
        assert!(notice.contains(part), "{notice:?} names {part:?}");
    }
    assert_eq!(error.path, "tiers[0].size.prefix");
    expect_drawn(&page, "", &tinystacks).await;
    assert_eq!(page.text(".design-name").await, "tinystacks");
    page.screenshot("broken-file").await;

    // A plan.json keeps its subnets where they are: exporting it again gives the same bytes.
    let titus = preset_plan("titus");
    let good = dir.join("titus-plan.json");
    std::fs::write(&good, titus.plan.to_json()).expect("write the plan");
    page.send_keys("#import-file", &good.display().to_string())
        .await;
    page.wait_until(
        "the notice of the import",
        "return document.querySelector('#notice.info')?.textContent.includes('titus-plan.json')",
    )
    .await;
    expect_drawn(&page, "", &titus).await;
    assert_eq!(page.text(".design-name").await, "titus");
    page.click("#export-plan").await;
    let bytes = page.download("plan.json").await;
    assert!(
        bytes == titus.plan.to_json().as_bytes(),
        "re-exported: {}",
        first_difference(&String::from_utf8_lossy(&bytes), &titus.plan.to_json())
    );
    page.finish().await;
    std::fs::remove_dir_all(dir).expect("remove the scratch folder");
}

#[tokio::test]
async fn a_share_link_and_autosave_bring_the_edited_design_back() {
    let web = Web::start().await;
    let page = web.open("share").await;
    page.goto("/").await;
    start_preset(&page, "informatica").await;
    let original = preset_plan("informatica");
    expect_drawn(&page, "", &original).await;
    page.type_into(r#"[id="field-name"]"#, "shared-net").await;
    page.type_into(VPC_CIDR, "10.20.0.0/16").await;
    let mut doc = preset_doc("informatica");
    doc["name"] = json!("shared-net");
    doc["vpc"]["cidr"] = json!("10.20.0.0/16");
    // A preset has no baseline plan: the design alone decides, and the link and autosave
    // carry the design, so they plan to the same.
    let edited = plan_doc(&doc, None).expect("the edited design plans");
    expect_drawn(&page, "", &edited).await;
    let carried = &edited;

    page.click("#share").await;
    let link = page.value("#share-link").await;
    assert!(
        link.starts_with(&web.url("/")) && link.contains("#design="),
        "{link}"
    );

    // A new browser with an empty profile: the design comes from the link alone.
    let other = web.open("share-opened").await;
    other.goto(&link).await;
    expect_drawn(&other, "", carried).await;
    assert_eq!(other.text(".design-name").await, "shared-net");
    assert_eq!(other.value(VPC_CIDR).await, "10.20.0.0/16");
    assert_eq!(other.count("#notice.error").await, 0);
    let url = other.js("return location.href", vec![]).await;
    assert!(
        !url.as_str().unwrap_or_default().contains("#design="),
        "the link's fragment is dropped once loaded: {url}"
    );
    other.screenshot("from-link").await;
    other.finish().await;

    // Autosave: a reload shows the edited design, not a fresh start.
    page.reload().await;
    expect_drawn(&page, "", carried).await;
    assert_eq!(page.count("#start-go").await, 0, "no start dialog");
    assert_eq!(page.text(".design-name").await, "shared-net");
    assert_eq!(page.value(VPC_CIDR).await, "10.20.0.0/16");
    page.finish().await;
}

/// Asserts that the page is the read-only embed: no inputs, no clickable findings.
async fn expect_read_only(page: &Page) {
    let editable = page
        .count(".embed input, .embed select, .embed textarea, .embed .finding-button, #app input, #app select, #app textarea")
        .await;
    assert_eq!(editable, 0, "the embed has no editor inputs");
}

#[tokio::test]
async fn embed_mode_draws_a_plan_from_a_url_or_the_fragment_without_inputs() {
    let web = Web::start().await;
    let page = web.open("embed").await;

    let tinystacks = preset_plan("tinystacks");
    web.server().put(
        "/plans/tinystacks.json",
        "application/json",
        tinystacks.plan.to_json(),
    );
    let plan_url = web.url("/plans/tinystacks.json");
    page.goto(&format!("/?plan={plan_url}")).await;
    expect_drawn(&page, ".embed", &tinystacks).await;
    expect_read_only(&page).await;
    page.screenshot("plan-url").await;

    // The embed snippet of the editor's share panel.
    page.goto("/").await;
    start_preset(&page, "titus").await;
    let titus = preset_plan("titus");
    expect_drawn(&page, "", &titus).await;
    page.click("#share").await;
    let snippet = page.value("#embed-snippet").await;
    let src = snippet
        .split_once(r#"src=""#)
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(src, _)| src.to_owned())
        .unwrap_or_else(|| panic!("no src in {snippet}"));
    assert!(src.contains("#embed="), "{src}");
    // A fragment-only change does not reload the page: leave it first.
    page.goto("about:blank").await;
    page.goto(&src).await;
    expect_drawn(&page, ".embed", &titus).await;
    expect_read_only(&page).await;
    page.screenshot("fragment").await;

    // The snippet itself, in a documentation page.
    let doc_page = format!(
        r#"<!doctype html><title>Docs</title><link rel="icon" href="data:,"><h1>Our network</h1>{snippet}"#
    );
    web.server()
        .put("/docs.html", "text/html; charset=utf-8", doc_page);
    page.goto("/docs.html").await;
    page.wait_for("iframe").await;
    page.client()
        .enter_frame(0)
        .await
        .expect("enter the embed's frame");
    expect_drawn(&page, ".embed", &titus).await;
    expect_read_only(&page).await;
    page.client()
        .enter_parent_frame()
        .await
        .expect("leave the frame");
    page.screenshot("in-docs").await;
    page.finish().await;
}
