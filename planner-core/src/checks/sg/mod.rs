//! Security-group findings (`SG…`). One file per check, each documenting what it does, why
//! it matters and an example, with a test that triggers it and one that does not.

pub(crate) mod context;
pub(crate) mod sg001_remote_access_from_internet;
pub(crate) mod sg002_datastore_from_internet;
pub(crate) mod sg003_all_from_internet;
pub(crate) mod sg004_rule_count;
pub(crate) mod sg005_groups_per_member;
pub(crate) mod sg006_unused_group;
pub(crate) mod sg007_unknown_group;
pub(crate) mod sg008_default_group_unrestricted;

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
