//! Security-group findings (`SG…`). One file per check, each documenting what it does, why
//! it matters and an example, with a test that triggers it and one that does not.

use crate::checks::CheckInfo;
use crate::diag::Diagnostic;
use crate::plan::Plan;
use crate::sg::graph::Graph;

mod sg001_remote_access_from_internet;
mod sg002_datastore_from_internet;
mod sg003_all_from_internet;
mod sg004_rule_count;
mod sg005_groups_per_member;
mod sg006_unused_group;
mod sg007_unknown_group;

/// Every `SG…` code.
pub const ALL: &[CheckInfo] = &[
    sg001_remote_access_from_internet::INFO,
    sg002_datastore_from_internet::INFO,
    sg003_all_from_internet::INFO,
    sg004_rule_count::INFO,
    sg005_groups_per_member::INFO,
    sg006_unused_group::INFO,
    sg007_unknown_group::INFO,
];

/// What the checks read.
pub(crate) struct Context<'a> {
    pub plan: &'a Plan,
    pub graph: Graph,
}

/// Runs every `SG…` check.
pub(crate) fn run(plan: &Plan, out: &mut Vec<Diagnostic>) {
    let cx = Context {
        plan,
        graph: Graph::new(plan),
    };
    sg001_remote_access_from_internet::check(&cx, out);
    sg002_datastore_from_internet::check(&cx, out);
    sg003_all_from_internet::check(&cx, out);
    sg004_rule_count::check(&cx, out);
    sg005_groups_per_member::check(&cx, out);
    sg006_unused_group::check(&cx, out);
    sg007_unknown_group::check(&cx, out);
}

/// Ingress rules whose peer is part of the internet, with their group's index.
pub(crate) fn internet_ingress<'a>(
    cx: &'a Context,
) -> impl Iterator<Item = (usize, &'a crate::sg::graph::Edge)> + 'a {
    cx.graph.groups.iter().enumerate().flat_map(move |(gi, g)| {
        g.ingress
            .iter()
            .filter(move |e| e.from_internet(&cx.graph.vpc))
            .map(move |e| (gi, e))
    })
}

#[cfg(test)]
pub(crate) mod test_support {
    use crate::diag::Diagnostic;

    /// A design with a public and a private tier; `GROUPS` is replaced by the groups given.
    const BASE: &str = r#"{
        "name": "sgtest", "region": "us-east-1",
        "vpc": {"cidr": "10.0.0.0/16"}, "availability_zones": 2, "nat": "none",
        "tiers": [{"name": "public", "kind": "public", "size": {"prefix": 24}},
                  {"name": "private", "kind": "isolated", "size": {"prefix": 24}}],
        "security_groups": GROUPS
    }"#;

    /// Findings with `code` for a design holding `groups` (a JSON array).
    pub fn findings(groups: &str, code: &str) -> Vec<Diagnostic> {
        let design =
            crate::parse_design(&BASE.replace("GROUPS", groups)).expect("test design parses");
        crate::plan(&design, None)
            .expect("test design plans")
            .diagnostics
            .into_iter()
            .filter(|d| d.code == code)
            .collect()
    }
}
