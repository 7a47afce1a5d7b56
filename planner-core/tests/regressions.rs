//! Inputs that once panicked planner-core, each a named case with the outcome it must have
//! now: a plan, or an error naming the JSON path of the value at fault.

use planner_core::{parse_input, plan, Input, PlanError};

/// A valid three-AZ design; each case replaces one value in it.
const BASE: &str = r#"{
  "name": "regression",
  "region": "us-east-1",
  "vpc": {"cidr": "10.0.0.0/16"},
  "availability_zones": 3,
  "tiers": [
    {"name": "web", "kind": "public", "size": {"prefix": 24}},
    {"name": "app", "kind": "private", "size": {"hosts": 1000}}
  ],
  "nat": "single_gateway"
}"#;

/// Parses and plans `json` (with the plan's own allocation as the previous one): the JSON
/// path and message of the error, or `None` when it plans.
fn outcome(json: &str) -> Option<(String, String)> {
    let input = match parse_input(json) {
        Ok(input) => input,
        Err(e) => return Some((e.path, e.message)),
    };
    let previous = match &input {
        Input::Plan(p) => Some(&p.allocation),
        Input::Design(_) => None,
    };
    match plan(input.design(), previous) {
        Ok(_) => None,
        Err(PlanError::Input(e)) => Some((e.path, e.message)),
        Err(e) => Some((String::new(), e.to_string())),
    }
}

fn with(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "{from}");
    BASE.replacen(from, to, 1)
}

#[track_caller]
fn refused_at(json: &str, path: &str, words: &str) {
    let (got, message) = outcome(json).expect("an error, not a plan");
    assert_eq!(got, path, "{message}");
    assert!(message.contains(words), "{message}");
}

#[test]
fn base_plans() {
    assert_eq!(outcome(BASE), None);
}

/// `alloc.rs`: prefix-length error (the /0 subnets could never fit a /16; the error's advice
/// computed a prefix from more than 2³² addresses).
#[test]
fn tier_prefix_0() {
    refused_at(
        &with(r#""prefix": 24"#, r#""prefix": 0"#),
        "tiers[0].size.prefix",
        "expected a prefix length from 16 to 32",
    );
}

/// Subtract overflow: three /1 subnets need 3 × 2³¹ addresses. Typing "17" into a prefix
/// field passes through "1".
#[test]
fn tier_prefix_1() {
    refused_at(
        &with(r#""prefix": 24"#, r#""prefix": 1"#),
        "tiers[0].size.prefix",
        "expected a prefix length from 16 to 32",
    );
}

#[test]
fn tier_prefix_15_is_larger_than_any_aws_subnet() {
    refused_at(
        &with(r#""prefix": 24"#, r#""prefix": 15"#),
        "tiers[0].size.prefix",
        "got 15",
    );
    assert_eq!(
        outcome(&with(r#""prefix": 24"#, r#""prefix": 16"#)).map(|e| e.0),
        Some(String::new())
    );
}

/// 2,000,000,000 hosts ask for /1 subnets: the same overflow as a prefix of 1.
#[test]
fn tier_hosts_2e9() {
    refused_at(
        &with(r#""hosts": 1000"#, r#""hosts": 2000000000"#),
        "tiers[1].size.hosts",
        "expected at most 65531 hosts",
    );
}

/// More hosts than any IPv4 block holds: the size silently became a /0.
#[test]
fn tier_hosts_u32_max() {
    refused_at(
        &with(r#""hosts": 1000"#, r#""hosts": 4294967295"#),
        "tiers[1].size.hosts",
        "got 4294967295",
    );
    assert_eq!(
        outcome(&with(r#""hosts": 1000"#, r#""hosts": 65531"#)).map(|e| e.0),
        Some(String::new())
    );
}

/// More addresses than the whole IPv4 space, from valid sizes: 130 tiers of /16s, each
/// keeping 510 reserved blocks.
#[test]
fn needs_more_than_the_ipv4_space() {
    let tiers: Vec<String> = (0..130)
        .map(|i| format!(r#"{{"name": "t{i}", "kind": "isolated", "size": {{"prefix": 16}}, "reserve": 255}}"#))
        .collect();
    let json = format!(
        r#"{{"name": "big", "region": "us-east-1", "vpc": {{"cidr": "0.0.0.0/0"}},
            "availability_zones": 6, "reserved_az_slots": 255, "nat": "none",
            "tiers": [{}]}}"#,
        tiers.join(",")
    );
    let (path, message) = outcome(&json).expect("does not fit");
    assert_eq!(path, "");
    assert!(
        message.contains("more than the whole IPv4 space"),
        "{message}"
    );
}

/// `design/iam/document.rs`: a condition value past `u64` is a float, written in its shortest
/// form; serde_json's fast float parser read that back one bit off, so a plan the planner wrote
/// read back different. Parsing is exact now (`float_roundtrip`).
#[test]
fn a_float_condition_value_reads_back_the_same() {
    let json = with(
        r#""nat": "single_gateway""#,
        r#""nat": "single_gateway", "iam": {"roles": [{"name": "r", "trust_policy": {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": 92233720363854775808}}}]}}]}"#,
    );
    let input = parse_input(&json).expect("parses");
    let planned = plan(input.design(), None).expect("plans").plan;
    let text = planned.to_json();
    let back = match parse_input(&text).expect("reads back") {
        Input::Plan(p) => *p,
        Input::Design(_) => panic!("a plan reads back as a plan"),
    };
    assert!(back == planned, "the plan reads back different");
    assert_eq!(back.to_json(), text);
}
