//! Discovery: everything carrying the plan's tag, of every type the executor can create
//! (whether or not the plan still has that type: what an earlier version made is found and
//! deleted), with one batched describe per type filtered by the plan's tag; IAM, which has no
//! tag filter, by listing and reading tags; CloudWatch Logs, which has none either, by listing
//! the plan's name prefix and reading tags. The families run in parallel;
//! within the network, the ten describes are in flight at once, and the VPC, route table
//! and network ACL describes also feed the types found inside them (secondary blocks, routes
//! and their associations, ACL rules and the subnets using each ACL), so no describe is made
//! twice. The one exception: a planned subnet found on no owned ACL (on the default one, or
//! moved by hand) is looked up with one more describe, of just those subnets.

use std::sync::Arc;

use super::context::Cx;
use super::model::{ApplyError, Live};
use super::types::{
    autoscaling_group, egress_only_internet_gateway, elastic_ip, flow_log, iam_instance_profile,
    iam_policy, iam_role, instance, internet_gateway, launch_template, log_group, nat_gateway,
    network_acl, network_acl_association, network_acl_entry, route, route_table,
    route_table_association, security_group, security_group_rule, subnet, vpc, vpc_cidr_block,
    vpc_endpoint,
};
use crate::trace::{self, fork};

/// Finds everything the plan owns: found by plan id, orphans (carrying the plan's tag but no
/// longer in it), duplicates of a plan id, and namesakes that are someone else's.
pub async fn discover(cx: &Arc<Cx>) -> Result<Live, ApplyError> {
    // Boxed: the families' futures nest deep enough to reach the compiler's layout limit.
    trace::labelled("discovery", Box::pin(families(cx))).await
}

/// The families of [`discover`], in parallel.
async fn families(cx: &Arc<Cx>) -> Result<Live, ApplyError> {
    let (mut all, sg, compute, iam, logs) = tokio::try_join!(
        fork(network(cx)),
        fork(security(cx)),
        fork(compute(cx)),
        fork(iam(cx)),
        fork(logs(cx))
    )?;
    for part in [sg, compute, iam, logs] {
        all.found.extend(part.found);
        all.orphans.extend(part.orphans);
        all.duplicates.extend(part.duplicates);
        all.foreign.extend(part.foreign);
    }
    Ok(all)
}

/// The VPC and what is in it, routing included.
async fn network(cx: &Cx) -> Result<Live, ApplyError> {
    let mut live = Live::default();
    let (vpcs, subnets, igws, eigws, addresses, nats, tables, acls, endpoints, flow_logs) = tokio::try_join!(
        fork(vpc::describe(cx)),
        fork(subnet::describe(cx)),
        fork(internet_gateway::describe(cx)),
        fork(egress_only_internet_gateway::describe(cx)),
        fork(elastic_ip::describe(cx)),
        fork(nat_gateway::describe(cx)),
        fork(route_table::describe(cx)),
        fork(network_acl::describe(cx)),
        fork(vpc_endpoint::describe(cx)),
        fork(flow_log::describe(cx)),
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
    for a in acls.network_acls() {
        network_acl::discover(cx, a, &mut live);
        network_acl_association::collect(a, &mut live);
    }
    for a in acls.network_acls() {
        network_acl_entry::discover(cx, a, &mut live);
    }
    network_acl_association::discover(cx, &mut live).await?;
    vpc_endpoint::discover(cx, &endpoints, &mut live);
    flow_log::discover(cx, &flow_logs, &mut live);
    Ok(live)
}

/// CloudWatch Logs: the log groups under the plan's name prefix, with their tags.
async fn logs(cx: &Cx) -> Result<Live, ApplyError> {
    let mut live = Live::default();
    log_group::discover(cx, &mut live).await?;
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

/// Instances, launch templates and auto-scaling groups, at once.
async fn compute(cx: &Cx) -> Result<Live, ApplyError> {
    let (mut live, mut templates, mut groups) = (Live::default(), Live::default(), Live::default());
    tokio::try_join!(
        fork(instance::discover(cx, &mut live)),
        fork(launch_template::discover(cx, &mut templates)),
        fork(autoscaling_group::discover(cx, &mut groups)),
    )?;
    for part in [templates, groups] {
        live.found.extend(part.found);
        live.orphans.extend(part.orphans);
        live.duplicates.extend(part.duplicates);
        live.foreign.extend(part.foreign);
    }
    Ok(live)
}

/// IAM has no tag filter: every policy, role and instance profile is listed with its tags,
/// and those carrying the plan's tag (or a planned name) are sorted.
async fn iam(cx: &Arc<Cx>) -> Result<Live, ApplyError> {
    let (mut live, mut roles, mut profiles) = (Live::default(), Live::default(), Live::default());
    tokio::try_join!(
        fork(iam_policy::discover(cx, &mut live)),
        fork(iam_role::discover(cx, &mut roles)),
        fork(iam_instance_profile::discover(cx, &mut profiles)),
    )?;
    for part in [roles, profiles] {
        live.found.extend(part.found);
        live.orphans.extend(part.orphans);
        live.foreign.extend(part.foreign);
    }
    Ok(live)
}
