//! What IAM policies, roles and instance profiles share.
//!
//! IAM has no tag filter: discovery lists every role, policy and instance profile and reads
//! their tags ([`classify`]), so what an earlier version of the plan made is found whatever
//! its name. One under a planned name without this plan's `vpc-planner:plan` tag belongs to
//! someone else: it is never adopted, changed or deleted (`run` stops with a message,
//! `destroy` reports it and leaves it). IAM is global, so the plan's entities also carry
//! `vpc-planner:region`: the same plan applied in another region finds them someone else's
//! too. One with the plan's tag and no region tag (made before the tag existed) is the plan's,
//! and the tag is added.
//!
//! Documents are rendered with the values learned at apply time ([`Cx::apply_values`]) and
//! compared with the live ones as canonical JSON ([`super::iam_document`]).
//!
//! IAM is eventually consistent: a role just created may not be visible at once, nor usable as
//! a principal in another trust policy. Calls right after a create retry a bounded number of
//! times while IAM catches up ([`settle`]).

use std::collections::BTreeMap;
use std::future::Future;
use std::time::Duration;

use aws_sdk_iam::error::ProvideErrorMetadata;
use aws_sdk_iam::types::Tag;
use planner_core::design::iam::{PolicyDocument, Reference};
use planner_core::resource::ResourceType;
use planner_core::{Resource, ResourceKind};

use super::iam_document::document_text;
use super::wait::{retry_while, Backoff, Limit};
use crate::apply::context::Cx;
use crate::apply::model::{
    ApplyError, Drift, Foreign, Live, LiveRes, Orphan, ID_TAG, PLAN_TAG, REGION_TAG,
};

/// IAM's error code for a missing entity.
pub const NOT_FOUND: &str = "NoSuchEntity";
/// IAM's error code for a name already taken.
pub const EXISTS: &str = "EntityAlreadyExists";
/// How many times a call is tried while IAM catches up with a create (about 35 s in all).
const SETTLE_ATTEMPTS: u32 = 12;

/// Sends `call` and tries again while `retry` says the error is IAM catching up, at most
/// [`SETTLE_ATTEMPTS`] times, saying at the first retry what it waits for.
pub async fn settle<T, E, F, Fut>(
    cx: &Cx,
    id: &str,
    what: &str,
    retry: impl Fn(&E) -> bool,
    call: F,
) -> Result<T, E>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let backoff = Backoff::doubling(
        cx,
        id,
        what,
        Duration::from_millis(250),
        Duration::from_secs(5),
    );
    retry_while(backoff, Limit::Attempts(SETTLE_ATTEMPTS), retry, call).await
}

/// Whether `e` carries the IAM error code `code`.
pub fn has_code<E: ProvideErrorMetadata>(e: &E, code: &str) -> bool {
    e.code() == Some(code)
}

/// `Ok(Some)` on success, `Ok(None)` when the entity does not exist.
pub fn unless_gone<T, E>(id: &str, r: Result<T, E>) -> Result<Option<T>, ApplyError>
where
    E: ProvideErrorMetadata + std::error::Error,
{
    match r {
        Ok(v) => Ok(Some(v)),
        Err(e) if has_code(&e, NOT_FOUND) => Ok(None),
        Err(e) => Err(ApplyError::sdk(id, e)),
    }
}

/// Tags as IAM takes them.
pub fn iam_tags(tags: &BTreeMap<String, String>) -> Vec<Tag> {
    tags.iter()
        .map(|(k, v)| {
            Tag::builder()
                .key(k)
                .value(v)
                .build()
                .expect("key and value are set")
        })
        .collect()
}

/// IAM tags as a map.
pub fn tag_map(tags: &[Tag]) -> BTreeMap<String, String> {
    tags.iter()
        .map(|t| (t.key().to_owned(), t.value().to_owned()))
        .collect()
}

/// The tags `r` must carry: the plan's, its region, and for a role the design's own.
pub fn tags_of(cx: &Cx, r: &Resource) -> BTreeMap<String, String> {
    let mut t = cx.tags_for(r);
    t.insert(REGION_TAG.to_owned(), cx.plan.design.region.clone());
    if let ResourceKind::IamRole(role) = &r.kind {
        for (k, v) in &role.tags {
            t.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    t
}

/// The ARN of an IAM entity of this account.
pub fn iam_arn(cx: &Cx, kind: &str, path: &str, name: &str) -> String {
    let v = cx.apply_values();
    format!(
        "arn:{}:iam::{}:{kind}{path}{name}",
        v.partition, v.account_id
    )
}

/// `doc` as AWS receives it, with every reference resolved.
fn render(cx: &Cx, doc: &PolicyDocument) -> Result<String, String> {
    let v = cx.apply_values();
    let ctx = |r: &Reference| match r {
        Reference::VpcId | Reference::VpcArn if v.vpc_id.is_empty() => None,
        r => v.resolve(&cx.plan.design, r),
    };
    doc.render(&ctx).map_err(|e| e.to_string())
}

/// `doc` rendered, or an error about `id`.
pub fn render_for(cx: &Cx, id: &str, doc: &PolicyDocument) -> Result<String, ApplyError> {
    render(cx, doc).map_err(|e| ApplyError::new(id, e))
}

/// A live document as compared with the plan's.
pub fn live_text(cx: &Cx, text: &str) -> String {
    document_text(text, &cx.apply_values().partition)
}

/// The plan's document as compared with a live one.
pub fn planned_text(cx: &Cx, doc: &PolicyDocument) -> String {
    match render(cx, doc) {
        Ok(text) => live_text(cx, &text),
        Err(e) => format!("(not known yet: {e})"),
    }
}

/// Why an entity under a planned name is not this plan's, and what to do; `None` when it is.
fn not_owned(cx: &Cx, what: &str, name: &str, tags: &BTreeMap<String, String>) -> Option<String> {
    let plan = &cx.plan.design.name;
    let region = &cx.plan.design.region;
    let (whose, hand_over) = match (tags.get(PLAN_TAG), other_region(cx, tags)) {
        (Some(p), None) if p == plan => return None,
        // IAM names are global: the same design applied in a second region meets the first's.
        (Some(p), Some(there)) => {
            return Some(format!(
                "{what} {name} already exists and is plan {p}'s in {there}, not in {region} \
                 (IAM names are global); it is left alone: rename it in the design for \
                 {region}, or destroy the plan in {there} first"
            ))
        }
        (Some(other), None) => (
            format!("it belongs to plan {other}"),
            format!("tag it {PLAN_TAG}={plan} to hand it to this plan"),
        ),
        (None, _) => (
            format!("it has no {PLAN_TAG} tag"),
            format!("tag it {PLAN_TAG}={plan} to hand it to this plan"),
        ),
    };
    Some(format!(
        "{what} {name} already exists and is not this plan's ({whose}); it is left alone: \
         rename it in the design, or remove the existing one (or {hand_over})"
    ))
}

/// Whether `tags` mark an IAM entity as this plan's: its plan tag, and no other region's.
pub fn owned(cx: &Cx, tags: &BTreeMap<String, String>) -> bool {
    tags.get(PLAN_TAG) == Some(&cx.plan.design.name) && other_region(cx, tags).is_none()
}

/// The region an IAM entity's region tag names when it is not the plan's.
fn other_region<'t>(cx: &Cx, tags: &'t BTreeMap<String, String>) -> Option<&'t str> {
    tags.get(REGION_TAG)
        .map(String::as_str)
        .filter(|r| *r != cx.plan.design.region)
}

/// Whether the role `name` is this plan's (by its tags); a role gone meanwhile counts as
/// the plan's (there is nothing of anyone's left to change).
pub async fn role_owned(cx: &Cx, id: &str, name: &str) -> Result<bool, ApplyError> {
    let out = cx
        .aws
        .iam(|c| c.list_role_tags().role_name(name).send())
        .await;
    Ok(unless_gone(id, out)?.is_none_or(|o| owned(cx, &tag_map(o.tags()))))
}

/// Whether the instance profile `name` is this plan's (by its tags); gone counts as the
/// plan's.
pub async fn profile_owned(cx: &Cx, id: &str, name: &str) -> Result<bool, ApplyError> {
    let out = cx
        .aws
        .iam(|c| c.get_instance_profile().instance_profile_name(name).send())
        .await;
    Ok(unless_gone(id, out)?.is_none_or(|o| {
        o.instance_profile()
            .is_some_and(|p| owned(cx, &tag_map(p.tags())))
    }))
}

/// Refuses an entity that exists under a planned name but is not this plan's.
pub fn check_owner(
    cx: &Cx,
    id: &str,
    what: &str,
    name: &str,
    tags: &BTreeMap<String, String>,
) -> Result<(), ApplyError> {
    match not_owned(cx, what, name, tags) {
        None => Ok(()),
        Some(message) => Err(ApplyError::new(id, message)),
    }
}

/// What an IAM entity listed by discovery is to the plan.
pub enum Listed {
    /// The plan's resource with this id (it has the planned name and the plan's tag).
    Planned(String),
    /// It carries the plan's tag, but the plan no longer has it.
    Orphan(Orphan),
    /// It has a planned name but is someone else's.
    Foreign(Foreign),
    /// Nothing of the plan's.
    Other,
}

/// Sorts a listed IAM entity of type `kind` (a `what`, named `name`, with `arn` and `tags`)
/// by its name and its tags. IAM names are unique in an account, so a planned name that
/// carries the plan's tag is the plan's resource whatever its id tag says (a stale id tag is
/// drift), and one without it is someone else's.
pub fn classify(
    cx: &Cx,
    kind: ResourceType,
    what: &str,
    (name, arn): (&str, &str),
    tags: &BTreeMap<String, String>,
) -> Listed {
    let planned = cx
        .plan
        .resources
        .iter()
        .find(|r| r.kind.resource_type() == kind && planned_name(r) == Some(name));
    match (planned, owned(cx, tags)) {
        (Some(r), true) => Listed::Planned(r.id.clone()),
        (Some(r), false) => Listed::Foreign(Foreign {
            id: r.id.clone(),
            message: not_owned(cx, what, name, tags).unwrap_or_default(),
        }),
        (None, true) => Listed::Orphan(Orphan::new(
            tags.get(ID_TAG).map_or(name, String::as_str),
            kind,
            LiveRes {
                aws_id: name.to_owned(),
                arn: Some(arn.to_owned()),
                tags: tags.clone(),
                ..LiveRes::default()
            },
        )),
        (None, false) => Listed::Other,
    }
}

/// The IAM name of a planned policy, role or instance profile.
fn planned_name(r: &Resource) -> Option<&str> {
    match &r.kind {
        ResourceKind::IamPolicy(p) => Some(&p.name),
        ResourceKind::IamRole(role) => Some(&role.name),
        ResourceKind::IamInstanceProfile(p) => Some(&p.name),
        _ => None,
    }
}

/// Records a classified entity in `live`; for the plan's own, `find` reads it in full.
pub async fn record<F, Fut>(live: &mut Live, listed: Listed, find: F) -> Result<(), ApplyError>
where
    F: FnOnce(String) -> Fut,
    Fut: Future<Output = Result<Option<LiveRes>, ApplyError>>,
{
    match listed {
        Listed::Planned(id) => {
            if let Some(res) = find(id.clone()).await? {
                live.found.insert(id, res);
            }
        }
        Listed::Orphan(o) => live.orphans.push(o),
        Listed::Foreign(f) => live.foreign.push(f),
        Listed::Other => {}
    }
    Ok(())
}

/// A description as compared and shown: `-` when empty.
pub fn dash(s: &str) -> String {
    if s.is_empty() {
        "-".to_owned()
    } else {
        s.to_owned()
    }
}

/// Before bringing an entity made by an earlier run in line: refuses if any of `drift` cannot
/// be repaired in place.
pub fn refuse_unrepairable(r: &Resource, drift: &[Drift]) -> Result<(), ApplyError> {
    match drift.iter().find(|x| !x.repairable) {
        Some(x) => Err(ApplyError::new(
            &r.id,
            format!("exists and differs from the plan: {x}; destroy and re-create it, or change the design to match"),
        )),
        None => Ok(()),
    }
}
