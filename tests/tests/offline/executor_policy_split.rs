//! The executor's derived policy as managed policies IAM accepts: every preset variant and
//! fixture gets parts within the 6,144 characters a managed policy may hold, the parts
//! together grant exactly what the whole grants (the same requests evaluated by planner-core's
//! IAM evaluation), the split is deterministic, no part raises an IAM finding, and `executor
//! policy` prints one document as before or an array of parts with a note on stderr.

use std::collections::BTreeSet;

use planner_core::analysis::executor_policy::{
    counted_size, policies, policy, Target, MANAGED_POLICY_LIMIT,
};
use planner_core::analysis::iam_eval::{evaluate, Request};
use serde_json::Value;

use super::presets::VARIANTS;

/// Every preset variant and fixture design, planned.
fn plans() -> Vec<(String, planner_core::Plan)> {
    let presets = VARIANTS.iter().map(|(preset, variant, set)| {
        let design = planner_core::presets::build(preset, set).unwrap();
        (format!("{preset} {variant}"), design)
    });
    let fixtures = tests::fixture_files("designs")
        .into_iter()
        .map(|p| (tests::stem(&p), tests::design(&p)));
    presets
        .chain(fixtures)
        .map(|(name, d)| (name, planner_core::plan(&d, None).unwrap().plan))
        .collect()
}

fn target() -> Target {
    Target {
        partition: "aws".into(),
        account: "123456789012".into(),
    }
}

fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_owned))
            .collect(),
        _ => vec![],
    }
}

#[test]
fn every_part_is_within_the_managed_policy_limit() {
    let mut split = Vec::new();
    for target in [Target::default(), target()] {
        for (name, plan) in plans() {
            let parts = policies(&plan, &target);
            for (i, p) in parts.iter().enumerate() {
                let n = counted_size(p);
                assert!(n <= MANAGED_POLICY_LIMIT, "{name}: part {i} is {n}");
                let sids: Vec<_> = p.statements().iter().map(|s| s.sid.clone()).collect();
                let mut unique = sids.clone();
                unique.sort();
                unique.dedup();
                assert_eq!(unique.len(), sids.len(), "{name}: {sids:?}");
            }
            let whole = counted_size(&policy(&plan, &target));
            assert_eq!(
                parts.len() > 1,
                whole > MANAGED_POLICY_LIMIT,
                "{name}: {whole} characters in {} parts",
                parts.len()
            );
            if parts.len() > 1 {
                split.push(name);
            }
        }
    }
    assert!(
        split.iter().any(|n| n == "informatica hardened"),
        "informatica hardened was not split: {split:?}"
    );
}

#[test]
fn the_split_is_deterministic_and_keeps_every_statement_in_order() {
    for (name, plan) in plans() {
        let parts = policies(&plan, &target());
        assert_eq!(parts, policies(&plan, &target()), "{name}");
        let whole = policy(&plan, &target());
        let joined: Vec<_> = parts.iter().flat_map(|p| p.statements().to_vec()).collect();
        assert_eq!(joined, whole.statements(), "{name}");
        if let [one] = parts.as_slice() {
            assert_eq!(one, &whole, "{name}: one part is the whole document");
        }
    }
}

/// A concrete value a pattern matches: every `*` and `?` made a letter.
fn concrete(pattern: &str) -> String {
    pattern.replace(['*', '?'], "x")
}

/// The context that meets a statement's conditions (each key given its first value).
fn meeting(s: &Value) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    if let Some(Value::Object(ops)) = s.get("Condition") {
        for keys in ops.values() {
            for (key, values) in keys.as_object().unwrap() {
                let v = strings(values);
                out.push((key.clone(), vec![concrete(&v[0])]));
            }
        }
    }
    out
}

fn request(action: &str, resource: &str, context: &[(String, Vec<String>)]) -> Request {
    let mut r = Request::new(action, resource);
    for (k, v) in context {
        let v: Vec<&str> = v.iter().map(String::as_str).collect();
        r = r.with(k, &v);
    }
    r
}

/// Each statement's own requests (its actions on its resources, its conditions met) are
/// allowed by the parts; and every action of the whole on every resource it names, with no
/// condition key and with the keys of every condition met, is decided by the parts as by the
/// whole.
#[test]
fn the_parts_together_grant_exactly_what_the_whole_grants() {
    let mut compared = 0;
    for (name, plan) in plans() {
        let parts = policies(&plan, &target());
        if parts.len() == 1 {
            continue;
        }
        let whole = serde_json::to_value(policy(&plan, &target())).unwrap();
        let parts: Vec<Value> = parts
            .iter()
            .map(|p| serde_json::to_value(p).unwrap())
            .collect();
        let part_refs: Vec<&Value> = parts.iter().collect();
        let statements = whole["Statement"].as_array().unwrap();
        let actions: BTreeSet<String> = statements
            .iter()
            .flat_map(|s| strings(&s["Action"]))
            .collect();
        let resources: BTreeSet<String> = statements
            .iter()
            .flat_map(|s| strings(&s["Resource"]))
            .map(|r| concrete(&r))
            .collect();
        let contexts: [Vec<(String, Vec<String>)>; 2] =
            [Vec::new(), statements.iter().flat_map(meeting).collect()];
        for s in statements {
            for a in strings(&s["Action"]) {
                for r in strings(&s["Resource"]) {
                    let req = request(&a, &concrete(&r), &meeting(s));
                    assert_eq!(
                        evaluate(&part_refs, &req),
                        planner_core::analysis::iam_eval::Decision::Allowed,
                        "{name}: {req:?}"
                    );
                }
            }
        }
        for a in &actions {
            for r in &resources {
                for c in &contexts {
                    let req = request(a, r, c);
                    assert_eq!(
                        evaluate(&part_refs, &req),
                        evaluate(&[&whole], &req),
                        "{name}: {req:?}"
                    );
                    compared += 1;
                }
            }
        }
    }
    assert!(compared > 1_000, "only {compared} requests compared");
}

/// The derived policy passes the planner's own IAM checks, every part as a managed policy of
/// the design: no security warning, no error (`IAM011`, the size check, included).
#[test]
fn the_derived_policies_have_no_iam_findings() {
    for (name, plan) in plans() {
        let mut design = plan.design.clone();
        let first = design.iam.policies.len();
        for (i, doc) in policies(&plan, &Target::default()).into_iter().enumerate() {
            design
                .iam
                .policies
                .push(planner_core::design::iam::ManagedPolicy {
                    name: format!("executor-{i}"),
                    path: "/".into(),
                    description: String::new(),
                    document: doc,
                });
        }
        let ours: Vec<String> = (first..design.iam.policies.len())
            .map(|k| format!("iam.policies[{k}]"))
            .collect();
        let findings: Vec<String> = planner_core::plan(&design, None)
            .unwrap()
            .diagnostics
            .iter()
            .filter(|d| ours.iter().any(|p| d.path.starts_with(p.as_str())))
            .filter(|d| d.severity != planner_core::Severity::Info)
            .map(ToString::to_string)
            .collect();
        assert!(findings.is_empty(), "{name}: {findings:#?}");
    }
}

fn executor_policy(design: &planner_core::Design, name: &str) -> std::process::Output {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("policy-split");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{name}.json"));
    std::fs::write(&file, serde_json::to_string(design).unwrap()).unwrap();
    let out = tests::executor::command()
        .args(["policy", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    out
}

/// `executor policy` prints one document as it always did (and nothing on stderr), and a
/// policy over the limit as a JSON array of its parts, saying so on stderr.
#[test]
fn the_cli_prints_one_document_or_an_array_of_parts() {
    let small = planner_core::presets::build("determined", &[]).unwrap();
    let out = executor_policy(&small, "determined");
    let plan = planner_core::plan(&small, None).unwrap().plan;
    let one = serde_json::to_string_pretty(&policy(&plan, &Target::default())).unwrap() + "\n";
    assert_eq!(String::from_utf8_lossy(&out.stdout), one);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let big = planner_core::presets::build("informatica", &[("hardened", "true")]).unwrap();
    let out = executor_policy(&big, "informatica-hardened");
    let plan = planner_core::plan(&big, None).unwrap().plan;
    let parts = policies(&plan, &Target::default());
    let printed: Vec<planner_core::design::iam::PolicyDocument> =
        serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed, parts);
    let err = String::from_utf8_lossy(&out.stderr);
    let sizes: Vec<String> = parts.iter().map(|p| counted_size(p).to_string()).collect();
    assert!(
        err.contains(&format!(
            "printed as a JSON array of {} managed policies",
            parts.len()
        )) && err.contains(&sizes.join(", "))
            && err.contains("6144"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
}
