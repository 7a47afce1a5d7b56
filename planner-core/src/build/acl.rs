//! Network ACLs as plan resources: one `network_acl` per ACL, one `network_acl_entry` per
//! rule, and one `network_acl_association` per subnet of the tiers it names. Subnets of other
//! tiers keep the VPC's default ACL. An association depends on its ACL's rules as well, so a
//! subnet is moved onto an ACL only once the ACL admits what the design says (a new ACL
//! denies everything until then).

use crate::alloc::Allocation;
use crate::design::acl::{AclRule, NetworkAcl};
use crate::design::network::Design;
use crate::ids::{
    network_acl_association_id, network_acl_entry_id, network_acl_id, subnet_id, VPC_ID,
};
use crate::resource::{Direction, Resource, ResourceKind};

/// Appends every ACL, its rules and its subnets' associations to `out`.
pub(crate) fn resources(design: &Design, allocation: &Allocation, out: &mut Vec<Resource>) {
    let region = design.region.as_str();
    for acl in &design.network_acls {
        let id = network_acl_id(&acl.name);
        let mut entries = Vec::new();
        out.push(Resource::new(
            id.clone(),
            ResourceKind::NetworkAcl {
                name: format!("{}-{}", design.name, acl.name),
                vpc: VPC_ID.to_owned(),
            },
            [VPC_ID],
        ));
        for (direction, rules) in [
            (Direction::Ingress, &acl.ingress),
            (Direction::Egress, &acl.egress),
        ] {
            let mut rules: Vec<&AclRule> = rules.iter().collect();
            rules.sort_by_key(|r| r.rule_number);
            for rule in rules {
                if let Some(entry) = entry(acl, direction, rule) {
                    entries.push(entry.id.clone());
                    out.push(entry);
                }
            }
        }
        for s in allocation
            .subnets
            .iter()
            .filter(|s| acl.tiers.contains(&s.tier))
        {
            let subnet = subnet_id(region, &s.tier, &s.availability_zone);
            out.push(Resource::new(
                network_acl_association_id(region, &s.tier, &s.availability_zone),
                ResourceKind::NetworkAclAssociation {
                    network_acl: id.clone(),
                    subnet: subnet.clone(),
                },
                [id.clone(), subnet]
                    .into_iter()
                    .chain(entries.iter().cloned()),
            ));
        }
    }
}

fn entry(acl: &NetworkAcl, direction: Direction, rule: &AclRule) -> Option<Resource> {
    let dir = match direction {
        Direction::Ingress => "in",
        Direction::Egress => "out",
    };
    let id = network_acl_id(&acl.name);
    Some(Resource::new(
        network_acl_entry_id(&acl.name, dir, rule.rule_number),
        ResourceKind::NetworkAclEntry {
            network_acl: id.clone(),
            direction,
            rule_number: rule.rule_number,
            action: rule.action,
            protocol: rule.protocol,
            ports: rule.ports,
            block: rule.block()?,
            description: rule.description.clone(),
        },
        [id],
    ))
}
