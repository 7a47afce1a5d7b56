//! The editor's words for the design's identifiers: NAT strategies, tier kinds and the default
//! network ACL read as a person would say them, with a line on what each choice does. The JSON
//! keeps its identifiers; only what is on screen changes.

use planner_core::design::DefaultNetworkAcl;
use planner_core::{NatStrategy, TierKind};

/// A NAT strategy as a choice reads.
pub fn nat_label(nat: NatStrategy) -> &'static str {
    match nat {
        NatStrategy::None => "No NAT",
        NatStrategy::SingleGateway => "One NAT gateway, shared",
        NatStrategy::GatewayPerAz => "A NAT gateway in each AZ",
        NatStrategy::InstancePerAz => "A NAT instance in each AZ",
        NatStrategy::SingleInstance => "One NAT instance, shared",
    }
}

/// What a NAT strategy does, in one line.
pub fn nat_help(nat: NatStrategy) -> &'static str {
    match nat {
        NatStrategy::None => {
            "Private tiers get no IPv4 route out: they are isolated until a NAT is chosen."
        }
        NatStrategy::SingleGateway => {
            "One managed gateway in the first AZ serves every AZ: cheapest managed choice, but that AZ's outage cuts every AZ's egress."
        }
        NatStrategy::GatewayPerAz => {
            "Each AZ's private subnets go out through their own managed gateway: no AZ depends on another (the CDK's default)."
        }
        NatStrategy::InstancePerAz => {
            "An EC2 instance does NAT in each AZ: cheaper than gateways for light traffic, but you patch and size them."
        }
        NatStrategy::SingleInstance => {
            "One EC2 instance in the first AZ does NAT for every AZ: the cheapest way out, for test and development networks."
        }
    }
}

/// A tier kind as a choice reads.
pub fn kind_label(kind: TierKind) -> &'static str {
    match kind {
        TierKind::Public => "Public (internet gateway)",
        TierKind::Private => "Private (out through NAT)",
        TierKind::Isolated => "Isolated (no internet)",
    }
}

/// Every tier kind with its JSON identifier, in the order a form offers them.
pub const KINDS: [(TierKind, &str); 3] = [
    (TierKind::Public, "public"),
    (TierKind::Private, "private"),
    (TierKind::Isolated, "isolated"),
];

/// The default network ACL's setting as a choice reads.
pub fn default_acl_label(acl: DefaultNetworkAcl) -> &'static str {
    match acl {
        DefaultNetworkAcl::AllowAll => "Allow all (AWS's rules, managed)",
        DefaultNetworkAcl::DenyAll => "Deny all",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_strategy_has_its_own_words() {
        let labels: std::collections::BTreeSet<_> =
            NatStrategy::ALL.iter().map(|n| nat_label(*n)).collect();
        assert_eq!(labels.len(), NatStrategy::ALL.len());
        for n in NatStrategy::ALL {
            assert!(!nat_label(n).contains('_'), "{n}");
            assert!(nat_help(n).ends_with('.'), "{n}");
        }
    }

    #[test]
    fn kinds_match_their_json() {
        for (kind, id) in KINDS {
            let json = serde_json::to_value(kind).unwrap();
            assert_eq!(json, id);
            assert!(kind_label(kind).to_lowercase().starts_with(id));
        }
    }
}
