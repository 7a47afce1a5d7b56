//! `autoscaling_group`: a NAT instance kept running by a group of one. The group, not its
//! instance, is what is compared, repaired and deleted.

use std::collections::BTreeMap;
use std::time::Duration;

use aws_sdk_autoscaling::error::ProvideErrorMetadata;
use aws_sdk_autoscaling::types::{LaunchTemplateSpecification, Tag};
use planner_core::resource::ResourceType;
use planner_core::{Resource, ResourceKind};

use crate::apply::context::Cx;
use crate::apply::model::{attr_drift, tag_drift, ApplyError, Drift, Live, LiveRes, PLAN_TAG};
use crate::apply::shared::attrs::{attrs, not_a, DISCOVERY};
use crate::apply::shared::autoscaling::{wait_in_service, GROUP_TIMEOUT, IN_SERVICE};
use crate::apply::shared::compute::{dash, denied, PROPAGATION_TIMEOUT};
use crate::apply::shared::ec2::{plan_has, sort_found};
use crate::apply::shared::pages::all_pages;
use crate::apply::shared::wait::{retry_while, Backoff, Limit};

/// Deleted (with its instances, and waited for) first.
pub const DESTROY_RANK: usize = 0;

/// Finds the plan's groups by tag.
pub async fn discover(cx: &Cx, live: &mut Live) -> Result<(), ApplyError> {
    let filter = aws_sdk_autoscaling::types::Filter::builder()
        .name(format!("tag:{PLAN_TAG}"))
        .values(cx.plan.design.name.clone())
        .build();
    let groups = all_pages(|token| {
        let filter = filter.clone();
        cx.aws.autoscaling(move |c| {
            let req = c
                .describe_auto_scaling_groups()
                .filters(filter)
                .set_next_token(token)
                .send();
            async move {
                req.await.map(|o| {
                    (
                        o.auto_scaling_groups().to_vec(),
                        o.next_token().map(str::to_owned),
                    )
                })
            }
        })
    })
    .await;
    let groups = match groups {
        Ok(g) => g,
        Err(e) if denied(&e) && !plan_has(cx, ResourceType::AutoscalingGroup) => return Ok(()),
        Err(e) => return Err(ApplyError::sdk(DISCOVERY, e)),
    };
    for g in &groups {
        let tags: BTreeMap<String, String> = g
            .tags()
            .iter()
            .filter_map(|t| {
                Some((
                    t.key()?.to_owned(),
                    t.value().unwrap_or_default().to_owned(),
                ))
            })
            .collect();
        let lt = g.launch_template();
        let mut attrs: BTreeMap<String, String> = [
            ("min_size", g.min_size().unwrap_or(0).to_string()),
            ("max_size", g.max_size().unwrap_or(0).to_string()),
            (
                "desired_capacity",
                g.desired_capacity().unwrap_or(0).to_string(),
            ),
            ("subnet", dash(g.vpc_zone_identifier())),
            (
                "launch_template",
                dash(lt.and_then(|l| l.launch_template_id())),
            ),
            (
                "launch_template_version",
                dash(lt.and_then(|l| l.version())),
            ),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        if let Some(s) = g.status().filter(|s| !s.is_empty()) {
            attrs.insert("status".to_owned(), s.to_owned());
        }
        let res = LiveRes {
            aws_id: g.auto_scaling_group_name().unwrap_or_default().to_owned(),
            arn: g.auto_scaling_group_arn().map(str::to_owned),
            attrs,
            tags,
        };
        sort_found(cx, live, ResourceType::AutoscalingGroup, res);
    }
    Ok(())
}

/// Whether an orphan group has this one's name (its AWS id), which AWS keeps unique.
pub fn conflicts(_cx: &Cx, r: &Resource, orphan: &LiveRes) -> bool {
    matches!(&r.kind, ResourceKind::AutoscalingGroup { name, .. } if orphan.aws_id == *name)
}

/// How the live group differs: size, subnet and template are repairable; a status (being
/// deleted) is not.
pub fn drift(cx: &Cx, r: &Resource, live: &LiveRes) -> Vec<Drift> {
    let ResourceKind::AutoscalingGroup {
        launch_template,
        subnet,
        size,
        ..
    } = &r.kind
    else {
        return Vec::new();
    };
    let want: BTreeMap<String, String> = [
        ("min_size", size.to_string()),
        ("max_size", size.to_string()),
        ("desired_capacity", size.to_string()),
        (
            "subnet",
            cx.id_of(subnet).unwrap_or_else(|_| "-".to_owned()),
        ),
        (
            "launch_template",
            cx.id_of(launch_template).unwrap_or_else(|_| "-".to_owned()),
        ),
        ("launch_template_version", "$Latest".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let mut d = attr_drift(
        &want,
        &live.attrs,
        &[
            "min_size",
            "max_size",
            "desired_capacity",
            "subnet",
            "launch_template",
            "launch_template_version",
        ],
    );
    if let Some(status) = live.attrs.get("status") {
        d.push(Drift {
            what: "status".to_owned(),
            live: status.clone(),
            plan: "-".to_owned(),
            repairable: false,
            late: false,
        });
    }
    d.extend(tag_drift(&cx.tags_for(r), &live.tags));
    d
}

/// The group's tags, propagated to the instances it launches.
fn group_tags(cx: &Cx, r: &Resource, name: &str) -> Vec<Tag> {
    cx.tags_for(r)
        .into_iter()
        .map(|(k, v)| {
            Tag::builder()
                .resource_id(name)
                .resource_type("auto-scaling-group")
                .key(k)
                .value(v)
                .propagate_at_launch(true)
                .build()
        })
        .collect()
}

fn template_spec(lt_id: String) -> LaunchTemplateSpecification {
    LaunchTemplateSpecification::builder()
        .launch_template_id(lt_id)
        .version("$Latest")
        .build()
}

/// Creates the group (tagged; retried while its template, subnet or instance profile is not
/// visible to Auto Scaling yet) and waits until it runs its instance.
pub async fn create(cx: &Cx, r: &Resource) -> Result<LiveRes, ApplyError> {
    let ResourceKind::AutoscalingGroup {
        name,
        launch_template,
        subnet,
        size,
        ..
    } = &r.kind
    else {
        return Err(not_a(r, ResourceType::AutoscalingGroup));
    };
    let id = r.id.as_str();
    let size = i32::try_from(*size).unwrap_or(i32::MAX);
    let (lt_id, subnet_id) = (cx.id_of(launch_template)?, cx.id_of(subnet)?);
    // A template, subnet or instance profile made a moment ago may not be visible yet.
    let early = |e: &aws_sdk_autoscaling::error::SdkError<_, _>| {
        e.code() == Some("ValidationError")
            && e.message().is_some_and(|m| {
                let m = m.to_ascii_lowercase();
                m.contains("does not exist") || m.contains("instance profile")
            })
    };
    let backoff = Backoff::doubling(
        cx,
        id,
        "the launch template and subnet to reach Auto Scaling",
        Duration::from_secs(2),
        Duration::from_secs(20),
    );
    let out = retry_while(backoff, Limit::Time(PROPAGATION_TIMEOUT), early, || {
        cx.aws.autoscaling(|c| {
            c.create_auto_scaling_group()
                .auto_scaling_group_name(name)
                .launch_template(template_spec(lt_id.clone()))
                .vpc_zone_identifier(&subnet_id)
                .min_size(size)
                .max_size(size)
                .desired_capacity(size)
                .set_tags(Some(group_tags(cx, r, name)))
                .send()
        })
    })
    .await;
    match out {
        Ok(_) => {}
        // Made by an earlier run (created with its tags in one call): applied, if it is ours.
        Err(e) if e.code() == Some("AlreadyExists") => {
            let out = cx
                .aws
                .autoscaling(|c| {
                    c.describe_auto_scaling_groups()
                        .auto_scaling_group_names(name)
                        .send()
                })
                .await
                .map_err(|e| ApplyError::sdk(id, e))?;
            let ours = out.auto_scaling_groups().first().is_some_and(|g| {
                g.tags().iter().any(|t| {
                    t.key() == Some(PLAN_TAG) && t.value() == Some(cx.plan.design.name.as_str())
                })
            });
            if !ours {
                return Err(ApplyError::new(
                    id,
                    format!("an auto-scaling group named {name} exists and is not this plan's: rename or delete it"),
                ));
            }
        }
        Err(e) => return Err(ApplyError::sdk(id, e)),
    }
    let (attrs, arn) = if size > 0 {
        let (instance, arn) = wait_in_service(cx, id, name).await?;
        (attrs([(IN_SERVICE, instance)]), arn)
    } else {
        (BTreeMap::new(), None)
    };
    Ok(LiveRes {
        aws_id: name.clone(),
        arn,
        attrs,
        tags: cx.tags_for(r),
    })
}

/// Repairs size, subnet, template and tags in place.
pub async fn repair(
    cx: &Cx,
    r: &Resource,
    live: &LiveRes,
    drift: &[Drift],
) -> Result<(), ApplyError> {
    let ResourceKind::AutoscalingGroup {
        name,
        launch_template,
        subnet,
        size,
        ..
    } = &r.kind
    else {
        return Err(not_a(r, ResourceType::AutoscalingGroup));
    };
    let id = r.id.as_str();
    if drift.iter().any(|d| !d.what.starts_with("tag ")) {
        let size = i32::try_from(*size).unwrap_or(i32::MAX);
        let (lt_id, subnet_id) = (cx.id_of(launch_template)?, cx.id_of(subnet)?);
        cx.aws
            .autoscaling(|c| {
                c.update_auto_scaling_group()
                    .auto_scaling_group_name(&live.aws_id)
                    .launch_template(template_spec(lt_id))
                    .vpc_zone_identifier(subnet_id)
                    .min_size(size)
                    .max_size(size)
                    .desired_capacity(size)
                    .send()
            })
            .await
            .map_err(|e| ApplyError::sdk(id, e))?;
    }
    if drift.iter().any(|d| d.what.starts_with("tag ")) {
        cx.aws
            .autoscaling(|c| {
                c.create_or_update_tags()
                    .set_tags(Some(group_tags(cx, r, name)))
                    .send()
            })
            .await
            .map_err(|e| ApplyError::sdk(id, e))?;
    }
    Ok(())
}

/// Deletes the group with its instances and waits until it is gone; gone already counts as
/// deleted.
pub async fn delete(cx: &Cx, id: &str, live: &LiveRes) -> Result<(), ApplyError> {
    let name = live.aws_id.as_str();
    let mut backoff = Backoff::doubling(
        cx,
        id,
        format!("auto-scaling group {name} and its instances to go"),
        Duration::from_secs(1),
        Duration::from_secs(15),
    );
    let mut asked = false;
    loop {
        if !asked {
            let out = cx
                .aws
                .autoscaling(|c| {
                    c.delete_auto_scaling_group()
                        .auto_scaling_group_name(name)
                        .force_delete(true)
                        .send()
                })
                .await;
            match out {
                Ok(_) => asked = true,
                Err(e)
                    if e.code() == Some("ValidationError")
                        && e.message().is_some_and(|m| m.contains("not found")) =>
                {
                    return Ok(())
                }
                // Busy with a scaling activity, or already being deleted: look, then retry.
                Err(e)
                    if matches!(
                        e.code(),
                        Some("ResourceInUse" | "ScalingActivityInProgress")
                    ) && backoff.elapsed() < GROUP_TIMEOUT => {}
                Err(e) => return Err(ApplyError::sdk(id, e)),
            }
        }
        let out = cx
            .aws
            .autoscaling(|c| {
                c.describe_auto_scaling_groups()
                    .auto_scaling_group_names(name)
                    .send()
            })
            .await
            .map_err(|e| ApplyError::sdk(id, e))?;
        let Some(g) = out.auto_scaling_groups().first() else {
            return Ok(());
        };
        if g.status() == Some("Delete in progress") {
            asked = true;
        }
        if backoff.elapsed() > GROUP_TIMEOUT {
            return Err(ApplyError::new(
                id,
                format!(
                    "auto-scaling group {name} is still there after {} minutes",
                    GROUP_TIMEOUT.as_secs() / 60
                ),
            ));
        }
        backoff.pause().await;
    }
}
