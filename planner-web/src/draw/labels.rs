//! The words the drawings share: a tier kind's name and CSS class, large numbers, and which
//! network ACL a subnet uses.

use std::collections::BTreeMap;

use planner_core::alloc::SubnetAllocation;
use planner_core::design::DefaultNetworkAcl;
use planner_core::{Design, Plan, ResourceKind, TierKind};

/// The kind of the tier named `tier`, if the design has it.
pub(super) fn tier_kind(design: &Design, tier: &str) -> Option<TierKind> {
    design.tiers.iter().find(|t| t.name == tier).map(|t| t.kind)
}

/// The CSS class (and legend word) of a tier kind; `unknown` for a tier the design lacks.
pub(super) fn kind_name(kind: Option<TierKind>) -> &'static str {
    match kind {
        Some(TierKind::Public) => "public",
        Some(TierKind::Private) => "private",
        Some(TierKind::Isolated) => "isolated",
        None => "unknown",
    }
}

/// `65536` → `65,536`.
pub(super) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Which network ACL a subnet uses, as the drawings mark it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum SubnetAcl {
    /// One of the design's ACLs, by name.
    Named(String),
    /// The VPC's default ACL, which the design sets to deny everything.
    DenyAll,
    /// The VPC's default ACL, allowing everything (as AWS makes it, or as the design sets it).
    Default,
}

impl SubnetAcl {
    /// The words on the subnet: `ACL edge`, `default: deny all`; none for the default.
    pub(super) fn badge(&self) -> Option<String> {
        match self {
            SubnetAcl::Named(name) => Some(format!("ACL {name}")),
            SubnetAcl::DenyAll => Some("default: deny all".to_owned()),
            SubnetAcl::Default => None,
        }
    }
}

/// The network ACL of every subnet of a plan, read from its associations.
pub(super) struct Acls {
    /// ACL name by subnet id.
    by_subnet: BTreeMap<String, String>,
    /// Whether the design sets the default ACL to deny everything.
    deny_all: bool,
}

impl Acls {
    /// The ACLs of `plan`'s subnets.
    pub(super) fn of(plan: &Plan) -> Acls {
        let by_subnet = plan
            .resources
            .iter()
            .filter_map(|r| match &r.kind {
                ResourceKind::NetworkAclAssociation {
                    network_acl,
                    subnet,
                } => Some((
                    subnet.clone(),
                    planner_core::ids::key(network_acl).to_owned(),
                )),
                _ => None,
            })
            .collect();
        let deny_all = plan.design.vpc.as_ref().and_then(|v| v.default_network_acl)
            == Some(DefaultNetworkAcl::DenyAll);
        Acls {
            by_subnet,
            deny_all,
        }
    }

    /// The ACL the subnet `s` of `plan` uses.
    pub(super) fn of_subnet(&self, plan: &Plan, s: &SubnetAllocation) -> SubnetAcl {
        let id = planner_core::ids::subnet_id(&plan.design.region, &s.tier, &s.availability_zone);
        match self.by_subnet.get(&id) {
            Some(name) => SubnetAcl::Named(name.clone()),
            None if self.deny_all => SubnetAcl::DenyAll,
            None => SubnetAcl::Default,
        }
    }
}
