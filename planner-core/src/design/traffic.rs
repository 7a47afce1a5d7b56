//! The monthly traffic the cost estimate and the cost findings assume: figures the user sets,
//! since nothing in a design says how much data will flow.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// GB a month, by where it goes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Traffic {
    /// What the private tiers send to the internet through NAT (default 100).
    #[serde(default = "hundred")]
    pub internet_gb_per_month: u32,
    /// What the private tiers send to each AWS service, by the service's endpoint name (`s3`,
    /// `dynamodb`, `ecr.api`, …): through NAT without an endpoint, free through a gateway
    /// endpoint, billed per GB through an interface endpoint.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub services_gb_per_month: BTreeMap<String, u32>,
    /// Flow-log records delivered (default 0).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub flow_logs_gb_per_month: u32,
}

fn hundred() -> u32 {
    100
}

fn is_zero(v: &u32) -> bool {
    *v == 0
}

impl Default for Traffic {
    fn default() -> Self {
        Traffic {
            internet_gb_per_month: hundred(),
            services_gb_per_month: BTreeMap::new(),
            flow_logs_gb_per_month: 0,
        }
    }
}

impl Traffic {
    /// The GB a month sent to `service`, 0 when the design gives no figure.
    pub fn to_service(&self, service: &str) -> u32 {
        self.services_gb_per_month
            .get(service)
            .copied()
            .unwrap_or(0)
    }
}
