//! Endpoints, flow logs and the traffic the cost assumes, end to end: an S3 gateway endpoint
//! and an interface endpoint added in the network tab, flow logs turned on, S3's traffic typed
//! into the cost panel, which then prices each part and the interface endpoint's break-even;
//! the exported plan.json is byte for byte what `executor plan` writes for its design, and the
//! CloudFormation template and the Terraform tar hold what the core exports for it.

use serde_json::{json, Value};
use tests::web::Web;

use crate::baseline::{export_matches_executor, start_blank};
use crate::{expect_drawn, plan_doc, scratch};

#[tokio::test]
async fn endpoints_flow_logs_and_traffic_made_in_the_editor_are_in_the_exported_plan() {
    let web = Web::start().await;
    let page = web.open("endpoints").await;
    page.goto("/").await;
    start_blank(&page).await;
    page.click("#tab-network").await;
    page.js(
        "const s = document.getElementById('field-nat');
         s.value = 'single_gateway';
         s.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![],
    )
    .await;
    page.click("#endpoint-add-s3").await;
    page.wait_for(r#"[id="field-endpoints[0].tiers-private"]:checked"#)
        .await;
    page.click("#endpoint-add-interface").await;
    page.wait_for(r#"[id="field-endpoints[1].private_dns"]"#)
        .await;
    page.click("#flow-logs-on").await;
    page.wait_for("#flow-logs-off").await;
    page.type_into(r#"[id="field-traffic.services_gb_per_month[s3]"]"#, "2000")
        .await;

    let doc = json!({
        "name": "my-network",
        "region": "us-east-1",
        "vpc": {"cidr": "10.0.0.0/16"},
        "availability_zones": 2,
        "tiers": [
            {"name": "public", "kind": "public", "size": {"prefix": 24}},
            {"name": "private", "kind": "private", "size": {"prefix": 22}}
        ],
        "nat": "single_gateway",
        "endpoints": [
            {"service": "s3", "kind": "gateway", "tiers": ["private"]},
            {"service": "ecr.api", "kind": "interface", "tiers": ["private"]}
        ],
        "flow_logs": {"destination": "cloudwatch_logs"},
        "traffic": {"services_gb_per_month": {"s3": 2000}}
    });
    let planned = plan_doc(&doc, None).expect("the design plans");
    expect_drawn(&page, "", &planned).await;
    page.screenshot("network-tab").await;

    // The cost panel: the free gateway endpoint carries S3's 2,000 GB, the interface endpoint
    // has its hours and its break-even against NAT, and flow logs are a line of their own.
    let rows: Value = page
        .js(
            "return [...document.querySelectorAll('.cost table.items tbody tr')].map(r => r.cells[0].textContent)",
            vec![],
        )
        .await;
    let rows: Vec<&str> = rows
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(
        rows,
        [
            "NAT gateways (1)",
            "gateway endpoint s3 (gateway endpoints are free)",
            "interface endpoint ecr.api (2 AZs)",
            "flow logs to CloudWatch Logs",
            "Total"
        ]
    );
    let break_even = page
        .js(
            "return document.querySelector('.cost .break-even')?.textContent",
            vec![],
        )
        .await;
    assert!(
        break_even.as_str().is_some_and(
            |t| t.starts_with("Interface endpoint ecr.api: 14.60 USD a month for 2 AZs")
        ),
        "{break_even}"
    );
    page.js("document.querySelector('.cost').scrollIntoView()", vec![])
        .await;
    page.screenshot("cost").await;

    let dir = scratch("endpoints");
    let exported = export_matches_executor(&page, &dir, None).await;
    let exported: Value = serde_json::from_slice(&exported).expect("JSON");
    let want: Value = serde_json::from_str(&planned.plan.to_json()).expect("JSON");
    assert_eq!(exported["design"], want["design"], "the design typed");
    std::fs::remove_dir_all(dir).expect("remove the scratch folder");

    // CloudFormation: the core's template, which `executor export` writes too (the offline
    // suite checks that side).
    page.click("#export-cloudformation").await;
    let template = page.download("my-network.template.json").await;
    let want = planner_core::export::cloudformation::template(&planned.plan).expect("exports");
    assert!(
        template == want.as_bytes(),
        "the template differs from the core's"
    );

    // Terraform: one tar of the files the core writes for this plan.
    page.click("#export-terraform").await;
    let tar = page.download("my-network-terraform.tar").await;
    let files = planner_core::export::terraform::files(&planned.plan).expect("exports");
    let want = planner_core::export::archive::tar("my-network-terraform", &files).expect("tars");
    assert!(
        tar == want.as_bytes(),
        "the Terraform tar differs from the core's"
    );
    page.finish().await;
}
