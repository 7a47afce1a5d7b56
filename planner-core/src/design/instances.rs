//! Instances in the design: bastions, jump hosts, master nodes, NAT instances, and their images.
//!
//! An instance is placed in a tier and an AZ, carries security groups and an instance profile,
//! and becomes an `instance` resource. [`NatInstances`] says how NAT instances run: bare (one
//! per AZ) or, as TinyStacks runs them, in an auto-scaling group of one per AZ.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::sg::MemberRole;

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
    pub fn member_role(self) -> MemberRole {
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

/// The instance type of NAT instances: the smallest Graviton type.
pub const NAT_INSTANCE_TYPE: &str = "t4g.nano";

fn default_nat_type() -> String {
    NAT_INSTANCE_TYPE.to_owned()
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
