//! What every network check reads: the plan and its zones.

use crate::cidr::Cidr;
use crate::plan::Plan;

/// What every network check reads.
pub(crate) struct Context<'a> {
    pub plan: &'a Plan,
    pub azs: &'a [String],
}

/// The VPC's blocks with their design paths.
pub(crate) fn vpc_blocks(plan: &Plan) -> Vec<(String, Cidr)> {
    let Some(vpc) = &plan.design.vpc else {
        return Vec::new();
    };
    std::iter::once(("vpc.cidr".to_owned(), vpc.cidr))
        .chain(
            vpc.secondary_cidrs
                .iter()
                .enumerate()
                .map(|(i, &c)| (format!("vpc.secondary_cidrs[{i}]"), c)),
        )
        .collect()
}
