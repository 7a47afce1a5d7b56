//! A recording, fault-injecting HTTP/1.1 reverse proxy in front of moto.
//!
//! moto has no throttling, no outages and no latency, and it accepts calls in an order real
//! AWS would refuse. Point the AWS SDK (or the executor binary, through [`Proxy::apply_env`])
//! at a [`Proxy`] instead of at moto to:
//! - see every call as a [`Call`] (`service`, `action`, time), e.g. to assert the order of
//!   mutating calls;
//! - answer chosen calls with an AWS throttling error, an HTTP 503 or an access denial instead of forwarding
//!   them ([`Proxy::fail_every`], [`Proxy::fail_calls`], [`Proxy::fail_action`]);
//! - add a fixed latency to every call ([`Proxy::latency`]);
//! - run a hook on every call before it is forwarded ([`Proxy::on_call`]), e.g. to read the
//!   account's state at that moment.
//!
//! Everything else goes to moto verbatim (method, path, query, headers, body) and moto's
//! answer comes back verbatim (status, headers, body; only the framing headers are redone).
//! Client connections are kept alive as HTTP/1.1 asks.
//!
//! The proxy runs on its own thread with its own tokio runtime, so both blocking tests and
//! `#[tokio::test]`s can use it. It stops when dropped.

mod connection;
mod http;
mod record;

use std::process::Command;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::sync::oneshot;

use connection::serve;
pub use record::{is_mutating, Call, Fault, Hook};
use record::{lock, Rule, Schedule, State};

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

    /// Runs `hook` on every call the proxy forwards from now on, before forwarding it: the
    /// call waits until the hook returns, so a hook reading moto directly sees the account as
    /// it is just before the call. Replaces any earlier hook; `None` removes it.
    pub fn on_call(&self, hook: Option<Hook>) {
        self.state().hook = hook;
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

impl Call {
    /// The form body of a query-protocol call (EC2, IAM, STS, Auto Scaling) as decoded
    /// key-value pairs, in order; empty for other protocols.
    pub fn form(&self) -> Vec<(String, String)> {
        if self.params.trim_start().starts_with('{') {
            return Vec::new();
        }
        self.params
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                (
                    http::percent_decode(k.as_bytes()),
                    http::percent_decode(v.as_bytes()),
                )
            })
            .collect()
    }

    /// The JSON body of a JSON-protocol call (SSM, CloudWatch Logs); `Null` for others.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.params).unwrap_or(serde_json::Value::Null)
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
