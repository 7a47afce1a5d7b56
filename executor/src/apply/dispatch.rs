//! Every operation on a resource, sent to the module of its type by the executor's one
//! exhaustive `match` on [`ResourceType`] ([`per_type!`]), with no wildcard arm: a new type
//! does not compile until it has a module with every operation. Also what every create and
//! repair reports.
#![deny(clippy::wildcard_enum_match_arm)]

use planner_core::resource::ResourceType;
use planner_core::Resource;

use super::context::Cx;
use super::model::{ApplyError, Drift, LiveRes, Orphan};
use super::types;
use crate::events::Event;

/// `per_type!(ty, f(args…) …)` calls `types::<module of ty>::f(args…) …`; `per_type!(ty,
/// CONST)` reads `types::<module of ty>::CONST`. The one `match` on [`ResourceType`] that
/// sends an operation to its type.
macro_rules! per_type {
    ($ty:expr, $($op:tt)+) => {
        match $ty {
            ResourceType::Vpc => types::vpc::$($op)+,
            ResourceType::VpcCidrBlock => types::vpc_cidr_block::$($op)+,
            ResourceType::Subnet => types::subnet::$($op)+,
            ResourceType::InternetGateway => types::internet_gateway::$($op)+,
            ResourceType::EgressOnlyInternetGateway => {
                types::egress_only_internet_gateway::$($op)+
            }
            ResourceType::ElasticIp => types::elastic_ip::$($op)+,
            ResourceType::NatGateway => types::nat_gateway::$($op)+,
            ResourceType::SecurityGroup => types::security_group::$($op)+,
            ResourceType::SecurityGroupRule => types::security_group_rule::$($op)+,
            ResourceType::Instance => types::instance::$($op)+,
            ResourceType::LaunchTemplate => types::launch_template::$($op)+,
            ResourceType::AutoscalingGroup => types::autoscaling_group::$($op)+,
            ResourceType::RouteTable => types::route_table::$($op)+,
            ResourceType::Route => types::route::$($op)+,
            ResourceType::RouteTableAssociation => types::route_table_association::$($op)+,
            ResourceType::NetworkAcl => types::network_acl::$($op)+,
            ResourceType::NetworkAclEntry => types::network_acl_entry::$($op)+,
            ResourceType::NetworkAclAssociation => types::network_acl_association::$($op)+,
            ResourceType::VpcEndpoint => types::vpc_endpoint::$($op)+,
            ResourceType::LogGroup => types::log_group::$($op)+,
            ResourceType::FlowLog => types::flow_log::$($op)+,
            ResourceType::IamPolicy => types::iam_policy::$($op)+,
            ResourceType::IamRole => types::iam_role::$($op)+,
            ResourceType::IamInstanceProfile => types::iam_instance_profile::$($op)+,
        }
    };
}

/// How `live` differs from `r`.
pub fn drift(cx: &Cx, r: &Resource, live: &LiveRes) -> Vec<Drift> {
    per_type!(r.kind.resource_type(), drift(cx, r, live))
}

/// Whether creating `r` would fail while `orphan` (a resource the plan no longer has) exists:
/// an overlapping block, a name AWS keeps unique.
pub fn conflicts(cx: &Cx, r: &Resource, orphan: &Orphan) -> bool {
    orphan.kind == r.kind.resource_type()
        && per_type!(r.kind.resource_type(), conflicts(cx, r, &orphan.live))
}

/// Creates `r` and records it.
pub async fn create(cx: &Cx, r: &Resource) -> Result<(), ApplyError> {
    let live = per_type!(r.kind.resource_type(), create(cx, r).await)?;
    cx.events.event(Event::Created {
        id: r.id.clone(),
        aws_id: live.aws_id.clone(),
        arn: live.arn.clone(),
    });
    cx.resolve(&r.id, live);
    Ok(())
}

/// Repairs `drift` on `r` in place, refusing first if any of it cannot be repaired.
pub async fn repair(cx: &Cx, r: &Resource, drift: &[Drift]) -> Result<(), ApplyError> {
    if let Some(d) = drift.iter().find(|d| !d.repairable) {
        return Err(ApplyError::new(
            &r.id,
            format!("changed outside the plan: {d}; destroy and re-create it, or change the design to match"),
        ));
    }
    let live = cx
        .live_of(&r.id)
        .ok_or_else(|| ApplyError::new(&r.id, "has no live state to repair"))?;
    per_type!(r.kind.resource_type(), repair(cx, r, &live, drift).await)?;
    cx.events.event(Event::Updated {
        id: r.id.clone(),
        aws_id: live.aws_id.clone(),
        changes: drift.iter().map(ToString::to_string).collect(),
    });
    Ok(())
}

/// Deletes one resource of type `kind`; one that is already gone counts as deleted.
pub async fn delete(
    cx: &Cx,
    kind: ResourceType,
    id: &str,
    live: &LiveRes,
) -> Result<(), ApplyError> {
    per_type!(kind, delete(cx, id, live).await)
}

/// The order `destroy` deletes in, lowest first: dependents before what they depend on.
/// Security group rules go first (cross-group references would block deleting a group), NAT
/// gateways are waited for before their addresses are released, subnets are moved back to
/// the default network ACL before their ACL is deleted, roles leave instance profiles before
/// either goes.
pub fn destroy_rank(kind: ResourceType) -> usize {
    per_type!(kind, DESTROY_RANK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destroy_ranks_are_those_of_before() {
        let rank = |n: &str| destroy_rank(ResourceType::from_name(n).expect("a type"));
        for n in [
            "autoscaling_group",
            "instance",
            "security_group_rule",
            "route",
            "route_table_association",
            "network_acl_entry",
            "network_acl_association",
            "flow_log",
        ] {
            assert_eq!(rank(n), 0, "{n}");
        }
        for n in [
            "launch_template",
            "nat_gateway",
            "iam_instance_profile",
            "vpc_endpoint",
            "log_group",
        ] {
            assert_eq!(rank(n), 1, "{n}");
        }
        for n in [
            "elastic_ip",
            "route_table",
            "network_acl",
            "security_group",
            "egress_only_internet_gateway",
            "internet_gateway",
            "iam_role",
        ] {
            assert_eq!(rank(n), 2, "{n}");
        }
        for n in ["subnet", "iam_policy"] {
            assert_eq!(rank(n), 3, "{n}");
        }
        assert_eq!(rank("vpc_cidr_block"), 4);
        assert_eq!(rank("vpc"), 5);
    }
}
