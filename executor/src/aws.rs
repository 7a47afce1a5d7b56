//! AWS clients from the SDK's standard configuration chain, with the command line's overrides.
//!
//! Credentials come only from the SDK's chain (environment, profiles, SSO, instance metadata)
//! and are never printed. Throttling and 5xx answers are retried by the SDK's standard retry
//! mode: exponential backoff with jitter.
//!
//! **No call waits forever.** Connecting, each attempt and each call with its retries have a
//! timeout. The first call, STS `GetCallerIdentity`, is tried twice with short timeouts: an
//! endpoint that refuses connections or never answers ends the command within seconds with
//! one line naming it, instead of minutes of silent retries.
//!
//! **Invariant: at most `--concurrency` AWS calls are in flight.** The clients are private:
//! every call goes through [`Aws::ec2`], [`Aws::iam`], [`Aws::ssm`], [`Aws::autoscaling`],
//! [`Aws::logs`] or [`Aws::identify`], which all wait for a slot of the one semaphore in [`Aws::bounded`], so
//! no call site can take the slot by hand or forget it. Waiting calls are served most urgent
//! first ([`urgent`]: the dependency walk's longest chains), then in the order they asked.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};
use tokio::sync::oneshot;

use crate::aws_error::one_line;
use crate::trace;

/// How long opening a connection may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long one attempt may wait for its answer. The executor makes no long-running call:
/// it polls for what takes time (NAT gateways, instances).
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);
/// How long one call may take with all its retries.
const CALL_TIMEOUT: Duration = Duration::from_secs(180);
/// How long each of the two attempts of the first call may wait for its answer.
const PROBE_TIMEOUT: Duration = Duration::from_secs(5);

/// Where to send requests.
#[derive(Clone, Debug, Default)]
pub struct Target {
    /// `--region`; else the plan's region.
    pub region: Option<String>,
    /// `--profile`.
    pub profile: Option<String>,
    /// `--endpoint-url`; the SDK also reads `AWS_ENDPOINT_URL` itself.
    pub endpoint_url: Option<String>,
}

/// Who the credentials belong to.
#[derive(Clone, Debug)]
pub struct Identity {
    /// The account id.
    pub account: String,
    /// The caller's ARN.
    pub arn: String,
}

/// One client per service the executor uses, reached only through the bounded call methods.
#[derive(Clone, Debug)]
pub struct Aws {
    ec2: aws_sdk_ec2::Client,
    iam: aws_sdk_iam::Client,
    /// With the short timeouts and two attempts of the first call.
    sts: aws_sdk_sts::Client,
    ssm: aws_sdk_ssm::Client,
    autoscaling: aws_sdk_autoscaling::Client,
    logs: aws_sdk_cloudwatchlogs::Client,
    /// Slots for calls in flight.
    permits: Arc<Slots>,
    /// The region requests go to.
    pub region: String,
    /// Where requests go, for messages: the endpoint URL given, or AWS's own.
    pub endpoint: String,
}

/// A method that makes one call (or one paginated listing) with a client of one service,
/// holding a slot of the semaphore while it is in flight.
macro_rules! bounded_client {
    ($(#[$doc:meta])* $name:ident: $client:ty) => {
        $(#[$doc])*
        pub async fn $name<T, F, Fut>(&self, call: F) -> T
        where
            F: FnOnce(&$client) -> Fut,
            Fut: Future<Output = T>,
        {
            self.bounded(call(&self.$name)).await
        }
    };
}

/// A client of `$sdk` from a shared configuration (or a config builder), recording its
/// calls when they are traced ([`trace`]).
macro_rules! traced {
    ($sdk:ident, &$conf:expr) => {
        traced!($sdk, $sdk::config::Builder::from(&$conf))
    };
    ($sdk:ident, $builder:expr) => {{
        let mut builder = $builder;
        if trace::enabled() {
            builder = builder.interceptor(trace::Tracer);
        }
        $sdk::Client::from_conf(builder.build())
    }};
}

impl Aws {
    bounded_client!(
        /// One EC2 call.
        ec2: aws_sdk_ec2::Client
    );
    bounded_client!(
        /// One IAM call (or one paginated listing).
        iam: aws_sdk_iam::Client
    );
    bounded_client!(
        /// One SSM call (public parameters for AMI aliases).
        ssm: aws_sdk_ssm::Client
    );
    bounded_client!(
        /// One EC2 Auto Scaling call.
        autoscaling: aws_sdk_autoscaling::Client
    );
    bounded_client!(
        /// One CloudWatch Logs call (the flow log's log group).
        logs: aws_sdk_cloudwatchlogs::Client
    );

    /// Runs `call` (one request; SDK retries included) once a slot is free: the one place the
    /// in-flight bound is taken.
    async fn bounded<F: Future>(&self, call: F) -> F::Output {
        let _slot = Slots::acquire(&self.permits).await;
        call.await
    }

    /// Who the credentials belong to: the first call, which also tells whether AWS can be
    /// reached at all. Fails with one line naming the endpoint.
    pub async fn identify(&self) -> Result<Identity, String> {
        let me = self
            .bounded(self.sts.get_caller_identity().send())
            .await
            .map_err(|e| format!("cannot reach AWS at {}: {}", self.endpoint, one_line(&e)))?;
        Ok(Identity {
            account: me.account().unwrap_or_default().to_owned(),
            arn: me.arn().unwrap_or_default().to_owned(),
        })
    }

    /// Loads the configuration and builds the clients; at most `concurrency` calls (at least
    /// one) are in flight at a time. Fails when the endpoint URL is not one.
    pub async fn connect(
        target: &Target,
        plan_region: &str,
        concurrency: usize,
    ) -> Result<Aws, String> {
        let region = target
            .region
            .clone()
            .unwrap_or_else(|| plan_region.to_owned());
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .region(Region::new(region.clone()))
            .retry_config(
                RetryConfig::standard()
                    .with_max_attempts(10)
                    .with_initial_backoff(Duration::from_millis(100))
                    .with_max_backoff(Duration::from_secs(20)),
            )
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(CONNECT_TIMEOUT)
                    .read_timeout(ATTEMPT_TIMEOUT)
                    .operation_attempt_timeout(ATTEMPT_TIMEOUT)
                    .operation_timeout(CALL_TIMEOUT)
                    .build(),
            );
        if let Some(p) = &target.profile {
            loader = loader.profile_name(p);
        }
        if let Some(e) = &target.endpoint_url {
            loader = loader.endpoint_url(e);
        }
        let conf = loader.load().await;
        // The SDK applies `AWS_ENDPOINT_URL` itself, per client, without showing it here.
        let configured = conf
            .endpoint_url()
            .map(str::to_owned)
            .or_else(|| std::env::var("AWS_ENDPOINT_URL").ok());
        let endpoint = match configured {
            Some(url) => {
                check_url(&url)?;
                url
            }
            None => format!("its endpoints for {region}"),
        };
        let probe = aws_sdk_sts::config::Builder::from(&conf)
            .retry_config(
                RetryConfig::standard()
                    .with_max_attempts(2)
                    .with_initial_backoff(Duration::from_millis(200)),
            )
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(PROBE_TIMEOUT)
                    .read_timeout(PROBE_TIMEOUT)
                    .operation_attempt_timeout(PROBE_TIMEOUT)
                    .build(),
            );
        Ok(Aws {
            ec2: traced!(aws_sdk_ec2, &conf),
            iam: traced!(aws_sdk_iam, &conf),
            sts: traced!(aws_sdk_sts, probe),
            ssm: traced!(aws_sdk_ssm, &conf),
            autoscaling: traced!(aws_sdk_autoscaling, &conf),
            logs: traced!(aws_sdk_cloudwatchlogs, &conf),
            permits: Slots::new(concurrency.max(1)),
            region,
            endpoint,
        })
    }
}

tokio::task_local! {
    /// How urgent the current work's calls are ([`urgent`]).
    static PRIORITY: usize;
}

/// Runs `work` with its calls served before those of less urgent work when they wait for a
/// slot: the dependency walk gives each resource the length of the chain of resources that
/// wait for it, so the longest chain is never queued behind work nothing waits for.
pub fn urgent<F: Future>(priority: usize, work: F) -> impl Future<Output = F::Output> {
    PRIORITY.scope(priority, work)
}

/// The slots of calls in flight: a counting semaphore whose waiters are served most urgent
/// first, then in the order they asked.
#[derive(Debug)]
struct Slots {
    state: std::sync::Mutex<SlotState>,
}

#[derive(Debug)]
struct SlotState {
    free: usize,
    asked: u64,
    waiting: std::collections::BinaryHeap<Waiter>,
}

/// A call waiting for a slot: its priority, then the order it asked in (earlier first).
#[derive(Debug)]
struct Waiter {
    key: (usize, std::cmp::Reverse<u64>),
    slot: oneshot::Sender<Slot>,
}

impl PartialEq for Waiter {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl Eq for Waiter {}
impl PartialOrd for Waiter {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Waiter {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key.cmp(&other.key)
    }
}

/// One slot, given back when dropped (to the most urgent waiter, if any).
#[derive(Debug)]
struct Slot {
    /// `None` once handed back.
    slots: Option<Arc<Slots>>,
}

impl Slots {
    fn new(n: usize) -> Arc<Slots> {
        Arc::new(Slots {
            state: std::sync::Mutex::new(SlotState {
                free: n,
                asked: 0,
                waiting: std::collections::BinaryHeap::new(),
            }),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, SlotState> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    async fn acquire(slots: &Arc<Slots>) -> Slot {
        let given = {
            let mut state = slots.lock();
            if state.free > 0 && state.waiting.is_empty() {
                state.free -= 1;
                return Slot {
                    slots: Some(slots.clone()),
                };
            }
            let (tx, rx) = oneshot::channel();
            let priority = PRIORITY.try_with(|p| *p).unwrap_or(0);
            state.asked += 1;
            let key = (priority, std::cmp::Reverse(state.asked));
            state.waiting.push(Waiter { key, slot: tx });
            rx
        };
        // Waiters are only dropped once they have been sent a slot.
        given.await.expect("a waiter is sent its slot")
    }

    /// Hands a slot given back to the most urgent waiter still waiting, or frees it.
    fn release(self: &Arc<Slots>) {
        let mut state = self.lock();
        while let Some(w) = state.waiting.pop() {
            let slot = Slot {
                slots: Some(self.clone()),
            };
            match w.slot.send(slot) {
                Ok(()) => return,
                // That waiter gave up (its call was dropped): the slot goes to the next.
                Err(mut unsent) => drop(unsent.slots.take()),
            }
        }
        state.free += 1;
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Some(slots) = self.slots.take() {
            slots.release();
        }
    }
}

/// `Ok` for an `http://` or `https://` URL with a host; else the one-line reason. The SDK
/// would refuse the others at the first call, quoting the whole request it could not send.
fn check_url(url: &str) -> Result<(), String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    let host = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or_default());
    let valid = host.is_some_and(|h| {
        !h.is_empty() && !h.starts_with(':') && url.chars().all(|c| c.is_ascii_graphic())
    });
    if valid {
        Ok(())
    } else {
        Err(format!(
            "the endpoint URL {url} is not a URL: expected http://HOST[:PORT] or https://HOST[:PORT]"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::{check_url, urgent, Slots};
    use std::sync::{Arc, Mutex};

    #[tokio::test]
    async fn waiting_calls_are_served_most_urgent_first() {
        let slots = Slots::new(1);
        let held = Slots::acquire(&slots).await;
        let served = Arc::new(Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for priority in [1, 3, 0, 2] {
            let (slots, served) = (slots.clone(), served.clone());
            tasks.push(tokio::spawn(urgent(priority, async move {
                let _slot = Slots::acquire(&slots).await;
                served.lock().unwrap().push(priority);
                tokio::task::yield_now().await;
            })));
        }
        // One more that gives up while waiting: its turn goes to the next.
        let quitter = {
            let slots = slots.clone();
            tokio::spawn(urgent(9, async move { Slots::acquire(&slots).await }))
        };
        while slots.lock().waiting.len() < 5 {
            tokio::task::yield_now().await;
        }
        quitter.abort();
        assert!(quitter.await.is_err());
        drop(held);
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(*served.lock().unwrap(), [3, 2, 1, 0]);
        assert_eq!(slots.lock().free, 1, "every slot came back");
    }

    #[test]
    fn endpoint_urls_need_a_scheme_and_a_host() {
        assert!(check_url("http://127.0.0.1:5000").is_ok());
        assert!(check_url("https://ec2.us-east-1.amazonaws.com/").is_ok());
        for bad in [
            "not a url",
            "127.0.0.1:5000",
            "http://",
            "http://:80",
            "ftp://x",
            "http://a b",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
    }
}
