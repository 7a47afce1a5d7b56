//! Form fields bound to a path of the design: they show the value as edited and the core's
//! messages for that path, and dispatch [`crate::state::Action::Set`] on input. Each field has
//! the DOM id [`crate::path::field_id`] of its path.
//!
//! [`kind`] (how text becomes a value), [`text_field`], [`select`], [`checkbox`],
//! [`field_error`] (the message under a field), [`notes`] (the messages at a part made of
//! several fields), [`protocol`] and [`ports`] (a rule's protocol and ports, as security-group
//! and network ACL rules share them), [`json_field`] (a JSON value in a textarea) and
//! [`doc_findings`] (the findings listed under an editor); [`ami`] (an instance's image) and [`public_address`] (an attachment's or an
//! instance's public address).

pub mod ami;
pub mod checkbox;
pub mod doc_findings;
pub mod field_error;
pub mod json_field;
pub mod kind;
pub mod notes;
pub mod ports;
pub mod protocol;
pub mod public_address;
pub mod select;
pub mod text_field;

pub use ami::AmiField;
pub use checkbox::Checkbox;
pub use doc_findings::DocFindings;
pub use field_error::FieldError;
pub use json_field::JsonField;
pub use kind::Kind;
pub use notes::Notes;
pub use ports::PortsField;
pub use protocol::ProtocolField;
pub use public_address::PublicAddress;
pub use select::Select;
pub use text_field::TextField;
