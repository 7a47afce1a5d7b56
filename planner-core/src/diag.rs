//! Diagnostics: what a user should know about a plan that is not a reason to refuse it, and
//! [`CheckInfo`], what a check that raises them is.

use std::fmt;

use serde::Serialize;

/// How much a finding matters. `Error` findings stop the executor from applying.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// AWS would refuse it, or it breaks the network.
    Error,
    /// Allowed, but risky or likely to hurt later.
    Warning,
    /// Worth knowing.
    Info,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        })
    }
}

/// One finding: a stable code, a severity, a message and the design path it is about.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Diagnostic {
    /// Stable code such as `NET001`; `checks::all` lists every one.
    pub code: &'static str,
    /// How much it matters.
    pub severity: Severity,
    /// What is wrong, why, and what to do.
    pub message: String,
    /// JSON path in the design, e.g. `tiers[1].size`; empty for the design as a whole.
    pub path: String,
}

impl Diagnostic {
    /// A new finding.
    pub fn new(
        code: &'static str,
        severity: Severity,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            severity,
            message: message.into(),
            path: path.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]", self.severity, self.code)?;
        if !self.path.is_empty() {
            write!(f, " at {}", self.path)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Whether any finding is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}

/// What a check is, for documentation and the editor's legend.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct CheckInfo {
    /// Stable code.
    pub code: &'static str,
    /// Short kebab-case name.
    pub name: &'static str,
    /// The most severe finding it raises.
    pub severity: Severity,
    /// One line on what it finds.
    pub summary: &'static str,
}
