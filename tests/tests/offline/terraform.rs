//! `planner_core::export::terraform`: every preset variant and every fixture design exported,
//! every file parsed by python-hcl2 (`tests/terraform_hcl.py`, one run for all), and every
//! reference in the parsed files resolved to a declared resource, data source or variable;
//! every resource of the plan has its address; no placeholder anywhere. Addresses stay put
//! when a zone or a tier is added; the output of every preset variant is snapshotted.
//!
//! python-hcl2 comes from `tests/setup-moto.sh`'s venv (`target/moto-venv`); there is no
//! Terraform binary here, so `terraform validate` is not run.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use planner_core::export::terraform;
use planner_core::{AvailabilityZones, Design, Plan, ResourceKind, TierKind};
use serde_json::Value;

/// The preset variants of `presets.rs`, by golden plan.
const VARIANTS: &[&str] = &[
    "titus",
    "titus-ipv6",
    "titus-three-azs",
    "titus-hardened",
    "tinystacks",
    "tinystacks-no-nat",
    "tinystacks-api-gateway",
    "tinystacks-bastion",
    "tinystacks-hardened",
    "determined",
    "determined-hardened",
    "informatica",
    "informatica-hardened",
];

fn golden(name: &str) -> Plan {
    let path = tests::fixtures().join(format!("presets/{name}.plan.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    planner_core::parse_plan(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Every plan the suite exports: the preset variants and the fixture designs.
fn plans() -> Vec<(String, Plan)> {
    let mut out: Vec<(String, Plan)> = VARIANTS
        .iter()
        .map(|v| (format!("preset-{v}"), golden(v)))
        .collect();
    for path in tests::fixture_files("designs") {
        let plan = planner_core::plan(&tests::design(&path), None)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .plan;
        out.push((format!("design-{}", tests::stem(&path)), plan));
    }
    out
}

fn python() -> PathBuf {
    let venv = tests::moto::workspace_dir().join("target/moto-venv/bin/python");
    assert!(
        venv.exists(),
        "{} is missing: run tests/setup-moto.sh (it installs python-hcl2)",
        venv.display()
    );
    venv
}

/// Writes `files` under `dir`, replacing what was there.
fn write(dir: &Path, files: &BTreeMap<String, String>) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

/// python-hcl2's reading of every directory, by directory.
fn parse_all(dirs: &[PathBuf]) -> BTreeMap<String, Value> {
    let script = tests::moto::workspace_dir().join("tests/terraform_hcl.py");
    let out = Command::new(python())
        .arg(script)
        .args(dirs)
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "python-hcl2 refused a file: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("the script prints JSON");
    v.as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// python-hcl2 keeps labels and string literals with their quotes.
fn unquote(s: &str) -> &str {
    s.strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(s)
}

/// The addresses a directory declares: `aws_x.y`, `data.aws_x.y`, `var.x`.
fn declared(files: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for parsed in files.as_object().unwrap().values() {
        for (kind, prefix) in [("resource", ""), ("data", "data.")] {
            for block in parsed
                .get(kind)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                for (ty, by_name) in block.as_object().unwrap() {
                    for name in by_name.as_object().unwrap().keys() {
                        out.insert(format!("{prefix}{}.{}", unquote(ty), unquote(name)));
                    }
                }
            }
        }
        for block in parsed
            .get("variable")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            for name in block.as_object().unwrap().keys() {
                out.insert(format!("var.{}", unquote(name)));
            }
        }
    }
    out
}

/// Every string python-hcl2 returned (expressions come back as `${…}`, literals quoted).
fn strings<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::String(s) => out.push(s),
        Value::Array(items) => items.iter().for_each(|i| strings(i, out)),
        Value::Object(m) => m.values().for_each(|i| strings(i, out)),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// The traversals (`aws_vpc.main.id`, `data.aws_partition.current.partition`) in an HCL
/// expression or template, reading string literals for their interpolations only. A template
/// directive (`%{`) is an error: the export never writes one.
fn references(text: &str) -> Result<Vec<String>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    if chars.first() == Some(&'"') {
        i = string(&chars, 1, &mut out)?;
    } else {
        while i < chars.len() {
            i = expr(&chars, i, &mut out)?;
        }
    }
    let _ = i;
    Ok(out)
}

/// Reads a string body from `i` (after its `"`) to after its closing `"`.
fn string(c: &[char], mut i: usize, out: &mut Vec<String>) -> Result<usize, String> {
    while i < c.len() {
        match c[i] {
            '\\' => i += 2,
            '"' => return Ok(i + 1),
            '$' | '%' if c.get(i + 1) == Some(&c[i]) && c.get(i + 2) == Some(&'{') => i += 3,
            '%' if c.get(i + 1) == Some(&'{') => return Err("a template directive".into()),
            '$' if c.get(i + 1) == Some(&'{') => {
                i += 2;
                let mut depth = 0;
                loop {
                    match c.get(i) {
                        None => return Err("an unclosed interpolation".into()),
                        Some('}') if depth == 0 => {
                            i += 1;
                            break;
                        }
                        Some('}') => {
                            depth -= 1;
                            i += 1;
                        }
                        Some('{') => {
                            depth += 1;
                            i += 1;
                        }
                        Some(_) => i = expr(c, i, out)?,
                    }
                }
            }
            _ => i += 1,
        }
    }
    Err("an unclosed string".into())
}

/// Reads one token of an expression at `i`; returns where the next starts.
fn expr(c: &[char], i: usize, out: &mut Vec<String>) -> Result<usize, String> {
    let ch = c[i];
    if ch == '"' {
        return string(c, i + 1, out);
    }
    if ch == '$' && c.get(i + 1) == Some(&'{') {
        return Ok(i + 2);
    }
    if ch.is_ascii_alphabetic() || ch == '_' {
        let mut j = i;
        while j < c.len() && (c[j].is_ascii_alphanumeric() || matches!(c[j], '_' | '-' | '.')) {
            j += 1;
        }
        let word: String = c[i..j].iter().collect();
        let call = c.get(j) == Some(&'(');
        let root = word.split('.').next().unwrap_or("");
        if !call
            && word.contains('.')
            && (root.starts_with("aws_") || root == "data" || root == "var")
        {
            out.push(word);
        }
        return Ok(j);
    }
    Ok(i + 1)
}

/// Whether `reference` names something in `declared`: `aws_x.y[.attr…]`, `data.aws_x.y[.…]`,
/// `var.x[.…]`.
fn resolves(reference: &str, declared: &BTreeSet<String>) -> bool {
    let parts: Vec<&str> = reference.split('.').collect();
    let head = match parts.as_slice() {
        ["data", ty, name, ..] => format!("data.{ty}.{name}"),
        ["var", name, ..] => format!("var.{name}"),
        [ty, name, ..] => format!("{ty}.{name}"),
        _ => return false,
    };
    declared.contains(&head)
}

/// What is wrong with one export as python-hcl2 read it.
fn problems(plan: &Plan, files: &BTreeMap<String, String>, parsed: &Value) -> Vec<String> {
    let mut bad = Vec::new();
    let declared = declared(parsed);
    for (file, text) in files {
        if text.contains("{{") || text.contains('\u{E000}') || text.contains('\u{E001}') {
            bad.push(format!("{file}: a placeholder or marker"));
        }
    }
    for (file, value) in parsed.as_object().unwrap() {
        let mut all = Vec::new();
        strings(value, &mut all);
        for s in all {
            match references(s) {
                Err(e) => bad.push(format!("{file}: {e} in {s}")),
                Ok(refs) => {
                    for r in refs {
                        if !resolves(&r, &declared) {
                            bad.push(format!("{file}: {r} names nothing declared"));
                        }
                    }
                }
            }
        }
    }
    let addresses = terraform::addresses(plan).unwrap();
    for r in &plan.resources {
        match addresses.get(&r.id) {
            Some(a) if declared.contains(a) => {}
            Some(a) => bad.push(format!("{}: {a} is not declared", r.id)),
            None => {
                // Only a route the NAT instance of an auto-scaling group makes has none, and
                // network.tf says so.
                let said = files["network.tf"].contains(&format!("# {}: ", r.id));
                if !said {
                    bad.push(format!("{}: no address and no word of it", r.id));
                }
            }
        }
    }
    bad
}

fn scratch() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("terraform")
}

#[test]
fn every_export_parses_and_every_reference_resolves() {
    let plans = plans();
    let mut dirs = Vec::new();
    let mut exports = Vec::new();
    for (name, plan) in &plans {
        let files = terraform::files(plan).unwrap_or_else(|e| panic!("{name}: {e}"));
        let dir = scratch().join(name);
        write(&dir, &files);
        dirs.push(dir);
        exports.push(files);
    }
    let parsed = parse_all(&dirs);
    let mut bad = Vec::new();
    for (((name, plan), dir), files) in plans.iter().zip(&dirs).zip(&exports) {
        let p = &parsed[dir.to_str().unwrap()];
        assert_eq!(p.as_object().unwrap().len(), files.len(), "{name}");
        bad.extend(
            problems(plan, files, p)
                .into_iter()
                .map(|b| format!("{name}: {b}")),
        );
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn a_broken_reference_or_literal_is_caught() {
    let plan = golden("titus");
    let mut files = terraform::files(&plan).unwrap();
    let net = files.get_mut("network.tf").unwrap();
    *net = net.replacen("aws_vpc.main.id", "aws_vpc.mian.id", 1);
    let iam = files.get_mut("versions.tf").unwrap();
    iam.push_str("\nlocals {\n  x = \"${var.nope} %{if true}y%{endif}\"\n}\n");
    let dir = scratch().join("broken");
    write(&dir, &files);
    let parsed = parse_all(std::slice::from_ref(&dir));
    let bad = problems(&plan, &files, &parsed[dir.to_str().unwrap()]);
    let text = bad.join("\n");
    assert!(
        text.contains("aws_vpc.mian.id names nothing declared"),
        "{text}"
    );
    assert!(text.contains("a template directive"), "{text}");
}

fn snapshot_text(files: &BTreeMap<String, String>) -> String {
    files
        .iter()
        .map(|(name, text)| format!("==> {name} <==\n{text}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn preset_exports_match_their_snapshots() {
    for v in VARIANTS {
        let files = terraform::files(&golden(v)).unwrap();
        insta::assert_snapshot!(format!("terraform-{v}"), snapshot_text(&files));
    }
}

/// An edit of a design.
type Edit = fn(Design) -> Design;

/// The design with one more availability zone.
fn add_az(mut d: Design) -> Design {
    let mut names = d.az_names();
    let last = names.last().cloned().unwrap();
    let next = char::from(last.as_bytes()[last.len() - 1] + 1);
    names.push(format!("{}{next}", &last[..last.len() - 1]));
    d.availability_zones = Some(match d.availability_zones {
        Some(AvailabilityZones::Count(n)) => AvailabilityZones::Count(n + 1),
        _ => AvailabilityZones::Names(names),
    });
    d
}

/// The design with one more private tier, shaped like its first private tier.
fn add_tier(mut d: Design) -> Design {
    let mut t = d
        .tiers
        .iter()
        .find(|t| t.kind == TierKind::Private)
        .or(d.tiers.first())
        .cloned()
        .unwrap();
    t.name = "extra".into();
    t.reserve = 0;
    d.tiers.push(t);
    d
}

/// The text of resource block `address` in `files`.
fn block<'a>(files: &'a BTreeMap<String, String>, address: &str) -> Option<&'a str> {
    let (ty, name) = address.split_once('.').unwrap();
    let head = format!("resource \"{ty}\" \"{name}\" {{\n");
    files.values().find_map(|text| {
        let start = text.find(&head)?;
        let end = text[start..].find("\n}\n")? + start;
        Some(&text[start..end])
    })
}

fn cidr_lines(block: &str) -> Vec<&str> {
    block
        .lines()
        .filter(|l| l.trim_start().starts_with("cidr_block") || l.contains("cidrsubnet("))
        .collect()
}

#[test]
fn adding_a_zone_or_a_tier_renames_no_address_and_moves_no_subnet() {
    let sources: Vec<(String, Design)> = vec![
        ("titus".into(), golden("titus").design),
        ("titus-ipv6".into(), golden("titus-ipv6").design),
        ("tinystacks".into(), golden("tinystacks").design),
        (
            "three-tier".into(),
            tests::design(&tests::fixtures().join("designs/three-tier.json")),
        ),
    ];
    let edits: [(&str, Edit); 2] = [("add an AZ", add_az), ("add a tier", add_tier)];
    for (name, design) in sources {
        let first = planner_core::plan(&design, None).unwrap().plan;
        let before = terraform::files(&first).unwrap();
        let before_addrs = terraform::addresses(&first).unwrap();
        for (edit, f) in edits {
            let edited = f(design.clone());
            let second = planner_core::plan(&edited, Some(&first.allocation))
                .unwrap_or_else(|e| panic!("{name}, {edit}: {e}"))
                .plan;
            let after = terraform::files(&second).unwrap();
            let after_addrs = terraform::addresses(&second).unwrap();
            assert!(
                after_addrs.len() > before_addrs.len(),
                "{name}, {edit}: nothing added"
            );
            for (id, address) in &before_addrs {
                assert_eq!(after_addrs.get(id), Some(address), "{name}, {edit}: {id}");
                let was = block(&before, address).unwrap();
                let is = block(&after, address)
                    .unwrap_or_else(|| panic!("{name}, {edit}: {address} is gone"));
                if matches!(
                    first.resource(id).unwrap().kind,
                    ResourceKind::Subnet { .. }
                ) {
                    assert_eq!(cidr_lines(was), cidr_lines(is), "{name}, {edit}: {address}");
                }
            }
        }
    }
}

/// The editor downloads the configuration as one tar of the same files: the system's `tar`
/// extracts exactly what `files` gives.
#[test]
fn the_editors_tar_holds_the_same_files() {
    let plan = golden("tinystacks-hardened");
    let files = terraform::files(&plan).unwrap();
    let archive = planner_core::export::archive::tar("tinystacks-terraform", &files).unwrap();
    let dir = scratch().join("tar");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("t.tar");
    std::fs::write(&path, archive.as_bytes()).unwrap();
    let out = Command::new("tar")
        .arg("-xf")
        .arg(&path)
        .arg("-C")
        .arg(&dir)
        .output()
        .expect("tar runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut extracted = BTreeMap::new();
    for entry in std::fs::read_dir(dir.join("tinystacks-terraform")).unwrap() {
        let entry = entry.unwrap();
        extracted.insert(
            entry.file_name().to_string_lossy().into_owned(),
            std::fs::read_to_string(entry.path()).unwrap(),
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(extracted, files);
}

/// `executor export --format terraform -o DIR` writes exactly the core's files, and without
/// a folder it says what it needs.
#[test]
fn the_command_writes_the_cores_files_into_the_folder() {
    let design = tests::fixtures().join("designs/network-acls.json");
    let dir = scratch().join("command");
    let _ = std::fs::remove_dir_all(&dir);
    let run = |args: &[&str]| {
        tests::executor::command()
            .args(args)
            .output()
            .expect("the executor binary runs")
    };
    let out = run(&[
        "export",
        design.to_str().unwrap(),
        "--format",
        "terraform",
        "-o",
        dir.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plan = planner_core::plan(&tests::design(&design), None)
        .unwrap()
        .plan;
    let want = terraform::files(&plan).unwrap();
    let mut got = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let entry = entry.unwrap();
        got.insert(
            entry.file_name().to_string_lossy().into_owned(),
            std::fs::read_to_string(entry.path()).unwrap(),
        );
    }
    assert_eq!(got, want);
    let out = run(&["export", design.to_str().unwrap(), "--format", "terraform"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("give the folder to write them to with -o DIR"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
