//! Whether replacing the design needs the user's yes, the question put, and what an undo of a
//! removal is called.

use planner_core::alloc::Allocation;
use serde_json::Value;

use super::types::{Ask, Loaded};
use crate::path;

/// The design as it is now, as far as replacing it goes.
pub(super) struct Current<'a> {
    /// The design as edited.
    pub doc: &'a Value,
    /// Its baseline.
    pub baseline: Option<&'a Allocation>,
    /// Whether it has changes never exported.
    pub unsaved: bool,
}

/// The question to ask before `loaded` replaces `current`, or `None` when nothing would be
/// lost: the same design, or (for [`Ask::IfUnsaved`]) one whose changes were exported.
pub(super) fn question(current: &Current, loaded: &Loaded, ask: Ask) -> Option<String> {
    let same = *current.doc == loaded.doc && current.baseline == loaded.baseline.as_ref();
    if same || current.doc.is_null() {
        return None;
    }
    let name = |doc: &Value| doc["name"].as_str().unwrap_or_default().to_owned();
    let (mine, theirs) = (name(current.doc), name(&loaded.doc));
    match ask {
        Ask::IfUnsaved if !current.unsaved => None,
        Ask::IfUnsaved => Some(format!(
            "Replace your design “{mine}”? It has changes you have not exported."
        )),
        Ask::IfDifferent if current.unsaved => Some(format!(
            "Open the design “{theirs}” from the link in place of yours? Your design “{mine}” has changes you have not exported."
        )),
        Ask::IfDifferent => Some(format!(
            "Open the design “{theirs}” from the link in place of your design “{mine}”?"
        )),
    }
}

/// The lists of named things whose elements a removal takes out, by path.
const NAMED_LISTS: [&str; 7] = [
    "tiers",
    "network_acls",
    "security_groups",
    "iam.roles",
    "iam.policies",
    "iam.instance_profiles",
    "instances",
];

/// What an edit that replaced a whole value (the design as JSON) removed, if it shortened one
/// of the lists of named things: `removing instance “bastion”`.
pub(super) fn shortened(before: &Value, after: &Value) -> Option<String> {
    NAMED_LISTS.iter().find_map(|list| {
        let old = path::get(before, list)?.as_array()?;
        let new = path::get(after, list).and_then(Value::as_array);
        if new.map_or(0, Vec::len) >= old.len() {
            return None;
        }
        let gone = old
            .iter()
            .position(|o| new.is_none_or(|n| !n.contains(o)))
            .unwrap_or_default();
        Some(removal(before, &format!("{list}[{gone}]")))
    })
}

/// What removing `path` from `doc` is called in the undo button: `removing tier “app”`.
pub(super) fn removal(doc: &Value, path: &str) -> String {
    let noun = match path::parent(path).unwrap_or_default() {
        "tiers" => "tier",
        "network_acls" => "network ACL",
        "security_groups" => "security group",
        "iam.roles" => "role",
        "iam.policies" => "policy",
        "iam.instance_profiles" => "instance profile",
        "instances" => "instance",
        "cidrs_in_use" => "range in use",
        p if p.ends_with("ingress") || p.ends_with("egress") => "rule",
        _ => return format!("removing {path}"),
    };
    let value = path::get(doc, path);
    if let Some(n) = value
        .and_then(|v| v.get("rule_number"))
        .filter(|n| n.is_u64())
    {
        return format!("removing rule {n}");
    }
    let named = value
        .and_then(|v| v.get("name").or_else(|| v.get("cidr")))
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty());
    match named {
        Some(name) => format!("removing {noun} “{name}”"),
        None => format!("removing a {noun}"),
    }
}
