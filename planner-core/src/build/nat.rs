//! NAT: one NAT gateway or NAT instance per AZ with private subnets (or one in the first such
//! AZ), in a public subnet of that AZ, and the route target private tables of the AZ use.
//!
//! NAT instances either run bare (one per AZ) or, as TinyStacks runs them, in an auto-scaling
//! group of one per AZ built from a launch template; a NAT instance started by its group takes
//! over its AZ's default route at boot, with the role `effective` adds for it. Their security
//! group is `effective`'s too.

use crate::alloc::Allocation;
use crate::design::instances::InstanceRole;
use crate::design::network::{Design, TierKind};
use crate::error::PlanError;
use crate::ids::{
    az_suffix, group_id, instance_profile_id, nat_autoscaling_group_id, nat_elastic_ip_id,
    nat_gateway_id, nat_instance_id, nat_role_name, subnet_id, IGW_ID, NAT_GROUP,
    NAT_LAUNCH_TEMPLATE_ID, NAT_ZONE_TAG, PLAN_TAG,
};
use crate::resource::{Resource, ResourceKind, RouteTarget};

fn name(design: &Design, what: &str) -> String {
    format!("{}-{what}", design.name)
}

/// Creates the NAT gateways or instances and returns each AZ's route target.
pub(super) fn nat(
    design: &Design,
    azs: &[String],
    allocation: &Allocation,
    out: &mut Vec<Resource>,
) -> Result<Vec<(String, RouteTarget)>, PlanError> {
    let region = design.region.as_str();
    let private_azs: Vec<&String> = azs
        .iter()
        .filter(|az| {
            design
                .tiers
                .iter()
                .any(|t| t.kind == TierKind::Private && design.tier_azs(t, azs).contains(az))
        })
        .collect();
    let nat_azs: Vec<&String> = if design.nat.is_single() {
        private_azs.into_iter().take(1).collect()
    } else {
        private_azs
    };
    let mut targets = Vec::new();
    for az in nat_azs {
        let suffix = az_suffix(region, az);
        let host = design
            .tiers
            .iter()
            .filter(|t| t.kind == TierKind::Public)
            .find(|t| {
                allocation
                    .subnets
                    .iter()
                    .any(|s| s.tier == t.name && s.availability_zone == *az)
            })
            .ok_or_else(|| PlanError::NatWithoutPublicSubnet {
                nat: design.nat,
                availability_zone: az.clone(),
            })?;
        let subnet = subnet_id(region, &host.name, az);
        let target = if design.nat.uses_instances() {
            nat_instance(design, az, &subnet, out)
        } else {
            let eip = nat_elastic_ip_id(suffix);
            out.push(Resource::new(
                eip.clone(),
                ResourceKind::ElasticIp {
                    name: name(design, &format!("nat-{suffix}")),
                },
                None::<&str>,
            ));
            let id = nat_gateway_id(suffix);
            out.push(Resource::new(
                id.clone(),
                ResourceKind::NatGateway {
                    name: name(design, &format!("nat-{suffix}")),
                    subnet: subnet.clone(),
                    elastic_ip: eip.clone(),
                    availability_zone: az.clone(),
                },
                // A public NAT gateway needs the internet gateway attached to work.
                [subnet.as_str(), &eip, IGW_ID],
            ));
            RouteTarget::NatGateway(id)
        };
        targets.push((az.clone(), target));
    }
    Ok(targets)
}

/// NAT configuration for Amazon Linux 2023: forwarding on, masquerade out of the default
/// interface.
const NAT_SETUP: &str = r#"#!/bin/bash
set -euo pipefail
dnf install -y iptables-services
echo 'net.ipv4.ip_forward = 1' > /etc/sysctl.d/90-nat.conf
sysctl --system
iface=$(ip -o -4 route show to default | awk '{print $5; exit}')
iptables -t nat -A POSTROUTING -o "$iface" -j MASQUERADE
iptables -F FORWARD
service iptables save
systemctl enable --now iptables
"#;

/// First-boot script of a NAT instance.
fn nat_user_data(design: &Design, autoscaling: bool) -> String {
    let mut s = NAT_SETUP.to_owned();
    if autoscaling {
        // A replacement instance has a new id: it switches source/dest check off on itself and
        // points its AZ's private route tables at itself.
        s.push_str(&format!(
            r#"token=$(curl -sX PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 300')
md() {{ curl -s -H "X-aws-ec2-metadata-token: $token" "http://169.254.169.254/latest/meta-data/$1"; }}
id=$(md instance-id); az=$(md placement/availability-zone); region=$(md placement/region)
aws ec2 modify-instance-attribute --region "$region" --instance-id "$id" --no-source-dest-check
for rt in $(aws ec2 describe-route-tables --region "$region" \
    --filters "Name=tag:{plan_tag},Values={plan}" "Name=tag:{zone_tag},Values=$az" \
    --query 'RouteTables[].RouteTableId' --output text); do
  aws ec2 replace-route --region "$region" --route-table-id "$rt" --destination-cidr-block 0.0.0.0/0 --instance-id "$id" \
    || aws ec2 create-route --region "$region" --route-table-id "$rt" --destination-cidr-block 0.0.0.0/0 --instance-id "$id"
done
"#,
            plan_tag = PLAN_TAG,
            plan = design.name,
            zone_tag = NAT_ZONE_TAG,
        ));
    }
    s
}

/// Creates the NAT instance (or its auto-scaling group) for `az` in public subnet `subnet`, and
/// returns the route target private tables of that AZ use.
fn nat_instance(design: &Design, az: &str, subnet: &str, out: &mut Vec<Resource>) -> RouteTarget {
    let suffix = az_suffix(&design.region, az);
    let opts = &design.nat_instances;
    let group = group_id(NAT_GROUP);
    let igw = IGW_ID.to_owned();
    let name = |what: &str| name(design, what);
    if !opts.autoscaling {
        let id = nat_instance_id(suffix);
        out.push(Resource::new(
            id.clone(),
            ResourceKind::Instance {
                name: name(&format!("nat-{suffix}")),
                role: InstanceRole::NatInstance,
                subnet: subnet.to_owned(),
                availability_zone: az.to_owned(),
                ami: opts.ami.resolve(),
                instance_type: opts.instance_type.clone(),
                security_groups: vec![group.clone()],
                associate_public_ip_address: true,
                source_dest_check: false,
                iam_instance_profile: None,
                key_name: None,
                user_data: Some(nat_user_data(design, false)),
            },
            [subnet, &group, &igw],
        ));
        return RouteTarget::Instance(id);
    }
    let template = NAT_LAUNCH_TEMPLATE_ID.to_owned();
    let profile = instance_profile_id(&nat_role_name(&design.name));
    if !out.iter().any(|r| r.id == template) {
        out.push(Resource::new(
            template.clone(),
            ResourceKind::LaunchTemplate {
                name: name("nat-instance"),
                ami: opts.ami.resolve(),
                instance_type: opts.instance_type.clone(),
                security_groups: vec![group.clone()],
                associate_public_ip_address: true,
                iam_instance_profile: Some(profile.clone()),
                user_data: Some(nat_user_data(design, true)),
            },
            [&group, &profile],
        ));
    }
    let id = nat_autoscaling_group_id(suffix);
    out.push(Resource::new(
        id.clone(),
        ResourceKind::AutoscalingGroup {
            name: name(&format!("nat-{suffix}")),
            launch_template: template.clone(),
            subnet: subnet.to_owned(),
            availability_zone: az.to_owned(),
            size: 1,
        },
        [&template, subnet, &igw],
    ));
    RouteTarget::AutoscalingGroup(id)
}
