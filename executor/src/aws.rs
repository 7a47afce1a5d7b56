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
//! no call site can take the slot by hand or forget it.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};
use tokio::sync::Semaphore;

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
    permits: Arc<Semaphore>,
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
        let _slot = self
            .permits
            .acquire()
            .await
            .expect("the semaphore is never closed");
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
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            region,
            endpoint,
        })
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
    use super::check_url;

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
