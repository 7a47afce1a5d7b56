//! Form fields bound to a path of the design: they show the value as edited and the core's
//! messages for that path, and dispatch [`crate::state::Action::Set`] on input. Each field has
//! the DOM id [`crate::path::field_id`] of its path.
//!
//! [`kind`] (how text becomes a value), [`text_field`], [`select`], [`checkbox`],
//! [`field_error`] (the message under a field), [`json_field`] (a JSON value in a textarea)
//! and [`doc_findings`] (the findings listed under an editor).

pub mod checkbox;
pub mod doc_findings;
pub mod field_error;
pub mod json_field;
pub mod kind;
pub mod select;
pub mod text_field;

pub use checkbox::Checkbox;
pub use doc_findings::DocFindings;
pub use field_error::FieldError;
pub use json_field::JsonField;
pub use kind::Kind;
pub use select::Select;
pub use text_field::TextField;
