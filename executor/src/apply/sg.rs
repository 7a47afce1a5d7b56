//! Security groups and their rules.
//!
//! Groups are found by the plan's tag. Rules are found with one `DescribeSecurityGroupRules`
//! call over every owned group and matched to the plan by content (group, direction,
//! protocol, ports, peer), not by tag: a rule is what it admits, and AWS refuses a second rule
//! with the same content anyway. Rules the plan creates carry its tags all the same.
//!
//! AWS gives every new group an allow-all egress rule (`-1` to `0.0.0.0/0`, and to `::/0` when
//! the VPC has IPv6). It is neither a plan rule nor an orphan: it belongs to the group, whose
//! `default_egress` attribute says whether it is there.

use std::collections::BTreeMap;
use std::future::Future;
use std::time::{Duration, Instant};

use aws_sdk_ec2::error::ProvideErrorMetadata;
use aws_sdk_ec2::types::{
    Filter, IpPermission, IpRange, Ipv6Range, ResourceType, SecurityGroupRule, UserIdGroupPair,
};
use planner_core::resource::{Direction, RulePeer};
use planner_core::sg::{PortRange, Protocol};
use planner_core::{Resource, ResourceKind};

use super::model::{
    attr_drift, tag_drift, ApplyError, Drift, Live, LiveRes, Orphan, ID_TAG, PLAN_TAG,
};
use super::ops::{code, plan_filter, retag, sort_found, tag_map, tag_spec};
use super::Cx;
use crate::events::Event;

/// How long a group may stay in use (instances terminating, references from other groups)
/// before deleting it gives up.
const DELETE_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// How long a group just created may stay invisible to the next call (EC2 is eventually
/// consistent).
const SETTLE_TIMEOUT: Duration = Duration::from_secs(60);

/// How many values one EC2 filter takes.
const FILTER_VALUES: usize = 200;

const IPV4_ANY: &str = "0.0.0.0/0";
const IPV6_ANY: &str = "::/0";

fn attrs<const N: usize>(pairs: [(&str, String); N]) -> BTreeMap<String, String> {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

fn direction_str(d: Direction) -> &'static str {
    match d {
        Direction::Ingress => "ingress",
        Direction::Egress => "egress",
    }
}

/// A CIDR block as AWS would print it (compressed IPv6, lower case).
fn norm_cidr(s: &str) -> String {
    s.parse::<ipnet::IpNet>()
        .map_or_else(|_| s.to_ascii_lowercase(), |n| n.to_string())
}

/// `IpProtocol` in one spelling: names for tcp, udp and icmp, `58` for ICMPv6, `-1` for all.
fn norm_protocol(p: &str) -> String {
    match p.to_ascii_lowercase().as_str() {
        "6" | "tcp" => "tcp".to_owned(),
        "17" | "udp" => "udp".to_owned(),
        "1" | "icmp" => "icmp".to_owned(),
        "58" | "icmpv6" => "58".to_owned(),
        "-1" | "all" => "-1".to_owned(),
        other => other.to_owned(),
    }
}

/// `FromPort`/`ToPort` of a rule: a port range for TCP and UDP (absent: 0-65535), type and
/// code for ICMP (absent: -1/-1, every type; a type: every code), nothing for all protocols.
fn aws_ports(protocol: Protocol, ports: Option<PortRange>) -> Result<Option<(i32, i32)>, String> {
    Ok(match protocol {
        Protocol::All => None,
        Protocol::Tcp | Protocol::Udp => {
            let p = ports.unwrap_or(PortRange::ALL);
            Some((i32::from(p.from), i32::from(p.to)))
        }
        Protocol::Icmp | Protocol::Icmpv6 => match ports {
            None => Some((-1, -1)),
            Some(p) if p.from == p.to => Some((i32::from(p.from), -1)),
            Some(p) => {
                return Err(format!(
                    "an {protocol} rule takes one ICMP type, not the range {p}"
                ))
            }
        },
    })
}

/// What a rule is, for matching live rules to the plan's.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    /// The group's AWS id.
    group: String,
    egress: bool,
    /// Normalised `IpProtocol`.
    protocol: String,
    from: i32,
    to: i32,
    /// `v4:<cidr>`, `v6:<cidr>`, `sg:<group id>` or `pl:<prefix list>`.
    peer: String,
}

impl Key {
    fn is_default_egress(&self) -> bool {
        self.egress
            && self.protocol == "-1"
            && (self.peer == format!("v4:{IPV4_ANY}") || self.peer == format!("v6:{IPV6_ANY}"))
    }
}

/// The key of a plan rule, given the AWS ids of its group and of its peer group.
fn plan_key(r: &Resource, group_aws: &str, peer_aws: Option<&str>) -> Result<Key, String> {
    let ResourceKind::SecurityGroupRule {
        direction,
        protocol,
        ports,
        peer,
        ..
    } = &r.kind
    else {
        return Err(format!("{} is not a security group rule", r.id));
    };
    let (from, to) = aws_ports(*protocol, *ports)?.unwrap_or((-1, -1));
    let peer = match peer {
        RulePeer::CidrIpv4(c) => format!("v4:{}", norm_cidr(&c.to_string())),
        RulePeer::CidrIpv6(b) => format!("v6:{}", norm_cidr(&b.to_string())),
        RulePeer::SecurityGroup(p) => format!(
            "sg:{}",
            peer_aws.ok_or_else(|| format!("{p} has no AWS id yet"))?
        ),
    };
    Ok(Key {
        group: group_aws.to_owned(),
        egress: *direction == Direction::Egress,
        protocol: protocol.aws_ip_protocol().to_owned(),
        from,
        to,
        peer,
    })
}

/// The key of a live rule.
fn live_key(rule: &SecurityGroupRule) -> Option<Key> {
    let protocol = norm_protocol(rule.ip_protocol()?);
    let (from, to) = if protocol == "-1" {
        (-1, -1)
    } else {
        (rule.from_port().unwrap_or(-1), rule.to_port().unwrap_or(-1))
    };
    let peer = if let Some(c) = rule.cidr_ipv4() {
        format!("v4:{}", norm_cidr(c))
    } else if let Some(c) = rule.cidr_ipv6() {
        format!("v6:{}", norm_cidr(c))
    } else if let Some(g) = rule.referenced_group_info().and_then(|g| g.group_id()) {
        format!("sg:{g}")
    } else if let Some(p) = rule.prefix_list_id() {
        format!("pl:{p}")
    } else {
        "?".to_owned()
    };
    Some(Key {
        group: rule.group_id()?.to_owned(),
        egress: rule.is_egress().unwrap_or(false),
        protocol,
        from,
        to,
        peer,
    })
}

/// The one `IpPermission` of a plan rule.
fn permission(r: &Resource, peer_aws: Option<&str>) -> Result<IpPermission, String> {
    let ResourceKind::SecurityGroupRule {
        protocol,
        ports,
        peer,
        description,
        ..
    } = &r.kind
    else {
        return Err(format!("{} is not a security group rule", r.id));
    };
    let desc = (!description.is_empty()).then(|| description.clone());
    let mut p = IpPermission::builder().ip_protocol(protocol.aws_ip_protocol());
    if let Some((from, to)) = aws_ports(*protocol, *ports)? {
        p = p.from_port(from).to_port(to);
    }
    p = match peer {
        RulePeer::CidrIpv4(c) => p.ip_ranges(
            IpRange::builder()
                .cidr_ip(c.to_string())
                .set_description(desc)
                .build(),
        ),
        RulePeer::CidrIpv6(b) => p.ipv6_ranges(
            Ipv6Range::builder()
                .cidr_ipv6(b.to_string())
                .set_description(desc)
                .build(),
        ),
        RulePeer::SecurityGroup(other) => p.user_id_group_pairs(
            UserIdGroupPair::builder()
                .group_id(peer_aws.ok_or_else(|| format!("{other} has no AWS id yet"))?)
                .set_description(desc)
                .build(),
        ),
    };
    Ok(p.build())
}

/// Sends `call` until it answers something other than one of the `retry` codes or `budget`
/// runs out, backing off; says once what it is waiting for.
async fn retrying<T, E, F, Fut>(
    cx: &Cx,
    id: &str,
    retry: &[&str],
    budget: Duration,
    waiting: &str,
    mut call: F,
) -> Result<T, E>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
    E: ProvideErrorMetadata,
{
    let start = Instant::now();
    let mut delay = Duration::from_millis(250);
    let mut said = false;
    loop {
        let out = {
            let _p = cx.permit().await;
            call().await
        };
        match out {
            Err(e) if e.code().is_some_and(|c| retry.contains(&c)) && start.elapsed() < budget => {
                if !said && delay >= Duration::from_secs(2) {
                    cx.events.event(Event::Waiting {
                        id: id.to_owned(),
                        what: waiting.to_owned(),
                    });
                    said = true;
                }
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(15));
            }
            other => return other,
        }
    }
}

fn gone(c: Option<&str>) -> bool {
    c.is_some_and(|c| c.ends_with("NotFound"))
}

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
        let mut token: Option<String> = None;
        loop {
            let out = {
                let _p = cx.permit().await;
                cx.aws
                    .ec2
                    .describe_security_group_rules()
                    .filters(filter.clone())
                    .set_next_token(token.take())
                    .send()
                    .await
                    .map_err(|e| ApplyError::sdk(id, e))?
            };
            rules.extend(out.security_group_rules().iter().cloned());
            match out.next_token() {
                Some(t) if !t.is_empty() => token = Some(t.to_owned()),
                _ => break,
            }
        }
    }
    Ok(rules)
}

/// Finds the plan's security groups and rules: one describe of the groups by tag, one
/// describe of their rules.
pub async fn discover(cx: &Cx, live: &mut Live) -> Result<(), ApplyError> {
    let id = "discovery";
    let plan_name = &cx.plan.design.name;
    let has_groups = cx
        .plan
        .resources
        .iter()
        .any(|r| matches!(r.kind, ResourceKind::SecurityGroup { .. }));
    let mut groups = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let out = {
            let _p = cx.permit().await;
            cx.aws
                .ec2
                .describe_security_groups()
                .filters(plan_filter(cx))
                .set_next_token(token.take())
                .send()
                .await
        };
        let out = match out {
            Ok(o) => o,
            // The derived policy of a plan without groups does not allow listing them: groups
            // an earlier version of the plan made cannot be looked for then.
            Err(e) if !has_groups && code(&e) == Some("UnauthorizedOperation") => {
                cx.events.event(Event::Note {
                    message: "not allowed to list security groups: groups an earlier version \
                              of this plan made are not looked for"
                        .to_owned(),
                });
                return Ok(());
            }
            Err(e) => return Err(ApplyError::sdk(id, e)),
        };
        groups.extend(out.security_groups().iter().cloned());
        match out.next_token() {
            Some(t) if !t.is_empty() => token = Some(t.to_owned()),
            _ => break,
        }
    }

    // Owned groups by AWS id, with their plan id (from the tag).
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
        sort_found(cx, live, "security_group", res);
    }
    if owned.is_empty() {
        return Ok(());
    }

    // The plan's groups found live, by AWS id.
    let planned_groups: BTreeMap<String, &Resource> = cx
        .plan
        .resources
        .iter()
        .filter(|r| matches!(r.kind, ResourceKind::SecurityGroup { .. }))
        .filter_map(|r| {
            let l = live.found.get(&r.id)?;
            owned.contains_key(&l.aws_id).then(|| (l.aws_id.clone(), r))
        })
        .collect();
    let group_aws = |plan_id: &str| -> Option<String> {
        live.found
            .get(plan_id)
            .filter(|l| planned_groups.contains_key(&l.aws_id))
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

    let ids: Vec<String> = owned.keys().cloned().collect();
    let rules = rules_of(cx, id, &ids).await?;
    // Default egress rules of the plan's groups: (is IPv6, rule id).
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
                        attrs: attrs([
                            (
                                "direction",
                                (if key.egress { "egress" } else { "ingress" }).to_owned(),
                            ),
                            ("group", key.group.clone()),
                        ]),
                        tags: tag_map(rule.tags()),
                    },
                );
            }
            continue;
        }
        if key.is_default_egress() {
            if planned_groups.contains_key(&key.group) {
                defaults
                    .entry(key.group.clone())
                    .or_default()
                    .push((key.peer.starts_with("v6:"), rule_id.to_owned()));
            }
            // A group leaving the plan takes its default egress with it.
            continue;
        }
        let group_label = owned.get(&key.group).cloned().unwrap_or(key.group.clone());
        live.orphans.push(Orphan {
            id: format!("rule {rule_id} of {group_label}"),
            type_name: "security_group_rule",
            aws_id: rule_id.to_owned(),
        });
    }

    for (gid, r) in &planned_groups {
        let ResourceKind::SecurityGroup {
            revoke_default_egress,
            ..
        } = &r.kind
        else {
            continue;
        };
        let present = defaults.get(gid).cloned().unwrap_or_default();
        let state = if *revoke_default_egress {
            !present.is_empty()
        } else {
            present.iter().any(|(v6, _)| !v6)
        };
        let rule_ids: Vec<String> = present.into_iter().map(|(_, id)| id).collect();
        if let Some(l) = live.found.get_mut(&r.id) {
            l.attrs.insert(
                "default_egress".to_owned(),
                (if state { "present" } else { "revoked" }).to_owned(),
            );
            l.attrs
                .insert("default_egress_rules".to_owned(), rule_ids.join(","));
        }
    }
    Ok(())
}

/// The attributes a group must show; only `default_egress` can be repaired in place.
fn expected_group(cx: &Cx, r: &Resource) -> BTreeMap<String, String> {
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

/// How the live resource differs from the plan. Rules are found by content, so a rule that
/// is found is as planned; a group can differ in its tags and its default egress (repairable)
/// or in its name, description or VPC (which AWS cannot change).
pub fn drift(cx: &Cx, r: &Resource, live: &LiveRes) -> Vec<Drift> {
    match &r.kind {
        ResourceKind::SecurityGroup { .. } => {
            let mut d = attr_drift(&expected_group(cx, r), &live.attrs, &["default_egress"]);
            d.extend(tag_drift(&cx.tags_for(r), &live.tags));
            d
        }
        _ => Vec::new(),
    }
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

fn all_traffic_to(cidr: &str) -> IpPermission {
    let p = IpPermission::builder().ip_protocol("-1");
    if cidr.contains(':') {
        p.ipv6_ranges(Ipv6Range::builder().cidr_ipv6(cidr).build())
            .build()
    } else {
        p.ip_ranges(IpRange::builder().cidr_ip(cidr).build())
            .build()
    }
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
        let req = cx
            .aws
            .ec2
            .revoke_security_group_egress()
            .group_id(group)
            .ip_permissions(all_traffic_to(cidr));
        let out = retrying(
            cx,
            id,
            &["InvalidGroup.NotFound"],
            SETTLE_TIMEOUT,
            "the new security group to become visible",
            || req.clone().send(),
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
    let out = {
        let _p = cx.permit().await;
        cx.aws
            .ec2
            .describe_security_groups()
            .filters(Filter::builder().name("vpc-id").values(vpc_id).build())
            .filters(Filter::builder().name("group-name").values(name).build())
            .send()
            .await
            .map_err(|e| ApplyError::sdk(&r.id, e))?
    };
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
        attrs: attrs([
            (
                "direction",
                (if key.egress { "egress" } else { "ingress" }).to_owned(),
            ),
            ("group", key.group.clone()),
        ]),
        tags: tag_map(rule.tags()),
    })
}

/// Creates one group (revoking its default egress when the plan says so) or one rule.
pub async fn create(cx: &Cx, r: &Resource) -> Result<LiveRes, ApplyError> {
    let ec2 = &cx.aws.ec2;
    let id = r.id.as_str();
    match &r.kind {
        ResourceKind::SecurityGroup {
            name,
            description,
            vpc,
            revoke_default_egress: revoke,
        } => {
            let vpc_id = cx.id_of(vpc)?;
            let out = {
                let _p = cx.permit().await;
                ec2.create_security_group()
                    .group_name(name)
                    .description(description)
                    .vpc_id(&vpc_id)
                    .tag_specifications(tag_spec(cx, r, ResourceType::SecurityGroup))
                    .send()
                    .await
            };
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
            let mut a = expected_group(cx, r);
            a.insert("vpc".to_owned(), vpc_id);
            Ok(LiveRes {
                aws_id: gid,
                arn,
                attrs: a,
                tags: cx.tags_for(r),
            })
        }
        ResourceKind::SecurityGroupRule {
            group,
            direction,
            peer,
            ..
        } => {
            let gid = cx.id_of(group)?;
            let peer_aws = match peer {
                RulePeer::SecurityGroup(p) => Some(cx.id_of(p)?),
                _ => None,
            };
            let perm = permission(r, peer_aws.as_deref()).map_err(|m| ApplyError::new(id, m))?;
            let key = plan_key(r, &gid, peer_aws.as_deref()).map_err(|m| ApplyError::new(id, m))?;
            let spec = tag_spec(cx, r, ResourceType::SecurityGroupRule);
            let waiting = "the security group to become visible";
            let retry = ["InvalidGroup.NotFound"];
            // The id of the new rule, or None when AWS says it exists already.
            let made: Option<Option<String>> = match direction {
                Direction::Ingress => {
                    let req = ec2
                        .authorize_security_group_ingress()
                        .group_id(&gid)
                        .ip_permissions(perm)
                        .tag_specifications(spec);
                    match retrying(cx, id, &retry, SETTLE_TIMEOUT, waiting, || {
                        req.clone().send()
                    })
                    .await
                    {
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
                    let req = ec2
                        .authorize_security_group_egress()
                        .group_id(&gid)
                        .ip_permissions(perm)
                        .tag_specifications(spec);
                    match retrying(cx, id, &retry, SETTLE_TIMEOUT, waiting, || {
                        req.clone().send()
                    })
                    .await
                    {
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
                // Already there (made before a crash, by hand, or AWS's default egress), or
                // AWS did not say its id.
                _ => find_rule(cx, id, &key).await,
            }
        }
        other => Err(ApplyError::new(
            id,
            format!("{} is not a security group resource", other.type_name()),
        )),
    }
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
                    let _p = cx.permit().await;
                    let out = cx
                        .aws
                        .ec2
                        .revoke_security_group_egress()
                        .group_id(&live.aws_id)
                        .set_security_group_rule_ids(Some(ids))
                        .send()
                        .await;
                    match out {
                        Ok(_) => {}
                        Err(e) if gone(code(&e)) => {}
                        Err(e) => return Err(ApplyError::sdk(id, e)),
                    }
                }
            }
            ("default_egress", ResourceKind::SecurityGroup { .. }) => {
                // Put back the IPv4 allow-all egress the plan keeps (the one the design models).
                let _p = cx.permit().await;
                let out = cx
                    .aws
                    .ec2
                    .authorize_security_group_egress()
                    .group_id(&live.aws_id)
                    .ip_permissions(all_traffic_to(IPV4_ANY))
                    .tag_specifications(tag_spec(cx, r, ResourceType::SecurityGroupRule))
                    .send()
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

/// The group and direction of a rule known only by id; `None` when it is gone.
async fn lookup_rule(
    cx: &Cx,
    id: &str,
    rule_id: &str,
) -> Result<Option<(String, bool)>, ApplyError> {
    let out = {
        let _p = cx.permit().await;
        cx.aws
            .ec2
            .describe_security_group_rules()
            .security_group_rule_ids(rule_id)
            .send()
            .await
    };
    match out {
        Ok(o) => Ok(o
            .security_group_rules()
            .iter()
            .find(|x| x.security_group_rule_id() == Some(rule_id))
            .and_then(|x| Some((x.group_id()?.to_owned(), x.is_egress().unwrap_or(false))))),
        Err(e) if gone(code(&e)) => Ok(None),
        Err(e) => Err(ApplyError::sdk(id, e)),
    }
}

/// Deletes one group or rule; gone already counts as deleted.
pub async fn delete(cx: &Cx, type_name: &str, id: &str, live: &LiveRes) -> Result<(), ApplyError> {
    let ec2 = &cx.aws.ec2;
    let aws_id = live.aws_id.as_str();
    match type_name {
        "security_group_rule" => {
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
            let _p = cx.permit().await;
            let out = if egress {
                ec2.revoke_security_group_egress()
                    .group_id(&group)
                    .security_group_rule_ids(aws_id)
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| (code(&e).map(str::to_owned), ApplyError::sdk(id, e)))
            } else {
                ec2.revoke_security_group_ingress()
                    .group_id(&group)
                    .security_group_rule_ids(aws_id)
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| (code(&e).map(str::to_owned), ApplyError::sdk(id, e)))
            };
            match out {
                Ok(()) => Ok(()),
                Err((c, _)) if gone(c.as_deref()) => Ok(()),
                Err((_, e)) => Err(e),
            }
        }
        "security_group" => {
            let req = ec2.delete_security_group().group_id(aws_id);
            let out = retrying(
                cx,
                id,
                &["DependencyViolation"],
                DELETE_TIMEOUT,
                "instances and other groups to let go of the security group",
                || req.clone().send(),
            )
            .await;
            match out {
                Ok(_) => Ok(()),
                Err(e) if gone(code(&e)) => Ok(()),
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
        other => Err(ApplyError::new(
            id,
            format!("{other} is not a security group resource"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(protocol: Protocol, ports: Option<PortRange>, peer: RulePeer) -> Resource {
        Resource {
            id: "security_group_rule.x".to_owned(),
            kind: ResourceKind::SecurityGroupRule {
                group: "security_group.a".to_owned(),
                direction: Direction::Ingress,
                protocol,
                ports,
                peer,
                description: String::new(),
            },
            depends_on: vec![],
        }
    }

    fn live(proto: &str, from: Option<i32>, to: Option<i32>, cidr: &str) -> SecurityGroupRule {
        SecurityGroupRule::builder()
            .group_id("sg-1")
            .is_egress(false)
            .ip_protocol(proto)
            .set_from_port(from)
            .set_to_port(to)
            .cidr_ipv4(cidr)
            .build()
    }

    #[test]
    fn tcp_without_ports_is_every_port() {
        let r = rule(
            Protocol::Tcp,
            None,
            RulePeer::CidrIpv4("10.0.0.0/16".parse().unwrap()),
        );
        let k = plan_key(&r, "sg-1", None).unwrap();
        assert_eq!((k.from, k.to), (0, 65535));
        assert_eq!(
            live_key(&live("6", Some(0), Some(65535), "10.0.0.0/16")),
            Some(k)
        );
    }

    #[test]
    fn all_protocols_ignore_ports_and_icmp_all_is_minus_one() {
        let r = rule(
            Protocol::All,
            None,
            RulePeer::CidrIpv4("0.0.0.0/0".parse().unwrap()),
        );
        let k = plan_key(&r, "sg-1", None).unwrap();
        assert_eq!(live_key(&live("-1", None, None, "0.0.0.0/0")), Some(k));
        let r = rule(
            Protocol::Icmp,
            None,
            RulePeer::CidrIpv4("0.0.0.0/0".parse().unwrap()),
        );
        let k = plan_key(&r, "sg-1", None).unwrap();
        assert_eq!(
            live_key(&live("icmp", Some(-1), Some(-1), "0.0.0.0/0")),
            Some(k)
        );
        let r = rule(
            Protocol::Icmp,
            Some(PortRange::one(8)),
            RulePeer::CidrIpv4("0.0.0.0/0".parse().unwrap()),
        );
        assert_eq!(
            aws_ports(Protocol::Icmp, Some(PortRange::one(8))),
            Ok(Some((8, -1)))
        );
        let k = plan_key(&r, "sg-1", None).unwrap();
        assert_eq!(
            live_key(&live("1", Some(8), Some(-1), "0.0.0.0/0")),
            Some(k)
        );
        assert!(aws_ports(Protocol::Icmp, Some(PortRange { from: 3, to: 4 })).is_err());
    }

    #[test]
    fn icmpv6_and_ipv6_blocks_normalise() {
        let r = rule(
            Protocol::Icmpv6,
            None,
            RulePeer::CidrIpv6(planner_core::sg::Ipv6Block(
                "2001:db8::/32".parse().unwrap(),
            )),
        );
        let k = plan_key(&r, "sg-1", None).unwrap();
        let l = SecurityGroupRule::builder()
            .group_id("sg-1")
            .is_egress(false)
            .ip_protocol("icmpv6")
            .from_port(-1)
            .to_port(-1)
            .cidr_ipv6("2001:DB8:0::/32")
            .build();
        assert_eq!(live_key(&l), Some(k));
    }

    #[test]
    fn group_peers_match_by_aws_id() {
        let r = rule(
            Protocol::Tcp,
            Some(PortRange::one(5432)),
            RulePeer::SecurityGroup("security_group.b".to_owned()),
        );
        let k = plan_key(&r, "sg-1", Some("sg-2")).unwrap();
        let l = SecurityGroupRule::builder()
            .group_id("sg-1")
            .is_egress(false)
            .ip_protocol("tcp")
            .from_port(5432)
            .to_port(5432)
            .referenced_group_info(
                aws_sdk_ec2::types::ReferencedSecurityGroup::builder()
                    .group_id("sg-2")
                    .build(),
            )
            .build();
        assert_eq!(live_key(&l), Some(k));
        let p = permission(&r, Some("sg-2")).unwrap();
        assert_eq!(p.user_id_group_pairs()[0].group_id(), Some("sg-2"));
        assert_eq!((p.from_port(), p.to_port()), (Some(5432), Some(5432)));
    }

    #[test]
    fn default_egress_is_recognised() {
        let k = Key {
            group: "sg-1".into(),
            egress: true,
            protocol: "-1".into(),
            from: -1,
            to: -1,
            peer: "v6:::/0".into(),
        };
        assert!(k.is_default_egress());
        assert!(!Key {
            egress: false,
            ..k.clone()
        }
        .is_default_egress());
    }
}
