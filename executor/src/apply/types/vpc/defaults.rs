//! What AWS makes with every VPC and the plan keeps to the design when it asks: the default
//! security group's rules (none, with `restrict_default_security_group`; left alone
//! otherwise) and the default network ACL's rules (AWS's allow-all with `allow_all`, or none
//! with `deny_all`; left alone, not even read, when `default_network_acl` is absent).
//! Neither carries the plan's tag: both are found by the VPC's id, and go with it on
//! destroy.

use std::collections::BTreeMap;

use aws_sdk_ec2::types::{Filter, NetworkAcl, NetworkAclEntry, RuleAction, SecurityGroup};
use planner_core::design::DefaultNetworkAcl;

use crate::apply::context::Cx;
use crate::apply::model::ApplyError;
use crate::apply::shared::attrs::DISCOVERY;
use crate::apply::shared::ec2::code;

/// The attribute holding the default group's id, and how many rules it has.
pub const GROUP: &str = "default_security_group";
/// The number of rules of the default group.
pub const GROUP_RULES: &str = "default_security_group_rules";
/// The attribute holding the default network ACL's id.
pub const ACL_ID: &str = "default_network_acl_id";
/// The default network ACL's rules, as [`summary`] writes them.
pub const ACL: &str = "default_network_acl";

/// The rule AWS numbers `*` (the final deny) for IPv4, which cannot be removed; the IPv6 one
/// is 32768. Rules anyone can add are numbered 1 to 32766.
const FINAL_RULE: i32 = 32767;

/// One rule of a network ACL, as far as the plan cares.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Entry {
    egress: bool,
    number: i32,
    allow: bool,
    protocol: String,
    cidr: String,
    /// Ports or ICMP type and code, for rules the plan does not make.
    detail: String,
}

impl Entry {
    fn of(e: &NetworkAclEntry) -> Option<Entry> {
        let number = e.rule_number()?;
        (number < FINAL_RULE).then(|| Entry {
            egress: e.egress().unwrap_or(false),
            number,
            allow: e.rule_action() == Some(&RuleAction::Allow),
            protocol: e.protocol().unwrap_or("-1").to_owned(),
            cidr: e
                .cidr_block()
                .or(e.ipv6_cidr_block())
                .unwrap_or("-")
                .to_owned(),
            detail: match (e.port_range(), e.icmp_type_code()) {
                (Some(p), _) => format!(" ports {}-{}", p.from().unwrap_or(0), p.to().unwrap_or(0)),
                (_, Some(i)) => format!(
                    " icmp {}/{}",
                    i.r#type().unwrap_or(0),
                    i.code().unwrap_or(0)
                ),
                _ => String::new(),
            },
        })
    }

    fn allow_all(egress: bool, number: i32, cidr: &str) -> Entry {
        Entry {
            egress,
            number,
            allow: true,
            protocol: "-1".to_owned(),
            cidr: cidr.to_owned(),
            detail: String::new(),
        }
    }

    fn text(&self) -> String {
        format!(
            "{} {} {} {} {}{}",
            if self.egress { "out" } else { "in" },
            self.number,
            if self.allow { "allow" } else { "deny" },
            if self.protocol == "-1" {
                "all"
            } else {
                &self.protocol
            },
            self.cidr,
            self.detail
        )
    }
}

/// The rules `acl` asks of a VPC with (or without) IPv6: AWS's allow-all in both directions
/// (rule 100 for IPv4, 101 for IPv6), or none.
fn wanted(acl: DefaultNetworkAcl, ipv6: bool) -> Vec<Entry> {
    match acl {
        DefaultNetworkAcl::DenyAll => Vec::new(),
        DefaultNetworkAcl::AllowAll => {
            let mut v = Vec::new();
            for egress in [false, true] {
                v.push(Entry::allow_all(egress, 100, "0.0.0.0/0"));
                if ipv6 {
                    v.push(Entry::allow_all(egress, 101, "::/0"));
                }
            }
            v.sort();
            v
        }
    }
}

fn summary(entries: &[Entry]) -> String {
    if entries.is_empty() {
        return "no rules".to_owned();
    }
    entries
        .iter()
        .map(Entry::text)
        .collect::<Vec<_>>()
        .join(", ")
}

/// How the design's `default_network_acl` reads in drift.
pub fn wanted_summary(acl: DefaultNetworkAcl, ipv6: bool) -> String {
    summary(&wanted(acl, ipv6))
}

fn entries(acl: &NetworkAcl) -> Vec<Entry> {
    let mut v: Vec<Entry> = acl.entries().iter().filter_map(Entry::of).collect();
    v.sort();
    v
}

fn vpc_filter(vpc_ids: &[String]) -> Filter {
    Filter::builder()
        .name("vpc-id")
        .set_values(Some(vpc_ids.to_vec()))
        .build()
}

/// The rules an AWS group holds: one per address range, group or prefix list of each of
/// its permissions.
fn rule_count(g: &SecurityGroup) -> usize {
    g.ip_permissions()
        .iter()
        .chain(g.ip_permissions_egress())
        .map(|p| {
            p.ip_ranges().len()
                + p.ipv6_ranges().len()
                + p.user_id_group_pairs().len()
                + p.prefix_list_ids().len()
        })
        .sum()
}

/// The default security groups of `vpc_ids` (an error is `id`'s).
async fn default_groups(
    cx: &Cx,
    id: &str,
    vpc_ids: &[String],
) -> Result<Vec<SecurityGroup>, ApplyError> {
    let out = cx
        .aws
        .ec2(|c| {
            c.describe_security_groups()
                .filters(vpc_filter(vpc_ids))
                .filters(
                    Filter::builder()
                        .name("group-name")
                        .values("default")
                        .build(),
                )
                .send()
        })
        .await
        .map_err(|e| ApplyError::sdk(id, e))?;
    Ok(out.security_groups().to_vec())
}

/// The default network ACLs of `vpc_ids` (an error is `id`'s).
async fn default_acls(
    cx: &Cx,
    id: &str,
    vpc_ids: &[String],
) -> Result<Vec<NetworkAcl>, ApplyError> {
    let out = cx
        .aws
        .ec2(|c| {
            c.describe_network_acls()
                .filters(vpc_filter(vpc_ids))
                .filters(Filter::builder().name("default").values("true").build())
                .send()
        })
        .await
        .map_err(|e| ApplyError::sdk(id, e))?;
    Ok(out.network_acls().to_vec())
}

/// The attributes of the default group and network ACL of each of `vpc_ids`, by VPC id:
/// one describe of the default ACLs when `acls` (only a plan that sets `default_network_acl`
/// looks at them), and of the default groups when `groups` (only a plan that restricts its
/// default group looks at it).
pub async fn discover(
    cx: &Cx,
    vpc_ids: &[String],
    groups: bool,
    acls: bool,
) -> Result<BTreeMap<String, BTreeMap<String, String>>, ApplyError> {
    let mut out: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    if vpc_ids.is_empty() {
        return Ok(out);
    }
    if acls {
        discover_acls(cx, vpc_ids, &mut out).await?;
    }
    if groups {
        for g in &default_groups(cx, DISCOVERY, vpc_ids).await? {
            let (Some(vpc), Some(id)) = (g.vpc_id(), g.group_id()) else {
                continue;
            };
            let a = out.entry(vpc.to_owned()).or_default();
            a.insert(GROUP.to_owned(), id.to_owned());
            a.insert(GROUP_RULES.to_owned(), rule_count(g).to_string());
        }
    }
    Ok(out)
}

/// The id and rules of the default network ACL of each of `vpc_ids`, into `out`.
async fn discover_acls(
    cx: &Cx,
    vpc_ids: &[String],
    out: &mut BTreeMap<String, BTreeMap<String, String>>,
) -> Result<(), ApplyError> {
    for acl in &default_acls(cx, DISCOVERY, vpc_ids).await? {
        let (Some(vpc), Some(id)) = (acl.vpc_id(), acl.network_acl_id()) else {
            continue;
        };
        let a = out.entry(vpc.to_owned()).or_default();
        a.insert(ACL_ID.to_owned(), id.to_owned());
        a.insert(ACL.to_owned(), summary(&entries(acl)));
    }
    Ok(())
}

/// Removes every rule of the default group of `vpc_id`, read afresh.
pub async fn restrict_group(cx: &Cx, id: &str, vpc_id: &str) -> Result<(), ApplyError> {
    let groups = default_groups(cx, id, &[vpc_id.to_owned()]).await?;
    let Some(group) = groups.first() else {
        return Err(ApplyError::new(
            id,
            format!("VPC {vpc_id} has no default security group"),
        ));
    };
    let group_id = group.group_id().unwrap_or_default().to_owned();
    if !group.ip_permissions().is_empty() {
        let perms = group.ip_permissions().to_vec();
        cx.aws
            .ec2(|c| {
                c.revoke_security_group_ingress()
                    .group_id(&group_id)
                    .set_ip_permissions(Some(perms.clone()))
                    .send()
            })
            .await
            .map_err(|e| ApplyError::sdk(id, e))?;
    }
    if !group.ip_permissions_egress().is_empty() {
        let perms = group.ip_permissions_egress().to_vec();
        cx.aws
            .ec2(|c| {
                c.revoke_security_group_egress()
                    .group_id(&group_id)
                    .set_ip_permissions(Some(perms.clone()))
                    .send()
            })
            .await
            .map_err(|e| ApplyError::sdk(id, e))?;
    }
    Ok(())
}

/// Brings the rules of the default network ACL of `vpc_id`, read afresh, to what `acl` asks:
/// removes the others, then adds what is missing (a rule AWS added meanwhile, as it does
/// for IPv6, counts as added).
pub async fn keep_acl(
    cx: &Cx,
    id: &str,
    vpc_id: &str,
    acl: DefaultNetworkAcl,
    ipv6: bool,
) -> Result<(), ApplyError> {
    let acls = default_acls(cx, id, &[vpc_id.to_owned()]).await?;
    let Some(live) = acls.first() else {
        return Err(ApplyError::new(
            id,
            format!("VPC {vpc_id} has no default network ACL"),
        ));
    };
    let acl_id = live.network_acl_id().unwrap_or_default().to_owned();
    let want = wanted(acl, ipv6);
    let have = entries(live);
    for e in have.iter().filter(|e| !want.contains(e)) {
        let out = cx
            .aws
            .ec2(|c| {
                c.delete_network_acl_entry()
                    .network_acl_id(&acl_id)
                    .rule_number(e.number)
                    .egress(e.egress)
                    .send()
            })
            .await;
        match out {
            Err(err) if !code(&err).is_some_and(|c| c.ends_with("NotFound")) => {
                return Err(ApplyError::sdk(id, err))
            }
            _ => {}
        }
    }
    for e in want.iter().filter(|e| !have.contains(e)) {
        let out = cx
            .aws
            .ec2(|c| {
                let req = c
                    .create_network_acl_entry()
                    .network_acl_id(&acl_id)
                    .rule_number(e.number)
                    .egress(e.egress)
                    .protocol(&e.protocol)
                    .rule_action(RuleAction::Allow);
                if e.cidr.contains(':') {
                    req.ipv6_cidr_block(&e.cidr)
                } else {
                    req.cidr_block(&e.cidr)
                }
                .send()
            })
            .await;
        match out {
            Err(err) if code(&err) != Some("NetworkAclEntryAlreadyExists") => {
                return Err(ApplyError::sdk(id, err))
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allow_all_is_awss_default() {
        assert_eq!(
            wanted_summary(DefaultNetworkAcl::AllowAll, false),
            "in 100 allow all 0.0.0.0/0, out 100 allow all 0.0.0.0/0"
        );
        assert_eq!(
            wanted_summary(DefaultNetworkAcl::AllowAll, true),
            "in 100 allow all 0.0.0.0/0, in 101 allow all ::/0, out 100 allow all 0.0.0.0/0, out 101 allow all ::/0"
        );
        assert_eq!(wanted_summary(DefaultNetworkAcl::DenyAll, true), "no rules");
    }

    #[test]
    fn the_final_deny_is_not_a_rule() {
        let star = NetworkAclEntry::builder()
            .rule_number(FINAL_RULE)
            .rule_action(RuleAction::Deny)
            .cidr_block("0.0.0.0/0")
            .protocol("-1")
            .build();
        assert_eq!(Entry::of(&star), None);
        let star6 = NetworkAclEntry::builder()
            .rule_number(FINAL_RULE + 1)
            .rule_action(RuleAction::Deny)
            .ipv6_cidr_block("::/0")
            .protocol("-1")
            .build();
        assert_eq!(Entry::of(&star6), None);
    }
}
