//! IAM: customer managed policies, roles (trust policy, inline policies, attached managed
//! policies) and instance profiles.
//!
//! IAM has no tag filter: each planned resource is looked up by its name (a policy by the ARN
//! its path and name give). One that exists without this plan's `vpc-planner:plan` tag belongs
//! to someone else: discovery stops with a message instead of adopting (or later deleting) it.
//!
//! Documents are rendered with the values learned at apply time ([`Cx::apply_values`]) and
//! compared with the live ones as JSON values, not as text: AWS returns documents
//! URL-encoded and may lay them out differently. A one-element array and its single element
//! count as the same (IAM reads them alike).
//!
//! IAM is eventually consistent: a role just created may not be visible at once, nor usable as
//! a principal in another trust policy. Calls right after a create retry a bounded number of
//! times while IAM catches up.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use aws_sdk_iam::error::ProvideErrorMetadata;
use aws_sdk_iam::types::Tag;
use planner_core::iam::{
    PolicyAttachment, PolicyDocument, PolicyResource, Reference, RoleResource,
};
use planner_core::{Resource, ResourceKind};
use serde_json::Value;

use super::model::{tag_drift, ApplyError, Drift, Live, LiveRes, PLAN_TAG};
use super::Cx;
use crate::events::Event;

/// IAM's error code for a missing entity.
const NOT_FOUND: &str = "NoSuchEntity";
/// IAM's error code for a name already taken.
const EXISTS: &str = "EntityAlreadyExists";
/// How many times a call is tried while IAM catches up with a create (about 35 s in all).
const SETTLE_ATTEMPTS: u32 = 12;
/// AWS's default longest session of a role, in seconds.
const DEFAULT_MAX_SESSION: u32 = 3600;
/// How many versions a managed policy may keep.
const MAX_POLICY_VERSIONS: usize = 5;

/// Attribute key prefixes of a role's inline policies and attachments.
const INLINE: &str = "inline policy ";
const ATTACHED: &str = "attached policy ";

/// Sends `$req` (a fluent builder), holding a permit only for the call, and tries again while
/// `$retry` says the error is IAM catching up, at most [`SETTLE_ATTEMPTS`] times.
macro_rules! settle {
    ($cx:expr, $id:expr, $what:expr, $retry:expr, $req:expr) => {{
        let mut delay = Duration::from_millis(250);
        let mut attempt = 0u32;
        let req = $req;
        loop {
            let out = {
                let _p = $cx.permit().await;
                req.clone().send().await
            };
            match out {
                Err(e) if attempt + 1 < SETTLE_ATTEMPTS && ($retry)(&e) => {
                    if attempt == 0 {
                        $cx.events.event(Event::Waiting {
                            id: $id.to_owned(),
                            what: $what.to_owned(),
                        });
                    }
                    attempt += 1;
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(Duration::from_secs(5));
                }
                other => break other,
            }
        }
    }};
}

/// Sends `$req` holding a permit only for the call.
macro_rules! call {
    ($cx:expr, $req:expr) => {{
        let _p = $cx.permit().await;
        $req.send().await
    }};
}

/// Collects every item of a paginated list call.
macro_rules! items {
    ($cx:expr, $req:expr) => {{
        let _p = $cx.permit().await;
        $req.into_paginator().items().send().try_collect().await
    }};
}

fn has_code<E: ProvideErrorMetadata>(e: &E, code: &str) -> bool {
    e.code() == Some(code)
}

/// `Ok(Some)` on success, `Ok(None)` when the entity does not exist.
fn unless_gone<T, E>(id: &str, r: Result<T, E>) -> Result<Option<T>, ApplyError>
where
    E: ProvideErrorMetadata + std::error::Error,
{
    match r {
        Ok(v) => Ok(Some(v)),
        Err(e) if has_code(&e, NOT_FOUND) => Ok(None),
        Err(e) => Err(ApplyError::sdk(id, e)),
    }
}

fn iam_tags(tags: &BTreeMap<String, String>) -> Vec<Tag> {
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

fn tag_map(tags: &[Tag]) -> BTreeMap<String, String> {
    tags.iter()
        .map(|t| (t.key().to_owned(), t.value().to_owned()))
        .collect()
}

/// The tags `r` must carry: the plan's, and for a role the design's own.
fn tags_of(cx: &Cx, r: &Resource) -> BTreeMap<String, String> {
    let mut t = cx.tags_for(r);
    if let ResourceKind::IamRole(role) = &r.kind {
        for (k, v) in &role.tags {
            t.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    t
}

/// The ARN of an IAM entity of this account.
fn iam_arn(cx: &Cx, kind: &str, path: &str, name: &str) -> String {
    let v = cx.apply_values();
    format!(
        "arn:{}:iam::{}:{kind}{path}{name}",
        v.partition, v.account_id
    )
}

/// The ARN of a managed policy a role attaches.
fn attachment_arn(cx: &Cx, a: &PolicyAttachment) -> String {
    match a {
        PolicyAttachment::Arn(arn) => arn.clone(),
        PolicyAttachment::Policy(id) => match cx.plan.resource(id).map(|r| &r.kind) {
            Some(ResourceKind::IamPolicy(p)) => iam_arn(cx, "policy", &p.path, &p.name),
            _ => id.clone(),
        },
    }
}

/// The name of the role a plan id stands for.
fn role_name(cx: &Cx, id: &str) -> String {
    match cx.plan.resource(id).map(|r| &r.kind) {
        Some(ResourceKind::IamRole(role)) => role.name.clone(),
        _ => id.trim_start_matches("iam_role.").to_owned(),
    }
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

fn render_for(cx: &Cx, id: &str, doc: &PolicyDocument) -> Result<String, ApplyError> {
    render(cx, doc).map_err(|e| ApplyError::new(id, e))
}

/// Decodes `%XX` escapes (RFC 3986, as IAM encodes documents); `None` if malformed.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Sorted keys, and a one-element array read as its element.
fn canonical(v: Value) -> Value {
    match v {
        Value::Array(a) if a.len() == 1 => canonical(a.into_iter().next().expect("one element")),
        Value::Array(a) => Value::Array(a.into_iter().map(canonical).collect()),
        Value::Object(m) => {
            let mut pairs: Vec<(String, Value)> =
                m.into_iter().map(|(k, v)| (k, canonical(v))).collect();
            pairs.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(pairs.into_iter().collect())
        }
        other => other,
    }
}

/// IAM shows an account principal given as a bare id (`"123456789012"`) as the account's
/// root ARN: write it that way on both sides.
fn account_principals(mut doc: Value, partition: &str) -> Value {
    let fix = |v: &mut Value| {
        if let Value::String(s) = v {
            if s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()) {
                *s = format!("arn:{partition}:iam::{s}:root");
            }
        }
    };
    let statements = match doc.get_mut("Statement") {
        Some(Value::Array(a)) => a.iter_mut().collect(),
        Some(s @ Value::Object(_)) => vec![s],
        _ => Vec::new(),
    };
    for st in statements {
        for key in ["Principal", "NotPrincipal"] {
            match st.get_mut(key).and_then(|p| p.get_mut("AWS")) {
                Some(Value::Array(a)) => a.iter_mut().for_each(fix),
                Some(v) => fix(v),
                None => {}
            }
        }
    }
    doc
}

/// A document as compact canonical JSON, whether AWS sent it plain or URL-encoded; the text
/// itself when it is not JSON either way.
fn document_text(text: &str, partition: &str) -> String {
    let parsed = serde_json::from_str::<Value>(text)
        .ok()
        .or_else(|| percent_decode(text).and_then(|t| serde_json::from_str::<Value>(&t).ok()));
    match parsed {
        Some(v) => canonical(account_principals(v, partition)).to_string(),
        None => text.to_owned(),
    }
}

/// A live document as compared with the plan's.
fn live_text(cx: &Cx, text: &str) -> String {
    document_text(text, &cx.apply_values().partition)
}

/// The plan's document as compared with a live one.
fn planned_text(cx: &Cx, doc: &PolicyDocument) -> String {
    match render(cx, doc) {
        Ok(text) => live_text(cx, &text),
        Err(e) => format!("(not known yet: {e})"),
    }
}

/// Refuses an entity that exists under a planned name but is not this plan's.
fn check_owner(
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
fn dash(s: &str) -> String {
    if s.is_empty() {
        "-".to_owned()
    } else {
        s.to_owned()
    }
}

fn attrs<const N: usize>(pairs: [(&str, String); N]) -> BTreeMap<String, String> {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

/// Finds the plan's policies, roles and instance profiles by name. Every resource is looked
/// at, so that all those that are someone else's are reported at once.
pub async fn discover(cx: &Cx, live: &mut Live) -> Result<(), ApplyError> {
    let mut errors = Vec::new();
    for r in &cx.plan.resources {
        let found = match &r.kind {
            ResourceKind::IamPolicy(p) => read_policy(cx, &r.id, p).await,
            ResourceKind::IamRole(role) => read_role(cx, &r.id, &role.name).await,
            ResourceKind::IamInstanceProfile(p) => read_profile(cx, &r.id, &p.name).await,
            _ => continue,
        };
        match found {
            Ok(Some(res)) => {
                live.found.insert(r.id.clone(), res);
            }
            Ok(None) => {}
            Err(e) => errors.push(e),
        }
    }
    if errors.len() > 1 {
        let lines: Vec<String> = errors.iter().map(|e| format!("\n  {e}")).collect();
        return Err(ApplyError::new(
            "IAM discovery",
            format!("{} problems:{}", errors.len(), lines.concat()),
        ));
    }
    match errors.pop() {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// A customer managed policy and its default version's document.
async fn read_policy(cx: &Cx, id: &str, p: &PolicyResource) -> Result<Option<LiveRes>, ApplyError> {
    let iam = &cx.aws.iam;
    let arn = iam_arn(cx, "policy", &p.path, &p.name);
    let Some(out) = unless_gone(id, call!(cx, iam.get_policy().policy_arn(&arn)))? else {
        return Ok(None);
    };
    let Some(policy) = out.policy() else {
        return Ok(None);
    };
    let tags = tag_map(policy.tags());
    check_owner(cx, id, "policy", &arn, &tags)?;
    let version = policy.default_version_id().unwrap_or("v1");
    let document = unless_gone(
        id,
        call!(
            cx,
            iam.get_policy_version()
                .policy_arn(&arn)
                .version_id(version)
        ),
    )?
    .and_then(|o| {
        o.policy_version()
            .and_then(|v| v.document())
            .map(|d| live_text(cx, d))
    })
    .unwrap_or_else(|| "-".to_owned());
    Ok(Some(LiveRes {
        aws_id: p.name.clone(),
        arn: Some(policy.arn().unwrap_or(&arn).to_owned()),
        attrs: attrs([
            (
                "description",
                dash(policy.description().unwrap_or_default()),
            ),
            ("document", document),
        ]),
        tags,
    }))
}

/// A role with its trust policy, inline policies and attached managed policies.
async fn read_role(cx: &Cx, id: &str, name: &str) -> Result<Option<LiveRes>, ApplyError> {
    let iam = &cx.aws.iam;
    let Some(out) = unless_gone(id, call!(cx, iam.get_role().role_name(name)))? else {
        return Ok(None);
    };
    let Some(role) = out.role() else {
        return Ok(None);
    };
    let tags = tag_map(role.tags());
    check_owner(cx, id, "role", name, &tags)?;
    let mut a = attrs([
        ("path", role.path().to_owned()),
        ("description", dash(role.description().unwrap_or_default())),
        (
            "max_session_duration",
            role.max_session_duration()
                .map_or(DEFAULT_MAX_SESSION.to_string(), |m| m.to_string()),
        ),
        (
            "trust_policy",
            live_text(cx, role.assume_role_policy_document().unwrap_or_default()),
        ),
    ]);
    let Some(names) = unless_gone(id, items!(cx, iam.list_role_policies().role_name(name)))? else {
        return Ok(None);
    };
    for policy in names {
        let out = unless_gone(
            id,
            call!(
                cx,
                iam.get_role_policy().role_name(name).policy_name(&policy)
            ),
        )?;
        if let Some(o) = out {
            a.insert(
                format!("{INLINE}{policy}"),
                live_text(cx, o.policy_document()),
            );
        }
    }
    let Some(attached) = unless_gone(
        id,
        items!(cx, iam.list_attached_role_policies().role_name(name)),
    )?
    else {
        return Ok(None);
    };
    for p in attached {
        if let Some(arn) = p.policy_arn() {
            a.insert(format!("{ATTACHED}{arn}"), "attached".to_owned());
        }
    }
    Ok(Some(LiveRes {
        aws_id: name.to_owned(),
        arn: Some(role.arn().to_owned()),
        attrs: a,
        tags,
    }))
}

/// An instance profile and the roles it holds.
async fn read_profile(cx: &Cx, id: &str, name: &str) -> Result<Option<LiveRes>, ApplyError> {
    let out = unless_gone(
        id,
        call!(
            cx,
            cx.aws
                .iam
                .get_instance_profile()
                .instance_profile_name(name)
        ),
    )?;
    let Some(p) = out.as_ref().and_then(|o| o.instance_profile()) else {
        return Ok(None);
    };
    let tags = tag_map(p.tags());
    check_owner(cx, id, "instance profile", name, &tags)?;
    Ok(Some(LiveRes {
        aws_id: name.to_owned(),
        arn: Some(p.arn().to_owned()),
        attrs: attrs([
            ("path", p.path().to_owned()),
            ("role", profile_roles(p.roles())),
        ]),
        tags,
    }))
}

/// The names of an instance profile's roles, comma-separated; `-` for none.
fn profile_roles(roles: &[aws_sdk_iam::types::Role]) -> String {
    let names: Vec<&str> = roles.iter().map(|r| r.role_name()).collect();
    if names.is_empty() {
        "-".to_owned()
    } else {
        names.join(",")
    }
}

/// The attributes of `r` the account must show, and which of them `run` can repair.
fn expected(cx: &Cx, r: &Resource) -> (BTreeMap<String, String>, &'static [&'static str]) {
    match &r.kind {
        // A managed policy's description cannot be changed after it is created.
        ResourceKind::IamPolicy(p) => (
            attrs([
                ("description", dash(&p.description)),
                ("document", planned_text(cx, &p.document)),
            ]),
            &["document"],
        ),
        ResourceKind::IamRole(role) => {
            let mut a = attrs([
                ("path", role.path.clone()),
                ("description", dash(&role.description)),
                (
                    "max_session_duration",
                    role.max_session_duration
                        .unwrap_or(DEFAULT_MAX_SESSION)
                        .to_string(),
                ),
                ("trust_policy", planned_text(cx, &role.trust_policy)),
            ]);
            for p in &role.inline_policies {
                a.insert(format!("{INLINE}{}", p.name), planned_text(cx, &p.document));
            }
            for m in &role.managed_policies {
                a.insert(
                    format!("{ATTACHED}{}", attachment_arn(cx, m)),
                    "attached".to_owned(),
                );
            }
            (a, &["description", "max_session_duration", "trust_policy"])
        }
        ResourceKind::IamInstanceProfile(p) => (
            attrs([("path", p.path.clone()), ("role", role_name(cx, &p.role))]),
            &["role"],
        ),
        _ => (BTreeMap::new(), &[]),
    }
}

/// How the live resource differs from the plan.
pub fn drift(cx: &Cx, r: &Resource, live: &LiveRes) -> Vec<Drift> {
    let (want, repairable) = expected(cx, r);
    let mut d: Vec<Drift> = want
        .iter()
        .filter(|(k, v)| live.attrs.get(*k) != Some(v))
        .map(|(k, v)| Drift {
            what: k.clone(),
            live: live.attrs.get(k).cloned().unwrap_or_else(|| "-".to_owned()),
            plan: v.clone(),
            repairable: repairable.contains(&k.as_str())
                || k.starts_with(INLINE)
                || k.starts_with(ATTACHED),
        })
        .collect();
    // Inline policies and attachments the plan does not have.
    for (k, v) in &live.attrs {
        if (k.starts_with(INLINE) || k.starts_with(ATTACHED)) && !want.contains_key(k) {
            d.push(Drift {
                what: k.clone(),
                live: v.clone(),
                plan: "-".to_owned(),
                repairable: true,
            });
        }
    }
    d.extend(tag_drift(&tags_of(cx, r), &live.tags));
    d
}

/// Repairs `drift`, refusing first if any of it cannot be repaired in place.
async fn converge(cx: &Cx, r: &Resource, live: &LiveRes) -> Result<(), ApplyError> {
    let d = drift(cx, r, live);
    if let Some(x) = d.iter().find(|x| !x.repairable) {
        return Err(ApplyError::new(
            &r.id,
            format!("exists and differs from the plan: {x}; destroy and re-create it, or change the design to match"),
        ));
    }
    if d.is_empty() {
        return Ok(());
    }
    repair(cx, r, live, &d).await
}

/// Creates one resource.
pub async fn create(cx: &Cx, r: &Resource) -> Result<LiveRes, ApplyError> {
    let id = r.id.as_str();
    let tags = tags_of(cx, r);
    let made = |arn: String| LiveRes {
        aws_id: match &r.kind {
            ResourceKind::IamPolicy(p) => p.name.clone(),
            ResourceKind::IamRole(role) => role.name.clone(),
            ResourceKind::IamInstanceProfile(p) => p.name.clone(),
            _ => String::new(),
        },
        arn: Some(arn),
        attrs: expected(cx, r).0,
        tags: tags.clone(),
    };
    match &r.kind {
        ResourceKind::IamPolicy(p) => create_policy(cx, r, p, &tags).await.map(made),
        ResourceKind::IamRole(role) => create_role(cx, r, role, &tags).await.map(made),
        ResourceKind::IamInstanceProfile(p) => {
            let iam = &cx.aws.iam;
            let req = iam
                .create_instance_profile()
                .instance_profile_name(&p.name)
                .path(&p.path)
                .set_tags(Some(iam_tags(&tags)));
            let role = role_name(cx, &p.role);
            let arn = match call!(cx, req) {
                Ok(o) => o
                    .instance_profile()
                    .map(|x| x.arn().to_owned())
                    .unwrap_or_else(|| iam_arn(cx, "instance-profile", &p.path, &p.name)),
                Err(e) if has_code(&e, EXISTS) => {
                    // Made before a crash: bring it in line and carry on.
                    let live = read_profile(cx, id, &p.name).await?.ok_or_else(|| {
                        ApplyError::new(
                            id,
                            format!("instance profile {} exists but cannot be read", p.name),
                        )
                    })?;
                    converge(cx, r, &live).await?;
                    return Ok(made(live.arn.unwrap_or_default()));
                }
                Err(e) => return Err(ApplyError::sdk(id, e)),
            };
            settle!(
                cx,
                id,
                "IAM to show the new instance profile",
                |e: &_| has_code(e, NOT_FOUND),
                iam.add_role_to_instance_profile()
                    .instance_profile_name(&p.name)
                    .role_name(&role)
            )
            .map_err(|e| ApplyError::sdk(id, e))?;
            Ok(made(arn))
        }
        other => Err(ApplyError::new(
            id,
            format!("{} is not an IAM resource", other.type_name()),
        )),
    }
}

async fn create_policy(
    cx: &Cx,
    r: &Resource,
    p: &PolicyResource,
    tags: &BTreeMap<String, String>,
) -> Result<String, ApplyError> {
    let id = r.id.as_str();
    let document = render_for(cx, id, &p.document)?;
    let mut req = cx
        .aws
        .iam
        .create_policy()
        .policy_name(&p.name)
        .path(&p.path)
        .policy_document(document)
        .set_tags(Some(iam_tags(tags)));
    if !p.description.is_empty() {
        req = req.description(&p.description);
    }
    match call!(cx, req) {
        Ok(o) => Ok(o
            .policy()
            .and_then(|x| x.arn())
            .map(str::to_owned)
            .unwrap_or_else(|| iam_arn(cx, "policy", &p.path, &p.name))),
        Err(e) if has_code(&e, EXISTS) => {
            let arn = iam_arn(cx, "policy", &p.path, &p.name);
            let live = read_policy(cx, id, p).await?.ok_or_else(|| {
                ApplyError::new(
                    id,
                    format!(
                        "a policy named {} exists, but not at {arn} (another path?); it is left alone",
                        p.name
                    ),
                )
            })?;
            converge(cx, r, &live).await?;
            Ok(live.arn.unwrap_or(arn))
        }
        Err(e) => Err(ApplyError::sdk(id, e)),
    }
}

/// Whether a trust policy names a role of this plan (which IAM may not know yet).
fn trusts_plan_roles(role: &RoleResource) -> bool {
    role.trust_policy
        .references()
        .iter()
        .any(|r| matches!(r, Reference::RoleArn { .. }))
}

/// IAM refusing a principal it does not know yet.
fn invalid_principal<E: ProvideErrorMetadata>(e: &E) -> bool {
    has_code(e, "MalformedPolicyDocument")
        && e.message()
            .is_some_and(|m| m.to_ascii_lowercase().contains("principal"))
}

async fn create_role(
    cx: &Cx,
    r: &Resource,
    role: &RoleResource,
    tags: &BTreeMap<String, String>,
) -> Result<String, ApplyError> {
    let id = r.id.as_str();
    let iam = &cx.aws.iam;
    let trust = render_for(cx, id, &role.trust_policy)?;
    let mut req = iam
        .create_role()
        .role_name(&role.name)
        .path(&role.path)
        .assume_role_policy_document(trust)
        .set_tags(Some(iam_tags(tags)));
    if !role.description.is_empty() {
        req = req.description(&role.description);
    }
    if let Some(m) = role.max_session_duration {
        req = req.max_session_duration(i32::try_from(m).unwrap_or(i32::MAX));
    }
    let wait_principals = trusts_plan_roles(role);
    let out = settle!(
        cx,
        id,
        "IAM to accept the roles its trust policy names",
        |e: &_| wait_principals && invalid_principal(e),
        req
    );
    let arn = match out {
        Ok(o) => o
            .role()
            .map(|x| x.arn().to_owned())
            .unwrap_or_else(|| iam_arn(cx, "role", &role.path, &role.name)),
        Err(e) if has_code(&e, EXISTS) => {
            // Made before a crash (tagged in the same request): bring it in line.
            let live = read_role(cx, id, &role.name).await?.ok_or_else(|| {
                ApplyError::new(id, format!("role {} exists but cannot be read", role.name))
            })?;
            converge(cx, r, &live).await?;
            return Ok(live.arn.unwrap_or_default());
        }
        Err(e) => return Err(ApplyError::sdk(id, e)),
    };
    settle!(
        cx,
        id,
        "the new role to become visible in IAM",
        |e: &_| has_code(e, NOT_FOUND),
        iam.get_role().role_name(&role.name)
    )
    .map_err(|e| ApplyError::sdk(id, e))?;
    for p in &role.inline_policies {
        put_inline(cx, id, role, &p.name, &p.document).await?;
    }
    for m in &role.managed_policies {
        attach(
            cx,
            id,
            &role.name,
            &attachment_arn(cx, m),
            matches!(m, PolicyAttachment::Policy(_)),
        )
        .await?;
    }
    Ok(arn)
}

async fn put_inline(
    cx: &Cx,
    id: &str,
    role: &RoleResource,
    name: &str,
    doc: &PolicyDocument,
) -> Result<(), ApplyError> {
    let text = render_for(cx, id, doc)?;
    call!(
        cx,
        cx.aws
            .iam
            .put_role_policy()
            .role_name(&role.name)
            .policy_name(name)
            .policy_document(text)
    )
    .map_err(|e| ApplyError::sdk(id, e))?;
    Ok(())
}

/// Attaches `arn` to `role`; a policy of this plan may take a moment to become attachable.
async fn attach(
    cx: &Cx,
    id: &str,
    role: &str,
    arn: &str,
    just_created: bool,
) -> Result<(), ApplyError> {
    settle!(
        cx,
        id,
        "IAM to show the policy to attach",
        |e: &_| just_created && has_code(e, NOT_FOUND),
        cx.aws
            .iam
            .attach_role_policy()
            .role_name(role)
            .policy_arn(arn)
    )
    .map_err(|e| ApplyError::sdk(id, e))?;
    Ok(())
}

/// Repairs drift in place.
pub async fn repair(
    cx: &Cx,
    r: &Resource,
    live: &LiveRes,
    drift: &[Drift],
) -> Result<(), ApplyError> {
    let id = r.id.as_str();
    let iam = &cx.aws.iam;
    let retag = drift.iter().any(|d| d.what.starts_with("tag "));
    let cannot = |d: &Drift| ApplyError::new(id, format!("cannot repair {d}"));
    match &r.kind {
        ResourceKind::IamPolicy(p) => {
            let arn = live
                .arn
                .clone()
                .unwrap_or_else(|| iam_arn(cx, "policy", &p.path, &p.name));
            for d in drift {
                match d.what.as_str() {
                    "document" => new_policy_version(cx, id, &arn, &p.document).await?,
                    w if w.starts_with("tag ") => {}
                    _ => return Err(cannot(d)),
                }
            }
            if retag {
                call!(
                    cx,
                    iam.tag_policy()
                        .policy_arn(&arn)
                        .set_tags(Some(iam_tags(&tags_of(cx, r))))
                )
                .map_err(|e| ApplyError::sdk(id, e))?;
            }
        }
        ResourceKind::IamRole(role) => {
            let mut update = false;
            for d in drift {
                let w = d.what.as_str();
                if w == "description" || w == "max_session_duration" {
                    update = true;
                } else if w == "trust_policy" {
                    let text = render_for(cx, id, &role.trust_policy)?;
                    let wait_principals = trusts_plan_roles(role);
                    settle!(
                        cx,
                        id,
                        "IAM to accept the roles its trust policy names",
                        |e: &_| wait_principals && invalid_principal(e),
                        iam.update_assume_role_policy()
                            .role_name(&role.name)
                            .policy_document(text)
                    )
                    .map_err(|e| ApplyError::sdk(id, e))?;
                } else if let Some(name) = w.strip_prefix(INLINE) {
                    match role.inline_policies.iter().find(|p| p.name == name) {
                        Some(p) => put_inline(cx, id, role, &p.name, &p.document).await?,
                        None => {
                            let out = call!(
                                cx,
                                iam.delete_role_policy()
                                    .role_name(&role.name)
                                    .policy_name(name)
                            );
                            unless_gone(id, out)?;
                        }
                    }
                } else if let Some(arn) = w.strip_prefix(ATTACHED) {
                    if d.plan == "attached" {
                        attach(cx, id, &role.name, arn, false).await?;
                    } else {
                        let out = call!(
                            cx,
                            iam.detach_role_policy()
                                .role_name(&role.name)
                                .policy_arn(arn)
                        );
                        unless_gone(id, out)?;
                    }
                } else if !w.starts_with("tag ") {
                    return Err(cannot(d));
                }
            }
            if update {
                let max = role.max_session_duration.unwrap_or(DEFAULT_MAX_SESSION);
                call!(
                    cx,
                    iam.update_role()
                        .role_name(&role.name)
                        .description(&role.description)
                        .max_session_duration(i32::try_from(max).unwrap_or(i32::MAX))
                )
                .map_err(|e| ApplyError::sdk(id, e))?;
            }
            if retag {
                call!(
                    cx,
                    iam.tag_role()
                        .role_name(&role.name)
                        .set_tags(Some(iam_tags(&tags_of(cx, r))))
                )
                .map_err(|e| ApplyError::sdk(id, e))?;
            }
        }
        ResourceKind::IamInstanceProfile(p) => {
            for d in drift {
                match d.what.as_str() {
                    "role" => {
                        // A profile holds one role: take out what is there, then add the plan's.
                        for old in d.live.split(',').filter(|x| *x != "-" && !x.is_empty()) {
                            let out = call!(
                                cx,
                                iam.remove_role_from_instance_profile()
                                    .instance_profile_name(&p.name)
                                    .role_name(old)
                            );
                            unless_gone(id, out)?;
                        }
                        settle!(
                            cx,
                            id,
                            "IAM to show the role",
                            |e: &_| has_code(e, NOT_FOUND),
                            iam.add_role_to_instance_profile()
                                .instance_profile_name(&p.name)
                                .role_name(&d.plan)
                        )
                        .map_err(|e| ApplyError::sdk(id, e))?;
                    }
                    w if w.starts_with("tag ") => {}
                    _ => return Err(cannot(d)),
                }
            }
            if retag {
                call!(
                    cx,
                    iam.tag_instance_profile()
                        .instance_profile_name(&p.name)
                        .set_tags(Some(iam_tags(&tags_of(cx, r))))
                )
                .map_err(|e| ApplyError::sdk(id, e))?;
            }
        }
        other => {
            return Err(ApplyError::new(
                id,
                format!("{} is not an IAM resource", other.type_name()),
            ))
        }
    }
    Ok(())
}

/// The number of a policy version id (`v7` → 7).
fn version_number(v: &str) -> u64 {
    v.trim_start_matches('v').parse().unwrap_or(0)
}

/// Makes `doc` the policy's default version, first deleting the oldest non-default version
/// when the policy already has as many as IAM allows.
async fn new_policy_version(
    cx: &Cx,
    id: &str,
    arn: &str,
    doc: &PolicyDocument,
) -> Result<(), ApplyError> {
    let iam = &cx.aws.iam;
    let text = render_for(cx, id, doc)?;
    let out = call!(cx, iam.list_policy_versions().policy_arn(arn))
        .map_err(|e| ApplyError::sdk(id, e))?;
    let versions = out.versions();
    if versions.len() >= MAX_POLICY_VERSIONS {
        let oldest = versions
            .iter()
            .filter(|v| !v.is_default_version())
            .filter_map(|v| v.version_id())
            .min_by_key(|v| version_number(v));
        if let Some(v) = oldest {
            let out = call!(
                cx,
                iam.delete_policy_version().policy_arn(arn).version_id(v)
            );
            unless_gone(id, out)?;
        }
    }
    call!(
        cx,
        iam.create_policy_version()
            .policy_arn(arn)
            .policy_document(text)
            .set_as_default(true)
    )
    .map_err(|e| ApplyError::sdk(id, e))?;
    Ok(())
}

/// Deletes one resource; gone already counts as deleted.
pub async fn delete(cx: &Cx, type_name: &str, id: &str, live: &LiveRes) -> Result<(), ApplyError> {
    match type_name {
        "iam_instance_profile" => delete_profile(cx, id, &live.aws_id).await,
        "iam_role" => delete_role(cx, id, &live.aws_id).await,
        "iam_policy" => {
            let arn =
                live.arn
                    .clone()
                    .unwrap_or_else(|| match cx.plan.resource(id).map(|r| &r.kind) {
                        Some(ResourceKind::IamPolicy(p)) => iam_arn(cx, "policy", &p.path, &p.name),
                        _ => iam_arn(cx, "policy", "/", &live.aws_id),
                    });
            delete_policy(cx, id, &arn).await
        }
        other => Err(ApplyError::new(
            id,
            format!("{other} is not an IAM resource"),
        )),
    }
}

async fn delete_profile(cx: &Cx, id: &str, name: &str) -> Result<(), ApplyError> {
    let iam = &cx.aws.iam;
    let out = unless_gone(
        id,
        call!(cx, iam.get_instance_profile().instance_profile_name(name)),
    )?;
    let Some(out) = out else { return Ok(()) };
    let roles: Vec<String> = out
        .instance_profile()
        .map(|p| p.roles().iter().map(|r| r.role_name().to_owned()).collect())
        .unwrap_or_default();
    for role in roles {
        let out = call!(
            cx,
            iam.remove_role_from_instance_profile()
                .instance_profile_name(name)
                .role_name(&role)
        );
        unless_gone(id, out)?;
    }
    let out = call!(
        cx,
        iam.delete_instance_profile().instance_profile_name(name)
    );
    unless_gone(id, out)?;
    Ok(())
}

async fn delete_role(cx: &Cx, id: &str, name: &str) -> Result<(), ApplyError> {
    let iam = &cx.aws.iam;
    let Some(profiles) = unless_gone(
        id,
        items!(cx, iam.list_instance_profiles_for_role().role_name(name)),
    )?
    else {
        return Ok(());
    };
    for p in profiles {
        let out = call!(
            cx,
            iam.remove_role_from_instance_profile()
                .instance_profile_name(p.instance_profile_name())
                .role_name(name)
        );
        unless_gone(id, out)?;
    }
    let inline =
        unless_gone(id, items!(cx, iam.list_role_policies().role_name(name)))?.unwrap_or_default();
    for policy in inline {
        let out = call!(
            cx,
            iam.delete_role_policy()
                .role_name(name)
                .policy_name(&policy)
        );
        unless_gone(id, out)?;
    }
    let attached = unless_gone(
        id,
        items!(cx, iam.list_attached_role_policies().role_name(name)),
    )?
    .unwrap_or_default();
    for p in attached {
        let Some(arn) = p.policy_arn() else { continue };
        let out = call!(cx, iam.detach_role_policy().role_name(name).policy_arn(arn));
        unless_gone(id, out)?;
    }
    let out = call!(cx, iam.delete_role().role_name(name));
    unless_gone(id, out)?;
    Ok(())
}

async fn delete_policy(cx: &Cx, id: &str, arn: &str) -> Result<(), ApplyError> {
    let iam = &cx.aws.iam;
    let pages = {
        let _p = cx.permit().await;
        iam.list_entities_for_policy()
            .policy_arn(arn)
            .into_paginator()
            .send()
            .try_collect()
            .await
    };
    let Some(pages) = unless_gone(id, pages)? else {
        return Ok(());
    };
    // Roles of this plan still holding it are detached; anything else is not this plan's to
    // change (and the executor's policy does not allow it).
    let plan_roles: BTreeSet<String> = cx
        .plan
        .resources
        .iter()
        .filter_map(|r| match &r.kind {
            ResourceKind::IamRole(role) => Some(role.name.clone()),
            _ => None,
        })
        .collect();
    let mut foreign = Vec::new();
    for page in &pages {
        for role in page.policy_roles().iter().filter_map(|r| r.role_name()) {
            if plan_roles.contains(role) {
                let out = call!(cx, iam.detach_role_policy().role_name(role).policy_arn(arn));
                unless_gone(id, out)?;
            } else {
                foreign.push(format!("role {role}"));
            }
        }
        foreign.extend(
            page.policy_users()
                .iter()
                .filter_map(|u| u.user_name())
                .map(|u| format!("user {u}")),
        );
        foreign.extend(
            page.policy_groups()
                .iter()
                .filter_map(|g| g.group_name())
                .map(|g| format!("group {g}")),
        );
    }
    if !foreign.is_empty() {
        return Err(ApplyError::new(
            id,
            format!(
                "policy {arn} is still attached to {}, outside this plan: detach it there first",
                foreign.join(", ")
            ),
        ));
    }
    let versions = unless_gone(id, call!(cx, iam.list_policy_versions().policy_arn(arn)))?;
    let Some(versions) = versions else {
        return Ok(());
    };
    for v in versions.versions() {
        if v.is_default_version() {
            continue;
        }
        let Some(version) = v.version_id() else {
            continue;
        };
        let out = call!(
            cx,
            iam.delete_policy_version()
                .policy_arn(arn)
                .version_id(version)
        );
        unless_gone(id, out)?;
    }
    let out = call!(cx, iam.delete_policy().policy_arn(arn));
    unless_gone(id, out)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_compare_as_json() {
        let plain = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"*"}]}"#;
        let encoded = "%7B%22Statement%22%3A%20%7B%22Resource%22%3A%20%22%2A%22%2C%20%22Action%22%3A%20%22s3%3AGetObject%22%2C%20%22Effect%22%3A%20%22Allow%22%7D%2C%20%22Version%22%3A%20%222012-10-17%22%7D";
        assert_eq!(document_text(plain, "aws"), document_text(encoded, "aws"));
        let other = plain.replace("GetObject", "PutObject");
        assert_ne!(document_text(plain, "aws"), document_text(&other, "aws"));
    }

    #[test]
    fn account_ids_read_as_root_arns() {
        let bare = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":["111122223333","arn:aws:iam::444455556666:role/x"]},"Action":"sts:AssumeRole"}]}"#;
        let shown = r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","arn:aws:iam::444455556666:role/x"]},"Action":"sts:AssumeRole"}}"#;
        assert_eq!(document_text(bare, "aws"), document_text(shown, "aws"));
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%20b%2Fc").as_deref(), Some("a b/c"));
        assert_eq!(percent_decode("%E2%82%AC").as_deref(), Some("€"));
        assert_eq!(percent_decode("bad%2"), None);
        assert_eq!(percent_decode("bad%zz"), None);
    }

    #[test]
    fn oldest_version() {
        let mut v = ["v10", "v9", "v11"];
        v.sort_by_key(|x| version_number(x));
        assert_eq!(v, ["v9", "v10", "v11"]);
    }
}
