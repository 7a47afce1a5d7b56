//! What the proxy records and the faults it is told to inject, shared by the [`Proxy`] handle
//! and its connections.
//!
//! [`Proxy`]: super::Proxy

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

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

/// What the proxy runs on each call it forwards, before forwarding it (see
/// [`super::Proxy::on_call`]).
pub type Hook = Arc<dyn Fn(&Call) + Send + Sync>;

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
    /// AWS refusing the caller: HTTP 403 with `UnauthorizedOperation` (EC2) or
    /// `AccessDenied` (the other query-protocol services), HTTP 400 with
    /// `AccessDeniedException` (JSON protocol); the message does not name the action. Not
    /// retried.
    AccessDenied,
}

/// True unless `action` only reads: it starts with `Describe`, `Get` or `List` (which
/// covers `GetCallerIdentity`), or is a non-AWS `GET`/`HEAD` request.
pub fn is_mutating(action: &str) -> bool {
    const READS: &[&str] = &["Describe", "Get", "List", "GET ", "HEAD "];
    !READS.iter().any(|prefix| action.starts_with(prefix))
}

pub(super) enum Schedule {
    /// Calls n, 2n, 3n, … (1-based) counted from when the rule was added.
    Every(usize),
    /// These 0-based indexes, counted from when the rule was added.
    Indexes(BTreeSet<usize>),
    /// The next `remaining` calls of this action.
    Action { action: String, remaining: usize },
}

pub(super) struct Rule {
    pub(super) schedule: Schedule,
    pub(super) fault: Fault,
    /// Calls this rule has seen.
    pub(super) seen: usize,
}

impl Rule {
    pub(super) fn check(&mut self, action: &str) -> Option<Fault> {
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
pub(super) struct State {
    pub(super) calls: Vec<Call>,
    pub(super) rules: Vec<Rule>,
    pub(super) latency: Duration,
    pub(super) connections: usize,
    pub(super) hook: Option<Hook>,
}

impl State {
    /// Every rule sees every call; the first that hits decides.
    pub(super) fn fault_for(&mut self, action: &str) -> Option<Fault> {
        let mut fault = None;
        for rule in &mut self.rules {
            let hit = rule.check(action);
            fault = fault.or(hit);
        }
        fault
    }
}

pub(super) fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod unit {
    use super::*;

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
