//! The walk: resources start when everything they depend on is done, with at most
//! `concurrency` AWS calls in flight; the first failure stops new work, lets calls in flight
//! finish, and reports what exists.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use planner_core::resource::ResourceType;
use planner_core::Resource;
use tokio::task::JoinSet;

use super::context::Cx;
use super::dispatch;
use super::model::{ApplyError, Change, Live, LiveRes};
use crate::events::Event;

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
                let drift = dispatch::drift(cx, r, l);
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
                        Some(Change::Update(drift)) => dispatch::repair(&cx, &r, &drift)
                            .await
                            .map(|()| Some(drift.iter().map(ToString::to_string).collect())),
                        _ => dispatch::create(&cx, &r).await.map(|()| None),
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
        let orphans: Vec<(String, ResourceType, LiveRes)> = live
            .orphans
            .iter()
            .map(|o| {
                (
                    o.id.clone(),
                    o.kind,
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

/// Deletes `targets` (plan id, type, live) rank by rank, each rank in parallel.
pub async fn delete_all(cx: Arc<Cx>, targets: Vec<(String, ResourceType, LiveRes)>) -> Outcome {
    let mut outcome = Outcome::default();
    let mut by_rank: BTreeMap<usize, Vec<(String, ResourceType, LiveRes)>> = BTreeMap::new();
    for t in targets {
        by_rank
            .entry(dispatch::destroy_rank(t.1))
            .or_default()
            .push(t);
    }
    for (_, group) in by_rank {
        let mut set = JoinSet::new();
        for (id, kind, live) in group {
            let cx = cx.clone();
            set.spawn(async move {
                let r = dispatch::delete(&cx, kind, &id, &live).await;
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
