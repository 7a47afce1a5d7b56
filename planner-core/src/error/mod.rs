//! Why an input is refused: [`InputError`] (malformed or breaking a rule, with its JSON path)
//! and [`PlanError`] (a valid design that cannot be planned); `from_json`, which reads JSON
//! text into one of the crate's types with the path of the first error.

pub mod words;

use std::fmt;

use serde::de::DeserializeOwned;

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

/// A value the planner wrote itself as one of its types, read through [`from_json`]: the
/// browser bundle then holds one deserializer per type (the one designs are read with) rather
/// than a second one for `serde_json::Value`.
pub(crate) fn from_value<T: DeserializeOwned>(value: &serde_json::Value) -> Result<T, InputError> {
    from_json(&value.to_string())
}

/// Deserializes with the JSON path of the first error.
pub(crate) fn from_json<T: DeserializeOwned>(json: &str) -> Result<T, InputError> {
    let mut de = serde_json::Deserializer::from_str(json);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        json_error(if path == "." { String::new() } else { path }, &inner)
    })?;
    de.end().map_err(|e| json_error(String::new(), &e))?;
    Ok(value)
}

fn json_error(path: String, e: &serde_json::Error) -> InputError {
    let full = e.to_string();
    // serde_json appends " at line L column C"; the position is reported separately.
    let message = match full.rfind(" at line ") {
        Some(i) if e.line() > 0 => full[..i].to_owned(),
        _ => full,
    };
    let message = words::humanize(&path, &message);
    let message = match e.classify() {
        serde_json::error::Category::Eof => format!("unexpected end of input: {message}"),
        serde_json::error::Category::Syntax => format!("invalid JSON: {message}"),
        _ => message,
    };
    InputError {
        path,
        message,
        position: (e.line() > 0).then(|| (e.line(), e.column())),
    }
}
