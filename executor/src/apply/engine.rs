//! The walk: resources start when everything they depend on is done, with at most
//! `concurrency` AWS calls in flight; the first failure stops new work, lets calls in flight
//! finish, and reports what exists.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use planner_core::iam::ApplyValues;
use planner_core::{Plan, Resource};
use tokio::sync::{Semaphore, SemaphorePermit};
use tokio::task::JoinSet;

use super::model::{expected_tags, ApplyError, Change, Live, LiveRes};
use super::ops;
use crate::aws::Aws;
use crate::events::{Event, Reporter};

/// Everything a resource operation needs.
pub struct Cx {
    /// The clients.
    pub aws: Aws,
    /// The plan being applied.
    pub plan: Arc<Plan>,
    /// Apply-time values for IAM documents (account, partition, region, VPC id).
    pub values: Mutex<ApplyValues>,
    /// Plan ids resolved so far (found live or created in this run).
    resolved: Mutex<BTreeMap<String, LiveRes>>,
    permits: Semaphore,
    /// Where events go.
    pub events: Arc<dyn Reporter>,
}

impl Cx {
    /// A context for `plan` in `account`.
    pub fn new(
        aws: Aws,
        plan: Arc<Plan>,
        account: String,
        concurrency: usize,
        events: Arc<dyn Reporter>,
    ) -> Cx {
        let values = ApplyValues {
            account_id: account,
            partition: planner_core::iam::partition_of(&aws.region).to_owned(),
            region: aws.region.clone(),
            vpc_id: String::new(),
        };
        Cx {
            aws,
            plan,
            values: Mutex::new(values),
            resolved: Mutex::new(BTreeMap::new()),
            permits: Semaphore::new(concurrency.max(1)),
            events,
        }
    }

    /// Waits for a slot for one AWS call; hold it only for the call.
    pub async fn permit(&self) -> SemaphorePermit<'_> {
        self.permits
            .acquire()
            .await
            .expect("the semaphore is never closed")
    }

    /// Records where a plan id lives.
    pub fn resolve(&self, id: &str, live: LiveRes) {
        if id == planner_core::routing::VPC_ID {
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
        let mut t = expected_tags(&self.plan.design.name, &r.id, ops::name_of(r));
        if let planner_core::ResourceKind::RouteTable { tags, .. } = &r.kind {
            t.extend(tags.clone());
        }
        t
    }

    /// Apply-time values, for rendering IAM documents.
    pub fn apply_values(&self) -> ApplyValues {
        self.values.lock().expect("values lock").clone()
    }
}

/// How an apply ended.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Resources created.
    pub created: usize,
    /// Resources repaired.
    pub updated: usize,
    /// Resources deleted.
    pub deleted: usize,
    /// Resources already as planned.
    pub in_sync: usize,
    /// The first failures, if any.
    pub errors: Vec<ApplyError>,
}

/// Compares the plan with the live state (and records where the live resources are).
pub fn changes(cx: &Cx, live: &Live) -> BTreeMap<String, Change> {
    for (id, l) in &live.found {
        cx.resolve(id, l.clone());
    }
    let mut out = BTreeMap::new();
    for r in &cx.plan.resources {
        let change = match live.found.get(&r.id) {
            None => Change::Create,
            Some(l) => {
                let drift = ops::drift(cx, r, l);
                if drift.is_empty() {
                    Change::InSync
                } else {
                    Change::Update(drift)
                }
            }
        };
        out.insert(r.id.clone(), change);
    }
    for o in &live.orphans {
        out.insert(o.id.clone(), Change::Delete);
    }
    out
}

/// What one step of the walk ends with: `None` for a create, the repaired drift for a repair.
type StepResult = Result<Option<Vec<String>>, ApplyError>;

/// Creates and repairs what `changes` says, in dependency order, `concurrency` calls at a time.
pub async fn apply(cx: Arc<Cx>, live: &Live, changes: &BTreeMap<String, Change>) -> Outcome {
    let mut outcome = Outcome::default();
    let resources: Vec<Resource> = cx.plan.resources.clone();
    let mut done: BTreeSet<String> = BTreeSet::new();
    let mut pending: Vec<&Resource> = Vec::new();
    for r in &resources {
        match changes.get(&r.id) {
            Some(Change::InSync) => {
                outcome.in_sync += 1;
                done.insert(r.id.clone());
            }
            _ => pending.push(r),
        }
    }
    cx.events
        .start(pending.len() as u64 + live.orphans.len() as u64);
    let mut running: JoinSet<(String, StepResult)> = JoinSet::new();
    let mut started: BTreeSet<String> = BTreeSet::new();
    let known: BTreeSet<&str> = resources.iter().map(|r| r.id.as_str()).collect();
    loop {
        if outcome.errors.is_empty() {
            for r in &pending {
                let ready = !started.contains(&r.id)
                    && r.depends_on
                        .iter()
                        .all(|d| done.contains(d) || !known.contains(d.as_str()));
                if !ready {
                    continue;
                }
                started.insert(r.id.clone());
                let (cx, r, change) = (cx.clone(), (*r).clone(), changes.get(&r.id).cloned());
                running.spawn(async move {
                    let result = match change {
                        Some(Change::Update(drift)) => ops::repair(&cx, &r, &drift)
                            .await
                            .map(|()| Some(drift.iter().map(ToString::to_string).collect())),
                        _ => ops::create(&cx, &r).await.map(|()| None),
                    };
                    (r.id, result)
                });
            }
        }
        let Some(joined) = running.join_next().await else {
            break;
        };
        let (id, result) = joined
            .unwrap_or_else(|e| (String::from("?"), Err(ApplyError::new("?", e.to_string()))));
        match result {
            Ok(None) => {
                outcome.created += 1;
                done.insert(id);
            }
            Ok(Some(_)) => {
                outcome.updated += 1;
                done.insert(id);
            }
            Err(e) => outcome.errors.push(e),
        }
    }
    if outcome.errors.is_empty() && !live.orphans.is_empty() {
        let orphans: Vec<(String, &'static str, LiveRes)> = live
            .orphans
            .iter()
            .map(|o| {
                (
                    o.id.clone(),
                    o.type_name,
                    LiveRes {
                        aws_id: o.aws_id.clone(),
                        ..LiveRes::default()
                    },
                )
            })
            .collect();
        let d = delete_all(cx.clone(), orphans).await;
        outcome.deleted += d.deleted;
        outcome.errors.extend(d.errors);
    }
    cx.events.finish();
    outcome
}

/// The order `destroy` deletes in: dependents before what they depend on. Security group rules
/// go first (cross-group references would block deleting a group), NAT gateways are waited
/// for before their addresses are released, roles leave instance profiles before either goes.
pub fn destroy_rank(type_name: &str) -> usize {
    match type_name {
        "autoscaling_group"
        | "instance"
        | "security_group_rule"
        | "route"
        | "route_table_association" => 0,
        "launch_template" | "nat_gateway" | "iam_instance_profile" => 1,
        "elastic_ip"
        | "route_table"
        | "security_group"
        | "egress_only_internet_gateway"
        | "internet_gateway"
        | "iam_role" => 2,
        "subnet" | "iam_policy" => 3,
        "vpc_cidr_block" => 4,
        _ => 5,
    }
}

/// Deletes `targets` (plan id, type, live) rank by rank, each rank in parallel.
pub async fn delete_all(cx: Arc<Cx>, targets: Vec<(String, &'static str, LiveRes)>) -> Outcome {
    let mut outcome = Outcome::default();
    let mut by_rank: BTreeMap<usize, Vec<(String, &'static str, LiveRes)>> = BTreeMap::new();
    for t in targets {
        by_rank.entry(destroy_rank(t.1)).or_default().push(t);
    }
    for (_, group) in by_rank {
        let mut set = JoinSet::new();
        for (id, type_name, live) in group {
            let cx = cx.clone();
            set.spawn(async move {
                let r = ops::delete(&cx, type_name, &id, &live).await;
                (id, live.aws_id, r)
            });
        }
        while let Some(j) = set.join_next().await {
            match j {
                Ok((id, aws_id, Ok(()))) => {
                    outcome.deleted += 1;
                    cx.events.event(Event::Deleted { id, aws_id });
                }
                Ok((_, _, Err(e))) => outcome.errors.push(e),
                Err(e) => outcome.errors.push(ApplyError::new("?", e.to_string())),
            }
        }
        if !outcome.errors.is_empty() {
            break;
        }
    }
    outcome
}
