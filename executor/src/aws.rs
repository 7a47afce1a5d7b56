//! AWS clients from the SDK's standard configuration chain, with the command line's overrides.
//!
//! Credentials come only from the SDK's chain (environment, profiles, SSO, instance metadata)
//! and are never printed. Throttling and 5xx answers are retried by the SDK's standard retry
//! mode: exponential backoff with jitter.

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};

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

/// One client per service the executor uses.
#[derive(Clone, Debug)]
pub struct Aws {
    /// EC2.
    pub ec2: aws_sdk_ec2::Client,
    /// IAM.
    pub iam: aws_sdk_iam::Client,
    /// STS.
    pub sts: aws_sdk_sts::Client,
    /// SSM (public parameters for AMI aliases).
    pub ssm: aws_sdk_ssm::Client,
    /// EC2 Auto Scaling.
    pub autoscaling: aws_sdk_autoscaling::Client,
    /// The region requests go to.
    pub region: String,
}

impl Aws {
    /// Loads the configuration and builds the clients.
    pub async fn connect(target: &Target, plan_region: &str) -> Aws {
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
            region,
        }
    }
}
