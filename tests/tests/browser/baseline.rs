//! The same design gives the same plan: values typed key by key leave no mark on the layout,
//! and subnets are pinned only by a plan the user loaded, imported or exported (the baseline).
//! Each export is compared byte for byte with what the real `executor plan` binary writes for
//! the design the export holds (with `--previous` the baseline).

use std::path::Path;

use planner_core::alloc::Allocation;
use serde_json::{json, Value};
use tests::web::{Page, Web};

use crate::{expect_drawn, first_difference, plan_doc, scratch};

/// Starts the blank design from the start dialog (opened with `#new` unless it is showing).
pub async fn start_blank(page: &Page) {
    page.wait_for("#new").await;
    if page.count("#start-go").await == 0 {
        page.click("#new").await;
    }
    page.click("#start-blank").await;
    page.click("#start-go").await;
    page.wait_gone("#start-go").await;
    page.wait_until(
        "the blank design",
        "return document.querySelector('.design-name')?.textContent === 'my-network'",
    )
    .await;
}

/// What `executor plan design.json [--previous previous.json]` writes, run in `dir`.
fn executor_plan(dir: &Path, design: &Value, previous: Option<&[u8]>) -> Vec<u8> {
    let design_file = dir.join("design.json");
    let out = dir.join("executor-plan.json");
    std::fs::write(&design_file, design.to_string()).expect("write the design");
    let mut cmd = tests::executor::command();
    cmd.arg("plan")
        .arg(&design_file)
        .arg("-o")
        .arg(&out)
        .arg("-q");
    if let Some(previous) = previous {
        let file = dir.join("previous.json");
        std::fs::write(&file, previous).expect("write the previous plan");
        cmd.arg("--previous").arg(file);
    }
    let run = cmd.output().expect("run the executor");
    assert!(
        run.status.success(),
        "executor plan failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    std::fs::read(&out).expect("the executor's plan.json")
}

/// Exports plan.json and asserts it is byte for byte what `executor plan` writes for the
/// design it holds, with `previous` as `--previous`; returns the bytes.
pub(crate) async fn export_matches_executor(
    page: &Page,
    dir: &Path,
    previous: Option<&[u8]>,
) -> Vec<u8> {
    page.click("#export-plan").await;
    let bytes = page.download("plan.json").await;
    let exported: Value = serde_json::from_slice(&bytes).expect("the export is JSON");
    let want = executor_plan(dir, &exported["design"], previous);
    assert!(
        bytes == want,
        "the exported plan.json differs from executor plan's for its design{}:\n{}",
        if previous.is_some() {
            " with --previous the baseline"
        } else {
            ""
        },
        first_difference(
            &String::from_utf8_lossy(&bytes),
            &String::from_utf8_lossy(&want)
        )
    );
    bytes
}

/// Switches tier `i`'s size to a host count and types `hosts` into it key by key.
async fn type_hosts(page: &Page, i: usize, hosts: &str) {
    page.js(
        "const s = document.querySelector(arguments[0]);
         s.value = 'hosts';
         s.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![json!(format!(
            r#"[id="field-tiers[{i}]"] select[aria-label="Size by"]"#
        ))],
    )
    .await;
    page.wait_for(&format!(
        r#"[id="field-tiers[{i}].size"][aria-label="Usable addresses"]"#
    ))
    .await;
    page.type_into(&format!(r#"[id="field-tiers[{i}].size"]"#), hosts)
        .await;
}

/// Types `name` into tier `i`'s name, key by key.
async fn type_name(page: &Page, i: usize, name: &str) {
    page.type_into(&format!(r#"[id="field-tiers[{i}].name"]"#), name)
        .await;
}

/// The subnets of the subnet map marked pinned: `tier az cidr`, sorted.
async fn pinned(page: &Page) -> Vec<String> {
    let v = page
        .js(
            "return Array.from(document.querySelectorAll('section.subnet-map .subnet.pinned'),
                e => [e.dataset.tier, e.dataset.az, e.dataset.cidr].join(' '))",
            vec![],
        )
        .await;
    let mut v: Vec<String> = serde_json::from_value(v).expect("strings");
    v.sort();
    v
}

/// The subnets of `now` that `baseline` has at the same place: what the map must pin.
fn kept(now: &Allocation, baseline: &Allocation) -> Vec<String> {
    let mut v: Vec<String> = now
        .subnets
        .iter()
        .filter(|s| baseline.subnets.contains(s))
        .map(|s| format!("{} {} {}", s.tier, s.availability_zone, s.cidr))
        .collect();
    v.sort();
    v
}

#[tokio::test]
async fn typed_values_leave_no_mark_and_exports_match_executor_plan() {
    let dir = scratch("same-plan");
    let web = Web::start().await;
    let page = web.open("same-plan").await;
    page.goto("/").await;
    start_blank(&page).await;
    page.click("#add-tier").await;
    page.wait_for(r#"[id="field-tiers[2].name"]"#).await;

    // Key by key: a host count through 1, 10 and 100; a tier renamed to another tier's name
    // (an error) and back through names of its own.
    type_hosts(&page, 1, "1000").await;
    type_name(&page, 2, "public").await;
    page.wait_for("#stale").await;
    type_name(&page, 2, "tier3").await;
    page.wait_gone("#stale").await;
    type_hosts(&page, 0, "60").await;
    assert_eq!(
        pinned(&page).await,
        Vec::<String>::new(),
        "no baseline: nothing pinned"
    );
    let exported = export_matches_executor(&page, &dir, None).await;
    page.screenshot("typed").await;

    // The export is the baseline now: later edits keep its subnets where they are, and the
    // map says which.
    let baseline: Value = serde_json::from_slice(&exported).expect("JSON");
    let baseline_alloc: Allocation =
        serde_json::from_value(baseline["allocation"].clone()).expect("an allocation");
    let design = baseline["design"].clone();
    let drawn = plan_doc(&design, None).expect("the exported design plans");
    expect_drawn(&page, "", &drawn).await;
    assert_eq!(
        pinned(&page).await,
        kept(&drawn.plan.allocation, &baseline_alloc),
        "every subnet of the export is pinned"
    );
    type_hosts(&page, 0, "300").await;
    type_name(&page, 2, "storage").await;
    type_hosts(&page, 1, "2000").await;
    let second_export = export_matches_executor(&page, &dir, Some(&exported)).await;
    let now: Value = serde_json::from_slice(&second_export).expect("JSON");
    let now_alloc: Allocation =
        serde_json::from_value(now["allocation"].clone()).expect("an allocation");
    page.screenshot("pinned").await;
    // The second export is the baseline now: all its subnets are pinned.
    page.poll("every subnet of the second export pinned", || async {
        let shown = pinned(&page).await;
        match shown == kept(&now_alloc, &now_alloc) {
            true => Ok(()),
            false => Err(format!("{shown:?}")),
        }
    })
    .await;
    page.finish().await;
    std::fs::remove_dir_all(dir).expect("remove the scratch folder");
}
