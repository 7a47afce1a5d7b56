//! The drawings fit their panels and say what the vendor guides' diagrams say: the topology of
//! a three- and a four-AZ design scales to its panel at a 1280-pixel window with its text
//! legible, zooms in with the panel scrolling, and shows the front end, the bastion and the
//! default routes' arrows; the security-group graph's names are whole; the IAM column holds
//! role names; the tab bar stays in view at the bottom of a long page. Screenshots of every
//! preset at 1024×768, 1440×1000 and 1920×1080 go to `target/test-output/web/drawings-*.png`.

use serde_json::{json, Value};
use tests::web::{output_dir, Page, Web};

use crate::{expect_drawn, plan_doc, preset_plan, scratch, start_preset, PRESETS};

/// The window sizes the screenshots are taken at.
const SIZES: [(u32, u32); 3] = [(1024, 768), (1440, 1000), (1920, 1080)];

/// Sets the window's size in CSS pixels.
async fn resize(page: &Page, (width, height): (u32, u32)) {
    let metrics = json!({
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false,
    });
    page.cdp("Emulation.setDeviceMetricsOverride", metrics)
        .await;
}

/// Saves a screenshot of the whole page at a `size` window as
/// `target/test-output/web/drawings-<what>-<w>x<h>.png`, then sets the window back to `size`.
async fn shot(page: &Page, what: &str, size: (u32, u32)) {
    resize(page, size).await;
    let height = page
        .js(
            "return Math.ceil(document.documentElement.scrollHeight)",
            vec![],
        )
        .await
        .as_u64()
        .unwrap_or(u64::from(size.1))
        .clamp(u64::from(size.1), 6000);
    resize(page, (size.0, height as u32)).await;
    let path = output_dir().join(format!("drawings-{what}-{}x{}.png", size.0, size.1));
    let png = page.client().screenshot().await.expect("a screenshot");
    std::fs::write(&path, png).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    resize(page, size).await;
}

/// How the topology sits in its panel: the SVG's and its container's boxes, the container's
/// and the page's scroll widths, and the scale of the drawing's 11-pixel text.
async fn topology_fit(page: &Page) -> Value {
    page.js(
        "const svg = document.querySelector('section.topology svg.topology-svg');
         const box = svg.closest('.topology-drawing');
         const s = svg.getBoundingClientRect(), b = box.getBoundingClientRect();
         const section = svg.closest('section.topology');
         return {
           svg: [s.left, s.right], box: [b.left, b.right],
           scroll: box.scrollWidth, client: box.clientWidth,
           section: [section.scrollWidth, section.clientWidth],
           page: [document.documentElement.scrollWidth, document.documentElement.clientWidth],
           text: 11 * s.width / svg.viewBox.baseVal.width,
         };",
        vec![],
    )
    .await
}

/// Asserts that the topology lies within its panel, nothing scrolls sideways, and its text is
/// drawn at least 9 pixels high.
async fn expect_fits(page: &Page, what: &str) {
    let fit = topology_fit(page).await;
    let f = |v: &Value| v.as_f64().expect("a number");
    let (svg, bx) = (&fit["svg"], &fit["box"]);
    assert!(
        f(&svg[0]) >= f(&bx[0]) - 0.5 && f(&svg[1]) <= f(&bx[1]) + 0.5,
        "{what}: the topology overflows its panel: {fit}"
    );
    assert!(
        f(&fit["scroll"]) <= f(&fit["client"]),
        "{what}: the panel scrolls sideways: {fit}"
    );
    assert!(
        f(&fit["section"][0]) <= f(&fit["section"][1]) && f(&fit["page"][0]) <= f(&fit["page"][1]),
        "{what}: the section or the page scrolls sideways: {fit}"
    );
    assert!(f(&fit["text"]) >= 9.0, "{what}: text too small: {fit}");
}

/// How many elements under the topology match `css`.
async fn in_topology(page: &Page, css: &str) -> usize {
    page.count(&format!("section.topology svg.topology-svg {css}"))
        .await
}

/// Asserts what the diagram of a TinyStacks design shows besides its subnets: the load
/// balancer, each subnet's route table, its default route's arrow to the internet gateway
/// (public) or its AZ's NAT (private), and the bastion when there is one.
async fn expect_guide_parts(page: &Page, what: &str, azs: usize, bastion: bool) {
    let front = "g.member.front-end[data-role=load_balancer][data-name=alb]";
    assert_eq!(in_topology(page, front).await, 1, "{what}: the front end");
    assert_eq!(
        in_topology(page, "g.member[data-role=app][data-name=ecs]").await,
        1,
        "{what}: the app tier's members"
    );
    assert_eq!(in_topology(page, ".route-table").await, 2 * azs, "{what}");
    assert_eq!(
        in_topology(page, "path.route-arrow.to-table").await,
        2 * azs,
        "{what}"
    );
    assert_eq!(
        in_topology(page, "path.route-arrow.to-igw").await,
        azs,
        "{what}: public subnets to the internet gateway"
    );
    assert_eq!(
        in_topology(page, "path.route-arrow.to-nat").await,
        azs,
        "{what}: private subnets to their NAT"
    );
    assert_eq!(
        in_topology(page, "g.instance.bastion").await,
        usize::from(bastion),
        "{what}: the bastion"
    );
}

#[tokio::test]
async fn the_topology_of_three_and_four_azs_fits_a_1280_window_and_zooms() {
    let web = Web::start().await;
    let page = web.open("drawings-fit").await;
    resize(&page, (1280, 900)).await;
    page.goto("/").await;
    start_preset(&page, "tinystacks").await;
    expect_drawn(&page, "", &preset_plan("tinystacks")).await;
    expect_fits(&page, "TinyStacks, 3 AZs").await;
    expect_guide_parts(&page, "TinyStacks, 3 AZs", 3, false).await;

    // Four AZs and a bastion, imported as a design file.
    let design = planner_core::presets::build("tinystacks", &[("azs", "4"), ("bastion", "true")])
        .expect("the preset builds");
    let doc = serde_json::to_value(&design).expect("a design serializes");
    let dir = scratch("drawings");
    let file = dir.join("four-azs.json");
    std::fs::write(&file, doc.to_string()).expect("write the design");
    page.send_keys("#import-file", &file.display().to_string())
        .await;
    let four = plan_doc(&doc, None).expect("the design plans");
    assert_eq!(four.plan.design.az_names().len(), 4);
    expect_drawn(&page, "", &four).await;
    expect_fits(&page, "TinyStacks, 4 AZs").await;
    expect_guide_parts(&page, "TinyStacks, 4 AZs", 4, true).await;
    shot(&page, "four-azs", (1280, 900)).await;

    // Zoomed in (the second time from the keyboard), the panel scrolls; "Fit" fits again.
    let width = "return document.querySelector('section.topology svg.topology-svg').getBoundingClientRect().width";
    let fitted = page.js(width, vec![]).await.as_f64().expect("a width");
    page.click("#topology-zoom-in").await;
    page.send_keys("#topology-zoom-in", "\u{E007}").await;
    let zoomed = page
        .wait_until(
            "the zoomed-in topology scrolling in its panel",
            "const box = document.querySelector('.topology-drawing');
             return box.scrollWidth > box.clientWidth + 100 && box.scrollWidth",
        )
        .await;
    assert!(
        zoomed.as_f64().expect("a width") > fitted * 1.4,
        "{zoomed} vs {fitted}"
    );
    let focused = page
        .js(
            "return document.activeElement && document.activeElement.id",
            vec![],
        )
        .await;
    assert_eq!(
        focused,
        json!("topology-zoom-in"),
        "the button keeps the focus"
    );
    let outline = page
        .js(
            "return getComputedStyle(document.activeElement).outlineStyle",
            vec![],
        )
        .await;
    assert_ne!(outline, json!("none"), "the focused button shows it");
    shot(&page, "four-azs-zoomed", (1280, 900)).await;
    page.click("#topology-fit").await;
    page.wait_until(
        "the topology fitted again",
        "const box = document.querySelector('.topology-drawing');
         return box.scrollWidth <= box.clientWidth",
    )
    .await;
    expect_fits(&page, "TinyStacks, 4 AZs, fitted again").await;
    page.finish().await;
    std::fs::remove_dir_all(dir).expect("remove the scratch folder");
}

#[tokio::test]
async fn graph_names_are_whole_iam_names_fit_and_the_tab_bar_stays_in_view() {
    let web = Web::start().await;
    let page = web.open("drawings-labels").await;
    resize(&page, (1280, 900)).await;
    page.goto("/").await;
    start_preset(&page, "titus").await;
    expect_drawn(&page, "", &preset_plan("titus")).await;
    assert_eq!(in_topology(&page, "g.instance.bastion").await, 1);
    page.click("#tab-sg").await;
    page.wait_for("svg.sg-graph .sg-node").await;
    let cut = page
        .js(
            "return Array.from(document.querySelectorAll('svg.sg-graph .sg-node'), g => {
               const rect = g.querySelector('rect').getBBox();
               return Array.from(g.querySelectorAll('text'), t => [t.textContent, t.getBBox().width, rect.width]);
             }).flat().filter(([text, w, room]) => text.endsWith('…') || w + 10 > room)",
            vec![],
        )
        .await;
    assert_eq!(cut, json!([]), "names cut or wider than their boxes");
    let names = page.attrs("svg.sg-graph .sg-node", "data-node").await;
    assert!(
        names.contains(&"group:titusmaster-mainvpc".to_owned()),
        "{names:?}"
    );
    let text = page.text("svg.sg-graph").await;
    assert!(text.contains("titusmaster-mainvpc"), "{text}");

    // The tab bar, scrolled to the bottom of the page at two window sizes.
    for size in [(1280, 900), (1024, 768)] {
        resize(&page, size).await;
        let at = page
            .js(
                "window.scrollTo(0, document.documentElement.scrollHeight);
                 const tabs = document.querySelector('.tabs').getBoundingClientRect();
                 const bar = document.querySelector('.toolbar').getBoundingClientRect();
                 const tab = document.getElementById('tab-network').getBoundingClientRect();
                 const hit = document.elementFromPoint(tab.left + tab.width / 2, tab.top + tab.height / 2);
                 return {
                   scrolled: window.scrollY, top: tabs.top, bottom: tabs.bottom, toolbar: bar.bottom,
                   inner: window.innerHeight, hit: hit && hit.id,
                   background: getComputedStyle(document.querySelector('.tabs')).backgroundColor,
                 };",
                vec![],
            )
            .await;
        let f = |k: &str| at[k].as_f64().expect("a number");
        assert!(f("scrolled") > 200.0, "{size:?}: the page is long: {at}");
        assert!(
            f("top") >= f("toolbar") - 0.5 && f("bottom") <= f("inner"),
            "{size:?}: the tab bar is out of view or under the toolbar: {at}"
        );
        assert_eq!(at["hit"], json!("tab-network"), "{size:?}: {at}");
        assert_ne!(at["background"], json!("rgba(0, 0, 0, 0)"), "{at}");
    }

    // The IAM tab at 1440 pixels: the editor column takes the wider share, role names fit.
    resize(&page, (1440, 1000)).await;
    page.js("window.scrollTo(0, 0)", vec![]).await;
    start_preset(&page, "informatica").await;
    page.click("#tab-iam").await;
    page.wait_for(".panel.iam #iam-executor-policy").await;
    let iam = page
        .js(
            "const editor = document.querySelector('.columns > .editor').getBoundingClientRect();
             const views = document.querySelector('.columns > .views').getBoundingClientRect();
             const names = Array.from(document.querySelectorAll('.panel.iam input[id$=\".name\"]'),
               i => [i.value, i.scrollWidth, i.clientWidth]);
             return { editor: editor.width, views: views.width, names };",
            vec![],
        )
        .await;
    let f = |k: &str| iam[k].as_f64().expect("a number");
    assert!(
        f("editor") > f("views"),
        "the IAM column is the wider: {iam}"
    );
    let names = iam["names"].as_array().expect("names");
    assert!(!names.is_empty(), "{iam}");
    for n in names {
        assert!(n[1].as_f64() <= n[2].as_f64(), "{n} does not fit its input");
    }
    page.finish().await;
}

#[tokio::test]
async fn screenshots_of_every_preset_at_three_window_sizes() {
    let web = Web::start().await;
    let page = web.open("drawings-shots").await;
    page.goto("/").await;
    for name in PRESETS {
        start_preset(&page, name).await;
        expect_drawn(&page, "", &preset_plan(name)).await;
        for size in SIZES {
            resize(&page, size).await;
            if name != "determined" {
                expect_fits(&page, &format!("{name} at {size:?}")).await;
            }
            shot(&page, name, size).await;
        }
        page.click("#tab-sg").await;
        page.wait_for(".panel.sg #reach-answer, .panel.sg #reach-none")
            .await;
        for size in SIZES {
            shot(&page, &format!("{name}-security-groups"), size).await;
        }
        page.click("#tab-iam").await;
        page.wait_for(".panel.iam #iam-executor-policy").await;
        for size in SIZES {
            shot(&page, &format!("{name}-iam"), size).await;
        }
        page.click("#tab-network").await;
        page.wait_for("[id=\"field-name\"]").await;
    }
    page.finish().await;
}
