//! Network ACLs end to end: an ACL made in its tab, a tier put in it, a rule whose number AWS
//! would refuse marked at its field and fixed, the ACL's badge on the diagram, and the exported
//! plan.json byte for byte what `executor plan` writes for the design it holds, which is the
//! design typed.

use serde_json::{json, Value};
use tests::web::Web;

use crate::baseline::{export_matches_executor, start_blank};
use crate::{expect_drawn, plan_doc, scratch};

/// The editor's blank design (`planner_web::state::blank`).
fn blank() -> Value {
    json!({
        "name": "my-network",
        "region": "us-east-1",
        "vpc": {"cidr": "10.0.0.0/16"},
        "availability_zones": 2,
        "tiers": [
            {"name": "public", "kind": "public", "size": {"prefix": 24}},
            {"name": "private", "kind": "private", "size": {"prefix": 22}}
        ],
        "nat": "gateway_per_az"
    })
}

#[tokio::test]
async fn a_network_acl_made_in_the_editor_is_in_the_exported_plan() {
    let web = Web::start().await;
    let page = web.open("acl").await;
    page.goto("/").await;
    start_blank(&page).await;
    page.click("#tab-acl").await;
    page.click("#acl-add").await;
    page.wait_for(r#".acl-card[data-acl="acl1"]"#).await;
    page.type_into(r#"[id="field-network_acls[0].name"]"#, "edge")
        .await;
    page.wait_for(r#".acl-card[data-acl="edge"]"#).await;
    page.click("#acl-0-tier-public").await;
    page.wait_for(r#"[id="field-network_acls[0].tiers[0]"]:checked"#)
        .await;

    // A number past AWS's last: the core's message, under the field.
    page.click(".acl-rules.ingress .acl-add-rule").await;
    let number = r#"[id="field-network_acls[0].ingress[0].rule_number"]"#;
    // Pasted: WebDriver's clear fires no `input`, and leaving the field re-sorts the table,
    // which puts the design's number back in the input before the keys come.
    page.set_value(number, "40000").await;
    let mut bad = blank();
    bad["network_acls"] = json!([{"name": "edge", "tiers": ["public"], "ingress": [
        {"rule_number": 40000, "action": "allow", "protocol": "tcp", "ports": 443, "cidr": "0.0.0.0/0"}
    ]}]);
    let (path, message) = plan_doc(&bad, None).expect_err("AWS takes up to 32766");
    assert_eq!(path, "network_acls[0].ingress[0].rule_number");
    // The field is marked, and the message shows in its rule's row under it.
    let shown = page
        .wait_until(
            &format!("the error {message:?} under the rule number's row"),
            &format!(
                "const f = document.getElementById({});
                 const e = f?.closest('tbody.acl-rule')?.querySelector('.acl-rule-notes .field-error');
                 return e && e.textContent === {} && e.offsetHeight > 0 && f.getAttribute('aria-invalid')",
                json!(format!("field-{path}")),
                json!(message)
            ),
        )
        .await;
    assert_eq!(shown, json!("true"));
    page.wait_for("#stale").await;
    page.screenshot("invalid-number").await;

    // Fixed, key by key, then left with Tab: the stale banner goes.
    page.set_value(number, "").await;
    page.type_into(number, "120").await;
    page.send_keys(number, "\u{e004}").await;
    page.wait_gone("#stale").await;
    page.wait_gone(".field-error").await;
    page.click(".acl-rules.egress .acl-add-rule").await;
    page.type_into(
        r#"[id="field-network_acls[0].egress[0].description"]"#,
        "replies",
    )
    .await;

    let mut doc = blank();
    doc["network_acls"] = json!([{"name": "edge", "tiers": ["public"],
    "ingress": [
        {"rule_number": 120, "action": "allow", "protocol": "tcp", "ports": 443, "cidr": "0.0.0.0/0"}
    ],
    "egress": [
        {"rule_number": 100, "action": "allow", "protocol": "tcp", "ports": "1024-65535",
         "cidr": "0.0.0.0/0", "description": "replies"}
    ]}]);
    let planned = plan_doc(&doc, None).expect("the design plans");
    expect_drawn(&page, "", &planned).await;
    let badges = r#"svg.topology-svg .acl-badge[data-acl="edge"]"#;
    page.poll("the ACL badge on public's two subnets", || async {
        match page.count(badges).await {
            2 => Ok(()),
            n => Err(format!("{n} badges")),
        }
    })
    .await;
    assert_eq!(
        page.count(r#".subnet-map .subnet[data-acl="edge"]"#).await,
        2
    );
    page.screenshot("acl-tab").await;

    let dir = scratch("acl");
    let bytes = export_matches_executor(&page, &dir, None).await;
    std::fs::remove_dir_all(dir).expect("remove the scratch folder");
    let exported: Value = serde_json::from_slice(&bytes).expect("the export is JSON");
    let design: Value = serde_json::from_str(&planned.plan.to_json()).expect("JSON");
    assert_eq!(exported["design"], design["design"], "the design typed");

    // The default ACL set to deny everything: the private tier's subnets say so.
    page.click("#tab-network").await;
    page.js(
        "const s = document.getElementById('field-vpc.default_network_acl');
         s.value = 'deny_all';
         s.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![],
    )
    .await;
    page.poll("the deny-all badge on private's two subnets", || async {
        let svg = page.count("svg.topology-svg .acl-badge.deny-all").await;
        let map = page.count(".subnet-map .subnet.deny-all").await;
        match (svg, map) {
            (2, 2) => Ok(()),
            other => Err(format!("{other:?} (diagram, map)")),
        }
    })
    .await;
    page.screenshot("deny-all").await;
    page.finish().await;
}
