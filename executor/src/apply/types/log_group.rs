//! `log_group`: a CloudWatch Logs group (the flow log's), created with the plan's tags and
//! its retention, found by the plan's tag.
//!
//! CloudWatch Logs has no tag filter. The executor names every group it makes under
//! `/vpc-planner/<plan>/`, so discovery lists that prefix only and reads each group's tags:
//! one with the plan's tag is the plan's (or an orphan), one at a planned name without it is
//! someone else's and is never adopted, changed or deleted. Ownership is the tag, never the
//! name. Its retention is drift `run` puts back (`PutRetentionPolicy`).

use std::collections::BTreeMap;

use aws_sdk_cloudwatchlogs::error::ProvideErrorMetadata;
use planner_core::ids::log_group_prefix;
use planner_core::resource::ResourceType;
use planner_core::{Resource, ResourceKind};

use crate::apply::context::Cx;
use crate::apply::model::{
    attr_drift, tag_drift, ApplyError, Drift, Foreign, Live, LiveRes, PLAN_TAG,
};
use crate::apply::shared::attrs::{attrs, not_a, DISCOVERY};
use crate::apply::shared::ec2::sort_found;

/// Deleted after the flow log writing to it.
pub const DESTROY_RANK: usize = 1;

/// CloudWatch Logs' code for a group that does not exist.
const NOT_FOUND: &str = "ResourceNotFoundException";
/// CloudWatch Logs' code for a call the policy does not allow.
const ACCESS_DENIED: &str = "AccessDeniedException";
/// CloudWatch Logs' code for a name already taken.
const EXISTS: &str = "ResourceAlreadyExistsException";

/// The prefix every log group of the plan is named under.
fn prefix(cx: &Cx) -> String {
    log_group_prefix(&cx.plan.design.name)
}

/// The ARN of the group `name` (without the `:*` of its streams), as tagging takes it.
fn arn_of(cx: &Cx, name: &str) -> String {
    let v = cx.apply_values();
    format!(
        "arn:{}:logs:{}:{}:log-group:{name}",
        v.partition, v.region, v.account_id
    )
}

/// A retention as compared: days, or `-` for never expiring.
fn retention(days: Option<i32>) -> String {
    days.map_or_else(|| "-".to_owned(), |d| d.to_string())
}

/// The tags of one group (none when the executor may not read them); `None` when it is gone
/// meanwhile.
async fn tags_of(
    cx: &Cx,
    id: &str,
    arn: &str,
) -> Result<Option<BTreeMap<String, String>>, ApplyError> {
    let out = cx
        .aws
        .logs(|c| c.list_tags_for_resource().resource_arn(arn).send())
        .await;
    match out {
        Ok(o) => Ok(Some(
            o.tags()
                .map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default(),
        )),
        Err(e) if e.code() == Some(NOT_FOUND) => Ok(None),
        // The executor's policy lets it read the tags of the plan's own groups only: a group
        // whose tags it may not read does not carry the plan's tag.
        Err(e) if e.code() == Some(ACCESS_DENIED) => Ok(Some(BTreeMap::new())),
        Err(e) => Err(ApplyError::sdk(id, e)),
    }
}

/// Lists the groups under the plan's prefix and reads their tags: the plan's by id, orphans,
/// and namesakes of planned groups that are someone else's.
pub async fn discover(cx: &Cx, live: &mut Live) -> Result<(), ApplyError> {
    let groups = cx
        .aws
        .logs(|c| {
            c.describe_log_groups()
                .log_group_name_prefix(prefix(cx))
                .into_paginator()
                .items()
                .send()
                .try_collect()
        })
        .await
        .map_err(|e| ApplyError::sdk(DISCOVERY, e))?;
    for g in groups {
        let name = g.log_group_name().unwrap_or_default().to_owned();
        let arn = g
            .log_group_arn()
            .map(str::to_owned)
            .or_else(|| g.arn().map(|a| a.trim_end_matches(":*").to_owned()))
            .unwrap_or_else(|| arn_of(cx, &name));
        let Some(tags) = tags_of(cx, DISCOVERY, &arn).await? else {
            continue; // deleted since it was listed
        };
        let planned = cx
            .plan
            .resources
            .iter()
            .find(|r| matches!(&r.kind, ResourceKind::LogGroup { name: n, .. } if *n == name));
        if tags.get(PLAN_TAG) != Some(&cx.plan.design.name) {
            if let Some(r) = planned {
                live.foreign.push(Foreign {
                    id: r.id.clone(),
                    message: format!(
                        "log group {name} already exists and is not this plan's (it has no \
                         {PLAN_TAG}={} tag); it is left alone: remove it, or tag it to hand \
                         it to this plan",
                        cx.plan.design.name
                    ),
                });
            }
            continue;
        }
        let res = LiveRes {
            aws_id: name,
            arn: Some(arn),
            attrs: attrs([("retention_days", retention(g.retention_in_days()))]),
            tags,
        };
        sort_found(cx, live, ResourceType::LogGroup, res);
    }
    Ok(())
}

/// Whether an orphan group has this group's name, which CloudWatch Logs keeps unique.
pub fn conflicts(_cx: &Cx, r: &Resource, orphan: &LiveRes) -> bool {
    matches!(&r.kind, ResourceKind::LogGroup { name, .. } if *name == orphan.aws_id)
}

/// Its retention and tags can differ; both are repaired in place.
pub fn drift(cx: &Cx, r: &Resource, live: &LiveRes) -> Vec<Drift> {
    let ResourceKind::LogGroup { retention_days, .. } = &r.kind else {
        return Vec::new();
    };
    let want = attrs([("retention_days", retention_days.to_string())]);
    let mut d = attr_drift(&want, &live.attrs, &["retention_days"]);
    d.extend(tag_drift(&cx.tags_for(r), &live.tags));
    d
}

/// Sets the group's retention.
async fn put_retention(cx: &Cx, id: &str, name: &str, days: u32) -> Result<(), ApplyError> {
    let days = i32::try_from(days).map_err(|_| ApplyError::new(id, "retention out of range"))?;
    cx.aws
        .logs(|c| {
            c.put_retention_policy()
                .log_group_name(name)
                .retention_in_days(days)
                .send()
        })
        .await
        .map_err(|e| ApplyError::sdk(id, e))?;
    Ok(())
}

/// Creates the group with the plan's tags in the same request, then sets its retention. One
/// made by an interrupted run (carrying the plan's tag) is brought in line; one that is not
/// the plan's is left alone.
pub async fn create(cx: &Cx, r: &Resource) -> Result<LiveRes, ApplyError> {
    let ResourceKind::LogGroup {
        name,
        retention_days,
    } = &r.kind
    else {
        return Err(not_a(r, ResourceType::LogGroup));
    };
    let id = r.id.as_str();
    let tags = cx.tags_for(r);
    let out = cx
        .aws
        .logs(|c| {
            c.create_log_group()
                .log_group_name(name)
                .set_tags(Some(tags.clone().into_iter().collect()))
                .send()
        })
        .await;
    let arn = arn_of(cx, name);
    match out {
        Ok(_) => {}
        Err(e) if e.code() == Some(EXISTS) => {
            let live = tags_of(cx, id, &arn).await?.unwrap_or_default();
            if live.get(PLAN_TAG) != Some(&cx.plan.design.name) {
                return Err(ApplyError::new(
                    id,
                    format!(
                        "log group {name} already exists and is not this plan's; it is left alone"
                    ),
                ));
            }
        }
        Err(e) => return Err(ApplyError::sdk(id, e)),
    }
    put_retention(cx, id, name, *retention_days).await?;
    Ok(LiveRes {
        aws_id: name.clone(),
        arn: Some(arn),
        attrs: attrs([("retention_days", retention_days.to_string())]),
        tags,
    })
}

/// Re-tags the group and puts its retention back.
pub async fn repair(
    cx: &Cx,
    r: &Resource,
    live: &LiveRes,
    drift: &[Drift],
) -> Result<(), ApplyError> {
    let ResourceKind::LogGroup {
        name,
        retention_days,
    } = &r.kind
    else {
        return Err(not_a(r, ResourceType::LogGroup));
    };
    let id = r.id.as_str();
    if drift.iter().any(|d| d.what.starts_with("tag ")) {
        let arn = live.arn.clone().unwrap_or_else(|| arn_of(cx, name));
        cx.aws
            .logs(|c| {
                c.tag_resource()
                    .resource_arn(arn)
                    .set_tags(Some(cx.tags_for(r).into_iter().collect()))
                    .send()
            })
            .await
            .map_err(|e| ApplyError::sdk(id, e))?;
    }
    if drift.iter().any(|d| d.what == "retention_days") {
        put_retention(cx, id, name, *retention_days).await?;
    }
    Ok(())
}

/// Deletes the group (and the records in it); gone already counts as deleted.
pub async fn delete(cx: &Cx, id: &str, live: &LiveRes) -> Result<(), ApplyError> {
    let out = cx
        .aws
        .logs(|c| c.delete_log_group().log_group_name(&live.aws_id).send())
        .await;
    match out {
        Ok(_) => Ok(()),
        Err(e) if e.code() == Some(NOT_FOUND) => Ok(()),
        Err(e) => Err(ApplyError::sdk(id, e)),
    }
}
