//! Being written.

use super::model::{ApplyError, Drift, Live, LiveRes};
use super::Cx;
use planner_core::Resource;

/// Finds the plan's resources of this module's types.
pub async fn discover(_cx: &Cx, _live: &mut Live) -> Result<(), ApplyError> {
    Ok(())
}

/// How the live resource differs from the plan.
pub fn drift(_cx: &Cx, _r: &Resource, _live: &LiveRes) -> Vec<Drift> {
    Vec::new()
}

/// Creates one resource.
pub async fn create(_cx: &Cx, r: &Resource) -> Result<LiveRes, ApplyError> {
    Err(ApplyError::new(
        &r.id,
        "this resource type cannot be applied yet",
    ))
}

/// Repairs drift in place.
pub async fn repair(
    _cx: &Cx,
    r: &Resource,
    _live: &LiveRes,
    _drift: &[Drift],
) -> Result<(), ApplyError> {
    Err(ApplyError::new(
        &r.id,
        "this resource type cannot be repaired yet",
    ))
}

/// Deletes one resource.
pub async fn delete(
    _cx: &Cx,
    _type_name: &str,
    id: &str,
    _live: &LiveRes,
) -> Result<(), ApplyError> {
    Err(ApplyError::new(
        id,
        "this resource type cannot be deleted yet",
    ))
}

/// The instance an auto-scaling group of one runs now, waiting for it to be in service.
pub async fn group_instance(_cx: &Cx, id: &str, _group: &str) -> Result<String, ApplyError> {
    Err(ApplyError::new(
        id,
        "auto-scaling groups cannot be applied yet",
    ))
}
