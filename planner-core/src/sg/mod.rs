//! Security groups: the design's groups and rules, the AWS resources they become, the graph of
//! who reaches whom, and the `SG…` checks.

pub(crate) mod checks;
pub mod expand;
pub mod graph;
pub mod matrix;
pub mod model;
pub mod reach;
pub(crate) mod resources;
pub(crate) mod validate;

pub use expand::NAT_GROUP;
pub use model::{
    Attachment, Ipv6Block, MemberRole, Peer, PortRange, Protocol, Rule, SecurityGroup,
};
pub use resources::group_id;
