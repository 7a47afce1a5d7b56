//! The model as the user writes it: the network ([`network`]), network ACLs ([`acl`]), VPC
//! endpoints ([`endpoint`]), flow logs ([`flow_logs`]), security groups ([`sg`]), instances
//! ([`instances`]), IAM ([`iam`]) and the traffic cost estimates assume ([`traffic`]). Pure
//! data with serde and JSON Schema; the rules serde cannot express sit above it, in
//! `validate`, and what the planner adds (the NAT instances' group and role, the flow log's
//! delivery role) in `effective`.

pub mod acl;
pub mod endpoint;
pub mod flow_logs;
pub mod iam;
pub mod instances;
pub mod network;
pub mod sg;
pub mod traffic;

pub use network::{
    AvailabilityZones, DefaultNetworkAcl, Design, InUseCidr, NatStrategy, SubnetSize, Tier,
    TierKind, Vpc, MAX_AZS,
};
