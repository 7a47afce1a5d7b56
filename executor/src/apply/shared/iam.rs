//! What IAM policies, roles and instance profiles share.
//!
//! IAM has no tag filter: each planned resource is looked up by its name (a policy by the ARN
//! its path and name give). One that exists without this plan's `vpc-planner:plan` tag belongs
//! to someone else: discovery stops with a message instead of adopting (or later deleting) it.
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
use planner_core::{Resource, ResourceKind};

use super::iam_document::document_text;
use super::wait::{retry_while, Backoff, Limit};
use crate::apply::context::Cx;
use crate::apply::model::{ApplyError, Drift, PLAN_TAG};

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

/// The tags `r` must carry: the plan's, and for a role the design's own.
pub fn tags_of(cx: &Cx, r: &Resource) -> BTreeMap<String, String> {
    let mut t = cx.tags_for(r);
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

/// Refuses an entity that exists under a planned name but is not this plan's.
pub fn check_owner(
    cx: &Cx,
    id: &str,
    what: &str,
    name: &str,
    tags: &BTreeMap<String, String>,
) -> Result<(), ApplyError> {
    let plan = &cx.plan.design.name;
    if tags.get(PLAN_TAG) == Some(plan) {
        return Ok(());
    }
    let whose = match tags.get(PLAN_TAG) {
        Some(other) => format!("it belongs to plan {other}"),
        None => format!("it has no {PLAN_TAG} tag"),
    };
    Err(ApplyError::new(
        id,
        format!(
            "{what} {name} already exists and is not this plan's ({whose}); it is left alone: \
             rename it in the design, or remove the existing one (or tag it {PLAN_TAG}={plan} \
             to hand it to this plan)"
        ),
    ))
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
