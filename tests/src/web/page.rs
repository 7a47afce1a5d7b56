//! One browser session on the page: navigation, waits, input, screenshots, downloads and the
//! browser's log.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use fantoccini::elements::Element;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, Locator};
use serde_json::{json, Value};

use super::sessions::Sessions;
use super::tools::{output_dir, POLL, TIMEOUT, WINDOW};

/// Installed in every document before the page's own scripts: records uncaught errors and
/// `console.error` calls in `window.__web.errors`, and the `performance.now()` at which the
/// first `svg.topology-svg` entered the document in `window.__web.firstSvg`.
const RECORDER: &str = r#"(() => {
  const web = window.__web = { errors: [], firstSvg: null };
  addEventListener('error', e => web.errors.push('uncaught: ' + (e.message || e.type)), true);
  addEventListener('unhandledrejection', e => web.errors.push('unhandled rejection: ' + e.reason));
  const error = console.error;
  console.error = function (...args) { web.errors.push(args.map(String).join(' ')); return error.apply(this, args); };
  const seen = () => {
    if (web.firstSvg === null && document.querySelector('svg.topology-svg')) {
      web.firstSvg = performance.now();
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(seen);
  observer.observe(document, { childList: true, subtree: true });
})();"#;

/// One browser session. Call [`Page::finish`] at the end of a test: it asserts that the
/// browser logged no error and closes the session.
pub struct Page {
    client: Client,
    id: String,
    name: String,
    downloads: PathBuf,
    base: String,
    driver: Arc<Mutex<Sessions>>,
}

/// A browser log entry (from chromedriver's log endpoint).
#[derive(Clone, Debug)]
pub struct LogEntry {
    /// `SEVERE`, `WARNING`, `INFO`, `DEBUG`.
    pub level: String,
    /// `console-api`, `javascript`, `network`, …
    pub source: String,
    /// The text.
    pub message: String,
}

impl Page {
    /// Wraps a new session and installs [`RECORDER`] in it.
    pub(super) async fn new(
        client: Client,
        id: String,
        name: &str,
        downloads: PathBuf,
        base: &str,
        sessions: Arc<Mutex<Sessions>>,
    ) -> Page {
        let page = Page {
            client,
            id,
            name: name.to_owned(),
            downloads,
            base: base.to_owned(),
            driver: sessions,
        };
        page.cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": RECORDER }),
        )
        .await;
        page
    }

    /// The WebDriver client, for anything the helpers do not cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Loads `url`: absolute, or a path on the test server (`/`, `/?plan=…`).
    pub async fn goto(&self, url: &str) {
        let url = match url.starts_with('/') {
            true => format!("{}{url}", self.base),
            false => url.to_owned(),
        };
        self.client
            .goto(&url)
            .await
            .unwrap_or_else(|e| panic!("[{}] goto {url}: {e}", self.name));
    }

    /// Reloads the page.
    pub async fn reload(&self) {
        self.client
            .refresh()
            .await
            .unwrap_or_else(|e| panic!("[{}] reload: {e}", self.name));
    }

    /// Runs `script` (a function body; `arguments` holds `args`) and returns its result.
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(script, args)
            .await
            .unwrap_or_else(|e| panic!("[{}] script failed: {e}\n{script}", self.name))
    }

    /// Runs an asynchronous `script`: it ends by calling its last argument with the result.
    pub async fn js_async(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute_async(script, args)
            .await
            .unwrap_or_else(|e| panic!("[{}] async script failed: {e}\n{script}", self.name))
    }

    /// Waits until `css` matches an element and returns the first.
    pub async fn wait_for(&self, css: &str) -> Element {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Ok(e) = self.client.find(Locator::Css(css)).await {
                return e;
            }
            if Instant::now() > deadline {
                self.timed_out(&format!("an element matching {css}")).await;
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits until `css` matches nothing.
    pub async fn wait_gone(&self, css: &str) {
        self.wait_until(
            &format!("nothing to match {css}"),
            &format!("return document.querySelector({}) === null", json!(css)),
        )
        .await;
    }

    /// Waits until `script` (a function body) returns something truthy, and returns it.
    /// `what` names the condition in the failure message.
    pub async fn wait_until(&self, what: &str, script: &str) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            match self.client.execute(script, vec![]).await {
                Ok(v) if truthy(&v) => return v,
                Ok(_) => {}
                Err(e) if Instant::now() > deadline => {
                    panic!("[{}] waiting for {what}: {e}", self.name)
                }
                Err(_) => {}
            }
            if Instant::now() > deadline {
                self.timed_out(what).await;
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Polls `check` until it returns `Ok`. `Err` says what it saw instead, for the failure
    /// message when the wait gives up.
    pub async fn poll<T, F, Fut>(&self, what: &str, mut check: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, String>>,
    {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let seen = match check().await {
                Ok(v) => return v,
                Err(seen) => seen,
            };
            if Instant::now() > deadline {
                self.timed_out(&format!("{what}; last seen: {seen}")).await;
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Fails a wait: saves a screenshot and says what the page shows.
    async fn timed_out(&self, what: &str) -> ! {
        let shot = self.screenshot("timeout").await;
        let state = self
            .client
            .execute(
                "const t = s => { const e = document.querySelector(s); return e && e.textContent; };
                 return { url: location.href, notice: t('#notice'), stale: t('#stale'),
                          errors: (window.__web || {}).errors,
                          body: document.body && document.body.innerText.slice(0, 2000) };",
                vec![],
            )
            .await
            .unwrap_or(Value::Null);
        let log = self.log().await;
        panic!(
            "[{}] gave up after {TIMEOUT:?} waiting for {what}\nscreenshot: {}\npage: {state:#}\nbrowser log: {log:#?}",
            self.name,
            shot.display()
        );
    }

    /// Clicks the element matching `css` once it is there.
    pub async fn click(&self, css: &str) {
        let e = self.wait_for(css).await;
        e.click()
            .await
            .unwrap_or_else(|err| panic!("[{}] click {css}: {err}", self.name));
    }

    /// Replaces the text of the input matching `css` by typing `text` into it, as a person
    /// would (one input event per character).
    pub async fn type_into(&self, css: &str, text: &str) {
        let e = self.wait_for(css).await;
        e.clear()
            .await
            .unwrap_or_else(|err| panic!("[{}] clear {css}: {err}", self.name));
        e.send_keys(text)
            .await
            .unwrap_or_else(|err| panic!("[{}] type into {css}: {err}", self.name));
    }

    /// Replaces the text of the input (or textarea) matching `css` at once, as a paste does:
    /// one `input` event, so the page sees no partly typed value.
    pub async fn set_value(&self, css: &str, text: &str) {
        self.wait_for(css).await;
        self.js(
            "const e = document.querySelector(arguments[0]);
             const proto = e instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
             Object.getOwnPropertyDescriptor(proto, 'value').set.call(e, arguments[1]);
             e.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));",
            vec![json!(css), json!(text)],
        )
        .await;
    }

    /// Sends `keys` to the element matching `css` as they are (e.g. a file path to a file
    /// input).
    pub async fn send_keys(&self, css: &str, keys: &str) {
        let e = self.wait_for(css).await;
        e.send_keys(keys)
            .await
            .unwrap_or_else(|err| panic!("[{}] send keys to {css}: {err}", self.name));
    }

    /// The `value` of the input matching `css`.
    pub async fn value(&self, css: &str) -> String {
        let e = self.wait_for(css).await;
        e.prop("value")
            .await
            .unwrap_or_else(|err| panic!("[{}] value of {css}: {err}", self.name))
            .unwrap_or_default()
    }

    /// The text content of the element matching `css`.
    pub async fn text(&self, css: &str) -> String {
        self.wait_for(css).await;
        let v = self
            .js(
                "return document.querySelector(arguments[0]).textContent",
                vec![json!(css)],
            )
            .await;
        v.as_str().unwrap_or_default().to_owned()
    }

    /// The attribute `attr` of every element matching `css`, in document order (elements
    /// without it are skipped).
    pub async fn attrs(&self, css: &str, attr: &str) -> Vec<String> {
        let v = self
            .js(
                "return Array.from(document.querySelectorAll(arguments[0]), e => e.getAttribute(arguments[1]))
                    .filter(v => v !== null)",
                vec![json!(css), json!(attr)],
            )
            .await;
        serde_json::from_value(v).expect("a list of strings")
    }

    /// How many elements match `css`.
    pub async fn count(&self, css: &str) -> usize {
        let v = self
            .js(
                "return document.querySelectorAll(arguments[0]).length",
                vec![json!(css)],
            )
            .await;
        v.as_u64().expect("a count") as usize
    }

    /// Saves a screenshot of the whole page (not only the window's part of it) as
    /// `target/test-output/web/<name>-<what>.png`.
    pub async fn screenshot(&self, what: &str) -> PathBuf {
        let path = output_dir().join(format!("{}-{what}.png", self.name));
        // The window grows to the page's height for the picture, then shrinks back.
        let height = self
            .client
            .execute(
                "return Math.ceil(document.documentElement.scrollHeight)",
                vec![],
            )
            .await
            .ok()
            .and_then(|h| h.as_u64())
            .unwrap_or(WINDOW.1 as u64)
            .clamp(WINDOW.1 as u64, 6000);
        let metrics = json!({
            "width": WINDOW.0, "height": height, "deviceScaleFactor": 1, "mobile": false,
        });
        let grown = self
            .try_cdp("Emulation.setDeviceMetricsOverride", metrics)
            .await
            .is_ok();
        match self.client.screenshot().await {
            Ok(png) => {
                std::fs::write(&path, png).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            }
            Err(e) => eprintln!("[{}] no screenshot {what}: {e}", self.name),
        }
        if grown {
            let _ = self
                .try_cdp("Emulation.clearDeviceMetricsOverride", json!({}))
                .await;
        }
        path
    }

    /// Waits for a download named `file_name` to complete and returns its bytes; the file is
    /// removed so that the next download of that name gets the name again.
    pub async fn download(&self, file_name: &str) -> Vec<u8> {
        let path = self.downloads.join(file_name);
        let dir = self.downloads.clone();
        let what = format!("the download of {file_name} in {}", dir.display());
        let bytes = self
            .poll(&what, || {
                let path = path.clone();
                let dir = dir.clone();
                async move {
                    let names: Vec<String> = std::fs::read_dir(&dir)
                        .map_err(|e| e.to_string())?
                        .flatten()
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .collect();
                    match names.iter().any(|n| n.ends_with(".crdownload")) {
                        true => Err(format!("partial files {names:?}")),
                        false => std::fs::read(&path).map_err(|_| format!("files {names:?}")),
                    }
                }
            })
            .await;
        std::fs::remove_file(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        bytes
    }

    /// The browser log entries since the last call (every level), from chromedriver.
    pub async fn log(&self) -> Vec<LogEntry> {
        let cmd = SessionCommand {
            path: "se/log",
            body: json!({ "type": "browser" }),
        };
        let entries = match self.client.issue_cmd(cmd).await {
            Ok(v) => v,
            Err(e) => panic!("[{}] cannot read the browser log: {e}", self.name),
        };
        entries
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| LogEntry {
                level: e["level"].as_str().unwrap_or_default().to_owned(),
                source: e["source"].as_str().unwrap_or_default().to_owned(),
                message: e["message"].as_str().unwrap_or_default().to_owned(),
            })
            .collect()
    }

    /// The errors the browser logged since the last call: `SEVERE` log entries (uncaught
    /// exceptions, `console.error`, failed loads) and what the in-page recorder caught in the
    /// current document.
    pub async fn errors(&self) -> Vec<String> {
        let mut errors: Vec<String> = self
            .log()
            .await
            .into_iter()
            .filter(|e| e.level == "SEVERE")
            .map(|e| format!("{} {}: {}", e.level, e.source, e.message))
            .collect();
        let recorded = self
            .client
            .execute(
                "const w = window.__web; if (!w) return []; const e = w.errors; w.errors = []; return e;",
                vec![],
            )
            .await
            .unwrap_or(Value::Null);
        errors.extend(
            recorded
                .as_array()
                .into_iter()
                .flatten()
                .map(|e| format!("in page: {}", e.as_str().unwrap_or_default())),
        );
        errors
    }

    /// Panics if the browser logged an error since the last check.
    pub async fn assert_no_errors(&self) {
        let errors = self.errors().await;
        assert!(
            errors.is_empty(),
            "[{}] the browser logged errors:\n{}",
            self.name,
            errors.join("\n")
        );
    }

    /// Asserts that the browser logged no error, then closes the session.
    pub async fn finish(self) {
        self.assert_no_errors().await;
        let Page {
            client, id, driver, ..
        } = self;
        let _ = client.close().await;
        driver.lock().expect("session list").close(&id);
    }

    /// Runs a Chrome DevTools Protocol command through chromedriver.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.try_cdp(cmd, params)
            .await
            .unwrap_or_else(|e| panic!("[{}] CDP command {cmd} failed: {e}", self.name))
    }

    async fn try_cdp(
        &self,
        cmd: &str,
        params: Value,
    ) -> Result<Value, fantoccini::error::CmdError> {
        let cmd = SessionCommand {
            path: "goog/cdp/execute",
            body: json!({ "cmd": cmd, "params": params }),
        };
        self.client.issue_cmd(cmd).await
    }
}

/// Truthy as JavaScript has it (for a value that crossed WebDriver).
fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|n| n != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

/// A chromedriver extension command: `POST /session/{id}/{path}` with a JSON body.
#[derive(Debug)]
struct SessionCommand {
    path: &'static str,
    body: Value,
}

impl WebDriverCompatibleCommand for SessionCommand {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        let id = session_id.unwrap_or_default();
        base_url.join(&format!("session/{id}/{}", self.path))
    }

    fn method_and_body(&self, _url: &url::Url) -> (hyper::Method, Option<String>) {
        (hyper::Method::POST, Some(self.body.to_string()))
    }
}
