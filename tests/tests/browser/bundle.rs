//! The editor's first download and what comes after it: the wasm and the JS trunk writes,
//! each compressed with `gzip -9`, hold a size budget (a figure, not a timing, so it is
//! asserted), and the IAM catalogue, which is not in them, arrives from the page's own origin
//! after the first drawing and is used once there.

use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::json;
use tests::web::{output_dir, Web};

use crate::baseline::start_blank;

/// What the wasm and the JS may weigh together, each compressed with `gzip -9` (bytes): a
/// ceiling a few kilobytes above today's 742 KB, so that growth is a decision. The editor's
/// goal is 550 KB ([`GOAL`], written to `bundle.json`), which needs code loaded after the first
/// drawing (the exports, lint, presets) and is not met yet.
const BUDGET: u64 = 750_000;
/// The size the editor aims at; reported, not asserted, until it is met.
const GOAL: u64 = 550_000;

/// The files fetched after the first drawing: in the dist folder, byte for byte as planner-core
/// compiles them in natively.
const LATER: [&str; 2] = ["iam-actions.txt.deflate", "iam-details.txt.deflate"];

/// The size of `file` compressed with `gzip -9`.
fn gzip_size(file: &Path) -> u64 {
    let out = Command::new("gzip")
        .args(["-9", "-c"])
        .arg(file)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run gzip: {e}"));
    assert!(out.status.success(), "gzip -9 -c {}", file.display());
    out.stdout.len() as u64
}

/// `(file name, raw bytes, gzip -9 bytes)` of every `.wasm` and `.js` file in `dist`, sorted.
fn bundle(dist: &Path) -> Vec<(String, u64, u64)> {
    let mut files: Vec<(String, u64, u64)> = std::fs::read_dir(dist)
        .unwrap_or_else(|e| panic!("{}: {e}", dist.display()))
        .map(|e| e.expect("a dist entry").path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("wasm" | "js")))
        .map(|p| {
            let raw = std::fs::metadata(&p).expect("a dist file").len();
            let name = p.file_name().expect("a file name").to_string_lossy();
            (name.into_owned(), raw, gzip_size(&p))
        })
        .collect();
    files.sort();
    files
}

#[test]
fn the_wasm_and_js_hold_the_size_budget() {
    let dist = tests::web::dist();
    let files = bundle(dist);
    assert!(
        files.iter().any(|f| f.0.ends_with(".wasm")) && files.iter().any(|f| f.0.ends_with(".js")),
        "{}: no wasm or no js: {files:?}",
        dist.display()
    );
    let total: u64 = files.iter().map(|f| f.2).sum();
    let report = json!({
        "what": "the editor's first download: every .wasm and .js of the dist folder, raw and gzip -9 (bytes)",
        "files": files.iter().map(|(name, raw, gzip)| json!({"file": name, "raw": raw, "gzip": gzip})).collect::<Vec<_>>(),
        "gzip_total": total,
        "budget": BUDGET,
        "goal": GOAL,
    });
    std::fs::write(
        output_dir().join("bundle.json"),
        serde_json::to_string_pretty(&report).expect("a report") + "\n",
    )
    .expect("the bundle report is written");
    eprintln!("{report:#}");

    // What is left out of them is beside the page, for it to fetch.
    let data = tests::moto::workspace_dir().join("planner-core/data");
    for name in LATER {
        let shipped = std::fs::read(dist.join(name))
            .unwrap_or_else(|e| panic!("{name} is not beside the page: {e}"));
        let source = std::fs::read(data.join(name)).expect("planner-core's data file");
        assert!(
            shipped == source,
            "{name} in the dist folder differs from planner-core's"
        );
    }
    assert!(
        total <= BUDGET,
        "the wasm and js weigh {total} bytes gzipped, over the budget of {BUDGET}: {files:?}"
    );
}

#[tokio::test]
async fn the_iam_catalogue_arrives_from_the_pages_origin_and_is_used() {
    let web = Web::start().await;
    let page = web.open("bundle").await;
    page.goto("/").await;
    start_blank(&page).await;
    page.click("#tab-iam").await;

    let source = planner_core::analysis::iam_catalogue::source();
    let want = format!("IAM catalogue: {source} (resource types and condition keys checked).");
    page.poll("the catalogue line naming the catalogue", || async {
        let line = page.text("p.help.catalogue").await;
        if line == want {
            Ok(())
        } else {
            Err(line)
        }
    })
    .await;

    // Fetched from the page's own origin, after the page itself.
    let fetched = page
        .js(
            "return performance.getEntriesByType('resource')
               .filter(e => e.name.endsWith('.deflate'))
               .map(e => new URL(e.name).origin === location.origin ? new URL(e.name).pathname : e.name)",
            vec![],
        )
        .await;
    let mut fetched: Vec<String> = serde_json::from_value(fetched).expect("strings");
    fetched.sort();
    assert_eq!(fetched, LATER.map(|n| format!("/{n}")), "{fetched:?}");

    // An action one letter short: only the catalogue knows it is not one.
    let text =
        r#"{"Statement": {"Effect": "Allow", "Action": "ec2:DescribeInstance", "Resource": "*"}}"#;
    let linted = planner_core::lint::lint(text).expect("the policy is read");
    assert!(
        linted.findings.iter().any(|f| f.code == "IAM002"),
        "{linted:?}"
    );
    page.set_value("#lint-policy-text", text).await;
    page.wait_until(
        "IAM002 in the lint box",
        "return [...document.querySelectorAll('#lint-policy-findings .finding')]
           .some(e => e.dataset.code === 'IAM002')",
    )
    .await;
    page.finish().await;
}
