//! From the effective design to the plan's resources: [`allocate`] places the subnets,
//! [`network`] builds the VPC, subnets, gateways and route tables (calling [`acl`] for the
//! network ACLs, [`sg`] for the security groups, whose peers [`sg_peers`] resolves, [`nat`]
//! for NAT, and [`endpoint`] for the endpoints and the flow log), [`iam`] the
//! roles, policies and instance profiles, [`instances`] the design's instances, and [`order`]
//! puts them all in dependency order.

pub mod acl;
pub mod allocate;
pub mod endpoint;
pub mod iam;
pub mod instances;
pub mod nat;
pub mod network;
pub mod order;
pub mod sg;
pub mod sg_peers;

use crate::alloc::Allocation;
use crate::diag::Diagnostic;
use crate::effective::Effective;
use crate::error::PlanError;
use crate::resource::Resource;

/// The allocation and the resources of `design`, in dependency order, keeping every subnet
/// `previous` placed that still exists. Findings of the allocator go to `diagnostics`.
pub(crate) fn plan(
    design: &Effective,
    azs: &[String],
    previous: Option<&Allocation>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<(Allocation, Vec<Resource>), PlanError> {
    let (allocation, mut resources) = match design.vpc {
        Some(_) => {
            let allocation = allocate::allocate(design, azs, previous, diagnostics)?;
            let resources = network::resources(design, azs, &allocation)?;
            (allocation, resources)
        }
        None => (Allocation::default(), Vec::new()),
    };
    iam::resources(design, &mut resources);
    instances::resources(design, &mut resources);
    Ok((allocation, order::dependency_order(resources)))
}
