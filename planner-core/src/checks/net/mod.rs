//! Network findings (`NET…`). One file per check; each documents what it does, why it matters
//! and an example. Codes are stable: a retired code is never reused.
//!
//! `NET008` (a subnet moved) and `NET009` (IPv6 /64s exhausted) are raised by the allocator,
//! which is the only place that knows; `EXE001` (a plan edited by hand) by `validate()`.

pub(crate) mod context;
pub(crate) mod net001_prefix_range;
pub(crate) mod net002_public_range;
pub(crate) mod net003_restricted_range;
pub(crate) mod net004_in_use_overlap;
pub(crate) mod net005_quotas;
pub(crate) mod net006_private_without_nat;
pub(crate) mod net007_single_nat;
pub(crate) mod net010_default_acl_denies_all;
pub(crate) mod net011_acl_remote_access;
pub(crate) mod net012_acl_replies_blocked;
pub(crate) mod net013_acl_rule_count;
pub(crate) mod net014_services_through_nat;
pub(crate) mod net015_no_flow_logs;
