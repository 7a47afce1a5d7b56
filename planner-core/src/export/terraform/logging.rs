//! The flow log and its log group as Terraform (`logging.tf`).

use super::error::TerraformError;
use super::hcl::{Block, Expr};
use super::writer::{not_in_area, Writer};
use crate::resource::{FlowLogTarget, Resource, ResourceKind};

impl Writer<'_> {
    /// Writes logging resource `r` into `b`.
    pub(super) fn write_logging(
        &mut self,
        r: &Resource,
        b: &mut Block,
    ) -> Result<(), TerraformError> {
        let id = r.id.as_str();
        match &r.kind {
            ResourceKind::LogGroup {
                name: group_name,
                retention_days,
            } => {
                b.attr("name", Expr::lit(group_name.clone()))
                    .attr("retention_in_days", Expr::raw(retention_days.to_string()))
                    .attr("tags", self.tags(r, None));
            }
            ResourceKind::FlowLog {
                name: tag_name,
                vpc,
                traffic,
                destination,
            } => {
                let v = self.r(id, vpc, "id")?;
                b.attr("vpc_id", v)
                    .attr("traffic_type", Expr::lit(traffic.aws()));
                match destination {
                    FlowLogTarget::CloudwatchLogs { log_group, role } => {
                        let g = self.r(id, log_group, "arn")?;
                        let ro = self.r(id, role, "arn")?;
                        b.attr("log_destination_type", Expr::lit("cloud-watch-logs"))
                            .attr("log_destination", g)
                            .attr("iam_role_arn", ro);
                    }
                    FlowLogTarget::S3 { bucket_arn } => {
                        b.attr("log_destination_type", Expr::lit("s3"))
                            .attr("log_destination", Expr::lit(bucket_arn.clone()));
                    }
                }
                b.attr("tags", self.tags(r, Some(tag_name)));
            }
            _ => return Err(not_in_area(r, "logging")),
        }
        Ok(())
    }
}
