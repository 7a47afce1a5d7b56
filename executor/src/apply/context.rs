//! `Cx`: what every resource operation shares — the clients, the plan, the apply-time values
//! of IAM documents, where each plan id lives so far, and where events go.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use planner_core::design::iam::ApplyValues;
use planner_core::{Plan, Resource, ResourceKind};

use super::model::{expected_tags, ApplyError, LiveRes};
use crate::aws::Aws;
use crate::events::Reporter;

/// Everything a resource operation needs.
pub struct Cx {
    /// The clients (every call through them is bounded by `--concurrency`).
    pub aws: Aws,
    /// The plan being applied.
    pub plan: Arc<Plan>,
    /// Apply-time values for IAM documents (account, partition, region, VPC id).
    pub values: Mutex<ApplyValues>,
    /// Plan ids resolved so far (found live or created in this run).
    resolved: Mutex<BTreeMap<String, LiveRes>>,
    /// Where events go.
    pub events: Arc<dyn Reporter>,
}

/// The `Name` of a resource, where it has one.
fn name_of(r: &Resource) -> Option<&str> {
    match &r.kind {
        ResourceKind::Vpc { name, .. }
        | ResourceKind::Subnet { name, .. }
        | ResourceKind::InternetGateway { name, .. }
        | ResourceKind::EgressOnlyInternetGateway { name, .. }
        | ResourceKind::ElasticIp { name }
        | ResourceKind::NatGateway { name, .. }
        | ResourceKind::SecurityGroup { name, .. }
        | ResourceKind::Instance { name, .. }
        | ResourceKind::LaunchTemplate { name, .. }
        | ResourceKind::AutoscalingGroup { name, .. }
        | ResourceKind::RouteTable { name, .. }
        | ResourceKind::NetworkAcl { name, .. }
        | ResourceKind::VpcEndpoint { name, .. }
        | ResourceKind::FlowLog { name, .. } => Some(name),
        ResourceKind::VpcCidrBlock { .. }
        | ResourceKind::SecurityGroupRule { .. }
        | ResourceKind::Route { .. }
        | ResourceKind::RouteTableAssociation { .. }
        | ResourceKind::NetworkAclEntry { .. }
        | ResourceKind::NetworkAclAssociation { .. }
        // A log group's name is its identity; it carries the ownership tags only.
        | ResourceKind::LogGroup { .. }
        | ResourceKind::IamPolicy(_)
        | ResourceKind::IamRole(_)
        | ResourceKind::IamInstanceProfile(_) => None,
    }
}

impl Cx {
    /// A context for `plan` in `account`.
    pub fn new(aws: Aws, plan: Arc<Plan>, account: String, events: Arc<dyn Reporter>) -> Cx {
        let values = ApplyValues {
            account_id: account,
            partition: planner_core::design::iam::partition_of(&aws.region).to_owned(),
            region: aws.region.clone(),
            vpc_id: String::new(),
        };
        Cx {
            aws,
            plan,
            values: Mutex::new(values),
            resolved: Mutex::new(BTreeMap::new()),
            events,
        }
    }

    /// Records where a plan id lives.
    pub fn resolve(&self, id: &str, live: LiveRes) {
        if id == planner_core::ids::VPC_ID {
            self.values.lock().expect("values lock").vpc_id = live.aws_id.clone();
        }
        self.resolved
            .lock()
            .expect("resolved lock")
            .insert(id.to_owned(), live);
    }

    /// The AWS id of a resource this one depends on.
    pub fn id_of(&self, id: &str) -> Result<String, ApplyError> {
        self.resolved
            .lock()
            .expect("resolved lock")
            .get(id)
            .map(|l| l.aws_id.clone())
            .ok_or_else(|| ApplyError::new(id, "is not created yet (dependency order broken)"))
    }

    /// What is known of a plan id.
    pub fn live_of(&self, id: &str) -> Option<LiveRes> {
        self.resolved
            .lock()
            .expect("resolved lock")
            .get(id)
            .cloned()
    }

    /// The tags a plan resource must carry.
    pub fn tags_for(&self, r: &Resource) -> BTreeMap<String, String> {
        let mut t = expected_tags(&self.plan.design.name, &r.id, name_of(r));
        if let ResourceKind::RouteTable { tags, .. } = &r.kind {
            t.extend(tags.clone());
        }
        t
    }

    /// Apply-time values, for rendering IAM documents.
    pub fn apply_values(&self) -> ApplyValues {
        self.values.lock().expect("values lock").clone()
    }
}
