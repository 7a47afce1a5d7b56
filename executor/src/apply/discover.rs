//! Discovery: everything the plan owns, found with one batched describe per type (filtered by
//! the plan's tag) or, for IAM, one lookup per planned name. The families run in parallel;
//! within the network, the seven describes are in flight at once, and the VPC and route
//! table describes also feed the types found inside them (secondary blocks, routes,
//! associations), so no describe is made twice.
#![deny(clippy::wildcard_enum_match_arm)]

use planner_core::ResourceKind;

use super::context::Cx;
use super::model::{ApplyError, Live};
use super::types::{
    autoscaling_group, egress_only_internet_gateway, elastic_ip, iam_instance_profile, iam_policy,
    iam_role, instance, internet_gateway, launch_template, nat_gateway, route, route_table,
    route_table_association, security_group, security_group_rule, subnet, vpc, vpc_cidr_block,
};

/// Finds everything the plan owns: found by plan id, and orphans (carrying the plan's tag
/// but no longer in it).
pub async fn discover(cx: &Cx) -> Result<Live, ApplyError> {
    let (mut all, sg, compute, iam) =
        tokio::try_join!(network(cx), security(cx), compute(cx), iam(cx))?;
    for part in [sg, compute, iam] {
        all.found.extend(part.found);
        all.orphans.extend(part.orphans);
    }
    Ok(all)
}

/// The VPC and what is in it, routing included.
async fn network(cx: &Cx) -> Result<Live, ApplyError> {
    let mut live = Live::default();
    let (vpcs, subnets, igws, eigws, addresses, nats, tables) = tokio::try_join!(
        vpc::describe(cx),
        subnet::describe(cx),
        internet_gateway::describe(cx),
        egress_only_internet_gateway::describe(cx),
        elastic_ip::describe(cx),
        nat_gateway::describe(cx),
        route_table::describe(cx),
    )?;
    vpc::discover(cx, &vpcs, &mut live).await?;
    vpc_cidr_block::discover(cx, &vpcs, &mut live);
    subnet::discover(cx, &subnets, &mut live);
    internet_gateway::discover(cx, &igws, &mut live);
    egress_only_internet_gateway::discover(cx, &eigws, &mut live);
    elastic_ip::discover(cx, &addresses, &mut live);
    nat_gateway::discover(cx, &nats, &mut live);
    for t in tables.route_tables() {
        route::discover(cx, t, &mut live);
        route_table_association::collect(t, &mut live);
        route_table::discover(cx, t, &mut live);
    }
    route_table_association::discover(cx, &mut live);
    Ok(live)
}

/// Security groups, then the rules of the groups found (which also say whether each group's
/// default egress is there).
async fn security(cx: &Cx) -> Result<Live, ApplyError> {
    let mut live = Live::default();
    let Some(owned) = security_group::discover(cx, &mut live).await? else {
        return Ok(live);
    };
    if owned.is_empty() {
        return Ok(live);
    }
    let defaults = security_group_rule::discover(cx, &owned, &mut live).await?;
    security_group::record_default_egress(cx, &owned, &defaults, &mut live);
    Ok(live)
}

/// Instances, launch templates and auto-scaling groups, one after the other.
async fn compute(cx: &Cx) -> Result<Live, ApplyError> {
    let mut live = Live::default();
    instance::discover(cx, &mut live).await?;
    launch_template::discover(cx, &mut live).await?;
    autoscaling_group::discover(cx, &mut live).await?;
    Ok(live)
}

/// IAM has no tag filter: each planned policy, role and profile is looked up by name. Every
/// one is looked at, so that all those that are someone else's are reported at once.
async fn iam(cx: &Cx) -> Result<Live, ApplyError> {
    let mut live = Live::default();
    let mut errors = Vec::new();
    for r in &cx.plan.resources {
        let found = match &r.kind {
            ResourceKind::IamPolicy(p) => iam_policy::find(cx, &r.id, p).await,
            ResourceKind::IamRole(role) => iam_role::find(cx, &r.id, &role.name).await,
            ResourceKind::IamInstanceProfile(p) => {
                iam_instance_profile::find(cx, &r.id, &p.name).await
            }
            // Found by tag, in the batches above.
            ResourceKind::Vpc { .. }
            | ResourceKind::VpcCidrBlock { .. }
            | ResourceKind::Subnet { .. }
            | ResourceKind::InternetGateway { .. }
            | ResourceKind::EgressOnlyInternetGateway { .. }
            | ResourceKind::ElasticIp { .. }
            | ResourceKind::NatGateway { .. }
            | ResourceKind::SecurityGroup { .. }
            | ResourceKind::SecurityGroupRule { .. }
            | ResourceKind::Instance { .. }
            | ResourceKind::LaunchTemplate { .. }
            | ResourceKind::AutoscalingGroup { .. }
            | ResourceKind::RouteTable { .. }
            | ResourceKind::Route { .. }
            | ResourceKind::RouteTableAssociation { .. } => continue,
        };
        match found {
            Ok(Some(res)) => {
                live.found.insert(r.id.clone(), res);
            }
            Ok(None) => {}
            Err(e) => errors.push(e),
        }
    }
    if errors.len() > 1 {
        let lines: Vec<String> = errors.iter().map(|e| format!("\n  {e}")).collect();
        return Err(ApplyError::new(
            "IAM discovery",
            format!("{} problems:{}", errors.len(), lines.concat()),
        ));
    }
    match errors.pop() {
        Some(e) => Err(e),
        None => Ok(live),
    }
}
