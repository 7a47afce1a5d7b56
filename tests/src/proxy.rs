//! A recording, fault-injecting HTTP/1.1 reverse proxy in front of moto.
//!
//! moto has no throttling, no outages and no latency, and it accepts calls in an order real
//! AWS would refuse. Point the AWS SDK (or the executor binary, through [`Proxy::apply_env`])
//! at a [`Proxy`] instead of at moto to:
//! - see every call as a [`Call`] (`service`, `action`, time), e.g. to assert the order of
//!   mutating calls;
//! - answer chosen calls with an AWS throttling error or an HTTP 503 instead of forwarding
//!   them ([`Proxy::fail_every`], [`Proxy::fail_calls`], [`Proxy::fail_action`]);
//! - add a fixed latency to every call ([`Proxy::latency`]).
//!
//! Everything else goes to moto verbatim (method, path, query, headers, body) and moto's
//! answer comes back verbatim (status, headers, body; only the framing headers are redone).
//! Client connections are kept alive as HTTP/1.1 asks.
//!
//! The proxy runs on its own thread with its own tokio runtime, so both blocking tests and
//! `#[tokio::test]`s can use it. It stops when dropped.

use std::collections::BTreeSet;
use std::io;
use std::process::Command;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

/// One request the proxy received (forwarded or answered with a fault).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call {
    /// The signing name from the SigV4 credential scope, e.g. `ec2`, `iam`, `sts`, `ssm`,
    /// `autoscaling`; empty for an unsigned request.
    pub service: String,
    /// The operation: the form body's `Action=` (query protocol: EC2, IAM, STS, Auto
    /// Scaling), or the part of `X-Amz-Target` after the last `.` (JSON protocol: SSM).
    /// For anything else, `"<METHOD> <path>"`.
    pub action: String,
    /// The request's parameters: the form body of query-protocol calls, the JSON body of
    /// others (lossily decoded), so tests can tell which resource a call was about.
    pub params: String,
    /// When the request (head and body) had arrived, before any latency.
    pub at: Instant,
    /// The fault the proxy answered with instead of forwarding, if any.
    pub fault: Option<Fault>,
}

/// What the proxy answers instead of forwarding a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// HTTP 400 with the service's throttling error: `RequestLimitExceeded` for EC2,
    /// `Throttling` for the other query-protocol services (IAM, STS, Auto Scaling),
    /// `ThrottlingException` for JSON-protocol ones (SSM). The SDK retries these.
    Throttle,
    /// HTTP 503 with `Unavailable` (EC2), `ServiceUnavailable` (query protocol) or
    /// `ServiceUnavailableException` (JSON protocol). The SDK retries these.
    ServerError,
}

/// True unless `action` only reads: it starts with `Describe`, `Get` or `List` (which
/// covers `GetCallerIdentity`), or is a non-AWS `GET`/`HEAD` request.
pub fn is_mutating(action: &str) -> bool {
    const READS: &[&str] = &["Describe", "Get", "List", "GET ", "HEAD "];
    !READS.iter().any(|prefix| action.starts_with(prefix))
}

enum Schedule {
    /// Calls n, 2n, 3n, … (1-based) counted from when the rule was added.
    Every(usize),
    /// These 0-based indexes, counted from when the rule was added.
    Indexes(BTreeSet<usize>),
    /// The next `remaining` calls of this action.
    Action { action: String, remaining: usize },
}

struct Rule {
    schedule: Schedule,
    fault: Fault,
    /// Calls this rule has seen.
    seen: usize,
}

impl Rule {
    fn check(&mut self, action: &str) -> Option<Fault> {
        let index = self.seen;
        self.seen += 1;
        let hit = match &mut self.schedule {
            Schedule::Every(n) => (index + 1) % *n == 0,
            Schedule::Indexes(set) => set.contains(&index),
            Schedule::Action {
                action: wanted,
                remaining,
            } => {
                let hit = *remaining > 0 && wanted == action;
                if hit {
                    *remaining -= 1;
                }
                hit
            }
        };
        hit.then_some(self.fault)
    }
}

#[derive(Default)]
struct State {
    calls: Vec<Call>,
    rules: Vec<Rule>,
    latency: Duration,
    connections: usize,
}

impl State {
    /// Every rule sees every call; the first that hits decides.
    fn fault_for(&mut self, action: &str) -> Option<Fault> {
        let mut fault = None;
        for rule in &mut self.rules {
            let hit = rule.check(action);
            fault = fault.or(hit);
        }
        fault
    }
}

/// A running proxy; stops (and closes its connections) when dropped.
pub struct Proxy {
    port: u16,
    state: Arc<Mutex<State>>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Proxy {
    /// Starts a proxy on a free 127.0.0.1 port that forwards to `upstream`
    /// (`http://HOST:PORT`, e.g. [`crate::moto::Moto::endpoint`]).
    pub fn start(upstream: &str) -> Proxy {
        let upstream = upstream.trim_end_matches('/').to_owned();
        assert!(
            upstream.starts_with("http://"),
            "the proxy forwards to http:// only, not {upstream}"
        );
        let state = Arc::new(Mutex::new(State::default()));
        let (port_tx, port_rx) = std::sync::mpsc::channel();
        let (shutdown, shutdown_rx) = oneshot::channel();
        let shared = Arc::clone(&state);
        let thread = std::thread::Builder::new()
            .name("moto-proxy".into())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("build the proxy's tokio runtime");
                runtime.block_on(serve(upstream, shared, port_tx, shutdown_rx));
            })
            .expect("spawn the proxy thread");
        let port = match port_rx.recv() {
            Ok(Ok(port)) => port,
            Ok(Err(e)) => panic!("proxy: cannot listen on 127.0.0.1: {e}"),
            Err(_) => panic!("proxy thread died before listening"),
        };
        Proxy {
            port,
            state,
            shutdown: Some(shutdown),
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The port the proxy listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The environment for a child process that should go through this proxy:
    /// [`crate::moto::aws_env`] with [`Proxy::endpoint`].
    pub fn env(&self) -> Vec<(&'static str, String)> {
        crate::moto::aws_env(&self.endpoint())
    }

    /// Points `cmd` at this proxy: [`crate::moto::apply_aws_env`] with [`Proxy::endpoint`]
    /// (also removes `AWS_PROFILE` and the like).
    pub fn apply_env<'a>(&self, cmd: &'a mut Command) -> &'a mut Command {
        crate::moto::apply_aws_env(cmd, &self.endpoint())
    }

    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    /// Every call received so far (since the last [`Proxy::clear`]), in arrival order.
    pub fn calls(&self) -> Vec<Call> {
        self.state().calls.clone()
    }

    /// `(service, action)` of every call, in arrival order.
    pub fn actions(&self) -> Vec<(String, String)> {
        self.state()
            .calls
            .iter()
            .map(|c| (c.service.clone(), c.action.clone()))
            .collect()
    }

    /// The calls whose action [`is_mutating`], in arrival order; faulted calls (see
    /// [`Call::fault`]) included, so a retried call appears once per attempt.
    pub fn mutating_calls(&self) -> Vec<Call> {
        self.state()
            .calls
            .iter()
            .filter(|c| is_mutating(&c.action))
            .cloned()
            .collect()
    }

    /// Forgets the recorded calls. Fault schedules and latency stay.
    pub fn clear(&self) {
        self.state().calls.clear();
    }

    /// Answers every `n`-th call from now on (the n-th, 2n-th, …) with `fault`.
    pub fn fail_every(&self, n: usize, fault: Fault) {
        assert!(n > 0, "fail_every(0) makes no sense");
        self.add_rule(Schedule::Every(n), fault);
    }

    /// Answers the calls with these 0-based indexes, counted from now on, with `fault`:
    /// `fail_calls(&[0, 1], Fault::Throttle)` throttles the next two calls.
    pub fn fail_calls(&self, indexes: &[usize], fault: Fault) {
        self.add_rule(Schedule::Indexes(indexes.iter().copied().collect()), fault);
    }

    /// Answers the next `times` calls of `action` (e.g. `CreateVpc`) with `fault`.
    pub fn fail_action(&self, action: &str, times: usize, fault: Fault) {
        let schedule = Schedule::Action {
            action: action.to_owned(),
            remaining: times,
        };
        self.add_rule(schedule, fault);
    }

    fn add_rule(&self, schedule: Schedule, fault: Fault) {
        self.state().rules.push(Rule {
            schedule,
            fault,
            seen: 0,
        });
    }

    /// How many client connections the proxy has accepted since it started (a client that
    /// keeps connections alive opens few).
    pub fn connections(&self) -> usize {
        self.state().connections
    }

    /// Removes every fault schedule.
    pub fn clear_faults(&self) {
        self.state().rules.clear();
    }

    /// Delays every call (forwarded or faulted) by `delay` from now on;
    /// `Duration::ZERO` removes it.
    pub fn latency(&self, delay: Duration) {
        self.state().latency = delay;
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

type Upstream = Client<HttpConnector, Full<Bytes>>;

async fn serve(
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

/// A request as read from the client.
struct Head {
    method: String,
    target: String,
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    version: u8,
    headers: Vec<(String, Vec<u8>)>,
}

impl Head {
    fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_slice())
    }

    fn header_str(&self, name: &str) -> Option<&str> {
        self.header(name).and_then(|v| std::str::from_utf8(v).ok())
    }

    /// Whether the comma-separated header `name` has `token` (case-insensitive).
    fn has_token(&self, name: &str, token: &str) -> bool {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .filter_map(|(_, v)| std::str::from_utf8(v).ok())
            .flat_map(|v| v.split(','))
            .any(|t| t.trim().eq_ignore_ascii_case(token))
    }
}

/// Headers that describe one hop, not the message: never forwarded as they are.
fn is_hop_by_hop(name: &str) -> bool {
    const HOP: &[&str] = &[
        "connection",
        "keep-alive",
        "proxy-connection",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "content-length",
        "expect",
    ];
    HOP.iter().any(|h| name.eq_ignore_ascii_case(h))
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
        let (fault, latency, index) = {
            let mut state = lock(&self.state);
            let fault = state.fault_for(&action);
            state.calls.push(Call {
                service: service.clone(),
                params: String::from_utf8_lossy(&body).into_owned(),
                action,
                at: Instant::now(),
                fault,
            });
            (fault, state.latency, state.calls.len() - 1)
        };
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

/// A response to send to the client.
struct Answer {
    status: u16,
    /// Without framing headers.
    headers: Vec<(String, Vec<u8>)>,
    body: Vec<u8>,
    /// moto's content-length, kept for HEAD.
    head_length: Option<Vec<u8>>,
}

impl Answer {
    fn bad_gateway(message: String) -> Answer {
        Answer {
            status: 502,
            headers: vec![("content-type".into(), b"text/plain".to_vec())],
            body: message.into_bytes(),
            head_length: None,
        }
    }
}

/// The signing name in `Authorization: AWS4-HMAC-SHA256 Credential=KEY/DATE/REGION/SERVICE/
/// aws4_request, …` (or in a presigned URL's `X-Amz-Credential`), or "".
fn service_of(head: &Head) -> String {
    let from_scope = |credential: &str| {
        let parts: Vec<&str> = credential.split('/').collect();
        (parts.len() >= 5).then(|| parts[parts.len() - 2].to_owned())
    };
    if let Some(auth) = head.header_str("authorization") {
        if let Some(service) = auth
            .split([' ', ','])
            .find_map(|field| field.trim().strip_prefix("Credential="))
            .and_then(from_scope)
        {
            return service;
        }
    }
    query(&head.target)
        .and_then(|q| form_value(q.as_bytes(), "X-Amz-Credential"))
        .and_then(|c| from_scope(&c))
        .unwrap_or_default()
}

/// The operation's name: see [`Call::action`].
fn action_of(head: &Head, body: &[u8]) -> String {
    if let Some(target) = head.header_str("x-amz-target") {
        return target.rsplit('.').next().unwrap_or(target).to_owned();
    }
    let form = head
        .header_str("content-type")
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    let from_body = if form {
        form_value(body, "Action")
    } else {
        None
    };
    from_body
        .or_else(|| query(&head.target).and_then(|q| form_value(q.as_bytes(), "Action")))
        .unwrap_or_else(|| {
            let path = head.target.split('?').next().unwrap_or("/");
            format!("{} {path}", head.method)
        })
}

fn query(target: &str) -> Option<&str> {
    target.split_once('?').map(|(_, q)| q)
}

/// The percent-decoded value of `key` in an `application/x-www-form-urlencoded` text.
fn form_value(form: &[u8], key: &str) -> Option<String> {
    form.split(|&b| b == b'&').find_map(|pair| {
        let (k, v) = match pair.iter().position(|&b| b == b'=') {
            Some(i) => (&pair[..i], &pair[i + 1..]),
            None => (pair, &[][..]),
        };
        (percent_decode(k) == key).then(|| percent_decode(v))
    })
}

fn percent_decode(text: &[u8]) -> String {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < text.len() => {
                let hex = std::str::from_utf8(&text[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The error AWS would answer for `fault`, in the format of the request's protocol.
fn fault_response(head: &Head, service: &str, fault: Fault, index: usize) -> Answer {
    let request_id = format!("proxy-fault-{index}");
    let status = match fault {
        Fault::Throttle => 400,
        Fault::ServerError => 503,
    };
    let json = head.header("x-amz-target").is_some()
        || head
            .header_str("content-type")
            .is_some_and(|t| t.starts_with("application/x-amz-json"));
    let (content_type, code, body) = if json {
        let (code, message) = match fault {
            Fault::Throttle => ("ThrottlingException", "Rate exceeded"),
            Fault::ServerError => ("ServiceUnavailableException", "Service is unavailable"),
        };
        let content_type = head
            .header_str("content-type")
            .unwrap_or("application/x-amz-json-1.1")
            .to_owned();
        let body = format!(r#"{{"__type":"{code}","message":"{message}"}}"#);
        (content_type, code, body)
    } else if service == "ec2" {
        let (code, message) = match fault {
            Fault::Throttle => ("RequestLimitExceeded", "Request limit exceeded."),
            Fault::ServerError => (
                "Unavailable",
                "The server is overloaded and can't handle the request.",
            ),
        };
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>{code}</Code>\
             <Message>{message}</Message></Error></Errors><RequestID>{request_id}</RequestID></Response>"
        );
        ("text/xml;charset=UTF-8".to_owned(), code, body)
    } else {
        let (kind, code, message) = match fault {
            Fault::Throttle => ("Sender", "Throttling", "Rate exceeded"),
            Fault::ServerError => ("Receiver", "ServiceUnavailable", "Service is unavailable"),
        };
        let body = format!(
            "<ErrorResponse><Error><Type>{kind}</Type><Code>{code}</Code><Message>{message}\
             </Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>"
        );
        ("text/xml".to_owned(), code, body)
    };
    Answer {
        status,
        headers: vec![
            ("content-type".into(), content_type.into_bytes()),
            ("x-amzn-requestid".into(), request_id.into_bytes()),
            ("x-amzn-errortype".into(), code.as_bytes().to_vec()),
        ],
        body: body.into_bytes(),
        head_length: None,
    }
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn form_values_are_decoded() {
        let form = b"Action=DescribeVpcs&Version=2016-11-15&Filter.1.Name=tag%3AName&X=a+b";
        assert_eq!(form_value(form, "Action").as_deref(), Some("DescribeVpcs"));
        assert_eq!(
            form_value(form, "Filter.1.Name").as_deref(),
            Some("tag:Name")
        );
        assert_eq!(form_value(form, "X").as_deref(), Some("a b"));
        assert_eq!(form_value(form, "Missing"), None);
        assert_eq!(percent_decode(b"100%"), "100%");
        assert_eq!(percent_decode(b"%4"), "%4");
    }

    #[test]
    fn reads_are_not_mutating() {
        for read in [
            "DescribeVpcs",
            "GetCallerIdentity",
            "ListRoles",
            "GET /moto-api/",
        ] {
            assert!(!is_mutating(read), "{read}");
        }
        for write in [
            "CreateVpc",
            "DeleteSubnet",
            "PutParameter",
            "POST /moto-api/reset",
        ] {
            assert!(is_mutating(write), "{write}");
        }
    }

    #[test]
    fn schedules() {
        let mut state = State::default();
        state.rules.push(Rule {
            schedule: Schedule::Every(3),
            fault: Fault::Throttle,
            seen: 0,
        });
        state.rules.push(Rule {
            schedule: Schedule::Action {
                action: "CreateVpc".into(),
                remaining: 1,
            },
            fault: Fault::ServerError,
            seen: 0,
        });
        let got: Vec<Option<Fault>> = ["A", "CreateVpc", "CreateVpc", "B", "CreateVpc", "C"]
            .iter()
            .map(|a| state.fault_for(a))
            .collect();
        use Fault::*;
        assert_eq!(
            got,
            [
                None,
                Some(ServerError),
                Some(Throttle),
                None,
                None,
                Some(Throttle)
            ]
        );
    }
}
