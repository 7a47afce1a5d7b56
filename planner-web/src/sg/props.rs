//! The properties shared by the security-group editor's components that edit one path.

use yew::prelude::*;

/// Properties of a component editing one path (a rule's protocol or ports, an attachment,
/// a group's default egress).
#[derive(Properties, PartialEq, Clone)]
pub struct PathProps {
    /// The design path it edits.
    pub path: AttrValue,
}
