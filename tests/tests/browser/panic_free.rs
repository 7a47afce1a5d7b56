//! What is typed on the way to a value never breaks the page: "17" typed into a /prefix field
//! passes through "1" (a prefix planner-core once panicked on, which left the page dead). The
//! page must keep planning, draw the design as typed, show no crash banner, log no error, and
//! bring the value back after a reload.

use serde_json::json;
use tests::web::Web;

use crate::baseline::start_blank;
use crate::{expect_drawn, plan_doc};

#[tokio::test]
async fn typing_17_into_a_prefix_field_passes_through_1_and_plans() {
    let web = Web::start().await;
    let page = web.open("prefix-17").await;
    page.goto("/").await;
    start_blank(&page).await;
    // The blank design without its public tier: two AZs of a /17 fill the /16.
    page.click(r#"button[aria-label="Remove tier 1"]"#).await;
    page.wait_gone(r#"[id="field-tiers[1].name"]"#).await;
    // With no public tier for NAT gateways to sit in, no NAT.
    page.js(
        "const s = document.getElementById('field-nat');
         s.value = 'none';
         s.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![],
    )
    .await;
    let size = r#"[id="field-tiers[0].size"]"#;
    page.type_into(size, "17").await;

    let doc = json!({
        "name": "my-network",
        "region": "us-east-1",
        "vpc": {"cidr": "10.0.0.0/16"},
        "availability_zones": 2,
        "tiers": [{"name": "private", "kind": "private", "size": {"prefix": 17}}],
        "nat": "none"
    });
    let planned = plan_doc(&doc, None).expect("two /17s fit a /16");
    expect_drawn(&page, "", &planned).await;
    assert_eq!(page.count("#crash").await, 0, "no crash banner");
    page.assert_no_errors().await;

    page.reload().await;
    expect_drawn(&page, "", &planned).await;
    assert_eq!(page.value(size).await, "17");
    page.finish().await;
}
