//! `nat_gateway`: a managed NAT gateway in a public subnet, waited for until available (and,
//! when deleted, until gone, so its address can be released).

use std::time::Duration;

use aws_sdk_ec2::operation::describe_nat_gateways::DescribeNatGatewaysOutput;
use aws_sdk_ec2::types::NatGatewayState;
use planner_core::resource::ResourceType;
use planner_core::{Resource, ResourceKind};

use crate::apply::context::Cx;
use crate::apply::model::{attr_drift, tag_drift, ApplyError, Drift, Live, LiveRes};
use crate::apply::shared::attrs::{attrs, not_a, DISCOVERY};
use crate::apply::shared::ec2::{
    code, deleted, plan_filter, repair_tags, sort_found, tag_map, tag_spec,
};
use crate::apply::shared::token::client_token;
use crate::apply::shared::wait::Backoff;

/// Deleted (and waited for) after the routes through it, before its address.
pub const DESTROY_RANK: usize = 1;

/// How long AWS may take to make a NAT gateway available or deleted.
const NAT_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// Every NAT gateway carrying the plan's tag (one call, whether or not the plan still has
/// one: a design that drops NAT leaves its gateways to delete).
pub async fn describe(cx: &Cx) -> Result<DescribeNatGatewaysOutput, ApplyError> {
    cx.aws
        .ec2(|c| c.describe_nat_gateways().filter(plan_filter(cx)).send())
        .await
        .map_err(|e| ApplyError::sdk(DISCOVERY, e))
}

/// Sorts the described gateways that still exist into `live`.
pub fn discover(cx: &Cx, nats: &DescribeNatGatewaysOutput, live: &mut Live) {
    use NatGatewayState as S;
    for n in nats.nat_gateways() {
        // Deleted gateways linger in describes (and moto returns them regardless of filters).
        if matches!(n.state(), Some(S::Deleted | S::Deleting | S::Failed)) {
            continue;
        }
        let res = LiveRes {
            aws_id: n.nat_gateway_id().unwrap_or_default().to_owned(),
            arn: None,
            attrs: attrs([("subnet", n.subnet_id().unwrap_or_default().to_owned())]),
            tags: tag_map(n.tags()),
        };
        sort_found(cx, live, ResourceType::NatGateway, res);
    }
}

/// Nothing the plan no longer has stands in the way of creating one.
pub fn conflicts(_cx: &Cx, _r: &Resource, _orphan: &LiveRes) -> bool {
    false
}

/// Its tags can differ, and so can the subnet it is in (which AWS cannot change).
pub fn drift(cx: &Cx, r: &Resource, live: &LiveRes) -> Vec<Drift> {
    let ResourceKind::NatGateway { subnet, .. } = &r.kind else {
        return Vec::new();
    };
    let want = attrs([(
        "subnet",
        cx.id_of(subnet).unwrap_or_else(|_| "-".to_owned()),
    )]);
    let mut d = attr_drift(&want, &live.attrs, &[]);
    d.extend(tag_drift(&cx.tags_for(r), &live.tags));
    d
}

/// Creates the gateway (tagged, with an idempotency token) and waits until it is available.
pub async fn create(cx: &Cx, r: &Resource) -> Result<LiveRes, ApplyError> {
    let ResourceKind::NatGateway {
        subnet, elastic_ip, ..
    } = &r.kind
    else {
        return Err(not_a(r, ResourceType::NatGateway));
    };
    let id = r.id.as_str();
    let (subnet_id, allocation_id) = (cx.id_of(subnet)?, cx.id_of(elastic_ip)?);
    let out = cx
        .aws
        .ec2(|c| {
            c.create_nat_gateway()
                .subnet_id(subnet_id)
                .allocation_id(allocation_id)
                .client_token(client_token(cx, id))
                .tag_specifications(tag_spec(
                    cx,
                    r,
                    aws_sdk_ec2::types::ResourceType::Natgateway,
                ))
                .send()
        })
        .await
        .map_err(|e| ApplyError::sdk(id, e))?;
    let nat = out
        .nat_gateway()
        .and_then(|n| n.nat_gateway_id())
        .unwrap_or_default()
        .to_owned();
    wait_nat(cx, id, &nat, false).await?;
    Ok(LiveRes {
        aws_id: nat,
        tags: cx.tags_for(r),
        ..LiveRes::default()
    })
}

/// Repairs tags in place; nothing else of it can be repaired.
pub async fn repair(
    cx: &Cx,
    r: &Resource,
    live: &LiveRes,
    drift: &[Drift],
) -> Result<(), ApplyError> {
    repair_tags(cx, r, live, drift).await
}

/// Deletes the gateway and waits until it is gone; gone already counts as deleted.
pub async fn delete(cx: &Cx, id: &str, live: &LiveRes) -> Result<(), ApplyError> {
    let out = cx
        .aws
        .ec2(|c| c.delete_nat_gateway().nat_gateway_id(&live.aws_id).send())
        .await;
    deleted(id, out)?;
    wait_nat(cx, id, &live.aws_id, true).await
}

/// Waits until the gateway is available (or, with `want_deleted`, deleted).
async fn wait_nat(cx: &Cx, id: &str, nat_id: &str, want_deleted: bool) -> Result<(), ApplyError> {
    use NatGatewayState as S;
    let what = if want_deleted {
        "NAT gateway to be deleted"
    } else {
        "NAT gateway to become available"
    };
    let mut backoff = Backoff::doubling(
        cx,
        id,
        what,
        Duration::from_millis(500),
        Duration::from_secs(15),
    );
    loop {
        let out = cx
            .aws
            .ec2(|c| c.describe_nat_gateways().nat_gateway_ids(nat_id).send())
            .await;
        let state = match out {
            Ok(o) => o.nat_gateways().first().and_then(|n| n.state().cloned()),
            Err(e) if code(&e) == Some("NatGatewayNotFound") && want_deleted => return Ok(()),
            Err(e) => return Err(ApplyError::sdk(id, e)),
        };
        match (state, want_deleted) {
            (Some(S::Available), false) | (Some(S::Deleted) | None, true) => return Ok(()),
            (Some(S::Failed), false) => {
                return Err(ApplyError::new(
                    id,
                    format!("NAT gateway {nat_id} failed to start"),
                ))
            }
            _ => {}
        }
        if backoff.elapsed() > NAT_TIMEOUT {
            return Err(ApplyError::new(
                id,
                format!(
                    "NAT gateway {nat_id} did not settle in {} minutes",
                    NAT_TIMEOUT.as_secs() / 60
                ),
            ));
        }
        backoff.pause().await;
    }
}
