//! The IAM resources of a plan: a customer managed policy, a role with its inline policies
//! and attachments, an instance profile.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::design::iam::document::PolicyDocument;
use crate::design::iam::model::InlinePolicy;

/// A customer managed policy to create.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PolicyResource {
    /// The policy name.
    pub name: String,
    /// Its path.
    pub path: String,
    /// Its description.
    pub description: String,
    /// The document; references are resolved at apply time.
    pub document: PolicyDocument,
}

/// A role to create, with its inline policies and attachments.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RoleResource {
    /// The role name.
    pub name: String,
    /// Its path.
    pub path: String,
    /// Its description.
    pub description: String,
    /// The trust policy; references are resolved at apply time.
    pub trust_policy: PolicyDocument,
    /// Policies embedded in the role (`PutRolePolicy`).
    pub inline_policies: Vec<InlinePolicy>,
    /// Managed policies to attach (`AttachRolePolicy`).
    pub managed_policies: Vec<PolicyAttachment>,
    /// The longest session in seconds; absent: AWS's default of 3600.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_session_duration: Option<u32>,
    /// Tags.
    pub tags: BTreeMap<String, String>,
}

/// An instance profile to create, holding one role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct InstanceProfileResource {
    /// The profile name.
    pub name: String,
    /// Its path.
    pub path: String,
    /// The id of its role in this plan.
    pub role: String,
}

/// A managed policy attached to a role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PolicyAttachment {
    /// An existing policy by ARN (e.g. an AWS managed one).
    Arn(String),
    /// The id of an `iam_policy` of this plan.
    Policy(String),
}
