//! The browser editor (planner-web) in headless Chromium, for end-to-end tests.
//!
//! [`Web::start`] builds the page once per test run (`trunk build --release --dist
//! target/web-dist`), serves it from a small static file server on a free loopback port and
//! starts `chromedriver` on another; [`Web::open`] starts a browser session ([`Page`]) with a
//! fresh profile and download folder. Everything stops when dropped.
//!
//! Only one [`Web`] exists at a time in a test binary (the machine has two cores and a browser
//! uses both): [`Web::start`] waits for the previous one to be dropped.
//!
//! Waits poll with a generous timeout ([`TIMEOUT`]): CI machines are slow and a wait is not a
//! timing assertion. Screenshots and the timing report go to `target/test-output/web/`.
//!
//! `tests/setup-web.sh` installs the tools: trunk, wasm-bindgen, wasm-opt, chromium and
//! chromedriver. Set `PLANNER_WEB_DIST` to a folder holding a built page to skip the build.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Instant;

use tokio::sync::MutexGuard;

use crate::moto::workspace_dir;

mod driver;
mod page;
mod server;
mod sessions;
mod tools;

pub use page::{LogEntry, Page};
pub use server::{content_type, Server};
pub use tools::{output_dir, tool_path, TIMEOUT};

use driver::Driver;
use tools::{tail, tool, SETUP_HINT};

/// Only one browser at a time: see the module docs.
static BROWSER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The built page (`index.html`, the wasm, js and css): built on first use, once per process.
pub fn dist() -> &'static Path {
    static DIST: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match DIST.get_or_init(build) {
        Ok(dir) => dir,
        Err(e) => panic!("{e}"),
    }
}

/// `trunk build --release --dist target/web-dist` from the workspace root, or
/// `$PLANNER_WEB_DIST` (relative to the workspace) as it is.
fn build() -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os("PLANNER_WEB_DIST").filter(|p| !p.is_empty()) {
        // Relative to the workspace, not to the test's working directory (the crate's).
        let dir = workspace_dir().join(dir);
        return match dir.join("index.html").is_file() {
            true => Ok(dir),
            false => Err(format!("PLANNER_WEB_DIST={}: no index.html", dir.display())),
        };
    }
    for name in ["trunk", "wasm-bindgen", "wasm-opt", "chromedriver"] {
        tool(name);
    }
    let root = workspace_dir();
    let dist = root.join("target/web-dist");
    let log = output_dir().join("trunk-build.log");
    let log_file = File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
    let log_err = log_file
        .try_clone()
        .map_err(|e| format!("{}: {e}", log.display()))?;
    let started = Instant::now();
    eprintln!("building the page: trunk build --release --dist target/web-dist");
    let status = Command::new(tool("trunk"))
        .args(["build", "--release", "--dist", "target/web-dist"])
        .current_dir(&root)
        .env("PATH", tool_path())
        .env("TRUNK_COLOR", "never")
        .env("TRUNK_SKIP_VERSION_CHECK", "true")
        .stdin(Stdio::null())
        .stdout(log_file)
        .stderr(log_err)
        .status()
        .map_err(|e| format!("cannot run trunk: {e}; {SETUP_HINT}"))?;
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    if !status.success() {
        return Err(format!(
            "trunk build failed ({status}); the tools may be missing ({SETUP_HINT}). {}:\n{}",
            log.display(),
            tail(&text, 40)
        ));
    }
    if !dist.join("index.html").is_file() {
        return Err(format!("trunk build made no {}/index.html", dist.display()));
    }
    eprintln!("built the page in {:.1?}", started.elapsed());
    Ok(dist)
}

/// The page served, chromedriver and the sessions opened: one per test.
pub struct Web {
    // Dropped in this order: the browsers quit before the page stops being served.
    driver: Driver,
    server: Server,
    _turn: MutexGuard<'static, ()>,
}

impl Web {
    /// Builds the page (once per process), waits for any other [`Web`] of this process to be
    /// dropped, then serves the page and starts chromedriver.
    pub async fn start() -> Web {
        let dist = dist();
        let turn = BROWSER.lock().await;
        let server = Server::start(dist);
        let driver = Driver::start();
        Web {
            driver,
            server,
            _turn: turn,
        }
    }

    /// The static file server.
    pub fn server(&self) -> &Server {
        &self.server
    }

    /// `http://127.0.0.1:PORT` followed by `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        self.server.url(path)
    }

    /// A new browser session with a fresh profile and download folder. `name` prefixes its
    /// screenshots.
    pub async fn open(&self, name: &str) -> Page {
        self.driver.open(name, &self.url("")).await
    }
}
