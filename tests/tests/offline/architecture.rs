//! The architecture invariant of `ARCHITECTURE.md`: in every crate, every import points to a
//! lower layer or stays inside its own entry, nothing imports the crate root, no files import
//! each other in a circle, and every file has a place in the table.

use std::path::Path;

use tests::architecture::{check, LayerTable};

fn holds_its_layers(krate: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let markdown = std::fs::read_to_string(root.join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let table = LayerTable::from_markdown(&markdown, krate).unwrap_or_else(|e| panic!("{e}"));
    let report = check(&root.join(krate), &table).unwrap_or_else(|e| panic!("{krate}: {e}"));
    println!("{krate}:\n{report}");
    assert!(
        report.is_clean(),
        "{krate} breaks the layer table of ARCHITECTURE.md:\n{report}"
    );
}

#[test]
fn planner_core_imports_point_down() {
    holds_its_layers("planner-core");
}

#[test]
fn executor_imports_point_down() {
    holds_its_layers("executor");
}

#[test]
fn planner_web_imports_point_down() {
    holds_its_layers("planner-web");
}

#[test]
fn tests_crate_imports_point_down() {
    holds_its_layers("tests");
}
