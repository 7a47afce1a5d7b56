//! What the planner can tell about a plan besides its findings: the security-group graph
//! ([`sg_graph`]), reachability with the blocking hop ([`reach`]), the exposure report and the
//! all-pairs matrix ([`matrix`]), every IAM action ([`iam_catalogue`]), the NAT's monthly cost
//! ([`cost`]) and the executor's own least-privilege policy ([`executor_policy`]).

pub mod cost;
pub mod executor_policy;
pub mod iam_catalogue;
pub mod matrix;
pub mod reach;
pub mod sg_graph;
