//! Why a plan cannot be written as Terraform.

/// Why a plan cannot be written as Terraform: the resource (plan id) and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{resource}: {message}")]
pub struct TerraformError {
    /// The plan id of the resource that cannot be expressed.
    pub resource: String,
    /// What is wrong.
    pub message: String,
}

/// An error about plan resource `resource`.
pub(super) fn err(resource: &str, message: impl Into<String>) -> TerraformError {
    TerraformError {
        resource: resource.to_owned(),
        message: message.into(),
    }
}
