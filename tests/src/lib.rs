//! Shared fixtures for the cross-crate suites.
//!
//! `fixtures/designs/*.json` are valid designs, each planned and snapshotted;
//! `fixtures/bad/*.json` are broken inputs that must be refused with a one-line error.
//!
//! [`architecture::check`] holds each crate to the layer table in `ARCHITECTURE.md`.
//!
//! [`executor::binary`] is the real executor binary, built on first use.
//!
//! [`moto::Moto`] runs a moto server (fake AWS) and [`proxy::Proxy`] records and disturbs the
//! calls made to it, for the executor's tests (`tests/setup-moto.sh` installs moto);
//! [`account`] reads back what the account holds for a plan, found by the plan's tags.
//!
//! [`web::Web`] serves the built browser editor and drives it in headless Chromium
//! (`tests/setup-web.sh` installs the tools).

use std::path::{Path, PathBuf};

pub mod account;
pub mod architecture;
pub mod authorize;
pub mod executor;
pub mod moto;
pub mod proxy;
pub mod web;

/// The fixtures folder.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Every file in `fixtures/<dir>` ending in `.json`, sorted by name.
pub fn fixture_files(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixtures().join(dir))
        .unwrap_or_else(|e| panic!("fixtures/{dir}: {e}"))
        .map(|e| e.expect("readable dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

/// A fixture's file stem, e.g. `three-tier`.
pub fn stem(path: &Path) -> String {
    path.file_stem()
        .expect("fixture files have names")
        .to_string_lossy()
        .into_owned()
}

/// Reads and parses a design fixture.
pub fn design(path: &Path) -> planner_core::Design {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    planner_core::parse_design(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Reading a plan's resources as plan.json holds them, for tests that assert a guide's facts.
pub mod plan_json {
    use std::collections::BTreeSet;

    use serde_json::Value;

    /// The plan's resources as JSON.
    pub fn resources(plan: &planner_core::Plan) -> Vec<Value> {
        let v: Value = serde_json::from_str(&plan.to_json()).expect("a plan is JSON");
        v["resources"]
            .as_array()
            .expect("resources is an array")
            .clone()
    }

    /// The resources of one type.
    pub fn of_type<'a>(rs: &'a [Value], ty: &str) -> Vec<&'a Value> {
        rs.iter().filter(|r| r["type"] == ty).collect()
    }

    /// The resource with this id.
    pub fn by_id<'a>(rs: &'a [Value], id: &str) -> &'a Value {
        rs.iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("no resource {id}"))
    }

    /// Each AWS permission of `group` as `"in tcp 22 0.0.0.0/0"` or `"out tcp 8080 sg ecs"`.
    pub fn rules(rs: &[Value], group: &str) -> BTreeSet<String> {
        let gid = format!("security_group.{group}");
        of_type(rs, "security_group_rule")
            .into_iter()
            .filter(|r| r["group"] == gid.as_str())
            .map(|r| {
                let dir = if r["direction"] == "ingress" {
                    "in"
                } else {
                    "out"
                };
                let ports = match &r["ports"] {
                    Value::Null => "all".to_owned(),
                    p => p.to_string(),
                };
                let peer = if let Some(c) = r["peer"]["cidr_ipv4"].as_str() {
                    c.to_owned()
                } else if let Some(c) = r["peer"]["cidr_ipv6"].as_str() {
                    c.to_owned()
                } else if let Some(g) = r["peer"]["security_group"].as_str() {
                    format!("sg {}", g.trim_start_matches("security_group."))
                } else {
                    panic!("unexpected peer {}", r["peer"])
                };
                format!(
                    "{dir} {} {ports} {peer}",
                    r["protocol"].as_str().unwrap_or("?")
                )
            })
            .collect()
    }
}
