//! The walk: resources start when everything they depend on is done, with at most
//! `concurrency` AWS calls in flight; the first failure stops new work, lets calls in flight
//! finish, and reports what exists. Around it: orphans in the way of a create are deleted
//! before it, the others after it, and what dependents used until then (the VPC's IPv6
//! block) is taken away last. What `run` cannot do in place is refused before any of it
//! ([`refusals`]).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use planner_core::resource::ResourceType;
use planner_core::Resource;
use tokio::task::JoinSet;

use super::context::Cx;
use super::dispatch;
use super::model::{ApplyError, Change, Drift, Live, LiveRes};
use super::shared::compute::prefetch_images;
use crate::aws::urgent;
use crate::events::Event;
use crate::trace::{self, Frontier};

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
    /// Resources not deleted because something outside the plan holds them.
    pub kept: Vec<ApplyError>,
}

/// Compares the plan with the live state (and records where the live resources are). A plan
/// id that several live resources carry is a difference of the one kept.
pub fn changes(cx: &Cx, live: &Live) -> BTreeMap<String, Change> {
    for (id, l) in &live.found {
        cx.resolve(id, l.clone());
    }
    let mut out = BTreeMap::new();
    for r in &cx.plan.resources {
        let change = match live.found.get(&r.id) {
            None => Change::Create,
            Some(l) => {
                let mut drift = dispatch::drift(cx, r, l);
                drift.extend(copies(live, &r.id, l));
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

/// The difference of a plan id that more than one live resource carries (two runs at once),
/// naming every copy; `run` does not pick one to delete by itself.
fn copies(live: &Live, id: &str, kept: &LiveRes) -> Option<Drift> {
    let extra: Vec<&str> = live
        .duplicates
        .iter()
        .filter(|d| d.id == id)
        .map(|d| d.aws_id.as_str())
        .collect();
    if extra.is_empty() {
        return None;
    }
    Some(Drift {
        what: COPIES.to_owned(),
        live: format!(
            "{} ({}, {})",
            extra.len() + 1,
            kept.aws_id,
            extra.join(", ")
        ),
        plan: "1".to_owned(),
        repairable: false,
        late: false,
    })
}

/// The drift [`copies`] reports.
const COPIES: &str = "copies";

/// What stops `run` before its first mutating call: every difference it cannot repair in
/// place (a VPC's or subnet's block or zone, a resource in another VPC, a plan id carried
/// twice), each with what to do. Found up front, so the account is never left half-changed.
pub fn refusals(cx: &Cx, changes: &BTreeMap<String, Change>) -> Vec<String> {
    let mut out = Vec::new();
    for r in &cx.plan.resources {
        let Some(Change::Update(drift)) = changes.get(&r.id) else {
            continue;
        };
        for d in drift.iter().filter(|d| !d.repairable) {
            let todo = match d.what.as_str() {
                COPIES => {
                    "two runs at once made it twice: destroy (which deletes every copy) and run \
                     again, or delete the extra copies by hand"
                }
                "vpc" | "subnet" => {
                    "it is not where the plan puts it: delete it (or remove its vpc-planner tags) \
                     and run again"
                }
                _ => {
                    "AWS cannot change it in place: destroy with the plan that made it and run \
                     this one, or change the design back (plan --previous keeps subnets where \
                     they are)"
                }
            };
            out.push(format!("{}: {d}: {todo}", r.id));
        }
    }
    out
}

/// What `destroy` deletes: every live resource carrying the plan's tag, its copies included.
pub fn destroy_targets(cx: &Cx, live: &Live) -> Vec<(String, ResourceType, LiveRes)> {
    let mut targets: Vec<(String, ResourceType, LiveRes)> = Vec::new();
    for r in &cx.plan.resources {
        if let Some(l) = live.found.get(&r.id) {
            targets.push((r.id.clone(), r.kind.resource_type(), l.clone()));
        }
    }
    for o in live.orphans.iter().chain(&live.duplicates) {
        targets.push((o.id.clone(), o.kind, o.live.clone()));
    }
    targets
}

/// What one step of the walk ends with: `None` for a create, the repaired drift for a repair.
type StepResult = Result<Option<Vec<String>>, ApplyError>;

/// Applies `changes`: first the orphans that stand in the way of a create (an overlapping
/// block, a name AWS keeps unique) with everything that could depend on them (the orphans
/// below them in the destroy order); then creates and repairs in dependency order,
/// `concurrency` calls at a time; then the other orphans; then the repairs that take away
/// what others used until then (the VPC's IPv6 block).
pub async fn apply(cx: Arc<Cx>, live: &Live, changes: &BTreeMap<String, Change>) -> Outcome {
    let mut outcome = Outcome::default();
    let resources: Vec<Resource> = cx.plan.resources.clone();
    let mut done: BTreeSet<String> = BTreeSet::new();
    let mut pending: Vec<&Resource> = Vec::new();
    let mut late: Late<'_> = Vec::new();
    for r in &resources {
        match changes.get(&r.id) {
            Some(Change::InSync) => {
                outcome.in_sync += 1;
                done.insert(r.id.clone());
            }
            Some(Change::Update(drift)) => {
                let (later, now): (Vec<Drift>, Vec<Drift>) =
                    drift.iter().cloned().partition(|d| d.late);
                if !later.is_empty() {
                    late.push((r, later));
                }
                if now.is_empty() {
                    done.insert(r.id.clone());
                } else {
                    pending.push(r);
                }
            }
            _ => pending.push(r),
        }
    }
    let (first, rest) = in_the_way(&cx, live, changes);
    cx.events
        .start((pending.len() + late.len() + live.orphans.len()) as u64);
    // The images the creates boot are looked up while the rest goes on.
    let creating: Vec<&Resource> = pending
        .iter()
        .filter(|r| matches!(changes.get(&r.id), Some(Change::Create)))
        .copied()
        .collect();
    // One call the creates of launch templates and instances wait for: served first.
    let images = trace::fork(urgent(usize::MAX, prefetch_images(&cx, &creating)));
    let work = changing(
        &cx,
        &resources,
        (pending, done, late),
        (first, rest),
        changes,
    );
    let ((), changed) = tokio::join!(images, work);
    outcome.created += changed.created;
    outcome.updated += changed.updated;
    outcome.deleted += changed.deleted;
    outcome.errors.extend(changed.errors);
    outcome.kept.extend(changed.kept);
    cx.events.finish();
    outcome
}

/// The steps of [`apply`]: the orphans in the way, the walk, the other orphans, the late
/// repairs, each only if all before went well.
async fn changing(
    cx: &Arc<Cx>,
    resources: &[Resource],
    (pending, done, late): (Vec<&Resource>, BTreeSet<String>, Late<'_>),
    (first, rest): (Targets, Targets),
    changes: &BTreeMap<String, Change>,
) -> Outcome {
    let mut outcome = Outcome::default();
    if !first.is_empty() {
        let d = delete_all(cx.clone(), first).await;
        outcome.deleted += d.deleted;
        outcome.errors.extend(d.errors);
        outcome.kept.extend(d.kept);
    }
    if outcome.errors.is_empty() {
        walk(cx, resources, pending, done, changes, &mut outcome).await;
    }
    if outcome.errors.is_empty() && !rest.is_empty() {
        let d = delete_all(cx.clone(), rest).await;
        outcome.deleted += d.deleted;
        outcome.errors.extend(d.errors);
        outcome.kept.extend(d.kept);
    }
    for (r, drift) in late {
        if !outcome.errors.is_empty() {
            break;
        }
        match dispatch::repair(cx, r, &drift).await {
            Ok(()) => outcome.updated += usize::from(!drift.is_empty() && only_late(changes, r)),
            Err(e) => outcome.errors.push(e),
        }
    }
    outcome
}

/// Repairs left to the end: the resource and the drift they repair.
type Late<'a> = Vec<(&'a Resource, Vec<Drift>)>;

/// Whether all of `r`'s drift waits until the end (then its late repair is its update).
fn only_late(changes: &BTreeMap<String, Change>, r: &Resource) -> bool {
    matches!(changes.get(&r.id), Some(Change::Update(d)) if d.iter().all(|x| x.late))
}

/// Splits the orphans into those to delete before anything is created (those a create
/// conflicts with, and every orphan at or below their destroy rank, which is where whatever
/// depends on them sits) and the rest, deleted after the walk.
fn in_the_way(cx: &Cx, live: &Live, changes: &BTreeMap<String, Change>) -> (Targets, Targets) {
    let creates: Vec<&Resource> = cx
        .plan
        .resources
        .iter()
        .filter(|r| matches!(changes.get(&r.id), Some(Change::Create)))
        .collect();
    let bar = live
        .orphans
        .iter()
        .filter(|o| creates.iter().any(|r| dispatch::conflicts(cx, r, o)))
        .map(|o| dispatch::destroy_rank(o.kind))
        .max();
    let (mut first, mut rest) = (Vec::new(), Vec::new());
    for o in &live.orphans {
        let t = (o.id.clone(), o.kind, o.live.clone());
        if bar.is_some_and(|b| dispatch::destroy_rank(o.kind) <= b) {
            first.push(t);
        } else {
            rest.push(t);
        }
    }
    (first, rest)
}

/// Resources to delete: plan id, type, what is known of it.
type Targets = Vec<(String, ResourceType, LiveRes)>;

/// How many of `pending` (the longest chain of them) wait, directly or not, for each: the
/// resources to start first when more are ready than calls may be in flight.
fn heights(resources: &[Resource], pending: &[&Resource]) -> BTreeMap<String, usize> {
    let todo: BTreeSet<&str> = pending.iter().map(|r| r.id.as_str()).collect();
    let mut height: BTreeMap<String, usize> = BTreeMap::new();
    // Every dependency comes earlier in the plan: from the end, each resource's dependents
    // are known when it is reached.
    let mut below: BTreeMap<&str, usize> = BTreeMap::new();
    for r in resources.iter().rev() {
        let h = usize::from(todo.contains(r.id.as_str()))
            + below.get(r.id.as_str()).copied().unwrap_or(0);
        for d in &r.depends_on {
            let b = below.entry(d.as_str()).or_default();
            *b = (*b).max(h);
        }
        height.insert(r.id.clone(), h);
    }
    height
}

/// Creates and repairs `pending` in dependency order, `concurrency` calls at a time, the calls
/// of those with the longest chain of resources waiting for them first ([`urgent`]); the first
/// failure stops new work and lets what is in flight finish.
async fn walk(
    cx: &Arc<Cx>,
    resources: &[Resource],
    mut pending: Vec<&Resource>,
    mut done: BTreeSet<String>,
    changes: &BTreeMap<String, Change>,
    outcome: &mut Outcome,
) {
    let height = heights(resources, &pending);
    pending.sort_by_key(|r| std::cmp::Reverse(height.get(&r.id).copied().unwrap_or(0)));
    let mut running: JoinSet<((String, StepResult), Frontier)> = JoinSet::new();
    let mut started: BTreeSet<String> = BTreeSet::new();
    // Each resource's calls follow those of the resources it waited for.
    let start = trace::current();
    let mut ends: BTreeMap<String, Frontier> = BTreeMap::new();
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
                let from = r
                    .depends_on
                    .iter()
                    .filter_map(|d| ends.get(d))
                    .fold(start, |a, b| a.max(*b));
                let urgency = height.get(&r.id).copied().unwrap_or(0);
                let work = urgent(urgency, step(cx, r, changes));
                let strand = trace::branch_from(Some(&r.id), from, work);
                running.spawn(strand);
            }
        }
        let Some(joined) = running.join_next().await else {
            break;
        };
        let ((id, result), at) = joined.unwrap_or_else(|e| {
            (
                (String::from("?"), Err(ApplyError::new("?", e.to_string()))),
                Frontier::default(),
            )
        });
        trace::follow(at);
        ends.insert(id.clone(), at);
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
}

/// Creates or repairs `r`, as `changes` say.
fn step(
    cx: &Arc<Cx>,
    r: &Resource,
    changes: &BTreeMap<String, Change>,
) -> impl std::future::Future<Output = (String, StepResult)> + Send + 'static {
    let (cx, r, change) = (cx.clone(), r.clone(), changes.get(&r.id).cloned());
    async move {
        let result = match change {
            Some(Change::Update(drift)) => {
                let now: Vec<Drift> = drift.into_iter().filter(|d| !d.late).collect();
                dispatch::repair(&cx, &r, &now)
                    .await
                    .map(|()| Some(now.iter().map(ToString::to_string).collect()))
            }
            _ => dispatch::create(&cx, &r).await.map(|()| None),
        };
        (r.id, result)
    }
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
        // A rank starts once the one before it has ended.
        let from = trace::current();
        let mut set = JoinSet::new();
        for (id, kind, live) in group {
            let cx = cx.clone();
            let label = id.clone();
            set.spawn(trace::branch_from(Some(&label), from, async move {
                let r = dispatch::delete(&cx, kind, &id, &live).await;
                (id, live.aws_id, r)
            }));
        }
        while let Some(j) = set.join_next().await {
            let j = j.map(|(deleted, at)| {
                trace::follow(at);
                deleted
            });
            match j {
                Ok((id, aws_id, Ok(()))) => {
                    outcome.deleted += 1;
                    cx.events.event(Event::Deleted { id, aws_id });
                }
                Ok((id, _, Err(e))) if e.kept => {
                    cx.events.event(Event::Note {
                        message: format!("{id}: left in place: {}", e.message),
                    });
                    outcome.kept.push(e);
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
