//! The proxy's server: accepts client connections and, on each, reads HTTP/1.1 requests,
//! records every call, and answers it with a fault or forwards it to moto.

use std::io;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

use super::http::{action_of, fault_response, is_hop_by_hop, service_of, Answer, Head};
use super::record::{lock, Call, State};

type Upstream = Client<HttpConnector, Full<Bytes>>;

pub(super) async fn serve(
    upstream: String,
    state: Arc<Mutex<State>>,
    port_tx: std::sync::mpsc::Sender<io::Result<u16>>,
    mut shutdown: oneshot::Receiver<()>,
) {
    let listener = match TcpListener::bind("127.0.0.1:0").await {
        Ok(listener) => listener,
        Err(e) => {
            let _ = port_tx.send(Err(e));
            return;
        }
    };
    let port = listener.local_addr().map(|a| a.port());
    let _ = port_tx.send(port);
    // A new connection to moto for each call: moto (werkzeug) may close idle connections,
    // and a pooled connection closed under us would fail a call for no reason of the test's.
    let client: Upstream = Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(0)
        .build_http();
    let upstream: Arc<str> = upstream.into();
    loop {
        tokio::select! {
            _ = &mut shutdown => return,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                lock(&state).connections += 1;
                let conn = Connection {
                    stream,
                    buf: Vec::new(),
                    upstream: Arc::clone(&upstream),
                    client: client.clone(),
                    state: Arc::clone(&state),
                };
                tokio::spawn(conn.run());
            }
        }
    }
}

/// The biggest request head accepted.
const MAX_HEAD: usize = 64 * 1024;

struct Connection {
    stream: TcpStream,
    /// Bytes read from the client and not used yet.
    buf: Vec<u8>,
    upstream: Arc<str>,
    client: Upstream,
    state: Arc<Mutex<State>>,
}

impl Connection {
    async fn run(mut self) {
        // Errors end the connection: the client sees it closed, as with any broken server.
        while let Ok(true) = self.one().await {}
    }

    /// Reads one request and answers it; false when the connection is to be closed.
    async fn one(&mut self) -> io::Result<bool> {
        let Some(head) = self.read_head().await? else {
            return Ok(false);
        };
        if head.has_token("expect", "100-continue") {
            self.stream
                .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
                .await?;
        }
        let body = self.read_body(&head).await?;
        let close = head.has_token("connection", "close")
            || (head.version == 0 && !head.has_token("connection", "keep-alive"));

        let service = service_of(&head);
        let action = action_of(&head, &body);
        let (fault, latency, index, hook) = {
            let mut state = lock(&self.state);
            let fault = state.fault_for(&action);
            state.calls.push(Call {
                service: service.clone(),
                params: String::from_utf8_lossy(&body).into_owned(),
                action,
                at: Instant::now(),
                fault,
            });
            let index = state.calls.len() - 1;
            let hook = match (&state.hook, fault) {
                (Some(hook), None) => Some((Arc::clone(hook), state.calls[index].clone())),
                _ => None,
            };
            (fault, state.latency, index, hook)
        };
        if let Some((hook, call)) = hook {
            // The hook may block (read moto's state): off the proxy's thread, and the call
            // waits for it, so it sees the account as it is just before the call.
            let _ = tokio::task::spawn_blocking(move || hook(&call)).await;
        }
        if !latency.is_zero() {
            tokio::time::sleep(latency).await;
        }

        let response = match fault {
            Some(fault) => fault_response(&head, &service, fault, index),
            None => self.forward(&head, body).await,
        };
        self.write_response(&head, response, close).await?;
        Ok(!close)
    }

    /// Reads more from the client; false at end of stream.
    async fn fill(&mut self) -> io::Result<bool> {
        let mut chunk = [0u8; 16 * 1024];
        let n = self.stream.read(&mut chunk).await?;
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(n > 0)
    }

    /// The next request head, or None if the client closed the connection between requests.
    async fn read_head(&mut self) -> io::Result<Option<Head>> {
        loop {
            if !self.buf.is_empty() {
                let mut headers = [httparse::EMPTY_HEADER; 128];
                let mut request = httparse::Request::new(&mut headers);
                match request.parse(&self.buf) {
                    Ok(httparse::Status::Complete(len)) => {
                        let head = Head {
                            method: request.method.unwrap_or("GET").to_owned(),
                            target: request.path.unwrap_or("/").to_owned(),
                            version: request.version.unwrap_or(1),
                            headers: request
                                .headers
                                .iter()
                                .map(|h| (h.name.to_owned(), h.value.to_vec()))
                                .collect(),
                        };
                        self.buf.drain(..len);
                        return Ok(Some(head));
                    }
                    Ok(httparse::Status::Partial) => {}
                    Err(e) => return Err(io::Error::new(io::ErrorKind::InvalidData, e)),
                }
                if self.buf.len() > MAX_HEAD {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        "request head too big",
                    ));
                }
            }
            if !self.fill().await? {
                return if self.buf.is_empty() {
                    Ok(None)
                } else {
                    Err(io::ErrorKind::UnexpectedEof.into())
                };
            }
        }
    }

    async fn take(&mut self, len: usize) -> io::Result<Vec<u8>> {
        while self.buf.len() < len {
            if !self.fill().await? {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
        }
        Ok(self.buf.drain(..len).collect())
    }

    /// One line without its CRLF.
    async fn line(&mut self) -> io::Result<Vec<u8>> {
        loop {
            if let Some(end) = self.buf.windows(2).position(|w| w == b"\r\n") {
                let mut line = self.take(end + 2).await?;
                line.truncate(end);
                return Ok(line);
            }
            if self.buf.len() > MAX_HEAD {
                return Err(io::Error::new(io::ErrorKind::InvalidData, "line too long"));
            }
            if !self.fill().await? {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
        }
    }

    async fn read_body(&mut self, head: &Head) -> io::Result<Vec<u8>> {
        if head.has_token("transfer-encoding", "chunked") {
            let mut body = Vec::new();
            loop {
                let line = self.line().await?;
                let size = std::str::from_utf8(&line)
                    .ok()
                    .and_then(|l| usize::from_str_radix(l.split(';').next()?.trim(), 16).ok())
                    .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "chunk size"))?;
                if size == 0 {
                    // Trailers, up to an empty line: dropped.
                    while !self.line().await?.is_empty() {}
                    return Ok(body);
                }
                body.extend(self.take(size).await?);
                self.line().await?;
            }
        }
        match head.header_str("content-length") {
            Some(len) => {
                let len = len
                    .trim()
                    .parse()
                    .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "content-length"))?;
                self.take(len).await
            }
            None => Ok(Vec::new()),
        }
    }

    async fn forward(&self, head: &Head, body: Vec<u8>) -> Answer {
        let mut request = hyper::Request::builder()
            .method(head.method.as_str())
            .uri(format!("{}{}", self.upstream, head.target));
        for (name, value) in &head.headers {
            if !is_hop_by_hop(name) {
                request = request.header(name.as_str(), value.as_slice());
            }
        }
        let framed = head.header("content-length").is_some()
            || head.has_token("transfer-encoding", "chunked");
        if framed || !body.is_empty() {
            request = request.header("content-length", body.len());
        }
        let request = match request.body(Full::new(Bytes::from(body))) {
            Ok(request) => request,
            Err(e) => return Answer::bad_gateway(format!("proxy: bad request: {e}")),
        };
        let response = match self.client.request(request).await {
            Ok(response) => response,
            Err(e) => return Answer::bad_gateway(format!("proxy: moto did not answer: {e:?}")),
        };
        let (parts, body) = response.into_parts();
        let body = match body.collect().await {
            Ok(body) => body.to_bytes(),
            Err(e) => return Answer::bad_gateway(format!("proxy: moto's body: {e}")),
        };
        let mut headers = Vec::new();
        let mut head_length = None;
        for (name, value) in &parts.headers {
            if name == hyper::header::CONTENT_LENGTH {
                head_length = Some(value.as_bytes().to_vec());
            } else if !is_hop_by_hop(name.as_str()) {
                headers.push((name.as_str().to_owned(), value.as_bytes().to_vec()));
            }
        }
        Answer {
            status: parts.status.as_u16(),
            headers,
            body: body.to_vec(),
            head_length,
        }
    }

    async fn write_response(&mut self, head: &Head, answer: Answer, close: bool) -> io::Result<()> {
        let reason = hyper::StatusCode::from_u16(answer.status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("");
        let mut out = format!("HTTP/1.1 {} {reason}\r\n", answer.status).into_bytes();
        for (name, value) in &answer.headers {
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(value);
            out.extend_from_slice(b"\r\n");
        }
        let no_body = head.method.eq_ignore_ascii_case("HEAD")
            || answer.status < 200
            || answer.status == 204
            || answer.status == 304;
        if head.method.eq_ignore_ascii_case("HEAD") {
            // The length of the body a GET would have had.
            if let Some(len) = &answer.head_length {
                out.extend_from_slice(b"content-length: ");
                out.extend_from_slice(len);
                out.extend_from_slice(b"\r\n");
            }
        } else if !no_body {
            out.extend_from_slice(format!("content-length: {}\r\n", answer.body.len()).as_bytes());
        }
        if close {
            out.extend_from_slice(b"connection: close\r\n");
        }
        out.extend_from_slice(b"\r\n");
        if !no_body {
            out.extend_from_slice(&answer.body);
        }
        self.stream.write_all(&out).await?;
        self.stream.flush().await?;
        if close {
            let _ = self.stream.shutdown().await;
        }
        Ok(())
    }
}
