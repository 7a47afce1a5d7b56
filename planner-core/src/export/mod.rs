//! A plan written as another tool's input, building the same network with the same addresses.
//! Each format is pure: the same plan gives the same bytes, so the editor and the executor
//! write identical files. [`archive`] puts several files (Terraform's) in one tar for the
//! editor to download.

pub mod archive;
pub mod cloudformation;
pub mod terraform;

use std::fmt;

/// Why a plan cannot be exported: the plan resource (or the template part) and what the
/// format cannot express.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportError {
    /// The plan id (`route.app.a.ipv4-default`) or template part concerned.
    pub id: String,
    /// What cannot be expressed, in one line.
    pub message: String,
}

impl ExportError {
    /// An error about `id`.
    pub fn new(id: impl Into<String>, message: impl Into<String>) -> ExportError {
        ExportError {
            id: id.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.id, self.message)
    }
}

impl std::error::Error for ExportError {}
