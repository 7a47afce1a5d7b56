//! `launch_template`: what a NAT auto-scaling group launches. A change is a new version the
//! group launches from then on (`$Latest`).

use std::collections::BTreeMap;

use aws_sdk_ec2::error::ProvideErrorMetadata;
use aws_sdk_ec2::types::{InstanceType, RequestLaunchTemplateData, ResourceType as Ec2Type};
use planner_core::resource::{Ami, ResourceType};
use planner_core::{Resource, ResourceKind};

use crate::apply::context::Cx;
use crate::apply::model::{
    attr_drift, tag_drift, ApplyError, Drift, Live, LiveRes, ID_TAG, PLAN_TAG,
};
use crate::apply::shared::attrs::{flag, not_a, DISCOVERY};
use crate::apply::shared::compute::{
    ami_id, dash, denied, group_ids, joined, planned_profile_name, profile_name, profile_ref,
};
use crate::apply::shared::ec2::{
    not_found, plan_filter, plan_has, retag, sort_found, tag_map, tag_spec,
};
use crate::apply::shared::pages::all_pages;
use crate::apply::shared::token::fnv;
use crate::events::Event;

/// Deleted once the group launching from it is gone.
pub const DESTROY_RANK: usize = 1;

/// A fingerprint of user data, so drift shows a short value rather than a script.
fn fingerprint(data: Option<&[u8]>) -> String {
    match data.filter(|d| !d.is_empty()) {
        Some(d) => format!("script {}", fnv(d)),
        None => "-".to_owned(),
    }
}

fn live_user_data(encoded: Option<&str>) -> String {
    let decoded = encoded.map(|e| aws_smithy_types::base64::decode(e).unwrap_or_default());
    fingerprint(decoded.as_deref())
}

/// Finds the plan's templates by tag, reading the latest version of each of the plan's.
pub async fn discover(cx: &Cx, live: &mut Live) -> Result<(), ApplyError> {
    let templates = all_pages(|token| {
        cx.aws.ec2(move |c| {
            let req = c
                .describe_launch_templates()
                .filters(plan_filter(cx))
                .set_next_token(token)
                .send();
            async move {
                req.await.map(|o| {
                    (
                        o.launch_templates().to_vec(),
                        o.next_token().map(str::to_owned),
                    )
                })
            }
        })
    })
    .await;
    let templates = match templates {
        Ok(t) => t,
        Err(e) if denied(&e) && !plan_has(cx, ResourceType::LaunchTemplate) => return Ok(()),
        Err(e) => return Err(ApplyError::sdk(DISCOVERY, e)),
    };
    for t in templates {
        let tags = tag_map(t.tags());
        let lt_id = t.launch_template_id().unwrap_or_default().to_owned();
        let ours = tags.get(ID_TAG).is_some_and(|i| {
            cx.plan
                .resource(i)
                .is_some_and(|r| r.kind.resource_type() == ResourceType::LaunchTemplate)
        });
        let mut attrs = BTreeMap::new();
        if ours {
            // What the group launches is the latest version's data.
            let out = cx
                .aws
                .ec2(|c| {
                    c.describe_launch_template_versions()
                        .launch_template_id(&lt_id)
                        .versions("$Latest")
                        .send()
                })
                .await
                .map_err(|e| ApplyError::sdk(DISCOVERY, e))?;
            if let Some(data) = out
                .launch_template_versions()
                .first()
                .and_then(|v| v.launch_template_data())
            {
                let nic = data.network_interfaces().first();
                let groups: Vec<String> = match nic {
                    Some(n) if !n.groups().is_empty() => n.groups().to_vec(),
                    _ => data.security_group_ids().to_vec(),
                };
                let profile = data
                    .iam_instance_profile()
                    .and_then(|p| p.arn().or(p.name()))
                    .map_or_else(|| "-".to_owned(), profile_name);
                for (k, v) in [
                    (
                        "instance_type",
                        dash(data.instance_type().map(InstanceType::as_str)),
                    ),
                    ("image_id", dash(data.image_id())),
                    ("security_groups", joined(groups)),
                    (
                        "associate_public_ip_address",
                        flag(
                            nic.and_then(|n| n.associate_public_ip_address())
                                .unwrap_or(false),
                        ),
                    ),
                    ("iam_instance_profile", profile),
                    ("user_data", live_user_data(data.user_data())),
                ] {
                    attrs.insert(k.to_owned(), v);
                }
            }
        }
        let res = LiveRes {
            aws_id: lt_id,
            arn: None,
            attrs,
            tags,
        };
        sort_found(cx, live, ResourceType::LaunchTemplate, res);
    }
    Ok(())
}

/// Whether an orphan template has this one's name, which AWS keeps unique.
pub fn conflicts(_cx: &Cx, r: &Resource, orphan: &LiveRes) -> bool {
    matches!(&r.kind, ResourceKind::LaunchTemplate { name, .. } if orphan.tags.get("Name") == Some(name))
}

/// How the live template's latest version differs from the plan; all of it is repairable
/// with a new version.
pub fn drift(cx: &Cx, r: &Resource, live: &LiveRes) -> Vec<Drift> {
    let ResourceKind::LaunchTemplate {
        ami,
        instance_type,
        security_groups,
        associate_public_ip_address,
        iam_instance_profile,
        user_data,
        ..
    } = &r.kind
    else {
        return Vec::new();
    };
    let mut want = BTreeMap::new();
    let mut put = |k: &str, v: String| {
        want.insert(k.to_owned(), v);
    };
    put("instance_type", instance_type.clone());
    put("security_groups", group_ids(cx, security_groups));
    put(
        "associate_public_ip_address",
        flag(*associate_public_ip_address),
    );
    put(
        "iam_instance_profile",
        iam_instance_profile
            .as_deref()
            .map_or_else(|| "-".to_owned(), |p| planned_profile_name(cx, p)),
    );
    put(
        "user_data",
        fingerprint(user_data.as_deref().map(str::as_bytes)),
    );
    if let Ami::Id(a) = ami {
        put("image_id", a.clone());
    }
    let mut d = attr_drift(
        &want,
        &live.attrs,
        &[
            "instance_type",
            "security_groups",
            "associate_public_ip_address",
            "iam_instance_profile",
            "user_data",
            "image_id",
        ],
    );
    d.extend(tag_drift(&cx.tags_for(r), &live.tags));
    d
}

/// The launch template data of `r`.
async fn template_data(cx: &Cx, r: &Resource) -> Result<RequestLaunchTemplateData, ApplyError> {
    use aws_sdk_ec2::types::{
        LaunchTemplateIamInstanceProfileSpecificationRequest as Profile,
        LaunchTemplateInstanceNetworkInterfaceSpecificationRequest as Nic,
        LaunchTemplateTagSpecificationRequest as Tags, RequestLaunchTemplateData as Data,
    };
    let ResourceKind::LaunchTemplate {
        ami,
        instance_type,
        security_groups,
        associate_public_ip_address,
        iam_instance_profile,
        user_data,
        ..
    } = &r.kind
    else {
        return Err(not_a(r, ResourceType::LaunchTemplate));
    };
    let id = r.id.as_str();
    let groups: Vec<String> = security_groups
        .iter()
        .map(|g| cx.id_of(g))
        .collect::<Result<_, _>>()?;
    let mut data = Data::builder()
        .image_id(ami_id(cx, id, ami).await?)
        .instance_type(InstanceType::from(instance_type.as_str()))
        .network_interfaces(
            Nic::builder()
                .device_index(0)
                .associate_public_ip_address(*associate_public_ip_address)
                .set_groups(Some(groups))
                .delete_on_termination(true)
                .build(),
        );
    if let Some(p) = iam_instance_profile {
        let (arn, name) = profile_ref(cx, p);
        data = data.iam_instance_profile(Profile::builder().set_arn(arn).set_name(name).build());
    }
    if let Some(u) = user_data {
        data = data.user_data(aws_smithy_types::base64::encode(u));
    }
    // What the group launches is the plan's: its instances, volumes and interfaces carry the
    // plan's tag. Not the template's id or `Name`: those come from the group, propagated at
    // launch, so each group's instance says which group it belongs to.
    for kind in [
        Ec2Type::Instance,
        Ec2Type::Volume,
        Ec2Type::NetworkInterface,
    ] {
        let mut spec = Tags::builder().resource_type(kind);
        for (k, v) in cx.tags_for(r).into_iter().filter(|(k, _)| k == PLAN_TAG) {
            spec = spec.tags(aws_sdk_ec2::types::Tag::builder().key(k).value(v).build());
        }
        data = data.tag_specifications(spec.build());
    }
    Ok(data.build())
}

/// Creates the template (tagged); one of that name is adopted only if it carries the plan's
/// tag (names are unique per region).
pub async fn create(cx: &Cx, r: &Resource) -> Result<LiveRes, ApplyError> {
    let ResourceKind::LaunchTemplate { name, .. } = &r.kind else {
        return Err(not_a(r, ResourceType::LaunchTemplate));
    };
    let id = r.id.as_str();
    let data = template_data(cx, r).await?;
    let out = cx
        .aws
        .ec2(|c| {
            c.create_launch_template()
                .launch_template_name(name)
                .launch_template_data(data)
                .tag_specifications(tag_spec(cx, r, Ec2Type::LaunchTemplate))
                .send()
        })
        .await;
    let lt_id = match out {
        Ok(o) => o
            .launch_template()
            .and_then(|t| t.launch_template_id())
            .unwrap_or_default()
            .to_owned(),
        Err(e) if e.code() == Some("InvalidLaunchTemplateName.AlreadyExistsException") => {
            let out = cx
                .aws
                .ec2(|c| {
                    c.describe_launch_templates()
                        .launch_template_names(name)
                        .send()
                })
                .await
                .map_err(|e| ApplyError::sdk(id, e))?;
            let t = out.launch_templates().first();
            let tags = t.map(|t| tag_map(t.tags())).unwrap_or_default();
            if tags.get(PLAN_TAG) != Some(&cx.plan.design.name) {
                return Err(ApplyError::new(
                    id,
                    format!("a launch template named {name} exists and is not this plan's: rename or delete it"),
                ));
            }
            t.and_then(|t| t.launch_template_id())
                .unwrap_or_default()
                .to_owned()
        }
        Err(e) => return Err(ApplyError::sdk(id, e)),
    };
    Ok(LiveRes {
        aws_id: lt_id,
        tags: cx.tags_for(r),
        ..LiveRes::default()
    })
}

/// Repairs with a new version carrying the plan's data, made the default; re-tags.
pub async fn repair(
    cx: &Cx,
    r: &Resource,
    live: &LiveRes,
    drift: &[Drift],
) -> Result<(), ApplyError> {
    let id = r.id.as_str();
    let tags = drift.iter().any(|d| d.what.starts_with("tag "));
    if drift.iter().any(|d| !d.what.starts_with("tag ")) {
        let data = template_data(cx, r).await?;
        let out = cx
            .aws
            .ec2(|c| {
                c.create_launch_template_version()
                    .launch_template_id(&live.aws_id)
                    .launch_template_data(data)
                    .send()
            })
            .await
            .map_err(|e| ApplyError::sdk(id, e))?;
        let version = out
            .launch_template_version()
            .and_then(|v| v.version_number())
            .ok_or_else(|| ApplyError::new(id, "the new template version has no number"))?;
        cx.aws
            .ec2(|c| {
                c.modify_launch_template()
                    .launch_template_id(&live.aws_id)
                    .default_version(version.to_string())
                    .send()
            })
            .await
            .map_err(|e| ApplyError::sdk(id, e))?;
        cx.events.event(Event::Note {
            message: format!(
                "{id}: instances launched from now on use version {version}; running ones keep theirs until replaced"
            ),
        });
    }
    if tags {
        retag(cx, r, &live.aws_id).await?;
    }
    Ok(())
}

/// Deletes the template; gone already counts as deleted.
pub async fn delete(cx: &Cx, id: &str, live: &LiveRes) -> Result<(), ApplyError> {
    let out = cx
        .aws
        .ec2(|c| {
            c.delete_launch_template()
                .launch_template_id(&live.aws_id)
                .send()
        })
        .await;
    match out {
        Ok(_) => Ok(()),
        Err(e) if not_found(e.code()) => Ok(()),
        Err(e) => Err(ApplyError::sdk(id, e)),
    }
}
