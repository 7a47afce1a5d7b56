//! VPC endpoints as the design writes them: private paths to AWS services that keep traffic
//! off NAT. Gateway endpoints (S3 and DynamoDB only) are routes in the named tiers' route
//! tables; interface endpoints are network interfaces in each AZ of the named tiers.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::iam::document::PolicyDocument;

/// The services that have gateway endpoints.
pub const GATEWAY_SERVICES: [&str; 2] = ["s3", "dynamodb"];

/// Interface endpoint services the planner knows by name, for the editor's list and for the
/// findings that say what an endpoint saves. Any other well-formed service name is accepted as
/// an interface endpoint (AWS has well over a hundred).
pub const KNOWN_INTERFACE_SERVICES: [&str; 20] = [
    "s3",
    "dynamodb",
    "ecr.api",
    "ecr.dkr",
    "ecs",
    "ecs-agent",
    "ecs-telemetry",
    "ssm",
    "ssmmessages",
    "ec2messages",
    "ec2",
    "logs",
    "monitoring",
    "sts",
    "secretsmanager",
    "kms",
    "sqs",
    "sns",
    "elasticloadbalancing",
    "execute-api",
];

/// A VPC endpoint for one AWS service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Endpoint {
    /// The service, as the last part of AWS's service name `com.amazonaws.<region>.<service>`:
    /// `s3`, `dynamodb`, `ecr.api`, `ssm`, …
    pub service: String,
    /// Gateway (routes; S3 and DynamoDB only, free) or interface (network interfaces, billed
    /// hourly per AZ and per GB).
    pub kind: EndpointKind,
    /// The tiers it serves: a gateway endpoint's routes go in their route tables; an interface
    /// endpoint gets a network interface in one subnet of theirs in each of their AZs.
    #[serde(default)]
    pub tiers: Vec<String>,
    /// Interface endpoints: the security groups of its network interfaces, by name (they must
    /// admit HTTPS from the clients).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security_groups: Vec<String>,
    /// Interface endpoints: resolve the service's public name to the endpoint inside the VPC
    /// (default true); needs the VPC's DNS support and hostnames.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub private_dns: bool,
    /// The endpoint policy: what may be done through it. Absent: AWS's full access.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<PolicyDocument>,
}

fn yes() -> bool {
    true
}

fn is_true(v: &bool) -> bool {
    *v
}

impl Endpoint {
    /// AWS's service name in `region`: `com.amazonaws.us-east-1.s3`.
    pub fn service_name(&self, region: &str) -> String {
        format!("com.amazonaws.{region}.{}", self.service)
    }

    /// Whether private DNS is asked for and applies (interface endpoints only).
    pub fn wants_private_dns(&self) -> bool {
        self.kind == EndpointKind::Interface && self.private_dns
    }
}

/// The two kinds of VPC endpoint the planner makes.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum EndpointKind {
    /// Routes in route tables to the service's prefix list (S3, DynamoDB).
    Gateway,
    /// Network interfaces in subnets, reached through private addresses (and private DNS).
    Interface,
}

impl EndpointKind {
    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            EndpointKind::Gateway => "gateway",
            EndpointKind::Interface => "interface",
        }
    }
}

impl fmt::Display for EndpointKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
