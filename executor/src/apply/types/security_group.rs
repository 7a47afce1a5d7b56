//! `security_group`: a group of the VPC, found by the plan's tag.
//!
//! AWS gives every new group an allow-all egress rule (`-1` to `0.0.0.0/0`, and to `::/0` when
//! the VPC has IPv6). It is neither a plan rule nor an orphan: it belongs to the group, whose
//! `default_egress` attribute says whether it is there (read by `security_group_rule`
//! discovery, which lists every rule of the plan's groups).

use std::collections::BTreeMap;
use std::time::Duration;

use aws_sdk_ec2::types::Filter;
use planner_core::resource::ResourceType;
use planner_core::{Resource, ResourceKind};

use crate::apply::context::Cx;
use crate::apply::model::{
    attr_drift, tag_drift, ApplyError, Drift, Live, LiveRes, ID_TAG, PLAN_TAG,
};
use crate::apply::shared::attrs::{attrs, not_a, DISCOVERY};
use crate::apply::shared::ec2::{
    code, not_found, plan_filter, retag, sort_found, tag_map, tag_spec,
};
use crate::apply::shared::pages::all_pages;
use crate::apply::shared::sg::{
    all_traffic_to, planned_groups, IPV4_ANY, IPV6_ANY, SETTLE_TIMEOUT,
};
use crate::apply::shared::wait::{retry_while, Backoff, Limit};
use crate::events::Event;

/// Deleted once the instances and rules holding it are gone.
pub const DESTROY_RANK: usize = 2;

/// How long a group may stay in use (instances terminating, references from other groups)
/// before deleting it gives up.
const DELETE_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// Finds the plan's groups by tag (one call unless AWS pages); answers the AWS ids of every
/// group carrying the plan's tag with their plan ids, or `None` when listing groups is not
/// allowed and the plan has none.
pub async fn discover(
    cx: &Cx,
    live: &mut Live,
) -> Result<Option<BTreeMap<String, String>>, ApplyError> {
    let plan_name = &cx.plan.design.name;
    let has_groups = cx
        .plan
        .resources
        .iter()
        .any(|r| matches!(r.kind, ResourceKind::SecurityGroup { .. }));
    let groups = all_pages(|token| {
        cx.aws.ec2(|c| {
            let req = c
                .describe_security_groups()
                .filters(plan_filter(cx))
                .set_next_token(token)
                .send();
            async move {
                req.await.map(|o| {
                    (
                        o.security_groups().to_vec(),
                        o.next_token().map(str::to_owned),
                    )
                })
            }
        })
    })
    .await;
    let groups = match groups {
        Ok(g) => g,
        // A policy written by hand (or derived by an older planner) for a plan without
        // groups may not allow listing them: groups an earlier version of the plan made
        // cannot be looked for then, and the note says so.
        Err(e) if !has_groups && code(&e) == Some("UnauthorizedOperation") => {
            cx.events.event(Event::Note {
                message: "not allowed to list security groups: groups an earlier version \
                          of this plan made are not looked for"
                    .to_owned(),
            });
            return Ok(None);
        }
        Err(e) => return Err(ApplyError::sdk(DISCOVERY, e)),
    };
    let mut owned: BTreeMap<String, String> = BTreeMap::new();
    for g in &groups {
        let tags = tag_map(g.tags());
        let (Some(plan_id), Some(gid)) = (tags.get(ID_TAG), g.group_id()) else {
            continue;
        };
        if tags.get(PLAN_TAG) != Some(plan_name) {
            continue; // moto ignores some tag filters
        }
        owned.insert(gid.to_owned(), plan_id.clone());
        let res = LiveRes {
            aws_id: gid.to_owned(),
            arn: g.security_group_arn().map(str::to_owned),
            attrs: attrs([
                ("name", g.group_name().unwrap_or_default().to_owned()),
                (
                    "description",
                    g.description().unwrap_or_default().to_owned(),
                ),
                ("vpc", g.vpc_id().unwrap_or("-").to_owned()),
            ]),
            tags,
        };
        sort_found(cx, live, ResourceType::SecurityGroup, res);
    }
    Ok(Some(owned))
}

/// Records on each of the plan's groups whether its default egress is there: `defaults` has,
/// by group AWS id, the default egress rules found (is IPv6, rule id).
pub fn record_default_egress(
    cx: &Cx,
    owned: &BTreeMap<String, String>,
    defaults: &BTreeMap<String, Vec<(bool, String)>>,
    live: &mut Live,
) {
    let planned: Vec<(String, String, bool)> = planned_groups(cx, owned, live)
        .into_iter()
        .filter_map(|(gid, r)| match &r.kind {
            ResourceKind::SecurityGroup {
                revoke_default_egress,
                ..
            } => Some((gid, r.id.clone(), *revoke_default_egress)),
            _ => None,
        })
        .collect();
    for (gid, plan_id, revoke) in planned {
        let present = defaults.get(&gid).cloned().unwrap_or_default();
        let state = if revoke {
            !present.is_empty()
        } else {
            present.iter().any(|(v6, _)| !v6)
        };
        let rule_ids: Vec<String> = present.into_iter().map(|(_, id)| id).collect();
        if let Some(l) = live.found.get_mut(&plan_id) {
            l.attrs.insert(
                "default_egress".to_owned(),
                (if state { "present" } else { "revoked" }).to_owned(),
            );
            l.attrs
                .insert("default_egress_rules".to_owned(), rule_ids.join(","));
        }
    }
}

/// The attributes a group must show; only `default_egress` can be repaired in place.
fn expected(cx: &Cx, r: &Resource) -> BTreeMap<String, String> {
    match &r.kind {
        ResourceKind::SecurityGroup {
            name,
            description,
            vpc,
            revoke_default_egress,
        } => attrs([
            ("name", name.clone()),
            ("description", description.clone()),
            ("vpc", cx.id_of(vpc).unwrap_or_else(|_| "-".to_owned())),
            (
                "default_egress",
                (if *revoke_default_egress {
                    "revoked"
                } else {
                    "present"
                })
                .to_owned(),
            ),
        ]),
        _ => BTreeMap::new(),
    }
}

/// Whether an orphan group of the same VPC has this group's name, which AWS keeps unique.
pub fn conflicts(cx: &Cx, r: &Resource, orphan: &LiveRes) -> bool {
    let ResourceKind::SecurityGroup { name, vpc, .. } = &r.kind else {
        return false;
    };
    orphan.attrs.get("name") == Some(name)
        && cx
            .id_of(vpc)
            .is_ok_and(|v| orphan.attrs.get("vpc") == Some(&v))
}

/// A group can differ in its tags and its default egress (repairable) or in its name,
/// description or VPC (which AWS cannot change).
pub fn drift(cx: &Cx, r: &Resource, live: &LiveRes) -> Vec<Drift> {
    let mut d = attr_drift(&expected(cx, r), &live.attrs, &["default_egress"]);
    d.extend(tag_drift(&cx.tags_for(r), &live.tags));
    d
}

/// Whether the plan's VPC gets an IPv6 block (then AWS also adds a `::/0` default egress).
fn vpc_has_ipv6(cx: &Cx, vpc: &str) -> bool {
    matches!(
        cx.plan.resource(vpc).map(|r| &r.kind),
        Some(ResourceKind::Vpc {
            amazon_provided_ipv6: true,
            ..
        })
    )
}

/// Revokes AWS's default allow-all egress of a group just created (by content: its rule ids
/// are not in CreateSecurityGroup's answer); a rule already gone is fine.
async fn revoke_default_egress(
    cx: &Cx,
    id: &str,
    group: &str,
    ipv6: bool,
) -> Result<(), ApplyError> {
    let cidrs: &[&str] = if ipv6 {
        &[IPV4_ANY, IPV6_ANY]
    } else {
        &[IPV4_ANY]
    };
    for cidr in cidrs {
        let backoff = Backoff::doubling(
            cx,
            id,
            "the new security group to become visible",
            Duration::from_millis(250),
            Duration::from_secs(15),
        )
        .say_from(Duration::from_secs(2));
        let out = retry_while(
            backoff,
            Limit::Time(SETTLE_TIMEOUT),
            |e| code(e) == Some("InvalidGroup.NotFound"),
            || {
                cx.aws.ec2(|c| {
                    c.revoke_security_group_egress()
                        .group_id(group)
                        .ip_permissions(all_traffic_to(cidr))
                        .send()
                })
            },
        )
        .await;
        match out {
            Ok(_) => {}
            Err(e) if code(&e) == Some("InvalidPermission.NotFound") => {}
            Err(e) => return Err(ApplyError::sdk(id, e)),
        }
    }
    Ok(())
}

/// A group named like the plan's already exists in the VPC: it is the plan's (made by an
/// interrupted run whose answer was lost) only if it carries the plan's tags.
async fn adopt_group(
    cx: &Cx,
    r: &Resource,
    name: &str,
    vpc_id: &str,
) -> Result<String, ApplyError> {
    let out = cx
        .aws
        .ec2(|c| {
            c.describe_security_groups()
                .filters(Filter::builder().name("vpc-id").values(vpc_id).build())
                .filters(Filter::builder().name("group-name").values(name).build())
                .send()
        })
        .await
        .map_err(|e| ApplyError::sdk(&r.id, e))?;
    let group = out
        .security_groups()
        .iter()
        .find(|g| g.group_name() == Some(name) && g.vpc_id() == Some(vpc_id))
        .ok_or_else(|| {
            ApplyError::new(
                &r.id,
                format!("AWS says a security group named {name} exists in {vpc_id}, but does not list it"),
            )
        })?;
    let gid = group.group_id().unwrap_or_default().to_owned();
    let tags = tag_map(group.tags());
    if tags.get(PLAN_TAG) == Some(&cx.plan.design.name) && tags.get(ID_TAG) == Some(&r.id) {
        return Ok(gid);
    }
    let owner = match (tags.get(PLAN_TAG), tags.get(ID_TAG)) {
        (Some(p), Some(i)) => format!("it belongs to {i} of plan {p}"),
        (Some(p), None) => format!("it carries {PLAN_TAG}={p} but no {ID_TAG} tag"),
        _ => "it does not carry this plan's tags".to_owned(),
    };
    Err(ApplyError::new(
        &r.id,
        format!(
            "a security group named {name} already exists in {vpc_id} ({gid}) and {owner}; \
             rename the group in the design, or delete that group"
        ),
    ))
}

/// Creates the group (tagged), revoking its default egress when the plan says so.
pub async fn create(cx: &Cx, r: &Resource) -> Result<LiveRes, ApplyError> {
    let ResourceKind::SecurityGroup {
        name,
        description,
        vpc,
        revoke_default_egress: revoke,
    } = &r.kind
    else {
        return Err(not_a(r, ResourceType::SecurityGroup));
    };
    let id = r.id.as_str();
    let vpc_id = cx.id_of(vpc)?;
    let out = cx
        .aws
        .ec2(|c| {
            c.create_security_group()
                .group_name(name)
                .description(description)
                .vpc_id(&vpc_id)
                .tag_specifications(tag_spec(
                    cx,
                    r,
                    aws_sdk_ec2::types::ResourceType::SecurityGroup,
                ))
                .send()
        })
        .await;
    let (gid, arn) = match out {
        Ok(o) => (
            o.group_id().unwrap_or_default().to_owned(),
            o.security_group_arn().map(str::to_owned),
        ),
        Err(e) if code(&e) == Some("InvalidGroup.Duplicate") => {
            (adopt_group(cx, r, name, &vpc_id).await?, None)
        }
        Err(e) => return Err(ApplyError::sdk(id, e)),
    };
    if gid.is_empty() {
        return Err(ApplyError::new(
            id,
            "CreateSecurityGroup returned no group id",
        ));
    }
    if *revoke {
        revoke_default_egress(cx, id, &gid, vpc_has_ipv6(cx, vpc)).await?;
    }
    let mut a = expected(cx, r);
    a.insert("vpc".to_owned(), vpc_id);
    Ok(LiveRes {
        aws_id: gid,
        arn,
        attrs: a,
        tags: cx.tags_for(r),
    })
}

/// Repairs drift in place: tags, and the default egress rule.
pub async fn repair(
    cx: &Cx,
    r: &Resource,
    live: &LiveRes,
    drift: &[Drift],
) -> Result<(), ApplyError> {
    let id = r.id.as_str();
    let mut retagged = false;
    for d in drift {
        match (d.what.as_str(), &r.kind) {
            (w, _) if w.starts_with("tag ") => {
                if !retagged {
                    retag(cx, r, &live.aws_id).await?;
                    retagged = true;
                }
            }
            ("default_egress", ResourceKind::SecurityGroup { vpc, .. }) if d.plan == "revoked" => {
                let ids: Vec<String> = live
                    .attrs
                    .get("default_egress_rules")
                    .map(|s| {
                        s.split(',')
                            .filter(|x| !x.is_empty())
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default();
                if ids.is_empty() {
                    revoke_default_egress(cx, id, &live.aws_id, vpc_has_ipv6(cx, vpc)).await?;
                } else {
                    let out = cx
                        .aws
                        .ec2(|c| {
                            c.revoke_security_group_egress()
                                .group_id(&live.aws_id)
                                .set_security_group_rule_ids(Some(ids))
                                .send()
                        })
                        .await;
                    match out {
                        Ok(_) => {}
                        Err(e) if not_found(code(&e)) => {}
                        Err(e) => return Err(ApplyError::sdk(id, e)),
                    }
                }
            }
            ("default_egress", ResourceKind::SecurityGroup { .. }) => {
                // Put back the IPv4 allow-all egress the plan keeps (the one the design models).
                let out = cx
                    .aws
                    .ec2(|c| {
                        c.authorize_security_group_egress()
                            .group_id(&live.aws_id)
                            .ip_permissions(all_traffic_to(IPV4_ANY))
                            .tag_specifications(tag_spec(
                                cx,
                                r,
                                aws_sdk_ec2::types::ResourceType::SecurityGroupRule,
                            ))
                            .send()
                    })
                    .await;
                match out {
                    Ok(_) => {}
                    Err(e) if code(&e) == Some("InvalidPermission.Duplicate") => {}
                    Err(e) => return Err(ApplyError::sdk(id, e)),
                }
            }
            _ => return Err(ApplyError::new(id, format!("cannot repair {d}"))),
        }
    }
    Ok(())
}

/// Deletes the group, waiting while instances and other groups let go of it; gone already
/// counts as deleted.
pub async fn delete(cx: &Cx, id: &str, live: &LiveRes) -> Result<(), ApplyError> {
    let aws_id = live.aws_id.as_str();
    let backoff = Backoff::doubling(
        cx,
        id,
        "instances and other groups to let go of the security group",
        Duration::from_millis(250),
        Duration::from_secs(15),
    )
    .say_from(Duration::from_secs(2));
    let out = retry_while(
        backoff,
        Limit::Time(DELETE_TIMEOUT),
        |e| code(e) == Some("DependencyViolation"),
        || {
            cx.aws
                .ec2(|c| c.delete_security_group().group_id(aws_id).send())
        },
    )
    .await;
    match out {
        Ok(_) => Ok(()),
        Err(e) if not_found(code(&e)) => Ok(()),
        Err(e) if code(&e) == Some("DependencyViolation") => Err(ApplyError::new(
            id,
            format!(
                "{aws_id} is still in use after {} minutes (by network interfaces, or \
                 rules of groups outside this plan): {}",
                DELETE_TIMEOUT.as_secs() / 60,
                ApplyError::sdk(id, e).message
            ),
        )),
        Err(e) => Err(ApplyError::sdk(id, e)),
    }
}
