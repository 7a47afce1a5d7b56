//! The JSON the instances editor writes and reads: new instances, the words for roles, the
//! zones a tier's subnets are in, and a name list with one name put in or taken out. Only
//! these shapes go into the design; whether their values are right is the core's to say, at
//! the field.

use planner_core::design::instances::InstanceRole;
use serde_json::{json, Value};

use crate::path;

/// Every role an instance may have, in the order the editor offers them.
pub const ROLES: [InstanceRole; 5] = [
    InstanceRole::Bastion,
    InstanceRole::JumpHost,
    InstanceRole::MasterNode,
    InstanceRole::Generic,
    InstanceRole::NatInstance,
];

/// Instance types offered as suggestions (any other may be typed).
pub const INSTANCE_TYPES: [&str; 14] = [
    "t3.nano",
    "t3.micro",
    "t3.small",
    "t3.medium",
    "t3.large",
    "t3.xlarge",
    "t4g.nano",
    "t4g.micro",
    "t4g.small",
    "t4g.medium",
    "m7i.large",
    "m7g.large",
    "c7i.large",
    "r7i.large",
];

/// A role's JSON spelling, e.g. `jump_host`.
///
/// ```
/// use planner_core::design::instances::InstanceRole;
/// use planner_web::instances::json::role_key;
/// assert_eq!(role_key(InstanceRole::JumpHost), "jump_host");
/// ```
pub fn role_key(role: InstanceRole) -> String {
    match serde_json::to_value(role) {
        Ok(Value::String(s)) => s,
        _ => String::new(),
    }
}

/// A role in the user's words.
pub fn role_label(role: InstanceRole) -> &'static str {
    match role {
        InstanceRole::Bastion => "Bastion host",
        InstanceRole::JumpHost => "Jump host",
        InstanceRole::MasterNode => "Master node",
        InstanceRole::Generic => "Other instance",
        InstanceRole::NatInstance => "NAT instance (your own)",
    }
}

/// The role spelled `key`, if it is one.
pub fn role_of(key: &str) -> Option<InstanceRole> {
    ROLES.into_iter().find(|r| role_key(*r) == key)
}

/// What a new instance of `role` is called before the user names it.
fn base_name(role: InstanceRole) -> &'static str {
    match role {
        InstanceRole::Bastion => "bastion",
        InstanceRole::JumpHost => "jump-host",
        InstanceRole::MasterNode => "master-node",
        InstanceRole::Generic => "instance",
        InstanceRole::NatInstance => "nat",
    }
}

/// `base`, or `base2`, `base3`, … : the first name not in `taken`.
pub fn fresh_name(base: &str, taken: &[String]) -> String {
    std::iter::once(base.to_owned())
        .chain((2..).map(|n| format!("{base}{n}")))
        .find(|n| !taken.contains(n))
        .expect("some number is free")
}

/// The name of the first tier of `kind`, else of the first tier.
fn first_tier(doc: &Value, kind: &str) -> String {
    let tiers = path::get(doc, "tiers").and_then(Value::as_array);
    tiers
        .and_then(|ts| {
            ts.iter()
                .find(|t| t.get("kind").and_then(Value::as_str) == Some(kind))
                .or_else(|| ts.first())
        })
        .and_then(|t| t.get("name").and_then(Value::as_str))
        .unwrap_or_default()
        .to_owned()
}

/// A new instance of `role` with a name no instance of `doc` has: a bastion or jump host in
/// the first public tier, anything else in the first private one; Amazon Linux 2023 on a
/// `t3.micro`, in no group.
///
/// ```
/// use planner_core::design::instances::InstanceRole;
/// use planner_web::instances::json::new_instance;
/// use serde_json::json;
/// let doc = json!({"tiers": [{"name": "app", "kind": "private"}, {"name": "web", "kind": "public"}],
///                  "instances": [{"name": "bastion"}]});
/// let i = new_instance(&doc, InstanceRole::Bastion);
/// assert_eq!((i["name"].as_str(), i["tier"].as_str()), (Some("bastion2"), Some("web")));
/// assert_eq!(new_instance(&doc, InstanceRole::MasterNode)["tier"], "app");
/// ```
pub fn new_instance(doc: &Value, role: InstanceRole) -> Value {
    let taken = path::names(doc, "instances");
    let tier_kind = match role {
        InstanceRole::Bastion | InstanceRole::JumpHost | InstanceRole::NatInstance => "public",
        InstanceRole::MasterNode | InstanceRole::Generic => "private",
    };
    json!({
        "name": fresh_name(base_name(role), &taken),
        "role": role_key(role),
        "ami": {"alias": "al2023-x86_64"},
        "instance_type": "t3.micro",
        "tier": first_tier(doc, tier_kind),
        "security_groups": []
    })
}

/// The zones the subnets of the tier named `tier` are in, in order: the design's zones (a
/// count of the region's or their names), the first `max_azs` of them. None for a tier the
/// design does not have.
///
/// ```
/// use planner_web::instances::json::tier_zones;
/// use serde_json::json;
/// let doc = json!({"region": "eu-west-1", "availability_zones": 3,
///                  "tiers": [{"name": "public", "max_azs": 1}, {"name": "app"}]});
/// assert_eq!(tier_zones(&doc, "public"), ["eu-west-1a"]);
/// assert_eq!(tier_zones(&doc, "app"), ["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
/// assert!(tier_zones(&doc, "db").is_empty());
/// ```
pub fn tier_zones(doc: &Value, tier: &str) -> Vec<String> {
    let Some(t) = path::get(doc, "tiers")
        .and_then(Value::as_array)
        .and_then(|ts| ts.iter().find(|t| t["name"].as_str() == Some(tier)))
    else {
        return Vec::new();
    };
    let region = doc["region"].as_str().unwrap_or_default();
    let zones: Vec<String> = match &doc["availability_zones"] {
        Value::Number(n) => (b'a'..=b'z')
            .take(n.as_u64().map_or(0, |n| n.min(26) as usize))
            .map(|l| format!("{region}{}", char::from(l)))
            .collect(),
        Value::Array(names) => names
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    };
    let n = t["max_azs"]
        .as_u64()
        .map_or(zones.len(), |m| (m as usize).min(zones.len()));
    zones.into_iter().take(n).collect()
}

/// The strings of the array `value` (none when it is not one).
pub fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// `chosen` with `name` put in (last, keeping the order) or taken out.
///
/// ```
/// use planner_web::instances::json::toggled;
/// let chosen = vec!["a".to_owned(), "b".to_owned()];
/// assert_eq!(toggled(&chosen, "c", true), ["a", "b", "c"]);
/// assert_eq!(toggled(&chosen, "a", false), ["b"]);
/// assert_eq!(toggled(&chosen, "a", true), ["a", "b"]);
/// ```
pub fn toggled(chosen: &[String], name: &str, on: bool) -> Vec<String> {
    let mut out: Vec<String> = chosen.iter().filter(|c| *c != name).cloned().collect();
    if on {
        match chosen.iter().position(|c| c == name) {
            Some(i) => out.insert(i, name.to_owned()),
            None => out.push(name.to_owned()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use planner_core::design::instances::Instance;

    #[test]
    fn new_instances_are_instances_the_core_reads() {
        let doc = json!({"tiers": [{"name": "public", "kind": "public"}]});
        for role in ROLES {
            let v = new_instance(&doc, role);
            let i: Instance = serde_json::from_value(v.clone()).unwrap();
            assert_eq!(i.role, role);
            assert_eq!(role_of(&role_key(role)), Some(role));
            assert_eq!(i.tier, "public", "the only tier");
        }
        assert_eq!(role_of("router"), None);
        assert_eq!(new_instance(&json!({}), InstanceRole::Generic)["tier"], "");
    }

    #[test]
    fn names_are_fresh_and_zones_follow_the_design() {
        let taken = ["nat".to_owned(), "nat2".to_owned()];
        assert_eq!(fresh_name("nat", &taken), "nat3");
        let doc = json!({"region": "us-east-1", "availability_zones": ["us-east-1c", "us-east-1f"],
                         "tiers": [{"name": "a", "max_azs": 5}]});
        assert_eq!(tier_zones(&doc, "a"), ["us-east-1c", "us-east-1f"]);
        assert_eq!(
            strings(Some(&json!(["x", 1, "y"]))),
            ["x".to_owned(), "y".to_owned()]
        );
    }
}
