//! Why an input is refused: [`InputError`] (malformed or breaking a rule, with its JSON path)
//! and [`PlanError`] (a valid design that cannot be planned).

use std::fmt;

use crate::design::network::NatStrategy;

/// Malformed input: bad JSON, a wrong type, an unknown field, or a broken rule.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct InputError {
    /// Where in the document, e.g. `tiers[0].size.prefix`; empty for the document itself.
    pub path: String,
    /// What was wrong and what was expected.
    pub message: String,
    /// 1-based line and column, when known.
    pub position: Option<(usize, usize)>,
}

impl InputError {
    /// An error about the value at `path`.
    pub fn at(path: impl Into<String>, message: impl Into<String>) -> Self {
        InputError {
            path: path.into(),
            message: message.into(),
            position: None,
        }
    }

    /// The same error about a value nested under `prefix`.
    pub fn under(mut self, prefix: &str) -> Self {
        self.path = if self.path.is_empty() {
            prefix.to_owned()
        } else {
            format!("{prefix}.{}", self.path)
        };
        self
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "$"
        } else {
            &self.path
        };
        write!(f, "at {path}: {}", self.message)?;
        if let Some((line, col)) = self.position {
            write!(f, " (line {line}, column {col})")?;
        }
        Ok(())
    }
}

/// A design that cannot be planned.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// The design breaks a rule of its format.
    #[error("{0}")]
    Input(#[from] InputError),
    /// The subnets do not fit; the message says what would.
    #[error("{0}")]
    DoesNotFit(String),
    /// A NAT must sit in a public subnet of the AZ it serves.
    #[error("nat {nat} needs a public subnet in {availability_zone} to hold the NAT: add a public tier that spans it, or set nat to none")]
    NatWithoutPublicSubnet {
        /// The strategy asked for.
        nat: NatStrategy,
        /// The AZ without a public subnet.
        availability_zone: String,
    },
}
