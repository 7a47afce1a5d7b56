//! The committed JSON Schemas must match the types. Regenerate with
//! `UPDATE_SCHEMAS=1 cargo test --workspace --test offline schema::`.

use std::path::PathBuf;

fn check(file: &str, generated: String) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../planner-core/schema")
        .join(file);
    if std::env::var_os("UPDATE_SCHEMAS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "planner-core/schema/{file} is out of date with the types: run `UPDATE_SCHEMAS=1 cargo test --workspace --test offline schema::` and commit it"
    );
}

#[test]
fn plan_schema_is_current() {
    check("plan.schema.json", planner_core::plan_schema());
}

#[test]
fn design_schema_is_current() {
    check("design.schema.json", planner_core::design_schema());
}

#[test]
fn fixtures_plans_have_every_required_field_of_the_schema() {
    let schema: serde_json::Value = serde_json::from_str(&planner_core::plan_schema()).unwrap();
    let required = schema["required"].as_array().unwrap();
    for path in tests::fixture_files("designs") {
        let plan = planner_core::plan(&tests::design(&path), None)
            .unwrap()
            .plan;
        let value: serde_json::Value = serde_json::from_str(&plan.to_json()).unwrap();
        for key in required {
            assert!(value.get(key.as_str().unwrap()).is_some(), "{key} missing");
        }
    }
}
