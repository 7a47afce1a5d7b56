//! VPC endpoints and the flow log as plan resources. A gateway endpoint names every route
//! table of its tiers; an interface endpoint takes, in each availability zone its tiers span,
//! the subnet of the first tier listed that has one there (AWS allows one subnet per zone).
//! The flow log writes to the log group and through the role the effective design adds
//! (`effective.rs`), or to the bucket the design names.

use std::collections::BTreeMap;

use crate::alloc::Allocation;
use crate::design::endpoint::EndpointKind;
use crate::design::flow_logs::FlowLogDestination;
use crate::design::network::Design;
use crate::ids::{
    flow_log_group_name, flow_log_role_name, group_id, role_id, subnet_id, vpc_endpoint_id,
    FLOW_LOG_GROUP_ID, FLOW_LOG_ID, VPC_ID,
};
use crate::resource::{FlowLogTarget, Resource, ResourceKind};

/// Appends the endpoints of `design` to `out`; `route_tables` holds each tier's route table
/// ids.
pub(crate) fn endpoints(
    design: &Design,
    allocation: &Allocation,
    route_tables: &BTreeMap<&str, Vec<String>>,
    out: &mut Vec<Resource>,
) {
    let region = design.region.as_str();
    for e in &design.endpoints {
        let (mut tables, mut subnets) = (Vec::new(), Vec::new());
        match e.kind {
            EndpointKind::Gateway => {
                for t in &e.tiers {
                    tables.extend(route_tables.get(t.as_str()).into_iter().flatten().cloned());
                }
            }
            EndpointKind::Interface => {
                let mut by_zone: BTreeMap<&str, String> = BTreeMap::new();
                for t in &e.tiers {
                    for s in allocation.subnets.iter().filter(|s| &s.tier == t) {
                        by_zone
                            .entry(s.availability_zone.as_str())
                            .or_insert_with(|| subnet_id(region, &s.tier, &s.availability_zone));
                    }
                }
                subnets = by_zone.into_values().collect();
            }
        }
        tables.sort();
        tables.dedup();
        subnets.sort();
        let groups: Vec<String> = e.security_groups.iter().map(|g| group_id(g)).collect();
        // An S3 interface endpoint with private DNS beside an S3 gateway endpoint answers only
        // queries from outside the VPC, which AWS accepts only once the gateway exists.
        let gateway = (e.kind == EndpointKind::Interface
            && e.wants_private_dns()
            && e.service == "s3"
            && design
                .endpoints
                .iter()
                .any(|g| g.service == "s3" && g.kind == EndpointKind::Gateway))
        .then(|| vpc_endpoint_id("s3", EndpointKind::Gateway.as_str()));
        let deps: Vec<String> = std::iter::once(VPC_ID.to_owned())
            .chain(gateway)
            .chain(tables.iter().cloned())
            .chain(subnets.iter().cloned())
            .chain(groups.iter().cloned())
            .collect();
        out.push(Resource::new(
            vpc_endpoint_id(&e.service, e.kind.as_str()),
            ResourceKind::VpcEndpoint {
                name: format!("{}-{}-{}", design.name, e.service.replace('.', "-"), e.kind),
                vpc: VPC_ID.to_owned(),
                service_name: e.service_name(region),
                endpoint_type: e.kind,
                route_tables: tables,
                subnets,
                security_groups: groups,
                private_dns: e.wants_private_dns(),
                policy: e.policy.clone(),
            },
            deps,
        ));
    }
}

/// Appends the flow log of `design`, and its log group, to `out`.
pub(crate) fn flow_log(design: &Design, out: &mut Vec<Resource>) {
    let Some(f) = &design.flow_logs else {
        return;
    };
    let destination = match f.destination {
        FlowLogDestination::CloudwatchLogs => {
            out.push(Resource::new(
                FLOW_LOG_GROUP_ID,
                ResourceKind::LogGroup {
                    name: flow_log_group_name(&design.name),
                    retention_days: f.retention_days,
                },
                Vec::<String>::new(),
            ));
            FlowLogTarget::CloudwatchLogs {
                log_group: FLOW_LOG_GROUP_ID.to_owned(),
                role: role_id(&flow_log_role_name(&design.name)),
            }
        }
        FlowLogDestination::S3 => FlowLogTarget::S3 {
            bucket_arn: f.bucket_arn.clone().unwrap_or_default(),
        },
    };
    let kind = ResourceKind::FlowLog {
        name: format!("{}-flow-log", design.name),
        vpc: VPC_ID.to_owned(),
        traffic: f.traffic,
        destination,
    };
    let deps: Vec<String> = kind.references().into_iter().map(str::to_owned).collect();
    out.push(Resource::new(FLOW_LOG_ID, kind, deps));
}

#[cfg(test)]
mod tests {
    use crate::resource::{FlowLogTarget, ResourceKind};

    fn plan(extra: &str) -> crate::Planned {
        let json = format!(
            r#"{{"name": "demo", "region": "us-east-1", "vpc": {{"cidr": "10.0.0.0/16"}},
                "availability_zones": 3, "nat": "single_gateway",
                "tiers": [{{"name": "web", "kind": "public", "size": {{"prefix": 24}}}},
                          {{"name": "app", "kind": "private", "size": {{"prefix": 22}}, "max_azs": 2}},
                          {{"name": "data", "kind": "isolated", "size": {{"prefix": 24}}}}],
                "security_groups": [{{"name": "https", "description": "to endpoints"}}],
                {extra}}}"#
        );
        crate::plan(&crate::parse_design(&json).expect("valid"), None).expect("plans")
    }

    fn kind<'a>(p: &'a crate::Planned, id: &str) -> &'a ResourceKind {
        &p.plan
            .resources
            .iter()
            .find(|r| r.id == id)
            .unwrap_or_else(|| panic!("no {id}"))
            .kind
    }

    #[test]
    fn a_gateway_endpoint_routes_every_table_of_its_tiers() {
        let p = plan(
            r#""endpoints": [{"service": "s3", "kind": "gateway", "tiers": ["app", "data"]}]"#,
        );
        let ResourceKind::VpcEndpoint {
            service_name,
            route_tables,
            subnets,
            private_dns,
            ..
        } = kind(&p, "vpc_endpoint.s3.gateway")
        else {
            panic!("not an endpoint")
        };
        assert_eq!(service_name, "com.amazonaws.us-east-1.s3");
        assert_eq!(route_tables, &["route_table.app", "route_table.data"]);
        assert!(subnets.is_empty() && !private_dns);
    }

    #[test]
    fn an_interface_endpoint_takes_one_subnet_per_zone_first_tier_first() {
        let p = plan(
            r#""endpoints": [{"service": "ecr.api", "kind": "interface", "tiers": ["app", "data"],
                               "security_groups": ["https"]}]"#,
        );
        let r = p
            .plan
            .resources
            .iter()
            .find(|r| r.id == "vpc_endpoint.ecr.api.interface")
            .expect("planned");
        let ResourceKind::VpcEndpoint {
            subnets,
            security_groups,
            private_dns,
            ..
        } = &r.kind
        else {
            panic!("not an endpoint")
        };
        // app spans zones a and b; zone c has only data.
        assert_eq!(subnets, &["subnet.app.a", "subnet.app.b", "subnet.data.c"]);
        assert_eq!(security_groups, &["security_group.https"]);
        assert!(private_dns);
        assert!(r.depends_on.contains(&"security_group.https".to_owned()));
    }

    #[test]
    fn a_flow_log_to_cloudwatch_logs_gets_its_group_and_a_role_the_iam_checks_pass() {
        let p = plan(r#""flow_logs": {"destination": "cloudwatch_logs", "retention_days": 14}"#);
        assert_eq!(
            kind(&p, "log_group.flow-logs"),
            &ResourceKind::LogGroup {
                name: "/vpc-planner/demo/flow-logs".into(),
                retention_days: 14
            }
        );
        let ResourceKind::FlowLog { destination, .. } = kind(&p, "flow_log.main") else {
            panic!("not a flow log")
        };
        assert_eq!(
            destination,
            &FlowLogTarget::CloudwatchLogs {
                log_group: "log_group.flow-logs".into(),
                role: "iam_role.demo-flow-logs".into()
            }
        );
        assert!(matches!(
            kind(&p, "iam_role.demo-flow-logs"),
            ResourceKind::IamRole(_)
        ));
        let iam: Vec<_> = p
            .diagnostics
            .iter()
            .filter(|d| d.code.starts_with("IAM"))
            .collect();
        assert!(iam.is_empty(), "{iam:?}");
    }

    #[test]
    fn a_flow_log_to_s3_needs_no_group_or_role() {
        let p = plan(r#""flow_logs": {"destination": "s3", "bucket_arn": "arn:aws:s3:::my-logs"}"#);
        let ids: Vec<&str> = p.plan.resources.iter().map(|r| r.id.as_str()).collect();
        assert!(ids.contains(&"flow_log.main"));
        assert!(!ids
            .iter()
            .any(|id| id.starts_with("log_group.") || id.starts_with("iam_")));
    }
}
