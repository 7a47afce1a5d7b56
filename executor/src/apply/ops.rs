//! Dispatch of the per-type operations, and what every operation shares: events, errors.

use aws_sdk_ec2::error::ProvideErrorMetadata;
use planner_core::{Resource, ResourceKind};

use super::model::{ApplyError, Drift, Live, LiveRes};
use super::{compute, iam, net, sg, Cx};
use crate::events::Event;

/// The `Name` of a resource, where it has one.
pub fn name_of(r: &Resource) -> Option<&str> {
    match &r.kind {
        ResourceKind::Vpc { name, .. }
        | ResourceKind::Subnet { name, .. }
        | ResourceKind::InternetGateway { name, .. }
        | ResourceKind::EgressOnlyInternetGateway { name, .. }
        | ResourceKind::ElasticIp { name }
        | ResourceKind::NatGateway { name, .. }
        | ResourceKind::SecurityGroup { name, .. }
        | ResourceKind::Instance { name, .. }
        | ResourceKind::LaunchTemplate { name, .. }
        | ResourceKind::AutoscalingGroup { name, .. }
        | ResourceKind::RouteTable { name, .. } => Some(name),
        _ => None,
    }
}

/// The AWS error code of an SDK error, e.g. `InvalidGroup.Duplicate`.
pub fn code<E: ProvideErrorMetadata>(e: &E) -> Option<&str> {
    e.code()
}

/// Finds everything the plan owns, one batched call per type, the modules in parallel.
pub async fn discover(cx: &Cx) -> Result<Live, ApplyError> {
    let (mut a, mut b, mut c, mut d) = (
        Live::default(),
        Live::default(),
        Live::default(),
        Live::default(),
    );
    tokio::try_join!(
        net::discover(cx, &mut a),
        sg::discover(cx, &mut b),
        compute::discover(cx, &mut c),
        iam::discover(cx, &mut d),
    )?;
    for part in [b, c, d] {
        a.found.extend(part.found);
        a.orphans.extend(part.orphans);
    }
    Ok(a)
}

/// How `live` differs from `r`.
pub fn drift(cx: &Cx, r: &Resource, live: &LiveRes) -> Vec<Drift> {
    match r.kind.type_name() {
        "security_group" | "security_group_rule" => sg::drift(cx, r, live),
        "instance" | "launch_template" | "autoscaling_group" => compute::drift(cx, r, live),
        t if t.starts_with("iam_") => iam::drift(cx, r, live),
        _ => net::drift(cx, r, live),
    }
}

/// Creates `r` and records it.
pub async fn create(cx: &Cx, r: &Resource) -> Result<(), ApplyError> {
    let live = match r.kind.type_name() {
        "security_group" | "security_group_rule" => sg::create(cx, r).await?,
        "instance" | "launch_template" | "autoscaling_group" => compute::create(cx, r).await?,
        t if t.starts_with("iam_") => iam::create(cx, r).await?,
        _ => net::create(cx, r).await?,
    };
    cx.events.event(Event::Created {
        id: r.id.clone(),
        aws_id: live.aws_id.clone(),
        arn: live.arn.clone(),
    });
    cx.resolve(&r.id, live);
    Ok(())
}

/// Repairs `drift` on `r` in place.
pub async fn repair(cx: &Cx, r: &Resource, drift: &[Drift]) -> Result<(), ApplyError> {
    if let Some(d) = drift.iter().find(|d| !d.repairable) {
        return Err(ApplyError::new(
            &r.id,
            format!("changed outside the plan: {d}; destroy and re-create it, or change the design to match"),
        ));
    }
    let live = cx
        .live_of(&r.id)
        .ok_or_else(|| ApplyError::new(&r.id, "has no live state to repair"))?;
    match r.kind.type_name() {
        "security_group" | "security_group_rule" => sg::repair(cx, r, &live, drift).await?,
        "instance" | "launch_template" | "autoscaling_group" => {
            compute::repair(cx, r, &live, drift).await?
        }
        t if t.starts_with("iam_") => iam::repair(cx, r, &live, drift).await?,
        _ => net::repair(cx, r, &live, drift).await?,
    }
    cx.events.event(Event::Updated {
        id: r.id.clone(),
        aws_id: live.aws_id.clone(),
        changes: drift.iter().map(ToString::to_string).collect(),
    });
    Ok(())
}

/// Deletes one resource; one that is already gone counts as deleted.
pub async fn delete(cx: &Cx, type_name: &str, id: &str, live: &LiveRes) -> Result<(), ApplyError> {
    match type_name {
        "security_group" | "security_group_rule" => sg::delete(cx, type_name, id, live).await,
        "instance" | "launch_template" | "autoscaling_group" => {
            compute::delete(cx, type_name, id, live).await
        }
        t if t.starts_with("iam_") => iam::delete(cx, type_name, id, live).await,
        _ => net::delete(cx, type_name, id, live).await,
    }
}

/// The `ResourceType` and tags of an EC2 create request.
pub fn tag_spec(
    cx: &Cx,
    r: &Resource,
    kind: aws_sdk_ec2::types::ResourceType,
) -> aws_sdk_ec2::types::TagSpecification {
    let mut spec = aws_sdk_ec2::types::TagSpecification::builder().resource_type(kind);
    for (k, v) in cx.tags_for(r) {
        spec = spec.tags(aws_sdk_ec2::types::Tag::builder().key(k).value(v).build());
    }
    spec.build()
}

/// EC2 tags as a map.
pub fn tag_map(tags: &[aws_sdk_ec2::types::Tag]) -> std::collections::BTreeMap<String, String> {
    tags.iter()
        .filter_map(|t| {
            Some((
                t.key()?.to_owned(),
                t.value().unwrap_or_default().to_owned(),
            ))
        })
        .collect()
}

/// The EC2 filter selecting the plan's resources.
pub fn plan_filter(cx: &Cx) -> aws_sdk_ec2::types::Filter {
    aws_sdk_ec2::types::Filter::builder()
        .name(format!("tag:{}", super::model::PLAN_TAG))
        .values(cx.plan.design.name.clone())
        .build()
}

/// Sorts a discovered resource into found (its id is in the plan with this type) or orphans.
pub fn sort_found(cx: &Cx, live: &mut Live, type_name: &'static str, res: LiveRes) {
    let Some(id) = res.tags.get(super::model::ID_TAG).cloned() else {
        return;
    };
    if res.tags.get(super::model::PLAN_TAG) != Some(&cx.plan.design.name) {
        return; // moto ignores some tag filters: check the tag ourselves
    }
    match cx.plan.resource(&id) {
        Some(r) if r.kind.type_name() == type_name => {
            live.found.insert(id, res);
        }
        _ => live.orphans.push(super::model::Orphan {
            id,
            type_name,
            aws_id: res.aws_id,
        }),
    }
}

/// Re-tags `aws_id` with the tags `r` must carry.
pub async fn retag(cx: &Cx, r: &Resource, aws_id: &str) -> Result<(), ApplyError> {
    let mut req = cx.aws.ec2.create_tags().resources(aws_id);
    for (k, v) in cx.tags_for(r) {
        req = req.tags(aws_sdk_ec2::types::Tag::builder().key(k).value(v).build());
    }
    let _p = cx.permit().await;
    req.send().await.map_err(|e| ApplyError::sdk(&r.id, e))?;
    Ok(())
}
