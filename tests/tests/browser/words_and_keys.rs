//! The editor in the user's words and at the keyboard: a broken field says what it expects
//! without a Rust type or serde phrase, choices read as names, a blank design starts without
//! a warning; the New… dialog keeps focus until it closes and gives it back, every toolbar
//! control shows a focus ring, and focus follows a moved tier and never lands where a second
//! Enter removes another.

use serde_json::{json, Value};
use tests::web::{Page, Web};

use crate::baseline::start_blank;
use crate::start_preset;

/// What serde or Rust would say and a user should never read.
const SERDE_WORDS: &str = r"/\b[ui](8|16|32|64|size)\b|invalid type|invalid value|unknown variant|`|struct [A-Z]|a sequence|\ba map\b/";

/// The id of the focused element.
async fn focused(page: &Page) -> Value {
    page.js("return document.activeElement?.id ?? null", vec![])
        .await
}

/// Waits until the element with DOM id `id` has focus.
async fn wait_focus(page: &Page, id: &str) {
    page.wait_until(
        &format!("focus on #{id}"),
        &format!("return document.activeElement?.id === {}", json!(id)),
    )
    .await;
}

/// Any text on the page in serde's or Rust's words.
async fn serde_text(page: &Page) -> Value {
    page.js(
        &format!("return document.body.innerText.match({SERDE_WORDS})?.[0] ?? null"),
        vec![],
    )
    .await
}

#[tokio::test]
async fn broken_fields_say_what_they_expect_in_words() {
    let web = Web::start().await;
    let page = web.open("words").await;
    page.goto("/").await;
    start_blank(&page).await;
    page.click("#tab-network").await;

    let cases = [
        (
            r#"[id="field-tiers[0].size"]"#,
            "-1",
            r#"expected a prefix length from 16 to 28, got "-1""#,
        ),
        (
            r#"[id="field-tiers[1].reserve"]"#,
            "x",
            r#"expected a number of blocks to keep free for the tier's growth, from 0 to 255, got "x""#,
        ),
        (
            r#"[id="field-reserved_az_slots"]"#,
            "two",
            r#"expected a number of AZ slots to keep free, from 0 to 255, got "two""#,
        ),
        (
            r#"[id="field-tiers[0].max_azs"]"#,
            "all",
            r#"expected a number of AZs from 1 to 6, got "all""#,
        ),
    ];
    // Where the form's last control sits: a message must not move it.
    let add_tier_top =
        "return document.getElementById('add-tier').getBoundingClientRect().top + window.scrollY";
    let before = page.js(add_tier_top, vec![]).await;
    for (input, text, message) in cases {
        let original = page.value(input).await;
        page.set_value(input, text).await;
        let shown = page
            .wait_until(
                &format!("the message under {input}"),
                &format!(
                    "return document.querySelector({})?.closest('.field')?.querySelector('.field-error')?.textContent",
                    json!(input)
                ),
            )
            .await;
        assert_eq!(shown, json!(message), "{input}");
        let times = page
            .js(
                "return [...document.querySelectorAll('.panel .field-error')].filter(e => e.textContent === arguments[0]).length",
                vec![json!(message)],
            )
            .await;
        assert_eq!(
            times,
            json!(1),
            "{input}: the message shows once, at its field"
        );
        assert_eq!(
            page.js(add_tier_top, vec![]).await,
            before,
            "{input}: the message moves nothing"
        );
        assert_eq!(serde_text(&page).await, Value::Null, "{input} = {text:?}");
        page.screenshot(&format!(
            "words-{}",
            input
                .trim_start_matches(r#"[id="field-"#)
                .trim_end_matches(r#""]"#)
                .replace(['[', ']'], "")
        ))
        .await;
        page.set_value(input, &original).await;
        page.wait_gone("#stale").await;
    }

    // The NAT choice reads as a name with a line on what it does; the JSON keeps its id.
    let nat = page
        .js(
            "const s = document.getElementById('field-nat');
             return [s.value, s.selectedOptions[0].textContent, document.getElementById('nat-help').textContent]",
            vec![],
        )
        .await;
    assert_eq!(nat[0], json!("gateway_per_az"));
    assert_eq!(nat[1], json!("A NAT gateway in each AZ"));
    assert!(
        nat[2].as_str().unwrap().contains("own managed gateway"),
        "{nat}"
    );
    let kind = page
        .js(
            "return document.getElementById('field-tiers[1].kind').selectedOptions[0].textContent",
            vec![],
        )
        .await;
    assert_eq!(kind, json!("Private (out through NAT)"));

    // The blank design starts without a warning, and with no group the reachability box
    // asks for one instead of asking whether the internet reaches itself.
    assert_eq!(page.count(".findings .sev.warning").await, 0);
    assert_eq!(page.count(".findings .sev.error").await, 0);
    page.click("#tab-sg").await;
    page.wait_for("#reach-none").await;
    assert_eq!(page.count("#reach-from").await, 0);

    page.assert_no_errors().await;
    page.finish().await;

    // A design without a VPC prices nothing.
    let page = web.open("words-no-vpc").await;
    page.goto("/").await;
    start_preset(&page, "determined").await;
    page.wait_for("section.subnet-map").await;
    assert_eq!(page.count("section.cost").await, 0);
    assert_eq!(serde_text(&page).await, Value::Null);
    page.assert_no_errors().await;
    page.finish().await;
}

/// WebDriver's Tab and Shift+Tab (Shift stays down until the null key).
const TAB: &str = "\u{E004}";
const SHIFT_TAB: &str = "\u{E008}\u{E004}\u{E000}";
const ESCAPE: &str = "\u{E00C}";

#[tokio::test]
async fn the_new_dialog_keeps_focus_and_gives_it_back() {
    let web = Web::start().await;
    let page = web.open("dialog-focus").await;
    page.goto("/").await;
    start_blank(&page).await;

    page.click("#new").await;
    wait_focus(&page, "start-go").await;
    page.send_keys("#start-go", TAB).await;
    wait_focus(&page, "start-cancel").await;
    // Past the last control, back to the first (the chosen start).
    page.send_keys("#start-cancel", TAB).await;
    wait_focus(&page, "start-blank").await;
    page.send_keys("#start-blank", SHIFT_TAB).await;
    wait_focus(&page, "start-cancel").await;
    // Escape closes it, and focus is back on New….
    page.send_keys("#start-cancel", ESCAPE).await;
    page.wait_gone("#start-dialog").await;
    wait_focus(&page, "new").await;

    // From New…, Tab reaches Import…, whose label shows the ring.
    page.send_keys("#new", TAB).await;
    wait_focus(&page, "import-file").await;
    let ring = page
        .js(
            "return getComputedStyle(document.querySelector('label[for=import-file]')).outlineStyle",
            vec![],
        )
        .await;
    assert_ne!(ring, json!("none"), "Import… shows a focus ring");
    page.screenshot("import-focus").await;
    page.assert_no_errors().await;
    page.finish().await;
}

#[tokio::test]
async fn focus_follows_a_moved_tier_and_a_removal_leaves_no_button_focused() {
    let web = Web::start().await;
    let page = web.open("tier-focus").await;
    page.goto("/").await;
    start_blank(&page).await;
    page.click("#tab-network").await;

    // The public tier moves down to the last place: focus stays on it (its Up button, since
    // it cannot go further down).
    page.click("#tier-0-down").await;
    page.wait_until(
        "the public tier second",
        "return document.getElementById('field-tiers[1].name')?.value === 'public'",
    )
    .await;
    wait_focus(&page, "tier-1-up").await;
    page.send_keys("#tier-1-up", "\u{E007}").await;
    page.wait_until(
        "the public tier first again",
        "return document.getElementById('field-tiers[0].name')?.value === 'public'",
    )
    .await;
    wait_focus(&page, "tier-0-down").await;

    // Removed: focus goes to the tier that took its place, and Enter there removes nothing.
    page.click("#tier-0-remove").await;
    page.wait_gone(r#"[id="field-tiers[1].name"]"#).await;
    wait_focus(&page, "field-tiers[0]").await;
    let tag = page
        .js("return document.activeElement.tagName", vec![])
        .await;
    assert_eq!(tag, json!("DIV"));
    page.send_keys(r#"[id="field-tiers[0]"]"#, "\u{E007}").await;
    assert_eq!(page.count(r#"[id="field-tiers[0].name"]"#).await, 1);
    assert_eq!(focused(&page).await, json!("field-tiers[0]"));
    page.assert_no_errors().await;
    page.finish().await;
}
