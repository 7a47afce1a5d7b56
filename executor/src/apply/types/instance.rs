//! `instance`: an EC2 instance the plan launches itself (bastion, jump host, NAT instance).
//!
//! Instances an auto-scaling group launches carry the plan's tags too (from the template and
//! the group), but they are the group's, not the plan's: discovery leaves out every instance
//! with an `aws:autoscaling:groupName` tag.

use std::collections::BTreeMap;
use std::time::Duration;

use aws_sdk_ec2::error::ProvideErrorMetadata;
use aws_sdk_ec2::types::{
    AttributeBooleanValue, Filter, InstanceStateName, InstanceType, ResourceType as Ec2Type,
};
use planner_core::resource::{Ami, ResourceType};
use planner_core::{Resource, ResourceKind};

use crate::apply::context::Cx;
use crate::apply::model::{attr_drift, tag_drift, ApplyError, Drift, Live, LiveRes};
use crate::apply::shared::attrs::{flag, not_a, DISCOVERY};
use crate::apply::shared::compute::{
    ami_id, dash, denied, group_ids, joined, planned_profile_name, profile_name, profile_ref,
    PROPAGATION_TIMEOUT,
};
use crate::apply::shared::ec2::{plan_filter, plan_has, retag, sort_found, tag_map, tag_spec};
use crate::apply::shared::pages::all_pages;
use crate::apply::shared::token::{client_token, fnv};
use crate::apply::shared::wait::Backoff;

/// Terminated (and waited for) first: its security groups cannot go while it holds them.
pub const DESTROY_RANK: usize = 0;

/// How long AWS may take to run or terminate an instance.
const INSTANCE_TIMEOUT: Duration = Duration::from_secs(10 * 60);
/// The tag AWS puts on the instances of an auto-scaling group.
const GROUP_NAME_TAG: &str = "aws:autoscaling:groupName";

/// Finds the plan's instances by tag, those not stopped or gone, leaving out the instances of
/// auto-scaling groups.
pub async fn discover(cx: &Cx, live: &mut Live) -> Result<(), ApplyError> {
    let states = Filter::builder()
        .name("instance-state-name")
        .set_values(Some(
            ["pending", "running", "stopping", "stopped"]
                .map(str::to_owned)
                .to_vec(),
        ))
        .build();
    let reservations = all_pages(|token| {
        let states = states.clone();
        cx.aws.ec2(move |c| {
            let req = c
                .describe_instances()
                .filters(plan_filter(cx))
                .filters(states)
                .set_next_token(token)
                .send();
            async move {
                req.await
                    .map(|o| (o.reservations().to_vec(), o.next_token().map(str::to_owned)))
            }
        })
    })
    .await;
    let reservations = match reservations {
        Ok(r) => r,
        Err(e) if denied(&e) && !plan_has(cx, ResourceType::Instance) => return Ok(()),
        Err(e) => return Err(ApplyError::sdk(DISCOVERY, e)),
    };
    for i in reservations.iter().flat_map(|r| r.instances()) {
        let tags = tag_map(i.tags());
        if tags.contains_key(GROUP_NAME_TAG) {
            continue; // an auto-scaling group's: the group is the plan's resource
        }
        let primary = i
            .network_interfaces()
            .iter()
            .find(|n| n.attachment().and_then(|a| a.device_index()) == Some(0));
        let groups: Vec<String> = match primary {
            Some(n) => n
                .groups()
                .iter()
                .filter_map(|g| g.group_id().map(str::to_owned))
                .collect(),
            None => i
                .security_groups()
                .iter()
                .filter_map(|g| g.group_id().map(str::to_owned))
                .collect(),
        };
        let attrs: BTreeMap<String, String> = [
            (
                "instance_type",
                dash(i.instance_type().map(InstanceType::as_str)),
            ),
            ("subnet", dash(i.subnet_id())),
            (
                "source_dest_check",
                flag(i.source_dest_check().unwrap_or(true)),
            ),
            ("security_groups", joined(groups)),
            (
                "iam_instance_profile",
                i.iam_instance_profile()
                    .and_then(|p| p.arn())
                    .map_or_else(|| "-".to_owned(), profile_name),
            ),
            ("key_name", dash(i.key_name())),
            ("image_id", dash(i.image_id())),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let res = LiveRes {
            aws_id: i.instance_id().unwrap_or_default().to_owned(),
            arn: None,
            attrs,
            tags,
        };
        sort_found(cx, live, ResourceType::Instance, res);
    }
    Ok(())
}

/// Nothing the plan no longer has stands in the way of creating one.
pub fn conflicts(_cx: &Cx, _r: &Resource, _orphan: &LiveRes) -> bool {
    false
}

/// How the live instance differs: its source/destination check and security groups can be
/// repaired in place, the rest cannot.
pub fn drift(cx: &Cx, r: &Resource, live: &LiveRes) -> Vec<Drift> {
    let ResourceKind::Instance {
        subnet,
        ami,
        instance_type,
        security_groups,
        source_dest_check,
        iam_instance_profile,
        key_name,
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
    put(
        "subnet",
        cx.id_of(subnet).unwrap_or_else(|_| "-".to_owned()),
    );
    put("source_dest_check", flag(*source_dest_check));
    put("security_groups", group_ids(cx, security_groups));
    put(
        "iam_instance_profile",
        iam_instance_profile
            .as_deref()
            .map_or_else(|| "-".to_owned(), |p| planned_profile_name(cx, p)),
    );
    put("key_name", dash(key_name.as_deref()));
    // An image from an SSM parameter moves on as AWS publishes new ones: not drift.
    if let Ami::Id(a) = ami {
        put("image_id", a.clone());
    }
    let mut d = attr_drift(
        &want,
        &live.attrs,
        &["source_dest_check", "security_groups"],
    );
    d.extend(tag_drift(&cx.tags_for(r), &live.tags));
    d
}

/// Whether a launch failed only because something just created is not visible to EC2 yet.
fn not_propagated(e: &dyn ProvideErrorMetadata) -> bool {
    match e.code() {
        Some("InvalidGroup.NotFound" | "InvalidSubnetID.NotFound") => true,
        Some("InvalidParameterValue") => e.message().is_some_and(|m| {
            let m = m.to_ascii_lowercase();
            m.contains("instance profile") || m.contains("iaminstanceprofile")
        }),
        _ => false,
    }
}

/// Launches the instance (tagged, with its volumes and interface, in the same request) and
/// waits until it runs.
pub async fn create(cx: &Cx, r: &Resource) -> Result<LiveRes, ApplyError> {
    let ResourceKind::Instance {
        subnet,
        ami,
        instance_type,
        security_groups,
        associate_public_ip_address,
        source_dest_check,
        iam_instance_profile,
        key_name,
        user_data,
        ..
    } = &r.kind
    else {
        return Err(not_a(r, ResourceType::Instance));
    };
    let id = r.id.as_str();
    let image = ami_id(cx, id, ami).await?;
    let groups: Vec<String> = security_groups
        .iter()
        .map(|g| cx.id_of(g))
        .collect::<Result<_, _>>()?;
    // One interface spec carries subnet, groups and the public address choice, so a public
    // tier's default does not decide it.
    let nic = aws_sdk_ec2::types::InstanceNetworkInterfaceSpecification::builder()
        .device_index(0)
        .subnet_id(cx.id_of(subnet)?)
        .set_groups(Some(groups))
        .associate_public_ip_address(*associate_public_ip_address)
        .delete_on_termination(true)
        .build();
    let profile = iam_instance_profile.as_deref().map(|p| {
        let (arn, name) = profile_ref(cx, p);
        aws_sdk_ec2::types::IamInstanceProfileSpecification::builder()
            .set_arn(arn)
            .set_name(name)
            .build()
    });
    // The idempotency token covers the plan id and what is launched: a retry after a crash
    // returns the same instance, a changed plan launches a new one rather than failing with
    // IdempotentParameterMismatch. When the token's instance has been terminated since (by
    // hand, or by a destroy), the next token of the chain launches a new one.
    let mut salt = fnv(format!(
        "{image}|{instance_type}|{nic:?}|{profile:?}|{key_name:?}|{user_data:?}"
    )
    .as_bytes());
    let mut hops = 0;
    let mut backoff = Backoff::doubling(
        cx,
        id,
        "the instance profile or security groups to reach EC2",
        Duration::from_secs(2),
        Duration::from_secs(20),
    );
    let instance = loop {
        let token = client_token(cx, &format!("{id}|{salt}"));
        let out = cx
            .aws
            .ec2(|c| {
                c.run_instances()
                    .image_id(&image)
                    .instance_type(InstanceType::from(instance_type.as_str()))
                    .min_count(1)
                    .max_count(1)
                    .client_token(token)
                    .network_interfaces(nic.clone())
                    .tag_specifications(tag_spec(cx, r, Ec2Type::Instance))
                    .tag_specifications(tag_spec(cx, r, Ec2Type::Volume))
                    .tag_specifications(tag_spec(cx, r, Ec2Type::NetworkInterface))
                    .set_iam_instance_profile(profile.clone())
                    .set_key_name(key_name.clone())
                    .set_user_data(user_data.as_ref().map(aws_smithy_types::base64::encode))
                    .send()
            })
            .await;
        let out = match out {
            Ok(o) => o,
            Err(e) if not_propagated(&e) && backoff.elapsed() < PROPAGATION_TIMEOUT => {
                backoff.pause().await;
                continue;
            }
            Err(e) => return Err(ApplyError::sdk(id, e)),
        };
        let Some(i) = out.instances().first() else {
            return Err(ApplyError::new(id, "RunInstances returned no instance"));
        };
        let iid = i.instance_id().unwrap_or_default().to_owned();
        let gone = matches!(
            i.state().and_then(|s| s.name()),
            Some(InstanceStateName::ShuttingDown | InstanceStateName::Terminated)
        );
        if gone && hops < 100 {
            hops += 1;
            salt = fnv(format!("{salt}|{iid}").as_bytes());
            continue;
        }
        break iid;
    };
    wait_instance(cx, id, &instance, false).await?;
    if !*source_dest_check {
        set_source_dest_check(cx, id, &instance, false).await?;
    }
    Ok(LiveRes {
        aws_id: instance,
        tags: cx.tags_for(r),
        ..LiveRes::default()
    })
}

async fn set_source_dest_check(
    cx: &Cx,
    id: &str,
    instance: &str,
    on: bool,
) -> Result<(), ApplyError> {
    cx.aws
        .ec2(|c| {
            c.modify_instance_attribute()
                .instance_id(instance)
                .source_dest_check(AttributeBooleanValue::builder().value(on).build())
                .send()
        })
        .await
        .map_err(|e| ApplyError::sdk(id, e))?;
    Ok(())
}

/// Waits until `instance` runs (or, with `terminated`, is gone).
async fn wait_instance(
    cx: &Cx,
    id: &str,
    instance: &str,
    terminated: bool,
) -> Result<(), ApplyError> {
    use InstanceStateName as S;
    let what = if terminated {
        "instance to terminate"
    } else {
        "instance to run"
    };
    let mut backoff = Backoff::doubling(
        cx,
        id,
        what,
        Duration::from_millis(500),
        Duration::from_secs(10),
    );
    loop {
        let out = cx
            .aws
            .ec2(|c| c.describe_instances().instance_ids(instance).send())
            .await;
        let state = match out {
            Ok(o) => o
                .reservations()
                .iter()
                .flat_map(|r| r.instances())
                .find(|i| i.instance_id() == Some(instance))
                .and_then(|i| i.state().and_then(|s| s.name()).cloned()),
            // Just launched and not visible yet, or long gone.
            Err(e) if e.code() == Some("InvalidInstanceID.NotFound") => {
                if terminated {
                    return Ok(());
                }
                None
            }
            Err(e) => return Err(ApplyError::sdk(id, e)),
        };
        match (state, terminated) {
            (Some(S::Running), false) | (Some(S::Terminated), true) => return Ok(()),
            (Some(S::ShuttingDown | S::Terminated), false) => {
                return Err(ApplyError::new(
                    id,
                    format!("instance {instance} stopped right after launch (look at its state reason in the console)"),
                ))
            }
            (Some(S::Stopped | S::Stopping), false) => {
                return Err(ApplyError::new(
                    id,
                    format!("instance {instance} is stopped: start it, or destroy and re-create it"),
                ))
            }
            _ => {}
        }
        if backoff.elapsed() > INSTANCE_TIMEOUT {
            return Err(ApplyError::new(
                id,
                format!(
                    "instance {instance} did not {} in {} minutes",
                    if terminated { "terminate" } else { "start" },
                    INSTANCE_TIMEOUT.as_secs() / 60
                ),
            ));
        }
        backoff.pause().await;
    }
}

/// Repairs the source/destination check, security groups and tags in place.
pub async fn repair(
    cx: &Cx,
    r: &Resource,
    live: &LiveRes,
    drift: &[Drift],
) -> Result<(), ApplyError> {
    let ResourceKind::Instance {
        security_groups, ..
    } = &r.kind
    else {
        return Err(not_a(r, ResourceType::Instance));
    };
    let id = r.id.as_str();
    let tags = drift.iter().any(|d| d.what.starts_with("tag "));
    for d in drift.iter().filter(|d| !d.what.starts_with("tag ")) {
        match d.what.as_str() {
            "source_dest_check" => {
                set_source_dest_check(cx, id, &live.aws_id, d.plan == "true").await?;
            }
            "security_groups" => {
                let groups: Vec<String> = security_groups
                    .iter()
                    .map(|g| cx.id_of(g))
                    .collect::<Result<_, _>>()?;
                cx.aws
                    .ec2(|c| {
                        c.modify_instance_attribute()
                            .instance_id(&live.aws_id)
                            .set_groups(Some(groups))
                            .send()
                    })
                    .await
                    .map_err(|e| ApplyError::sdk(id, e))?;
            }
            _ => return Err(ApplyError::new(id, format!("cannot repair {d}"))),
        }
    }
    if tags {
        retag(cx, r, &live.aws_id).await?;
    }
    Ok(())
}

/// Terminates the instance and waits until it is gone (its security groups cannot be deleted
/// while it holds them); gone already counts as deleted.
pub async fn delete(cx: &Cx, id: &str, live: &LiveRes) -> Result<(), ApplyError> {
    let aws_id = live.aws_id.as_str();
    let out = cx
        .aws
        .ec2(|c| c.terminate_instances().instance_ids(aws_id).send())
        .await;
    match out {
        Ok(_) => {}
        Err(e) if e.code() == Some("InvalidInstanceID.NotFound") => return Ok(()),
        Err(e) => return Err(ApplyError::sdk(id, e)),
    }
    wait_instance(cx, id, aws_id, true).await
}
