//! `route`: one route of a route table. Routes carry no tags: each is found in its table's
//! describe and matched to the plan by table and destination. A route of an owned table to a
//! target no plan makes (peering, transit gateway, virtual private gateway…) is someone
//! else's and left alone. A route through a NAT
//! auto-scaling group targets the instance the group runs now.

use std::collections::BTreeMap;

use aws_sdk_ec2::types::RouteTable;
use planner_core::resource::{Destination, ResourceType, RouteTarget};
use planner_core::{Resource, ResourceKind};

use crate::apply::context::Cx;
use crate::apply::model::{attr_drift, ApplyError, Drift, Live, LiveRes, Orphan, ID_TAG};
use crate::apply::shared::attrs::{attrs, not_a};
use crate::apply::shared::autoscaling::group_instance;
use crate::apply::shared::ec2::{code, deleted, retag, tag_map};

/// Deleted first, with the other leaves.
pub const DESTROY_RANK: usize = 0;

fn dest_string(d: &Destination) -> String {
    match d {
        Destination::Ipv4(c) => c.to_string(),
        Destination::Ipv6(s) => s.clone(),
    }
}

/// Sorts the routes of one described table into `live`: the plan's by table and destination,
/// the others as orphans (the table's `local` route is AWS's, and a route to a prefix list
/// through a VPC endpoint is the gateway endpoint's, kept by `vpc_endpoint`).
pub fn discover(cx: &Cx, t: &RouteTable, live: &mut Live) {
    let rt_id = t.route_table_id().unwrap_or_default();
    let plan_rt = tag_map(t.tags()).get(ID_TAG).cloned().unwrap_or_default();
    for route in t.routes() {
        if route.gateway_id() == Some("local") {
            continue;
        }
        let endpoint = route.gateway_id().is_some_and(|g| g.starts_with("vpce-"));
        if endpoint && route.destination_prefix_list_id().is_some() {
            continue;
        }
        let dest = route
            .destination_cidr_block()
            .or(route.destination_ipv6_cidr_block())
            .unwrap_or_default()
            .to_owned();
        let target = route
            .gateway_id()
            .or(route.egress_only_internet_gateway_id())
            .or(route.nat_gateway_id())
            .or(route.instance_id())
            .unwrap_or("-")
            .to_owned();
        let res = LiveRes {
            aws_id: format!("{rt_id}|{dest}"),
            arn: None,
            attrs: attrs([("target", target)]),
            tags: BTreeMap::new(),
        };
        let planned = cx.plan.resources.iter().find(|r| match &r.kind {
            ResourceKind::Route {
                route_table,
                destination,
                ..
            } => *route_table == plan_rt && dest_string(destination) == dest,
            _ => false,
        });
        // A route to what no plan makes (a peering connection, a transit gateway, a virtual
        // private gateway, a bare network interface…) was added by someone else on purpose
        // (or came with an imported table): it is left alone, never an orphan.
        let foreign = route.transit_gateway_id().is_some()
            || route.vpc_peering_connection_id().is_some()
            || route.local_gateway_id().is_some()
            || route.carrier_gateway_id().is_some()
            || route.core_network_arn().is_some()
            || route.gateway_id().is_some_and(|g| !g.starts_with("igw-"))
            || (route.network_interface_id().is_some() && route.instance_id().is_none())
            || dest.is_empty();
        match planned {
            Some(r) => {
                live.found.insert(r.id.clone(), res);
            }
            None if foreign => {}
            None => live.orphans.push(Orphan::new(
                format!("route of {plan_rt} to {dest}"),
                ResourceType::Route,
                res,
            )),
        }
    }
}

/// Nothing the plan no longer has stands in the way of creating one.
pub fn conflicts(_cx: &Cx, _r: &Resource, _orphan: &LiveRes) -> bool {
    false
}

/// How the live route differs: its target (repairable), unless it goes through an
/// auto-scaling group, whose instance changes when it is replaced.
pub fn drift(cx: &Cx, r: &Resource, live: &LiveRes) -> Vec<Drift> {
    let want = match &r.kind {
        ResourceKind::Route { target, .. } => match target {
            RouteTarget::AutoscalingGroup(_) => BTreeMap::new(),
            t => attrs([(
                "target",
                cx.id_of(t.id()).unwrap_or_else(|_| "-".to_owned()),
            )]),
        },
        _ => BTreeMap::new(),
    };
    attr_drift(&want, &live.attrs, &["target"])
}

/// The id a route targets; for an auto-scaling group, the instance it runs now.
async fn route_target(cx: &Cx, id: &str, target: &RouteTarget) -> Result<String, ApplyError> {
    match target {
        RouteTarget::AutoscalingGroup(group) => group_instance(cx, id, group).await,
        t => cx.id_of(t.id()),
    }
}

/// Creates (or, with `replace`, re-points) the route.
async fn send(
    cx: &Cx,
    id: &str,
    rt: &str,
    destination: &Destination,
    target: (&RouteTarget, &str),
    replace: bool,
) -> Result<(), ApplyError> {
    let (dest4, dest6) = match destination {
        Destination::Ipv4(c) => (Some(c.to_string()), None),
        Destination::Ipv6(s) => (None, Some(s.clone())),
    };
    macro_rules! route {
        ($req:expr) => {{
            let req = $req
                .route_table_id(rt)
                .set_destination_cidr_block(dest4)
                .set_destination_ipv6_cidr_block(dest6);
            match target.0 {
                RouteTarget::InternetGateway(_) => req.gateway_id(target.1),
                RouteTarget::EgressOnlyInternetGateway(_) => {
                    req.egress_only_internet_gateway_id(target.1)
                }
                RouteTarget::NatGateway(_) => req.nat_gateway_id(target.1),
                RouteTarget::Instance(_) | RouteTarget::AutoscalingGroup(_) => {
                    req.instance_id(target.1)
                }
            }
            .send()
        }};
    }
    if replace {
        cx.aws
            .ec2(|c| route!(c.replace_route()))
            .await
            .map(|_| ())
            .map_err(|e| ApplyError::sdk(id, e))
    } else {
        cx.aws
            .ec2(|c| route!(c.create_route()))
            .await
            .map(|_| ())
            .map_err(|e| match code(&e) {
                Some("RouteAlreadyExists") => ApplyError::new(id, "RouteAlreadyExists"),
                _ => ApplyError::sdk(id, e),
            })
    }
}

/// Creates the route; one that exists already (made before a crash, or by a NAT instance at
/// boot) is pointed where the plan says.
pub async fn create(cx: &Cx, r: &Resource) -> Result<LiveRes, ApplyError> {
    let ResourceKind::Route {
        route_table,
        destination,
        target,
    } = &r.kind
    else {
        return Err(not_a(r, ResourceType::Route));
    };
    let id = r.id.as_str();
    let rt = cx.id_of(route_table)?;
    let target_id = route_target(cx, id, target).await?;
    let to = (target, target_id.as_str());
    if let Err(e) = send(cx, id, &rt, destination, to, false).await {
        if e.message != "RouteAlreadyExists" {
            return Err(e);
        }
        send(cx, id, &rt, destination, to, true).await?;
    }
    Ok(LiveRes {
        aws_id: format!("{rt}|{}", dest_string(destination)),
        attrs: attrs([("target", target_id)]),
        ..LiveRes::default()
    })
}

/// Re-points a route whose target differs.
pub async fn repair(
    cx: &Cx,
    r: &Resource,
    live: &LiveRes,
    drift: &[Drift],
) -> Result<(), ApplyError> {
    for d in drift {
        match d.what.as_str() {
            w if w.starts_with("tag ") => retag(cx, r, &live.aws_id).await?,
            "target" => {
                create(cx, r).await?;
            }
            _ => return Err(ApplyError::new(&r.id, format!("cannot repair {d}"))),
        }
    }
    Ok(())
}

/// Deletes the route (`aws_id` is `table|destination`); gone already counts as deleted.
pub async fn delete(cx: &Cx, id: &str, live: &LiveRes) -> Result<(), ApplyError> {
    let aws_id = live.aws_id.as_str();
    let (rt, dest) = aws_id.split_once('|').unwrap_or((aws_id, ""));
    let out = cx
        .aws
        .ec2(|c| {
            let req = c.delete_route().route_table_id(rt);
            if dest.contains(':') {
                req.destination_ipv6_cidr_block(dest)
            } else {
                req.destination_cidr_block(dest)
            }
            .send()
        })
        .await;
    deleted(id, out)
}
