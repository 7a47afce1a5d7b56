//! `flow_log`: the VPC's flow log, tagged in the creating request and found by the plan's tag.
//!
//! To CloudWatch Logs it writes to the plan's log group through the plan's delivery role
//! (`DeliverLogsPermissionArn` is that role's ARN, which the executor must be allowed to pass
//! to `vpc-flow-logs.amazonaws.com`); to S3 it writes to the design's bucket. A flow log
//! cannot be modified: a changed traffic type, destination or role is repaired by replacing
//! it (the old one deleted, then the new one created, so AWS never sees two flow logs of one
//! VPC to one destination). No idempotency token: a flow log deleted by hand is made again
//! under the same plan id, which a token would map back to the deleted one.

use std::collections::BTreeMap;

use aws_sdk_ec2::types::{FlowLog, FlowLogsResourceType, LogDestinationType, TrafficType};
use planner_core::resource::{FlowLogTarget, ResourceType};
use planner_core::{Resource, ResourceKind};

use crate::apply::context::Cx;
use crate::apply::model::{attr_drift, tag_drift, ApplyError, Drift, Live, LiveRes};
use crate::apply::shared::attrs::{attrs, not_a, DISCOVERY};
use crate::apply::shared::ec2::{deleted, plan_filter, retag, sort_found, tag_map, tag_spec};
use crate::apply::shared::pages::all_pages;

/// Deleted first: nothing depends on it, and it writes to the log group through the role.
pub const DESTROY_RANK: usize = 0;

/// What a replacement repairs (everything but tags).
const REPLACED: &[&str] = &["vpc", "traffic", "destination", "role"];

/// Every flow log carrying the plan's tag (whether or not the plan still has one).
pub async fn describe(cx: &Cx) -> Result<Vec<FlowLog>, ApplyError> {
    all_pages(|token| {
        cx.aws.ec2(|c| {
            let req = c
                .describe_flow_logs()
                .filter(plan_filter(cx))
                .set_next_token(token)
                .send();
            async move {
                req.await
                    .map(|o| (o.flow_logs().to_vec(), o.next_token().map(str::to_owned)))
            }
        })
    })
    .await
    .map_err(|e| ApplyError::sdk(DISCOVERY, e))
}

/// Sorts the described flow logs into `live`.
pub fn discover(cx: &Cx, logs: &[FlowLog], live: &mut Live) {
    for f in logs {
        let destination = match f.log_destination_type() {
            Some(LogDestinationType::S3) => format!("s3 {}", f.log_destination().unwrap_or("-")),
            Some(LogDestinationType::CloudWatchLogs) | None => {
                format!("cloudwatch_logs {}", f.log_group_name().unwrap_or("-"))
            }
            Some(other) => format!("{} {}", other.as_str(), f.log_destination().unwrap_or("-")),
        };
        let res = LiveRes {
            aws_id: f.flow_log_id().unwrap_or_default().to_owned(),
            arn: None,
            attrs: attrs([
                ("vpc", f.resource_id().unwrap_or("-").to_owned()),
                (
                    "traffic",
                    f.traffic_type().map_or("-", |t| t.as_str()).to_owned(),
                ),
                ("destination", destination),
                (
                    "role",
                    f.deliver_logs_permission_arn().unwrap_or("-").to_owned(),
                ),
            ]),
            tags: tag_map(f.tags()),
        };
        sort_found(cx, live, ResourceType::FlowLog, res);
    }
}

/// The name of the plan's log group `id`.
fn group_name(cx: &Cx, id: &str) -> String {
    match cx.plan.resource(id).map(|r| &r.kind) {
        Some(ResourceKind::LogGroup { name, .. }) => name.clone(),
        _ => "-".to_owned(),
    }
}

/// The ARN of the plan's role `id`, once it exists.
fn role_arn(cx: &Cx, id: &str) -> Option<String> {
    cx.live_of(id).and_then(|l| l.arn)
}

/// What the flow log must look like.
fn expected(cx: &Cx, r: &Resource) -> BTreeMap<String, String> {
    let ResourceKind::FlowLog {
        vpc,
        traffic,
        destination,
        ..
    } = &r.kind
    else {
        return BTreeMap::new();
    };
    let (dest, role) = match destination {
        FlowLogTarget::CloudwatchLogs { log_group, role } => (
            format!("cloudwatch_logs {}", group_name(cx, log_group)),
            role_arn(cx, role).unwrap_or_else(|| "-".to_owned()),
        ),
        FlowLogTarget::S3 { bucket_arn } => (format!("s3 {bucket_arn}"), "-".to_owned()),
    };
    attrs([
        ("vpc", cx.id_of(vpc).unwrap_or_else(|_| "-".to_owned())),
        ("traffic", traffic.aws().to_owned()),
        ("destination", dest),
        ("role", role),
    ])
}

/// Nothing the plan no longer has stands in the way of creating one.
pub fn conflicts(_cx: &Cx, _r: &Resource, _orphan: &LiveRes) -> bool {
    false
}

/// Its tags (re-tagged) or anything else (replaced) can differ.
pub fn drift(cx: &Cx, r: &Resource, live: &LiveRes) -> Vec<Drift> {
    let mut d = attr_drift(&expected(cx, r), &live.attrs, REPLACED);
    d.extend(tag_drift(&cx.tags_for(r), &live.tags));
    d
}

/// Creates the flow log of the VPC, tagged in the same request.
pub async fn create(cx: &Cx, r: &Resource) -> Result<LiveRes, ApplyError> {
    let ResourceKind::FlowLog {
        vpc,
        traffic,
        destination,
        ..
    } = &r.kind
    else {
        return Err(not_a(r, ResourceType::FlowLog));
    };
    let id = r.id.as_str();
    let vpc_id = cx.id_of(vpc)?;
    let target = match destination {
        FlowLogTarget::CloudwatchLogs { log_group, role } => {
            let arn = role_arn(cx, role)
                .ok_or_else(|| ApplyError::new(role, "has no ARN yet (dependency order broken)"))?;
            (
                LogDestinationType::CloudWatchLogs,
                group_name(cx, log_group),
                Some(arn),
            )
        }
        FlowLogTarget::S3 { bucket_arn } => (LogDestinationType::S3, bucket_arn.clone(), None),
    };
    let out = cx
        .aws
        .ec2(|c| {
            let req = c
                .create_flow_logs()
                .resource_type(FlowLogsResourceType::Vpc)
                .resource_ids(vpc_id)
                .traffic_type(TrafficType::from(traffic.aws()))
                .log_destination_type(target.0.clone())
                .set_deliver_logs_permission_arn(target.2.clone())
                .tag_specifications(tag_spec(
                    cx,
                    r,
                    aws_sdk_ec2::types::ResourceType::VpcFlowLog,
                ));
            match target.0 {
                LogDestinationType::S3 => req.log_destination(&target.1),
                _ => req.log_group_name(&target.1),
            }
            .send()
        })
        .await
        .map_err(|e| ApplyError::sdk(id, e))?;
    if let Some(failed) = out.unsuccessful().iter().find_map(|u| u.error()) {
        return Err(ApplyError::new(
            id,
            format!(
                "CreateFlowLogs: {}: {}",
                failed.code().unwrap_or_default(),
                failed.message().unwrap_or_default()
            ),
        ));
    }
    let flow_log = out
        .flow_log_ids()
        .first()
        .cloned()
        .ok_or_else(|| ApplyError::new(id, "CreateFlowLogs answered no flow log id"))?;
    Ok(LiveRes {
        aws_id: flow_log,
        attrs: expected(cx, r),
        tags: cx.tags_for(r),
        ..LiveRes::default()
    })
}

/// Re-tags it, or, when anything else differs, replaces it: flow logs cannot be modified.
pub async fn repair(
    cx: &Cx,
    r: &Resource,
    live: &LiveRes,
    drift: &[Drift],
) -> Result<(), ApplyError> {
    if drift.iter().any(|d| REPLACED.contains(&d.what.as_str())) {
        delete(cx, &r.id, live).await?;
        let made = create(cx, r).await?;
        cx.resolve(&r.id, made);
        return Ok(());
    }
    if drift.iter().any(|d| d.what.starts_with("tag ")) {
        retag(cx, r, &live.aws_id).await?;
    }
    Ok(())
}

/// Deletes the flow log; gone already counts as deleted.
pub async fn delete(cx: &Cx, id: &str, live: &LiveRes) -> Result<(), ApplyError> {
    let out = cx
        .aws
        .ec2(|c| c.delete_flow_logs().flow_log_ids(&live.aws_id).send())
        .await;
    if let Ok(o) = &out {
        if let Some(failed) = o.unsuccessful().iter().find_map(|u| u.error()) {
            let code = failed.code().unwrap_or_default();
            if !code.ends_with("NotFound") {
                return Err(ApplyError::new(
                    id,
                    format!(
                        "DeleteFlowLogs {}: {code}: {}",
                        live.aws_id,
                        failed.message().unwrap_or_default()
                    ),
                ));
            }
        }
    }
    deleted(id, out)
}
