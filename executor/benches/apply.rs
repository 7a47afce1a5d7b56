//! Applying the TinyStacks preset through a proxy that adds 50 ms to every AWS call: wall time
//! against the critical-path bound (dependency depth × 50 ms), the same apply with one call in
//! flight, and the number of calls of a first apply and of a re-run.
//!
//! Run with `cargo bench -p executor --bench apply` (needs moto: `bash tests/setup-moto.sh`).
//! A report, not a test: nothing here asserts a time.

use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tests::moto::Moto;
use tests::proxy::Proxy;

const LATENCY: Duration = Duration::from_millis(50);

fn depth(plan: &planner_core::Plan) -> usize {
    let mut d: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &plan.resources {
        let deepest = r
            .depends_on
            .iter()
            .filter_map(|x| d.get(x.as_str()))
            .max()
            .copied()
            .unwrap_or(0);
        d.insert(&r.id, deepest + 1);
    }
    d.values().copied().max().unwrap_or(0)
}

/// moto builds a region's EC2 backend on its first call (about 3 s): do it before timing.
fn warm_up(proxy: &Proxy, plan: &str) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_executor"));
    cmd.args(["diff", plan])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    proxy.apply_env(&mut cmd);
    let _ = cmd.status();
}

fn executor(proxy: &Proxy, args: &[&str]) -> Duration {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_executor"));
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    proxy.apply_env(&mut cmd);
    let start = Instant::now();
    let status = cmd.status().expect("the executor runs");
    assert!(status.success(), "executor {args:?} failed");
    start.elapsed()
}

fn main() {
    let design = planner_core::presets::build("tinystacks", &[]).expect("the preset builds");
    let plan = planner_core::plan(&design, None)
        .expect("the preset plans")
        .plan;
    let dir = std::env::temp_dir().join(format!("vpc-planner-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch dir");
    let path = dir.join("tinystacks.plan.json");
    std::fs::write(&path, plan.to_json()).expect("the plan is written");
    let p = path.to_str().expect("utf-8 path");

    let moto = Moto::start();
    let proxy = Proxy::start(&moto.endpoint());
    proxy.latency(LATENCY);

    warm_up(&proxy, p);
    proxy.clear();
    let parallel = executor(&proxy, &["run", p, "--yes", "--no-progress"]);
    let first_calls = proxy.calls().len();
    let first_mutating = proxy.mutating_calls().len();
    proxy.clear();
    executor(&proxy, &["run", p, "--yes", "--no-progress"]);
    let rerun_calls = proxy.calls().len();
    let rerun_mutating = proxy.mutating_calls().len();
    moto.reset();
    warm_up(&proxy, p);
    proxy.clear();
    let serial = executor(
        &proxy,
        &["run", p, "--yes", "--no-progress", "--concurrency", "1"],
    );

    let depth = depth(&plan);
    let bound = LATENCY * depth as u32;
    println!(
        "TinyStacks preset: {} resources, dependency depth {depth}",
        plan.resources.len()
    );
    println!("apply, --concurrency 10: {:.2} s", parallel.as_secs_f64());
    println!(
        "critical-path bound (depth × 50 ms): {:.2} s",
        bound.as_secs_f64()
    );
    println!(
        "ratio wall / bound: {:.2}",
        parallel.as_secs_f64() / bound.as_secs_f64()
    );
    println!("apply, --concurrency 1: {:.2} s", serial.as_secs_f64());
    println!(
        "speed-up: {:.1}×",
        serial.as_secs_f64() / parallel.as_secs_f64()
    );
    println!("calls, first apply: {first_calls} ({first_mutating} mutating)");
    println!("calls, re-run: {rerun_calls} ({rerun_mutating} mutating)");
    let _ = std::fs::remove_dir_all(&dir);
}
