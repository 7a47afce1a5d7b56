//! What instances, launch templates and auto-scaling groups share: the images they boot, the
//! instance profiles and security groups they name, and how their attributes read.

use std::collections::BTreeMap;
use std::time::Duration;

use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use planner_core::resource::Ami;
use planner_core::{Resource, ResourceKind};

use crate::apply::context::Cx;
use crate::apply::model::ApplyError;
use crate::trace::{self, Frontier};

/// How long a just-created instance profile or security group may stay invisible to EC2.
pub const PROPAGATION_TIMEOUT: Duration = Duration::from_secs(3 * 60);
/// SSM GetParameters takes at most this many names.
const SSM_BATCH: usize = 10;

/// Images resolved from SSM parameters, by (region, parameter): one lookup per run. With
/// each, the calls that found it, which whoever reads it follows ([`trace`]).
static AMIS: tokio::sync::Mutex<BTreeMap<(String, String), (String, Frontier)>> =
    tokio::sync::Mutex::const_new(BTreeMap::new());

/// An optional value as compared: `-` when absent or empty.
pub fn dash(v: Option<&str>) -> String {
    v.filter(|s| !s.is_empty()).unwrap_or("-").to_owned()
}

/// Ids sorted and comma-joined.
pub fn joined(mut ids: Vec<String>) -> String {
    ids.sort();
    ids.join(",")
}

/// Security group ids of `groups`, sorted and comma-joined; `-` where one is not known yet.
pub fn group_ids(cx: &Cx, groups: &[String]) -> String {
    joined(
        groups
            .iter()
            .map(|g| cx.id_of(g).unwrap_or_else(|_| "-".to_owned()))
            .collect(),
    )
}

/// The name of an instance profile from its ARN (`…:instance-profile/path/name`) or name.
pub fn profile_name(arn_or_name: &str) -> String {
    arn_or_name
        .rsplit('/')
        .next()
        .unwrap_or(arn_or_name)
        .to_owned()
}

/// The planned name of the instance profile `id` of this plan.
pub fn planned_profile_name(cx: &Cx, id: &str) -> String {
    match cx.plan.resource(id).map(|r| &r.kind) {
        Some(ResourceKind::IamInstanceProfile(p)) => p.name.clone(),
        _ => planner_core::ids::key(id).to_owned(),
    }
}

/// How to name the instance profile `id` in a request: its ARN once known, else its name.
pub fn profile_ref(cx: &Cx, id: &str) -> (Option<String>, Option<String>) {
    match cx.live_of(id).and_then(|l| l.arn) {
        Some(arn) => (Some(arn), None),
        None => (None, Some(planned_profile_name(cx, id))),
    }
}

/// Whether an error says the caller may not make the call (a plan without this type is
/// applied with a policy that does not grant its describes).
pub fn denied(e: &dyn ProvideErrorMetadata) -> bool {
    e.code().is_some_and(crate::aws_error::is_denial)
}

/// The AMI id an image of the plan stands for in this region.
pub async fn ami_id(cx: &Cx, id: &str, ami: &Ami) -> Result<String, ApplyError> {
    let name = match ami {
        Ami::Id(a) => return Ok(a.clone()),
        Ami::SsmParameter(p) => p,
    };
    let region = cx.aws.region.clone();
    // Held across the lookup: concurrent creates wait for one batched call.
    let mut cache = AMIS.lock().await;
    if let Some((v, at)) = cache.get(&(region.clone(), name.clone())) {
        trace::follow(*at);
        return Ok(v.clone());
    }
    let mut wanted: Vec<String> = cx
        .plan
        .resources
        .iter()
        .filter_map(|r| match &r.kind {
            ResourceKind::Instance {
                ami: Ami::SsmParameter(p),
                ..
            }
            | ResourceKind::LaunchTemplate {
                ami: Ami::SsmParameter(p),
                ..
            } => Some(p.clone()),
            _ => None,
        })
        .chain(std::iter::once(name.clone()))
        .filter(|p| !cache.contains_key(&(region.clone(), p.clone())))
        .collect();
    wanted.sort();
    wanted.dedup();
    for chunk in wanted.chunks(SSM_BATCH) {
        let out = cx
            .aws
            .ssm(|c| c.get_parameters().set_names(Some(chunk.to_vec())).send())
            .await
            .map_err(|e| ApplyError::sdk(id, e))?;
        let at = trace::current();
        for p in out.parameters() {
            if let (Some(n), Some(v)) = (p.name(), p.value()) {
                cache.insert((region.clone(), n.to_owned()), (v.to_owned(), at));
            }
        }
    }
    cache
        .get(&(region.clone(), name.clone()))
        .map(|(v, _)| v.clone())
        .ok_or_else(|| {
            ApplyError::new(
                id,
                format!("the SSM parameter {name} does not exist in {region}: no image to launch"),
            )
        })
}

/// Looks up, ahead of their creates, the images from SSM parameters the plan's instances and
/// launch templates among `creating` boot (one batched call, as [`ami_id`] makes it), so the
/// creates find them known. A failure is left to the create that needs the image to report.
pub async fn prefetch_images(cx: &Cx, creating: &[&Resource]) {
    let first = creating.iter().find_map(|r| match &r.kind {
        ResourceKind::Instance { ami, .. } | ResourceKind::LaunchTemplate { ami, .. }
            if matches!(ami, Ami::SsmParameter(_)) =>
        {
            Some((r.id.as_str(), ami))
        }
        _ => None,
    });
    if let Some((id, ami)) = first {
        let _ = ami_id(cx, id, ami).await;
    }
}
