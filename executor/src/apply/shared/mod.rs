//! What two or more resource types share, below every `types::*` module: attribute maps,
//! EC2 tagging and discovery filters, waiting and retrying (one backoff), pagination,
//! idempotency tokens, and the helpers of the IAM, security-group and compute families.
//!
//! Nothing here names one resource type's operations; a type module never imports another.

pub mod attrs;
pub mod autoscaling;
pub mod compute;
pub mod ec2;
pub mod iam;
pub mod iam_document;
pub mod pages;
pub mod sg;
pub mod token;
pub mod wait;
