//! `network_acl_entry`: one numbered rule of an owned network ACL. Rules carry no tags: each
//! is found in its ACL's describe and matched to the plan by ACL, direction and number, which
//! AWS keeps unique. A rule whose content (action, protocol, ports or ICMP type, block)
//! differs is replaced in place; a number the plan does not have (added by hand) is an
//! orphan. AWS's final deny rules (32767, and 32768 for IPv6) are neither.

use std::collections::BTreeMap;
use std::time::Duration;

use aws_sdk_ec2::types::{IcmpTypeCode, NetworkAcl, NetworkAclEntry, PortRange, RuleAction};
use planner_core::design::acl::{AclAction, AclBlock, MAX_RULE_NUMBER};
use planner_core::design::sg::{PortRange as Ports, Protocol};
use planner_core::resource::{Direction, ResourceType};
use planner_core::{Resource, ResourceKind};

use crate::apply::context::Cx;
use crate::apply::model::{attr_drift, ApplyError, Drift, Live, LiveRes, Orphan, ID_TAG, PLAN_TAG};
use crate::apply::shared::attrs::{attrs, not_a};
use crate::apply::shared::ec2::{code, deleted, tag_map};
use crate::apply::shared::wait::{retry_while, Backoff, Limit};

/// Deleted first, with the other leaves (an ACL's rules also go with it).
pub const DESTROY_RANK: usize = 0;

fn direction_str(egress: bool) -> &'static str {
    if egress {
        "out"
    } else {
        "in"
    }
}

/// The AWS id a rule is known by: `acl-…|in|100`.
fn aws_id(acl: &str, egress: bool, number: i32) -> String {
    format!("{acl}|{}|{number}", direction_str(egress))
}

/// A block as AWS prints it (compressed IPv6, lower case).
fn norm_cidr(s: &str) -> String {
    s.parse::<ipnet::IpNet>()
        .map_or_else(|_| s.to_ascii_lowercase(), |n| n.to_string())
}

/// AWS's protocol number for `p`.
fn protocol_number(p: Protocol) -> &'static str {
    match p {
        Protocol::Tcp => "6",
        Protocol::Udp => "17",
        Protocol::Icmp => "1",
        Protocol::Icmpv6 => "58",
        Protocol::All => "-1",
    }
}

/// The protocol's name from AWS's number (or a name, as some emulators echo).
fn protocol_name(p: &str) -> String {
    match p.to_ascii_lowercase().as_str() {
        "6" | "tcp" => "tcp".to_owned(),
        "17" | "udp" => "udp".to_owned(),
        "1" | "icmp" => "icmp".to_owned(),
        "58" | "icmpv6" => "icmpv6".to_owned(),
        "-1" | "all" => "all".to_owned(),
        other => other.to_owned(),
    }
}

/// What a rule matches besides protocol and block: a port range for TCP and UDP (every port
/// when the design gives none), an ICMP type and code for ICMP (type -1: every type; the
/// code is always every code), nothing for all protocols.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Detail {
    Ports(i32, i32),
    Icmp(i32, i32),
    None,
}

impl Detail {
    fn planned(protocol: Protocol, ports: Option<Ports>) -> Detail {
        match protocol {
            Protocol::Tcp | Protocol::Udp => {
                let p = ports.unwrap_or(Ports::ALL);
                Detail::Ports(i32::from(p.from), i32::from(p.to))
            }
            Protocol::Icmp | Protocol::Icmpv6 => {
                Detail::Icmp(ports.map_or(-1, |p| i32::from(p.from)), -1)
            }
            Protocol::All => Detail::None,
        }
    }

    fn live(e: &NetworkAclEntry) -> Detail {
        match protocol_name(e.protocol().unwrap_or("-1")).as_str() {
            "tcp" | "udp" => e.port_range().map_or(Detail::None, |p| {
                Detail::Ports(p.from().unwrap_or(0), p.to().unwrap_or(0))
            }),
            "icmp" | "icmpv6" => e.icmp_type_code().map_or(Detail::None, |i| {
                Detail::Icmp(i.r#type().unwrap_or(-1), i.code().unwrap_or(-1))
            }),
            _ => Detail::None,
        }
    }

    fn text(self) -> String {
        match self {
            Detail::Ports(from, to) => format!("{from}-{to}"),
            Detail::Icmp(t, c) => format!("type {t} code {c}"),
            Detail::None => "-".to_owned(),
        }
    }
}

/// The attributes drift compares, for a live rule.
fn live_attrs(e: &NetworkAclEntry) -> BTreeMap<String, String> {
    let action = match e.rule_action() {
        Some(RuleAction::Allow) => "allow",
        Some(RuleAction::Deny) => "deny",
        _ => "-",
    };
    attrs([
        ("action", action.to_owned()),
        ("protocol", protocol_name(e.protocol().unwrap_or("-1"))),
        ("ports", Detail::live(e).text()),
        (
            "block",
            e.cidr_block()
                .or(e.ipv6_cidr_block())
                .map_or_else(|| "-".to_owned(), norm_cidr),
        ),
    ])
}

/// The rule the plan asks for, as what it needs to be created or replaced.
struct Wanted<'a> {
    acl: &'a str,
    egress: bool,
    number: i32,
    action: AclAction,
    protocol: Protocol,
    detail: Detail,
    block: AclBlock,
}

impl<'a> Wanted<'a> {
    fn of(r: &'a Resource) -> Option<Wanted<'a>> {
        let ResourceKind::NetworkAclEntry {
            network_acl,
            direction,
            rule_number,
            action,
            protocol,
            ports,
            block,
            ..
        } = &r.kind
        else {
            return None;
        };
        Some(Wanted {
            acl: network_acl,
            egress: *direction == Direction::Egress,
            number: i32::try_from(*rule_number).unwrap_or(i32::MAX),
            action: *action,
            protocol: *protocol,
            detail: Detail::planned(*protocol, *ports),
            block: *block,
        })
    }

    fn attrs(&self) -> BTreeMap<String, String> {
        attrs([
            ("action", self.action.as_str().to_owned()),
            ("protocol", self.protocol.as_str().to_owned()),
            ("ports", self.detail.text()),
            ("block", norm_cidr(&self.block.to_string())),
        ])
    }
}

/// Sorts the rules of one described ACL into `live`, when it is the plan's ACL of its id:
/// the plan's by direction and number, the others as orphans. The rules of an ACL the plan
/// no longer has (or of a second copy) are left to go with it.
pub fn discover(cx: &Cx, acl: &NetworkAcl, live: &mut Live) {
    let acl_aws = acl.network_acl_id().unwrap_or_default();
    let tags = tag_map(acl.tags());
    let Some(acl_id) = tags.get(ID_TAG) else {
        return;
    };
    let ours = tags.get(PLAN_TAG) == Some(&cx.plan.design.name)
        && live.found.get(acl_id).is_some_and(|l| l.aws_id == acl_aws)
        && cx
            .plan
            .resource(acl_id)
            .is_some_and(|r| r.kind.resource_type() == ResourceType::NetworkAcl);
    if !ours {
        return;
    }
    for e in acl.entries() {
        let Some(number) = e.rule_number() else {
            continue;
        };
        if number > i32::try_from(MAX_RULE_NUMBER).unwrap_or(i32::MAX) {
            continue; // AWS's final deny rules
        }
        let egress = e.egress().unwrap_or(false);
        let res = LiveRes {
            aws_id: aws_id(acl_aws, egress, number),
            attrs: live_attrs(e),
            ..LiveRes::default()
        };
        let planned = cx.plan.resources.iter().find(|r| {
            Wanted::of(r)
                .is_some_and(|w| w.acl == acl_id && w.egress == egress && w.number == number)
        });
        match planned {
            Some(r) => {
                live.found.insert(r.id.clone(), res);
            }
            None => live.orphans.push(Orphan::new(
                format!("rule {} {number} of {acl_id}", direction_str(egress)),
                ResourceType::NetworkAclEntry,
                res,
            )),
        }
    }
}

/// Nothing the plan no longer has stands in the way of creating one: a rule of the same
/// number is the plan's own, found and compared.
pub fn conflicts(_cx: &Cx, _r: &Resource, _orphan: &LiveRes) -> bool {
    false
}

/// How the live rule differs: its action, protocol, ports or ICMP type, or block, each
/// replaced in place.
pub fn drift(_cx: &Cx, r: &Resource, live: &LiveRes) -> Vec<Drift> {
    let Some(w) = Wanted::of(r) else {
        return Vec::new();
    };
    attr_drift(
        &w.attrs(),
        &live.attrs,
        &["action", "protocol", "ports", "block"],
    )
}

/// Creates (or, with `replace`, replaces) the rule numbered as planned.
async fn send(
    cx: &Cx,
    id: &str,
    acl: &str,
    w: &Wanted<'_>,
    replace: bool,
) -> Result<(), ApplyError> {
    let action = match w.action {
        AclAction::Allow => RuleAction::Allow,
        AclAction::Deny => RuleAction::Deny,
    };
    let (cidr, ipv6) = match w.block {
        AclBlock::Ipv4(c) => (Some(c.to_string()), None),
        AclBlock::Ipv6(b) => (None, Some(b.to_string())),
    };
    let (ports, icmp) = match w.detail {
        Detail::Ports(from, to) => (Some(PortRange::builder().from(from).to(to).build()), None),
        Detail::Icmp(t, c) => (
            None,
            Some(IcmpTypeCode::builder().r#type(t).code(c).build()),
        ),
        Detail::None => (None, None),
    };
    macro_rules! entry {
        ($req:expr) => {
            $req.network_acl_id(acl)
                .rule_number(w.number)
                .egress(w.egress)
                .protocol(protocol_number(w.protocol))
                .rule_action(action.clone())
                .set_cidr_block(cidr.clone())
                .set_ipv6_cidr_block(ipv6.clone())
                .set_port_range(ports.clone())
                .set_icmp_type_code(icmp.clone())
                .send()
        };
    }
    if replace {
        cx.aws
            .ec2(|c| entry!(c.replace_network_acl_entry()))
            .await
            .map(|_| ())
            .map_err(|e| ApplyError::sdk(id, e))
    } else {
        // A new ACL can be unknown to the next call for a moment (EC2 is eventually
        // consistent): retried while it is, for a bounded time.
        let backoff = Backoff::doubling(
            cx,
            id,
            "the new network ACL to be known",
            Duration::from_millis(250),
            Duration::from_secs(5),
        )
        .say_from(Duration::from_secs(2));
        retry_while(
            backoff,
            Limit::Time(Duration::from_secs(30)),
            |e| code(e) == Some("InvalidNetworkAclID.NotFound"),
            || cx.aws.ec2(|c| entry!(c.create_network_acl_entry())),
        )
        .await
        .map(|_| ())
        .map_err(|e| match code(&e) {
            Some("NetworkAclEntryAlreadyExists") => {
                ApplyError::new(id, "NetworkAclEntryAlreadyExists")
            }
            _ => ApplyError::sdk(id, e),
        })
    }
}

/// Creates the rule; one that exists already under its number (made before a crash) is
/// replaced with the plan's.
pub async fn create(cx: &Cx, r: &Resource) -> Result<LiveRes, ApplyError> {
    let w = Wanted::of(r).ok_or_else(|| not_a(r, ResourceType::NetworkAclEntry))?;
    let acl = cx.id_of(w.acl)?;
    if let Err(e) = send(cx, &r.id, &acl, &w, false).await {
        if e.message != "NetworkAclEntryAlreadyExists" {
            return Err(e);
        }
        send(cx, &r.id, &acl, &w, true).await?;
    }
    Ok(LiveRes {
        aws_id: aws_id(&acl, w.egress, w.number),
        attrs: w.attrs(),
        ..LiveRes::default()
    })
}

/// Replaces a rule whose content differs, in place (its number and direction are its key).
pub async fn repair(
    cx: &Cx,
    r: &Resource,
    _live: &LiveRes,
    drift: &[Drift],
) -> Result<(), ApplyError> {
    if let Some(d) = drift
        .iter()
        .find(|d| !["action", "protocol", "ports", "block"].contains(&d.what.as_str()))
    {
        return Err(ApplyError::new(&r.id, format!("cannot repair {d}")));
    }
    let w = Wanted::of(r).ok_or_else(|| not_a(r, ResourceType::NetworkAclEntry))?;
    let acl = cx.id_of(w.acl)?;
    send(cx, &r.id, &acl, &w, true).await
}

/// Deletes the rule (`aws_id` is `acl|in|number`); gone already counts as deleted.
pub async fn delete(cx: &Cx, id: &str, live: &LiveRes) -> Result<(), ApplyError> {
    let mut parts = live.aws_id.split('|');
    let (Some(acl), Some(dir), Some(number)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(ApplyError::new(
            id,
            format!("{} names no ACL rule", live.aws_id),
        ));
    };
    let number: i32 = number
        .parse()
        .map_err(|_| ApplyError::new(id, format!("{} names no ACL rule", live.aws_id)))?;
    let out = cx
        .aws
        .ec2(|c| {
            c.delete_network_acl_entry()
                .network_acl_id(acl)
                .rule_number(number)
                .egress(dir == "out")
                .send()
        })
        .await;
    deleted(id, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icmp_without_a_type_is_every_type_and_tcp_without_ports_every_port() {
        assert_eq!(Detail::planned(Protocol::Icmp, None), Detail::Icmp(-1, -1));
        assert_eq!(
            Detail::planned(Protocol::Icmpv6, Some(Ports::one(128))),
            Detail::Icmp(128, -1)
        );
        assert_eq!(
            Detail::planned(Protocol::Tcp, None),
            Detail::Ports(0, 65535)
        );
        assert_eq!(Detail::planned(Protocol::All, None), Detail::None);
    }

    #[test]
    fn live_rules_read_as_planned_ones() {
        let e = NetworkAclEntry::builder()
            .rule_number(100)
            .rule_action(RuleAction::Allow)
            .protocol("6")
            .cidr_block("10.0.0.0/16")
            .port_range(PortRange::builder().from(443).to(443).build())
            .build();
        assert_eq!(
            live_attrs(&e),
            attrs([
                ("action", "allow".to_owned()),
                ("protocol", "tcp".to_owned()),
                ("ports", "443-443".to_owned()),
                ("block", "10.0.0.0/16".to_owned()),
            ])
        );
        let v6 = NetworkAclEntry::builder()
            .rule_number(120)
            .rule_action(RuleAction::Deny)
            .protocol("58")
            .ipv6_cidr_block("2600:1F18::/56")
            .icmp_type_code(IcmpTypeCode::builder().r#type(-1).code(-1).build())
            .build();
        assert_eq!(live_attrs(&v6)["protocol"], "icmpv6");
        assert_eq!(live_attrs(&v6)["ports"], "type -1 code -1");
        assert_eq!(live_attrs(&v6)["block"], "2600:1f18::/56");
    }
}
