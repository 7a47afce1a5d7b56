//! `vpc_endpoint`: a gateway or interface endpoint of the VPC, tagged in the creating request
//! and found by the plan's tag.
//!
//! Its route tables (gateway), subnets and security groups (interface), private DNS
//! (interface) and policy are drift that `run` repairs with one `ModifyVpcEndpoint`; a policy
//! the plan leaves out is AWS's full access, put back with `ResetPolicy`. Its VPC, service and
//! type cannot change: the plan id names the service and type (`vpc_endpoint.s3.gateway`), so
//! a design that changes them has a new id, and the old endpoint is an orphan `run` deletes
//! while it creates the new one. A live endpoint whose service or type differs under the same
//! id (a tag moved by hand) is refused up front, like every change AWS cannot make in place.
//!
//! The prefix-list routes a gateway endpoint keeps in its route tables are the endpoint's
//! (`route` discovery leaves them out). No idempotency token: an endpoint deleted by hand is
//! made again under the same plan id, which a token would map back to the deleted one.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use aws_sdk_ec2::types::{DnsOptionsSpecification, VpcEndpoint, VpcEndpointType};
use planner_core::design::endpoint::EndpointKind;
use planner_core::resource::ResourceType;
use planner_core::{Resource, ResourceKind};
use serde_json::Value;

use crate::apply::context::Cx;
use crate::apply::model::{attr_drift, tag_drift, ApplyError, Drift, Live, LiveRes};
use crate::apply::shared::attrs::{attrs, flag, not_a, DISCOVERY};
use crate::apply::shared::ec2::{code, deleted, plan_filter, retag, sort_found, tag_map, tag_spec};
use crate::apply::shared::iam::{live_text, planned_text, render_for};
use crate::apply::shared::pages::all_pages;
use crate::apply::shared::wait::Backoff;

/// Deleted (and waited for) after the rules, before the subnets, route tables and security
/// groups it uses.
pub const DESTROY_RANK: usize = 1;

/// How long AWS may take to make an endpoint available or to delete it.
const SETTLE_TIMEOUT: Duration = Duration::from_secs(10 * 60);

/// What the `policy` attribute says of AWS's default policy (and of a planned one like it).
const FULL_ACCESS: &str = "full access";

/// What can be repaired in place.
const REPAIRABLE: &[&str] = &[
    "route_tables",
    "subnets",
    "security_groups",
    "private_dns",
    "policy",
];

/// Every endpoint carrying the plan's tag (whether or not the plan still has one).
pub async fn describe(cx: &Cx) -> Result<Vec<VpcEndpoint>, ApplyError> {
    all_pages(|token| {
        cx.aws.ec2(|c| {
            let req = c
                .describe_vpc_endpoints()
                .filters(plan_filter(cx))
                .set_next_token(token)
                .send();
            async move {
                req.await.map(|o| {
                    (
                        o.vpc_endpoints().to_vec(),
                        o.next_token().map(str::to_owned),
                    )
                })
            }
        })
    })
    .await
    .map_err(|e| ApplyError::sdk(DISCOVERY, e))
}

/// A list of AWS ids as one attribute: sorted, comma-separated, `-` when empty.
fn joined<'a>(ids: impl IntoIterator<Item = &'a str>) -> String {
    let set: BTreeSet<&str> = ids.into_iter().collect();
    if set.is_empty() {
        "-".to_owned()
    } else {
        set.into_iter().collect::<Vec<_>>().join(",")
    }
}

/// The ids an attribute made by [`joined`] holds.
fn split(attr: Option<&String>) -> BTreeSet<String> {
    attr.map(String::as_str)
        .filter(|a| *a != "-")
        .map(|a| a.split(',').map(str::to_owned).collect())
        .unwrap_or_default()
}

/// Whether a policy document allows everything to everyone with no condition: AWS's default.
fn is_full_access(canonical: &str) -> bool {
    let Ok(doc) = serde_json::from_str::<Value>(canonical) else {
        return false;
    };
    let statements = match doc.get("Statement") {
        Some(Value::Array(a)) => a.clone(),
        Some(s @ Value::Object(_)) => vec![s.clone()],
        _ => return false,
    };
    let star = |v: Option<&Value>| match v {
        Some(Value::String(s)) => s == "*",
        Some(Value::Object(m)) => m.len() == 1 && m.get("AWS").is_some_and(|a| a == "*"),
        _ => false,
    };
    statements.len() == 1
        && statements.iter().all(|s| {
            s.get("Effect").is_some_and(|e| e == "Allow")
                && s.get("Condition").is_none()
                && star(s.get("Action"))
                && star(s.get("Resource"))
                && star(s.get("Principal"))
        })
}

/// A policy as compared: [`FULL_ACCESS`] for AWS's default, else its canonical text.
fn policy_attr(canonical: String) -> String {
    if is_full_access(&canonical) {
        FULL_ACCESS.to_owned()
    } else {
        canonical
    }
}

/// An endpoint's state, lower-case: AWS answers `available` where the SDK's enum spells
/// `Available`, so the state is read as text.
fn state_of(e: &VpcEndpoint) -> String {
    e.state()
        .map(|s| s.as_str().to_ascii_lowercase())
        .unwrap_or_default()
}

/// Sorts the described endpoints that still exist into `live`.
pub fn discover(cx: &Cx, endpoints: &[VpcEndpoint], live: &mut Live) {
    for e in endpoints {
        if matches!(state_of(e).as_str(), "deleted" | "deleting") {
            continue; // deleted endpoints linger in describes
        }
        let kind = match e.vpc_endpoint_type() {
            Some(VpcEndpointType::Gateway) => "gateway",
            Some(VpcEndpointType::Interface) => "interface",
            Some(other) => other.as_str(),
            None => "-",
        };
        let mut a = attrs([
            ("vpc", e.vpc_id().unwrap_or("-").to_owned()),
            ("service_name", e.service_name().unwrap_or("-").to_owned()),
            ("endpoint_type", kind.to_owned()),
            (
                "route_tables",
                joined(e.route_table_ids().iter().map(String::as_str)),
            ),
            ("subnets", joined(e.subnet_ids().iter().map(String::as_str))),
            (
                "security_groups",
                joined(e.groups().iter().filter_map(|g| g.group_id())),
            ),
            (
                "policy",
                policy_attr(live_text(cx, e.policy_document().unwrap_or("{}"))),
            ),
        ]);
        if kind == "interface" {
            a.insert(
                "private_dns".to_owned(),
                flag(e.private_dns_enabled().unwrap_or(false)),
            );
        }
        let res = LiveRes {
            aws_id: e.vpc_endpoint_id().unwrap_or_default().to_owned(),
            arn: None,
            attrs: a,
            tags: tag_map(e.tags()),
        };
        sort_found(cx, live, ResourceType::VpcEndpoint, res);
    }
}

/// The AWS ids of plan ids, for comparing; `-` for one not made yet.
fn ids_of(cx: &Cx, ids: &[String]) -> String {
    let resolved: Vec<String> = ids
        .iter()
        .map(|id| cx.id_of(id).unwrap_or_else(|_| "-".to_owned()))
        .collect();
    joined(resolved.iter().map(String::as_str))
}

/// What the endpoint must look like.
fn expected(cx: &Cx, r: &Resource) -> BTreeMap<String, String> {
    let ResourceKind::VpcEndpoint {
        vpc,
        service_name,
        endpoint_type,
        route_tables,
        subnets,
        security_groups,
        private_dns,
        policy,
        ..
    } = &r.kind
    else {
        return BTreeMap::new();
    };
    let mut a = attrs([
        ("vpc", cx.id_of(vpc).unwrap_or_else(|_| "-".to_owned())),
        ("service_name", service_name.clone()),
        ("endpoint_type", endpoint_type.as_str().to_owned()),
        ("route_tables", ids_of(cx, route_tables)),
        ("subnets", ids_of(cx, subnets)),
        (
            "policy",
            policy.as_ref().map_or_else(
                || FULL_ACCESS.to_owned(),
                |p| policy_attr(planned_text(cx, p)),
            ),
        ),
    ]);
    if *endpoint_type == EndpointKind::Interface {
        a.insert("private_dns".to_owned(), flag(*private_dns));
    }
    // An interface endpoint the plan gives no group gets the VPC's default group from AWS
    // (its interfaces must have one): that is not drift, and cannot be taken away.
    if *endpoint_type == EndpointKind::Gateway || !security_groups.is_empty() {
        a.insert("security_groups".to_owned(), ids_of(cx, security_groups));
    }
    a
}

/// For an S3 interface endpoint with private DNS: whether S3's name resolves to it only for
/// queries from outside the VPC (through an inbound Resolver endpoint), so that the VPC's own
/// traffic keeps using the plan's S3 gateway endpoint. AWS requires a gateway endpoint for
/// `true` (its default for S3) and refuses the create without one, so it is `true` exactly
/// when the plan has one (which the interface endpoint then depends on), `false` otherwise.
fn s3_dns_only_for_inbound_resolver(cx: &Cx, service_name: &str) -> bool {
    cx.plan.resources.iter().any(|r| {
        matches!(&r.kind, ResourceKind::VpcEndpoint {
            service_name: other,
            endpoint_type: EndpointKind::Gateway,
            ..
        } if other == service_name)
    })
}

/// Nothing the plan no longer has stands in the way of creating one.
pub fn conflicts(_cx: &Cx, _r: &Resource, _orphan: &LiveRes) -> bool {
    false
}

/// Its tags, route tables, subnets, groups, private DNS and policy can differ (repairable),
/// and so can its VPC, service and type (which AWS cannot change).
pub fn drift(cx: &Cx, r: &Resource, live: &LiveRes) -> Vec<Drift> {
    let mut d = attr_drift(&expected(cx, r), &live.attrs, REPAIRABLE);
    d.extend(tag_drift(&cx.tags_for(r), &live.tags));
    d
}

/// AWS ids of plan ids, all of which must exist by now (they are dependencies).
fn aws_ids(cx: &Cx, ids: &[String]) -> Result<Vec<String>, ApplyError> {
    ids.iter().map(|id| cx.id_of(id)).collect()
}

/// Creates the endpoint, tagged in the same request, and waits until AWS has made it.
pub async fn create(cx: &Cx, r: &Resource) -> Result<LiveRes, ApplyError> {
    let ResourceKind::VpcEndpoint {
        vpc,
        service_name,
        endpoint_type,
        route_tables,
        subnets,
        security_groups,
        private_dns,
        policy,
        ..
    } = &r.kind
    else {
        return Err(not_a(r, ResourceType::VpcEndpoint));
    };
    let id = r.id.as_str();
    let vpc_id = cx.id_of(vpc)?;
    let document = policy.as_ref().map(|p| render_for(cx, id, p)).transpose()?;
    let (tables, nets, groups) = (
        aws_ids(cx, route_tables)?,
        aws_ids(cx, subnets)?,
        aws_ids(cx, security_groups)?,
    );
    let out = cx
        .aws
        .ec2(|c| {
            let req = c
                .create_vpc_endpoint()
                .vpc_id(vpc_id)
                .service_name(service_name)
                .set_policy_document(document)
                .tag_specifications(tag_spec(
                    cx,
                    r,
                    aws_sdk_ec2::types::ResourceType::VpcEndpoint,
                ));
            match endpoint_type {
                EndpointKind::Gateway => req
                    .vpc_endpoint_type(VpcEndpointType::Gateway)
                    .set_route_table_ids(Some(tables)),
                EndpointKind::Interface => {
                    let s3 = service_name.ends_with(".s3") && *private_dns;
                    req.vpc_endpoint_type(VpcEndpointType::Interface)
                        .set_subnet_ids(Some(nets))
                        .set_security_group_ids(Some(groups).filter(|g| !g.is_empty()))
                        .private_dns_enabled(*private_dns)
                        .set_dns_options(s3.then(|| {
                            DnsOptionsSpecification::builder()
                                .private_dns_only_for_inbound_resolver_endpoint(
                                    s3_dns_only_for_inbound_resolver(cx, service_name),
                                )
                                .build()
                        }))
                }
            }
            .send()
        })
        .await
        .map_err(|e| ApplyError::sdk(id, e))?;
    let endpoint = out
        .vpc_endpoint()
        .and_then(|e| e.vpc_endpoint_id())
        .unwrap_or_default()
        .to_owned();
    settle(cx, id, &endpoint, false).await?;
    Ok(LiveRes {
        aws_id: endpoint,
        tags: cx.tags_for(r),
        ..LiveRes::default()
    })
}

/// Repairs tags, then everything else with one `ModifyVpcEndpoint`: the route tables,
/// subnets and groups added and removed, private DNS set, the policy replaced or reset.
pub async fn repair(
    cx: &Cx,
    r: &Resource,
    live: &LiveRes,
    drift: &[Drift],
) -> Result<(), ApplyError> {
    let ResourceKind::VpcEndpoint {
        endpoint_type,
        private_dns,
        policy,
        ..
    } = &r.kind
    else {
        return Err(not_a(r, ResourceType::VpcEndpoint));
    };
    let id = r.id.as_str();
    if drift.iter().any(|d| d.what.starts_with("tag ")) {
        retag(cx, r, &live.aws_id).await?;
    }
    let changed = |what: &str| drift.iter().any(|d| d.what == what);
    if !REPAIRABLE.iter().any(|w| changed(w)) {
        return Ok(());
    }
    let want = expected(cx, r);
    // (to add, to remove) for one list attribute, when it drifted.
    let delta = |what: &str| -> (Option<Vec<String>>, Option<Vec<String>>) {
        if !changed(what) {
            return (None, None);
        }
        let (w, l) = (split(want.get(what)), split(live.attrs.get(what)));
        let add: Vec<String> = w.difference(&l).cloned().collect();
        let remove: Vec<String> = l.difference(&w).cloned().collect();
        (
            Some(add).filter(|v| !v.is_empty()),
            Some(remove).filter(|v| !v.is_empty()),
        )
    };
    let (add_tables, remove_tables) = delta("route_tables");
    let (add_subnets, remove_subnets) = delta("subnets");
    let (add_groups, remove_groups) = delta("security_groups");
    let (document, reset) = match (changed("policy"), policy) {
        (false, _) => (None, None),
        (true, Some(p)) => (Some(render_for(cx, id, p)?), None),
        (true, None) => (None, Some(true)),
    };
    let dns = (changed("private_dns") && *endpoint_type == EndpointKind::Interface)
        .then_some(*private_dns);
    cx.aws
        .ec2(|c| {
            c.modify_vpc_endpoint()
                .vpc_endpoint_id(&live.aws_id)
                .set_add_route_table_ids(add_tables)
                .set_remove_route_table_ids(remove_tables)
                .set_add_subnet_ids(add_subnets)
                .set_remove_subnet_ids(remove_subnets)
                .set_add_security_group_ids(add_groups)
                .set_remove_security_group_ids(remove_groups)
                .set_policy_document(document)
                .set_reset_policy(reset)
                .set_private_dns_enabled(dns)
                .send()
        })
        .await
        .map_err(|e| ApplyError::sdk(id, e))?;
    Ok(())
}

/// Deletes the endpoint and waits until it is gone, so the subnets, route tables and groups
/// it used can go; gone already counts as deleted.
pub async fn delete(cx: &Cx, id: &str, live: &LiveRes) -> Result<(), ApplyError> {
    let out = cx
        .aws
        .ec2(|c| {
            c.delete_vpc_endpoints()
                .vpc_endpoint_ids(&live.aws_id)
                .send()
        })
        .await;
    if let Ok(o) = &out {
        if let Some(failed) = o.unsuccessful().iter().find_map(|u| u.error()) {
            let code = failed.code().unwrap_or_default();
            if !code.ends_with("NotFound") {
                return Err(ApplyError::new(
                    id,
                    format!(
                        "DeleteVpcEndpoints {}: {code}: {}",
                        live.aws_id,
                        failed.message().unwrap_or_default()
                    ),
                ));
            }
        }
    }
    deleted(id, out)?;
    settle(cx, id, &live.aws_id, true).await
}

/// Waits until the endpoint is made (available, or waiting for the service to accept it) or,
/// with `want_deleted`, gone.
async fn settle(cx: &Cx, id: &str, endpoint: &str, want_deleted: bool) -> Result<(), ApplyError> {
    let what = if want_deleted {
        "the VPC endpoint to be deleted"
    } else {
        "the VPC endpoint to become available"
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
            .ec2(|c| c.describe_vpc_endpoints().vpc_endpoint_ids(endpoint).send())
            .await;
        let state = match out {
            Ok(o) => o.vpc_endpoints().first().map(state_of),
            Err(e) if want_deleted && code(&e).is_some_and(|c| c.ends_with("NotFound")) => {
                return Ok(())
            }
            Err(e) => return Err(ApplyError::sdk(id, e)),
        };
        match (state.as_deref(), want_deleted) {
            (Some("available" | "pendingacceptance"), false) | (Some("deleted") | None, true) => {
                return Ok(())
            }
            (Some(s @ ("failed" | "rejected" | "expired")), false) => {
                return Err(ApplyError::new(
                    id,
                    format!("VPC endpoint {endpoint} is {s}"),
                ))
            }
            _ => {}
        }
        if backoff.elapsed() > SETTLE_TIMEOUT {
            return Err(ApplyError::new(
                id,
                format!(
                    "VPC endpoint {endpoint} did not settle in {} minutes",
                    SETTLE_TIMEOUT.as_secs() / 60
                ),
            ));
        }
        backoff.pause().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_default_policy_reads_as_full_access() {
        for doc in [
            r#"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#,
            r#"{"Statement":{"Action":"*","Effect":"Allow","Principal":{"AWS":"*"},"Resource":"*"}}"#,
        ] {
            assert!(is_full_access(doc), "{doc}");
        }
        for doc in [
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}"#,
            r#"{"Statement":[{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]}"#,
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalAccount":"1"}}}]}"#,
            "not json",
        ] {
            assert!(!is_full_access(doc), "{doc}");
        }
    }

    #[test]
    fn id_lists_compare_sorted() {
        assert_eq!(joined(["rtb-2", "rtb-1"]), "rtb-1,rtb-2");
        assert_eq!(joined([]), "-");
        let s = split(Some(&"a,b".to_owned()));
        assert_eq!(s.len(), 2);
        assert!(split(Some(&"-".to_owned())).is_empty());
    }
}
