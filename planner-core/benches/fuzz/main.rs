//! The long fuzzing run: arbitrary and structure-aware mutated designs, plans and preset
//! parameters through parse → plan → checks → reachability → executor policy, asserting no
//! panic and a deterministic result. See `harness/mod.rs` for what one execution does.
//!
//! ```text
//! nice -n 10 cargo bench -p planner-core --bench fuzz -- --execs 10000000 --seed 1 \
//!     [--jobs 2] [--out target/fuzz] [--every 30]
//! ```
//!
//! Each crash is saved, as generated and minimised, under `--out` (one file per distinct
//! signature, `crash-<n>.json`, `crash-<n>.min.json` and `crash-<n>.txt` saying what broke and
//! how to repeat it). Progress goes to standard error every `--every` seconds, the totals at the
//! end; the exit code is 1 when anything crashed.

// The harness is the edge: it reads the clock and writes files, as planner-core never does.
#![allow(
    clippy::disallowed_methods,
    clippy::disallowed_types,
    clippy::print_stderr
)]

mod harness;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use harness::{quiet_panics, Fuzzer};

struct Args {
    execs: u64,
    seed: u64,
    out: PathBuf,
    every: Duration,
    jobs: usize,
}

fn args() -> Args {
    let mut a = Args {
        execs: 100_000,
        seed: 1,
        out: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/fuzz"),
        every: Duration::from_secs(30),
        jobs: 1,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .unwrap_or_else(|| usage(&format!("{flag} needs a value")))
        };
        match flag.as_str() {
            "--execs" => a.execs = value().parse().unwrap_or_else(|_| usage("--execs N")),
            "--seed" => a.seed = value().parse().unwrap_or_else(|_| usage("--seed S")),
            "--out" => a.out = PathBuf::from(value()),
            "--jobs" => a.jobs = value().parse().unwrap_or_else(|_| usage("--jobs N")),
            "--every" => {
                a.every = Duration::from_secs(
                    value().parse().unwrap_or_else(|_| usage("--every SECONDS")),
                )
            }
            "--time-seeds" => {
                time_seeds();
                std::process::exit(0)
            }
            // cargo bench passes --bench; nothing else is expected.
            "--bench" => {}
            other => usage(&format!("unknown argument {other}")),
        }
    }
    a
}

/// How long each seed takes through the pipeline: where the executions' time goes.
fn time_seeds() {
    for (path, text) in harness::seeds::FIXTURES {
        let start = Instant::now();
        for _ in 0..20 {
            std::hint::black_box(harness::pipeline::transcript(text));
        }
        let all = start.elapsed().as_secs_f64() * 1e6 / 20.0;
        let t = |f: &dyn Fn()| {
            let s = Instant::now();
            for _ in 0..20 {
                f();
            }
            s.elapsed().as_secs_f64() * 1e6 / 20.0
        };
        let parse = t(&|| {
            let _ = planner_core::parse_input(text);
        });
        let (plan, analyse, policy) = match planner_core::parse_input(text) {
            Ok(input) => {
                let d = input.design().clone();
                let p = planner_core::plan(&d, None).map(|p| p.plan);
                match p {
                    Ok(p) => (
                        t(&|| {
                            let _ = planner_core::plan(&d, None);
                        }),
                        t(&|| {
                            let g = planner_core::analysis::sg_graph::Graph::new(&p);
                            let _ = g.matrix();
                            let _ = g.exposure();
                        }),
                        t(&|| {
                            let _ = planner_core::analysis::executor_policy::policy(
                                &p,
                                &Default::default(),
                            );
                        }),
                    ),
                    Err(_) => (0.0, 0.0, 0.0),
                }
            }
            Err(_) => (0.0, 0.0, 0.0),
        };
        eprintln!("{all:>8.0} µs  parse {parse:.0} plan {plan:.0} graph {analyse:.0} policy {policy:.0} {path}");
    }
}

fn usage(why: &str) -> ! {
    eprintln!("fuzz: {why}\nusage: fuzz [--execs N] [--seed S] [--jobs N] [--out DIR] [--every SECONDS] | --time-seeds");
    std::process::exit(2)
}

fn main() {
    let args = args();
    quiet_panics();
    let jobs = args.jobs.max(1);
    let seen: Mutex<BTreeMap<String, usize>> = Mutex::new(BTreeMap::new());
    let totals: Vec<Mutex<harness::Stats>> = (0..jobs).map(|_| Mutex::default()).collect();
    let start = Instant::now();
    eprintln!(
        "fuzz: seed {}, {} executions on {jobs} thread(s), crashes to {}",
        args.seed,
        args.execs,
        args.out.display()
    );
    let finished = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for (worker, total) in totals.iter().enumerate() {
            let (args, seen, finished) = (&args, &seen, &finished);
            // Each thread runs its own seeded sequence, so a run is repeated by --seed and --jobs.
            let quota =
                args.execs / jobs as u64 + u64::from((worker as u64) < args.execs % jobs as u64);
            s.spawn(move || {
                let seed = args
                    .seed
                    .wrapping_add((worker as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
                let mut fuzzer = Fuzzer::new(seed);
                while fuzzer.stats.execs < quota {
                    if let Some(crash) = fuzzer.step() {
                        let mut seen = seen.lock().unwrap_or_else(|e| e.into_inner());
                        let n = seen.len();
                        let count = seen.entry(crash.signature.clone()).or_insert(0);
                        *count += 1;
                        if *count == 1 {
                            save(args, n, seed, fuzzer.stats.execs, &crash);
                            eprintln!(
                                "fuzz: crash {n} (thread {worker}, execution {}): {}",
                                fuzzer.stats.execs, crash.signature
                            );
                        }
                    }
                    if fuzzer.stats.execs % 64 == 0 {
                        *total.lock().unwrap_or_else(|e| e.into_inner()) = fuzzer.stats.clone();
                    }
                }
                *total.lock().unwrap_or_else(|e| e.into_inner()) = fuzzer.stats.clone();
                finished.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            });
        }
        let mut last = Instant::now();
        while finished.load(std::sync::atomic::Ordering::SeqCst) < jobs {
            std::thread::sleep(Duration::from_millis(200));
            if last.elapsed() >= args.every {
                last = Instant::now();
                report(
                    "progress",
                    &sum(&totals),
                    start.elapsed(),
                    seen.lock().map_or(0, |s| s.len()),
                );
            }
        }
    });
    let seen = seen.into_inner().unwrap_or_else(|e| e.into_inner());
    report("done", &sum(&totals), start.elapsed(), seen.len());
    for (signature, count) in &seen {
        eprintln!("fuzz: {count} × {signature}");
    }
    std::process::exit(i32::from(!seen.is_empty()));
}

fn sum(totals: &[Mutex<harness::Stats>]) -> harness::Stats {
    let mut all = harness::Stats::default();
    for t in totals {
        let t = t.lock().unwrap_or_else(|e| e.into_inner());
        all.execs += t.execs;
        all.crashes += t.crashes;
        all.parsed += t.parsed;
    }
    all
}

fn report(what: &str, stats: &harness::Stats, elapsed: Duration, unique: usize) {
    let secs = elapsed.as_secs_f64();
    eprintln!(
        "fuzz: {what}: {} executions in {:.0} s ({:.0}/s), {} parsed as a design or plan, {} crashes ({unique} distinct)",
        stats.execs,
        secs,
        stats.execs as f64 / secs.max(1e-9),
        stats.parsed,
        stats.crashes,
    );
}

fn save(args: &Args, n: usize, seed: u64, exec: u64, crash: &harness::Crash) {
    let dir = &args.out;
    let written = std::fs::create_dir_all(dir)
        .and_then(|()| std::fs::write(dir.join(format!("crash-{n}.json")), crash.input.to_file()))
        .and_then(|()| {
            std::fs::write(
                dir.join(format!("crash-{n}.min.json")),
                crash.minimal.to_file(),
            )
        })
        .and_then(|()| {
            std::fs::write(
                dir.join(format!("crash-{n}.txt")),
                format!(
                    "{}\nfound at execution {exec} of the thread seeded {seed} (--seed {})\n",
                    crash.signature, args.seed
                ),
            )
        });
    if let Err(e) = written {
        eprintln!("fuzz: cannot save crash {n} in {}: {e}", dir.display());
    }
}
