//! `executor export --format cloudformation`: every preset variant's and fixture design's
//! template passes cfn-lint, matches its snapshot, and says what the plan says (subnets'
//! blocks and zones, logical ids that only grow as the design does); the command refuses a
//! plan with error findings as `run` does and writes the core's bytes.
//!
//! cfn-lint findings allowed: only `W3010` (availability zones written out): a plan pins its
//! subnets to the zones it allocated, so the template must name them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use planner_core::export::cloudformation::template;
use planner_core::{Plan, ResourceKind};
use serde_json::Value;

use crate::presets::VARIANTS;

/// cfn-lint warnings a template may have (see the module's docs).
const ALLOWED: &[&str] = &["W3010"];

fn scratch() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("export-cloudformation");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every preset variant's and fixture design's plan, by name.
fn plans() -> Vec<(String, Plan)> {
    let mut out = Vec::new();
    for (preset, variant, set) in VARIANTS {
        let design = planner_core::presets::build(preset, set).unwrap();
        let name = if variant.is_empty() {
            (*preset).to_owned()
        } else {
            format!("{preset}-{variant}")
        };
        out.push((name, planner_core::plan(&design, None).unwrap().plan));
    }
    for path in tests::fixture_files("designs") {
        let plan = planner_core::plan(&tests::design(&path), None)
            .unwrap()
            .plan;
        out.push((format!("design-{}", tests::stem(&path)), plan));
    }
    out
}

fn cfn_lint() -> PathBuf {
    let bin = tests::moto::workspace_dir().join("target/moto-venv/bin/cfn-lint");
    assert!(
        bin.is_file(),
        "{} not found: run tests/setup-moto.sh",
        bin.display()
    );
    bin
}

/// cfn-lint's findings on `files`, one run for all of them, as `file:line:col:…:CODE:message`.
fn lint(files: &[PathBuf]) -> Vec<String> {
    let out = Command::new(cfn_lint())
        .args(["--format", "parseable", "--"])
        .args(files)
        .output()
        .expect("cfn-lint runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    // cfn-lint exits 0, or a bitmask of 2 (errors), 4 (warnings), 8 (informational); 1 is
    // a failure of cfn-lint itself.
    assert!(
        out.status.code().is_some_and(|c| c != 1 && c < 16),
        "cfn-lint failed: {}{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout.lines().map(str::to_owned).collect()
}

#[test]
fn every_template_passes_cfn_lint() {
    let dir = scratch();
    let mut files = Vec::new();
    for (name, plan) in plans() {
        let path = dir.join(format!("{name}.json"));
        std::fs::write(
            &path,
            template(&plan).unwrap_or_else(|e| panic!("{name}: {e}")),
        )
        .unwrap();
        files.push(path);
    }
    let findings: Vec<String> = lint(&files)
        .into_iter()
        .filter(|l| !ALLOWED.iter().any(|code| l.contains(&format!(":{code}:"))))
        .collect();
    assert!(findings.is_empty(), "cfn-lint: {findings:#?}");
}

#[test]
fn cfn_lint_catches_a_broken_template() {
    // The check above can fail: a subnet without its VPC is an error cfn-lint reports.
    let plan = planner_core::plan(&tests::design(&design_path("three-tier")), None)
        .unwrap()
        .plan;
    let mut t: Value = serde_json::from_str(&template(&plan).unwrap()).unwrap();
    let props = t["Resources"]["SubnetAppA"]["Properties"]
        .as_object_mut()
        .unwrap();
    props.remove("VpcId");
    let path = scratch().join("broken.json");
    std::fs::write(&path, serde_json::to_string_pretty(&t).unwrap()).unwrap();
    let findings = lint(&[path]);
    assert!(
        findings.iter().any(|l| l.contains(":E3003:")),
        "{findings:#?}"
    );
}

#[test]
fn templates_match_their_snapshots() {
    for (name, plan) in plans() {
        insta::with_settings!({
            snapshot_path => tests::fixtures().join("snapshots/cloudformation"),
            prepend_module_to_snapshot => false,
            snapshot_suffix => name.clone(),
            omit_expression => true,
        }, {
            insta::assert_snapshot!("template", template(&plan).unwrap());
        });
    }
}

fn design_path(stem: &str) -> PathBuf {
    tests::fixtures()
        .join("designs")
        .join(format!("{stem}.json"))
}

/// Every subnet of the plan is in the template with its planned block and zone, and its
/// IPv6 /64 is the planned index of the VPC's block.
#[test]
fn subnets_carry_their_planned_blocks_and_zones() {
    for (name, plan) in plans() {
        let t: Value = serde_json::from_str(&template(&plan).unwrap()).unwrap();
        for r in &plan.resources {
            let ResourceKind::Subnet {
                availability_zone,
                cidr_block,
                ipv6_cidr_block,
                ..
            } = &r.kind
            else {
                continue;
            };
            let l = planner_core::export::cloudformation::names::logical_id(&r.id);
            let p = &t["Resources"][&l]["Properties"];
            assert_eq!(p["CidrBlock"], cidr_block.to_string(), "{name} {l}");
            assert_eq!(p["AvailabilityZone"], *availability_zone, "{name} {l}");
            match ipv6_cidr_block {
                Some(b) => assert_eq!(p["Ipv6CidrBlock"]["Fn::Select"][0], b.index, "{name} {l}"),
                None => assert!(p.get("Ipv6CidrBlock").is_none(), "{name} {l}"),
            }
            assert_eq!(t["Outputs"][format!("{l}Id")]["Value"]["Ref"], l, "{name}");
        }
    }
}

/// Adding an AZ, or a tier, only adds logical ids: none is renamed or dropped.
#[test]
fn growing_a_design_only_adds_logical_ids() {
    let ids = |design: &planner_core::Design| -> BTreeSet<String> {
        let plan = planner_core::plan(design, None).unwrap().plan;
        let t: Value = serde_json::from_str(&template(&plan).unwrap()).unwrap();
        t["Resources"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect()
    };
    let before = planner_core::presets::build("titus", &[]).unwrap();
    let wider = planner_core::presets::build("titus", &[("azs", "3")]).unwrap();
    let (a, b) = (ids(&before), ids(&wider));
    assert!(
        a.is_subset(&b),
        "{:?}",
        a.difference(&b).collect::<Vec<_>>()
    );
    assert!(b.len() > a.len());

    let mut more = tests::design(&design_path("three-tier"));
    let base = ids(&more);
    let mut tier = more.tiers[0].clone();
    tier.name = "cache".to_owned();
    more.tiers.push(tier);
    let grown = ids(&more);
    assert!(
        base.is_subset(&grown),
        "{:?}",
        base.difference(&grown).collect::<Vec<_>>()
    );
    assert!(grown.iter().any(|l| l.starts_with("SubnetCache")));
}

/// Every plan resource is in the template (a route made by a NAT instance at boot is listed
/// on its route table), and every `Ref`/`GetAtt`/`DependsOn` names a template resource.
#[test]
fn nothing_is_dropped_and_every_reference_resolves() {
    for (name, plan) in plans() {
        let t: Value = serde_json::from_str(&template(&plan).unwrap()).unwrap();
        let resources = t["Resources"].as_object().unwrap();
        let at_boot: BTreeSet<&str> = resources
            .values()
            .filter_map(|r| r["Metadata"]["vpc-planner:routes-made-at-boot"].as_array())
            .flatten()
            .filter_map(|r| r["Route"].as_str())
            .collect();
        let by_tag: BTreeMap<String, &str> = resources
            .iter()
            .flat_map(|(l, r)| {
                tags(r)
                    .into_iter()
                    .filter(|(k, _)| k == "vpc-planner:id")
                    .map(move |(_, v)| (v, l.as_str()))
            })
            .collect();
        for r in &plan.resources {
            let l = planner_core::export::cloudformation::names::logical_id(&r.id);
            assert!(
                resources.contains_key(&l) || at_boot.contains(r.id.as_str()),
                "{name}: {} is missing",
                r.id
            );
            if let Some(tagged) = by_tag.get(&r.id) {
                assert_eq!(*tagged, l, "{name}");
            }
        }
        let mut named = BTreeSet::new();
        for r in resources.values() {
            collect_names(r, &mut named);
        }
        let params: BTreeSet<String> = t["Parameters"]
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        for n in named {
            assert!(
                resources.contains_key(&n) || params.contains(&n) || n.starts_with("AWS::"),
                "{name}: {n} names nothing"
            );
        }
    }
}

fn tags(r: &Value) -> Vec<(String, String)> {
    r["Properties"]["Tags"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| {
            Some((
                t["Key"].as_str()?.to_owned(),
                t["Value"].as_str()?.to_owned(),
            ))
        })
        .collect()
}

fn collect_names(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(s)) = m.get("Ref") {
                out.insert(s.clone());
            }
            if let Some(Value::String(s)) = m.get("Fn::GetAtt").and_then(|a| a.get(0)) {
                out.insert(s.clone());
            }
            if let Some(Value::Array(a)) = m.get("DependsOn") {
                out.extend(a.iter().filter_map(|d| d.as_str().map(str::to_owned)));
            }
            m.values().for_each(|v| collect_names(v, out));
        }
        Value::Array(a) => a.iter().for_each(|v| collect_names(v, out)),
        _ => {}
    }
}

fn executor(args: &[&str]) -> std::process::Output {
    tests::executor::command()
        .args(args)
        .output()
        .expect("the executor binary runs")
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn the_command_writes_the_cores_template_to_stdout_or_a_file() {
    let design = design_path("titus-ipv6");
    let plan = planner_core::plan(&tests::design(&design), None)
        .unwrap()
        .plan;
    let core = template(&plan).unwrap();
    let out = executor(&["export", s(&design), "--format", "cloudformation"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), core);

    let plan_file = scratch().join("titus-ipv6.plan.json");
    std::fs::write(&plan_file, plan.to_json()).unwrap();
    let written = scratch().join("titus-ipv6.template.json");
    let out = executor(&[
        "export",
        s(&plan_file),
        "--format",
        "cloudformation",
        "-o",
        s(&written),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&written).unwrap(), core);
}

#[test]
fn a_plan_with_error_findings_is_refused_as_run_refuses_it() {
    let mut design: Value =
        serde_json::from_str(&std::fs::read_to_string(design_path("three-tier")).unwrap()).unwrap();
    design["vpc"]["cidr"] = Value::from("0.0.0.0/16");
    let file = scratch().join("reserved-range.json");
    std::fs::write(&file, design.to_string()).unwrap();
    let out = executor(&["export", s(&file), "--format", "cloudformation"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty());
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "error: {}: the plan has errors (executor validate lists them), first: ",
            file.display()
        )),
        "{stderr}"
    );
}

/// A plan over CloudFormation's 500 resources is refused, naming the quota, rather than
/// written as a template no stack can take.
#[test]
fn a_template_over_the_quota_is_refused() {
    let mut design = tests::design(&design_path("three-tier"));
    let app = design
        .tiers
        .iter()
        .find(|t| t.name == "app")
        .unwrap()
        .clone();
    design.tiers.retain(|t| t.name != "app");
    for i in 0..40 {
        let mut t = app.clone();
        t.name = format!("app{i:02}");
        t.size = planner_core::SubnetSize::Prefix(26);
        design.tiers.push(t);
    }
    let plan = planner_core::plan(&design, None).unwrap().plan;
    let e = template(&plan).unwrap_err().to_string();
    assert!(
        e.starts_with("template: ")
            && e.ends_with(" resources: CloudFormation allows 500 in one template"),
        "{e}"
    );
}
