//! The design's own instances (bastions, jump hosts, master nodes) as `instance` resources,
//! each in its tier's subnet of its zone, with its groups and instance profile.

use crate::design::instances::InstanceRole;
use crate::design::network::{Design, TierKind};
use crate::ids::{group_id, instance_id, instance_profile_id, subnet_id, IGW_ID};
use crate::resource::{Resource, ResourceKind};

/// The design's own instances as resources.
pub(crate) fn resources(design: &Design, out: &mut Vec<Resource>) {
    let azs = design.az_names();
    for inst in &design.instances {
        let Some(tier) = design.tiers.iter().find(|t| t.name == inst.tier) else {
            continue; // refused by `Design::check`
        };
        let az = inst
            .availability_zone
            .clone()
            .or_else(|| design.tier_azs(tier, &azs).first().cloned())
            .unwrap_or_default();
        let subnet = subnet_id(&design.region, &tier.name, &az);
        let public = inst.public_address.unwrap_or(tier.kind == TierKind::Public);
        let groups: Vec<String> = inst.security_groups.iter().map(|g| group_id(g)).collect();
        let profile = inst
            .instance_profile
            .as_ref()
            .map(|p| instance_profile_id(p));
        let mut depends_on: Vec<String> = std::iter::once(subnet.clone())
            .chain(groups.iter().cloned())
            .chain(profile.iter().cloned())
            .collect();
        if public {
            depends_on.push(IGW_ID.to_owned());
        }
        out.push(Resource::new(
            instance_id(&inst.name),
            ResourceKind::Instance {
                name: inst.name.clone(),
                role: inst.role,
                subnet,
                availability_zone: az,
                ami: inst.ami.resolve(),
                instance_type: inst.instance_type.clone(),
                security_groups: groups,
                associate_public_ip_address: public,
                source_dest_check: inst.role != InstanceRole::NatInstance,
                iam_instance_profile: profile,
                key_name: inst.key_name.clone(),
                user_data: inst.user_data.clone(),
            },
            depends_on,
        ));
    }
}
