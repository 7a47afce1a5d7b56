//! `network_acl_association`: a subnet's use of an owned network ACL. Every subnet is
//! associated with exactly one ACL, the VPC's default one unless moved, so an association is
//! never created or deleted, only moved (`ReplaceNetworkAclAssociation`): created by moving
//! the subnet from whatever ACL it uses onto the plan's, deleted by moving it back onto the
//! VPC's default ACL (found by the VPC's id), which must happen before its ACL is deleted
//! (this type's destroy rank is below `network_acl`'s) and also when the design takes a tier
//! out of an ACL. Associations carry no tags: they are the plan's when their subnet is, and
//! are matched by subnet once subnets and ACLs are found.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use aws_sdk_ec2::types::{Filter, NetworkAcl};
use planner_core::resource::ResourceType;
use planner_core::{Resource, ResourceKind};

use crate::apply::context::Cx;
use crate::apply::model::{attr_drift, ApplyError, Drift, Live, LiveRes, Orphan, ID_TAG};
use crate::apply::shared::attrs::{attrs, not_a, DISCOVERY};
use crate::apply::shared::ec2::{code, deleted, not_found, tag_map};
use crate::apply::shared::wait::{Backoff, Limit};

/// Deleted first, with the other leaves: its subnet is back on the default ACL before its
/// ACL (rank 2) is deleted.
pub const DESTROY_RANK: usize = 0;

/// The key a live association waits under until [`discover`] matches it.
const PENDING: &str = "acl association|";

/// The attribute naming the ACL a subnet uses: the plan id of an owned ACL found as the
/// plan's, else the AWS id (`default acl-…` for the VPC's default ACL).
const ACL: &str = "network_acl";
/// The attributes [`delete`] needs: the subnet's and its VPC's AWS ids.
const SUBNET: &str = "subnet";
const VPC: &str = "vpc";

fn association(acl: &NetworkAcl, subnet: &str, association_id: &str) -> LiveRes {
    let acl_aws = acl.network_acl_id().unwrap_or_default();
    let label = if acl.is_default() == Some(true) {
        format!("default {acl_aws}")
    } else {
        acl_aws.to_owned()
    };
    LiveRes {
        aws_id: association_id.to_owned(),
        attrs: attrs([
            (ACL, label),
            (SUBNET, subnet.to_owned()),
            (VPC, acl.vpc_id().unwrap_or_default().to_owned()),
        ]),
        ..LiveRes::default()
    }
}

/// Notes the subnet associations of one described (owned) ACL, to be matched by
/// [`discover`].
pub fn collect(acl: &NetworkAcl, live: &mut Live) {
    for a in acl.associations() {
        let (Some(subnet), Some(id)) = (a.subnet_id(), a.network_acl_association_id()) else {
            continue;
        };
        let mut res = association(acl, subnet, id);
        // Which owned ACL, by plan id, is settled in `discover`.
        res.tags = tag_map(acl.tags());
        live.found.insert(format!("{PENDING}{subnet}"), res);
    }
}

/// The plan's association whose subnet has AWS id `subnet_aws`, if any.
fn planned_for<'p>(cx: &'p Cx, live: &Live, subnet_aws: &str) -> Option<&'p Resource> {
    cx.plan.resources.iter().find(|r| match &r.kind {
        ResourceKind::NetworkAclAssociation { subnet, .. } => live
            .found
            .get(subnet)
            .is_some_and(|s| s.aws_id == subnet_aws),
        _ => false,
    })
}

/// Records `res` (a subnet's live association) as `r`'s, its ACL as the plan id when it is
/// the plan's ACL found live.
fn record(r: &Resource, mut res: LiveRes, live: &mut Live) {
    if let ResourceKind::NetworkAclAssociation { network_acl, .. } = &r.kind {
        let acl_aws = res.attrs[ACL].clone();
        if live
            .found
            .get(network_acl)
            .is_some_and(|a| a.aws_id == acl_aws)
        {
            res.attrs.insert(ACL.to_owned(), network_acl.clone());
        }
    }
    res.tags = BTreeMap::new();
    live.found.insert(r.id.clone(), res);
}

/// Whether `subnet_aws` is a subnet carrying the plan's tag (in the plan or not any more).
fn owned_subnet(cx: &Cx, live: &Live, subnet_aws: &str) -> bool {
    let planned = live.found.iter().any(|(id, l)| {
        l.aws_id == subnet_aws
            && cx
                .plan
                .resource(id)
                .is_some_and(|r| r.kind.resource_type() == ResourceType::Subnet)
    });
    planned
        || live
            .orphans
            .iter()
            .chain(&live.duplicates)
            .any(|o| o.kind == ResourceType::Subnet && o.aws_id == subnet_aws)
}

/// Matches the collected associations to the plan by their subnet, once subnets and ACLs are
/// found; those of the plan's other subnets (a tier the design took out of an ACL, an ACL the
/// plan no longer has, a subnet moved onto an owned ACL by hand) are orphans. A subnet without
/// the plan's tag on an owned ACL is someone else's and never moved (an ACL it holds is kept
/// on delete). A planned association whose subnet
/// exists but is on no owned ACL (on the default ACL, or moved by hand elsewhere) is read
/// with one more describe, of just those subnets, so `diff` says where it is.
pub async fn discover(cx: &Cx, live: &mut Live) -> Result<(), ApplyError> {
    let keys: Vec<String> = live
        .found
        .keys()
        .filter(|k| k.starts_with(PENDING))
        .cloned()
        .collect();
    for key in keys {
        let res = live.found.remove(&key).expect("listed");
        let subnet_aws = res.attrs[SUBNET].clone();
        match planned_for(cx, live, &subnet_aws) {
            Some(r) => record(r, res, live),
            None if !owned_subnet(cx, live, &subnet_aws) => {}
            None => {
                let acl = res
                    .tags
                    .get(ID_TAG)
                    .cloned()
                    .unwrap_or_else(|| res.attrs[ACL].clone());
                let res = LiveRes {
                    tags: BTreeMap::new(),
                    ..res
                };
                live.orphans.push(Orphan::new(
                    format!("association of {subnet_aws} with {acl}"),
                    ResourceType::NetworkAclAssociation,
                    res,
                ));
            }
        }
    }
    let elsewhere: BTreeSet<String> = cx
        .plan
        .resources
        .iter()
        .filter(|r| !live.found.contains_key(&r.id))
        .filter_map(|r| match &r.kind {
            ResourceKind::NetworkAclAssociation { subnet, .. } => {
                live.found.get(subnet).map(|s| s.aws_id.clone())
            }
            _ => None,
        })
        .collect();
    if elsewhere.is_empty() {
        return Ok(());
    }
    let subnets: Vec<String> = elsewhere.into_iter().collect();
    for acl in acls_of(cx, DISCOVERY, &subnets).await? {
        for a in acl.associations() {
            let (Some(subnet), Some(id)) = (a.subnet_id(), a.network_acl_association_id()) else {
                continue;
            };
            if let Some(r) = planned_for(cx, live, subnet) {
                if subnets.iter().any(|s| s == subnet) {
                    record(r, association(&acl, subnet, id), live);
                }
            }
        }
    }
    Ok(())
}

/// The ACLs that `subnets` use (an error is `id`'s).
async fn acls_of(cx: &Cx, id: &str, subnets: &[String]) -> Result<Vec<NetworkAcl>, ApplyError> {
    let out = cx
        .aws
        .ec2(|c| {
            c.describe_network_acls()
                .filters(
                    Filter::builder()
                        .name("association.subnet-id")
                        .set_values(Some(subnets.to_vec()))
                        .build(),
                )
                .send()
        })
        .await
        .map_err(|e| ApplyError::sdk(id, e))?;
    Ok(out.network_acls().to_vec())
}

/// How long a subnet just created may take to show its default association.
const SETTLE_TIMEOUT: Duration = Duration::from_secs(60);

/// The id of `subnet`'s current association and the ACL it is with, read afresh; a subnet
/// just created may take a moment to show its association with the default ACL.
async fn current(cx: &Cx, id: &str, subnet: &str) -> Result<(String, String), ApplyError> {
    let mut backoff = Backoff::doubling(
        cx,
        id,
        format!("subnet {subnet} to show its network ACL"),
        Duration::from_millis(250),
        Duration::from_secs(8),
    )
    .say_from(Duration::from_secs(2));
    loop {
        let acls = acls_of(cx, id, &[subnet.to_owned()]).await?;
        let found = acls
            .iter()
            .flat_map(|acl| {
                acl.associations()
                    .iter()
                    .map(move |a| (acl.network_acl_id(), a))
            })
            .find(|(_, a)| a.subnet_id() == Some(subnet))
            .and_then(|(acl, a)| {
                Some((a.network_acl_association_id()?.to_owned(), acl?.to_owned()))
            });
        if let Some(found) = found {
            return Ok(found);
        }
        if !backoff.within(Limit::Time(SETTLE_TIMEOUT)) {
            return Err(ApplyError::new(
                id,
                format!("subnet {subnet} is on no network ACL"),
            ));
        }
        backoff.pause().await;
    }
}

/// Moves the subnet of association `association_id` onto `acl`; answers the new
/// association's id.
async fn replace(cx: &Cx, id: &str, association_id: &str, acl: &str) -> Result<String, ApplyError> {
    let out = cx
        .aws
        .ec2(|c| {
            c.replace_network_acl_association()
                .association_id(association_id)
                .network_acl_id(acl)
                .send()
        })
        .await
        .map_err(|e| ApplyError::sdk(id, e))?;
    Ok(out.new_association_id().unwrap_or_default().to_owned())
}

/// Moves the subnet from whatever ACL it uses (the VPC's default one, after its creation)
/// onto the plan's.
pub async fn create(cx: &Cx, r: &Resource) -> Result<LiveRes, ApplyError> {
    let ResourceKind::NetworkAclAssociation {
        network_acl,
        subnet,
    } = &r.kind
    else {
        return Err(not_a(r, ResourceType::NetworkAclAssociation));
    };
    let (acl, sn) = (cx.id_of(network_acl)?, cx.id_of(subnet)?);
    let (now, on) = current(cx, &r.id, &sn).await?;
    let assoc = if on == acl {
        now // moved before a crash
    } else {
        replace(cx, &r.id, &now, &acl).await?
    };
    Ok(LiveRes {
        aws_id: assoc,
        attrs: attrs([(ACL, network_acl.clone()), (SUBNET, sn)]),
        ..LiveRes::default()
    })
}

/// Nothing the plan no longer has stands in the way of creating one.
pub fn conflicts(_cx: &Cx, _r: &Resource, _orphan: &LiveRes) -> bool {
    false
}

/// How the live association differs: the ACL its subnet uses (repairable).
pub fn drift(_cx: &Cx, r: &Resource, live: &LiveRes) -> Vec<Drift> {
    let want = match &r.kind {
        ResourceKind::NetworkAclAssociation { network_acl, .. } => {
            attrs([(ACL, network_acl.clone())])
        }
        _ => BTreeMap::new(),
    };
    attr_drift(&want, &live.attrs, &[ACL])
}

/// Moves the subnet back onto the plan's ACL: with the association discovery found, or, if
/// that one has changed since, with the subnet's current one.
pub async fn repair(
    cx: &Cx,
    r: &Resource,
    live: &LiveRes,
    drift: &[Drift],
) -> Result<(), ApplyError> {
    if let Some(d) = drift.iter().find(|d| d.what != ACL) {
        return Err(ApplyError::new(&r.id, format!("cannot repair {d}")));
    }
    let ResourceKind::NetworkAclAssociation { network_acl, .. } = &r.kind else {
        return Err(not_a(r, ResourceType::NetworkAclAssociation));
    };
    let acl = cx.id_of(network_acl)?;
    let moved = cx
        .aws
        .ec2(|c| {
            c.replace_network_acl_association()
                .association_id(&live.aws_id)
                .network_acl_id(&acl)
                .send()
        })
        .await;
    match moved {
        Ok(_) => Ok(()),
        Err(e) if not_found(code(&e)) => create(cx, r).await.map(|_| ()),
        Err(e) => Err(ApplyError::sdk(&r.id, e)),
    }
}

/// Moves the subnet back onto its VPC's default ACL (an association cannot be removed, only
/// moved); a subnet or association that is gone counts as done.
pub async fn delete(cx: &Cx, id: &str, live: &LiveRes) -> Result<(), ApplyError> {
    let vpc = live
        .attrs
        .get(VPC)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| ApplyError::new(id, "its VPC is not known"))?;
    let out = cx
        .aws
        .ec2(|c| {
            c.describe_network_acls()
                .filters(Filter::builder().name("vpc-id").values(vpc).build())
                .filters(Filter::builder().name("default").values("true").build())
                .send()
        })
        .await
        .map_err(|e| ApplyError::sdk(id, e))?;
    let default = out
        .network_acls()
        .first()
        .and_then(|a| a.network_acl_id())
        .ok_or_else(|| ApplyError::new(id, format!("VPC {vpc} has no default network ACL")))?
        .to_owned();
    let out = cx
        .aws
        .ec2(|c| {
            c.replace_network_acl_association()
                .association_id(&live.aws_id)
                .network_acl_id(&default)
                .send()
        })
        .await;
    deleted(id, out)
}
