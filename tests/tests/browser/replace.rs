//! Nothing replaces work without asking: New… and share links over unsaved or different work
//! ask in the page first, a link pasted into the open tab arrives by `hashchange`, and Undo
//! brings back a replaced design or a removed tier. Autosave follows every step.

use serde_json::json;
use tests::web::{Page, Web};

use crate::baseline::start_blank;
use crate::VPC_CIDR;

/// The design name in the toolbar.
async fn name(page: &Page) -> String {
    page.text(".design-name").await
}

/// Waits until the toolbar shows the design `want`.
async fn wait_name(page: &Page, want: &str) {
    page.wait_until(
        &format!("the design {want}"),
        &format!(
            "return document.querySelector('.design-name')?.textContent === {}",
            json!(want)
        ),
    )
    .await;
}

/// Picks `preset` in the start dialog, opened with New….
async fn new_from(page: &Page, preset: &str) {
    page.click("#new").await;
    page.click(&format!("#start-{preset}")).await;
    page.click("#start-go").await;
    page.wait_gone("#start-go").await;
}

/// The question of the confirm dialog, once it shows.
async fn question(page: &Page) -> String {
    page.wait_for("#confirm").await;
    page.text("#confirm-text").await
}

/// The design name autosave holds.
async fn autosaved_name(page: &Page) -> String {
    let v = page
        .js(
            "const s = localStorage.getItem('vpc-planner:autosave');
             return s && JSON.parse(s).design.name",
            vec![],
        )
        .await;
    v.as_str().unwrap_or_default().to_owned()
}

/// Waits until autosave holds the design `want`.
async fn wait_autosaved(page: &Page, want: &str) {
    page.poll(&format!("autosave to hold {want}"), || async {
        let saved = autosaved_name(page).await;
        match saved == want {
            true => Ok(()),
            false => Err(saved),
        }
    })
    .await;
}

/// The tiers' names, in order.
async fn tier_names(page: &Page) -> Vec<String> {
    let v = page
        .js(
            r#"return Array.from(document.querySelectorAll('.tier input[id$=".name"]'), e => e.value)"#,
            vec![],
        )
        .await;
    serde_json::from_value(v).expect("strings")
}

#[tokio::test]
async fn new_and_share_links_ask_before_replacing_work_and_undo_brings_it_back() {
    let web = Web::start().await;
    // A share link of the titus preset, from another browser.
    let other = web.open("replace-link").await;
    other.goto("/").await;
    crate::start_preset(&other, "titus").await;
    other.click("#share").await;
    let link = other.value("#share-link").await;
    other.finish().await;

    let page = web.open("replace").await;
    page.goto("/").await;
    start_blank(&page).await;
    page.type_into(r#"[id="field-name"]"#, "mine").await;
    page.type_into(VPC_CIDR, "10.9.0.0/16").await;
    wait_autosaved(&page, "mine").await;

    // New… over unsaved work: asked, and "keep" keeps it.
    new_from(&page, "tinystacks").await;
    let q = question(&page).await;
    assert!(
        q.contains("“mine”") && q.contains("not exported"),
        "the question names the design and why: {q:?}"
    );
    page.screenshot("asked").await;
    page.click("#confirm-keep").await;
    page.wait_gone("#confirm").await;
    assert_eq!(name(&page).await, "mine");
    assert_eq!(page.value(VPC_CIDR).await, "10.9.0.0/16");
    // Asked again, replaced, and undone.
    new_from(&page, "tinystacks").await;
    question(&page).await;
    page.click("#confirm-replace").await;
    wait_name(&page, "tinystacks").await;
    wait_autosaved(&page, "tinystacks").await;
    let undo = page.wait_for("#undo").await;
    let label = undo.attr("aria-label").await.ok().flatten();
    assert_eq!(
        label.as_deref(),
        Some("Undo replacing the design “mine”"),
        "the undo button says what it undoes"
    );
    page.click("#undo").await;
    wait_name(&page, "mine").await;
    assert_eq!(page.value(VPC_CIDR).await, "10.9.0.0/16");
    wait_autosaved(&page, "mine").await;

    // A removed tier comes back with Undo, in its place.
    assert_eq!(tier_names(&page).await, ["public", "private"]);
    page.click(r#"button[aria-label="Remove tier 1"]"#).await;
    page.wait_gone(r#"[id="field-tiers[1].name"]"#).await;
    let undo = page.wait_for("#undo").await;
    assert_eq!(
        undo.attr("aria-label").await.ok().flatten().as_deref(),
        Some("Undo removing tier “public”")
    );
    page.click("#undo").await;
    page.poll("the tier back in its place", || async {
        let names = tier_names(&page).await;
        match names == ["public", "private"] {
            true => Ok(()),
            false => Err(format!("{names:?}")),
        }
    })
    .await;

    // A share link pasted into this tab: only the fragment changes, and the page asks.
    page.js("location.href = arguments[0]", vec![json!(link)])
        .await;
    let q = question(&page).await;
    assert!(q.contains("“titus”") && q.contains("“mine”"), "{q:?}");
    page.click("#confirm-replace").await;
    wait_name(&page, "titus").await;
    let url = page.js("return location.href", vec![]).await;
    assert!(
        !url.as_str().unwrap_or_default().contains("#design="),
        "the link leaves the URL once answered: {url}"
    );
    page.click("#undo").await;
    wait_name(&page, "mine").await;
    wait_autosaved(&page, "mine").await;

    // The link opened in a new page load over the autosaved work: asked too; kept.
    page.goto("about:blank").await;
    page.goto(&link).await;
    let q = question(&page).await;
    assert!(q.contains("“titus”"), "{q:?}");
    page.click("#confirm-keep").await;
    wait_name(&page, "mine").await;
    assert_eq!(autosaved_name(&page).await, "mine");
    page.reload().await;
    wait_name(&page, "mine").await;
    assert_eq!(
        page.count("#confirm").await,
        0,
        "the link is gone from the URL"
    );
    assert_eq!(page.value(VPC_CIDR).await, "10.9.0.0/16");
    page.finish().await;
}
