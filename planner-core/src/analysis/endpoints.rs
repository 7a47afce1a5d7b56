//! The plan's VPC endpoints as reachability sees them ([`ServiceEndpoint`]): a gateway
//! endpoint by the tiers whose route tables have its route, an interface endpoint by its
//! subnets and groups. Read once with the graph; [`super::service_reach`] answers questions
//! about AWS services with them.

use std::collections::BTreeMap;

use super::acl::Acls;
use crate::design::endpoint::EndpointKind;
use crate::plan::Plan;
use crate::resource::ResourceKind;

/// A VPC endpoint as reachability sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceEndpoint {
    /// Its id in the plan.
    pub id: String,
    /// The service, `s3`, `ecr.api`, …
    pub service: String,
    /// Gateway or interface.
    pub kind: EndpointKind,
    /// Gateway endpoints: the tiers whose route tables have its route, with one such table.
    pub route_tables: BTreeMap<String, String>,
    /// Interface endpoints: its subnets, as indexes of [`Acls::subnets`].
    pub subnets: Vec<usize>,
    /// Interface endpoints: its groups, as indexes of the graph's groups.
    pub groups: Vec<usize>,
    /// Interface endpoints: whether the service's public name resolves to it.
    pub private_dns: bool,
}

/// The plan's endpoints; `group` finds a group's index by name.
pub(crate) fn service_endpoints(
    plan: &Plan,
    acls: &Acls,
    group: impl Fn(&str) -> Option<usize>,
) -> Vec<ServiceEndpoint> {
    let region = &plan.design.region;
    let table_tier: BTreeMap<&str, &str> = plan
        .resources
        .iter()
        .filter_map(|r| match &r.kind {
            ResourceKind::RouteTable { tier, .. } => Some((r.id.as_str(), tier.as_str())),
            _ => None,
        })
        .collect();
    let subnet_at: BTreeMap<&str, (&str, &str)> = plan
        .resources
        .iter()
        .filter_map(|r| match &r.kind {
            ResourceKind::Subnet {
                tier,
                availability_zone,
                ..
            } => Some((r.id.as_str(), (tier.as_str(), availability_zone.as_str()))),
            _ => None,
        })
        .collect();
    let prefix = format!("com.amazonaws.{region}.");
    plan.resources
        .iter()
        .filter_map(|r| {
            let ResourceKind::VpcEndpoint {
                service_name,
                endpoint_type,
                route_tables,
                subnets,
                security_groups,
                private_dns,
                ..
            } = &r.kind
            else {
                return None;
            };
            let mut tables = BTreeMap::new();
            for t in route_tables {
                if let Some(tier) = table_tier.get(t.as_str()) {
                    tables
                        .entry((*tier).to_owned())
                        .or_insert_with(|| t.clone());
                }
            }
            let subnets = subnets
                .iter()
                .filter_map(|s| subnet_at.get(s.as_str()))
                .filter_map(|(tier, zone)| {
                    acls.subnets
                        .iter()
                        .position(|s| s.tier == *tier && s.zone == *zone)
                })
                .collect();
            Some(ServiceEndpoint {
                id: r.id.clone(),
                service: service_name
                    .strip_prefix(&prefix)
                    .unwrap_or(service_name)
                    .to_owned(),
                kind: *endpoint_type,
                route_tables: tables,
                subnets,
                groups: security_groups
                    .iter()
                    .filter_map(|g| group(crate::ids::key(g)))
                    .collect(),
                private_dns: *private_dns,
            })
        })
        .collect()
}
