//! `iam_role`: a role with its trust policy, inline policies and attached managed policies,
//! looked up by name.

use std::collections::BTreeMap;
use std::sync::Arc;

use aws_sdk_iam::error::ProvideErrorMetadata;
use planner_core::design::iam::Reference;
use planner_core::resource::iam::{PolicyAttachment, RoleResource};
use planner_core::resource::ResourceType;
use planner_core::{Resource, ResourceKind};

use tokio::task::JoinSet;

use crate::apply::context::Cx;
use crate::apply::model::{tag_drift, ApplyError, Drift, Live, LiveRes};
use crate::apply::shared::attrs::{attrs, not_a, DISCOVERY};
use crate::apply::shared::iam::{
    check_owner, classify, dash, has_code, iam_arn, iam_tags, live_text, owned, planned_text,
    profile_owned, record, refuse_unrepairable, render_for, settle, tag_map, tags_of, unless_gone,
    EXISTS, NOT_FOUND,
};
use crate::trace;

mod writes;

use writes::{attach, put_inline};

/// Deleted once the instance profiles holding it are gone.
pub const DESTROY_RANK: usize = 2;

/// Where AWS keeps the service-linked roles it makes (never the plan's).
const SERVICE_ROLE_PATH: &str = "/aws-service-role/";

/// AWS's default longest session of a role, in seconds.
const DEFAULT_MAX_SESSION: u32 = 3600;
/// Attribute key prefixes of a role's inline policies and attachments.
const INLINE: &str = "inline policy ";
const ATTACHED: &str = "attached policy ";

/// Every role carrying the plan's tag (read in full by [`find`] when the plan still has it,
/// an orphan otherwise), and those under a planned name that are someone else's. Service
/// roles (path `/aws-service-role/`) are AWS's and skipped. Each role's tags take one call
/// (ListRoles does not return them), all in flight at once within `--concurrency`.
pub async fn discover(cx: &Arc<Cx>, live: &mut Live) -> Result<(), ApplyError> {
    let roles = cx
        .aws
        .iam(|c| c.list_roles().into_paginator().items().send().try_collect())
        .await
        .map_err(|e| ApplyError::sdk(DISCOVERY, e))?;
    let mut tagged = JoinSet::new();
    for role in roles {
        if role.path().starts_with(SERVICE_ROLE_PATH) {
            continue;
        }
        let cx = cx.clone();
        tagged.spawn(trace::branch(async move {
            let tags = if role.tags().is_empty() {
                let name = role.role_name();
                cx.aws
                    .iam(|c| c.list_role_tags().role_name(name).send())
                    .await
                    .map(|o| tag_map(o.tags()))
            } else {
                Ok(tag_map(role.tags()))
            };
            (role, tags)
        }));
    }
    let mut listed = Vec::new();
    while let Some(joined) = tagged.join_next().await {
        let ((role, tags), at) = joined.map_err(|e| ApplyError::new(DISCOVERY, e.to_string()))?;
        trace::follow(at);
        let Some(tags) = unless_gone(DISCOVERY, tags)? else {
            continue; // deleted since it was listed
        };
        let name = role.role_name().to_owned();
        let class = classify(
            cx,
            ResourceType::IamRole,
            "role",
            (&name, role.arn()),
            &tags,
        );
        listed.push((name, class));
    }
    listed.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, class) in listed {
        record(live, class, |id| async move { find(cx, &id, &name).await }).await?;
    }
    Ok(())
}

/// The role with its trust policy, inline policies and attachments; `None` when it does not
/// exist; an error when it is someone else's.
pub async fn find(cx: &Cx, id: &str, name: &str) -> Result<Option<LiveRes>, ApplyError> {
    let out = cx.aws.iam(|c| c.get_role().role_name(name).send()).await;
    let Some(out) = unless_gone(id, out)? else {
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
    let names = cx
        .aws
        .iam(|c| {
            c.list_role_policies()
                .role_name(name)
                .into_paginator()
                .items()
                .send()
                .try_collect()
        })
        .await;
    let Some(names) = unless_gone(id, names)? else {
        return Ok(None);
    };
    for policy in names {
        let out = cx
            .aws
            .iam(|c| {
                c.get_role_policy()
                    .role_name(name)
                    .policy_name(&policy)
                    .send()
            })
            .await;
        if let Some(o) = unless_gone(id, out)? {
            a.insert(
                format!("{INLINE}{policy}"),
                live_text(cx, o.policy_document()),
            );
        }
    }
    let attached = cx
        .aws
        .iam(|c| {
            c.list_attached_role_policies()
                .role_name(name)
                .into_paginator()
                .items()
                .send()
                .try_collect()
        })
        .await;
    let Some(attached) = unless_gone(id, attached)? else {
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

fn expected(cx: &Cx, r: &Resource) -> BTreeMap<String, String> {
    let ResourceKind::IamRole(role) = &r.kind else {
        return BTreeMap::new();
    };
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
    a
}

/// Nothing the plan no longer has stands in the way of creating one.
pub fn conflicts(_cx: &Cx, _r: &Resource, _orphan: &LiveRes) -> bool {
    false
}

/// How the live role differs from the plan; inline policies and attachments the plan does
/// not have are drift too.
pub fn drift(cx: &Cx, r: &Resource, live: &LiveRes) -> Vec<Drift> {
    let want = expected(cx, r);
    let repairable = ["description", "max_session_duration", "trust_policy"];
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
            late: false,
        })
        .collect();
    for (k, v) in &live.attrs {
        if (k.starts_with(INLINE) || k.starts_with(ATTACHED)) && !want.contains_key(k) {
            d.push(Drift {
                what: k.clone(),
                live: v.clone(),
                plan: "-".to_owned(),
                repairable: true,
                late: false,
            });
        }
    }
    d.extend(tag_drift(&tags_of(cx, r), &live.tags));
    d
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

/// Creates the role (tagged; retried while IAM does not know the roles its trust policy
/// names), waits until it is visible, then puts its inline policies and attachments. One made
/// before a crash is brought in line.
pub async fn create(cx: &Cx, r: &Resource) -> Result<LiveRes, ApplyError> {
    let ResourceKind::IamRole(role) = &r.kind else {
        return Err(not_a(r, ResourceType::IamRole));
    };
    let id = r.id.as_str();
    let tags = tags_of(cx, r);
    let trust = render_for(cx, id, &role.trust_policy)?;
    let wait_principals = trusts_plan_roles(role);
    let out = settle(
        cx,
        id,
        "IAM to accept the roles its trust policy names",
        |e| wait_principals && invalid_principal(e),
        || {
            cx.aws.iam(|c| {
                let mut req = c
                    .create_role()
                    .role_name(&role.name)
                    .path(&role.path)
                    .assume_role_policy_document(&trust)
                    .set_tags(Some(iam_tags(&tags)));
                if !role.description.is_empty() {
                    req = req.description(&role.description);
                }
                if let Some(m) = role.max_session_duration {
                    req = req.max_session_duration(i32::try_from(m).unwrap_or(i32::MAX));
                }
                req.send()
            })
        },
    )
    .await;
    let made = |arn: String| LiveRes {
        aws_id: role.name.clone(),
        arn: Some(arn),
        attrs: expected(cx, r),
        tags: tags.clone(),
    };
    let arn = match out {
        Ok(o) => o
            .role()
            .map(|x| x.arn().to_owned())
            .unwrap_or_else(|| iam_arn(cx, "role", &role.path, &role.name)),
        Err(e) if has_code(&e, EXISTS) => {
            // Made before a crash (tagged in the same request): bring it in line.
            let live = find(cx, id, &role.name).await?.ok_or_else(|| {
                ApplyError::new(id, format!("role {} exists but cannot be read", role.name))
            })?;
            let d = drift(cx, r, &live);
            refuse_unrepairable(r, &d)?;
            if !d.is_empty() {
                repair(cx, r, &live, &d).await?;
            }
            return Ok(made(live.arn.unwrap_or_default()));
        }
        Err(e) => return Err(ApplyError::sdk(id, e)),
    };
    // The role is visible once IAM accepts its first policy (retried while IAM answers that
    // it does not exist): a separate look first would only wait one call longer. A role with
    // no policy is looked at until it is visible.
    if role.inline_policies.is_empty() && role.managed_policies.is_empty() {
        settle(
            cx,
            id,
            "the new role to become visible in IAM",
            |e| has_code(e, NOT_FOUND),
            || cx.aws.iam(|c| c.get_role().role_name(&role.name).send()),
        )
        .await
        .map_err(|e| ApplyError::sdk(id, e))?;
    }
    for p in &role.inline_policies {
        put_inline(cx, id, role, (&p.name, &p.document), true).await?;
    }
    for m in &role.managed_policies {
        attach(cx, id, &role.name, &attachment_arn(cx, m), true).await?;
    }
    Ok(made(arn))
}

/// Repairs the trust policy, description, session length, inline policies, attachments and
/// tags in place.
pub async fn repair(
    cx: &Cx,
    r: &Resource,
    _live: &LiveRes,
    drift: &[Drift],
) -> Result<(), ApplyError> {
    let ResourceKind::IamRole(role) = &r.kind else {
        return Err(not_a(r, ResourceType::IamRole));
    };
    let id = r.id.as_str();
    let mut update = false;
    for d in drift {
        let w = d.what.as_str();
        if w == "description" || w == "max_session_duration" {
            update = true;
        } else if w == "trust_policy" {
            let text = render_for(cx, id, &role.trust_policy)?;
            let wait_principals = trusts_plan_roles(role);
            settle(
                cx,
                id,
                "IAM to accept the roles its trust policy names",
                |e| wait_principals && invalid_principal(e),
                || {
                    cx.aws.iam(|c| {
                        c.update_assume_role_policy()
                            .role_name(&role.name)
                            .policy_document(&text)
                            .send()
                    })
                },
            )
            .await
            .map_err(|e| ApplyError::sdk(id, e))?;
        } else if let Some(name) = w.strip_prefix(INLINE) {
            match role.inline_policies.iter().find(|p| p.name == name) {
                Some(p) => put_inline(cx, id, role, (&p.name, &p.document), false).await?,
                None => {
                    let out = cx
                        .aws
                        .iam(|c| {
                            c.delete_role_policy()
                                .role_name(&role.name)
                                .policy_name(name)
                                .send()
                        })
                        .await;
                    unless_gone(id, out)?;
                }
            }
        } else if let Some(arn) = w.strip_prefix(ATTACHED) {
            if d.plan == "attached" {
                attach(cx, id, &role.name, arn, false).await?;
            } else {
                let out = cx
                    .aws
                    .iam(|c| {
                        c.detach_role_policy()
                            .role_name(&role.name)
                            .policy_arn(arn)
                            .send()
                    })
                    .await;
                unless_gone(id, out)?;
            }
        } else if !w.starts_with("tag ") {
            return Err(ApplyError::new(id, format!("cannot repair {d}")));
        }
    }
    if update {
        let max = role.max_session_duration.unwrap_or(DEFAULT_MAX_SESSION);
        cx.aws
            .iam(|c| {
                c.update_role()
                    .role_name(&role.name)
                    .description(&role.description)
                    .max_session_duration(i32::try_from(max).unwrap_or(i32::MAX))
                    .send()
            })
            .await
            .map_err(|e| ApplyError::sdk(id, e))?;
    }
    if drift.iter().any(|d| d.what.starts_with("tag ")) {
        let tags = iam_tags(&tags_of(cx, r));
        cx.aws
            .iam(|c| {
                c.tag_role()
                    .role_name(&role.name)
                    .set_tags(Some(tags))
                    .send()
            })
            .await
            .map_err(|e| ApplyError::sdk(id, e))?;
    }
    Ok(())
}

/// Deletes the role: takes it out of its instance profiles, deletes its inline policies,
/// detaches its managed policies, then deletes it; gone already counts as deleted.
pub async fn delete(cx: &Cx, id: &str, live: &LiveRes) -> Result<(), ApplyError> {
    let name = live.aws_id.as_str();
    let profiles = cx
        .aws
        .iam(|c| {
            c.list_instance_profiles_for_role()
                .role_name(name)
                .into_paginator()
                .items()
                .send()
                .try_collect()
        })
        .await;
    let Some(profiles) = unless_gone(id, profiles)? else {
        return Ok(());
    };
    // Only the plan's profiles (by their tags) let go of it; a profile outside the plan
    // holding it keeps the role where it is.
    let mut foreign = Vec::new();
    for p in &profiles {
        let name = p.instance_profile_name();
        let mine = if p.tags().is_empty() {
            profile_owned(cx, id, name).await?
        } else {
            owned(cx, &tag_map(p.tags()))
        };
        if !mine {
            foreign.push(name.to_owned());
        }
    }
    if !foreign.is_empty() {
        return Err(ApplyError::kept(
            id,
            format!(
                "role {name} is still in instance profile {}, outside this plan: remove it \
                 there and destroy again",
                foreign.join(", ")
            ),
        ));
    }
    for p in profiles {
        let out = cx
            .aws
            .iam(|c| {
                c.remove_role_from_instance_profile()
                    .instance_profile_name(p.instance_profile_name())
                    .role_name(name)
                    .send()
            })
            .await;
        unless_gone(id, out)?;
    }
    let inline = cx
        .aws
        .iam(|c| {
            c.list_role_policies()
                .role_name(name)
                .into_paginator()
                .items()
                .send()
                .try_collect()
        })
        .await;
    for policy in unless_gone(id, inline)?.unwrap_or_default() {
        let out = cx
            .aws
            .iam(|c| {
                c.delete_role_policy()
                    .role_name(name)
                    .policy_name(&policy)
                    .send()
            })
            .await;
        unless_gone(id, out)?;
    }
    let attached = cx
        .aws
        .iam(|c| {
            c.list_attached_role_policies()
                .role_name(name)
                .into_paginator()
                .items()
                .send()
                .try_collect()
        })
        .await;
    for p in unless_gone(id, attached)?.unwrap_or_default() {
        let Some(arn) = p.policy_arn() else { continue };
        let out = cx
            .aws
            .iam(|c| {
                c.detach_role_policy()
                    .role_name(name)
                    .policy_arn(arn)
                    .send()
            })
            .await;
        unless_gone(id, out)?;
    }
    let out = cx.aws.iam(|c| c.delete_role().role_name(name).send()).await;
    unless_gone(id, out)?;
    Ok(())
}
