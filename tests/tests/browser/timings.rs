//! What the editor's budgets look like in headless Chromium, reported to
//! `target/test-output/web/timings.json` and never asserted: navigation to the first drawn
//! diagram, and one edit's re-plan and re-draw, on TinyStacks at three window sizes and on a
//! design of 180 subnets (6 AZs × 30 tiers, planner-core's large benchmark).

use serde_json::{json, Value};
use tests::web::{output_dir, Page, Web};

use crate::{expect_drawn, plan_doc, preset_doc, preset_plan, scratch, start_preset};

/// The window sizes (CSS pixels) TinyStacks' edits are measured at.
const SIZES: [(u32, u32); 3] = [(1024, 768), (1440, 1000), (1920, 1080)];
/// Edits per case: enough for a median and a 95th percentile, few enough for a fast suite.
const EDITS: usize = 24;
/// Edits made before each design's measured ones, not reported.
const WARM_UP: usize = 6;
/// Edits of the 180-subnet design, each slower.
const LARGE_EDITS: usize = 16;
/// The VPC CIDRs the edits alternate between (the last one is the design's own).
const CIDRS: [&str; 2] = ["10.1.0.0/16", "10.0.0.0/16"];

/// Milliseconds to a tenth.
fn ms(t: f64) -> f64 {
    (t * 10.0).round() / 10.0
}

/// The 95th percentile (nearest rank) of some milliseconds.
fn p95(samples: &[f64]) -> f64 {
    let mut v = samples.to_vec();
    v.sort_by(f64::total_cmp);
    let rank = (v.len() as f64 * 0.95).ceil() as usize;
    v.get(rank.saturating_sub(1)).map_or(f64::NAN, |t| ms(*t))
}

/// The largest of some milliseconds.
fn max(samples: &[f64]) -> f64 {
    samples.iter().copied().fold(0.0, f64::max)
}

/// Median, 95th percentile, maximum and the samples.
fn summary(samples: &[f64]) -> Value {
    json!({
        "median": median(samples),
        "p95": p95(samples),
        "max": max(samples),
        "samples": samples,
    })
}

/// The median of some milliseconds.
fn median(samples: &[f64]) -> f64 {
    let mut v = samples.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => ms(v[n / 2]),
        n => ms((v[n / 2 - 1] + v[n / 2]) / 2.0),
    }
}

/// Re-plans and re-draws `n` times: sets the VPC CIDR input to each of `cidrs` in turn and
/// dispatches `input`. Each edit is timed in phases without yielding to the event loop (so no
/// frame is painted in between): the input handler (the state's apply, which re-plans), Yew's
/// render (its scheduler runs in the microtask queued first), style and layout (forced); then
/// the wait for the next animation frame, which adds vsync.
const REPLAN: &str = r#"
const [cidrs, n, done] = arguments;
const input = document.getElementById('field-vpc.cidr');
const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
const frame = () => new Promise(r => requestAnimationFrame(() => r()));
const microtask = () => new Promise(r => queueMicrotask(r));
(async () => {
  const r = { apply: [], render: [], layout: [], work: [], samples: [], redrawn: 0 };
  await frame();
  for (let i = 0; i < n; i++) {
    const cidr = cidrs[i % cidrs.length];
    const t0 = performance.now();
    set.call(input, cidr);
    input.dispatchEvent(new InputEvent('input', { bubbles: true }));
    const t1 = performance.now();
    await microtask();
    const t2 = performance.now();
    document.body.getBoundingClientRect();
    const t3 = performance.now();
    await frame();
    const t4 = performance.now();
    r.apply.push(t1 - t0);
    r.render.push(t2 - t1);
    r.layout.push(t3 - t2);
    r.work.push(t3 - t0);
    r.samples.push(t4 - t0);
    const prefix = cidr.split('.').slice(0, 2).join('.') + '.';
    const cells = document.querySelectorAll('section.subnet-map .subnet[data-cidr]');
    if (cells.length && [...cells].every(e => e.dataset.cidr.startsWith(prefix))) r.redrawn++;
    // A typist's pause: the previous frame's paint is not counted against the next edit.
    await new Promise(r => setTimeout(r, 100));
  }
  done(r);
})().catch(e => done({ error: String(e) }));
"#;

/// 10.0.0.0/16, 6 AZs, 30 /24 tiers cycling public, private and isolated, a NAT gateway per
/// AZ: 180 subnets, as planner-core's `plan` benchmark builds it.
fn large_doc() -> Value {
    let kinds = ["public", "private", "isolated"];
    let tiers: Vec<Value> = (0..30)
        .map(|i| json!({"name": format!("tier{i:02}"), "kind": kinds[i % 3], "size": {"prefix": 24}}))
        .collect();
    json!({
        "name": "bench-large",
        "region": "us-east-1",
        "vpc": {"cidr": "10.0.0.0/16"},
        "availability_zones": 6,
        "tiers": tiers,
        "nat": "gateway_per_az",
    })
}

/// Runs `n` edits of the VPC CIDR (see [`REPLAN`]) and reports their times.
async fn edits(page: &Page, n: usize) -> Value {
    let result = page.js_async(REPLAN, vec![json!(CIDRS), json!(n)]).await;
    assert!(
        result["error"].is_null(),
        "the timing script failed: {result}"
    );
    let times = |key: &str| -> Vec<f64> {
        serde_json::from_value::<Vec<f64>>(result[key].clone())
            .expect("a list of times")
            .into_iter()
            .map(ms)
            .collect()
    };
    let frame = times("samples");
    let redrawn = result["redrawn"].as_u64().unwrap_or_default();
    json!({
        "edits": n,
        "replan_redraw_ms": summary(&times("work")),
        "input_handler_ms": summary(&times("apply")),
        "render_ms": summary(&times("render")),
        "style_layout_ms": summary(&times("layout")),
        "to_next_frame_ms": summary(&frame),
        "redrawn_by_next_frame": format!("{redrawn}/{}", frame.len()),
    })
}

/// Sets the page's viewport to `width` × `height` CSS pixels.
async fn resize(page: &Page, (width, height): (u32, u32)) {
    let metrics = json!({
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false,
    });
    page.cdp("Emulation.setDeviceMetricsOverride", metrics)
        .await;
    let shown = format!("return window.innerWidth === {width} && window.innerHeight === {height}");
    page.wait_until(&format!("a {width}×{height} window"), &shown)
        .await;
}

/// The plan of `doc` with its VPC CIDR set to the last of `n` edits' (each run of edits starts
/// from the first of [`CIDRS`]).
fn edited_plan(mut doc: Value, n: usize) -> planner_core::Planned {
    if let Some(cidr) = CIDRS.iter().cycle().take(n).last() {
        doc["vpc"]["cidr"] = json!(cidr);
    }
    plan_doc(&doc, None).expect("the edit plans")
}

/// Budgets, reported and never asserted: navigation to the first drawn diagram, and one
/// edit's re-plan and re-draw on the TinyStacks preset at each of [`SIZES`] and on the
/// 180-subnet design.
#[tokio::test]
async fn timings_are_reported() {
    let web = Web::start().await;
    let page = web.open("timings").await;

    let mut marks = Vec::new();
    let mut seen = Vec::new();
    for i in 0..5 {
        match i {
            0 => page.goto("/").await,
            _ => page.reload().await,
        }
        page.wait_for("svg.topology-svg").await;
        let t = page
            .wait_until(
                "the first-diagram mark",
                "const m = performance.getEntriesByName('first-diagram')[0];
                 const w = window.__web;
                 return m && w && w.firstSvg !== null && { mark: m.startTime, svg: w.firstSvg };",
            )
            .await;
        marks.push(ms(t["mark"].as_f64().expect("a mark time")));
        seen.push(ms(t["svg"].as_f64().expect("a time")));
    }

    // A preset loaded from the start dialog has no baseline and no unsaved changes.
    start_preset(&page, "tinystacks").await;
    expect_drawn(&page, "", &preset_plan("tinystacks")).await;
    // Warm-up edits, not reported: the first edits after a load run while the browser is
    // still compiling the wasm's hot functions with its optimizing tier.
    edits(&page, WARM_UP).await;
    let mut tinystacks = serde_json::Map::new();
    for size in SIZES {
        resize(&page, size).await;
        let figures = edits(&page, EDITS).await;
        tinystacks.insert(format!("{}x{}", size.0, size.1), figures);
    }
    // The page shows the plan of the last edit's design (a preset has no baseline plan).
    expect_drawn(&page, "", &edited_plan(preset_doc("tinystacks"), EDITS)).await;

    // The large design, imported as a file (the edits made the design unsaved: replace it).
    let dir = scratch("timings");
    let file = dir.join("bench-large.json");
    std::fs::write(&file, large_doc().to_string()).expect("write the design");
    page.send_keys("#import-file", &file.display().to_string())
        .await;
    page.click("#confirm-replace").await;
    expect_drawn(&page, "", &plan_doc(&large_doc(), None).expect("it plans")).await;
    let (width, height) = SIZES[1];
    resize(&page, (width, height)).await;
    edits(&page, WARM_UP).await;
    let large = edits(&page, LARGE_EDITS).await;
    expect_drawn(&page, "", &edited_plan(large_doc(), LARGE_EDITS)).await;
    page.cdp("Emulation.clearDeviceMetricsOverride", json!({}))
        .await;
    page.finish().await;
    std::fs::remove_dir_all(dir).expect("remove the scratch folder");

    let report = json!({
        "first_diagram_ms": {
            "what": "navigation start to performance.mark(\"first-diagram\") (fresh load, then reloads with the autosaved design)",
            "median": median(&marks),
            "samples": marks,
        },
        "first_topology_svg_ms": {
            "what": "navigation start to the first svg.topology-svg in the document (MutationObserver)",
            "median": median(&seen),
            "samples": seen,
        },
        "replan_redraw": {
            "what": "set the VPC CIDR input, dispatch input: replan_redraw_ms until the DOM is updated and laid out, in phases: input_handler_ms (the state's apply: parse and re-plan), render_ms (Yew's render and effects), style_layout_ms (forced); to_next_frame_ms until the next animation frame (adds paint and the wait for vsync)",
            "tinystacks": tinystacks,
            "large_180_subnets": { format!("{width}x{height}"): large },
        },
    });
    let text = serde_json::to_string_pretty(&report).expect("JSON");
    let path = output_dir().join("timings.json");
    std::fs::write(&path, format!("{text}\n")).expect("write timings.json");
    println!("{}:\n{text}", path.display());
}
