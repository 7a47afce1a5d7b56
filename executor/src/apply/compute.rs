//! Compute: instances, launch templates and auto-scaling groups, and the images they boot.
//!
//! Instances the plan launches itself carry its tags like every other resource. Instances an
//! auto-scaling group launches carry them too (from the template and the group), but they are
//! the group's, not the plan's: discovery leaves out every instance with an
//! `aws:autoscaling:groupName` tag, and the group is what is compared, repaired and deleted.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use aws_sdk_ec2::error::ProvideErrorMetadata;
use aws_sdk_ec2::types::{
    AttributeBooleanValue, Filter, InstanceStateName, InstanceType, ResourceType,
};
use planner_core::resource::Ami;
use planner_core::{Resource, ResourceKind};

use super::model::{attr_drift, tag_drift, ApplyError, Drift, Live, LiveRes, PLAN_TAG};
use super::net::client_token;
use super::ops::{plan_filter, retag, sort_found, tag_map, tag_spec};
use super::Cx;
use crate::events::Event;

/// How long AWS may take to run or terminate an instance.
const INSTANCE_TIMEOUT: Duration = Duration::from_secs(10 * 60);
/// How long an auto-scaling group may take to have an instance in service, or to go away.
const GROUP_TIMEOUT: Duration = Duration::from_secs(15 * 60);
/// How long a just-created instance profile or security group may stay invisible to EC2.
const PROPAGATION_TIMEOUT: Duration = Duration::from_secs(3 * 60);
/// The tag AWS puts on the instances of an auto-scaling group.
const GROUP_NAME_TAG: &str = "aws:autoscaling:groupName";
/// SSM GetParameters takes at most this many names.
const SSM_BATCH: usize = 10;

/// Images resolved from SSM parameters, by (region, parameter): one lookup per run.
static AMIS: tokio::sync::Mutex<BTreeMap<(String, String), String>> =
    tokio::sync::Mutex::const_new(BTreeMap::new());

fn b(v: bool) -> String {
    v.to_string()
}

fn dash(v: Option<&str>) -> String {
    v.filter(|s| !s.is_empty()).unwrap_or("-").to_owned()
}

/// FNV-1a: a short, stable digest.
fn fnv(data: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in data {
        h ^= u64::from(*byte);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

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

/// The name of an instance profile from its ARN (`…:instance-profile/path/name`) or name.
fn profile_name(arn_or_name: &str) -> String {
    arn_or_name
        .rsplit('/')
        .next()
        .unwrap_or(arn_or_name)
        .to_owned()
}

/// The planned name of the instance profile `id` of this plan.
fn planned_profile_name(cx: &Cx, id: &str) -> String {
    match cx.plan.resource(id).map(|r| &r.kind) {
        Some(ResourceKind::IamInstanceProfile(p)) => p.name.clone(),
        _ => id
            .strip_prefix("iam_instance_profile.")
            .unwrap_or(id)
            .to_owned(),
    }
}

/// How to name the instance profile `id` in a request: its ARN once known, else its name.
fn profile_ref(cx: &Cx, id: &str) -> (Option<String>, Option<String>) {
    match cx.live_of(id).and_then(|l| l.arn) {
        Some(arn) => (Some(arn), None),
        None => (None, Some(planned_profile_name(cx, id))),
    }
}

/// Security group ids of `groups`, sorted and comma-joined; `-` where one is not known yet.
fn group_ids(cx: &Cx, groups: &[String]) -> String {
    let mut ids: Vec<String> = groups
        .iter()
        .map(|g| cx.id_of(g).unwrap_or_else(|_| "-".to_owned()))
        .collect();
    ids.sort();
    ids.join(",")
}

fn joined(mut ids: Vec<String>) -> String {
    ids.sort();
    ids.join(",")
}

/// Whether an error says the caller may not make the call (a plan without this type is
/// applied with a policy that does not grant its describes).
fn denied(e: &dyn ProvideErrorMetadata) -> bool {
    matches!(
        e.code(),
        Some("UnauthorizedOperation" | "AccessDenied" | "AccessDeniedException")
    )
}

fn has_type(cx: &Cx, types: &[&str]) -> bool {
    cx.plan
        .resources
        .iter()
        .any(|r| types.contains(&r.kind.type_name()))
}

fn waiting(cx: &Cx, id: &str, what: &str) {
    cx.events.event(Event::Waiting {
        id: id.to_owned(),
        what: what.to_owned(),
    });
}

/// The AMI id an image of the plan stands for in this region.
async fn ami_id(cx: &Cx, id: &str, ami: &Ami) -> Result<String, ApplyError> {
    let name = match ami {
        Ami::Id(a) => return Ok(a.clone()),
        Ami::SsmParameter(p) => p,
    };
    let region = cx.aws.region.clone();
    // Held across the lookup: concurrent creates wait for one batched call.
    let mut cache = AMIS.lock().await;
    if let Some(v) = cache.get(&(region.clone(), name.clone())) {
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
        let out = {
            let _p = cx.permit().await;
            cx.aws
                .ssm
                .get_parameters()
                .set_names(Some(chunk.to_vec()))
                .send()
                .await
                .map_err(|e| ApplyError::sdk(id, e))?
        };
        for p in out.parameters() {
            if let (Some(n), Some(v)) = (p.name(), p.value()) {
                cache.insert((region.clone(), n.to_owned()), v.to_owned());
            }
        }
    }
    cache
        .get(&(region.clone(), name.clone()))
        .cloned()
        .ok_or_else(|| {
            ApplyError::new(
                id,
                format!("the SSM parameter {name} does not exist in {region}: no image to launch"),
            )
        })
}

/// Finds the plan's instances, launch templates and auto-scaling groups.
pub async fn discover(cx: &Cx, live: &mut Live) -> Result<(), ApplyError> {
    discover_instances(cx, live).await?;
    discover_templates(cx, live).await?;
    discover_groups(cx, live).await?;
    Ok(())
}

async fn discover_instances(cx: &Cx, live: &mut Live) -> Result<(), ApplyError> {
    let id = "discovery";
    let states = Filter::builder()
        .name("instance-state-name")
        .set_values(Some(
            ["pending", "running", "stopping", "stopped"]
                .map(str::to_owned)
                .to_vec(),
        ))
        .build();
    let mut token: Option<String> = None;
    loop {
        let out = {
            let _p = cx.permit().await;
            cx.aws
                .ec2
                .describe_instances()
                .filters(plan_filter(cx))
                .filters(states.clone())
                .set_next_token(token.clone())
                .send()
                .await
        };
        let out = match out {
            Ok(o) => o,
            Err(e) if denied(&e) && !has_type(cx, &["instance"]) => return Ok(()),
            Err(e) => return Err(ApplyError::sdk(id, e)),
        };
        for i in out.reservations().iter().flat_map(|r| r.instances()) {
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
                    b(i.source_dest_check().unwrap_or(true)),
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
            sort_found(cx, live, "instance", res);
        }
        token = out
            .next_token()
            .filter(|t| !t.is_empty())
            .map(str::to_owned);
        if token.is_none() {
            return Ok(());
        }
    }
}

async fn discover_templates(cx: &Cx, live: &mut Live) -> Result<(), ApplyError> {
    let id = "discovery";
    let mut token: Option<String> = None;
    let mut templates = Vec::new();
    loop {
        let out = {
            let _p = cx.permit().await;
            cx.aws
                .ec2
                .describe_launch_templates()
                .filters(plan_filter(cx))
                .set_next_token(token.clone())
                .send()
                .await
        };
        let out = match out {
            Ok(o) => o,
            Err(e) if denied(&e) && !has_type(cx, &["launch_template"]) => return Ok(()),
            Err(e) => return Err(ApplyError::sdk(id, e)),
        };
        templates.extend(out.launch_templates().iter().cloned());
        token = out
            .next_token()
            .filter(|t| !t.is_empty())
            .map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    for t in templates {
        let tags = tag_map(t.tags());
        let lt_id = t.launch_template_id().unwrap_or_default().to_owned();
        let ours = tags.get(super::model::ID_TAG).is_some_and(|i| {
            cx.plan
                .resource(i)
                .is_some_and(|r| r.kind.type_name() == "launch_template")
        });
        let mut attrs = BTreeMap::new();
        if ours {
            // What the group launches is the latest version's data.
            let out = {
                let _p = cx.permit().await;
                cx.aws
                    .ec2
                    .describe_launch_template_versions()
                    .launch_template_id(&lt_id)
                    .versions("$Latest")
                    .send()
                    .await
                    .map_err(|e| ApplyError::sdk(id, e))?
            };
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
                        b(nic
                            .and_then(|n| n.associate_public_ip_address())
                            .unwrap_or(false)),
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
        sort_found(cx, live, "launch_template", res);
    }
    Ok(())
}

async fn discover_groups(cx: &Cx, live: &mut Live) -> Result<(), ApplyError> {
    let id = "discovery";
    let filter = aws_sdk_autoscaling::types::Filter::builder()
        .name(format!("tag:{PLAN_TAG}"))
        .values(cx.plan.design.name.clone())
        .build();
    let mut token: Option<String> = None;
    loop {
        let out = {
            let _p = cx.permit().await;
            cx.aws
                .autoscaling
                .describe_auto_scaling_groups()
                .filters(filter.clone())
                .set_next_token(token.clone())
                .send()
                .await
        };
        let out = match out {
            Ok(o) => o,
            Err(e) if denied(&e) && !has_type(cx, &["autoscaling_group"]) => return Ok(()),
            Err(e) => return Err(ApplyError::sdk(id, e)),
        };
        for g in out.auto_scaling_groups() {
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
            sort_found(cx, live, "autoscaling_group", res);
        }
        token = out
            .next_token()
            .filter(|t| !t.is_empty())
            .map(str::to_owned);
        if token.is_none() {
            return Ok(());
        }
    }
}

/// The attributes of `r` the account must show, and which of them `run` can repair.
fn expected(cx: &Cx, r: &Resource) -> (BTreeMap<String, String>, &'static [&'static str]) {
    let mut want = BTreeMap::new();
    let mut put = |k: &str, v: String| {
        want.insert(k.to_owned(), v);
    };
    let repairable: &'static [&'static str] = match &r.kind {
        ResourceKind::Instance {
            subnet,
            ami,
            instance_type,
            security_groups,
            source_dest_check,
            iam_instance_profile,
            key_name,
            ..
        } => {
            put("instance_type", instance_type.clone());
            put(
                "subnet",
                cx.id_of(subnet).unwrap_or_else(|_| "-".to_owned()),
            );
            put("source_dest_check", b(*source_dest_check));
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
            &["source_dest_check", "security_groups"]
        }
        ResourceKind::LaunchTemplate {
            ami,
            instance_type,
            security_groups,
            associate_public_ip_address,
            iam_instance_profile,
            user_data,
            ..
        } => {
            put("instance_type", instance_type.clone());
            put("security_groups", group_ids(cx, security_groups));
            put(
                "associate_public_ip_address",
                b(*associate_public_ip_address),
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
            &[
                "instance_type",
                "security_groups",
                "associate_public_ip_address",
                "iam_instance_profile",
                "user_data",
                "image_id",
            ]
        }
        ResourceKind::AutoscalingGroup {
            launch_template,
            subnet,
            size,
            ..
        } => {
            put("min_size", size.to_string());
            put("max_size", size.to_string());
            put("desired_capacity", size.to_string());
            put(
                "subnet",
                cx.id_of(subnet).unwrap_or_else(|_| "-".to_owned()),
            );
            put(
                "launch_template",
                cx.id_of(launch_template).unwrap_or_else(|_| "-".to_owned()),
            );
            put("launch_template_version", "$Latest".to_owned());
            &[
                "min_size",
                "max_size",
                "desired_capacity",
                "subnet",
                "launch_template",
                "launch_template_version",
            ]
        }
        _ => &[],
    };
    (want, repairable)
}

/// How the live resource differs from the plan.
pub fn drift(cx: &Cx, r: &Resource, live: &LiveRes) -> Vec<Drift> {
    let (want, repairable) = expected(cx, r);
    let mut d = attr_drift(&want, &live.attrs, repairable);
    if let Some(status) = live.attrs.get("status") {
        d.push(Drift {
            what: "status".to_owned(),
            live: status.clone(),
            plan: "-".to_owned(),
            repairable: false,
        });
    }
    d.extend(tag_drift(&cx.tags_for(r), &live.tags));
    d
}

/// Creates one resource.
pub async fn create(cx: &Cx, r: &Resource) -> Result<LiveRes, ApplyError> {
    match &r.kind {
        ResourceKind::Instance { .. } => create_instance(cx, r).await,
        ResourceKind::LaunchTemplate { .. } => create_template(cx, r).await,
        ResourceKind::AutoscalingGroup { .. } => create_group(cx, r).await,
        other => Err(ApplyError::new(
            &r.id,
            format!("{} is not a compute resource", other.type_name()),
        )),
    }
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

async fn create_instance(cx: &Cx, r: &Resource) -> Result<LiveRes, ApplyError> {
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
        unreachable!("create dispatches instances here")
    };
    let id = r.id.as_str();
    let ec2 = &cx.aws.ec2;
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
    let started = Instant::now();
    let mut delay = Duration::from_secs(2);
    let instance = loop {
        let token = client_token(cx, &format!("{id}|{salt}"));
        let mut req = ec2
            .run_instances()
            .image_id(&image)
            .instance_type(InstanceType::from(instance_type.as_str()))
            .min_count(1)
            .max_count(1)
            .client_token(token)
            .network_interfaces(nic.clone())
            .tag_specifications(tag_spec(cx, r, ResourceType::Instance))
            .tag_specifications(tag_spec(cx, r, ResourceType::Volume))
            .tag_specifications(tag_spec(cx, r, ResourceType::NetworkInterface))
            .set_iam_instance_profile(profile.clone())
            .set_key_name(key_name.clone());
        if let Some(data) = user_data {
            req = req.user_data(aws_smithy_types::base64::encode(data));
        }
        let out = {
            let _p = cx.permit().await;
            req.send().await
        };
        let out = match out {
            Ok(o) => o,
            Err(e) if not_propagated(&e) && started.elapsed() < PROPAGATION_TIMEOUT => {
                if delay == Duration::from_secs(2) {
                    waiting(
                        cx,
                        id,
                        "the instance profile or security groups to reach EC2",
                    );
                }
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(20));
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
    let _p = cx.permit().await;
    cx.aws
        .ec2
        .modify_instance_attribute()
        .instance_id(instance)
        .source_dest_check(AttributeBooleanValue::builder().value(on).build())
        .send()
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
    let start = Instant::now();
    let mut delay = Duration::from_millis(500);
    let mut said = false;
    loop {
        let out = {
            let _p = cx.permit().await;
            cx.aws
                .ec2
                .describe_instances()
                .instance_ids(instance)
                .send()
                .await
        };
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
        if start.elapsed() > INSTANCE_TIMEOUT {
            return Err(ApplyError::new(
                id,
                format!(
                    "instance {instance} did not {} in {} minutes",
                    if terminated { "terminate" } else { "start" },
                    INSTANCE_TIMEOUT.as_secs() / 60
                ),
            ));
        }
        if !said {
            let what = if terminated {
                "instance to terminate"
            } else {
                "instance to run"
            };
            waiting(cx, id, what);
            said = true;
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(10));
    }
}

/// The launch template data of `r`.
async fn template_data(
    cx: &Cx,
    r: &Resource,
) -> Result<aws_sdk_ec2::types::RequestLaunchTemplateData, ApplyError> {
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
        unreachable!("launch template data of a launch template")
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
        ResourceType::Instance,
        ResourceType::Volume,
        ResourceType::NetworkInterface,
    ] {
        let mut spec = Tags::builder().resource_type(kind);
        for (k, v) in cx
            .tags_for(r)
            .into_iter()
            .filter(|(k, _)| k == super::model::PLAN_TAG)
        {
            spec = spec.tags(aws_sdk_ec2::types::Tag::builder().key(k).value(v).build());
        }
        data = data.tag_specifications(spec.build());
    }
    Ok(data.build())
}

async fn create_template(cx: &Cx, r: &Resource) -> Result<LiveRes, ApplyError> {
    let ResourceKind::LaunchTemplate { name, .. } = &r.kind else {
        unreachable!("create dispatches launch templates here")
    };
    let id = r.id.as_str();
    let data = template_data(cx, r).await?;
    let out = {
        let _p = cx.permit().await;
        cx.aws
            .ec2
            .create_launch_template()
            .launch_template_name(name)
            .launch_template_data(data)
            .tag_specifications(tag_spec(cx, r, ResourceType::LaunchTemplate))
            .send()
            .await
    };
    let lt_id = match out {
        Ok(o) => o
            .launch_template()
            .and_then(|t| t.launch_template_id())
            .unwrap_or_default()
            .to_owned(),
        Err(e) if e.code() == Some("InvalidLaunchTemplateName.AlreadyExistsException") => {
            // Names are unique per region: it is this plan's only if it carries the plan's tags.
            let out = {
                let _p = cx.permit().await;
                cx.aws
                    .ec2
                    .describe_launch_templates()
                    .launch_template_names(name)
                    .send()
                    .await
                    .map_err(|e| ApplyError::sdk(id, e))?
            };
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

fn group_tags(cx: &Cx, r: &Resource, name: &str) -> Vec<aws_sdk_autoscaling::types::Tag> {
    cx.tags_for(r)
        .into_iter()
        .map(|(k, v)| {
            aws_sdk_autoscaling::types::Tag::builder()
                .resource_id(name)
                .resource_type("auto-scaling-group")
                .key(k)
                .value(v)
                .propagate_at_launch(true)
                .build()
        })
        .collect()
}

fn template_spec(lt_id: String) -> aws_sdk_autoscaling::types::LaunchTemplateSpecification {
    aws_sdk_autoscaling::types::LaunchTemplateSpecification::builder()
        .launch_template_id(lt_id)
        .version("$Latest")
        .build()
}

async fn create_group(cx: &Cx, r: &Resource) -> Result<LiveRes, ApplyError> {
    let ResourceKind::AutoscalingGroup {
        name,
        launch_template,
        subnet,
        size,
        ..
    } = &r.kind
    else {
        unreachable!("create dispatches auto-scaling groups here")
    };
    let id = r.id.as_str();
    let size = i32::try_from(*size).unwrap_or(i32::MAX);
    let (lt_id, subnet_id) = (cx.id_of(launch_template)?, cx.id_of(subnet)?);
    let started = Instant::now();
    let mut delay = Duration::from_secs(2);
    let out = loop {
        let out = {
            let _p = cx.permit().await;
            cx.aws
                .autoscaling
                .create_auto_scaling_group()
                .auto_scaling_group_name(name)
                .launch_template(template_spec(lt_id.clone()))
                .vpc_zone_identifier(&subnet_id)
                .min_size(size)
                .max_size(size)
                .desired_capacity(size)
                .set_tags(Some(group_tags(cx, r, name)))
                .send()
                .await
        };
        // A template, subnet or instance profile made a moment ago may not be visible yet.
        let early = |e: &dyn ProvideErrorMetadata| {
            e.code() == Some("ValidationError")
                && e.message().is_some_and(|m| {
                    let m = m.to_ascii_lowercase();
                    m.contains("does not exist") || m.contains("instance profile")
                })
        };
        match out {
            Err(e) if early(&e) && started.elapsed() < PROPAGATION_TIMEOUT => {
                if delay == Duration::from_secs(2) {
                    waiting(
                        cx,
                        id,
                        "the launch template and subnet to reach Auto Scaling",
                    );
                }
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(20));
            }
            out => break out,
        }
    };
    match out {
        Ok(_) => {}
        // Made by an earlier run (created with its tags in one call): applied, if it is ours.
        Err(e) if e.code() == Some("AlreadyExists") => {
            let out = {
                let _p = cx.permit().await;
                cx.aws
                    .autoscaling
                    .describe_auto_scaling_groups()
                    .auto_scaling_group_names(name)
                    .send()
                    .await
                    .map_err(|e| ApplyError::sdk(id, e))?
            };
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
    let arn = if size > 0 {
        wait_in_service(cx, id, name).await?.1
    } else {
        None
    };
    Ok(LiveRes {
        aws_id: name.clone(),
        arn,
        tags: cx.tags_for(r),
        ..LiveRes::default()
    })
}

/// The instance an auto-scaling group of one runs now, waiting for it to be in service.
pub async fn group_instance(cx: &Cx, id: &str, group: &str) -> Result<String, ApplyError> {
    let name = match cx.live_of(group) {
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
async fn wait_in_service(
    cx: &Cx,
    id: &str,
    name: &str,
) -> Result<(String, Option<String>), ApplyError> {
    use aws_sdk_autoscaling::types::LifecycleState as L;
    let start = Instant::now();
    // Short first polls: the group's instance is often there at once; the delay doubles.
    let mut delay = Duration::from_millis(250);
    let mut said = false;
    let mut missing = 0;
    loop {
        let out = {
            let _p = cx.permit().await;
            cx.aws
                .autoscaling
                .describe_auto_scaling_groups()
                .auto_scaling_group_names(name)
                .send()
                .await
                .map_err(|e| ApplyError::sdk(id, e))?
        };
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
        if start.elapsed() > GROUP_TIMEOUT {
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
        if !said {
            waiting(
                cx,
                id,
                &format!("auto-scaling group {name} to run an instance"),
            );
            said = true;
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(15));
    }
}

/// The first of `ids` that EC2 says is running.
async fn running_one(cx: &Cx, id: &str, ids: Vec<String>) -> Result<Option<String>, ApplyError> {
    let out = {
        let _p = cx.permit().await;
        cx.aws
            .ec2
            .describe_instances()
            .set_instance_ids(Some(ids))
            .send()
            .await
    };
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
    let out = {
        let _p = cx.permit().await;
        cx.aws
            .autoscaling
            .describe_scaling_activities()
            .auto_scaling_group_name(name)
            .max_records(5)
            .send()
            .await
            .ok()?
    };
    out.activities()
        .iter()
        .find(|a| {
            a.status_code() == Some(&aws_sdk_autoscaling::types::ScalingActivityStatusCode::Failed)
        })
        .and_then(|a| a.status_message().or(a.description()).map(str::to_owned))
}

/// Repairs drift in place.
pub async fn repair(
    cx: &Cx,
    r: &Resource,
    live: &LiveRes,
    drift: &[Drift],
) -> Result<(), ApplyError> {
    let id = r.id.as_str();
    let tags = drift.iter().any(|d| d.what.starts_with("tag "));
    let attrs: Vec<&Drift> = drift
        .iter()
        .filter(|d| !d.what.starts_with("tag "))
        .collect();
    match &r.kind {
        ResourceKind::Instance {
            security_groups, ..
        } => {
            for d in attrs {
                match d.what.as_str() {
                    "source_dest_check" => {
                        set_source_dest_check(cx, id, &live.aws_id, d.plan == "true").await?;
                    }
                    "security_groups" => {
                        let groups: Vec<String> = security_groups
                            .iter()
                            .map(|g| cx.id_of(g))
                            .collect::<Result<_, _>>()?;
                        let _p = cx.permit().await;
                        cx.aws
                            .ec2
                            .modify_instance_attribute()
                            .instance_id(&live.aws_id)
                            .set_groups(Some(groups))
                            .send()
                            .await
                            .map_err(|e| ApplyError::sdk(id, e))?;
                    }
                    _ => return Err(ApplyError::new(id, format!("cannot repair {d}"))),
                }
            }
            if tags {
                retag(cx, r, &live.aws_id).await?;
            }
        }
        ResourceKind::LaunchTemplate { .. } => {
            if !attrs.is_empty() {
                // A new version with the plan's data; the group launches `$Latest`.
                let data = template_data(cx, r).await?;
                let out = {
                    let _p = cx.permit().await;
                    cx.aws
                        .ec2
                        .create_launch_template_version()
                        .launch_template_id(&live.aws_id)
                        .launch_template_data(data)
                        .send()
                        .await
                        .map_err(|e| ApplyError::sdk(id, e))?
                };
                let version = out
                    .launch_template_version()
                    .and_then(|v| v.version_number())
                    .ok_or_else(|| ApplyError::new(id, "the new template version has no number"))?;
                let _p = cx.permit().await;
                cx.aws
                    .ec2
                    .modify_launch_template()
                    .launch_template_id(&live.aws_id)
                    .default_version(version.to_string())
                    .send()
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
        }
        ResourceKind::AutoscalingGroup {
            name,
            launch_template,
            subnet,
            size,
            ..
        } => {
            if !attrs.is_empty() {
                let size = i32::try_from(*size).unwrap_or(i32::MAX);
                let _p = cx.permit().await;
                cx.aws
                    .autoscaling
                    .update_auto_scaling_group()
                    .auto_scaling_group_name(&live.aws_id)
                    .launch_template(template_spec(cx.id_of(launch_template)?))
                    .vpc_zone_identifier(cx.id_of(subnet)?)
                    .min_size(size)
                    .max_size(size)
                    .desired_capacity(size)
                    .send()
                    .await
                    .map_err(|e| ApplyError::sdk(id, e))?;
            }
            if tags {
                let _p = cx.permit().await;
                cx.aws
                    .autoscaling
                    .create_or_update_tags()
                    .set_tags(Some(group_tags(cx, r, name)))
                    .send()
                    .await
                    .map_err(|e| ApplyError::sdk(id, e))?;
            }
        }
        other => {
            return Err(ApplyError::new(
                id,
                format!("{} is not a compute resource", other.type_name()),
            ))
        }
    }
    Ok(())
}

/// Deletes one compute resource; gone already counts as deleted.
pub async fn delete(cx: &Cx, type_name: &str, id: &str, live: &LiveRes) -> Result<(), ApplyError> {
    let aws_id = live.aws_id.as_str();
    match type_name {
        "instance" => {
            let out = {
                let _p = cx.permit().await;
                cx.aws
                    .ec2
                    .terminate_instances()
                    .instance_ids(aws_id)
                    .send()
                    .await
            };
            match out {
                Ok(_) => {}
                Err(e) if e.code() == Some("InvalidInstanceID.NotFound") => return Ok(()),
                Err(e) => return Err(ApplyError::sdk(id, e)),
            }
            // Its security groups cannot be deleted while it holds them.
            wait_instance(cx, id, aws_id, true).await
        }
        "launch_template" => {
            let _p = cx.permit().await;
            match cx
                .aws
                .ec2
                .delete_launch_template()
                .launch_template_id(aws_id)
                .send()
                .await
            {
                Ok(_) => Ok(()),
                Err(e) if e.code().is_some_and(|c| c.ends_with("NotFound")) => Ok(()),
                Err(e) => Err(ApplyError::sdk(id, e)),
            }
        }
        "autoscaling_group" => delete_group(cx, id, aws_id).await,
        other => Err(ApplyError::new(
            id,
            format!("{other} is not a compute resource"),
        )),
    }
}

/// Deletes a group with its instances and waits until it is gone.
async fn delete_group(cx: &Cx, id: &str, name: &str) -> Result<(), ApplyError> {
    let start = Instant::now();
    let mut delay = Duration::from_secs(1);
    let mut said = false;
    let mut asked = false;
    loop {
        if !asked {
            let out = {
                let _p = cx.permit().await;
                cx.aws
                    .autoscaling
                    .delete_auto_scaling_group()
                    .auto_scaling_group_name(name)
                    .force_delete(true)
                    .send()
                    .await
            };
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
                    ) && start.elapsed() < GROUP_TIMEOUT => {}
                Err(e) => return Err(ApplyError::sdk(id, e)),
            }
        }
        let out = {
            let _p = cx.permit().await;
            cx.aws
                .autoscaling
                .describe_auto_scaling_groups()
                .auto_scaling_group_names(name)
                .send()
                .await
                .map_err(|e| ApplyError::sdk(id, e))?
        };
        let Some(g) = out.auto_scaling_groups().first() else {
            return Ok(());
        };
        if g.status() == Some("Delete in progress") {
            asked = true;
        }
        if start.elapsed() > GROUP_TIMEOUT {
            return Err(ApplyError::new(
                id,
                format!(
                    "auto-scaling group {name} is still there after {} minutes",
                    GROUP_TIMEOUT.as_secs() / 60
                ),
            ));
        }
        if !said {
            waiting(
                cx,
                id,
                &format!("auto-scaling group {name} and its instances to go"),
            );
            said = true;
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(15));
    }
}
