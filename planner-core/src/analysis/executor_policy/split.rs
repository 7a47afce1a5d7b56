//! The derived policy as managed policies IAM accepts: a managed policy holds at most
//! [`MANAGED_POLICY_LIMIT`] characters, whitespace not counted (as IAM counts, and as the
//! `IAM011` check measures). A derived policy within it is one document; a larger one is split,
//! deterministically: its statements, in their fixed order, fill a document until the next one
//! would cross the limit, and then start the next document. The parts together grant exactly
//! what the whole grants: every statement is an `Allow`, and IAM allows what any attached
//! policy allows.

use serde_json::{json, Value};

use crate::design::iam::document::PolicyDocument;

/// The most characters of a managed policy, whitespace not counted.
pub const MANAGED_POLICY_LIMIT: usize = 6_144;

/// The characters IAM counts in `doc`: its JSON without whitespace.
///
/// ```
/// use planner_core::analysis::executor_policy::counted_size;
/// let doc = serde_json::from_str(r#"{"Version": "2012-10-17", "Statement": []}"#).unwrap();
/// assert_eq!(counted_size(&doc), r#"{"Version":"2012-10-17","Statement":[]}"#.len());
/// ```
pub fn counted_size(doc: &PolicyDocument) -> usize {
    let text = serde_json::to_string(doc).expect("a policy document serializes");
    text.chars().filter(|c| !c.is_whitespace()).count()
}

/// `whole` (a document with `Version` and an array of `Statement`s) as documents of at most
/// [`MANAGED_POLICY_LIMIT`] counted characters each, statements kept in order. A single
/// statement over the limit would be a part of its own, over it; the derived policy has none.
pub(super) fn split(whole: Value) -> Vec<PolicyDocument> {
    let version = whole["Version"].clone();
    let statements = match whole.get("Statement") {
        Some(Value::Array(a)) => a.clone(),
        _ => Vec::new(),
    };
    let doc = |statements: &[Value]| -> PolicyDocument {
        crate::error::from_value(&json!({"Version": version, "Statement": statements}))
            .expect("the derived policy follows the IAM grammar")
    };
    let mut parts: Vec<Vec<Value>> = vec![Vec::new()];
    for s in statements {
        let current = parts.last_mut().expect("parts is never empty");
        current.push(s);
        if current.len() > 1 && counted_size(&doc(current)) > MANAGED_POLICY_LIMIT {
            let s = current.pop().expect("just pushed");
            parts.push(vec![s]);
        }
    }
    parts.iter().map(|p| doc(p)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statement(i: usize, len: usize) -> Value {
        json!({"Sid": format!("S{i}"), "Effect": "Allow", "Action": ["s3:GetObject"],
               "Resource": [format!("arn:aws:s3:::{}", "b".repeat(len))]})
    }

    #[test]
    fn a_small_policy_is_one_part_and_a_large_one_fills_parts_in_order() {
        let small = json!({"Version": "2012-10-17", "Statement": [statement(0, 10)]});
        assert_eq!(split(small).len(), 1);
        let many: Vec<Value> = (0..9).map(|i| statement(i, 1_000)).collect();
        let parts = split(json!({"Version": "2012-10-17", "Statement": many}));
        assert!(parts.len() >= 2, "{}", parts.len());
        let sids: Vec<String> = parts
            .iter()
            .flat_map(|p| p.statements().iter().map(|s| s.sid.clone().unwrap()))
            .collect();
        let want: Vec<String> = (0..9).map(|i| format!("S{i}")).collect();
        assert_eq!(sids, want, "statements keep their order");
        for p in &parts {
            assert!(
                counted_size(p) <= MANAGED_POLICY_LIMIT,
                "{}",
                counted_size(p)
            );
        }
        // Each part but the last is full: the next statement would not have fitted.
        for w in parts.windows(2) {
            let mut more = serde_json::to_value(&w[0]).unwrap();
            let next = serde_json::to_value(&w[1].statements()[0]).unwrap();
            more["Statement"].as_array_mut().unwrap().push(next);
            let more: PolicyDocument = serde_json::from_value(more).unwrap();
            assert!(counted_size(&more) > MANAGED_POLICY_LIMIT);
        }
    }
}
