//! `internet_gateway`: the VPC's internet gateway, attached to it.

use std::collections::BTreeMap;

use aws_sdk_ec2::operation::describe_internet_gateways::DescribeInternetGatewaysOutput;
use planner_core::resource::ResourceType;
use planner_core::{Resource, ResourceKind};

use crate::apply::context::Cx;
use crate::apply::model::{attr_drift, tag_drift, ApplyError, Drift, Live, LiveRes};
use crate::apply::shared::attrs::{attrs, not_a, DISCOVERY};
use crate::apply::shared::ec2::{code, deleted, plan_filter, retag, sort_found, tag_map, tag_spec};

/// Detached and deleted once the routes through it and the addresses it serves are gone.
pub const DESTROY_RANK: usize = 2;

/// Every internet gateway carrying the plan's tag (one call, whether or not the plan still
/// has one).
pub async fn describe(cx: &Cx) -> Result<DescribeInternetGatewaysOutput, ApplyError> {
    cx.aws
        .ec2(|c| {
            c.describe_internet_gateways()
                .filters(plan_filter(cx))
                .send()
        })
        .await
        .map_err(|e| ApplyError::sdk(DISCOVERY, e))
}

/// Sorts the described gateways into `live`, with the VPC each is attached to.
pub fn discover(cx: &Cx, igws: &DescribeInternetGatewaysOutput, live: &mut Live) {
    for g in igws.internet_gateways() {
        let vpc = g
            .attachments()
            .iter()
            .find_map(|a| a.vpc_id())
            .unwrap_or("-")
            .to_owned();
        let res = LiveRes {
            aws_id: g.internet_gateway_id().unwrap_or_default().to_owned(),
            arn: None,
            attrs: attrs([("vpc", vpc)]),
            tags: tag_map(g.tags()),
        };
        sort_found(cx, live, ResourceType::InternetGateway, res);
    }
}

fn expected(cx: &Cx, r: &Resource) -> BTreeMap<String, String> {
    match &r.kind {
        ResourceKind::InternetGateway { vpc, .. } => {
            attrs([("vpc", cx.id_of(vpc).unwrap_or_else(|_| "-".to_owned()))])
        }
        _ => BTreeMap::new(),
    }
}

/// Nothing the plan no longer has stands in the way of creating one.
pub fn conflicts(_cx: &Cx, _r: &Resource, _orphan: &LiveRes) -> bool {
    false
}

/// How the live gateway differs: its tags and the VPC it is attached to (repairable).
pub fn drift(cx: &Cx, r: &Resource, live: &LiveRes) -> Vec<Drift> {
    let mut d = attr_drift(&expected(cx, r), &live.attrs, &["vpc"]);
    d.extend(tag_drift(&cx.tags_for(r), &live.tags));
    d
}

async fn attach(cx: &Cx, id: &str, igw: &str, vpc_id: &str) -> Result<(), ApplyError> {
    cx.aws
        .ec2(|c| {
            c.attach_internet_gateway()
                .internet_gateway_id(igw)
                .vpc_id(vpc_id)
                .send()
        })
        .await
        .map_err(|e| ApplyError::sdk(id, e))?;
    Ok(())
}

/// Creates the gateway, tagged in the same request, and attaches it to the VPC.
pub async fn create(cx: &Cx, r: &Resource) -> Result<LiveRes, ApplyError> {
    let ResourceKind::InternetGateway { vpc, .. } = &r.kind else {
        return Err(not_a(r, ResourceType::InternetGateway));
    };
    let id = r.id.as_str();
    let out = cx
        .aws
        .ec2(|c| {
            c.create_internet_gateway()
                .tag_specifications(tag_spec(
                    cx,
                    r,
                    aws_sdk_ec2::types::ResourceType::InternetGateway,
                ))
                .send()
        })
        .await
        .map_err(|e| ApplyError::sdk(id, e))?;
    let igw = out
        .internet_gateway()
        .and_then(|g| g.internet_gateway_id())
        .unwrap_or_default()
        .to_owned();
    attach(cx, id, &igw, &cx.id_of(vpc)?).await?;
    Ok(LiveRes {
        aws_id: igw,
        tags: cx.tags_for(r),
        ..LiveRes::default()
    })
}

/// Repairs tags and the attachment in place.
pub async fn repair(
    cx: &Cx,
    r: &Resource,
    live: &LiveRes,
    drift: &[Drift],
) -> Result<(), ApplyError> {
    let id = r.id.as_str();
    for d in drift {
        match d.what.as_str() {
            w if w.starts_with("tag ") => retag(cx, r, &live.aws_id).await?,
            "vpc" => attach(cx, id, &live.aws_id, &d.plan).await?,
            _ => return Err(ApplyError::new(id, format!("cannot repair {d}"))),
        }
    }
    Ok(())
}

/// Detaches the gateway (from the VPC discovery saw, or asks) and deletes it; gone already
/// counts as deleted.
pub async fn delete(cx: &Cx, id: &str, live: &LiveRes) -> Result<(), ApplyError> {
    let aws_id = live.aws_id.as_str();
    let vpc = match live.attrs.get("vpc").filter(|v| *v != "-") {
        Some(v) => Some(v.clone()),
        None => attached_vpc(cx, id, aws_id).await?,
    };
    if let Some(vpc) = vpc {
        let out = cx
            .aws
            .ec2(|c| {
                c.detach_internet_gateway()
                    .internet_gateway_id(aws_id)
                    .vpc_id(vpc)
                    .send()
            })
            .await;
        deleted(id, out)?;
    }
    let out = cx
        .aws
        .ec2(|c| {
            c.delete_internet_gateway()
                .internet_gateway_id(aws_id)
                .send()
        })
        .await;
    deleted(id, out)
}

async fn attached_vpc(cx: &Cx, id: &str, igw: &str) -> Result<Option<String>, ApplyError> {
    let out = cx
        .aws
        .ec2(|c| {
            c.describe_internet_gateways()
                .internet_gateway_ids(igw)
                .send()
        })
        .await;
    match out {
        Ok(o) => Ok(o
            .internet_gateways()
            .first()
            .and_then(|g| g.attachments().first())
            .and_then(|a| a.vpc_id())
            .map(str::to_owned)),
        Err(e) if code(&e).is_some_and(|c| c.ends_with("NotFound")) => Ok(None),
        Err(e) => Err(ApplyError::sdk(id, e)),
    }
}
