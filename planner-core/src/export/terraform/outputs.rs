//! Outputs (`outputs.tf`): the ids of the VPC and subnets, the ARNs of roles and instance
//! profiles.

use super::addresses::tf_name;
use super::error::TerraformError;
use super::hcl::{Block, Expr};
use super::writer::Writer;
use crate::ids;
use crate::resource::ResourceKind;

impl Writer<'_> {
    /// Writes an output for each VPC, subnet, role and instance profile.
    pub(super) fn outputs(&mut self) -> Result<(), TerraformError> {
        let mut chunks = Vec::new();
        for r in &self.plan.resources {
            let Some(address) = self.addrs.get(&r.id) else {
                continue;
            };
            let name = tf_name(ids::key(&r.id));
            let (output, attr, what) = match &r.kind {
                ResourceKind::Vpc { .. } => (format!("vpc_{name}_id"), "id", "The VPC's id"),
                ResourceKind::Subnet { .. } => {
                    (format!("subnet_{name}_id"), "id", "The subnet's id")
                }
                ResourceKind::IamRole(_) => {
                    (format!("iam_role_{name}_arn"), "arn", "The role's ARN")
                }
                ResourceKind::IamInstanceProfile(_) => (
                    format!("iam_instance_profile_{name}_arn"),
                    "arn",
                    "The instance profile's ARN",
                ),
                _ => continue,
            };
            let mut b = Block::new("output", &[&output]);
            b.attr("description", Expr::lit(format!("{what} ({}).", r.id)))
                .attr("value", Expr::raw(format!("{address}.{attr}")));
            chunks.push(b.render());
        }
        for c in chunks {
            self.push("outputs.tf", c);
        }
        Ok(())
    }
}
