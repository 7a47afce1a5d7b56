//! Instances in the design: bastions, jump hosts, master nodes, NAT instances, and their images.
//!
//! An instance is placed in a tier and an AZ, carries security groups and an instance profile,
//! and becomes an `instance` resource. NAT instances either run bare (one per AZ) or, as
//! TinyStacks runs them, in an auto-scaling group of one per AZ built from a launch template;
//! a NAT instance started by its group takes over its AZ's default route at boot.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::design::Design;
use crate::parse::InputError;

/// An EC2 instance the plan launches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Instance {
    /// Name (also the `Name` tag): letters, digits, `-` and `_`; unique in the design.
    pub name: String,
    /// What it is for.
    pub role: InstanceRole,
    /// Its image.
    pub ami: AmiSpec,
    /// Its instance type, e.g. `t3.micro`.
    pub instance_type: String,
    /// The tier whose subnet it is launched in.
    pub tier: String,
    /// The zone (default: the tier's first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
    /// Security groups of the design, by name.
    #[serde(default)]
    pub security_groups: Vec<String>,
    /// An instance profile of the design, by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_profile: Option<String>,
    /// An existing EC2 key pair for SSH.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_name: Option<String>,
    /// Whether it gets a public IPv4 address (default: whether its tier is public).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_address: Option<bool>,
    /// A shell script run at first boot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_data: Option<String>,
}

/// What an instance is for.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum InstanceRole {
    /// An SSH bastion in a public subnet.
    Bastion,
    /// A jump host in a public subnet.
    JumpHost,
    /// A cluster's master node.
    MasterNode,
    /// Forwards private subnets' IPv4 traffic to the internet.
    NatInstance,
    /// Anything else.
    Generic,
}

impl InstanceRole {
    /// The security-group member role of an instance of this role.
    pub fn member_role(self) -> crate::sg::MemberRole {
        use crate::sg::MemberRole;
        match self {
            InstanceRole::Bastion => MemberRole::Bastion,
            InstanceRole::JumpHost => MemberRole::JumpHost,
            InstanceRole::MasterNode => MemberRole::MasterNode,
            InstanceRole::NatInstance => MemberRole::NatInstance,
            InstanceRole::Generic => MemberRole::Generic,
        }
    }
}

/// An image: an id, a public SSM parameter, or an alias for a well-known one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum AmiSpec {
    /// A literal AMI id, e.g. `ami-0abcdef1234567890`.
    Id(String),
    /// A public SSM parameter holding an AMI id.
    SsmParameter(String),
    /// The latest image of a well-known distribution, resolved at apply time.
    Alias(AmiAlias),
}

/// Well-known images, each the latest of its line in the region when the plan is applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum AmiAlias {
    /// Amazon Linux 2023, arm64 (Graviton).
    #[serde(rename = "al2023-arm64")]
    Al2023Arm64,
    /// Amazon Linux 2023, x86_64.
    #[serde(rename = "al2023-x86_64")]
    Al2023X86_64,
    /// Ubuntu 24.04 LTS, arm64.
    #[serde(rename = "ubuntu-24.04-arm64")]
    Ubuntu2404Arm64,
    /// Ubuntu 24.04 LTS, amd64.
    #[serde(rename = "ubuntu-24.04-amd64")]
    Ubuntu2404Amd64,
}

impl AmiAlias {
    /// The public SSM parameter AWS (or Canonical) keeps current.
    pub fn ssm_parameter(self) -> &'static str {
        match self {
            AmiAlias::Al2023Arm64 => {
                "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"
            }
            AmiAlias::Al2023X86_64 => {
                "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
            }
            AmiAlias::Ubuntu2404Arm64 => {
                "/aws/service/canonical/ubuntu/server/24.04/stable/current/arm64/hvm/ebs-gp3/ami-id"
            }
            AmiAlias::Ubuntu2404Amd64 => {
                "/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id"
            }
        }
    }

    /// Whether the image is for arm64 (Graviton) instance types.
    pub fn is_arm64(self) -> bool {
        matches!(self, AmiAlias::Al2023Arm64 | AmiAlias::Ubuntu2404Arm64)
    }
}

impl AmiSpec {
    /// The plan's form: an id, or the SSM parameter the executor resolves.
    pub fn resolve(&self) -> crate::resource::Ami {
        use crate::resource::Ami;
        match self {
            AmiSpec::Id(id) => Ami::Id(id.clone()),
            AmiSpec::SsmParameter(p) => Ami::SsmParameter(p.clone()),
            AmiSpec::Alias(a) => Ami::SsmParameter(a.ssm_parameter().to_owned()),
        }
    }
}

/// Whether an instance type is a Graviton (arm64) one: `t4g.nano`, `c7gn.large`, `m8g.xlarge`.
pub fn is_arm64_type(instance_type: &str) -> bool {
    let family = instance_type.split('.').next().unwrap_or("");
    let generation_end = family
        .char_indices()
        .find(|(_, c)| c.is_ascii_digit())
        .map(|(i, _)| i + 1);
    generation_end.is_some_and(|i| family[i..].starts_with('g'))
}

/// How NAT instances run, when the design's NAT strategy uses them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NatInstances {
    /// Instance type.
    #[serde(default = "default_nat_type")]
    pub instance_type: String,
    /// Image; it must offer `iptables` and the AWS CLI (Amazon Linux 2023 does).
    #[serde(default = "default_nat_ami")]
    pub ami: AmiSpec,
    /// Run each in an auto-scaling group of one (replaced when it fails), as TinyStacks does.
    #[serde(default)]
    pub autoscaling: bool,
}

fn default_nat_type() -> String {
    crate::routing::NAT_INSTANCE_TYPE.to_owned()
}

fn default_nat_ami() -> AmiSpec {
    AmiSpec::Alias(AmiAlias::Al2023Arm64)
}

impl Default for NatInstances {
    fn default() -> Self {
        NatInstances {
            instance_type: default_nat_type(),
            ami: default_nat_ami(),
            autoscaling: false,
        }
    }
}

fn valid_name(s: &str) -> bool {
    (1..=128).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn valid_type(s: &str) -> bool {
    matches!(s.split_once('.'), Some((f, z)) if !f.is_empty() && !z.is_empty()
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-'))
}

/// The rules of instances that serde cannot express.
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

/// The name of the role (and instance profile) NAT instances in auto-scaling groups use to
/// take over their AZ's default route.
pub fn nat_role_name(design: &Design) -> String {
    format!("{}-nat-instance", design.name)
}

/// The tag a private route table carries when its default route belongs to the NAT instance
/// of an auto-scaling group in the tag's AZ; the instance looks for it at boot.
pub const NAT_ZONE_TAG: &str = "vpc-planner:nat-az";

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
            plan_tag = crate::executor_policy::PLAN_TAG,
            plan = design.name,
            zone_tag = NAT_ZONE_TAG,
        ));
    }
    s
}

/// The design with the IAM the planner adds: the role and instance profile of NAT instances
/// in auto-scaling groups.
pub(crate) fn with_nat_role(design: &Design) -> std::borrow::Cow<'_, Design> {
    use crate::iam::{InlinePolicy, InstanceProfile, Role};
    let uses = design.vpc.is_some()
        && design.nat.uses_instances()
        && design.nat_instances.autoscaling
        && design
            .tiers
            .iter()
            .any(|t| t.kind == crate::TierKind::Private);
    if !uses {
        return std::borrow::Cow::Borrowed(design);
    }
    let name = nat_role_name(design);
    let arn = |kind: &str| serde_json::json!({"join": ["arn:", {"ref": "partition"}, ":ec2:", {"ref": "region"}, ":", {"ref": "account_id"}, format!(":{kind}/*")]});
    let owned = serde_json::json!({"StringEquals": {format!("aws:ResourceTag/{}", crate::executor_policy::PLAN_TAG): design.name}});
    let document = |v: serde_json::Value| {
        serde_json::from_value(v).expect("the NAT role's documents follow the IAM grammar")
    };
    let mut d = design.clone();
    d.iam.roles.push(Role {
        name: name.clone(),
        path: "/".to_owned(),
        description: "NAT instances: take over their AZ's default route".to_owned(),
        trust_policy: document(serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]
        })),
        inline_policies: vec![InlinePolicy {
            name: "take-over-default-route".to_owned(),
            document: document(serde_json::json!({
                "Version": "2012-10-17",
                "Statement": [
                    {"Sid": "FindRouteTables", "Effect": "Allow", "Action": "ec2:DescribeRouteTables", "Resource": "*"},
                    {"Sid": "TakeOverDefaultRoute", "Effect": "Allow", "Action": ["ec2:CreateRoute", "ec2:ReplaceRoute"],
                     "Resource": arn("route-table"), "Condition": owned},
                    {"Sid": "DisableSourceDestCheck", "Effect": "Allow", "Action": "ec2:ModifyInstanceAttribute",
                     "Resource": arn("instance"), "Condition": owned}
                ]
            })),
        }],
        managed_policies: Vec::new(),
        max_session_duration: None,
        tags: Default::default(),
    });
    d.iam.instance_profiles.push(InstanceProfile {
        name: name.clone(),
        path: "/".to_owned(),
        role: name,
    });
    std::borrow::Cow::Owned(d)
}

/// Creates the NAT instance (or its auto-scaling group) for `az` in public subnet `subnet`, and
/// returns the route target private tables of that AZ use.
pub(crate) fn nat_instance(
    design: &Design,
    az: &str,
    subnet: &str,
    out: &mut Vec<crate::resource::Resource>,
) -> crate::resource::RouteTarget {
    use crate::resource::{Resource, ResourceKind, RouteTarget};
    let suffix = crate::routing::az_suffix(&design.region, az);
    let opts = &design.nat_instances;
    let group = crate::sg::group_id(crate::sg::NAT_GROUP);
    let igw = crate::routing::IGW_ID.to_owned();
    let name = |what: &str| format!("{}-{what}", design.name);
    let deps = |ids: &[&str]| {
        let mut v: Vec<String> = ids.iter().map(|s| (*s).to_owned()).collect();
        v.sort();
        v.dedup();
        v
    };
    if !opts.autoscaling {
        let id = format!("instance.nat.{suffix}");
        out.push(Resource {
            id: id.clone(),
            kind: ResourceKind::Instance {
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
            depends_on: deps(&[subnet, &group, &igw]),
        });
        return RouteTarget::Instance(id);
    }
    let template = "launch_template.nat-instance".to_owned();
    let profile = format!("iam_instance_profile.{}", nat_role_name(design));
    if !out.iter().any(|r| r.id == template) {
        out.push(Resource {
            id: template.clone(),
            kind: ResourceKind::LaunchTemplate {
                name: name("nat-instance"),
                ami: opts.ami.resolve(),
                instance_type: opts.instance_type.clone(),
                security_groups: vec![group.clone()],
                associate_public_ip_address: true,
                iam_instance_profile: Some(profile.clone()),
                user_data: Some(nat_user_data(design, true)),
            },
            depends_on: deps(&[&group, &profile]),
        });
    }
    let id = format!("autoscaling_group.nat.{suffix}");
    out.push(Resource {
        id: id.clone(),
        kind: ResourceKind::AutoscalingGroup {
            name: name(&format!("nat-{suffix}")),
            launch_template: template.clone(),
            subnet: subnet.to_owned(),
            availability_zone: az.to_owned(),
            size: 1,
        },
        depends_on: deps(&[&template, subnet, &igw]),
    });
    RouteTarget::AutoscalingGroup(id)
}

/// The design's own instances as resources.
pub(crate) fn resources(design: &Design, out: &mut Vec<crate::resource::Resource>) {
    use crate::resource::{Resource, ResourceKind};
    let azs = design.az_names();
    for inst in &design.instances {
        let Some(tier) = design.tiers.iter().find(|t| t.name == inst.tier) else {
            continue; // refused by `check`
        };
        let az = inst
            .availability_zone
            .clone()
            .or_else(|| design.tier_azs(tier, &azs).first().cloned())
            .unwrap_or_default();
        let subnet = crate::routing::subnet_id(&design.region, &tier.name, &az);
        let public = inst
            .public_address
            .unwrap_or(tier.kind == crate::TierKind::Public);
        let groups: Vec<String> = inst
            .security_groups
            .iter()
            .map(|g| crate::sg::group_id(g))
            .collect();
        let profile = inst
            .instance_profile
            .as_ref()
            .map(|p| format!("iam_instance_profile.{p}"));
        let mut depends_on: Vec<String> = std::iter::once(subnet.clone())
            .chain(groups.iter().cloned())
            .chain(profile.iter().cloned())
            .collect();
        if public {
            depends_on.push(crate::routing::IGW_ID.to_owned());
        }
        depends_on.sort();
        depends_on.dedup();
        out.push(Resource {
            id: format!("instance.{}", inst.name),
            kind: ResourceKind::Instance {
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
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graviton_types() {
        for t in ["t4g.nano", "c7gn.large", "m8g.xlarge", "r6gd.large"] {
            assert!(is_arm64_type(t), "{t}");
        }
        for t in [
            "t3.micro",
            "m5.large",
            "c6i.xlarge",
            "g5.xlarge",
            "t3a.nano",
        ] {
            assert!(!is_arm64_type(t), "{t}");
        }
    }
}
