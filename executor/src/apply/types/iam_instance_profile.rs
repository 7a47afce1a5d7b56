//! `iam_instance_profile`: the profile an instance takes its role through, looked up by name.
//! A profile holds one role.

use std::collections::BTreeMap;
use std::sync::Arc;

use planner_core::resource::ResourceType;
use planner_core::{Resource, ResourceKind};
use tokio::task::JoinSet;

use crate::apply::context::Cx;
use crate::apply::model::{attr_drift, tag_drift, ApplyError, Drift, Live, LiveRes};
use crate::apply::shared::attrs::{attrs, not_a, DISCOVERY};
use crate::apply::shared::iam::{
    check_owner, classify, has_code, iam_arn, iam_tags, record, refuse_unrepairable, settle,
    tag_map, tags_of, unless_gone, EXISTS, NOT_FOUND,
};
use crate::trace;

/// Deleted after the instances using it, before its role.
pub const DESTROY_RANK: usize = 1;

/// Every instance profile carrying the plan's tag (read in full by [`find`] when the plan
/// still has it, an orphan otherwise), and those under a planned name that are someone
/// else's. A profile's tags take one call when the listing leaves them out.
pub async fn discover(cx: &Arc<Cx>, live: &mut Live) -> Result<(), ApplyError> {
    let profiles = cx
        .aws
        .iam(|c| {
            c.list_instance_profiles()
                .into_paginator()
                .items()
                .send()
                .try_collect()
        })
        .await
        .map_err(|e| ApplyError::sdk(DISCOVERY, e))?;
    let mut tagged = JoinSet::new();
    for profile in profiles {
        let cx = cx.clone();
        tagged.spawn(trace::branch(async move {
            let tags = if profile.tags().is_empty() {
                let name = profile.instance_profile_name();
                cx.aws
                    .iam(|c| c.get_instance_profile().instance_profile_name(name).send())
                    .await
                    .map(|o| {
                        o.instance_profile()
                            .map(|p| tag_map(p.tags()))
                            .unwrap_or_default()
                    })
            } else {
                Ok(tag_map(profile.tags()))
            };
            (profile, tags)
        }));
    }
    let mut listed = Vec::new();
    while let Some(joined) = tagged.join_next().await {
        let ((profile, tags), at) =
            joined.map_err(|e| ApplyError::new(DISCOVERY, e.to_string()))?;
        trace::follow(at);
        let Some(tags) = unless_gone(DISCOVERY, tags)? else {
            continue; // deleted since it was listed
        };
        let name = profile.instance_profile_name().to_owned();
        let class = classify(
            cx,
            ResourceType::IamInstanceProfile,
            "instance profile",
            (&name, profile.arn()),
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

/// The profile and the roles it holds; `None` when it does not exist; an error when it is
/// someone else's.
pub async fn find(cx: &Cx, id: &str, name: &str) -> Result<Option<LiveRes>, ApplyError> {
    let out = cx
        .aws
        .iam(|c| c.get_instance_profile().instance_profile_name(name).send())
        .await;
    let out = unless_gone(id, out)?;
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

/// The name of the role a plan id stands for.
fn role_name(cx: &Cx, id: &str) -> String {
    match cx.plan.resource(id).map(|r| &r.kind) {
        Some(ResourceKind::IamRole(role)) => role.name.clone(),
        _ => planner_core::ids::key(id).to_owned(),
    }
}

fn expected(cx: &Cx, r: &Resource) -> BTreeMap<String, String> {
    match &r.kind {
        ResourceKind::IamInstanceProfile(p) => {
            attrs([("path", p.path.clone()), ("role", role_name(cx, &p.role))])
        }
        _ => BTreeMap::new(),
    }
}

/// Nothing the plan no longer has stands in the way of creating one.
pub fn conflicts(_cx: &Cx, _r: &Resource, _orphan: &LiveRes) -> bool {
    false
}

/// How the live profile differs: its role can be replaced, its path cannot.
pub fn drift(cx: &Cx, r: &Resource, live: &LiveRes) -> Vec<Drift> {
    let mut d = attr_drift(&expected(cx, r), &live.attrs, &["role"]);
    d.extend(tag_drift(&tags_of(cx, r), &live.tags));
    d
}

/// Creates the profile (tagged) and adds its role; one made before a crash is brought in
/// line.
pub async fn create(cx: &Cx, r: &Resource) -> Result<LiveRes, ApplyError> {
    let ResourceKind::IamInstanceProfile(p) = &r.kind else {
        return Err(not_a(r, ResourceType::IamInstanceProfile));
    };
    let id = r.id.as_str();
    let tags = tags_of(cx, r);
    let made = |arn: String| LiveRes {
        aws_id: p.name.clone(),
        arn: Some(arn),
        attrs: expected(cx, r),
        tags: tags.clone(),
    };
    let role = role_name(cx, &p.role);
    let out = cx
        .aws
        .iam(|c| {
            c.create_instance_profile()
                .instance_profile_name(&p.name)
                .path(&p.path)
                .set_tags(Some(iam_tags(&tags)))
                .send()
        })
        .await;
    let arn = match out {
        Ok(o) => o
            .instance_profile()
            .map(|x| x.arn().to_owned())
            .unwrap_or_else(|| iam_arn(cx, "instance-profile", &p.path, &p.name)),
        Err(e) if has_code(&e, EXISTS) => {
            // Made before a crash: bring it in line and carry on.
            let live = find(cx, id, &p.name).await?.ok_or_else(|| {
                ApplyError::new(
                    id,
                    format!("instance profile {} exists but cannot be read", p.name),
                )
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
    settle(
        cx,
        id,
        "IAM to show the new instance profile",
        |e| has_code(e, NOT_FOUND),
        || {
            cx.aws.iam(|c| {
                c.add_role_to_instance_profile()
                    .instance_profile_name(&p.name)
                    .role_name(&role)
                    .send()
            })
        },
    )
    .await
    .map_err(|e| ApplyError::sdk(id, e))?;
    Ok(made(arn))
}

/// Replaces the profile's role and re-tags it.
pub async fn repair(
    cx: &Cx,
    r: &Resource,
    _live: &LiveRes,
    drift: &[Drift],
) -> Result<(), ApplyError> {
    let ResourceKind::IamInstanceProfile(p) = &r.kind else {
        return Err(not_a(r, ResourceType::IamInstanceProfile));
    };
    let id = r.id.as_str();
    for d in drift {
        match d.what.as_str() {
            "role" => {
                // A profile holds one role: take out what is there, then add the plan's.
                for old in d.live.split(',').filter(|x| *x != "-" && !x.is_empty()) {
                    let out = cx
                        .aws
                        .iam(|c| {
                            c.remove_role_from_instance_profile()
                                .instance_profile_name(&p.name)
                                .role_name(old)
                                .send()
                        })
                        .await;
                    unless_gone(id, out)?;
                }
                settle(
                    cx,
                    id,
                    "IAM to show the role",
                    |e| has_code(e, NOT_FOUND),
                    || {
                        cx.aws.iam(|c| {
                            c.add_role_to_instance_profile()
                                .instance_profile_name(&p.name)
                                .role_name(&d.plan)
                                .send()
                        })
                    },
                )
                .await
                .map_err(|e| ApplyError::sdk(id, e))?;
            }
            w if w.starts_with("tag ") => {}
            _ => return Err(ApplyError::new(id, format!("cannot repair {d}"))),
        }
    }
    if drift.iter().any(|d| d.what.starts_with("tag ")) {
        let tags = iam_tags(&tags_of(cx, r));
        cx.aws
            .iam(|c| {
                c.tag_instance_profile()
                    .instance_profile_name(&p.name)
                    .set_tags(Some(tags))
                    .send()
            })
            .await
            .map_err(|e| ApplyError::sdk(id, e))?;
    }
    Ok(())
}

/// Takes the roles out of the profile and deletes it; gone already counts as deleted.
pub async fn delete(cx: &Cx, id: &str, live: &LiveRes) -> Result<(), ApplyError> {
    let name = live.aws_id.as_str();
    let out = cx
        .aws
        .iam(|c| c.get_instance_profile().instance_profile_name(name).send())
        .await;
    let Some(out) = unless_gone(id, out)? else {
        return Ok(());
    };
    let roles: Vec<String> = out
        .instance_profile()
        .map(|p| p.roles().iter().map(|r| r.role_name().to_owned()).collect())
        .unwrap_or_default();
    for role in roles {
        let out = cx
            .aws
            .iam(|c| {
                c.remove_role_from_instance_profile()
                    .instance_profile_name(name)
                    .role_name(&role)
                    .send()
            })
            .await;
        unless_gone(id, out)?;
    }
    let out = cx
        .aws
        .iam(|c| {
            c.delete_instance_profile()
                .instance_profile_name(name)
                .send()
        })
        .await;
    unless_gone(id, out)?;
    Ok(())
}
