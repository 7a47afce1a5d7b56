//! planner-core's property tests, in one test binary: the planner over random designs and
//! edit sequences ([`planning`], with [`designs`] generating them and [`invariants`] saying
//! what must hold of each plan), IAM policy documents round-tripping through JSON
//! ([`iam_roundtrip`]), network ACLs as reachability evaluates them ([`acl`]), and existing
//! VPCs imported as designs ([`import`]).

mod acl;
mod designs;
mod iam_roundtrip;
mod import;
mod invariants;
mod planning;
