//! `lint` over a corpus of real, valid policies: AWS's managed policies, which moto ships in
//! `moto/iam/aws_managed_policies.py`. Each is linted as the file `executor lint` would read
//! (pretty JSON; none names a principal, so each is an identity policy), and the report says
//! how many there are, which have a grammar error (IAM001 errors; aim: none, they are valid),
//! which actions or services are unknown (IAM002; aim: only what AWS retired), how many
//! findings each code raised, and how long linting the whole corpus takes (aim: under 0.5 s in
//! release, the best of five rounds).
//!
//! ```text
//! nice -n 10 cargo bench -p planner-core --bench lint_corpus
//! ```
//!
//! The file is `LINT_CORPUS`, or else found in `target/moto-venv` (`tests/setup-moto.sh`).

// A benchmark is the edge: it reads a file, the environment and the clock.
#![allow(
    clippy::disallowed_methods,
    clippy::disallowed_types,
    clippy::print_stdout
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use planner_core::lint::{lint, Kind, Linted};
use planner_core::{PlanError, Severity};
use serde_json::Value;

fn main() {
    let file = corpus_file().unwrap_or_else(|| {
        eprintln!(
            "no corpus: set LINT_CORPUS to moto's iam/aws_managed_policies.py (bash tests/setup-moto.sh installs moto in target/moto-venv)"
        );
        std::process::exit(2)
    });
    let source =
        std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let policies = documents(&source);
    println!("corpus: {} ({} policies)", file.display(), policies.len());

    let mut best = Duration::MAX;
    let mut results = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        results = policies.iter().map(|(_, text)| lint(text)).collect();
        best = best.min(start.elapsed());
    }
    report(&policies, &results);
    println!(
        "time: {:.1} ms to lint all {} (best of 5 rounds, {:.1} µs each)",
        best.as_secs_f64() * 1e3,
        policies.len(),
        best.as_secs_f64() * 1e6 / policies.len() as f64
    );
}

/// `LINT_CORPUS`, or moto's file in the workspace's `target/moto-venv`.
fn corpus_file() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("LINT_CORPUS") {
        return Some(PathBuf::from(p));
    }
    let lib = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/moto-venv/lib");
    std::fs::read_dir(lib).ok()?.flatten().find_map(|python| {
        let p = python
            .path()
            .join("site-packages/moto/iam/aws_managed_policies.py");
        p.exists().then_some(p)
    })
}

/// Every policy's name and document as pretty JSON text, by name. The file holds one JSON
/// object between `"""` quotes: name → {"Document", "DefaultVersionId", …}.
fn documents(source: &str) -> Vec<(String, String)> {
    let start = source.find("\"\"\"").expect("an opening \"\"\"") + 3;
    let end = source.rfind("\"\"\"").expect("a closing \"\"\"");
    let all: BTreeMap<String, Value> =
        serde_json::from_str(&source[start..end]).expect("the corpus is JSON");
    all.into_iter()
        .map(|(name, entry)| {
            let text = serde_json::to_string_pretty(&entry["Document"]).expect("serializes");
            (name, text)
        })
        .collect()
}

/// The value at a path such as `Statement[0].Action[2]`.
fn at<'a>(mut v: &'a Value, path: &str) -> Option<&'a Value> {
    for part in path.split('.') {
        let (key, indices) = part.split_once('[').unwrap_or((part, ""));
        if !key.is_empty() {
            v = v.get(key)?;
        }
        for i in indices.split('[').filter(|s| !s.is_empty()) {
            v = v.get(i.trim_end_matches(']').parse::<usize>().ok()?)?;
        }
    }
    Some(v)
}

fn report(policies: &[(String, String)], results: &[Result<Linted, PlanError>]) {
    let mut grammar = Vec::new();
    let mut unknown: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut per_code: BTreeMap<(&str, Severity), (usize, usize)> = BTreeMap::new();
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    for ((name, text), result) in policies.iter().zip(results) {
        let linted = match result {
            Ok(l) => l,
            Err(e) => {
                grammar.push(format!("{name}: not read: {e}"));
                continue;
            }
        };
        *kinds.entry(linted.kind.to_string()).or_default() += 1;
        if linted.kind != Kind::Identity {
            grammar.push(format!("{name}: read as a {}", linted.kind));
        }
        let doc: Value = serde_json::from_str(text).expect("JSON");
        let mut codes = BTreeSet::new();
        for f in &linted.findings {
            let e = per_code.entry((f.code, f.severity)).or_default();
            e.0 += 1;
            if codes.insert((f.code, f.severity)) {
                e.1 += 1;
            }
            if f.code == "IAM001" && f.severity == Severity::Error {
                grammar.push(format!("{name}: at {}: {}", f.path, f.message));
            }
            if f.code == "IAM002" {
                let action = at(&doc, &f.path)
                    .and_then(Value::as_str)
                    .unwrap_or("?")
                    .to_owned();
                unknown.entry(action).or_default().insert(name.clone());
            }
        }
    }
    println!("kinds: {kinds:?}");
    println!("grammar errors: {}", grammar.len());
    for g in &grammar {
        println!("  {g}");
    }
    println!("unknown actions or services: {} distinct", unknown.len());
    for (action, names) in &unknown {
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let shown = if names.len() > 3 {
            format!("{} and {} more", names[..3].join(", "), names.len() - 3)
        } else {
            names.join(", ")
        };
        println!("  {action} (in {shown})");
    }
    println!("findings per code (findings, policies):");
    for ((code, severity), (n, in_policies)) in &per_code {
        println!("  {code} {severity}: {n} in {in_policies} policies");
    }
}
