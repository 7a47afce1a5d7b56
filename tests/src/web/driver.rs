//! chromedriver on a free loopback port, and the browser sessions it runs.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fantoccini::wd::Capabilities;
use fantoccini::ClientBuilder;
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

use super::page::Page;
use super::sessions::{blocking_request, Sessions};
use super::tools::{chromium, output_dir, tail, tool, SETUP_HINT, TIMEOUT, WINDOW};
use crate::moto::free_port;

/// Sessions opened so far in this process, to name profile and download folders.
static SESSIONS: AtomicUsize = AtomicUsize::new(0);

/// A running chromedriver; quits its sessions and is killed on drop.
pub(super) struct Driver {
    child: Child,
    port: u16,
    log: PathBuf,
    sessions: Arc<Mutex<Sessions>>,
}

impl Driver {
    /// Starts chromedriver on a free port and waits until it is ready.
    pub(super) fn start() -> Driver {
        let bin = tool("chromedriver");
        let mut last_error = String::new();
        // The port is free when picked but could be taken before chromedriver binds it.
        for _ in 0..3 {
            match Driver::try_start(&bin) {
                Ok(d) => return d,
                Err(e) => last_error = e,
            }
        }
        panic!(
            "chromedriver ({}) did not start: {last_error}",
            bin.display()
        );
    }

    fn try_start(bin: &Path) -> Result<Driver, String> {
        let port = free_port();
        let log = output_dir().join(format!("chromedriver-{port}.log"));
        let log_file = File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
        let child = Command::new(bin)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log_file.try_clone().map_err(|e| e.to_string())?)
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}; {SETUP_HINT}", bin.display()))?;
        let sessions = Arc::new(Mutex::new(Sessions {
            port,
            ..Sessions::default()
        }));
        let mut driver = Driver {
            child,
            port,
            log,
            sessions,
        };
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Ok(Some(status)) = driver.child.try_wait() {
                return Err(format!("exited with {status}:\n{}", driver.log_tail()));
            }
            if let Ok((200, body)) = blocking_request(port, "GET", "/status") {
                if body.contains("\"ready\":true") {
                    return Ok(driver);
                }
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "not ready after {TIMEOUT:?}:\n{}",
                    driver.log_tail()
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// A new browser session with a fresh profile and download folder, on a page of `base`.
    pub(super) async fn open(&self, name: &str, base: &str) -> Page {
        let n = SESSIONS.fetch_add(1, Ordering::Relaxed);
        let scratch =
            std::env::temp_dir().join(format!("planner-web-test-{}-{n}", std::process::id()));
        let profile = scratch.join("profile");
        let downloads = scratch.join("downloads");
        for dir in [&profile, &downloads] {
            std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        }
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities(&profile, &downloads))
            .connect(&self.endpoint())
            .await
            .unwrap_or_else(|e| {
                panic!(
                    "chromedriver could not start {}: {e}\nchromedriver log:\n{}",
                    chromium().display(),
                    self.log_tail()
                )
            });
        let id = client
            .session_id()
            .await
            .expect("a session id")
            .expect("a started session has an id");
        self.sessions
            .lock()
            .expect("session list")
            .open
            .insert(id.clone(), scratch);
        Page::new(client, id, name, downloads, base, self.sessions.clone()).await
    }

    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn log_tail(&self) -> String {
        tail(&std::fs::read_to_string(&self.log).unwrap_or_default(), 30)
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if let Ok(mut sessions) = self.sessions.lock() {
            let ids: Vec<String> = sessions.open.keys().cloned().collect();
            for id in ids {
                sessions.close(&id);
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

/// Chromium's flags: headless, and no call to Google (there is no network here).
fn capabilities(profile: &Path, downloads: &Path) -> Capabilities {
    let args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
    ]
    .map(str::to_owned)
    .into_iter()
    .chain([
        format!("--window-size={},{}", WINDOW.0, WINDOW.1),
        format!("--user-data-dir={}", profile.display()),
    ]);
    let caps = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": chromium(),
            "args": args.collect::<Vec<_>>(),
            "prefs": {
                "download.default_directory": downloads,
                "download.prompt_for_download": false,
                "download.directory_upgrade": true,
            },
        },
        "goog:loggingPrefs": { "browser": "ALL" },
    });
    match caps {
        Value::Object(map) => map,
        _ => unreachable!("a JSON object literal"),
    }
}
