//! The rules of instances (and of NAT instances' settings) that serde cannot express.

use crate::design::instances::AmiSpec;
use crate::design::network::Design;
use crate::error::InputError;

fn valid_name(s: &str) -> bool {
    (1..=128).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn valid_type(s: &str) -> bool {
    matches!(s.split_once('.'), Some((f, z)) if !f.is_empty() && !z.is_empty()
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-'))
}

/// The rules of instances that serde cannot express: unique names, instance types, tiers,
/// zones, security groups and instance profiles that exist.
pub(crate) fn check(design: &Design) -> Result<(), InputError> {
    let azs = design.az_names();
    let mut names = std::collections::BTreeSet::new();
    for (i, inst) in design.instances.iter().enumerate() {
        let at = |f: &str| format!("instances[{i}].{f}");
        if !valid_name(&inst.name) {
            return Err(InputError::at(
                at("name"),
                format!(
                    "expected 1-128 letters, digits, '-' or '_', got {:?}",
                    inst.name
                ),
            ));
        }
        if !names.insert(inst.name.as_str()) {
            return Err(InputError::at(
                at("name"),
                format!("instance {} is defined twice", inst.name),
            ));
        }
        if !valid_type(&inst.instance_type) {
            return Err(InputError::at(
                at("instance_type"),
                format!(
                    "expected an instance type like t3.micro, got {:?}",
                    inst.instance_type
                ),
            ));
        }
        let Some(tier) = design.tiers.iter().find(|t| t.name == inst.tier) else {
            return Err(InputError::at(
                at("tier"),
                format!("no tier named {:?}", inst.tier),
            ));
        };
        if let Some(az) = &inst.availability_zone {
            if !design.tier_azs(tier, &azs).contains(az) {
                return Err(InputError::at(
                    at("availability_zone"),
                    format!("tier {} has no subnet in {az}", tier.name),
                ));
            }
        }
        for (j, g) in inst.security_groups.iter().enumerate() {
            if !design.security_groups.iter().any(|sg| sg.name == *g) {
                return Err(InputError::at(
                    format!("instances[{i}].security_groups[{j}]"),
                    format!("no security group named {g:?}"),
                ));
            }
        }
        if let Some(p) = &inst.instance_profile {
            if !design.iam.instance_profiles.iter().any(|ip| ip.name == *p) {
                return Err(InputError::at(
                    at("instance_profile"),
                    format!("no instance profile named {p:?}"),
                ));
            }
        }
        if let AmiSpec::Id(id) = &inst.ami {
            if !id.starts_with("ami-") {
                return Err(InputError::at(
                    at("ami.id"),
                    format!("expected an AMI id like ami-0abc…, got {id:?}"),
                ));
            }
        }
    }
    if !valid_type(&design.nat_instances.instance_type) {
        return Err(InputError::at(
            "nat_instances.instance_type",
            format!(
                "expected an instance type like t4g.nano, got {:?}",
                design.nat_instances.instance_type
            ),
        ));
    }
    Ok(())
}
