//! `iam_policy`: a customer managed policy, looked up by the ARN its path and name give. A
//! changed document is a new default version.

use std::collections::BTreeMap;
use std::sync::Arc;

use aws_sdk_iam::types::PolicyScopeType;

use planner_core::design::iam::PolicyDocument;
use planner_core::resource::iam::PolicyResource;
use planner_core::resource::ResourceType;
use planner_core::{Resource, ResourceKind};
use tokio::task::JoinSet;

use crate::apply::context::Cx;
use crate::apply::model::{attr_drift, tag_drift, ApplyError, Drift, Live, LiveRes};
use crate::apply::shared::attrs::{attrs, not_a, DISCOVERY};
use crate::apply::shared::iam::{
    check_owner, classify, dash, has_code, iam_arn, iam_tags, live_text, planned_text, record,
    refuse_unrepairable, render_for, role_owned, tag_map, tags_of, unless_gone, EXISTS,
};
use crate::trace;

/// Deleted once the roles holding it have let go of it.
pub const DESTROY_RANK: usize = 3;

/// How many versions a managed policy may keep.
const MAX_POLICY_VERSIONS: usize = 5;

/// Every customer managed policy carrying the plan's tag (read in full by [`find`] when the
/// plan still has it, an orphan otherwise), and those under a planned name that are someone
/// else's. Each policy's tags take one call (ListPolicies does not return them).
pub async fn discover(cx: &Arc<Cx>, live: &mut Live) -> Result<(), ApplyError> {
    let policies = cx
        .aws
        .iam(|c| {
            c.list_policies()
                .scope(PolicyScopeType::Local)
                .into_paginator()
                .items()
                .send()
                .try_collect()
        })
        .await
        .map_err(|e| ApplyError::sdk(DISCOVERY, e))?;
    let mut tagged = JoinSet::new();
    for policy in policies {
        let cx = cx.clone();
        tagged.spawn(trace::branch(async move {
            let tags = if policy.tags().is_empty() {
                let arn = policy.arn().unwrap_or_default();
                cx.aws
                    .iam(|c| c.list_policy_tags().policy_arn(arn).send())
                    .await
                    .map(|o| tag_map(o.tags()))
            } else {
                Ok(tag_map(policy.tags()))
            };
            (policy, tags)
        }));
    }
    let mut listed = Vec::new();
    while let Some(joined) = tagged.join_next().await {
        let ((policy, tags), at) = joined.map_err(|e| ApplyError::new(DISCOVERY, e.to_string()))?;
        trace::follow(at);
        let Some(tags) = unless_gone(DISCOVERY, tags)? else {
            continue; // deleted since it was listed
        };
        let (name, arn) = (
            policy.policy_name().unwrap_or_default().to_owned(),
            policy.arn().unwrap_or_default(),
        );
        let class = classify(cx, ResourceType::IamPolicy, "policy", (&name, arn), &tags);
        listed.push((name, class));
    }
    listed.sort_by(|a, b| a.0.cmp(&b.0));
    for (_, class) in listed {
        record(live, class, |id| async move {
            match cx.plan.resource(&id).map(|r| &r.kind) {
                Some(ResourceKind::IamPolicy(p)) => find(cx, &id, p).await,
                _ => Ok(None),
            }
        })
        .await?;
    }
    Ok(())
}

/// The policy and its default version's document; `None` when it does not exist; an error
/// when it is someone else's.
pub async fn find(cx: &Cx, id: &str, p: &PolicyResource) -> Result<Option<LiveRes>, ApplyError> {
    let arn = iam_arn(cx, "policy", &p.path, &p.name);
    let out = cx.aws.iam(|c| c.get_policy().policy_arn(&arn).send()).await;
    let Some(out) = unless_gone(id, out)? else {
        return Ok(None);
    };
    let Some(policy) = out.policy() else {
        return Ok(None);
    };
    let tags = tag_map(policy.tags());
    check_owner(cx, id, "policy", &arn, &tags)?;
    let version = policy.default_version_id().unwrap_or("v1");
    let out = cx
        .aws
        .iam(|c| {
            c.get_policy_version()
                .policy_arn(&arn)
                .version_id(version)
                .send()
        })
        .await;
    let document = unless_gone(id, out)?
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

/// A managed policy's description cannot be changed after it is created; its document can.
fn expected(cx: &Cx, r: &Resource) -> BTreeMap<String, String> {
    match &r.kind {
        ResourceKind::IamPolicy(p) => attrs([
            ("description", dash(&p.description)),
            ("document", planned_text(cx, &p.document)),
        ]),
        _ => BTreeMap::new(),
    }
}

/// Nothing the plan no longer has stands in the way of creating one.
pub fn conflicts(_cx: &Cx, _r: &Resource, _orphan: &LiveRes) -> bool {
    false
}

/// How the live policy differs from the plan.
pub fn drift(cx: &Cx, r: &Resource, live: &LiveRes) -> Vec<Drift> {
    let mut d = attr_drift(&expected(cx, r), &live.attrs, &["document"]);
    d.extend(tag_drift(&tags_of(cx, r), &live.tags));
    d
}

/// Creates the policy (tagged); one made before a crash is brought in line.
pub async fn create(cx: &Cx, r: &Resource) -> Result<LiveRes, ApplyError> {
    let ResourceKind::IamPolicy(p) = &r.kind else {
        return Err(not_a(r, ResourceType::IamPolicy));
    };
    let id = r.id.as_str();
    let tags = tags_of(cx, r);
    let document = render_for(cx, id, &p.document)?;
    let out = cx
        .aws
        .iam(|c| {
            let req = c
                .create_policy()
                .policy_name(&p.name)
                .path(&p.path)
                .policy_document(document)
                .set_tags(Some(iam_tags(&tags)));
            if p.description.is_empty() {
                req
            } else {
                req.description(&p.description)
            }
            .send()
        })
        .await;
    let arn = match out {
        Ok(o) => o
            .policy()
            .and_then(|x| x.arn())
            .map(str::to_owned)
            .unwrap_or_else(|| iam_arn(cx, "policy", &p.path, &p.name)),
        Err(e) if has_code(&e, EXISTS) => {
            let arn = iam_arn(cx, "policy", &p.path, &p.name);
            let live = find(cx, id, p).await?.ok_or_else(|| {
                ApplyError::new(
                    id,
                    format!(
                        "a policy named {} exists, but not at {arn} (another path?); it is left alone",
                        p.name
                    ),
                )
            })?;
            let d = drift(cx, r, &live);
            refuse_unrepairable(r, &d)?;
            if !d.is_empty() {
                repair(cx, r, &live, &d).await?;
            }
            live.arn.unwrap_or(arn)
        }
        Err(e) => return Err(ApplyError::sdk(id, e)),
    };
    Ok(LiveRes {
        aws_id: p.name.clone(),
        arn: Some(arn),
        attrs: expected(cx, r),
        tags,
    })
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
    let text = render_for(cx, id, doc)?;
    let out = cx
        .aws
        .iam(|c| c.list_policy_versions().policy_arn(arn).send())
        .await
        .map_err(|e| ApplyError::sdk(id, e))?;
    let versions = out.versions();
    if versions.len() >= MAX_POLICY_VERSIONS {
        let oldest = versions
            .iter()
            .filter(|v| !v.is_default_version())
            .filter_map(|v| v.version_id())
            .min_by_key(|v| version_number(v));
        if let Some(v) = oldest {
            let out = cx
                .aws
                .iam(|c| {
                    c.delete_policy_version()
                        .policy_arn(arn)
                        .version_id(v)
                        .send()
                })
                .await;
            unless_gone(id, out)?;
        }
    }
    cx.aws
        .iam(|c| {
            c.create_policy_version()
                .policy_arn(arn)
                .policy_document(text)
                .set_as_default(true)
                .send()
        })
        .await
        .map_err(|e| ApplyError::sdk(id, e))?;
    Ok(())
}

/// Repairs the document (a new default version) and tags.
pub async fn repair(
    cx: &Cx,
    r: &Resource,
    live: &LiveRes,
    drift: &[Drift],
) -> Result<(), ApplyError> {
    let ResourceKind::IamPolicy(p) = &r.kind else {
        return Err(not_a(r, ResourceType::IamPolicy));
    };
    let id = r.id.as_str();
    let arn = live
        .arn
        .clone()
        .unwrap_or_else(|| iam_arn(cx, "policy", &p.path, &p.name));
    for d in drift {
        match d.what.as_str() {
            "document" => new_policy_version(cx, id, &arn, &p.document).await?,
            w if w.starts_with("tag ") => {}
            _ => return Err(ApplyError::new(id, format!("cannot repair {d}"))),
        }
    }
    if drift.iter().any(|d| d.what.starts_with("tag ")) {
        let tags = iam_tags(&tags_of(cx, r));
        cx.aws
            .iam(|c| c.tag_policy().policy_arn(&arn).set_tags(Some(tags)).send())
            .await
            .map_err(|e| ApplyError::sdk(id, e))?;
    }
    Ok(())
}

/// Deletes the policy: detaches it from the plan's roles (leaving it in place, untouched, when
/// anything outside the plan holds it), deletes its other versions, then it; gone already counts as deleted.
pub async fn delete(cx: &Cx, id: &str, live: &LiveRes) -> Result<(), ApplyError> {
    let arn = live
        .arn
        .clone()
        .unwrap_or_else(|| match cx.plan.resource(id).map(|r| &r.kind) {
            Some(ResourceKind::IamPolicy(p)) => iam_arn(cx, "policy", &p.path, &p.name),
            _ => iam_arn(cx, "policy", "/", &live.aws_id),
        });
    let arn = arn.as_str();
    let pages = cx
        .aws
        .iam(|c| {
            c.list_entities_for_policy()
                .policy_arn(arn)
                .into_paginator()
                .send()
                .try_collect()
        })
        .await;
    let Some(pages) = unless_gone(id, pages)? else {
        return Ok(());
    };
    // Roles of this plan (by their tags, not their names: a namesake is someone else's)
    // still holding it are detached; anything else holding it is not this plan's to change,
    // so the policy stays where it is and nothing is detached.
    let mut ours = Vec::new();
    let mut foreign = Vec::new();
    for page in &pages {
        for role in page.policy_roles().iter().filter_map(|r| r.role_name()) {
            if role_owned(cx, id, role).await? {
                ours.push(role);
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
        return Err(ApplyError::kept(
            id,
            format!(
                "policy {arn} is still attached to {}, outside this plan: detach it there \
                 and destroy again",
                foreign.join(", ")
            ),
        ));
    }
    for role in ours {
        let out = cx
            .aws
            .iam(|c| {
                c.detach_role_policy()
                    .role_name(role)
                    .policy_arn(arn)
                    .send()
            })
            .await;
        unless_gone(id, out)?;
    }
    let out = cx
        .aws
        .iam(|c| c.list_policy_versions().policy_arn(arn).send())
        .await;
    let Some(versions) = unless_gone(id, out)? else {
        return Ok(());
    };
    for v in versions.versions() {
        if v.is_default_version() {
            continue;
        }
        let Some(version) = v.version_id() else {
            continue;
        };
        let out = cx
            .aws
            .iam(|c| {
                c.delete_policy_version()
                    .policy_arn(arn)
                    .version_id(version)
                    .send()
            })
            .await;
        unless_gone(id, out)?;
    }
    let out = cx
        .aws
        .iam(|c| c.delete_policy().policy_arn(arn).send())
        .await;
    unless_gone(id, out)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oldest_version() {
        let mut v = ["v10", "v9", "v11"];
        v.sort_by_key(|x| version_number(x));
        assert_eq!(v, ["v9", "v10", "v11"]);
    }
}
