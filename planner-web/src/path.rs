//! Paths into the design's JSON, in the spelling the core's errors and findings use:
//! `tiers[1].size.prefix`. Every editor field is a path; an edit is a value set at one, and
//! the field's DOM id is [`field_id`] of its path.

use serde_json::Value;

/// The DOM id of the field editing `path`: where a message about `path` lands.
///
/// ```
/// use planner_web::path::field_id;
/// assert_eq!(field_id("tiers[1].size"), "field-tiers[1].size");
/// ```
pub fn field_id(path: &str) -> String {
    format!("field-{path}")
}

/// One step of a path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// An object member.
    Key(String),
    /// An array element.
    Index(usize),
}

/// Splits `a.b[2].c` into steps. A bracket holds an index or a key, and a key in brackets
/// may hold dots (`traffic.services_gb_per_month[ecr.api]`). The empty path is the document
/// itself.
///
/// ```
/// use planner_web::path::{steps, Step};
/// assert_eq!(steps("tiers[1].size"), [Step::Key("tiers".into()), Step::Index(1), Step::Key("size".into())]);
/// assert_eq!(steps("t.m[ecr.api]"), [Step::Key("t".into()), Step::Key("m".into()), Step::Key("ecr.api".into())]);
/// ```
pub fn steps(path: &str) -> Vec<Step> {
    let mut out = Vec::new();
    let mut key = String::new();
    let mut chars = path.chars();
    let flush = |key: &mut String, out: &mut Vec<Step>| {
        if !key.is_empty() {
            out.push(Step::Key(std::mem::take(key)));
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '.' => flush(&mut key, &mut out),
            '[' => {
                flush(&mut key, &mut out);
                let inside: String = chars.by_ref().take_while(|&c| c != ']').collect();
                out.push(match inside.parse() {
                    Ok(i) => Step::Index(i),
                    Err(_) => Step::Key(inside),
                });
            }
            c => key.push(c),
        }
    }
    flush(&mut key, &mut out);
    out
}

/// The path one step up, or `None` for the document itself.
///
/// ```
/// use planner_web::path::parent;
/// assert_eq!(parent("tiers[1].size"), Some("tiers[1]"));
/// assert_eq!(parent("tiers[1]"), Some("tiers"));
/// assert_eq!(parent("t.m[ecr.api]"), Some("t.m"));
/// assert_eq!(parent("name"), Some(""));
/// assert_eq!(parent(""), None);
/// ```
pub fn parent(path: &str) -> Option<&str> {
    if path.is_empty() {
        return None;
    }
    let cut = if path.ends_with(']') {
        path.rfind('[').unwrap_or(0)
    } else {
        path.rfind(['.', '[']).unwrap_or(0)
    };
    Some(&path[..cut])
}

/// Whether `inner` is `outer` or lies under it.
///
/// ```
/// use planner_web::path::is_within;
/// assert!(is_within("tiers[1].size.prefix", "tiers[1].size"));
/// assert!(!is_within("tiers[10]", "tiers[1]"));
/// ```
pub fn is_within(inner: &str, outer: &str) -> bool {
    outer.is_empty()
        || inner == outer
        || inner
            .strip_prefix(outer)
            .is_some_and(|rest| rest.starts_with(['.', '[']))
}

/// The value at `path`, if there is one.
pub fn get<'v>(doc: &'v Value, path: &str) -> Option<&'v Value> {
    steps(path).iter().try_fold(doc, |v, step| match step {
        Step::Key(k) => v.get(k),
        Step::Index(i) => v.get(i),
    })
}

/// The number of elements of the array at `path` (none when it is not an array).
pub fn count(doc: &Value, path: &str) -> usize {
    get(doc, path).and_then(Value::as_array).map_or(0, Vec::len)
}

/// The `name` members of the objects in the array at `path`, in order.
pub fn names(doc: &Value, path: &str) -> Vec<String> {
    get(doc, path)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i.get("name").and_then(Value::as_str))
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// The value at `path`, created (as objects and arrays) when missing.
fn get_mut_or_create<'v>(doc: &'v mut Value, steps: &[Step]) -> Option<&'v mut Value> {
    let mut v = doc;
    for step in steps {
        v = match step {
            Step::Key(k) => {
                if v.is_null() {
                    *v = Value::Object(Default::default());
                }
                v.as_object_mut()?.entry(k.clone()).or_insert(Value::Null)
            }
            Step::Index(i) => v.as_array_mut()?.get_mut(*i)?,
        };
    }
    Some(v)
}

/// Sets the value at `path`; `null` removes an object member. Returns whether the path exists.
pub fn set(doc: &mut Value, path: &str, value: Value) -> bool {
    let steps = steps(path);
    let Some((last, up)) = steps.split_last() else {
        *doc = value;
        return true;
    };
    let Some(parent) = get_mut_or_create(doc, up) else {
        return false;
    };
    match (last, parent) {
        (Step::Key(k), Value::Object(map)) if value.is_null() => {
            map.remove(k);
            true
        }
        (Step::Key(k), parent @ (Value::Object(_) | Value::Null)) => {
            if parent.is_null() {
                *parent = Value::Object(Default::default());
            }
            parent
                .as_object_mut()
                .map(|m| m.insert(k.clone(), value))
                .is_some()
        }
        (Step::Index(i), Value::Array(items)) if *i < items.len() => {
            items[*i] = value;
            true
        }
        _ => false,
    }
}

/// Inserts `value` at `index` of the array at `path` (created when missing), or appends it
/// when `index` is past the end.
pub fn insert(doc: &mut Value, path: &str, index: usize, value: Value) -> bool {
    let Some(target) = get_mut_or_create(doc, &steps(path)) else {
        return false;
    };
    if target.is_null() {
        *target = Value::Array(Vec::new());
    }
    let Some(items) = target.as_array_mut() else {
        return false;
    };
    items.insert(index.min(items.len()), value);
    true
}

/// Removes the array element or object member at `path`.
pub fn remove(doc: &mut Value, path: &str) -> bool {
    let steps = steps(path);
    let Some((last, up)) = steps.split_last() else {
        return false;
    };
    let Some(parent) = get_mut_or_create(doc, up) else {
        return false;
    };
    match (last, parent) {
        (Step::Key(k), Value::Object(map)) => map.remove(k).is_some(),
        (Step::Index(i), Value::Array(items)) if *i < items.len() => {
            items.remove(*i);
            true
        }
        _ => false,
    }
}

/// Moves element `from` of the array at `path` to position `to`.
pub fn move_item(doc: &mut Value, path: &str, from: usize, to: usize) -> bool {
    let Some(items) = get_mut_or_create(doc, &steps(path)).and_then(Value::as_array_mut) else {
        return false;
    };
    if from >= items.len() || to >= items.len() {
        return false;
    }
    let item = items.remove(from);
    items.insert(to, item);
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn set_insert_remove_move() {
        let mut doc = json!({"tiers": [{"name": "a"}, {"name": "b"}]});
        assert!(set(&mut doc, "tiers[1].name", json!("c")));
        assert!(set(&mut doc, "vpc.cidr", json!("10.0.0.0/16")));
        assert!(insert(&mut doc, "tiers", 0, json!({"name": "z"})));
        assert!(move_item(&mut doc, "tiers", 0, 2));
        assert!(remove(&mut doc, "tiers[0]"));
        assert!(set(&mut doc, "vpc.cidr", Value::Null));
        assert_eq!(
            doc,
            json!({"tiers": [{"name": "c"}, {"name": "z"}], "vpc": {}})
        );
        assert!(!set(&mut doc, "tiers[9].name", json!("x")));
        assert!(!remove(&mut doc, "tiers[9]"));
        assert_eq!(get(&doc, "tiers[1].name"), Some(&json!("z")));
    }

    #[test]
    fn quoted_keys_and_parents() {
        assert_eq!(
            steps("iam.roles[0].policies[x]"),
            [
                Step::Key("iam".into()),
                Step::Key("roles".into()),
                Step::Index(0),
                Step::Key("policies".into()),
                Step::Key("x".into())
            ]
        );
        assert_eq!(parent("a[0][1]"), Some("a[0]"));
    }
}
