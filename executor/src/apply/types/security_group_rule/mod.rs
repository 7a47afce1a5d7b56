//! `security_group_rule`: one AWS permission of a group.
//!
//! Rules are found with one `DescribeSecurityGroupRules` call over every owned group and
//! matched to the plan by content (group, direction, protocol, ports, peer), not by tag: a
//! rule is what it admits, and AWS refuses a second rule with the same content anyway. Rules
//! the plan creates carry its tags all the same. AWS's default egress of a group is the
//! group's (see `security_group`), neither a plan rule nor an orphan. A rule no plan could
//! hold (to a prefix list or a group no plan owns, of another protocol) is left alone.

use std::collections::BTreeMap;
use std::time::Duration;

use aws_sdk_ec2::error::ProvideErrorMetadata;
use aws_sdk_ec2::types::{Filter, SecurityGroupRule};
use planner_core::resource::{Direction, ResourceType, RulePeer};
use planner_core::{Resource, ResourceKind};

mod content;

use content::{direction_str, live_key, permission, plan_key, Key};

use crate::apply::context::Cx;
use crate::apply::model::{ApplyError, Drift, Live, LiveRes, Orphan};
use crate::apply::shared::attrs::{attrs, not_a, DISCOVERY};
use crate::apply::shared::ec2::{code, not_found, retag, tag_map, tag_spec};
use crate::apply::shared::pages::all_pages;
use crate::apply::shared::sg::{planned_groups, SETTLE_TIMEOUT};
use crate::apply::shared::wait::{retry_while, Backoff, Limit};

/// Revoked first: cross-group references would block deleting a group.
pub const DESTROY_RANK: usize = 0;

/// How many values one EC2 filter takes.
const FILTER_VALUES: usize = 200;

/// Every rule of `groups`, one call per 200 groups (one page unless AWS pages).
async fn rules_of(
    cx: &Cx,
    id: &str,
    groups: &[String],
) -> Result<Vec<SecurityGroupRule>, ApplyError> {
    let mut rules = Vec::new();
    for chunk in groups.chunks(FILTER_VALUES) {
        let filter = Filter::builder()
            .name("group-id")
            .set_values(Some(chunk.to_vec()))
            .build();
        let page = all_pages(move |token| {
            let filter = filter.clone();
            cx.aws.ec2(move |c| {
                let req = c
                    .describe_security_group_rules()
                    .filters(filter)
                    .set_next_token(token)
                    .send();
                async move {
                    req.await.map(|o| {
                        (
                            o.security_group_rules().to_vec(),
                            o.next_token().map(str::to_owned),
                        )
                    })
                }
            })
        })
        .await
        .map_err(|e| ApplyError::sdk(id, e))?;
        rules.extend(page);
    }
    Ok(rules)
}

/// The rule's attributes as recorded: its direction and its group's AWS id.
fn rule_attrs(key: &Key) -> BTreeMap<String, String> {
    attrs([
        (
            "direction",
            (if key.egress { "egress" } else { "ingress" }).to_owned(),
        ),
        ("group", key.group.clone()),
    ])
}

/// Finds the rules of the owned groups (`owned`: AWS id → plan id) with one describe, matches
/// the plan's by content and sorts the others into orphans; answers the default egress rules
/// of the plan's groups (by group AWS id: is IPv6, rule id).
pub async fn discover(
    cx: &Cx,
    owned: &BTreeMap<String, String>,
    live: &mut Live,
) -> Result<BTreeMap<String, Vec<(bool, String)>>, ApplyError> {
    let planned = planned_groups(cx, owned, live);
    let group_aws = |plan_id: &str| -> Option<String> {
        live.found
            .get(plan_id)
            .filter(|l| planned.contains_key(&l.aws_id))
            .map(|l| l.aws_id.clone())
    };
    // The plan's rules whose groups exist, by content.
    let mut wanted: BTreeMap<Key, Vec<String>> = BTreeMap::new();
    for r in &cx.plan.resources {
        let ResourceKind::SecurityGroupRule { group, peer, .. } = &r.kind else {
            continue;
        };
        let Some(g) = group_aws(group) else {
            continue;
        };
        let peer_aws = match peer {
            RulePeer::SecurityGroup(p) => match group_aws(p) {
                Some(a) => Some(a),
                None => continue,
            },
            _ => None,
        };
        if let Ok(key) = plan_key(r, &g, peer_aws.as_deref()) {
            wanted.entry(key).or_default().push(r.id.clone());
        }
    }
    let planned_ids: Vec<String> = planned.keys().cloned().collect();

    let ids: Vec<String> = owned.keys().cloned().collect();
    let rules = rules_of(cx, DISCOVERY, &ids).await?;
    let mut defaults: BTreeMap<String, Vec<(bool, String)>> = BTreeMap::new();
    for rule in &rules {
        let (Some(key), Some(rule_id)) = (live_key(rule), rule.security_group_rule_id()) else {
            continue;
        };
        if let Some(plan_ids) = wanted.get(&key) {
            for plan_id in plan_ids {
                live.found.insert(
                    plan_id.clone(),
                    LiveRes {
                        aws_id: rule_id.to_owned(),
                        arn: rule.security_group_rule_arn().map(str::to_owned),
                        attrs: rule_attrs(&key),
                        tags: tag_map(rule.tags()),
                    },
                );
            }
            continue;
        }
        if key.is_default_egress() {
            if planned_ids.contains(&key.group) {
                defaults
                    .entry(key.group.clone())
                    .or_default()
                    .push((key.peer.starts_with("v6:"), rule_id.to_owned()));
            }
            // A group leaving the plan takes its default egress with it.
            continue;
        }
        // A rule no plan could hold (a prefix list, a group of no plan, another protocol) was
        // added by someone else on purpose, or came with an imported group: left alone.
        let plannable = match key.peer.split_once(':') {
            Some(("sg", g)) => owned.contains_key(g),
            Some(("v4" | "v6", _)) => true,
            _ => false,
        } && ["tcp", "udp", "icmp", "58", "-1"].contains(&key.protocol.as_str());
        if !plannable {
            continue;
        }
        let group_label = owned.get(&key.group).cloned().unwrap_or(key.group.clone());
        live.orphans.push(Orphan::new(
            format!("rule {rule_id} of {group_label}"),
            ResourceType::SecurityGroupRule,
            LiveRes {
                aws_id: rule_id.to_owned(),
                ..LiveRes::default()
            },
        ));
    }
    Ok(defaults)
}

/// Nothing the plan no longer has stands in the way of creating one.
pub fn conflicts(_cx: &Cx, _r: &Resource, _orphan: &LiveRes) -> bool {
    false
}

/// A rule that is found is as planned: rules are found by content.
pub fn drift(_cx: &Cx, _r: &Resource, _live: &LiveRes) -> Vec<Drift> {
    Vec::new()
}

/// Finds the id of the live rule with `key` (after `InvalidPermission.Duplicate`).
async fn find_rule(cx: &Cx, id: &str, key: &Key) -> Result<LiveRes, ApplyError> {
    let rules = rules_of(cx, id, std::slice::from_ref(&key.group)).await?;
    let rule = rules
        .iter()
        .find(|x| live_key(x).as_ref() == Some(key))
        .ok_or_else(|| {
            ApplyError::new(
                id,
                format!(
                    "AWS says the rule exists in {}, but does not list it",
                    key.group
                ),
            )
        })?;
    Ok(LiveRes {
        aws_id: rule.security_group_rule_id().unwrap_or_default().to_owned(),
        arn: rule.security_group_rule_arn().map(str::to_owned),
        attrs: rule_attrs(key),
        tags: tag_map(rule.tags()),
    })
}

/// Whether an error says the rule's group is not visible yet.
fn not_visible<E: ProvideErrorMetadata>(e: &E) -> bool {
    code(e) == Some("InvalidGroup.NotFound")
}

/// Authorizes the rule (tagged), retrying while its group is not visible yet; a rule that
/// exists already is found by content.
pub async fn create(cx: &Cx, r: &Resource) -> Result<LiveRes, ApplyError> {
    let ResourceKind::SecurityGroupRule {
        group,
        direction,
        peer,
        ..
    } = &r.kind
    else {
        return Err(not_a(r, ResourceType::SecurityGroupRule));
    };
    let id = r.id.as_str();
    let gid = cx.id_of(group)?;
    let peer_aws = match peer {
        RulePeer::SecurityGroup(p) => Some(cx.id_of(p)?),
        _ => None,
    };
    let perm = permission(r, peer_aws.as_deref()).map_err(|m| ApplyError::new(id, m))?;
    let key = plan_key(r, &gid, peer_aws.as_deref()).map_err(|m| ApplyError::new(id, m))?;
    let spec = tag_spec(cx, r, aws_sdk_ec2::types::ResourceType::SecurityGroupRule);
    let backoff = || {
        Backoff::doubling(
            cx,
            id,
            "the security group to become visible",
            Duration::from_millis(250),
            Duration::from_secs(15),
        )
        .say_from(Duration::from_secs(2))
    };
    // The id of the new rule, or None when AWS says it exists already.
    let made: Option<Option<String>> = match direction {
        Direction::Ingress => {
            let out = retry_while(backoff(), Limit::Time(SETTLE_TIMEOUT), not_visible, || {
                cx.aws.ec2(|c| {
                    c.authorize_security_group_ingress()
                        .group_id(&gid)
                        .ip_permissions(perm.clone())
                        .tag_specifications(spec.clone())
                        .send()
                })
            })
            .await;
            match out {
                Ok(o) => Some(
                    o.security_group_rules()
                        .first()
                        .and_then(|x| x.security_group_rule_id())
                        .map(str::to_owned),
                ),
                Err(e) if code(&e) == Some("InvalidPermission.Duplicate") => None,
                Err(e) => return Err(ApplyError::sdk(id, e)),
            }
        }
        Direction::Egress => {
            let out = retry_while(backoff(), Limit::Time(SETTLE_TIMEOUT), not_visible, || {
                cx.aws.ec2(|c| {
                    c.authorize_security_group_egress()
                        .group_id(&gid)
                        .ip_permissions(perm.clone())
                        .tag_specifications(spec.clone())
                        .send()
                })
            })
            .await;
            match out {
                Ok(o) => Some(
                    o.security_group_rules()
                        .first()
                        .and_then(|x| x.security_group_rule_id())
                        .map(str::to_owned),
                ),
                Err(e) if code(&e) == Some("InvalidPermission.Duplicate") => None,
                Err(e) => return Err(ApplyError::sdk(id, e)),
            }
        }
    };
    match made {
        Some(Some(rule_id)) => Ok(LiveRes {
            aws_id: rule_id,
            arn: None,
            attrs: attrs([
                ("direction", direction_str(*direction).to_owned()),
                ("group", gid),
            ]),
            tags: cx.tags_for(r),
        }),
        // Already there (made before a crash, by hand, or AWS's default egress), or AWS did
        // not say its id.
        _ => find_rule(cx, id, &key).await,
    }
}

/// Repairs tags in place (a rule found by content has nothing else to repair).
pub async fn repair(
    cx: &Cx,
    r: &Resource,
    live: &LiveRes,
    drift: &[Drift],
) -> Result<(), ApplyError> {
    let mut retagged = false;
    for d in drift {
        if !d.what.starts_with("tag ") {
            return Err(ApplyError::new(&r.id, format!("cannot repair {d}")));
        }
        if !retagged {
            retag(cx, r, &live.aws_id).await?;
            retagged = true;
        }
    }
    Ok(())
}

/// The group and direction of a rule known only by id; `None` when it is gone.
async fn lookup_rule(
    cx: &Cx,
    id: &str,
    rule_id: &str,
) -> Result<Option<(String, bool)>, ApplyError> {
    let out = cx
        .aws
        .ec2(|c| {
            c.describe_security_group_rules()
                .security_group_rule_ids(rule_id)
                .send()
        })
        .await;
    match out {
        Ok(o) => Ok(o
            .security_group_rules()
            .iter()
            .find(|x| x.security_group_rule_id() == Some(rule_id))
            .and_then(|x| Some((x.group_id()?.to_owned(), x.is_egress().unwrap_or(false))))),
        Err(e) if not_found(code(&e)) => Ok(None),
        Err(e) => Err(ApplyError::sdk(id, e)),
    }
}

/// Revokes the rule (looking up its group and direction when discovery did not record them);
/// gone already counts as deleted.
pub async fn delete(cx: &Cx, id: &str, live: &LiveRes) -> Result<(), ApplyError> {
    let aws_id = live.aws_id.as_str();
    let known = match (live.attrs.get("group"), live.attrs.get("direction")) {
        (Some(g), Some(d)) => Some((g.clone(), d == "egress")),
        _ => None,
    };
    let Some((group, egress)) = (match known {
        Some(k) => Some(k),
        None => lookup_rule(cx, id, aws_id).await?,
    }) else {
        return Ok(());
    };
    let out = if egress {
        cx.aws
            .ec2(|c| {
                c.revoke_security_group_egress()
                    .group_id(&group)
                    .security_group_rule_ids(aws_id)
                    .send()
            })
            .await
            .map(|_| ())
            .map_err(|e| (code(&e).map(str::to_owned), ApplyError::sdk(id, e)))
    } else {
        cx.aws
            .ec2(|c| {
                c.revoke_security_group_ingress()
                    .group_id(&group)
                    .security_group_rule_ids(aws_id)
                    .send()
            })
            .await
            .map(|_| ())
            .map_err(|e| (code(&e).map(str::to_owned), ApplyError::sdk(id, e)))
    };
    match out {
        Ok(()) => Ok(()),
        Err((c, _)) if not_found(c.as_deref()) => Ok(()),
        Err((_, e)) => Err(e),
    }
}
