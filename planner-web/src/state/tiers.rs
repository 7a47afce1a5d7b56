//! Which network ACL a tier is in: one place for the rule that a tier is in one ACL at most,
//! so moving a tier from one ACL to another is one edit.

use serde_json::Value;

/// Puts `tier` in the `tiers` of `network_acls[acl]` (appended, unless it is there) and takes
/// it out of every other ACL's; with `None`, out of all. Returns whether the design changed;
/// an `acl` the design lacks changes nothing.
pub(super) fn place_tier(doc: &mut Value, tier: &str, acl: Option<usize>) -> bool {
    let Some(acls) = doc.get_mut("network_acls").and_then(Value::as_array_mut) else {
        return false;
    };
    if acl.is_some_and(|i| !acls.get(i).is_some_and(Value::is_object)) {
        return false;
    }
    let mut changed = false;
    for (i, a) in acls.iter_mut().enumerate() {
        let Some(a) = a.as_object_mut() else { continue };
        let tiers = a.entry("tiers").or_insert_with(|| Value::Array(Vec::new()));
        let Some(list) = tiers.as_array_mut() else {
            if acl == Some(i) {
                *tiers = Value::Array(vec![Value::from(tier)]);
                changed = true;
            }
            continue;
        };
        let here = list.iter().filter(|t| t.as_str() == Some(tier)).count();
        let keep = usize::from(acl == Some(i));
        if here == keep {
            continue;
        }
        changed = true;
        if keep == 1 && here == 0 {
            list.push(Value::from(tier));
            continue;
        }
        // Keep the first mention where the tier stays, drop every other.
        let mut kept = 0;
        list.retain(|t| {
            if t.as_str() != Some(tier) {
                return true;
            }
            kept += 1;
            kept <= keep
        });
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn acls() -> Value {
        json!({"network_acls": [
            {"name": "edge", "tiers": ["web"]},
            {"name": "data"},
            {"name": "odd", "tiers": ["db", "web", "db"]}
        ]})
    }

    fn tiers(doc: &Value) -> Vec<Value> {
        doc["network_acls"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.get("tiers").cloned().unwrap_or(Value::Null))
            .collect()
    }

    #[test]
    fn moving_a_tier_takes_it_out_of_every_other_acl() {
        let mut doc = acls();
        assert!(place_tier(&mut doc, "web", Some(1)));
        assert_eq!(
            tiers(&doc),
            [json!([]), json!(["web"]), json!(["db", "db"])]
        );
        assert!(!place_tier(&mut doc, "web", Some(1)), "already there");
        assert!(place_tier(&mut doc, "db", Some(2)), "a tier listed twice");
        assert_eq!(tiers(&doc)[2], json!(["db"]));
        assert!(place_tier(&mut doc, "db", None));
        assert_eq!(tiers(&doc), [json!([]), json!(["web"]), json!([])]);
    }

    #[test]
    fn an_acl_the_design_lacks_changes_nothing() {
        let mut doc = acls();
        assert!(!place_tier(&mut doc, "web", Some(3)));
        assert_eq!(doc, acls());
        assert!(!place_tier(&mut json!({}), "web", Some(0)));
        assert!(!place_tier(&mut json!({}), "web", None));
    }
}
