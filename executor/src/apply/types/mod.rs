//! One module per resource type, each with what the executor does to that type: how it is
//! discovered, what it must look like (drift), how it is created, repaired and deleted, and
//! its rank in the destroy order (`DESTROY_RANK`: lower ranks go first).
//!
//! A type module imports only [`super::shared`], [`super::context`] and [`super::model`],
//! never another type; [`super::dispatch`] sends every operation to its type with one
//! exhaustive `match`.

pub mod autoscaling_group;
pub mod egress_only_internet_gateway;
pub mod elastic_ip;
pub mod flow_log;
pub mod iam_instance_profile;
pub mod iam_policy;
pub mod iam_role;
pub mod instance;
pub mod internet_gateway;
pub mod launch_template;
pub mod log_group;
pub mod nat_gateway;
pub mod network_acl;
pub mod network_acl_association;
pub mod network_acl_entry;
pub mod route;
pub mod route_table;
pub mod route_table_association;
pub mod security_group;
pub mod security_group_rule;
pub mod subnet;
pub mod vpc;
pub mod vpc_cidr_block;
pub mod vpc_endpoint;
