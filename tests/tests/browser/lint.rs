//! The IAM tab's "Lint a policy" box: pasted documents get the findings `executor lint` gives
//! (the same codes, paths, lines and columns), malformed text its one-line error, and the
//! pasted text stays through errors, a tab switch and a reload.

use serde_json::json;
use tests::web::Page;

use crate::baseline::start_blank;

const TEXT: &str = "#lint-policy-text";
const FINDINGS: &str = "#lint-policy-findings .finding";

/// `code path line:column` of every finding the box lists.
async fn shown(page: &Page) -> Vec<String> {
    let v = page
        .js(
            "return Array.from(document.querySelectorAll(arguments[0]),
                e => `${e.dataset.code} ${e.dataset.path} ${e.dataset.line}:${e.dataset.column}`)",
            vec![json!(FINDINGS)],
        )
        .await;
    serde_json::from_value(v).expect("strings")
}

/// What the core's `lint` (and so `executor lint`) finds in `text`, as [`shown`] lists it.
fn expected(text: &str) -> Vec<String> {
    let linted = planner_core::lint::lint(text).expect("the document is read");
    linted
        .findings
        .iter()
        .map(|f| format!("{} {} {}:{}", f.code, f.path, f.line, f.column))
        .collect()
}

/// Pastes `text` and waits until the box lists what the core finds in it.
async fn paste_and_expect(page: &Page, text: &str) -> Vec<String> {
    let want = expected(text);
    page.set_value(TEXT, text).await;
    page.poll(&format!("the findings {want:?}"), || async {
        let got = shown(page).await;
        match got == want {
            true => Ok(()),
            false => Err(format!("{got:?}")),
        }
    })
    .await;
    want
}

#[tokio::test]
async fn a_pasted_policy_gets_the_findings_executor_lint_gives_and_is_kept() {
    let web = tests::web::Web::start().await;
    let page = web.open("lint").await;
    page.goto("/").await;
    start_blank(&page).await;
    page.click("#tab-iam").await;

    let fixtures = tests::fixtures().join("policies");
    let read = |name: &str| std::fs::read_to_string(fixtures.join(name)).expect("the fixture");
    for (name, kind) in [
        ("identity-broad.json", "identity policy"),
        ("trust-cross-account.json", "trust policy"),
        ("bucket-policy.json", "resource policy"),
    ] {
        let text = read(name);
        let want = paste_and_expect(&page, &text).await;
        assert!(!want.is_empty(), "{name} has findings");
        let summary = page.text("#lint-policy-summary").await;
        assert!(summary.starts_with(&format!("{kind}: ")), "{summary}");
        page.screenshot(&format!("lint-{}", name.trim_end_matches(".json")))
            .await;
    }

    // Malformed: the one-line error the core gives, and the text exactly as pasted.
    let broken = read("identity-broad.json").replace("\"Allow\"", "\"Permit\"");
    let error = match planner_core::lint::lint(&broken) {
        Err(planner_core::PlanError::Input(e)) => e.to_string(),
        other => panic!("{other:?}"),
    };
    assert!(error.starts_with("at Statement[0].Effect: "), "{error}");
    page.set_value(TEXT, &broken).await;
    page.wait_until(
        "the error under the box",
        &format!(
            "return document.getElementById('lint-policy-error')?.textContent === {}",
            json!(error)
        ),
    )
    .await;
    assert_eq!(page.count(FINDINGS).await, 0);
    assert_eq!(page.value(TEXT).await, broken);
    page.screenshot("lint-error").await;

    // Another tab and back, then a reload: the text is still there, and the design untouched.
    page.click("#tab-network").await;
    page.wait_for(r#"[id="field-name"]"#).await;
    page.click("#tab-iam").await;
    assert_eq!(page.value(TEXT).await, broken);
    let trust = read("trust-cross-account.json");
    let want = paste_and_expect(&page, &trust).await;
    page.reload().await;
    page.click("#tab-iam").await;
    assert_eq!(page.value(TEXT).await, trust);
    page.poll("the findings after the reload", || async {
        let got = shown(&page).await;
        match got == want {
            true => Ok(()),
            false => Err(format!("{got:?}")),
        }
    })
    .await;
    assert_eq!(page.text(".design-name").await, "my-network");
    page.finish().await;
}
