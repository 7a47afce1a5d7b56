//! AWS clients from the SDK's standard configuration chain, with the command line's overrides.
//!
//! Credentials come only from the SDK's chain (environment, profiles, SSO, instance metadata)
//! and are never printed. Throttling and 5xx answers are retried by the SDK's standard retry
//! mode: exponential backoff with jitter.
//!
//! **Invariant: at most `--concurrency` AWS calls are in flight.** The clients are private:
//! every call goes through [`Aws::ec2`], [`Aws::iam`], [`Aws::sts`], [`Aws::ssm`] or
//! [`Aws::autoscaling`], which all wait for a slot of the one semaphore in [`Aws::bounded`], so
//! no call site can take the slot by hand or forget it.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};
use tokio::sync::Semaphore;

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

/// One client per service the executor uses, reached only through the bounded call methods.
#[derive(Clone, Debug)]
pub struct Aws {
    ec2: aws_sdk_ec2::Client,
    iam: aws_sdk_iam::Client,
    sts: aws_sdk_sts::Client,
    ssm: aws_sdk_ssm::Client,
    autoscaling: aws_sdk_autoscaling::Client,
    /// Slots for calls in flight.
    permits: Arc<Semaphore>,
    /// The region requests go to.
    pub region: String,
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
        /// One STS call.
        sts: aws_sdk_sts::Client
    );
    bounded_client!(
        /// One SSM call (public parameters for AMI aliases).
        ssm: aws_sdk_ssm::Client
    );
    bounded_client!(
        /// One EC2 Auto Scaling call.
        autoscaling: aws_sdk_autoscaling::Client
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

    /// Loads the configuration and builds the clients; at most `concurrency` calls (at least
    /// one) are in flight at a time.
    pub async fn connect(target: &Target, plan_region: &str, concurrency: usize) -> Aws {
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
                    .connect_timeout(Duration::from_secs(10))
                    .operation_attempt_timeout(Duration::from_secs(60))
                    .build(),
            );
        if let Some(p) = &target.profile {
            loader = loader.profile_name(p);
        }
        if let Some(e) = &target.endpoint_url {
            loader = loader.endpoint_url(e);
        }
        let conf = loader.load().await;
        Aws {
            ec2: aws_sdk_ec2::Client::new(&conf),
            iam: aws_sdk_iam::Client::new(&conf),
            sts: aws_sdk_sts::Client::new(&conf),
            ssm: aws_sdk_ssm::Client::new(&conf),
            autoscaling: aws_sdk_autoscaling::Client::new(&conf),
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            region,
        }
    }
}
