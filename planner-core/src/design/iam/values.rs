//! [`ApplyValues`]: the values references stand for, learned by the executor at apply time or
//! stood in for offline, and how a reference resolves against a design.

use super::reference::Reference;
use crate::design::network::Design;

/// The values the executor learns at apply time, or stand-ins for them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApplyValues {
    /// The account's 12-digit id.
    pub account_id: String,
    /// `aws`, `aws-cn` or `aws-us-gov`.
    pub partition: String,
    /// The region.
    pub region: String,
    /// The VPC's id.
    pub vpc_id: String,
}

/// The partition a region belongs to.
///
/// ```
/// assert_eq!(planner_core::design::iam::partition_of("cn-north-1"), "aws-cn");
/// assert_eq!(planner_core::design::iam::partition_of("eu-west-1"), "aws");
/// ```
pub fn partition_of(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else if region.starts_with("us-iso-") {
        "aws-iso"
    } else if region.starts_with("us-isob-") {
        "aws-iso-b"
    } else {
        "aws"
    }
}

impl ApplyValues {
    /// Stand-ins of realistic length for offline checks: account `123456789012`, the
    /// design's region and partition, VPC `vpc-0123456789abcdef0`.
    pub fn stand_in(design: &Design) -> Self {
        ApplyValues {
            account_id: "123456789012".to_owned(),
            partition: partition_of(&design.region).to_owned(),
            region: design.region.clone(),
            vpc_id: "vpc-0123456789abcdef0".to_owned(),
        }
    }

    /// The value of `r` for `design`: ARNs are built from the partition, the account and the
    /// path and name the design gives the role, policy or instance profile. `None` for a name
    /// not in the design.
    pub fn resolve(&self, design: &Design, r: &Reference) -> Option<String> {
        let iam_arn = |kind: &str, path: &str, name: &str| {
            format!(
                "arn:{}:iam::{}:{kind}{path}{name}",
                self.partition, self.account_id
            )
        };
        let iam = &design.iam;
        Some(match r {
            Reference::AccountId => self.account_id.clone(),
            Reference::Region => self.region.clone(),
            Reference::Partition => self.partition.clone(),
            Reference::VpcId => self.vpc_id.clone(),
            Reference::VpcArn => format!(
                "arn:{}:ec2:{}:{}:vpc/{}",
                self.partition, self.region, self.account_id, self.vpc_id
            ),
            Reference::RoleArn { role } => {
                let x = iam.roles.iter().find(|x| &x.name == role)?;
                iam_arn("role", &x.path, &x.name)
            }
            Reference::PolicyArn { policy } => {
                let x = iam.policies.iter().find(|x| &x.name == policy)?;
                iam_arn("policy", &x.path, &x.name)
            }
            Reference::InstanceProfileArn { instance_profile } => {
                let x = iam
                    .instance_profiles
                    .iter()
                    .find(|x| &x.name == instance_profile)?;
                iam_arn("instance-profile", &x.path, &x.name)
            }
        })
    }
}
