//! The JSON the network ACL editor writes and reads: new ACLs and rules (numbered as the
//! console suggests), the order rules are shown in (their evaluation order), which ACL holds a
//! tier, and a rule's one block. Only these shapes go into the design; whether their values are
//! right is the core's to say, at the field.

use std::collections::BTreeMap;

use planner_core::design::acl::{AclAction, MAX_RULE_NUMBER};
use serde_json::{json, Map, Value};

use crate::path;

/// Allow and deny, in the order the editor offers them.
pub const ACTIONS: [AclAction; 2] = [AclAction::Allow, AclAction::Deny];

/// Which list of an ACL a rule is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Inbound: the block is the source.
    Ingress,
    /// Outbound: the block is the destination.
    Egress,
}

impl Direction {
    /// Both, in the order the editor shows them.
    pub const ALL: [Direction; 2] = [Direction::Ingress, Direction::Egress];

    /// The ACL's member holding the list.
    pub fn key(self) -> &'static str {
        match self {
            Direction::Ingress => "ingress",
            Direction::Egress => "egress",
        }
    }

    /// A heading.
    pub fn label(self) -> &'static str {
        match self {
            Direction::Ingress => "Inbound rules",
            Direction::Egress => "Outbound rules",
        }
    }

    /// What the block is to the traffic, as a column heading.
    pub fn block_label(self) -> &'static str {
        match self {
            Direction::Ingress => "Source",
            Direction::Egress => "Destination",
        }
    }
}

/// A rule's number as the design holds it, when it is a whole number.
fn number(rule: &Value) -> Option<u64> {
    rule.get("rule_number").and_then(Value::as_u64)
}

/// The indices of `rules` in the order AWS evaluates them: by rule number, lowest first; rules
/// without a number (still being typed) last, in the design's order.
///
/// ```
/// use planner_web::acl::json::display_order;
/// use serde_json::json;
/// let rules = json!([{"rule_number": 200}, {"rule_number": "1x"}, {"rule_number": 100}]);
/// assert_eq!(display_order(Some(&rules)), [2, 0, 1]);
/// ```
pub fn display_order(rules: Option<&Value>) -> Vec<usize> {
    let rules = rules
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    let mut order: Vec<usize> = (0..rules.len()).collect();
    order.sort_by_key(|&i| (number(&rules[i]).is_none(), number(&rules[i]), i));
    order
}

/// The number a new rule gets: the next multiple of 100 above the highest, as the console
/// suggests; when that is past AWS's last number, the first free multiple of 10, then the
/// first free number.
///
/// ```
/// use planner_web::acl::json::next_rule_number;
/// use serde_json::json;
/// assert_eq!(next_rule_number(None), 100);
/// assert_eq!(next_rule_number(Some(&json!([{"rule_number": 100}, {"rule_number": 150}]))), 200);
/// assert_eq!(next_rule_number(Some(&json!([{"rule_number": 32700}]))), 10);
/// ```
pub fn next_rule_number(rules: Option<&Value>) -> u64 {
    let taken: Vec<u64> = rules
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(number).collect())
        .unwrap_or_default();
    let max = u64::from(MAX_RULE_NUMBER);
    let next = (taken.iter().max().copied().unwrap_or(0) / 100 + 1) * 100;
    if next <= max {
        return next;
    }
    let free = |n: &u64| !taken.contains(n);
    (1..=max / 10)
        .map(|n| n * 10)
        .find(free)
        .or_else(|| (1..=max).find(free))
        .unwrap_or(max)
}

/// A new rule of `direction` after `rules`: HTTPS in from anywhere, or replies out to
/// anywhere's ephemeral ports (ACLs are stateless: replies need their own rule).
pub fn new_rule(direction: Direction, rules: Option<&Value>) -> Value {
    let n = next_rule_number(rules);
    match direction {
        Direction::Ingress => json!({
            "rule_number": n, "action": "allow", "protocol": "tcp", "ports": 443,
            "cidr": "0.0.0.0/0"
        }),
        Direction::Egress => json!({
            "rule_number": n, "action": "allow", "protocol": "tcp", "ports": "1024-65535",
            "cidr": "0.0.0.0/0"
        }),
    }
}

/// A new ACL with a name no ACL of `doc` has, in no tier and with no rules.
pub fn new_acl(doc: &Value) -> Value {
    let taken = path::names(doc, "network_acls");
    let name = (taken.len() + 1..)
        .map(|n| format!("acl{n}"))
        .find(|n| !taken.contains(n))
        .expect("some number is free");
    json!({"name": name, "tiers": [], "ingress": [], "egress": []})
}

/// For each tier some ACL names, the first ACL (its index) that does.
pub fn tier_owners(doc: &Value) -> BTreeMap<String, usize> {
    let mut owners = BTreeMap::new();
    let acls = path::get(doc, "network_acls").and_then(Value::as_array);
    for (i, acl) in acls.into_iter().flatten().enumerate() {
        let tiers = acl.get("tiers").and_then(Value::as_array);
        for t in tiers.into_iter().flatten().filter_map(Value::as_str) {
            owners.entry(t.to_owned()).or_insert(i);
        }
    }
    owners
}

/// Which kind of block a rule matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// `cidr`.
    Ipv4,
    /// `ipv6_cidr`.
    Ipv6,
}

impl BlockKind {
    /// Both.
    pub const ALL: [BlockKind; 2] = [BlockKind::Ipv4, BlockKind::Ipv6];

    /// The kind of `rule`'s block: IPv6 when it has `ipv6_cidr` and no `cidr`.
    pub fn of(rule: &Value) -> BlockKind {
        let has = |k: &str| rule.get(k).is_some_and(|v| !v.is_null());
        if has("ipv6_cidr") && !has("cidr") {
            BlockKind::Ipv6
        } else {
            BlockKind::Ipv4
        }
    }

    /// The rule's member holding the block.
    pub fn key(self) -> &'static str {
        match self {
            BlockKind::Ipv4 => "cidr",
            BlockKind::Ipv6 => "ipv6_cidr",
        }
    }
}

/// The edit that puts the block typed as `text` into the rule at `rule_path` (now `rule`):
/// the path and value of one [`crate::state::Action::Set`]. Text with a `:` is an IPv6 block
/// (`ipv6_cidr`), other text IPv4 (`cidr`); when that changes the kind, the whole rule is set,
/// without the other member, since a rule matches one block.
///
/// ```
/// use planner_web::acl::json::block_edit;
/// use serde_json::json;
/// let rule = json!({"rule_number": 100, "cidr": "10.0.0.0/8"});
/// assert_eq!(block_edit(&rule, "r", "10.1.0.0/16"), ("r.cidr".to_owned(), json!("10.1.0.0/16")));
/// assert_eq!(
///     block_edit(&rule, "r", "::/0"),
///     ("r".to_owned(), json!({"rule_number": 100, "ipv6_cidr": "::/0"}))
/// );
/// ```
pub fn block_edit(rule: &Value, rule_path: &str, text: &str) -> (String, Value) {
    let text = text.trim();
    let (kind, other) = if text.contains(':') {
        (BlockKind::Ipv6, BlockKind::Ipv4)
    } else {
        (BlockKind::Ipv4, BlockKind::Ipv6)
    };
    if rule.get(other.key()).is_none_or(Value::is_null) {
        return (format!("{rule_path}.{}", kind.key()), Value::from(text));
    }
    let mut rule = rule.as_object().cloned().unwrap_or_else(Map::new);
    rule.remove(other.key());
    rule.insert(kind.key().to_owned(), Value::from(text));
    (rule_path.to_owned(), Value::Object(rule))
}

#[cfg(test)]
mod tests {
    use super::*;
    use planner_core::design::acl::{AclRule, NetworkAcl};

    #[test]
    fn new_rules_and_acls_are_what_the_core_reads() {
        for d in Direction::ALL {
            let r: AclRule = serde_json::from_value(new_rule(d, None)).unwrap();
            assert_eq!((r.rule_number, r.action), (100, AclAction::Allow));
        }
        let doc = json!({"network_acls": [{"name": "acl2"}]});
        let acl: NetworkAcl = serde_json::from_value(new_acl(&doc)).unwrap();
        assert_eq!(acl.name, "acl3");
        assert_eq!(new_acl(&json!({}))["name"], json!("acl1"));
        assert!(ACTIONS
            .iter()
            .all(|a| serde_json::to_value(a).unwrap() == json!(a.as_str())));
    }

    #[test]
    fn numbers_step_by_a_hundred_then_fill_gaps() {
        let rules = |ns: &[u64]| {
            json!(ns
                .iter()
                .map(|n| json!({"rule_number": n}))
                .collect::<Vec<_>>())
        };
        assert_eq!(next_rule_number(Some(&rules(&[]))), 100);
        assert_eq!(next_rule_number(Some(&rules(&[99]))), 100);
        assert_eq!(next_rule_number(Some(&rules(&[100]))), 200);
        assert_eq!(next_rule_number(Some(&rules(&[32600]))), 32700);
        assert_eq!(next_rule_number(Some(&rules(&[10, 32766]))), 20);
        let tens: Vec<u64> = (1..=3276).map(|n| n * 10).collect();
        assert_eq!(next_rule_number(Some(&rules(&tens))), 1);
        // What is not a number yet takes no number.
        assert_eq!(next_rule_number(Some(&json!([{"rule_number": "3"}]))), 100);
    }

    #[test]
    fn rules_show_in_evaluation_order() {
        let rules = json!([
            {"rule_number": 300}, {"rule_number": 100}, {}, {"rule_number": 200}, {"rule_number": -1}
        ]);
        assert_eq!(display_order(Some(&rules)), [1, 3, 0, 2, 4]);
        assert!(display_order(None).is_empty());
    }

    #[test]
    fn a_tier_belongs_to_the_first_acl_naming_it() {
        let doc = json!({"network_acls": [
            {"name": "a", "tiers": ["web"]},
            {"name": "b", "tiers": ["db", "web"]}
        ]});
        let owners = tier_owners(&doc);
        assert_eq!((owners["web"], owners["db"]), (0, 1));
        assert!(tier_owners(&json!({})).is_empty());
    }

    #[test]
    fn a_rule_has_one_block() {
        let both = json!({"cidr": "10.0.0.0/8", "ipv6_cidr": "::/0"});
        assert_eq!(BlockKind::of(&both), BlockKind::Ipv4);
        assert_eq!(
            block_edit(&both, "r", "10.0.0.0/9"),
            ("r".to_owned(), json!({"cidr": "10.0.0.0/9"}))
        );
        let v6 = json!({"ipv6_cidr": "::/0"});
        assert_eq!(BlockKind::of(&v6), BlockKind::Ipv6);
        assert_eq!(
            block_edit(&v6, "r", " 2001:db8::/32 "),
            ("r.ipv6_cidr".to_owned(), json!("2001:db8::/32"))
        );
        assert_eq!(
            block_edit(&v6, "r", "2001"),
            ("r".to_owned(), json!({"cidr": "2001"})),
            "not IPv6 yet: the core says what is wrong at cidr"
        );
        assert_eq!(
            block_edit(&json!({}), "r", ""),
            ("r.cidr".to_owned(), json!(""))
        );
    }
}
