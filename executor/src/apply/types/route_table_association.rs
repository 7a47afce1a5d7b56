//! `route_table_association`: which table a subnet uses. Associations carry no tags: they are
//! the plan's when their subnet is, and are matched once subnets and tables are found.

use std::collections::BTreeMap;

use aws_sdk_ec2::types::{Filter, RouteTable};
use planner_core::resource::ResourceType;
use planner_core::{Resource, ResourceKind};

use crate::apply::context::Cx;
use crate::apply::model::{attr_drift, ApplyError, Drift, Live, LiveRes, Orphan};
use crate::apply::shared::attrs::{attrs, not_a};
use crate::apply::shared::ec2::{code, deleted, retag};

/// Deleted first, with the other leaves.
pub const DESTROY_RANK: usize = 0;

/// The key a live association waits under until [`discover`] matches it.
const PENDING: &str = "association|";

/// Notes the subnet associations of one described table, to be matched by [`discover`].
pub fn collect(t: &RouteTable, live: &mut Live) {
    let rt_id = t.route_table_id().unwrap_or_default();
    for assoc in t.associations() {
        let Some(subnet) = assoc.subnet_id() else {
            continue;
        };
        let res = LiveRes {
            aws_id: assoc
                .route_table_association_id()
                .unwrap_or_default()
                .to_owned(),
            arn: None,
            attrs: attrs([
                ("subnet", subnet.to_owned()),
                ("route_table", rt_id.to_owned()),
            ]),
            tags: BTreeMap::new(),
        };
        live.found.insert(format!("{PENDING}{subnet}"), res);
    }
}

/// Matches the collected associations to the plan by their subnet, once subnets and route
/// tables are found; the others are orphans.
pub fn discover(cx: &Cx, live: &mut Live) {
    let keys: Vec<String> = live
        .found
        .keys()
        .filter(|k| k.starts_with(PENDING))
        .cloned()
        .collect();
    for key in keys {
        let res = live.found.remove(&key).expect("listed");
        let subnet_aws = &res.attrs["subnet"];
        let rt_aws = &res.attrs["route_table"];
        let planned = cx.plan.resources.iter().find(|r| match &r.kind {
            ResourceKind::RouteTableAssociation { subnet, .. } => live
                .found
                .get(subnet)
                .is_some_and(|s| s.aws_id == *subnet_aws),
            _ => false,
        });
        match planned {
            Some(r) => {
                let mut res = res.clone();
                if let ResourceKind::RouteTableAssociation { route_table, .. } = &r.kind {
                    let planned_rt = live.found.get(route_table).map(|t| t.aws_id.clone());
                    res.attrs.insert(
                        "route_table".to_owned(),
                        if planned_rt.as_deref() == Some(rt_aws) {
                            route_table.clone()
                        } else {
                            rt_aws.clone()
                        },
                    );
                }
                res.attrs.remove("subnet");
                live.found.insert(r.id.clone(), res);
            }
            None => live.orphans.push(Orphan::new(
                format!("association of {subnet_aws}"),
                ResourceType::RouteTableAssociation,
                res.clone(),
            )),
        }
    }
}

/// Nothing the plan no longer has stands in the way of creating one.
pub fn conflicts(_cx: &Cx, _r: &Resource, _orphan: &LiveRes) -> bool {
    false
}

/// How the live association differs: the table it points at (repairable).
pub fn drift(_cx: &Cx, r: &Resource, live: &LiveRes) -> Vec<Drift> {
    let want = match &r.kind {
        ResourceKind::RouteTableAssociation { route_table, .. } => {
            attrs([("route_table", route_table.clone())])
        }
        _ => BTreeMap::new(),
    };
    attr_drift(&want, &live.attrs, &["route_table"])
}

/// Associates the subnet with the table; a subnet associated elsewhere (by hand, or with its
/// old table) is moved.
pub async fn create(cx: &Cx, r: &Resource) -> Result<LiveRes, ApplyError> {
    let ResourceKind::RouteTableAssociation {
        route_table,
        subnet,
    } = &r.kind
    else {
        return Err(not_a(r, ResourceType::RouteTableAssociation));
    };
    let id = r.id.as_str();
    let (rt, sn) = (cx.id_of(route_table)?, cx.id_of(subnet)?);
    let out = cx
        .aws
        .ec2(|c| {
            c.associate_route_table()
                .route_table_id(&rt)
                .subnet_id(&sn)
                .send()
        })
        .await;
    let assoc = match out {
        Ok(o) => o.association_id().unwrap_or_default().to_owned(),
        Err(e) if code(&e) == Some("Resource.AlreadyAssociated") => {
            let current = current_association(cx, id, &sn).await?;
            let o = cx
                .aws
                .ec2(|c| {
                    c.replace_route_table_association()
                        .association_id(current)
                        .route_table_id(&rt)
                        .send()
                })
                .await
                .map_err(|e| ApplyError::sdk(id, e))?;
            o.new_association_id().unwrap_or_default().to_owned()
        }
        Err(e) => return Err(ApplyError::sdk(id, e)),
    };
    Ok(LiveRes {
        aws_id: assoc,
        attrs: attrs([("route_table", route_table.clone())]),
        ..LiveRes::default()
    })
}

async fn current_association(cx: &Cx, id: &str, subnet: &str) -> Result<String, ApplyError> {
    let out = cx
        .aws
        .ec2(|c| {
            c.describe_route_tables()
                .filters(
                    Filter::builder()
                        .name("association.subnet-id")
                        .values(subnet)
                        .build(),
                )
                .send()
        })
        .await
        .map_err(|e| ApplyError::sdk(id, e))?;
    out.route_tables()
        .iter()
        .flat_map(|t| t.associations())
        .find(|a| a.subnet_id() == Some(subnet))
        .and_then(|a| a.route_table_association_id())
        .map(str::to_owned)
        .ok_or_else(|| {
            ApplyError::new(
                id,
                format!("subnet {subnet} says it is associated but no table has it"),
            )
        })
}

/// Moves the subnet to the planned table.
pub async fn repair(
    cx: &Cx,
    r: &Resource,
    live: &LiveRes,
    drift: &[Drift],
) -> Result<(), ApplyError> {
    for d in drift {
        match d.what.as_str() {
            w if w.starts_with("tag ") => retag(cx, r, &live.aws_id).await?,
            "route_table" => {
                create(cx, r).await?;
            }
            _ => return Err(ApplyError::new(&r.id, format!("cannot repair {d}"))),
        }
    }
    Ok(())
}

/// Disassociates; gone already counts as deleted.
pub async fn delete(cx: &Cx, id: &str, live: &LiveRes) -> Result<(), ApplyError> {
    let out = cx
        .aws
        .ec2(|c| {
            c.disassociate_route_table()
                .association_id(&live.aws_id)
                .send()
        })
        .await;
    deleted(id, out)
}
