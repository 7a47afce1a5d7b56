//! Findings that are errors count as errors, and plan.json is not exported while the plan has
//! one: the page says why beside the button, as `executor validate` would refuse the plan.

use serde_json::json;
use tests::web::{Page, Web};

use crate::baseline::start_blank;
use crate::{plan_doc, preset_doc, scratch, VPC_CIDR};

/// The findings' count line, e.g. `1 error, 0 warnings, 1 note`.
async fn count(page: &Page) -> String {
    page.text(".findings .count").await
}

/// Waits until the findings' count line starts with `errors`.
async fn wait_count(page: &Page, errors: &str) {
    page.poll(&format!("the findings to count {errors}"), || async {
        let shown = count(page).await;
        match shown.starts_with(errors) {
            true => Ok(()),
            false => Err(shown),
        }
    })
    .await;
}

#[tokio::test]
async fn error_rows_are_counted_and_a_plan_with_error_findings_is_not_exported() {
    let web = Web::start().await;
    let page = web.open("errors").await;
    page.goto("/").await;
    start_blank(&page).await;
    wait_count(&page, "0 errors").await;
    assert_eq!(page.count("#export-blocked").await, 0);

    // The design cannot be planned: its error row counts.
    page.set_value(r#"[id="field-availability_zones"]"#, "7")
        .await;
    page.wait_for(r#".finding[data-code="INPUT"]"#).await;
    wait_count(&page, "1 error,").await;
    page.screenshot("seven-azs").await;
    page.set_value(r#"[id="field-availability_zones"]"#, "2")
        .await;
    page.wait_gone("#stale").await;
    wait_count(&page, "0 errors").await;

    // A /8 VPC plans, with an error finding `executor validate` refuses it for.
    let mut doc = preset_doc("tinystacks");
    doc["vpc"]["cidr"] = json!("10.0.0.0/8");
    let planned = plan_doc(&doc, None).expect("a /8 VPC plans");
    let dir = scratch("errors");
    let plan_file = dir.join("plan.json");
    std::fs::write(&plan_file, planned.plan.to_json()).expect("write the plan");
    let validate = tests::executor::command()
        .arg("validate")
        .arg(&plan_file)
        .output()
        .expect("run executor validate");
    assert_eq!(
        validate.status.code(),
        Some(1),
        "executor validate refuses a /8 VPC"
    );
    page.set_value(VPC_CIDR, "10.0.0.0/8").await;
    page.wait_for(r#".finding[data-code="NET001"]"#).await;
    wait_count(&page, "1 error,").await;
    let why = page.text("#export-blocked").await;
    assert!(
        why.contains("NET001") && why.contains("vpc.cidr"),
        "the reason beside the button names the finding: {why:?}"
    );
    assert_eq!(
        page.js(
            "return document.getElementById('export-plan').disabled",
            vec![]
        )
        .await,
        json!(true),
        "no export of a plan with an error finding"
    );
    page.screenshot("slash-8").await;

    page.set_value(VPC_CIDR, "10.0.0.0/16").await;
    page.wait_gone("#export-blocked").await;
    wait_count(&page, "0 errors").await;
    page.click("#export-plan").await;
    page.download("plan.json").await;
    page.finish().await;
    std::fs::remove_dir_all(dir).expect("remove the scratch folder");
}
