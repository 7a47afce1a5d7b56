use super::{kind_of, lint, Kind, Linted};
use crate::error::PlanError;

fn linted(text: &str) -> Linted {
    lint(text).unwrap_or_else(|e| panic!("{e}"))
}

/// `code path line:column` of every finding.
fn found(l: &Linted) -> Vec<String> {
    l.findings
        .iter()
        .map(|f| format!("{} {} {}:{}", f.code, f.path, f.line, f.column))
        .collect()
}

const IDENTITY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["iam:PassRole", "ec2:RunInstances", "ec2:RunInstance"],
      "Resource": "*"
    },
    {"Sid": "bad-sid", "Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"}
  ]
}"#;

#[test]
fn an_identity_policy_gets_paths_and_positions_inside_it() {
    let l = linted(IDENTITY);
    assert_eq!(l.kind, Kind::Identity);
    let f = found(&l);
    for want in [
        "IAM005 Statement[0].Resource 7:7",
        "IAM002 Statement[0].Action[2] 6:54",
        "IAM006 Statement[0].Action 6:7",
        "IAM004 Statement[0].Resource 7:7",
        "IAM001 Statement[1].Sid 9:6",
        "IAM007 Statement[1].Action 9:43",
    ] {
        assert!(f.contains(&want.to_owned()), "{want} not in {f:#?}");
    }
    assert!(
        l.findings.iter().all(|f| !f.path.starts_with("iam.")),
        "{f:#?}"
    );
    let combo = l.findings.iter().find(|f| f.code == "IAM006").unwrap();
    assert!(
        combo.message.contains("ec2:RunInstances"),
        "{}",
        combo.message
    );
    assert!(
        combo
            .message
            .starts_with("the policy can raise its own privileges: PassRole to EC2"),
        "{}",
        combo.message
    );
}

#[test]
fn the_wrapper_leaks_nothing() {
    let quiet = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#;
    assert_eq!(linted(quiet).findings, []);
    let trust = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#;
    let l = linted(trust);
    assert_eq!((l.kind, l.findings.len()), (Kind::Trust, 0), "{l:?}");
}

#[test]
fn a_trust_policy_is_judged_as_one() {
    let text = r#"{
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
    "Action": ["sts:AssumeRole", "sts:TagSession"],
    "Resource": "*"
  }]
}"#;
    let l = linted(text);
    assert_eq!(l.kind, Kind::Trust);
    let f = found(&l);
    for want in [
        "IAM001  1:1",
        "IAM008 Statement[0].Principal.AWS 4:19",
        "IAM001 Statement[0].Resource 6:5",
    ] {
        assert!(f.contains(&want.to_owned()), "{want} not in {f:#?}");
    }
    assert!(l.findings[0]
        .message
        .starts_with("the trust policy has no Version"));
}

#[test]
fn a_resource_policy_takes_a_principal_and_a_resource() {
    let text = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
    {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/*"},
    {"Effect": "Allow", "Principal": {"Service": "Logs"}, "NotAction": "s3:Delete*", "Resource": "*"}
  ]
}"#;
    let l = linted(text);
    assert_eq!(l.kind, Kind::Resource);
    assert_eq!(
        found(&l),
        [
            "IAM001 Statement[1] 5:5",
            "IAM001 Statement[2].Principal.Service 6:39",
            "IAM003 Statement[2].NotAction 6:59",
        ]
    );
    assert!(l.findings[0].message.starts_with("the resource policy: "));
}

#[test]
fn kinds_of_bare_documents() {
    let doc = |s: &str| serde_json::from_str(s).unwrap();
    let deny_all = doc(
        r#"{"Statement": {"Effect": "Deny", "NotPrincipal": {"AWS": "111122223333"},
        "Action": "sts:AssumeRoleWithWebIdentity"}}"#,
    );
    assert_eq!(kind_of(&deny_all), Kind::Trust);
    let mixed = doc(
        r#"{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"},
        {"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": "*"}]}"#,
    );
    assert_eq!(kind_of(&mixed), Kind::Resource);
    let identity =
        doc(r#"{"Statement": {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}}"#);
    assert_eq!(kind_of(&identity), Kind::Identity);
}

#[test]
fn a_design_and_its_plan_give_the_planners_iam_findings() {
    use crate::checks::iam::test_support::{design_json, inline};
    let text = design_json(&inline(
        r#"[{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]"#,
    ));
    let design = crate::parse_design(&text).unwrap();
    let planned = crate::plan(&design, None).unwrap();
    let want: Vec<(&str, String)> = planned
        .diagnostics
        .iter()
        .filter(|d| d.code.starts_with("IAM"))
        .map(|d| (d.code, d.path.clone()))
        .collect();
    assert!(!want.is_empty());
    let l = linted(&text);
    assert_eq!(l.kind, Kind::Design);
    let mut got: Vec<(&str, String)> = l
        .findings
        .iter()
        .map(|f| (f.code, f.path.clone()))
        .collect();
    got.sort();
    let mut sorted = want.clone();
    sorted.sort();
    assert_eq!(got, sorted);

    let plan = planned.plan.to_json();
    let l = linted(&plan);
    assert_eq!(l.kind, Kind::Plan);
    let mut got: Vec<(&str, String)> = l
        .findings
        .iter()
        .map(|f| (f.code, f.path.strip_prefix("design.").unwrap().to_owned()))
        .collect();
    got.sort();
    assert_eq!(got, sorted);
    let at = &l.findings[0];
    let line = plan.lines().nth(at.line - 1).unwrap();
    assert!(
        line[line.char_indices().nth(at.column - 1).unwrap().0..].starts_with("\"Action\""),
        "{line}"
    );
}

#[test]
fn malformed_input_names_its_path() {
    let err = |text: &str| match lint(text) {
        Err(PlanError::Input(e)) => e,
        other => panic!("{other:?}"),
    };
    let e = err(r#"{"Statement": [{"Effect": "Alow", "Action": "s3:*"}]}"#);
    assert_eq!(e.path, "Statement[0].Effect");
    let e = err(r#"{"Statement": [{"Effect": "Allow", "Actions": "s3:*"}]}"#);
    assert_eq!(e.path, "Statement[0].Actions");
    let e = err("[1]");
    assert_eq!(e.path, "");
    assert!(e.message.contains("policy document"), "{}", e.message);
    let e = err(r#"{"Statement": "#);
    assert!(
        e.message.starts_with("unexpected end of input"),
        "{}",
        e.message
    );
    let e = err(r#"{"Statement": [{"Effect": "Allow","#);
    assert!(e.path.starts_with("Statement[0]"), "{}", e.path);
    let e = err(r#"{"name": 1}"#);
    assert_eq!(e.path, "name");
}
