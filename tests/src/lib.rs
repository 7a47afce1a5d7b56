//! Shared fixtures for the cross-crate suites.
//!
//! `fixtures/designs/*.json` are valid designs, each planned and snapshotted;
//! `fixtures/bad/*.json` are broken inputs that must be refused with a one-line error.
//!
//! [`moto::Moto`] runs a moto server (fake AWS) and [`proxy::Proxy`] records and disturbs the
//! calls made to it, for the executor's tests (`tests/setup-moto.sh` installs moto).

use std::path::{Path, PathBuf};

pub mod moto;
pub mod proxy;

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
