//! What the editor's budgets look like in headless Chromium, reported to
//! `target/test-output/web/timings.json` and never asserted: navigation to the first drawn
//! diagram, and one edit's re-plan and re-draw.

use serde_json::json;
use tests::web::{output_dir, Web};

use crate::{expect_drawn, plan_doc, preset_doc, preset_plan, start_preset};

/// Milliseconds to a tenth.
fn ms(t: f64) -> f64 {
    (t * 10.0).round() / 10.0
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

/// Re-plans and re-draws `n` times: sets the VPC CIDR input to each of `cidrs` in turn,
/// dispatches `input`, and measures the work (until the next task, after Yew's render, with
/// style and layout forced) and the wait for the next animation frame, which adds vsync.
const REPLAN: &str = r#"
const [cidrs, n, done] = arguments;
const input = document.getElementById('field-vpc.cidr');
const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
const frame = () => new Promise(r => requestAnimationFrame(() => r()));
const task = () => new Promise(r => {
  const c = new MessageChannel();
  c.port1.onmessage = () => r();
  c.port2.postMessage(0);
});
(async () => {
  const samples = [];
  const work = [];
  const script = [];
  let redrawn = 0;
  await frame();
  for (let i = 0; i < n; i++) {
    const cidr = cidrs[i % cidrs.length];
    const t0 = performance.now();
    set.call(input, cidr);
    input.dispatchEvent(new InputEvent('input', { bubbles: true }));
    await task();
    script.push(performance.now() - t0);
    document.body.getBoundingClientRect();
    work.push(performance.now() - t0);
    await frame();
    samples.push(performance.now() - t0);
    const prefix = cidr.split('.').slice(0, 2).join('.') + '.';
    const cells = document.querySelectorAll('section.subnet-map .subnet[data-cidr]');
    if (cells.length && [...cells].every(e => e.dataset.cidr.startsWith(prefix))) redrawn++;
    // A typist's pause: the previous frame's paint is not counted against the next edit.
    await new Promise(r => setTimeout(r, 100));
  }
  done({ samples, work, script, redrawn });
})().catch(e => done({ error: String(e) }));
"#;

/// Budgets, reported and never asserted: navigation to the first drawn diagram, and one
/// edit's re-plan and re-draw on the TinyStacks preset.
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

    start_preset(&page, "tinystacks").await;
    let mut planned = preset_plan("tinystacks");
    expect_drawn(&page, "", &planned).await;
    let cidrs = ["10.1.0.0/16", "10.0.0.0/16"];
    let edits = 20;
    let result = page
        .js_async(REPLAN, vec![json!(cidrs), json!(edits)])
        .await;
    assert!(
        result["error"].is_null(),
        "the timing script failed: {result}"
    );
    let samples: Vec<f64> = serde_json::from_value::<Vec<f64>>(result["samples"].clone())
        .expect("a list of times")
        .into_iter()
        .map(ms)
        .collect();
    let work: Vec<f64> = serde_json::from_value::<Vec<f64>>(result["work"].clone())
        .expect("a list of times")
        .into_iter()
        .map(ms)
        .collect();
    let script: Vec<f64> = serde_json::from_value::<Vec<f64>>(result["script"].clone())
        .expect("a list of times")
        .into_iter()
        .map(ms)
        .collect();
    let redrawn = result["redrawn"].as_u64().unwrap_or_default();
    // The page shows the plan of the last edit's design (a preset has no baseline plan).
    if let Some(cidr) = cidrs.iter().cycle().take(edits).last() {
        let mut doc = preset_doc("tinystacks");
        doc["vpc"]["cidr"] = json!(cidr);
        planned = plan_doc(&doc, None).expect("the edit plans");
    }
    expect_drawn(&page, "", &planned).await;
    page.finish().await;

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
        "replan_redraw_ms": {
            "what": "TinyStacks: set the VPC CIDR input, dispatch input, until the DOM is updated and laid out",
            "median": median(&work),
            "max": work.iter().copied().fold(0.0, f64::max),
            "samples": work,
        },
        "replan_redraw_script_ms": {
            "what": "the same edits, until the DOM is updated (re-plan and Yew's render, before style and layout)",
            "median": median(&script),
            "samples": script,
        },
        "replan_redraw_to_next_frame_ms": {
            "what": "the same edits, until the next animation frame (adds the wait for vsync)",
            "median": median(&samples),
            "max": samples.iter().copied().fold(0.0, f64::max),
            "redrawn_by_next_frame": format!("{redrawn}/{}", samples.len()),
            "samples": samples,
        },
    });
    let text = serde_json::to_string_pretty(&report).expect("JSON");
    let path = output_dir().join("timings.json");
    std::fs::write(&path, format!("{text}\n")).expect("write timings.json");
    println!("{}:\n{text}", path.display());
}
