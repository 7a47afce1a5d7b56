//! Policy documents round-trip through JSON without changing meaning.
//!
//! * Property: a random document (Statement as object or array, single or array actions,
//!   every Principal form, conditions with string, boolean, number and array values, typed
//!   references and joins) serializes, parses back equal, and serializes byte-identically.
//! * The vendor guides' real documents (Titus, Determined, Informatica) parse, and serialize
//!   to the same JSON value.

use planner_core::design::iam::{
    ConditionValue, Effect, OneOrMany, PolicyDocument, Principal, PrincipalMap, Reference,
    Statement, Value,
};
use proptest::prelude::*;
use std::collections::BTreeMap;

// ---------------------------------------------------------------------------------------------
// Strategies

fn one_or_many<T: std::fmt::Debug + Clone + 'static>(
    t: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<OneOrMany<T>> {
    let t = t.boxed();
    prop_oneof![
        t.clone().prop_map(OneOrMany::One),
        prop::collection::vec(t, 0..4).prop_map(OneOrMany::Many),
    ]
    .boxed()
}

fn name() -> impl Strategy<Value = String> {
    "[A-Za-z0-9+=,.@_-]{1,12}"
}

fn reference() -> impl Strategy<Value = Reference> {
    prop_oneof![
        Just(Reference::AccountId),
        Just(Reference::Region),
        Just(Reference::Partition),
        Just(Reference::VpcId),
        Just(Reference::VpcArn),
        name().prop_map(|role| Reference::RoleArn { role }),
        name().prop_map(|policy| Reference::PolicyArn { policy }),
        name().prop_map(|instance_profile| Reference::InstanceProfileArn { instance_profile }),
    ]
}

/// Literal strings include quotes, backslashes, control and non-ASCII characters.
fn literal() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "arn:aws:[a-z0-9]{1,6}:[a-z0-9-]{0,9}:[0-9]{0,12}:[a-z/*-]{1,12}",
        1 => Just("*".to_owned()),
        1 => "\\PC{0,12}",
        1 => "[\"\\\\\n\t\u{7f}é💡]{0,4}",
    ]
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        2 => literal().prop_map(Value::Literal),
        1 => reference().prop_map(Value::Ref),
    ];
    leaf.prop_recursive(2, 8, 4, |inner| {
        prop::collection::vec(inner, 0..4).prop_map(Value::Join)
    })
}

fn condition_value() -> impl Strategy<Value = ConditionValue> {
    prop_oneof![
        3 => value().prop_map(ConditionValue::Value),
        1 => any::<bool>().prop_map(ConditionValue::Bool),
        1 => any::<u64>().prop_map(|n| ConditionValue::Number(n.into())),
        1 => any::<i64>().prop_map(|n| ConditionValue::Number(n.into())),
        // Quarters have short exact decimal forms, so they survive any float parser.
        1 => (-4000i32..4000).prop_map(|q| ConditionValue::Number(
            serde_json::Number::from_f64(f64::from(q) / 4.0).unwrap()
        )),
    ]
}

fn condition(
) -> impl Strategy<Value = BTreeMap<String, BTreeMap<String, OneOrMany<ConditionValue>>>> {
    let op = prop_oneof![
        Just("StringEquals".to_owned()),
        Just("ForAnyValue:StringLike".to_owned()),
        Just("ArnLikeIfExists".to_owned()),
        Just("Bool".to_owned()),
        "[A-Za-z:]{1,16}",
    ];
    let key = "[a-z0-9]{1,6}:[A-Za-z/]{1,10}";
    prop::collection::btree_map(
        op,
        prop::collection::btree_map(key, one_or_many(condition_value()), 0..3),
        0..3,
    )
}

fn principal() -> impl Strategy<Value = Principal> {
    let map = (
        proptest::option::of(one_or_many(value())),
        proptest::option::of(one_or_many("[a-z0-9.-]{1,20}")),
        proptest::option::of(one_or_many(value())),
        proptest::option::of(one_or_many("[0-9a-f]{1,16}")),
    )
        .prop_map(|(aws, service, federated, canonical_user)| {
            Principal::Map(PrincipalMap {
                aws,
                service,
                federated,
                canonical_user,
            })
        });
    prop_oneof![1 => Just(Principal::Any), 4 => map]
}

fn action() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => Just("*".to_owned()),
        6 => "[a-z0-9-]{1,8}:[A-Za-z*?]{1,14}",
    ]
}

fn statement() -> impl Strategy<Value = Statement> {
    (
        proptest::option::of("[A-Za-z0-9]{0,10}"),
        prop_oneof![Just(Effect::Allow), Just(Effect::Deny)],
        proptest::option::of(principal()),
        proptest::option::of(principal()),
        proptest::option::of(one_or_many(action())),
        proptest::option::of(one_or_many(action())),
        proptest::option::of(one_or_many(value())),
        proptest::option::of(one_or_many(value())),
        proptest::option::of(condition()),
    )
        .prop_map(
            |(
                sid,
                effect,
                principal,
                not_principal,
                action,
                not_action,
                resource,
                not_resource,
                condition,
            )| {
                Statement {
                    sid,
                    effect,
                    principal,
                    not_principal,
                    action,
                    not_action,
                    resource,
                    not_resource,
                    condition,
                }
            },
        )
}

fn document() -> impl Strategy<Value = PolicyDocument> {
    (
        proptest::option::of(prop_oneof![
            Just("2012-10-17".to_owned()),
            Just("2008-10-17".to_owned()),
            "[0-9-]{0,10}",
        ]),
        proptest::option::of("[A-Za-z0-9-]{0,12}"),
        one_or_many(statement()),
    )
        .prop_map(|(version, id, statement)| PolicyDocument {
            version,
            id,
            statement,
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn documents_round_trip_byte_identically(doc in document()) {
        for pretty in [false, true] {
            let text = if pretty {
                serde_json::to_string_pretty(&doc).unwrap()
            } else {
                serde_json::to_string(&doc).unwrap()
            };
            let back: PolicyDocument = serde_json::from_str(&text)
                .map_err(|e| TestCaseError::fail(format!("{e}: {text}")))?;
            prop_assert_eq!(&back, &doc, "{}", text);
            let again = if pretty {
                serde_json::to_string_pretty(&back).unwrap()
            } else {
                serde_json::to_string(&back).unwrap()
            };
            prop_assert_eq!(again, text);
        }
    }

    #[test]
    fn rendering_leaves_no_reference(doc in document()) {
        let text = doc
            .render(&|r: &Reference| Some(format!("<{}>", r.kind())))
            .unwrap();
        prop_assert!(!text.contains("\"ref\""), "{}", text);
        prop_assert!(!text.contains("\"join\""), "{}", text);
    }
}

// ---------------------------------------------------------------------------------------------
// The guides' documents

/// Parses `json`, and checks that it serializes to the same JSON value and back.
fn round_trip(json: &str) -> PolicyDocument {
    let doc: PolicyDocument = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
    let text = serde_json::to_string(&doc).unwrap();
    let original: serde_json::Value = serde_json::from_str(json).unwrap();
    let written: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(written, original, "meaning changed");
    let back: PolicyDocument = serde_json::from_str(&text).unwrap();
    assert_eq!(back, doc);
    assert_eq!(serde_json::to_string(&back).unwrap(), text);
    doc
}

/// Titus: the app roles' trust, with the master role as a typed reference.
#[test]
fn titus_app_role_trust() {
    let doc = round_trip(
        r#"{
          "Version": "2012-10-17",
          "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"},
            {"Effect": "Allow",
             "Principal": {"AWS": {"ref": "role_arn", "role": "titusmasterInstanceProfile"}},
             "Action": "sts:AssumeRole"}
          ]
        }"#,
    );
    let text = doc
        .render(&|r: &Reference| match r {
            Reference::RoleArn { role } => Some(format!("arn:aws:iam::123456789012:role/{role}")),
            _ => None,
        })
        .unwrap();
    assert!(
        text.contains(
            r#""Principal":{"AWS":"arn:aws:iam::123456789012:role/titusmasterInstanceProfile"}"#
        ),
        "{text}"
    );
    // The guide's literal form parses too.
    round_trip(
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::ACCOUNTID:role/titusmasterInstanceProfile"},
            "Action": "sts:AssumeRole"}]}"#,
    );
}

/// Determined: the cross-account trust, the PassRole statements and the agent's policy.
#[test]
fn determined_roles() {
    round_trip(
        r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::544296492693:role/det-cloud-internal-global-mgmt-role"}, "Action": "sts:AssumeRole"},
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::544296492693:role/det-cloud-internal-aws-us-west-2-mgmt-role"}, "Action": "sts:AssumeRole"}]}"#,
    );
    round_trip(
        r#"{"Version": "2012-10-17", "Statement": [
            {"Sid": "DetCrossAccountAccess", "Effect": "Allow",
             "Action": ["cloudwatch:GetMetricData", "ec2:AllocateAddress", "ec2:RunInstances", "iam:AttachRolePolicy", "ssm:PutParameter"],
             "Resource": "*"},
            {"Sid": "DetCrossPassRole", "Effect": "Allow", "Action": "iam:PassRole",
             "Resource": {"ref": "role_arn", "role": "det-cloud-customer-master"}}]}"#,
    );
    round_trip(
        r#"{"Version": "2012-10-17", "Statement": [
            {"Action": ["ec2:DescribeInstances", "ec2:TerminateInstances", "ec2:CreateTags", "ec2:RunInstances",
                        "ec2:CancelSpotInstanceRequests", "ec2:RequestSpotInstances", "ec2:DescribeSpotInstanceRequests",
                        "logs:CreateLogStream", "logs:PutLogEvents"],
             "Effect": "Allow", "Resource": "*"},
            {"Action": "iam:PassRole", "Resource": {"ref": "role_arn", "role": "det-cloud-customer-agent"}, "Effect": "Allow"}]}"#,
    );
    round_trip(
        r#"{"Version": "2012-10-17", "Statement": [{"Action": ["s3:*", "ec2:DescribeInstances", "logs:CreateLogStream", "logs:PutLogEvents"],
            "Effect": "Allow", "Resource": "*"}]}"#,
    );
    round_trip(
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#,
    );
}

/// Informatica: placeholders become references; a condition with an array value.
#[test]
fn informatica_statements() {
    let doc = round_trip(
        r#"{"Version": "2012-10-17", "Statement": [
          {"Sid": "VisualEditor5", "Effect": "Allow", "Action": "ec2:CreateTags",
           "Resource": [
             {"join": ["arn:aws:ec2:*:", {"ref": "account_id"}, ":network-interface/*"]},
             {"join": ["arn:aws:ec2:", {"ref": "region"}, ":", {"ref": "account_id"}, ":route-table/*"]}],
           "Condition": {"StringEquals": {"ec2:CreateAction": ["CreateVolume", "RunInstances", "CreateRouteTable"]}}},
          {"Sid": "VisualEditor8", "Effect": "Allow",
           "Action": ["ec2:DeleteSubnet", "ec2:CreateTags", "ec2:CreateRouteTable", "ec2:AssociateSubnetCidrBlock", "ec2:CreateSubnet"],
           "Resource": [{"ref": "vpc_arn"}, {"join": ["arn:aws:ec2:*:", {"ref": "account_id"}, ":subnet/*"]}]},
          {"Sid": "VisualEditor13", "Effect": "Allow", "Action": "iam:PassRole",
           "Resource": [{"ref": "role_arn", "role": "cluster_installer_role"}, {"ref": "role_arn", "role": "worker_node_role"}]}]}"#,
    );
    let text = doc
        .render(&|r: &Reference| {
            Some(match r {
                Reference::AccountId => "123456789012".to_owned(),
                Reference::Region => "eu-west-1".to_owned(),
                Reference::VpcArn => {
                    "arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-0123456789abcdef0".to_owned()
                }
                Reference::RoleArn { role } => format!("arn:aws:iam::123456789012:role/{role}"),
                _ => return None,
            })
        })
        .unwrap();
    assert!(
        text.contains(r#""arn:aws:ec2:eu-west-1:123456789012:route-table/*""#),
        "{text}"
    );
    assert!(
        text.contains(r#""arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-0123456789abcdef0""#),
        "{text}"
    );
    assert!(!text.contains("{{"), "{text}");
}

#[test]
fn single_and_array_forms_stay_apart() {
    let one = round_trip(r#"{"Statement": {"Effect": "Deny", "Action": "s3:*", "Resource": "*"}}"#);
    let many =
        round_trip(r#"{"Statement": [{"Effect": "Deny", "Action": ["s3:*"], "Resource": ["*"]}]}"#);
    assert_ne!(one, many);
    assert_eq!(
        one.statements(),
        many.statements()
            .iter()
            .map(|s| Statement {
                action: Some(OneOrMany::One("s3:*".into())),
                resource: Some(OneOrMany::One(Value::Literal("*".into()))),
                ..s.clone()
            })
            .collect::<Vec<_>>()
    );
}

#[test]
fn grammar_errors_have_paths() {
    let err = |json: &str| {
        let mut de = serde_json::Deserializer::from_str(json);
        let e = serde_path_to_error::deserialize::<_, PolicyDocument>(&mut de).unwrap_err();
        (e.path().to_string(), e.inner().to_string())
    };
    let (path, msg) =
        err(r#"{"Statement": [{"Effect": "Allow", "Action": "x:y", "Resources": "*"}]}"#);
    assert_eq!(path, "Statement[0].Resources");
    assert!(msg.contains("unknown field `Resources`"), "{msg}");
    let (path, msg) = err(r#"{"Statement": {"Effect": "Permit", "Action": "x:y"}}"#);
    assert_eq!(path, "Statement.Effect");
    assert!(msg.contains("unknown variant `Permit`"), "{msg}");
    let (path, _) = err(r#"{"Statement": [{"Effect": "Allow", "Action": ["x:y", 3]}]}"#);
    assert_eq!(path, "Statement[0].Action[1]");
    let (path, msg) = err(r#"{"Statement": [{"Effect": "Allow", "Principal": "everyone"}]}"#);
    assert_eq!(path, "Statement[0].Principal");
    assert!(msg.contains("\"*\" or an object"), "{msg}");
    let (path, _) = err(r#"{"Statement": [{"Effect": "Allow", "Principal": {"Aws": "*"}}]}"#);
    assert_eq!(path, "Statement[0].Principal.Aws");
    let (path, _) = err(
        r#"{"Statement": [{"Effect": "Allow", "Condition": {"Bool": {"aws:SecureTransport": null}}}]}"#,
    );
    assert_eq!(path, "Statement[0].Condition.Bool.aws:SecureTransport");
}
