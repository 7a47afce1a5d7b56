//! What the executor prints: with `--output json` every line of standard output is a JSON
//! event, a failure included; an AWS error is one line naming the resource, the operation,
//! AWS's error code and its message.

use std::path::PathBuf;
use std::process::Output;

use serde_json::Value;

use super::executor::{ok, s, text, Env};

/// Every line of standard output, parsed; panics naming the first line that is not JSON.
fn json_lines(what: &str, out: &Output) -> Vec<Value> {
    text(&out.stdout)
        .lines()
        .map(|l| {
            serde_json::from_str(l).unwrap_or_else(|e| {
                panic!(
                    "{what}: a line of standard output is not JSON ({e}): {l:?}\nstdout:\n{}",
                    text(&out.stdout)
                )
            })
        })
        .collect()
}

fn has_event(events: &[Value], name: &str) -> bool {
    events.iter().any(|e| e["event"] == name)
}

/// A plan with a subnet in a zone the region does not have (`us-east-1z`): AWS (and moto)
/// refuse `CreateSubnet` with `InvalidParameterValue` after the VPC is created.
fn failing_plan(env: &Env) -> PathBuf {
    let design = serde_json::json!({
        "name": "no-such-zone",
        "region": "us-east-1",
        "vpc": {"cidr": "10.0.0.0/16"},
        "availability_zones": ["us-east-1z"],
        "nat": "none",
        "tiers": [{"name": "db", "kind": "isolated", "size": {"prefix": 24}}]
    });
    let design = planner_core::parse_design(&design.to_string()).unwrap();
    let plan = planner_core::plan(&design, None).unwrap().plan;
    let path = env.dir.join("no-such-zone.plan.json");
    std::fs::write(&path, plan.to_json()).unwrap();
    path
}

#[test]
fn run_diff_and_destroy_print_json_lines_only() {
    let env = Env::new("json-lines");
    let path = env.preset_plan("informatica", &[]);
    let p = s(&path);

    let run = ok(&env.exec(&["run", p, "--yes", "--output", "json"])).clone();
    let events = json_lines("run", &run);
    assert!(has_event(&events, "created"), "{events:?}");

    let diff = env.exec(&["diff", p, "--output", "json"]);
    assert_eq!(diff.status.code(), Some(0), "{}", text(&diff.stderr));
    assert!(!json_lines("diff", &diff).is_empty());

    let destroy = ok(&env.exec(&["destroy", p, "--yes", "--output", "json"])).clone();
    let events = json_lines("destroy", &destroy);
    assert!(has_event(&events, "deleted"), "{events:?}");
}

#[test]
fn a_failing_run_emits_a_failure_event_and_one_line_per_error() {
    let env = Env::new("json-failure");
    let path = failing_plan(&env);
    let out = env.exec(&["run", s(&path), "--yes", "--output", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let events = json_lines("a failing run", &out);
    assert!(
        has_event(&events, "failed"),
        "no failure event: {events:#?}"
    );

    // The same failure for people: one line per error, the AWS error as resource, operation,
    // code and message, no HTTP dump.
    let out = env.exec(&["run", s(&path), "--yes"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    for line in err.lines() {
        assert!(
            line.starts_with("error: "),
            "not an error line: {line:?}\n{err}"
        );
        assert!(
            !line.contains('{') && !line.contains('<') && !line.contains("HTTP"),
            "a dump, not a message: {line}"
        );
    }
    assert!(
        err.lines().any(|l| l.contains("subnet.db.")
            && l.contains("CreateSubnet")
            && l.contains("InvalidParameterValue")
            && l.contains("us-east-1z")),
        "the AWS error names the resource, the operation, the code and AWS's message:\n{err}"
    );
}

#[test]
fn a_failure_before_any_change_is_a_json_event_too() {
    let env = Env::new("json-early-failure");
    let path = env.preset_plan("informatica", &[]);
    let port = tests::moto::free_port();
    let out = env
        .command(&["diff", s(&path), "--output", "json"])
        .env("AWS_ENDPOINT_URL", format!("http://127.0.0.1:{port}"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let events = json_lines("an unreachable endpoint", &out);
    assert!(has_event(&events, "failed"), "{events:?}");
}
