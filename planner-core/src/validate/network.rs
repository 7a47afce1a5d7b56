//! The network's rules serde cannot express: a valid plan name and region, unique tier names,
//! zones in the region, sizes AWS accepts.

use std::collections::BTreeSet;

use crate::cidr::{block_size, Cidr, AWS_RESERVED_PER_SUBNET, MAX_AWS_PREFIX, MIN_AWS_PREFIX};
use crate::design::network::{
    AvailabilityZones, Design, NatStrategy, SubnetSize, TierKind, MAX_AZS,
};
use crate::error::InputError;

/// Checks the network part of `design`; the first broken rule is returned with its JSON path.
pub(crate) fn check(design: &Design) -> Result<(), InputError> {
    if !valid_plan_name(&design.name) {
        return Err(InputError::at(
            "name",
            format!(
                "expected 1-64 letters, digits, '-' or '_', got {:?}",
                design.name
            ),
        ));
    }
    if !valid_region(&design.region) {
        return Err(InputError::at(
            "region",
            format!(
                "expected an AWS region like us-east-1, got {:?}",
                design.region
            ),
        ));
    }
    match (&design.vpc, &design.availability_zones) {
        (Some(_), None) => {
            return Err(InputError::at(
                "availability_zones",
                "a design with a vpc needs availability_zones: a count from 1 to 6 or a list of zone names",
            ))
        }
        (None, _) => {
            let needs_vpc = [
                ("tiers", !design.tiers.is_empty()),
                ("security_groups", !design.security_groups.is_empty()),
                ("cidrs_in_use", !design.cidrs_in_use.is_empty()),
                ("unmanaged_blocks", !design.unmanaged_blocks.is_empty()),
                ("nat", design.nat != NatStrategy::None),
                ("instances", !design.instances.is_empty()),
            ];
            if let Some((field, _)) = needs_vpc.iter().find(|(_, set)| *set) {
                return Err(InputError::at(
                    *field,
                    format!("{field} needs a vpc: add \"vpc\": {{\"cidr\": …}} or remove {field}"),
                ));
            }
        }
        (Some(vpc), Some(_)) => {
            let blocks: Vec<Cidr> = std::iter::once(vpc.cidr)
                .chain(vpc.secondary_cidrs.iter().copied())
                .collect();
            for (i, b) in design.unmanaged_blocks.iter().enumerate() {
                if !blocks.iter().any(|v| v.contains(b.cidr)) {
                    return Err(InputError::at(
                        format!("unmanaged_blocks[{i}].cidr"),
                        format!(
                            "expected a block inside the VPC's blocks, got {}: ranges outside the VPC go in cidrs_in_use",
                            b.cidr
                        ),
                    ));
                }
            }
            if vpc.dns_hostnames && !vpc.dns_support {
                return Err(InputError::at(
                    "vpc.dns_hostnames",
                    "AWS refuses DNS hostnames without DNS support: set dns_hostnames to false, or dns_support to true",
                ));
            }
        }
    }
    if let Some(AvailabilityZones::Names(names)) = &design.availability_zones {
        if names.is_empty() || names.len() > MAX_AZS {
            return Err(InputError::at(
                "availability_zones",
                format!("expected 1 to {MAX_AZS} zone names, got {}", names.len()),
            ));
        }
        let mut seen = BTreeSet::new();
        for (i, n) in names.iter().enumerate() {
            let suffix = n.strip_prefix(design.region.as_str()).unwrap_or("");
            if suffix.is_empty()
                || !suffix
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-')
            {
                return Err(InputError::at(
                    format!("availability_zones[{i}]"),
                    format!(
                        "expected a zone of region {} such as {}a, got {n:?}",
                        design.region, design.region
                    ),
                ));
            }
            if !seen.insert(n) {
                return Err(InputError::at(
                    format!("availability_zones[{i}]"),
                    format!("zone {n} is listed twice"),
                ));
            }
        }
    }
    let mut seen = BTreeSet::new();
    for (i, t) in design.tiers.iter().enumerate() {
        if !valid_tier_name(&t.name) {
            return Err(InputError::at(
                format!("tiers[{i}].name"),
                format!(
                    "expected a lower-case letter then up to 31 lower-case letters, digits or '-', got {:?}",
                    t.name
                ),
            ));
        }
        if !seen.insert(t.name.as_str()) {
            return Err(InputError::at(
                format!("tiers[{i}].name"),
                format!("tier {} is defined twice", t.name),
            ));
        }
        // A subnet larger than AWS's largest (a /16) is refused at its field, not left to the
        // allocator: an editor passes through such values while "17" is typed into a prefix.
        // Smaller-than-AWS subnets (/29 to /32) plan, with NET001 saying why AWS refuses them.
        match t.size {
            SubnetSize::Prefix(p) if !(MIN_AWS_PREFIX..=32).contains(&p) => {
                return Err(InputError::at(
                    format!("tiers[{i}].size.prefix"),
                    format!("expected a prefix length from {MIN_AWS_PREFIX} to 32 (AWS takes /{MIN_AWS_PREFIX} to /{MAX_AWS_PREFIX} subnets), got {p}"),
                ))
            }
            SubnetSize::Hosts(0) => {
                return Err(InputError::at(
                    format!("tiers[{i}].size.hosts"),
                    "expected at least 1 host",
                ))
            }
            SubnetSize::Hosts(h) if u64::from(h) > max_hosts() => {
                return Err(InputError::at(
                    format!("tiers[{i}].size.hosts"),
                    format!(
                        "expected at most {} hosts (a /{MIN_AWS_PREFIX}, the largest subnet AWS takes, less the {AWS_RESERVED_PER_SUBNET} addresses it keeps), got {h}",
                        max_hosts()
                    ),
                ))
            }
            _ => {}
        }
        if t.ipv6_from_internet && t.kind != TierKind::Private {
            return Err(InputError::at(
                format!("tiers[{i}].ipv6_from_internet"),
                "only private tiers take ipv6_from_internet (public tiers already route IPv6 to the internet gateway; isolated ones have no route out)",
            ));
        }
        if t.max_azs == Some(0) {
            return Err(InputError::at(
                format!("tiers[{i}].max_azs"),
                "expected at least 1 availability zone",
            ));
        }
    }
    Ok(())
}

/// The most usable addresses a subnet AWS takes can hold.
fn max_hosts() -> u64 {
    block_size(MIN_AWS_PREFIX) - AWS_RESERVED_PER_SUBNET
}

fn valid_plan_name(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

pub(super) fn valid_tier_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && s.len() <= 32
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// `us-east-1`, `eu-central-2`, `us-gov-west-1`, `ap-southeast-4`…
fn valid_region(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() >= 3
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
        && parts[parts.len() - 1].chars().all(|c| c.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions() {
        for ok in ["us-east-1", "us-gov-west-1", "ap-southeast-4"] {
            assert!(valid_region(ok), "{ok}");
        }
        for bad in ["useast1", "us-east-", "US-EAST-1", "us-east-1a"] {
            assert!(!valid_region(bad), "{bad}");
        }
    }

    fn vpc_error(vpc: &str) -> Option<InputError> {
        let json = format!(
            r#"{{"name": "d", "region": "us-east-1", "vpc": {vpc}, "availability_zones": 1}}"#
        );
        crate::parse_design(&json).err()
    }

    #[test]
    fn dns_hostnames_need_dns_support() {
        let e = vpc_error(r#"{"cidr": "10.0.0.0/16", "dns_support": false}"#).expect("refused");
        assert_eq!(e.path, "vpc.dns_hostnames");
        assert!(e.message.contains("dns_support"), "{e}");
        let off = r#"{"cidr": "10.0.0.0/16", "dns_support": false, "dns_hostnames": false}"#;
        assert_eq!(vpc_error(off), None);
        assert_eq!(
            vpc_error(r#"{"cidr": "10.0.0.0/16", "dns_hostnames": false}"#),
            None
        );
    }

    #[test]
    fn tier_names() {
        assert!(valid_tier_name("app-2"));
        assert!(!valid_tier_name("2app"));
        assert!(!valid_tier_name("App"));
        assert!(!valid_tier_name(""));
    }
}
