//! How a text field's text becomes a JSON value.

use serde_json::Value;

/// How a text field's text becomes a JSON value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A string as typed.
    Text,
    /// A whole number; other text is kept as a string so the core names the field.
    Number,
    /// A number, or nothing when empty (an optional setting).
    OptionalNumber,
    /// A string, or nothing when empty (an optional setting with a default, such as a path).
    OptionalText,
}

impl Kind {
    /// The value for `text`.
    pub fn value(self, text: &str) -> Value {
        let trimmed = text.trim();
        match self {
            Kind::Text => Value::String(text.to_owned()),
            Kind::OptionalNumber | Kind::OptionalText if trimmed.is_empty() => Value::Null,
            Kind::OptionalText => Value::String(text.to_owned()),
            Kind::Number | Kind::OptionalNumber => trimmed
                .parse::<u64>()
                .map(Value::from)
                .unwrap_or_else(|_| Value::String(text.to_owned())),
        }
    }
}
