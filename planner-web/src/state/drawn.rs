//! Whether two plans draw the same: the drawings (topology, subnet map) read the network, not
//! IAM, so a plan that differs only in its IAM part keeps the drawn one and the drawings are
//! not computed and patched again (an edit on the IAM tab, the IAM catalogue's late findings).

use planner_core::{Design, Plan, Planned, Resource, ResourceKind};

/// Whether `a` and `b` draw the same: equal but for the design's `iam` and the IAM resources
/// (roles, policies, instance profiles), and for their findings. A design without a VPC is
/// drawn as its IAM counts, so only equal plans draw the same then.
pub fn same_drawing(a: &Planned, b: &Planned) -> bool {
    let (a, b) = (&a.plan, &b.plan);
    if a.design.vpc.is_none() || b.design.vpc.is_none() {
        return a == b;
    }
    let Plan {
        schema_version,
        design,
        allocation,
        resources,
    } = a;
    let network = |r: &&Resource| {
        !matches!(
            r.kind,
            ResourceKind::IamRole(_)
                | ResourceKind::IamPolicy(_)
                | ResourceKind::IamInstanceProfile(_)
        )
    };
    *schema_version == b.schema_version
        && *allocation == b.allocation
        && same_but_iam(design, &b.design)
        && resources
            .iter()
            .filter(network)
            .eq(b.resources.iter().filter(network))
}

/// Whether two designs are equal but for `iam`. Every other member is named, so a member added
/// to [`Design`] does not compile here until it is compared.
fn same_but_iam(a: &Design, b: &Design) -> bool {
    let Design {
        name,
        region,
        vpc,
        availability_zones,
        reserved_az_slots,
        tiers,
        nat,
        cidrs_in_use,
        unmanaged_blocks,
        network_acls,
        endpoints,
        flow_logs,
        security_groups,
        iam: _,
        instances,
        nat_instances,
        traffic,
        imports,
    } = a;
    *name == b.name
        && *region == b.region
        && *vpc == b.vpc
        && *availability_zones == b.availability_zones
        && *reserved_az_slots == b.reserved_az_slots
        && *tiers == b.tiers
        && *nat == b.nat
        && *cidrs_in_use == b.cidrs_in_use
        && *unmanaged_blocks == b.unmanaged_blocks
        && *network_acls == b.network_acls
        && *endpoints == b.endpoints
        && *flow_logs == b.flow_logs
        && *security_groups == b.security_groups
        && *instances == b.instances
        && *nat_instances == b.nat_instances
        && *traffic == b.traffic
        && *imports == b.imports
}
