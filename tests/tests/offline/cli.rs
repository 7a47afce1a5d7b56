//! The real `executor` binary on fixture files: outputs, exit codes and one-line errors.

use std::path::{Path, PathBuf};
use std::process::Output;

fn executor(args: &[&str]) -> Output {
    tests::executor::command()
        .args(args)
        .output()
        .expect("the executor binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn plan_output_is_the_cores_plan_byte_for_byte() {
    for path in tests::fixture_files("designs") {
        let out = executor(&["plan", s(&path)]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let core = planner_core::plan(&tests::design(&path), None)
            .unwrap()
            .plan
            .to_json();
        assert_eq!(text(&out.stdout), core, "{}", path.display());
        assert!(text(&out.stderr).contains("usable range"));
    }
}

#[test]
fn broken_inputs_get_one_line_naming_file_and_path_and_exit_2() {
    // (file, JSON path the error must name, words it must contain)
    let cases = [
        ("truncated.json", "at vpc", "unexpected end of input"),
        (
            "cidr-prefix-33.json",
            "at vpc.cidr",
            "expected an IPv4 CIDR block",
        ),
        (
            "cidr-host-bits.json",
            "at vpc.cidr",
            "the block it names is 10.0.0.0/16",
        ),
        (
            "string-for-number.json",
            "at tiers[0].size.prefix",
            "expected a prefix length from 16 to 28, got \"24\"",
        ),
        (
            "unknown-field.json",
            "at tiers[2].reserv",
            "unknown field \"reserv\": expected one of",
        ),
        (
            "unknown-variant.json",
            "at tiers[2].kind",
            "expected one of \"public\", \"private\", \"isolated\", got",
        ),
        ("too-many-azs.json", "at availability_zones", "from 1 to 6"),
        (
            "duplicate-tier.json",
            "at tiers[2].name",
            "tier app is defined twice",
        ),
        (
            "unknown-schema-version.json",
            "at schema_version",
            "unsupported schema_version 7",
        ),
        (
            "not-an-object.json",
            "at $",
            "expected a design or plan object",
        ),
        (
            "plan-without-schema-version.json",
            "at schema_version",
            "missing: expected \"schema_version\": 1",
        ),
        (
            "tier-prefix-1.json",
            "at tiers[0].size.prefix",
            "expected a prefix length from 16 to 32",
        ),
        (
            "tier-hosts-2e9.json",
            "at tiers[1].size.hosts",
            "expected at most 65531 hosts",
        ),
        (
            "dns-hostnames-without-support.json",
            "at vpc.dns_hostnames",
            "AWS refuses DNS hostnames without DNS support",
        ),
    ];
    let files: Vec<String> = tests::fixture_files("bad")
        .iter()
        .map(|p| tests::stem(p) + ".json")
        .collect();
    assert_eq!(
        files.len(),
        cases.len(),
        "every bad fixture has a case: {files:?}"
    );
    for (file, path, words) in cases {
        let input = tests::fixtures().join("bad").join(file);
        for command in ["plan", "validate"] {
            let out = executor(&[command, s(&input)]);
            let err = text(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{command} {file}: {err}");
            assert_eq!(err.lines().count(), 1, "{command} {file}: {err}");
            assert!(
                err.starts_with(&format!("error: {}: {path}:", input.display())),
                "{command} {file}: {err}"
            );
            assert!(err.contains(words), "{command} {file}: {err}");
            assert!(out.stdout.is_empty(), "{command} {file}");
        }
    }
}

#[test]
fn missing_file_is_exit_2() {
    let out = executor(&["validate", "no-such-plan.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no-such-plan.json: cannot read"));
}

#[test]
fn validate_exit_codes_follow_severity() {
    let good = tests::fixtures().join("designs/three-tier.json");
    let plan = scratch("three-tier.plan.json");
    assert!(executor(&["plan", s(&good), "-o", s(&plan), "-q"])
        .status
        .success());
    let out = executor(&["validate", s(&plan)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("0 errors"));

    let text_in = std::fs::read_to_string(&good)
        .unwrap()
        .replace("10.0.0.0/16", "169.254.0.0/16");
    let bad = scratch("link-local.json");
    std::fs::write(&bad, text_in).unwrap();
    let out = executor(&["validate", s(&bad), "--output", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["errors"], 1);
    assert_eq!(report["diagnostics"][0]["code"], "NET003");
    assert_eq!(report["diagnostics"][0]["path"], "vpc.cidr");
}

#[test]
fn validate_catches_a_hand_edited_plan() {
    let good = tests::fixtures().join("designs/three-tier.json");
    let plan = scratch("edited.plan.json");
    assert!(executor(&["plan", s(&good), "-o", s(&plan), "-q"])
        .status
        .success());
    let edited = std::fs::read_to_string(&plan)
        .unwrap()
        .replace("10.0.64.0/24\",\n      \"type\"", "x");
    let edited = edited.replacen(
        "\"cidr_block\": \"10.0.64.0/24\"",
        "\"cidr_block\": \"10.0.200.0/24\"",
        1,
    );
    std::fs::write(&plan, edited).unwrap();
    let out = executor(&["validate", s(&plan)]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("EXE001"));
}

#[test]
fn previous_plan_keeps_subnets_in_place() {
    let design_path = tests::fixtures().join("designs/tinystacks-like.json");
    let first = scratch("ts-1.plan.json");
    assert!(executor(&["plan", s(&design_path), "-o", s(&first), "-q"])
        .status
        .success());

    let grown = std::fs::read_to_string(&design_path).unwrap().replace(
        r#""tiers": ["#,
        r#""tiers": [{ "name": "db", "kind": "isolated", "size": { "prefix": 19 } },"#,
    );
    let grown_path = scratch("ts-grown.json");
    std::fs::write(&grown_path, grown).unwrap();
    let second = scratch("ts-2.plan.json");
    let out = executor(&[
        "plan",
        s(&grown_path),
        "--previous",
        s(&first),
        "-o",
        s(&second),
        "-q",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));

    let before = planner_core::parse_plan(&std::fs::read_to_string(&first).unwrap()).unwrap();
    let after = planner_core::parse_plan(&std::fs::read_to_string(&second).unwrap()).unwrap();
    for s in &before.allocation.subnets {
        assert!(after.allocation.subnets.contains(s), "{s:?} moved");
    }
    // Re-planning a plan file keeps its allocation without --previous.
    let out = executor(&["plan", s(&second), "-q"]);
    assert_eq!(text(&out.stdout), std::fs::read_to_string(&second).unwrap());
}

#[test]
fn a_design_that_does_not_fit_is_exit_1_with_advice() {
    let text_in = std::fs::read_to_string(tests::fixtures().join("designs/tinystacks-like.json"))
        .unwrap()
        .replace("10.0.0.0/16", "10.0.0.0/20");
    let path = scratch("too-small.json");
    std::fs::write(&path, text_in).unwrap();
    let out = executor(&["plan", s(&path)]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("the VPC is a /20: use 10.0.0.0/18 or shrink tier private to /24"),
        "{err}"
    );
}

#[test]
fn cost_compares_strategies() {
    let path = tests::fixtures().join("designs/tinystacks-like.json");
    let out = executor(&["cost", s(&path), "--output", "json"]);
    assert!(out.status.success());
    let e: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(e["region"], "us-west-2");
    let total = |name: &str| {
        e["strategies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["strategy"] == name)
            .unwrap()["total_usd"]
            .as_f64()
            .unwrap()
    };
    // Three t4g.nano NAT instances cost far less than three NAT gateways.
    assert!(total("instance_per_az") * 5.0 < total("gateway_per_az"));
    assert_eq!(e["chosen"], "instance_per_az");
}

#[test]
fn reach_answers_with_exit_codes() {
    let design = tests::fixtures().join("designs/tinystacks-sg.json");
    let plan = scratch("ts-sg.plan.json");
    assert!(executor(&["plan", s(&design), "-o", s(&plan), "-q"])
        .status
        .success());
    let reach = |args: &[&str]| {
        let mut all = vec!["reach", s(&plan)];
        all.extend_from_slice(args);
        executor(&all)
    };
    let out = reach(&["--from", "internet", "--to", "alb", "--port", "443"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("internet → internet_gateway.main → route_table.public"));

    let out = reach(&[
        "--from",
        "internet",
        "--to",
        "db",
        "--port",
        "5432",
        "--protocol",
        "tcp",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).starts_with(
        "the internet cannot reach db:5432: group db admits tcp 5432 only from group ecs"
    ));

    let out = reach(&[
        "--from", "ecs", "--to", "db", "--port", "5432", "--output", "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer["reachable"], true);

    let out = reach(&["--from", "nope", "--to", "db"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no security group named \"nope\""));
}

#[test]
fn exposure_lists_public_ports() {
    let design = tests::fixtures().join("designs/tinystacks-sg.json");
    let out = executor(&["exposure", s(&design)]);
    assert!(out.status.success());
    let lines: Vec<String> = text(&out.stdout).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].starts_with("alb tcp 443 from the internet"));
    assert!(lines[1].starts_with("bastion tcp 22 from the internet"));
}

#[test]
fn reach_json_carries_aws_explanation_codes() {
    let design = tests::fixtures().join("reach/acl-deny-inbound.json");
    let out = executor(&[
        "reach",
        s(&design),
        "--from",
        "ecs",
        "--to",
        "db",
        "--port",
        "5432",
        "--output",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer["reachable"], false);
    assert_eq!(
        answer["blocked_by"],
        serde_json::json!([{
            "code": "SUBNET_ACL_RESTRICTION",
            "message": "network ACL data rule 90 denies tcp 5432 from 10.0.0.0/16 into tier data"
        }])
    );
    let tinystacks = tests::fixtures().join("designs/tinystacks-sg.json");
    let out = executor(&[
        "reach",
        s(&tinystacks),
        "--from",
        "internet",
        "--to",
        "db",
        "--port",
        "5432",
        "--output",
        "json",
    ]);
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer["blocked_by"][0]["code"], "ENI_SG_RULES_MISMATCH");
}

#[test]
fn exposure_reports_what_network_acls_stop() {
    let design = tests::fixtures().join("reach/acl-deny-inbound.json");
    let out = executor(&["exposure", s(&design)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "nothing is reachable from the internet\n\
         blocked: alb tcp 443 from the internet (alb in tier public) at security_groups[0].ingress[0]: network ACL web rule 90 denies tcp 443 from 0.0.0.0/0 into tier public [SUBNET_ACL_RESTRICTION]\n"
    );
    let out = executor(&["exposure", s(&design), "--output", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["exposed"], serde_json::json!([]));
    assert_eq!(
        report["blocked"][0]["blocked_by"]["code"],
        "SUBNET_ACL_RESTRICTION"
    );
}

#[test]
fn cost_prices_endpoints_and_flow_logs_at_the_traffic_given() {
    let design = scratch("cost-endpoints.json");
    std::fs::write(
        &design,
        r#"{"name": "c", "region": "us-east-1", "vpc": {"cidr": "10.0.0.0/16"},
            "availability_zones": 2, "nat": "single_gateway",
            "tiers": [{"name": "web", "kind": "public", "size": {"prefix": 24}},
                      {"name": "app", "kind": "private", "size": {"prefix": 22}}],
            "endpoints": [{"service": "ecr.api", "kind": "interface", "tiers": ["app"]}],
            "flow_logs": {"destination": "cloudwatch_logs"},
            "traffic": {"internet_gb_per_month": 50, "services_gb_per_month": {"ecr.api": 100}}}"#,
    )
    .unwrap();
    let json = |extra: &[&str]| {
        let mut args = vec!["cost", s(&design), "--output", "json"];
        args.extend_from_slice(extra);
        let out = executor(&args);
        assert!(out.status.success(), "{}", text(&out.stderr));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    // The design's figures: 50 GB through NAT; ecr.api's 100 GB through its endpoint.
    let e = json(&[]);
    assert_eq!(e["gb_per_month"], 50.0);
    let items = e["items"].as_array().unwrap();
    let what: Vec<&str> = items.iter().map(|i| i["what"].as_str().unwrap()).collect();
    assert_eq!(
        what,
        [
            "NAT gateways (1)",
            "interface endpoint ecr.api (2 AZs)",
            "flow logs to CloudWatch Logs"
        ]
    );
    assert_eq!(items[1]["data_usd"], 1.0);
    assert_eq!(e["break_even"][0]["break_even_gb"], 418.0);
    // Flags replace them: S3 through NAT (no endpoint), 40 GB of flow-log records.
    let e = json(&[
        "--gb",
        "10",
        "--service-gb",
        "s3=1000",
        "--flow-log-gb",
        "40",
    ]);
    assert_eq!(e["gb_per_month"], 1010.0);
    assert_eq!(e["items"][2]["data_usd"], 20.0);
    let text_out = executor(&["cost", s(&design), "--service-gb", "s3=1000"]);
    let t = text(&text_out.stdout);
    assert!(
        t.contains("interface endpoint ecr.api: 14.60 USD a month for 2 AZs"),
        "{t}"
    );
    // A malformed flag is one line and exit 2.
    let bad = executor(&["cost", s(&design), "--service-gb", "s3"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        text(&bad.stderr).contains("expected SERVICE=GB"),
        "{}",
        text(&bad.stderr)
    );
}

#[test]
fn reach_to_a_service_says_which_way_it_leaves() {
    let design = scratch("reach-s3.json");
    std::fs::write(
        &design,
        r#"{"name": "r", "region": "us-east-1", "vpc": {"cidr": "10.0.0.0/16"},
            "availability_zones": 2, "nat": "single_gateway",
            "tiers": [{"name": "web", "kind": "public", "size": {"prefix": 24}},
                      {"name": "app", "kind": "private", "size": {"prefix": 22}}],
            "security_groups": [{"name": "ecs", "description": "ecs",
                                 "attached_to": [{"role": "app", "tier": "app"}]}],
            "endpoints": [{"service": "s3", "kind": "gateway", "tiers": ["app"]}]}"#,
    )
    .unwrap();
    let reach = |to: &str| {
        executor(&[
            "reach",
            s(&design),
            "--from",
            "ecs",
            "--to",
            to,
            "--port",
            "443",
        ])
    };
    let out = reach("s3");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("through gateway endpoint vpc_endpoint.s3.gateway"),
        "{}",
        text(&out.stdout)
    );
    let out = reach("dynamodb");
    assert_eq!(out.status.code(), Some(0));
    assert!(
        text(&out.stdout).contains("over the internet (no endpoint for dynamodb serves it)")
            && text(&out.stdout).contains("nat_gateway."),
        "{}",
        text(&out.stdout)
    );
}
