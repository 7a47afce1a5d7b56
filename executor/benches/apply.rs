//! Applying the TinyStacks preset through a proxy that adds 50 ms to every AWS call: wall time
//! against the longest chain of dependent calls, the same apply with one call in flight, and
//! the number of calls of a first apply and of a re-run.
//!
//! **The chain.** A call depends on another when the executor could only start it once the
//! other had answered. The executor says which those are: with `VPC_PLANNER_CALL_TRACE=FILE`
//! it writes every call attempt with the call it was started after (see `executor/src/trace.rs`):
//! calls made one after the other in the same code follow each other; concurrent branches
//! (discovery's describes, IAM's tag reads, the resources of the dependency walk) each start
//! where their parent was, and code after a join follows the longest branch; a resource's
//! first call follows the last calls of the resources it depends on in the plan (not whatever
//! happened to finish before it). The longest chain of such calls, followed back from the
//! call that ends it, is the *chain*; every call takes at least the proxy's 50 ms, so no
//! schedule of this executor's calls can finish in less than chain × 50 ms, whatever the
//! concurrency: that is the bound the wall time is compared with. What the ratio measures is
//! the time spent off the chain's calls: pauses of polls and retries, waiting for a slot of
//! `--concurrency` (discovery asks about 18 describes at once, two rounds at 10, so the
//! apply is also timed at 20), starting the process and loading the configuration, and
//! moto's own time on each call beyond the 50 ms. Shortening the chain
//! itself means starting calls earlier in the executor, which the chain's listing shows.
//!
//! The trace's calls are checked against the proxy's record (same number), so no call escapes
//! it. `APPLY_BENCH_KEEP_TRACES=1` keeps the traces (one JSON line per call) and says where.
//!
//! Run with `cargo bench -p executor --bench apply` (needs moto: `bash tests/setup-moto.sh`).
//! A report, not a test: nothing here asserts a time.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use tests::moto::Moto;
use tests::proxy::Proxy;

const LATENCY: Duration = Duration::from_millis(50);
/// How many times each apply is timed (the median is reported).
const RUNS: usize = 3;
/// The executor's variable naming its call trace file.
const TRACE_ENV: &str = "VPC_PLANNER_CALL_TRACE";
/// Set (to anything) to keep the call traces of the first apply and the re-run.
const KEEP_ENV: &str = "APPLY_BENCH_KEEP_TRACES";

/// The plan's dependency depth in resources (the figure this benchmark used to compare with).
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

/// One traced call attempt.
struct Traced {
    after: Option<u64>,
    strand: String,
    call: String,
    start_ms: f64,
    end_ms: f64,
}

fn read_trace(path: &Path) -> BTreeMap<u64, Traced> {
    let text = std::fs::read_to_string(path).expect("the executor wrote its call trace");
    text.lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).expect("a trace line is JSON");
            let s = |k: &str| v[k].as_str().unwrap_or("?").to_owned();
            let ms = |k: &str| v[k].as_f64().expect("a time");
            let id = v["id"].as_u64().expect("an id");
            let call = Traced {
                after: v["after"].as_u64(),
                strand: s("strand"),
                call: format!("{} {}", s("service"), s("operation")),
                start_ms: ms("start_ms"),
                end_ms: ms("end_ms"),
            };
            (id, call)
        })
        .collect()
}

/// The longest chain of calls each started after the one before it answered, first to last.
fn chain(trace: &BTreeMap<u64, Traced>) -> Vec<u64> {
    let mut length: BTreeMap<u64, usize> = BTreeMap::new();
    // A call follows one made before it, so in id order every `after` is known already.
    for (id, c) in trace {
        let before = c.after.and_then(|a| length.get(&a)).copied().unwrap_or(0);
        length.insert(*id, before + 1);
    }
    let Some((&last, _)) = length
        .iter()
        .max_by_key(|(id, n)| (**n, std::cmp::Reverse(**id)))
    else {
        return Vec::new();
    };
    let mut out = vec![last];
    while let Some(a) = trace[out.last().expect("not empty")].after {
        out.push(a);
    }
    out.reverse();
    out
}

/// The chain as lines: each strand's run of calls on one line.
fn show_chain(trace: &BTreeMap<u64, Traced>, ids: &[u64]) -> Vec<String> {
    let mut lines: Vec<(String, Vec<String>)> = Vec::new();
    for id in ids {
        let c = &trace[id];
        match lines.last_mut() {
            Some((strand, calls)) if *strand == c.strand => calls.push(c.call.clone()),
            _ => lines.push((c.strand.clone(), vec![c.call.clone()])),
        }
    }
    lines
        .into_iter()
        .map(|(strand, calls)| format!("  {strand}: {}", calls.join(", ")))
        .collect()
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// moto builds a region's backend of each service on its first call (EC2 about 3 s, SSM, with
/// its public parameters, about 70 ms): do it before timing. `diff` reaches all but SSM.
fn warm_up(moto: &Moto, proxy: &Proxy, plan: &str) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_executor"));
    cmd.args(["diff", plan])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    proxy.apply_env(&mut cmd);
    let _ = cmd.status();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        let config = tests::account::sdk_config(&moto.endpoint()).await;
        let ssm = aws_sdk_ssm::Client::new(&config);
        let _ = ssm.get_parameters().names("/warm-up").send().await;
    });
}

fn executor(proxy: &Proxy, args: &[&str], trace: Option<&Path>) -> Duration {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_executor"));
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    proxy.apply_env(&mut cmd);
    match trace {
        Some(path) => cmd.env(TRACE_ENV, path),
        None => cmd.env_remove(TRACE_ENV),
    };
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
    let trace_path = dir.join("calls.jsonl");

    let moto = Moto::start();
    let proxy = Proxy::start(&moto.endpoint());
    proxy.latency(LATENCY);

    let apply = ["run", p, "--yes", "--no-progress"];
    let serial_apply = ["run", p, "--yes", "--no-progress", "--concurrency", "1"];
    let wide_apply = ["run", p, "--yes", "--no-progress", "--concurrency", "20"];
    // Each apply on an empty account; the median of RUNS.
    let fresh = |args: &[&str], trace: Option<&Path>| {
        moto.reset();
        warm_up(&moto, &proxy, p);
        proxy.clear();
        executor(&proxy, args, trace)
    };
    let parallel = fresh(&apply, Some(&trace_path));
    let first_calls = proxy.calls().len();
    let first_mutating = proxy.mutating_calls().len();
    let trace = read_trace(&trace_path);
    assert_eq!(
        trace.len(),
        first_calls,
        "the executor traced every call the proxy saw"
    );
    proxy.clear();
    let rerun_trace_path = dir.join("rerun-calls.jsonl");
    let rerun = executor(&proxy, &apply, Some(&rerun_trace_path));
    let rerun_calls = proxy.calls().len();
    let rerun_mutating = proxy.mutating_calls().len();
    let rerun_chain = chain(&read_trace(&rerun_trace_path)).len();
    let mut parallel: Vec<Duration> = std::iter::once(parallel)
        .chain((1..RUNS).map(|_| fresh(&apply, None)))
        .collect();
    let mut serial: Vec<Duration> = (0..RUNS).map(|_| fresh(&serial_apply, None)).collect();
    let mut wide: Vec<Duration> = (0..RUNS).map(|_| fresh(&wide_apply, None)).collect();
    let (parallel, serial, wide) = (
        median(&mut parallel),
        median(&mut serial),
        median(&mut wide),
    );

    let ids = chain(&trace);
    let bound = LATENCY * ids.len() as u32;
    let on_chain: f64 = ids
        .iter()
        .map(|id| trace[id].end_ms - trace[id].start_ms)
        .sum();
    println!(
        "TinyStacks preset: {} resources, dependency depth {}",
        plan.resources.len(),
        depth(&plan)
    );
    println!(
        "apply, --concurrency 10 (median of {RUNS}): {:.2} s",
        parallel.as_secs_f64()
    );
    println!("longest chain of dependent calls: {} calls", ids.len());
    for line in show_chain(&trace, &ids) {
        println!("{line}");
    }
    println!(
        "  its calls took {:.2} s in the traced apply",
        on_chain / 1000.0
    );
    println!("bound (chain × 50 ms): {:.2} s", bound.as_secs_f64());
    println!(
        "ratio wall / bound: {:.2}",
        parallel.as_secs_f64() / bound.as_secs_f64()
    );
    println!(
        "apply, --concurrency 20 (median of {RUNS}): {:.2} s, ratio {:.2}",
        wide.as_secs_f64(),
        wide.as_secs_f64() / bound.as_secs_f64()
    );
    println!(
        "apply, --concurrency 1 (median of {RUNS}): {:.2} s",
        serial.as_secs_f64()
    );
    println!(
        "speed-up: {:.1}×",
        serial.as_secs_f64() / parallel.as_secs_f64()
    );
    println!("calls, first apply: {first_calls} ({first_mutating} mutating)");
    println!(
        "re-run: {:.2} s, {rerun_calls} calls ({rerun_mutating} mutating), chain {rerun_chain} calls",
        rerun.as_secs_f64()
    );
    if std::env::var_os(KEEP_ENV).is_some() {
        println!("call traces kept in {}", dir.display());
    } else {
        let _ = std::fs::remove_dir_all(&dir);
    }
}
