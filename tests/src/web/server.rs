//! A static file server for the built page, with extra files a test adds.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::oneshot;

/// Files added with [`Server::put`]: path → (content type, bytes).
type Extra = Arc<Mutex<BTreeMap<String, (String, Vec<u8>)>>>;

/// A static file server for the built page on a free 127.0.0.1 port, on its own thread;
/// stops when dropped.
///
/// `GET /` (with or without a query) is `index.html`; other paths are files of the folder or
/// of [`Server::put`]; an unknown path with a query string is `index.html` too (the page reads
/// its query itself); anything else is 404.
pub struct Server {
    port: u16,
    extra: Extra,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Serves `root`.
    pub fn start(root: &Path) -> Server {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        listener
            .set_nonblocking(true)
            .expect("a non-blocking listener");
        let port = listener.local_addr().expect("a bound address").port();
        let extra = Extra::default();
        let (shutdown, mut stop) = oneshot::channel::<()>();
        let root = root.to_path_buf();
        let files = extra.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a tokio runtime");
            rt.block_on(async move {
                let listener =
                    tokio::net::TcpListener::from_std(listener).expect("a tokio listener");
                loop {
                    tokio::select! {
                        _ = &mut stop => break,
                        accepted = listener.accept() => {
                            if let Ok((stream, _)) = accepted {
                                tokio::spawn(serve(stream, root.clone(), files.clone()));
                            }
                        }
                    }
                }
            });
        });
        Server {
            port,
            extra,
            shutdown: Some(shutdown),
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Serves `bytes` at `path` (which starts with `/`) as `content_type`.
    pub fn put(&self, path: &str, content_type: &str, bytes: impl Into<Vec<u8>>) {
        self.extra
            .lock()
            .expect("served files")
            .insert(path.to_owned(), (content_type.to_owned(), bytes.into()));
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The content type of a file, by extension.
pub fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}

/// Answers one request on `stream` and closes it.
async fn serve(mut stream: tokio::net::TcpStream, root: PathBuf, extra: Extra) {
    let mut buf = Vec::with_capacity(2048);
    let mut chunk = [0u8; 2048];
    let target = loop {
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut req = httparse::Request::new(&mut headers);
        match req.parse(&buf) {
            Ok(httparse::Status::Complete(_)) => {
                break (
                    req.method.unwrap_or_default().to_owned(),
                    req.path.unwrap_or_default().to_owned(),
                )
            }
            Ok(httparse::Status::Partial) if buf.len() < 64 * 1024 => {}
            _ => return,
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let (method, target) = target;
    let (status, kind, body) = match method.as_str() {
        "GET" | "HEAD" => match lookup(&root, &extra, &target) {
            Some((kind, body)) => ("200 OK", kind, body),
            None => (
                "404 Not Found",
                "text/plain; charset=utf-8".to_owned(),
                format!("{target}: not found\n").into_bytes(),
            ),
        },
        _ => (
            "405 Method Not Allowed",
            "text/plain; charset=utf-8".to_owned(),
            Vec::new(),
        ),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes()).await;
    if method != "HEAD" {
        let _ = stream.write_all(&body).await;
    }
    let _ = stream.shutdown().await;
}

/// The content type and bytes for a request target.
fn lookup(root: &Path, extra: &Extra, target: &str) -> Option<(String, Vec<u8>)> {
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (target, None),
    };
    let path = path.split('#').next().unwrap_or_default();
    if let Some((kind, bytes)) = extra.lock().ok()?.get(path) {
        return Some((kind.clone(), bytes.clone()));
    }
    let index = || {
        let bytes = std::fs::read(root.join("index.html")).ok()?;
        Some((content_type("index.html").to_owned(), bytes))
    };
    if path == "/" || path.is_empty() {
        return index();
    }
    let relative = path.trim_start_matches('/');
    let safe = !relative
        .split('/')
        .any(|s| s.is_empty() || s == "." || s == ".." || s.contains('\\'));
    let file = root.join(relative);
    match std::fs::read(&file) {
        Ok(bytes) if safe => Some((content_type(relative).to_owned(), bytes)),
        _ if query.is_some() => index(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::net::TcpStream;

    use super::*;

    #[test]
    fn content_types_by_extension() {
        assert_eq!(content_type("app_bg.wasm"), "application/wasm");
        assert_eq!(content_type("app.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("plan.json"), "application/json");
        assert_eq!(content_type("README"), "application/octet-stream");
    }

    #[test]
    fn serves_files_index_and_404() {
        let root = std::env::temp_dir().join(format!("web-server-test-{}", std::process::id()));
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join("index.html"), "<p>index</p>").unwrap();
        std::fs::write(root.join("app.wasm"), b"\0asm").unwrap();
        let server = Server::start(&root);
        server.put("/plans/p.json", "application/json", "{}");
        let get = |path: &str| {
            let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
            write!(stream, "GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
            let mut response = String::new();
            stream.read_to_string(&mut response).unwrap();
            let (head, body) = response.split_once("\r\n\r\n").unwrap();
            let status = head.split(' ').nth(1).unwrap().to_owned();
            let kind = head
                .lines()
                .find_map(|l| l.strip_prefix("Content-Type: "))
                .unwrap()
                .to_owned();
            (status, kind, body.to_owned())
        };
        let html = "text/html; charset=utf-8";
        let index = ("200".into(), html.into(), "<p>index</p>".into());
        assert_eq!(get("/"), index);
        assert_eq!(get("/?plan=/plans/p.json"), index);
        assert_eq!(get("/editor?design=1"), index);
        let wasm = ("200".into(), "application/wasm".into(), "\0asm".into());
        assert_eq!(get("/app.wasm"), wasm);
        let json = ("200".into(), "application/json".into(), "{}".into());
        assert_eq!(get("/plans/p.json"), json);
        assert_eq!(get("/missing.js").0, "404");
        assert_eq!(get("/../index.html").0, "404");
        drop(server);
        std::fs::remove_dir_all(&root).unwrap();
    }
}
