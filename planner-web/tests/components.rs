//! Component tests in a real browser: each test mounts real components into a fresh `<div>`,
//! drives them with DOM events as a user would (clicks, `input` events), lets Yew render, and
//! checks the DOM. Run as tests/all.sh does (after `bash tests/setup-web.sh`, with
//! `target/web-tools/node_modules/.bin` and `~/.cargo/bin` on PATH):
//!
//! ```sh
//! CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
//!   CHROMEDRIVER=/usr/bin/chromedriver \
//!   WASM_BINDGEN_TEST_WEBDRIVER_JSON="$PWD/planner-web/tests/webdriver.json" \
//!   cargo test -p planner-web --target wasm32-unknown-unknown --tests
//! ```
//!
//! wasm-bindgen-test-runner starts chromedriver, which starts Chromium with a fresh profile;
//! the runner adds `headless`, `no-sandbox` and `disable-dev-shm-usage`, and `webdriver.json`
//! (its `goog:chromeOptions`) the rest. `NO_HEADLESS=1` serves the tests for a visible browser.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use planner_core::{Diagnostic, Severity};
use planner_web::app::App;
use planner_web::findings::{Findings, FindingsProps};
use planner_web::state::{Action, FieldError};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Document, Element, HtmlElement, HtmlInputElement};
use yew::{AppHandle, BaseComponent, Callback, Renderer};

wasm_bindgen_test_configure!(run_in_browser);

// ---------------------------------------------------------------------------------------------
// Helpers

fn window() -> web_sys::Window {
    web_sys::window().expect("a window")
}

fn document() -> Document {
    window().document().expect("a document")
}

/// Resolves after a `setTimeout(0)`: Yew renders from a microtask (and, when a render runs long,
/// continues from a timeout), so every pending render has had its chance when this returns.
async fn tick(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .expect("setTimeout");
    });
    JsFuture::from(promise).await.expect("a timeout resolves");
}

/// Waits until `ready` holds (checked after every render turn), for up to five seconds.
async fn wait_for(what: &str, ready: impl Fn() -> bool) {
    tick(0).await;
    for _ in 0..500 {
        if ready() {
            return;
        }
        tick(10).await;
    }
    panic!(
        "timed out waiting for {what}; the page is:\n{}",
        body_html()
    );
}

/// The test's own markup, for failure messages (cut short: a whole editor is long).
fn body_html() -> String {
    let html: String = all(&format!("[{ROOT}]"))
        .iter()
        .map(Element::outer_html)
        .collect();
    match html.char_indices().nth(6000) {
        Some((cut, _)) => format!("{}…", &html[..cut]),
        None => html,
    }
}

/// Marks the `<div>`s tests mount into.
const ROOT: &str = "data-test-root";

/// A component mounted into a fresh `<div>` in the page; unmounted and removed on drop.
struct Mounted<C: BaseComponent> {
    root: Element,
    handle: Option<AppHandle<C>>,
}

impl<C: BaseComponent> Drop for Mounted<C> {
    fn drop(&mut self) {
        if let Some(h) = self.handle.take() {
            h.destroy();
        }
        self.root.remove();
    }
}

/// A new `<div>` to mount into. A test that failed never dropped its [`Mounted`] (a panic does
/// not unwind in wasm32), so its markup is removed here first: each test sees only its own.
fn fresh_root() -> Element {
    for stale in all(&format!("[{ROOT}]")) {
        stale.remove();
    }
    let doc = document();
    let root = doc.create_element("div").expect("a div");
    root.set_attribute(ROOT, "").expect("mark the root");
    doc.body()
        .expect("a body")
        .append_child(&root)
        .expect("append");
    root
}

/// The editor as a new visitor sees it: no autosave, so the start dialog is open.
async fn mount_app() -> Mounted<App> {
    window()
        .local_storage()
        .expect("local storage")
        .expect("local storage enabled")
        .clear()
        .expect("clear local storage");
    let root = fresh_root();
    let handle = Renderer::<App>::with_root(root.clone()).render();
    let mounted = Mounted {
        root,
        handle: Some(handle),
    };
    wait_for("the start dialog", || exists("#start-go")).await;
    mounted
}

/// The editor with the blank design started from the dialog.
async fn mount_blank_app() -> Mounted<App> {
    let app = mount_app().await;
    click("#start-go");
    wait_for("the start dialog to close", || !exists("#start-go")).await;
    wait_for("the first plan", || exists(".subnet-map")).await;
    app
}

fn mount_findings(props: FindingsProps) -> Mounted<Findings> {
    let root = fresh_root();
    let handle = Renderer::<Findings>::with_root_and_props(root.clone(), props).render();
    Mounted {
        root,
        handle: Some(handle),
    }
}

fn query(selector: &str) -> Option<Element> {
    document()
        .query_selector(selector)
        .expect("a valid selector")
}

fn exists(selector: &str) -> bool {
    query(selector).is_some()
}

fn get(selector: &str) -> Element {
    query(selector).unwrap_or_else(|| panic!("no {selector} in the page:\n{}", body_html()))
}

fn all(selector: &str) -> Vec<Element> {
    let list = document()
        .query_selector_all(selector)
        .expect("a valid selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .collect()
}

fn text(selector: &str) -> String {
    get(selector).text_content().unwrap_or_default()
}

/// The field editing `path` (its id has dots and brackets, so no CSS selector).
fn field(path: &str) -> HtmlInputElement {
    document()
        .get_element_by_id(&format!("field-{path}"))
        .unwrap_or_else(|| panic!("no field for {path} in the page:\n{}", body_html()))
        .dyn_into()
        .expect("an <input>")
}

fn click(selector: &str) {
    click_element(&get(selector));
}

fn click_element(el: &Element) {
    el.dyn_ref::<HtmlElement>()
        .expect("an HTML element")
        .click();
}

/// Types `value` into the field for `path`: sets it and fires `input` and `change`, as typing
/// and leaving the field do.
fn type_into(path: &str, value: &str) {
    type_into_element(&field(path), value);
}

fn type_into_element(input: &Element, value: &str) {
    input
        .dyn_ref::<HtmlInputElement>()
        .expect("an <input>")
        .set_value(value);
    let init = web_sys::InputEventInit::new();
    init.set_bubbles(true);
    init.set_input_type("insertText");
    let event =
        web_sys::InputEvent::new_with_event_init_dict("input", &init).expect("an input event");
    input.dispatch_event(&event).expect("dispatch input");
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("change", &init).expect("a change event");
    input.dispatch_event(&event).expect("dispatch change");
}

fn is_disabled(selector: &str) -> bool {
    get(selector).has_attribute("disabled")
}

fn active_id() -> String {
    document()
        .active_element()
        .map(|e| e.id())
        .unwrap_or_default()
}

fn blur_active() {
    if let Some(el) = document()
        .active_element()
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
    {
        el.blur().expect("blur");
    }
}

fn drawing() -> String {
    all(".topology, .subnet-map")
        .iter()
        .map(Element::outer_html)
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The start dialog

#[wasm_bindgen_test]
async fn the_start_dialog_loads_a_preset() {
    let _app = mount_app().await;
    let radio: HtmlInputElement = get("#start-blank").dyn_into().unwrap();
    assert!(radio.checked(), "blank is the default start");

    let preset = planner_core::presets::list()
        .into_iter()
        .find(|p| p.name == "tinystacks")
        .expect("the tinystacks preset");
    click(&format!("#start-{}", preset.name));
    wait_for("the preset's parameters", || {
        exists(".params") && text(".params legend").contains(preset.name)
    })
    .await;
    for param in preset.params {
        assert!(
            exists(&format!("#param-{}", param.key)),
            "parameter {} is offered",
            param.key
        );
    }

    click("#start-go");
    wait_for("the dialog to close", || !exists(".dialog.start")).await;
    let design = planner_core::presets::build(preset.name, &[]).unwrap();
    wait_for("the preset's name in the toolbar", || {
        text(".design-name") == design.name
    })
    .await;
    assert!(
        text("#notice").contains("Started from the tinystacks preset."),
        "{}",
        text("#notice")
    );
    assert_eq!(all(".tier").len(), design.tiers.len(), "one row per tier");
    assert!(!exists("#stale"), "a preset plans without errors");
    assert!(
        exists(".subnet-map") && exists(".topology"),
        "the plan is drawn"
    );
    assert!(!is_disabled("#export-plan"));
}

#[wasm_bindgen_test]
async fn preset_parameters_reach_the_design() {
    let _app = mount_app().await;
    click("#start-tinystacks");
    wait_for("the tinystacks parameters", || exists("#param-vpc_cidr")).await;
    type_into_element(&get("#param-vpc_cidr"), "10.20.0.0/16");
    let region: HtmlInputElement = get("#param-region").dyn_into().unwrap();
    assert_eq!(region.value(), "us-east-1", "the preset's default is shown");
    type_into_element(&region, "eu-west-1");
    tick(0).await;
    click("#start-go");
    wait_for("the dialog to close", || !exists(".dialog.start")).await;
    assert_eq!(field("vpc.cidr").value(), "10.20.0.0/16");
    assert_eq!(field("region").value(), "eu-west-1");
}

#[wasm_bindgen_test]
async fn an_invalid_preset_parameter_keeps_the_dialog_open_with_its_error() {
    let _app = mount_app().await;
    click("#start-tinystacks");
    wait_for("the tinystacks parameters", || exists("#param-vpc_cidr")).await;
    type_into_element(&get("#param-vpc_cidr"), "10.20.0.0");
    tick(0).await;
    click("#start-go");
    wait_for("the parameter's error", || {
        exists(".dialog.start .field-error")
    })
    .await;
    assert!(
        text(".dialog.start .field-error").contains("vpc_cidr"),
        "{}",
        text(".dialog.start .field-error")
    );
    assert!(exists("#start-go"), "the dialog stays open");
}

// ---------------------------------------------------------------------------------------------
// Editing fields

#[wasm_bindgen_test]
async fn an_invalid_cidr_is_marked_at_its_field_and_the_last_plan_stays_drawn() {
    let _app = mount_blank_app().await;
    assert!(!exists(".field-error"));
    assert!(!exists("#stale"));
    let before = drawing();
    assert!(!before.is_empty(), "the blank design is drawn");

    type_into("vpc.cidr", "10.0.0.0/33");
    wait_for("the field's error", || {
        exists(r#".field-error[data-path="vpc.cidr"]"#)
    })
    .await;
    wait_for("the stale banner", || exists("#stale")).await;
    assert!(text("#stale").contains("vpc.cidr"), "{}", text("#stale"));
    assert!(
        !text(r#".field-error[data-path="vpc.cidr"]"#).is_empty(),
        "the core's message is shown"
    );
    let input = field("vpc.cidr");
    assert_eq!(input.value(), "10.0.0.0/33", "what was typed stays");
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(
        is_disabled("#export-plan"),
        "no plan.json of a design with an error"
    );
    assert_eq!(drawing(), before, "the last valid plan stays drawn");
    assert!(
        all(".finding")
            .iter()
            .any(|f| f.get_attribute("data-code").as_deref() == Some("INPUT")),
        "the error heads the findings"
    );

    type_into("vpc.cidr", "10.1.0.0/16");
    wait_for("the error to clear", || {
        !exists(".field-error") && !exists("#stale")
    })
    .await;
    assert_eq!(field("vpc.cidr").value(), "10.1.0.0/16");
    assert!(!field("vpc.cidr").has_attribute("aria-invalid"));
    assert!(!is_disabled("#export-plan"));
    assert!(!drawing().is_empty());
}

#[wasm_bindgen_test]
async fn a_design_that_does_not_fit_points_at_the_vpc_cidr() {
    let _app = mount_blank_app().await;
    // Two AZs of a /22 and a /24 do not fit a /24.
    type_into("vpc.cidr", "10.0.0.0/24");
    wait_for("the does-not-fit error", || {
        exists(r#".field-error[data-path="vpc.cidr"]"#)
    })
    .await;
    assert!(
        text(r#".field-error[data-path="vpc.cidr"]"#).contains("does not fit"),
        "{}",
        text(r#".field-error[data-path="vpc.cidr"]"#)
    );
}

// ---------------------------------------------------------------------------------------------
// Findings take the user to their field

#[wasm_bindgen_test]
async fn clicking_the_error_finding_focuses_its_field() {
    let _app = mount_blank_app().await;
    type_into("vpc.cidr", "not a cidr");
    wait_for("the error finding", || {
        exists(r#".finding[data-code="INPUT"] .finding-button"#)
    })
    .await;
    blur_active();
    assert_ne!(active_id(), "field-vpc.cidr");
    click(r#".finding[data-code="INPUT"] .finding-button"#);
    wait_for("the field to take focus", || {
        active_id() == "field-vpc.cidr"
    })
    .await;

    // The stale banner goes to the same field.
    blur_active();
    click("#stale");
    wait_for("the field to take focus again", || {
        active_id() == "field-vpc.cidr"
    })
    .await;
}

#[wasm_bindgen_test]
async fn clicking_a_finding_focuses_the_field_it_is_about() {
    let _app = mount_blank_app().await;
    wait_for("findings", || exists(".findings")).await;
    let finding = all(".finding")
        .into_iter()
        .find(|f| {
            f.query_selector(".path")
                .ok()
                .flatten()
                .is_some_and(|p| !p.text_content().unwrap_or_default().is_empty())
        })
        .unwrap_or_else(|| {
            panic!(
                "the blank design (a private tier without NAT) has a finding with a path:\n{}",
                body_html()
            )
        });
    let path = finding
        .query_selector(".path")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    blur_active();
    click_element(&finding.query_selector(".finding-button").unwrap().unwrap());
    // The field of the path, or of the nearest enclosing path that has one on the page.
    wait_for(&format!("the field of {path} to take focus"), || {
        let id = active_id();
        id.strip_prefix("field-")
            .is_some_and(|p| path.starts_with(p) && !p.is_empty())
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Tiers

/// Whether the drawings (subnet map or topology) show a subnet of `tier`.
fn drawn(tier: &str) -> bool {
    let selector = format!(r#".subnet-map [data-tier="{tier}"], .topology [data-tier="{tier}"]"#);
    exists(&selector)
}

#[wasm_bindgen_test]
async fn tiers_are_added_and_removed() {
    let _app = mount_blank_app().await;
    assert_eq!(all(".tier").len(), 2, "the blank design has two tiers");
    wait_for("the blank design's tiers drawn", || {
        drawn("public") && drawn("private")
    })
    .await;
    let before = drawing();

    click("#add-tier");
    wait_for("a third tier", || all(".tier").len() == 3).await;
    assert_eq!(field("tiers[2].name").value(), "tier3");
    wait_for("the new tier drawn", || drawn("tier3")).await;
    assert_ne!(drawing(), before);
    assert!(!exists("#stale"), "the new tier fits");

    let remove = |i: usize| {
        let label = format!("Remove tier {i}");
        all(".tier button")
            .into_iter()
            .find(|b| b.get_attribute("aria-label").as_deref() == Some(label.as_str()))
            .unwrap_or_else(|| panic!("no {label:?} button"))
    };
    click_element(&remove(3));
    wait_for("back to two tiers", || all(".tier").len() == 2).await;
    wait_for("the plan without it", || !drawn("tier3")).await;
    assert!(drawn("public") && drawn("private"));

    // Without the public tier the blank design's NAT gateways have nowhere to sit: that is an
    // error at `nat` until NAT is none.
    click_element(&remove(1));
    wait_for("one tier", || all(".tier").len() == 1).await;
    wait_for("the NAT marked", || {
        exists(r#".field-error[data-path="nat"]"#)
    })
    .await;
    let nat = get("#field-nat");
    nat.dyn_ref::<web_sys::HtmlSelectElement>()
        .expect("a <select>")
        .set_value("none");
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("change", &init).expect("a change event");
    nat.dispatch_event(&event).expect("dispatch change");
    assert_eq!(field("tiers[0].name").value(), "private");
    assert!(document()
        .get_element_by_id("field-tiers[1].name")
        .is_none());
    wait_for("the plan without the public tier", || !drawn("public")).await;
    assert!(drawn("private"));
    assert!(!exists("#stale"));
}

#[wasm_bindgen_test]
async fn renaming_a_tier_to_a_duplicate_name_is_an_error_at_that_name() {
    let _app = mount_blank_app().await;
    type_into("tiers[1].name", "public");
    wait_for("the duplicate-name error", || {
        exists(r#".field-error[data-path="tiers[1].name"]"#)
    })
    .await;
    assert!(exists("#stale"));
    type_into("tiers[1].name", "app");
    wait_for("the error to clear", || !exists("#stale")).await;
}

// ---------------------------------------------------------------------------------------------
// The Findings component on its own

fn sample() -> Vec<Diagnostic> {
    vec![
        Diagnostic::new(
            "NET001",
            Severity::Error,
            "vpc.cidr",
            "AWS refuses this prefix",
        ),
        Diagnostic::new(
            "NET010",
            Severity::Warning,
            "tiers[1]",
            "a private tier without NAT",
        ),
        Diagnostic::new("NET020", Severity::Info, "", "about the design as a whole"),
    ]
}

#[wasm_bindgen_test]
async fn findings_render_every_diagnostic_and_report_clicks() {
    let clicks = Rc::new(RefCell::new(Vec::<Action>::new()));
    let on_focus = {
        let clicks = Rc::clone(&clicks);
        Callback::from(move |a: Action| clicks.borrow_mut().push(a))
    };
    let _findings = mount_findings(FindingsProps {
        diagnostics: sample(),
        error: None,
        on_focus: Some(on_focus),
    });
    wait_for("the findings", || all(".finding").len() == 3).await;

    assert!(
        text(".findings .count").contains("1 error, 1 warning, 1 note"),
        "{}",
        text(".findings .count")
    );
    let codes: Vec<_> = all(".finding")
        .iter()
        .map(|f| f.get_attribute("data-code").unwrap_or_default())
        .collect();
    assert_eq!(codes, ["NET001", "NET010", "NET020"]);
    assert_eq!(text(".finding .sev.error"), "error");
    assert_eq!(text(".finding .sev.warning"), "warning");
    assert_eq!(text(".finding .sev.info"), "info");
    assert!(text(r#".finding[data-code="NET010"]"#).contains("a private tier without NAT"));
    assert!(
        get(r#".finding[data-code="NET020"]"#)
            .query_selector(".path")
            .unwrap()
            .is_none(),
        "no path shown for the design as a whole"
    );
    assert!(!exists(".findings .empty"));

    click(r#".finding[data-code="NET010"] .finding-button"#);
    click(r#".finding[data-code="NET001"] .finding-button"#);
    assert_eq!(
        *clicks.borrow(),
        [
            Action::Focus("tiers[1]".into()),
            Action::Focus("vpc.cidr".into())
        ]
    );
}

#[wasm_bindgen_test]
async fn findings_put_the_error_first_and_are_read_only_without_a_callback() {
    let _findings = mount_findings(FindingsProps {
        diagnostics: sample(),
        error: Some(FieldError {
            path: "tiers[0].size".into(),
            message: "prefix 29 is too small".into(),
        }),
        on_focus: None,
    });
    wait_for("the findings", || all(".finding").len() == 4).await;
    assert!(
        text(".findings .count").contains("2 errors, 1 warning, 1 note"),
        "the error that stops the design counts as an error: {}",
        text(".findings .count")
    );
    let first = &all(".finding")[0];
    assert_eq!(first.get_attribute("data-code").as_deref(), Some("INPUT"));
    assert!(first
        .text_content()
        .unwrap_or_default()
        .contains("prefix 29 is too small"));
    assert!(
        !exists(".finding-button"),
        "the embed's findings are not buttons"
    );
}

#[wasm_bindgen_test]
async fn no_findings_says_so() {
    let _findings = mount_findings(FindingsProps {
        diagnostics: Vec::new(),
        error: None,
        on_focus: None,
    });
    wait_for("the empty findings", || exists(".findings .empty")).await;
    assert_eq!(text(".findings .empty"), "No findings.");
    assert!(text(".findings .count").contains("0 errors, 0 warnings, 0 notes"));
}

// ---------------------------------------------------------------------------------------------
// The VPC's defaults

/// The design the editor autosaved last (the JSON local storage holds).
fn autosaved() -> String {
    window()
        .local_storage()
        .expect("local storage")
        .expect("local storage enabled")
        .get_item(planner_web::share::AUTOSAVE_KEY)
        .expect("readable")
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn the_vpcs_defaults_are_fields_and_a_refused_pair_is_marked_at_its_field() {
    let _app = mount_blank_app().await;
    assert!(
        field("vpc.dns_support").checked(),
        "DNS support is on by default"
    );
    assert!(field("vpc.dns_hostnames").checked(), "so are DNS hostnames");
    let restrict = "vpc.restrict_default_security_group";
    assert!(!field(restrict).checked());
    let note = r#".finding[data-code="SG008"]"#;
    wait_for("the SG008 note", || exists(note)).await;

    click_element(&field(restrict));
    wait_for("the note to go", || !exists(note)).await;
    assert!(field(restrict).checked());

    // AWS refuses hostnames without DNS support: the error is at the hostnames' field.
    click_element(&field("vpc.dns_support"));
    let error = r#".field-error[data-path="vpc.dns_hostnames"]"#;
    wait_for("the error at vpc.dns_hostnames", || exists(error)).await;
    assert!(text(error).contains("dns_support"), "{}", text(error));
    assert!(!field("vpc.dns_support").checked(), "what was set stays");
    click_element(&field("vpc.dns_hostnames"));
    wait_for("the error to clear", || {
        !exists(".field-error") && !exists("#stale")
    })
    .await;

    let acl: web_sys::HtmlSelectElement = document()
        .get_element_by_id("field-vpc.default_network_acl")
        .expect("the default network ACL's field")
        .dyn_into()
        .expect("a <select>");
    // Absent: AWS's rules, not managed, the select's first option.
    assert_eq!(acl.value(), "");
    let choose = |value: &str| {
        acl.set_value(value);
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        let change = web_sys::Event::new_with_event_init_dict("change", &init).expect("an event");
        acl.dispatch_event(&change).expect("dispatch change");
    };
    choose("deny_all");
    wait_for("the design to hold deny_all", || {
        autosaved().contains(r#""default_network_acl":"deny_all""#)
    })
    .await;
    let saved = autosaved();
    for member in [
        r#""dns_support":false"#,
        r#""dns_hostnames":false"#,
        r#""restrict_default_security_group":true"#,
    ] {
        assert!(saved.contains(member), "{member} not in {saved}");
    }
    choose("allow_all");
    wait_for("the design to hold allow_all", || {
        autosaved().contains(r#""default_network_acl":"allow_all""#)
    })
    .await;
    choose("");
    wait_for("the member to go", || {
        !autosaved().contains("default_network_acl")
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Network ACLs

/// The ids of an ACL direction's rule rows, top to bottom.
fn rule_rows(direction: &str) -> Vec<String> {
    all(&format!(".acl-rules.{direction} tbody.acl-rule"))
        .iter()
        .map(Element::id)
        .collect()
}

fn focus(path: &str) {
    field(path).focus().expect("focus");
}

#[wasm_bindgen_test]
async fn network_acls_hold_tiers_and_rules_in_evaluation_order() {
    let _app = mount_blank_app().await;
    click("#tab-acl");
    wait_for("the ACL tab", || exists("#acl-add")).await;
    assert!(
        text("#acl-default").contains("public, private"),
        "{}",
        text("#acl-default")
    );
    click("#acl-add");
    wait_for("a new ACL", || exists(r#".acl-card[data-acl="acl1"]"#)).await;
    assert_eq!(field("network_acls[0].name").value(), "acl1");

    // The public tier into it: its subnets wear the ACL's badge.
    click_element(&get("#acl-0-tier-public"));
    wait_for("public in acl1", || {
        query(r#"[id="field-network_acls[0].tiers[0]"]"#).is_some()
    })
    .await;
    assert!(field("network_acls[0].tiers[0]").checked());
    wait_for("the badge on public's subnets", || {
        all(r#".topology .acl-badge[data-acl="acl1"]"#).len() == 2
    })
    .await;
    assert!(text("#acl-default").contains("(private)"));

    // Rules get the next number; a bad one is an error at its field, then fixed.
    click(".acl-rules.ingress .acl-add-rule");
    click(".acl-rules.ingress .acl-add-rule");
    wait_for("two inbound rules", || rule_rows("ingress").len() == 2).await;
    assert_eq!(
        field("network_acls[0].ingress[0].rule_number").value(),
        "100"
    );
    assert_eq!(
        field("network_acls[0].ingress[1].rule_number").value(),
        "200"
    );
    let number = "network_acls[0].ingress[1].rule_number";
    focus(number);
    type_into(number, "0");
    // The narrow field is marked; the message shows under its row, at the rule's width.
    let error = r#".acl-rule-notes .field-error[data-path="network_acls[0].ingress[1]"]"#;
    wait_for("the rule number's error", || exists(error)).await;
    assert!(text(error).contains("1 to 32766"), "{}", text(error));
    assert_eq!(
        field(number).get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
    assert!(exists("#stale"));
    // Typed, not left: the row stays where it is, under the caret.
    type_into(number, "50");
    wait_for("the error to clear", || !exists(error) && !exists("#stale")).await;
    assert_eq!(
        rule_rows("ingress"),
        [
            "field-network_acls[0].ingress[0]",
            "field-network_acls[0].ingress[1]"
        ]
    );
    assert_eq!(active_id(), format!("field-{number}"));
    // Left: rule 50 goes first, evaluation order.
    blur_active();
    wait_for("rule 50 first", || {
        rule_rows("ingress")
            == [
                "field-network_acls[0].ingress[1]",
                "field-network_acls[0].ingress[0]",
            ]
    })
    .await;
    assert_eq!(field(number).value(), "50", "the row kept its input");

    // One block field: a `:` makes it IPv6, in place of the IPv4 block.
    type_into("network_acls[0].ingress[0].cidr", "::/0");
    wait_for("the block to be IPv6", || {
        query(r#"[id="field-network_acls[0].ingress[0].ipv6_cidr"]"#).is_some()
    })
    .await;
    assert_eq!(
        field("network_acls[0].ingress[0].ipv6_cidr").value(),
        "::/0"
    );
    wait_for("a valid plan", || !exists("#stale")).await;

    // A second ACL takes the public tier from the first in one click.
    click("#acl-add");
    wait_for("a second ACL", || exists(r#".acl-card[data-acl="acl2"]"#)).await;
    let elsewhere = r#".acl-card[data-acl="acl2"] .acl-tier[data-tier="public"] .acl-elsewhere"#;
    assert_eq!(text(elsewhere), "in acl1");
    click_element(&get("#acl-1-tier-public"));
    wait_for("public moved to acl2", || {
        query(r#"[id="field-network_acls[1].tiers[0]"]"#).is_some()
            && query(r#"[id="field-network_acls[0].tiers[0]"]"#).is_none()
    })
    .await;
    wait_for("the badge to follow", || {
        all(r#".topology .acl-badge[data-acl="acl2"]"#).len() == 2
    })
    .await;
    let saved: serde_json::Value = serde_json::from_str(&autosaved()).expect("autosave is JSON");
    let acls = &saved["design"]["network_acls"];
    assert_eq!(acls[0]["tiers"], serde_json::json!([]), "{acls}");
    assert_eq!(acls[1]["tiers"], serde_json::json!(["public"]));
    assert_eq!(acls[0]["ingress"][1]["rule_number"], serde_json::json!(50));
    assert_eq!(
        acls[0]["ingress"][0],
        serde_json::json!({"rule_number": 100, "action": "allow", "protocol": "tcp", "ports": 443, "ipv6_cidr": "::/0"})
    );

    // Removing an ACL can be undone.
    let remove = r#".acl-card[data-acl="acl1"] .acl-remove"#;
    click(remove);
    wait_for("acl1 gone", || !exists(r#".acl-card[data-acl="acl1"]"#)).await;
    assert_eq!(
        get("#undo").get_attribute("title").as_deref(),
        Some("Undo removing network ACL “acl1”")
    );
    click("#undo");
    wait_for("acl1 back", || exists(r#".acl-card[data-acl="acl1"]"#)).await;
    assert_eq!(
        field("network_acls[0].ingress[1].rule_number").value(),
        "50"
    );
}
