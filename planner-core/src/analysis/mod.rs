//! What the planner can tell about a plan besides its findings: the security-group graph
//! ([`sg_graph`]), network ACLs as traffic meets them ([`acl`], evaluated by [`acl_eval`]; on a path,
//! `acl_reach`; as sets of ports, [`acl_flows`]), reachability with the blocking hop ([`reach`]) and AWS's explanation code
//! for it ([`explain`]), the exposure report and the all-pairs matrix ([`matrix`]), every IAM
//! action ([`iam_catalogue`]), the NAT's monthly cost ([`cost`]) and the executor's own
//! least-privilege policy ([`executor_policy`]).

pub mod acl;
pub mod acl_eval;
pub mod acl_flows;
pub(crate) mod acl_reach;
pub mod cost;
pub mod endpoints;
pub mod escalation;
pub mod executor_policy;
pub mod explain;
pub mod iam_catalogue;
pub mod iam_details;
pub mod iam_eval;
pub mod matrix;
pub mod reach;
pub mod service_reach;
pub mod sg_graph;
