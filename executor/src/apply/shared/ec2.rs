//! EC2 helpers every EC2 type uses: tags in the creating request, the plan's tag filter,
//! sorting what discovery finds into the plan's and orphans, re-tagging, and error codes.

use std::collections::BTreeMap;

use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use planner_core::resource::ResourceType;
use planner_core::Resource;

use crate::apply::context::Cx;
use crate::apply::model::{ApplyError, Drift, Live, LiveRes, Orphan, ID_TAG, PLAN_TAG};

/// The AWS error code of an SDK error, e.g. `InvalidGroup.Duplicate`.
pub fn code<E: ProvideErrorMetadata>(e: &E) -> Option<&str> {
    e.code()
}

/// Whether an error code says the resource does not exist (any `…NotFound`).
pub fn not_found(code: Option<&str>) -> bool {
    code.is_some_and(|c| c.ends_with("NotFound"))
}

/// The outcome of a delete call: done, also when the resource is gone already.
pub fn deleted<T, E>(id: &str, out: Result<T, E>) -> Result<(), ApplyError>
where
    E: ProvideErrorMetadata + std::error::Error,
{
    match out {
        Ok(_) => Ok(()),
        Err(e) if not_found(e.code()) => Ok(()),
        Err(e) => Err(ApplyError::sdk(id, e)),
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
pub fn tag_map(tags: &[aws_sdk_ec2::types::Tag]) -> BTreeMap<String, String> {
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
        .name(format!("tag:{PLAN_TAG}"))
        .values(cx.plan.design.name.clone())
        .build()
}

/// Whether the plan has a resource of type `ty` (the derived policy grants a type's
/// describes only then).
pub fn plan_has(cx: &Cx, ty: ResourceType) -> bool {
    cx.plan
        .resources
        .iter()
        .any(|r| r.kind.resource_type() == ty)
}

/// Sorts a discovered resource into found (its id is in the plan with this type) or orphans.
pub fn sort_found(cx: &Cx, live: &mut Live, kind: ResourceType, res: LiveRes) {
    let Some(id) = res.tags.get(ID_TAG).cloned() else {
        return;
    };
    if res.tags.get(PLAN_TAG) != Some(&cx.plan.design.name) {
        return; // moto ignores some tag filters: check the tag ourselves
    }
    match cx.plan.resource(&id) {
        Some(r) if r.kind.resource_type() == kind => found_or_duplicate(live, kind, id, res),
        _ => live.orphans.push(Orphan::new(id, kind, res)),
    }
}

/// Records `res` as the plan's `id`, or, when another resource already carries that id, as
/// a duplicate. Which of the copies is kept does not depend on the order AWS lists them in:
/// the lowest AWS id wins.
pub fn found_or_duplicate(live: &mut Live, kind: ResourceType, id: String, res: LiveRes) {
    match live.found.get_mut(&id) {
        None => {
            live.found.insert(id, res);
        }
        Some(first) => {
            let extra = if res.aws_id < first.aws_id {
                std::mem::replace(first, res)
            } else {
                res
            };
            live.duplicates.push(Orphan::new(id, kind, extra));
        }
    }
}

/// Repairs drift that is only tags, re-tagging for each; any other drift cannot be repaired
/// in place, which is an error.
pub async fn repair_tags(
    cx: &Cx,
    r: &Resource,
    live: &LiveRes,
    drift: &[Drift],
) -> Result<(), ApplyError> {
    for d in drift {
        if !d.what.starts_with("tag ") {
            return Err(ApplyError::new(&r.id, format!("cannot repair {d}")));
        }
        retag(cx, r, &live.aws_id).await?;
    }
    Ok(())
}

/// Re-tags `aws_id` with the tags `r` must carry.
pub async fn retag(cx: &Cx, r: &Resource, aws_id: &str) -> Result<(), ApplyError> {
    let tags: Vec<aws_sdk_ec2::types::Tag> = cx
        .tags_for(r)
        .into_iter()
        .map(|(k, v)| aws_sdk_ec2::types::Tag::builder().key(k).value(v).build())
        .collect();
    cx.aws
        .ec2(|c| {
            c.create_tags()
                .resources(aws_id)
                .set_tags(Some(tags))
                .send()
        })
        .await
        .map_err(|e| ApplyError::sdk(&r.id, e))?;
    Ok(())
}

/// An EC2 boolean attribute value.
pub fn bool_value(v: bool) -> aws_sdk_ec2::types::AttributeBooleanValue {
    aws_sdk_ec2::types::AttributeBooleanValue::builder()
        .value(v)
        .build()
}
