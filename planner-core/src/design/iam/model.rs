//! Roles, customer managed policies and instance profiles as the design writes them.

use std::collections::BTreeMap;
use std::fmt;

use schemars::JsonSchema;
use serde::de::value::MapAccessDeserializer;
use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::document::PolicyDocument;

/// The design's IAM resources.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Iam {
    /// Roles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<Role>,
    /// Customer managed policies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<ManagedPolicy>,
    /// Instance profiles, each holding one role.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub instance_profiles: Vec<InstanceProfile>,
}

impl Iam {
    /// The role named `name`.
    pub fn role(&self, name: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.name == name)
    }

    /// The customer managed policy named `name`.
    pub fn policy(&self, name: &str) -> Option<&ManagedPolicy> {
        self.policies.iter().find(|p| p.name == name)
    }
}

fn root_path() -> String {
    "/".to_owned()
}

fn is_root_path(p: &str) -> bool {
    p == "/"
}

/// An IAM role: who may assume it (its trust policy) and what it may do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Role {
    /// 1–64 characters of letters, digits and `+=,.@_-`; unique in the account, ignoring case.
    pub name: String,
    /// The role's path, `/` by default, e.g. `/app/`.
    #[serde(default = "root_path", skip_serializing_if = "is_root_path")]
    pub path: String,
    /// What the role is for (at most 1,000 characters).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Who may assume the role: the assume-role policy.
    pub trust_policy: PolicyDocument,
    /// Policies embedded in the role.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inline_policies: Vec<InlinePolicy>,
    /// Managed policies attached to the role: ARNs (AWS managed or existing ones) or policies
    /// of this design.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub managed_policies: Vec<ManagedPolicyRef>,
    /// The longest session, in seconds (3600–43200; AWS's default is 3600).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 3600, max = 43200))]
    pub max_session_duration: Option<u32>,
    /// Tags.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
}

/// A policy embedded in a role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InlinePolicy {
    /// 1–128 characters of letters, digits and `+=,.@_-`; unique in the role.
    pub name: String,
    /// The policy.
    pub document: PolicyDocument,
}

/// A managed policy attached to a role.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, JsonSchema)]
#[schemars(untagged)]
pub enum ManagedPolicyRef {
    /// A policy by ARN, e.g.
    /// `arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy`.
    Arn(String),
    /// A customer managed policy of this design: `{"policy": "<name>"}`.
    Policy {
        /// The policy's name in `iam.policies`.
        policy: String,
    },
}

/// A customer managed policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ManagedPolicy {
    /// 1–128 characters of letters, digits and `+=,.@_-`; unique in the account, ignoring case.
    pub name: String,
    /// The policy's path, `/` by default.
    #[serde(default = "root_path", skip_serializing_if = "is_root_path")]
    pub path: String,
    /// What the policy is for (at most 1,000 characters).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The policy.
    pub document: PolicyDocument,
}

/// An instance profile: how EC2 instances get a role (exactly one).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InstanceProfile {
    /// 1–128 characters of letters, digits and `+=,.@_-`; unique in the account, ignoring case.
    pub name: String,
    /// The profile's path, `/` by default.
    #[serde(default = "root_path", skip_serializing_if = "is_root_path")]
    pub path: String,
    /// The role of this design it holds.
    pub role: String,
}

impl Serialize for ManagedPolicyRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            ManagedPolicyRef::Arn(arn) => s.serialize_str(arn),
            ManagedPolicyRef::Policy { policy } => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry("policy", policy)?;
                m.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for ManagedPolicyRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct ByName {
            policy: String,
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ManagedPolicyRef;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a policy ARN or {\"policy\": \"<name of a policy in this design>\"}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ManagedPolicyRef, E> {
                Ok(ManagedPolicyRef::Arn(v.to_owned()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ManagedPolicyRef, A::Error> {
                let ByName { policy } = ByName::deserialize(MapAccessDeserializer::new(map))?;
                Ok(ManagedPolicyRef::Policy { policy })
            }
        }
        d.deserialize_any(V)
    }
}
