//! Waiting for an auto-scaling group to run its instance: its own create waits for it, and a
//! route through a NAT group targets the instance it runs.

use std::time::Duration;

use aws_sdk_ec2::error::ProvideErrorMetadata;
use aws_sdk_ec2::types::InstanceStateName;
use planner_core::ResourceKind;

use super::wait::Backoff;
use crate::apply::context::Cx;
use crate::apply::model::ApplyError;

/// How long an auto-scaling group may take to have an instance in service, or to go away.
pub const GROUP_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// The attribute a group created in this run records its instance in service under, once
/// its create has waited for it: a route to the group targets it without asking again.
pub const IN_SERVICE: &str = "instance in service";

/// The instance an auto-scaling group of one runs now, waiting for it to be in service
/// (unless the group was created in this run, which waited already).
pub async fn group_instance(cx: &Cx, id: &str, group: &str) -> Result<String, ApplyError> {
    let live = cx.live_of(group);
    if let Some(instance) = live.as_ref().and_then(|l| l.attrs.get(IN_SERVICE)) {
        return Ok(instance.clone());
    }
    let name = match live {
        Some(l) if !l.aws_id.is_empty() => l.aws_id,
        _ => match cx.plan.resource(group).map(|r| &r.kind) {
            Some(ResourceKind::AutoscalingGroup { name, .. }) => name.clone(),
            _ => {
                return Err(ApplyError::new(
                    id,
                    format!("{group} is not an auto-scaling group of this plan"),
                ))
            }
        },
    };
    Ok(wait_in_service(cx, id, &name).await?.0)
}

/// Waits until group `name` has an instance in service (or launched and running); returns
/// its id and the group's ARN.
pub async fn wait_in_service(
    cx: &Cx,
    id: &str,
    name: &str,
) -> Result<(String, Option<String>), ApplyError> {
    use aws_sdk_autoscaling::types::LifecycleState as L;
    // Short first polls: the group's instance is often there at once; the delay doubles.
    let mut backoff = Backoff::doubling(
        cx,
        id,
        format!("auto-scaling group {name} to run an instance"),
        Duration::from_millis(250),
        Duration::from_secs(15),
    );
    let mut missing = 0;
    loop {
        let out = cx
            .aws
            .autoscaling(|c| {
                c.describe_auto_scaling_groups()
                    .auto_scaling_group_names(name)
                    .send()
            })
            .await
            .map_err(|e| ApplyError::sdk(id, e))?;
        match out.auto_scaling_groups().first() {
            None => {
                missing += 1;
                if missing > 5 {
                    return Err(ApplyError::new(
                        id,
                        format!("auto-scaling group {name} does not exist"),
                    ));
                }
            }
            Some(g) => {
                let arn = g.auto_scaling_group_arn().map(str::to_owned);
                let instances = g.instances();
                if let Some(i) = instances
                    .iter()
                    .find(|i| i.lifecycle_state() == Some(&L::InService))
                    .and_then(|i| i.instance_id())
                {
                    return Ok((i.to_owned(), arn));
                }
                let pending: Vec<String> = instances
                    .iter()
                    .filter(|i| {
                        matches!(
                            i.lifecycle_state(),
                            Some(L::Pending | L::PendingProceed | L::PendingWait)
                        )
                    })
                    .filter_map(|i| i.instance_id().map(str::to_owned))
                    .collect();
                if !pending.is_empty() {
                    if let Some(i) = running_one(cx, id, pending).await? {
                        return Ok((i, arn));
                    }
                }
            }
        }
        if backoff.elapsed() > GROUP_TIMEOUT {
            let why = last_failure(cx, name).await;
            return Err(ApplyError::new(
                id,
                format!(
                    "auto-scaling group {name} has no instance in service after {} minutes{}",
                    GROUP_TIMEOUT.as_secs() / 60,
                    why.map(|w| format!("; its last failed launch: {w}"))
                        .unwrap_or_default()
                ),
            ));
        }
        backoff.pause().await;
    }
}

/// The first of `ids` that EC2 says is running.
async fn running_one(cx: &Cx, id: &str, ids: Vec<String>) -> Result<Option<String>, ApplyError> {
    let out = cx
        .aws
        .ec2(|c| c.describe_instances().set_instance_ids(Some(ids)).send())
        .await;
    match out {
        Ok(o) => Ok(o
            .reservations()
            .iter()
            .flat_map(|r| r.instances())
            .find(|i| i.state().and_then(|s| s.name()) == Some(&InstanceStateName::Running))
            .and_then(|i| i.instance_id().map(str::to_owned))),
        Err(e) if e.code() == Some("InvalidInstanceID.NotFound") => Ok(None),
        Err(e) => Err(ApplyError::sdk(id, e)),
    }
}

/// Why the group's last launch failed, if it did.
async fn last_failure(cx: &Cx, name: &str) -> Option<String> {
    let out = cx
        .aws
        .autoscaling(|c| {
            c.describe_scaling_activities()
                .auto_scaling_group_name(name)
                .max_records(5)
                .send()
        })
        .await
        .ok()?;
    out.activities()
        .iter()
        .find(|a| {
            a.status_code() == Some(&aws_sdk_autoscaling::types::ScalingActivityStatusCode::Failed)
        })
        .and_then(|a| a.status_message().or(a.description()).map(str::to_owned))
}
