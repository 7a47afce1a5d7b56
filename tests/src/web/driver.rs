//! chromedriver on a free loopback port, and the browser sessions it runs.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fantoccini::wd::Capabilities;
use fantoccini::ClientBuilder;
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

use super::{chromium, output_dir, tail, tool, Page, SETUP_HINT, TIMEOUT, WINDOW};
use crate::moto::free_port;

/// Sessions opened so far in this process, to name profile and download folders.
static SESSIONS: AtomicUsize = AtomicUsize::new(0);

/// Open sessions and their scratch folders, closed when the driver stops.
#[derive(Default)]
pub(super) struct Sessions {
    port: u16,
    open: BTreeMap<String, PathBuf>,
}

impl Sessions {
    /// Ends a session (quits its browser) and removes its scratch folder.
    pub(super) fn close(&mut self, id: &str) {
        if let Some(scratch) = self.open.remove(id) {
            let _ = blocking_request(self.port, "DELETE", &format!("/session/{id}"));
            let _ = std::fs::remove_dir_all(scratch);
        }
    }
}

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

/// A minimal blocking HTTP/1.1 request (one per connection) to 127.0.0.1:port: (status, body).
pub(super) fn blocking_request(
    port: u16,
    method: &str,
    path: &str,
) -> Result<(u16, String), String> {
    let timeout = Duration::from_secs(30);
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(timeout))
        .and_then(|()| stream.set_write_timeout(Some(timeout)))
        .map_err(|e| e.to_string())?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    // chromedriver keeps the connection open despite `Connection: close`: read the head,
    // then as many bytes as it announces.
    let mut response = Vec::new();
    let mut chunk = [0u8; 4096];
    let (head_len, status, length) = loop {
        let n = stream.read(&mut chunk).map_err(|e| e.to_string())?;
        if n == 0 {
            return Err(format!(
                "the connection closed mid-answer: {:.200}",
                String::from_utf8_lossy(&response)
            ));
        }
        response.extend_from_slice(&chunk[..n]);
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut parsed = httparse::Response::new(&mut headers);
        if let httparse::Status::Complete(len) =
            parsed.parse(&response).map_err(|e| e.to_string())?
        {
            let length = parsed
                .headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case("content-length"))
                .and_then(|h| {
                    std::str::from_utf8(h.value)
                        .ok()?
                        .trim()
                        .parse::<usize>()
                        .ok()
                });
            break (len, parsed.code.unwrap_or_default(), length);
        }
    };
    match length {
        Some(length) => {
            while response.len() < head_len + length {
                let n = stream.read(&mut chunk).map_err(|e| e.to_string())?;
                if n == 0 {
                    break;
                }
                response.extend_from_slice(&chunk[..n]);
            }
        }
        None => {
            stream
                .read_to_end(&mut response)
                .map_err(|e| e.to_string())?;
        }
    }
    let body = String::from_utf8_lossy(&response[head_len..]).into_owned();
    Ok((status, body))
}
