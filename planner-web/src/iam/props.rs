//! The properties shared by the components of one managed policy attachment.

use yew::prelude::*;

/// Properties of [`super::attachment_row::AttachmentRow`] and its fields.
#[derive(Properties, PartialEq, Clone)]
pub struct AttachmentProps {
    /// `iam.roles[i].managed_policies[j]`.
    pub path: String,
}
