//! VPC flow logs as the design writes them: which traffic is recorded and where it goes. For
//! CloudWatch Logs the planner adds the log group and the role that delivers to it.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The retention periods CloudWatch Logs accepts, in days.
pub const RETENTION_DAYS: [u32; 22] = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
];

/// The VPC's flow log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FlowLogs {
    /// Where records go.
    pub destination: FlowLogDestination,
    /// Which traffic is recorded (default all).
    #[serde(default, skip_serializing_if = "is_all")]
    pub traffic: FlowLogTraffic,
    /// CloudWatch Logs: how long the log group keeps records, in one of the periods it accepts
    /// (1, 3, 5, 7, 14, 30, 60, 90, … 3653 days; default 30).
    #[serde(default = "thirty", skip_serializing_if = "is_thirty")]
    pub retention_days: u32,
    /// S3: the ARN of an existing bucket (or a folder of it) that accepts deliveries from
    /// `delivery.logs.amazonaws.com`, e.g. `arn:aws:s3:::my-flow-logs`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bucket_arn: Option<String>,
}

fn thirty() -> u32 {
    30
}

fn is_thirty(v: &u32) -> bool {
    *v == 30
}

fn is_all(v: &FlowLogTraffic) -> bool {
    *v == FlowLogTraffic::All
}

/// Where flow log records go.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum FlowLogDestination {
    /// A CloudWatch Logs group the plan makes, written by a role the plan makes.
    CloudwatchLogs,
    /// An existing S3 bucket (`bucket_arn`).
    S3,
}

impl FlowLogDestination {
    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            FlowLogDestination::CloudwatchLogs => "cloudwatch_logs",
            FlowLogDestination::S3 => "s3",
        }
    }
}

/// Which traffic a flow log records.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum FlowLogTraffic {
    /// Accepted and rejected traffic.
    #[default]
    All,
    /// Accepted traffic only.
    Accept,
    /// Rejected traffic only.
    Reject,
}

impl FlowLogTraffic {
    /// AWS's `TrafficType`: `ALL`, `ACCEPT` or `REJECT`.
    pub fn aws(self) -> &'static str {
        match self {
            FlowLogTraffic::All => "ALL",
            FlowLogTraffic::Accept => "ACCEPT",
            FlowLogTraffic::Reject => "REJECT",
        }
    }
}

impl fmt::Display for FlowLogTraffic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FlowLogTraffic::All => "all",
            FlowLogTraffic::Accept => "accept",
            FlowLogTraffic::Reject => "reject",
        })
    }
}
