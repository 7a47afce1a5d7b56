//! The JSON the security-group editor writes: new groups, rules and attachments, and
//! peers in the spellings of `planner_core::design::sg::Peer` (ports and protocols are
//! [`crate::fields`]'s). Only these shapes go into the design; whether their values are right is
//! the core's to say, at the field.

use planner_core::design::sg::MemberRole;
use serde_json::{json, Value};

use crate::path;

/// Every role an attachment may have, in the order the editor offers them.
pub const ROLES: [MemberRole; 10] = [
    MemberRole::LoadBalancer,
    MemberRole::ApiGateway,
    MemberRole::App,
    MemberRole::Database,
    MemberRole::Cache,
    MemberRole::Bastion,
    MemberRole::JumpHost,
    MemberRole::MasterNode,
    MemberRole::NatInstance,
    MemberRole::Generic,
];

/// What kind of peer a rule names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeerKind {
    /// `"internet"`.
    Internet,
    /// `"self"`.
    SelfGroup,
    /// `"vpc"`.
    Vpc,
    /// `{"group": name}`.
    Group,
    /// `{"tier": name}`.
    Tier,
    /// `{"cidr": block}`.
    Cidr,
    /// `{"ipv6_cidr": block}`.
    Ipv6Cidr,
    /// Something the design cannot hold; the core says why.
    Other,
}

impl PeerKind {
    /// The kinds the editor offers.
    pub const ALL: [PeerKind; 7] = [
        PeerKind::Internet,
        PeerKind::SelfGroup,
        PeerKind::Vpc,
        PeerKind::Group,
        PeerKind::Tier,
        PeerKind::Cidr,
        PeerKind::Ipv6Cidr,
    ];

    /// The JSON word: the string itself, or the object's one member.
    pub fn key(self) -> &'static str {
        match self {
            PeerKind::Internet => "internet",
            PeerKind::SelfGroup => "self",
            PeerKind::Vpc => "vpc",
            PeerKind::Group => "group",
            PeerKind::Tier => "tier",
            PeerKind::Cidr => "cidr",
            PeerKind::Ipv6Cidr => "ipv6_cidr",
            PeerKind::Other => "other",
        }
    }

    /// How the editor names it.
    pub fn label(self) -> &'static str {
        match self {
            PeerKind::Internet => "internet",
            PeerKind::SelfGroup => "self",
            PeerKind::Vpc => "the VPC",
            PeerKind::Group => "group",
            PeerKind::Tier => "tier",
            PeerKind::Cidr => "IPv4 CIDR",
            PeerKind::Ipv6Cidr => "IPv6 CIDR",
            PeerKind::Other => "(not a peer)",
        }
    }

    /// The kind spelled `key`.
    pub fn from_key(key: &str) -> PeerKind {
        PeerKind::ALL
            .into_iter()
            .find(|k| k.key() == key)
            .unwrap_or(PeerKind::Other)
    }

    /// The kind of the peer `value`.
    ///
    /// ```
    /// use planner_web::sg::json::PeerKind;
    /// use serde_json::json;
    /// assert_eq!(PeerKind::of(&json!("self")), PeerKind::SelfGroup);
    /// assert_eq!(PeerKind::of(&json!({"group": "db"})), PeerKind::Group);
    /// assert_eq!(PeerKind::of(&json!({"group": "db", "tier": "x"})), PeerKind::Other);
    /// ```
    pub fn of(value: &Value) -> PeerKind {
        match value {
            Value::String(s) => match PeerKind::from_key(s) {
                k @ (PeerKind::Internet | PeerKind::SelfGroup | PeerKind::Vpc) => k,
                _ => PeerKind::Other,
            },
            Value::Object(m) if m.len() == 1 => {
                match m.keys().next().map(|k| PeerKind::from_key(k)) {
                    Some(k) if k.takes_value() => k,
                    _ => PeerKind::Other,
                }
            }
            _ => PeerKind::Other,
        }
    }

    /// Whether the peer is an object holding a name or block.
    pub fn takes_value(self) -> bool {
        matches!(
            self,
            PeerKind::Group | PeerKind::Tier | PeerKind::Cidr | PeerKind::Ipv6Cidr
        )
    }
}

/// What a new peer's value is chosen from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Names {
    /// The group the rule belongs to.
    pub own: String,
    /// Every group of the design, in order.
    pub groups: Vec<String>,
    /// Every tier of the design, in order.
    pub tiers: Vec<String>,
}

impl Names {
    /// The names in `doc`, for a rule of the group at `group_path` (empty: of no group).
    pub fn of(doc: &Value, group_path: &str) -> Names {
        let own = match group_path {
            "" => None,
            g => path::get(doc, &format!("{g}.name")).and_then(Value::as_str),
        };
        Names {
            own: own.unwrap_or_default().to_owned(),
            groups: path::names(doc, "security_groups"),
            tiers: path::names(doc, "tiers"),
        }
    }
}

/// The peer of kind `kind`: `current` when it is of that kind already, else a starting value
/// (another group, the first tier, a private block).
///
/// ```
/// use planner_web::sg::json::{peer_value, Names, PeerKind};
/// use serde_json::json;
/// let names = Names { own: "db".into(), groups: vec!["db".into(), "app".into()], tiers: vec![] };
/// assert_eq!(peer_value(PeerKind::Group, &json!("vpc"), &names), json!({"group": "app"}));
/// assert_eq!(peer_value(PeerKind::Vpc, &json!({"group": "app"}), &names), json!("vpc"));
/// ```
pub fn peer_value(kind: PeerKind, current: &Value, names: &Names) -> Value {
    if PeerKind::of(current) == kind {
        return current.clone();
    }
    let first = |list: &[String]| list.first().cloned().unwrap_or_default();
    match kind {
        PeerKind::Internet | PeerKind::SelfGroup | PeerKind::Vpc => json!(kind.key()),
        PeerKind::Group => {
            let other = names.groups.iter().find(|g| **g != names.own);
            json!({"group": other.cloned().unwrap_or_else(|| names.own.clone())})
        }
        PeerKind::Tier => json!({"tier": first(&names.tiers)}),
        PeerKind::Cidr => json!({"cidr": "10.0.0.0/8"}),
        PeerKind::Ipv6Cidr => json!({"ipv6_cidr": "fc00::/7"}),
        PeerKind::Other => current.clone(),
    }
}

/// Which list of a group a rule is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Inbound.
    Ingress,
    /// Outbound.
    Egress,
}

impl Direction {
    /// The group's member holding the list.
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
}

/// A new rule: HTTPS in from the VPC, or out to the internet.
pub fn new_rule(direction: Direction) -> Value {
    let peer = match direction {
        Direction::Ingress => "vpc",
        Direction::Egress => "internet",
    };
    json!({"protocol": "tcp", "ports": 443, "peer": peer})
}

/// A new attachment: an app in the first private tier, else the first tier.
pub fn new_attachment(doc: &Value) -> Value {
    let tiers = path::get(doc, "tiers").and_then(Value::as_array);
    let name = |t: &Value| t.get("name").and_then(Value::as_str).map(str::to_owned);
    let tier = tiers
        .and_then(|ts| {
            ts.iter()
                .find(|t| t.get("kind").and_then(Value::as_str) == Some("private"))
                .or_else(|| ts.first())
        })
        .and_then(name)
        .unwrap_or_default();
    json!({"role": "app", "tier": tier})
}

/// A new group with a name no group of `doc` has, attached as [`new_attachment`] says when the
/// design has tiers.
pub fn new_group(doc: &Value) -> Value {
    let taken = Names::of(doc, "").groups;
    let name = (taken.len() + 1..)
        .map(|n| format!("group{n}"))
        .find(|n| !taken.contains(n))
        .expect("some number is free");
    let has_tiers = path::get(doc, "tiers")
        .and_then(Value::as_array)
        .is_some_and(|t| !t.is_empty());
    let attached: Vec<Value> = has_tiers.then(|| new_attachment(doc)).into_iter().collect();
    json!({"name": name, "description": name, "attached_to": attached, "ingress": []})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peer_kinds_round_trip() {
        let names = Names {
            own: "db".into(),
            groups: vec!["db".into()],
            tiers: vec!["public".into(), "private".into()],
        };
        for kind in PeerKind::ALL {
            let v = peer_value(kind, &json!("internet"), &names);
            assert_eq!(PeerKind::of(&v), kind, "{v}");
            assert_eq!(PeerKind::from_key(kind.key()), kind);
            let peer: planner_core::design::sg::Peer = serde_json::from_value(v.clone()).unwrap();
            assert_eq!(
                serde_json::to_value(peer).unwrap(),
                v,
                "the core's spelling"
            );
        }
        assert_eq!(
            peer_value(PeerKind::Group, &json!("self"), &names),
            json!({"group": "db"}),
            "the only group"
        );
        assert_eq!(PeerKind::of(&json!({"cidr": 3, "x": 1})), PeerKind::Other);
        assert_eq!(PeerKind::of(&json!("anywhere")), PeerKind::Other);
    }

    #[test]
    fn new_groups_get_free_names_and_a_tier() {
        let doc = json!({
            "tiers": [{"name": "web", "kind": "public"}, {"name": "app", "kind": "private"}],
            "security_groups": [{"name": "group2"}]
        });
        let g = new_group(&doc);
        assert_eq!(g["name"], json!("group3"));
        assert_eq!(g["attached_to"], json!([{"role": "app", "tier": "app"}]));
        let g: planner_core::design::sg::SecurityGroup = serde_json::from_value(g).unwrap();
        assert!(g.ingress.is_empty() && g.default_egress);
        assert_eq!(new_group(&json!({}))["attached_to"], json!([]));
        for d in [Direction::Ingress, Direction::Egress] {
            let r: planner_core::design::sg::Rule = serde_json::from_value(new_rule(d)).unwrap();
            assert_eq!(r.protocol, planner_core::design::sg::Protocol::Tcp);
        }
    }

    #[test]
    fn names_of_a_design() {
        let doc =
            json!({"tiers": [{"name": "a"}], "security_groups": [{"name": "x"}, {"name": "y"}]});
        let n = Names::of(&doc, "security_groups[1]");
        assert_eq!(
            (n.own.as_str(), n.groups.len(), n.tiers),
            ("y", 2, vec!["a".to_owned()])
        );
        assert!(ROLES
            .iter()
            .all(|r| serde_json::to_value(r).unwrap() == json!(r.as_str())));
    }
}
