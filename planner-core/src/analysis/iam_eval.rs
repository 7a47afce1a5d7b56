//! IAM policy evaluation, as AWS documents it for identity policies: a request (an action on
//! a resource, with the condition keys the request carries) is allowed when a statement
//! allows it and none denies it; a matching `Deny` always wins, and nothing matching is an
//! implicit deny.
//!
//! Documents are read as AWS receives them (JSON with every reference rendered). Actions match
//! case-insensitively with `*` and `?`; resources match the ARN with `*` and `?`
//! (case-sensitively, as AWS matches ARNs); `NotAction` and `NotResource` match what they do
//! not name. Conditions: every operator, every key and (for positive operators) any value;
//! keys are case-insensitive; the `String…`, `Arn…`, `Bool`, `Null` and `Numeric…` operators,
//! with `…IfExists` and the `ForAllValues:` / `ForAnyValue:` set prefixes. An operator this
//! module does not know makes its statement not match (so an unknown condition never widens
//! an allow, and never narrows a deny to nothing silently: the deny does not apply, which the
//! caller sees as "not allowed" only if no allow matches either).

use std::collections::BTreeMap;

use serde_json::Value;

/// One request: an action on a resource, with its condition keys.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Request {
    /// `service:Action`, e.g. `ec2:CreateSubnet`.
    pub action: String,
    /// The resource's ARN, or `*` for actions that take none.
    pub resource: String,
    /// Condition keys the request carries (any case), each with its values:
    /// `aws:RequestTag/vpc-planner:plan` → `["demo"]`, `aws:TagKeys` → `[…]`.
    pub context: BTreeMap<String, Vec<String>>,
}

impl Request {
    /// A request for `action` on `resource` with no condition keys.
    pub fn new(action: impl Into<String>, resource: impl Into<String>) -> Request {
        Request {
            action: action.into(),
            resource: resource.into(),
            context: BTreeMap::new(),
        }
    }

    /// The request with condition key `key` set to `values`.
    pub fn with(mut self, key: &str, values: &[&str]) -> Request {
        self.context.insert(
            key.to_ascii_lowercase(),
            values.iter().map(|v| (*v).to_owned()).collect(),
        );
        self
    }

    fn key(&self, key: &str) -> Option<&Vec<String>> {
        self.context.get(&key.to_ascii_lowercase())
    }
}

/// What the policies say of a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// A statement allows it and none denies it.
    Allowed,
    /// No statement allows it.
    ImplicitDeny,
    /// A statement denies it.
    ExplicitDeny,
}

/// The decision of `policies` (identity policy documents as JSON) on `request`.
pub fn evaluate(policies: &[&Value], request: &Request) -> Decision {
    let mut allowed = false;
    for doc in policies {
        for st in statements(doc) {
            if !applies(st, request) {
                continue;
            }
            match st.get("Effect").and_then(Value::as_str) {
                Some("Deny") => return Decision::ExplicitDeny,
                Some("Allow") => allowed = true,
                _ => {}
            }
        }
    }
    if allowed {
        Decision::Allowed
    } else {
        Decision::ImplicitDeny
    }
}

/// A document's statements (one object or an array).
fn statements(doc: &Value) -> Vec<&Value> {
    match doc.get("Statement") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(v @ Value::Object(_)) => vec![v],
        _ => Vec::new(),
    }
}

/// One string or an array of them.
fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| match x {
                Value::String(s) => Some(s.clone()),
                Value::Bool(b) => Some(b.to_string()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .collect(),
        Some(Value::Bool(b)) => vec![b.to_string()],
        Some(Value::Number(n)) => vec![n.to_string()],
        _ => Vec::new(),
    }
}

/// The strings of an element (one or an array), borrowed.
fn strs(v: &Value) -> impl Iterator<Item = &str> {
    let one = v.as_str().into_iter();
    let many = v.as_array().into_iter().flatten().filter_map(Value::as_str);
    one.chain(many)
}

/// Whether `st` covers the request: its actions, resources and conditions.
fn applies(st: &Value, r: &Request) -> bool {
    let action = |pattern: &str| crate::design::iam::walk::glob(pattern, &r.action);
    let acts = match (st.get("Action"), st.get("NotAction")) {
        (Some(a), _) => strs(a).any(action),
        (None, Some(n)) => !strs(n).any(action),
        (None, None) => false,
    };
    if !acts {
        return false;
    }
    let resource = |pattern: &str| glob(pattern, &r.resource);
    let on = match (st.get("Resource"), st.get("NotResource")) {
        (Some(a), _) => strs(a).any(resource),
        (None, Some(n)) => !strs(n).any(resource),
        (None, None) => false,
    };
    on && conditions(st.get("Condition"), r)
}

/// Whether every condition of a statement holds.
fn conditions(c: Option<&Value>, r: &Request) -> bool {
    let Some(Value::Object(ops)) = c else {
        return c.is_none();
    };
    ops.iter().all(|(op, keys)| {
        let Value::Object(keys) = keys else {
            return false;
        };
        keys.iter()
            .all(|(key, values)| operator(op, r.key(key), &strings(Some(values))))
    })
}

/// One operator on one key: `have` the request's values (absent: the key is missing),
/// `want` the statement's.
fn operator(op: &str, have: Option<&Vec<String>>, want: &[String]) -> bool {
    let (set, op) = match op.split_once(':') {
        Some(("ForAllValues", rest)) => (Some(true), rest),
        Some(("ForAnyValue", rest)) => (Some(false), rest),
        _ => (None, op),
    };
    let (op, if_exists) = match op.strip_suffix("IfExists") {
        Some(base) => (base, true),
        None => (op, false),
    };
    if op == "Null" {
        let absent = have.is_none_or(Vec::is_empty);
        return want
            .iter()
            .any(|w| w.eq_ignore_ascii_case(&absent.to_string()));
    }
    let Some(test) = value_test(op) else {
        return false;
    };
    let Some(have) = have else {
        // A missing key: `…IfExists` and `ForAllValues` hold, the rest do not.
        return if_exists || set == Some(true);
    };
    let negated = op.contains("Not");
    let one = |h: &String| {
        let any = want.iter().any(|w| test(h, w));
        if negated {
            !want.iter().any(|w| test(h, w))
        } else {
            any
        }
    };
    match set {
        Some(true) => have.iter().all(one),
        Some(false) => have.iter().any(one),
        None => match have.as_slice() {
            [h] => one(h),
            // A multivalued key with a single-valued operator matches no value.
            _ => false,
        },
    }
}

type Test = fn(&String, &String) -> bool;

/// The comparison an operator makes of one request value and one statement value (the
/// negated operators compare as their positive twin; the caller negates).
fn value_test(op: &str) -> Option<Test> {
    Some(match op {
        "StringEquals" | "StringNotEquals" => |h, w| h == w,
        "StringEqualsIgnoreCase" | "StringNotEqualsIgnoreCase" => |h, w| h.eq_ignore_ascii_case(w),
        "StringLike" | "StringNotLike" | "ArnLike" | "ArnNotLike" | "ArnEquals"
        | "ArnNotEquals" => |h, w| glob(w, h),
        "Bool" => |h, w| h.eq_ignore_ascii_case(w),
        "NumericEquals" | "NumericNotEquals" => |h, w| num(h) == num(w) && num(h).is_some(),
        "NumericLessThan" => |h, w| matches!((num(h), num(w)), (Some(a), Some(b)) if a < b),
        "NumericLessThanEquals" => |h, w| matches!((num(h), num(w)), (Some(a), Some(b)) if a <= b),
        "NumericGreaterThan" => |h, w| matches!((num(h), num(w)), (Some(a), Some(b)) if a > b),
        "NumericGreaterThanEquals" => {
            |h, w| matches!((num(h), num(w)), (Some(a), Some(b)) if a >= b)
        }
        _ => return None,
    })
}

fn num(s: &str) -> Option<f64> {
    s.parse().ok()
}

/// Whether `text` matches `pattern`, where `*` stands for any run of characters and `?` for
/// one.
pub fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn policy() -> Value {
        json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["ec2:Create*", "ec2:DescribeSubnets"], "Resource": "*",
             "Condition": {"StringEquals": {"aws:RequestTag/vpc-planner:plan": "demo"}}},
            {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::*:role/demo-*",
             "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}},
            {"Effect": "Allow", "NotAction": "iam:*", "Resource": "arn:aws:s3:::logs/*"},
            {"Effect": "Deny", "Action": "ec2:CreateVpc", "Resource": "*",
             "Condition": {"StringNotEqualsIfExists": {"aws:RequestedRegion": "us-east-1"}}}
        ]})
    }

    #[test]
    fn an_allow_with_its_condition_met_allows() {
        let p = policy();
        let r = Request::new("ec2:CreateSubnet", "arn:aws:ec2:us-east-1:1:subnet/*")
            .with("aws:RequestTag/vpc-planner:plan", &["demo"]);
        assert_eq!(evaluate(&[&p], &r), Decision::Allowed);
        let other = r
            .clone()
            .with("aws:requesttag/VPC-PLANNER:PLAN", &["other"]);
        assert_eq!(evaluate(&[&p], &other), Decision::ImplicitDeny);
        let untagged = Request::new("ec2:CreateSubnet", "*");
        assert_eq!(evaluate(&[&p], &untagged), Decision::ImplicitDeny);
    }

    #[test]
    fn actions_match_without_case_and_resources_by_pattern() {
        let p = policy();
        let pass = |role: &str, to: &str| {
            Request::new("IAM:passrole", format!("arn:aws:iam::123:role/{role}"))
                .with("iam:PassedToService", &[to])
        };
        assert_eq!(
            evaluate(&[&p], &pass("demo-nat", "ec2.amazonaws.com")),
            Decision::Allowed
        );
        assert_eq!(
            evaluate(&[&p], &pass("admin", "ec2.amazonaws.com")),
            Decision::ImplicitDeny
        );
        assert_eq!(
            evaluate(&[&p], &pass("demo-nat", "lambda.amazonaws.com")),
            Decision::ImplicitDeny
        );
        let s3 = Request::new("s3:GetObject", "arn:aws:s3:::logs/a/b");
        assert_eq!(evaluate(&[&p], &s3), Decision::Allowed);
        let iam = Request::new("iam:GetRole", "arn:aws:s3:::logs/a");
        assert_eq!(
            evaluate(&[&p], &iam),
            Decision::ImplicitDeny,
            "NotAction excludes iam:*"
        );
    }

    #[test]
    fn a_deny_wins_and_if_exists_holds_when_the_key_is_missing() {
        let p = policy();
        let vpc =
            Request::new("ec2:CreateVpc", "*").with("aws:RequestTag/vpc-planner:plan", &["demo"]);
        assert_eq!(
            evaluate(&[&p], &vpc),
            Decision::ExplicitDeny,
            "no region: IfExists denies"
        );
        let here = vpc.clone().with("aws:RequestedRegion", &["us-east-1"]);
        assert_eq!(evaluate(&[&p], &here), Decision::Allowed);
        let there = vpc.with("aws:RequestedRegion", &["eu-west-1"]);
        assert_eq!(evaluate(&[&p], &there), Decision::ExplicitDeny);
    }

    #[test]
    fn set_operators_and_null() {
        let p = json!({"Statement": {"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*",
            "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["Name", "vpc-planner:plan"]},
                          "Null": {"aws:ResourceTag/owner": "true"}}}});
        let tags = |keys: &[&str]| Request::new("ec2:CreateTags", "*").with("aws:TagKeys", keys);
        assert_eq!(evaluate(&[&p], &tags(&["Name"])), Decision::Allowed);
        assert_eq!(
            evaluate(&[&p], &tags(&["Name", "cost"])),
            Decision::ImplicitDeny
        );
        let owned = tags(&["Name"]).with("aws:ResourceTag/owner", &["ana"]);
        assert_eq!(evaluate(&[&p], &owned), Decision::ImplicitDeny);
    }

    #[test]
    fn globs() {
        assert!(glob(
            "arn:aws:ec2:*:*:subnet/*",
            "arn:aws:ec2:us-east-1:1:subnet/subnet-1"
        ));
        assert!(glob("a?c", "abc") && !glob("a?c", "ac"));
        assert!(glob("*", "") && glob("**x", "abx") && !glob("x*", "ax"));
    }
}
