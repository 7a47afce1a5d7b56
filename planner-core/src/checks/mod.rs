//! Findings: one table of every check ([`all`]), run in code order by the planner.
//! One file per code under [`net`] (`NET…`), [`sg`] (`SG…`) and [`iam`] (`IAM…`), each
//! documented *What it does / Why is this bad? / Example*, with a test that triggers it and
//! one that does not; each family's `Context` in its own `context.rs`. Codes are stable: a
//! retired code is never reused.

pub mod iam;
pub mod net;
pub mod sg;

pub use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};
use crate::effective::Effective;
use crate::plan::Plan;

/// Every code the planner can raise: the network's, then the security groups', then IAM's.
pub fn all() -> Vec<CheckInfo> {
    ALL.to_vec()
}

/// The table of every check, in code order within each family.
const ALL: &[CheckInfo] = &[
    net::net001_prefix_range::INFO,
    net::net002_public_range::INFO,
    net::net003_restricted_range::INFO,
    net::net004_in_use_overlap::INFO,
    net::net005_quotas::INFO,
    net::net006_private_without_nat::INFO,
    net::net007_single_nat::INFO,
    CheckInfo {
        code: "NET008",
        name: "subnet-moved",
        severity: Severity::Info,
        summary: "a subnet of the previous plan gets a new block (its size changed, or its block left the VPC)",
    },
    CheckInfo {
        code: "NET009",
        name: "ipv6-subnets-exhausted",
        severity: Severity::Error,
        summary: "more subnets than the 256 /64s of the VPC's IPv6 /56",
    },
    net::net010_default_acl_denies_all::INFO,
    net::net011_acl_remote_access::INFO,
    net::net012_acl_replies_blocked::INFO,
    net::net013_acl_rule_count::INFO,
    net::net014_services_through_nat::INFO,
    net::net015_no_flow_logs::INFO,
    CheckInfo {
        code: "EXE001",
        name: "plan-edited",
        severity: Severity::Error,
        summary: "a plan's allocation or resources differ from what its design plans to",
    },
    sg::sg001_remote_access_from_internet::INFO,
    sg::sg002_datastore_from_internet::INFO,
    sg::sg003_all_from_internet::INFO,
    sg::sg004_rule_count::INFO,
    sg::sg005_groups_per_member::INFO,
    sg::sg006_unused_group::INFO,
    sg::sg007_unknown_group::INFO,
    sg::sg008_default_group_unrestricted::INFO,
    iam::iam001_grammar::INFO,
    iam::iam002_unknown_action::INFO,
    iam::iam003_allow_not::INFO,
    iam::iam004_resource_star::INFO,
    iam::iam005_pass_role_star::INFO,
    iam::iam006_privilege_escalation::INFO,
    iam::iam007_wildcard_action::INFO,
    iam::iam008_cross_account_trust::INFO,
    iam::iam009_duplicate_sid::INFO,
    iam::iam010_names::INFO,
    iam::iam011_sizes::INFO,
    iam::iam012_managed_quota::INFO,
    iam::iam013_trust_cycle::INFO,
    iam::iam014_resource_type_mismatch::INFO,
    iam::iam015_unsupported_condition_key::INFO,
    iam::iam016_condition_operator_type::INFO,
    iam::iam017_service_trust_without_source::INFO,
    iam::iam018_allow_not_principal::INFO,
    iam::iam019_arn_region_account::INFO,
    iam::iam020_unknown_global_key::INFO,
    iam::iam021_redundant_action::INFO,
];

/// Runs every check in code order: the network's on `plan`, the security groups' on the graph
/// of `plan` and `effective` (the groups the planner adds included), IAM's on `effective`, so
/// they also judge the role the planner adds for NAT instances (a finding about it points at
/// `nat_instances.autoscaling`, the setting that adds it).
pub(crate) fn run(plan: &Plan, effective: &Effective, azs: &[String], out: &mut Vec<Diagnostic>) {
    let cx = net::context::Context { plan, azs };
    net::net001_prefix_range::check(&cx, out);
    net::net002_public_range::check(&cx, out);
    net::net003_restricted_range::check(&cx, out);
    net::net004_in_use_overlap::check(&cx, out);
    net::net005_quotas::check(&cx, out);
    net::net006_private_without_nat::check(&cx, out);
    net::net007_single_nat::check(&cx, out);
    net::net010_default_acl_denies_all::check(&cx, out);
    net::net011_acl_remote_access::check(&cx, out);
    net::net012_acl_replies_blocked::check(&cx, out);
    net::net013_acl_rule_count::check(&cx, out);
    net::net014_services_through_nat::check(&cx, out);
    net::net015_no_flow_logs::check(&cx, out);
    let cx = sg::context::Context::new(plan, effective);
    sg::sg001_remote_access_from_internet::check(&cx, out);
    sg::sg002_datastore_from_internet::check(&cx, out);
    sg::sg003_all_from_internet::check(&cx, out);
    sg::sg004_rule_count::check(&cx, out);
    sg::sg005_groups_per_member::check(&cx, out);
    sg::sg006_unused_group::check(&cx, out);
    sg::sg007_unknown_group::check(&cx, out);
    sg::sg008_default_group_unrestricted::check(&cx, out);
    let first_iam = out.len();
    run_iam(&iam::context::Context::new(effective), out);
    for d in &mut out[first_iam..] {
        d.path = effective.written_path(&d.path);
    }
}

/// Runs every IAM check in code order on `cx`: the planner's documents, or a document the
/// linter wraps ([`crate::lint`]), so a new check judges both.
pub(crate) fn run_iam(cx: &iam::context::Context, out: &mut Vec<Diagnostic>) {
    iam::iam001_grammar::check(cx, out);
    iam::iam002_unknown_action::check(cx, out);
    iam::iam003_allow_not::check(cx, out);
    iam::iam004_resource_star::check(cx, out);
    iam::iam005_pass_role_star::check(cx, out);
    iam::iam006_privilege_escalation::check(cx, out);
    iam::iam007_wildcard_action::check(cx, out);
    iam::iam008_cross_account_trust::check(cx, out);
    iam::iam009_duplicate_sid::check(cx, out);
    iam::iam010_names::check(cx, out);
    iam::iam011_sizes::check(cx, out);
    iam::iam012_managed_quota::check(cx, out);
    iam::iam013_trust_cycle::check(cx, out);
    iam::iam014_resource_type_mismatch::check(cx, out);
    iam::iam015_unsupported_condition_key::check(cx, out);
    iam::iam016_condition_operator_type::check(cx, out);
    iam::iam017_service_trust_without_source::check(cx, out);
    iam::iam018_allow_not_principal::check(cx, out);
    iam::iam019_arn_region_account::check(cx, out);
    iam::iam020_unknown_global_key::check(cx, out);
    iam::iam021_redundant_action::check(cx, out);
}

#[cfg(test)]
pub(crate) mod test_support {
    use crate::diag::Diagnostic;

    /// A small valid design as JSON, for checks to edit.
    pub const BASE: &str = r#"{
        "name": "demo", "region": "us-east-1",
        "vpc": {"cidr": "10.0.0.0/16"},
        "availability_zones": 3,
        "tiers": [{"name": "web", "kind": "public", "size": {"prefix": 24}},
                  {"name": "app", "kind": "private", "size": {"prefix": 20}}],
        "nat": "gateway_per_az"
    }"#;

    /// The diagnostics with `code` for the design `json`.
    pub fn findings(json: &str, code: &str) -> Vec<Diagnostic> {
        let design = crate::parse_design(json).expect("test design parses");
        let planned = crate::plan(&design, None).expect("test design plans");
        planned
            .diagnostics
            .into_iter()
            .filter(|d| d.code == code)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::{findings, BASE};

    /// A design whose NAT instances run in auto-scaling groups, so the planner adds their role.
    fn with_nat_role(name: &str) -> String {
        BASE.replace(r#""name": "demo""#, &format!(r#""name": "{name}""#))
            .replace(
                r#""nat": "gateway_per_az""#,
                r#""nat": "instance_per_az", "nat_instances": {"autoscaling": true}"#,
            )
    }

    #[test]
    fn the_iam_checks_judge_the_role_the_planner_adds() {
        // `<name>-nat-instance` is over IAM's 64 characters for a plan name of 60.
        let long = "n".repeat(60);
        let found = findings(&with_nat_role(&long), "IAM010");
        assert!(
            found.iter().any(|d| d.path == "nat_instances.autoscaling"),
            "{found:?}"
        );
        assert!(
            found.iter().all(|d| !d.path.starts_with("iam.")),
            "{found:?}"
        );
    }

    #[test]
    fn the_planner_role_of_a_short_plan_name_raises_nothing() {
        assert_eq!(findings(&with_nat_role("demo"), "IAM010"), []);
    }

    /// The flow log's delivery role goes through the same checks; a finding about it points
    /// at `flow_logs.destination`, the setting that adds it.
    #[test]
    fn the_iam_checks_judge_the_flow_log_role() {
        let long = "f".repeat(60);
        let json = BASE
            .replace(r#""name": "demo""#, &format!(r#""name": "{long}""#))
            .replace(
                r#""nat": "gateway_per_az""#,
                r#""nat": "gateway_per_az", "flow_logs": {"destination": "cloudwatch_logs", "traffic": "all"}"#,
            );
        let found = findings(&json, "IAM010");
        assert!(
            found.iter().any(|d| d.path == "flow_logs.destination"),
            "{found:?}"
        );
        assert!(
            found.iter().all(|d| !d.path.starts_with("iam.")),
            "{found:?}"
        );
    }

    /// The roles the planner adds (the NAT instances' role and profile, the flow log's
    /// delivery role) raise no IAM finding of their own in any preset variant.
    #[test]
    fn the_roles_the_planner_adds_raise_nothing_in_the_presets() {
        let sets: [&[(&str, &str)]; 4] = [
            &[],
            &[("hardened", "true")],
            &[("nat", "instance")],
            &[("hardened", "true"), ("nat", "instance")],
        ];
        let mut added = 0;
        for info in crate::presets::list() {
            for set in sets {
                let Ok(design) = crate::presets::build(info.name, set) else {
                    continue;
                };
                let effective = crate::effective::Effective::of(&design);
                added += effective.iam.roles.len() - design.iam.roles.len();
                let planned = crate::plan(&design, None).expect("a preset plans");
                let theirs: Vec<String> = planned
                    .diagnostics
                    .iter()
                    .filter(|d| d.code.starts_with("IAM"))
                    .filter(|d| {
                        d.path == "nat_instances.autoscaling" || d.path == "flow_logs.destination"
                    })
                    .map(ToString::to_string)
                    .collect();
                assert!(theirs.is_empty(), "{} {set:?}: {theirs:#?}", info.name);
            }
        }
        assert!(added >= 4, "the presets add only {added} roles");
    }
}
