//! `versions.tf` (Terraform and the provider) and `data.tf` (the data sources the other files
//! read).

use super::hcl::{Block, Expr};
use super::writer::{ssm_name, Data, Writer};

/// The `hashicorp/aws` provider versions the configuration is written for.
pub const PROVIDER_VERSION: &str = "~> 6.0";

impl Writer<'_> {
    /// Writes the Terraform and provider blocks, and every data source read so far.
    pub(super) fn versions_and_data(&mut self) {
        let mut t = Block::new("terraform", &[]);
        t.attr("required_version", Expr::lit(">= 1.5.0"));
        let mut rp = Block::new("required_providers", &[]);
        rp.attr(
            "aws",
            Expr::Object(vec![
                ("source".into(), Expr::lit("hashicorp/aws")),
                ("version".into(), Expr::lit(PROVIDER_VERSION)),
            ]),
        );
        t.block(rp);
        self.push("versions.tf", t.render());
        let mut p = Block::new("provider", &["aws"]);
        p.attr("region", Expr::lit(self.plan.design.region.clone()));
        self.push("versions.tf", p.render());
        let data = std::mem::take(&mut self.data);
        for d in &data {
            let b = match d {
                Data::CallerIdentity => Block::new("data", &["aws_caller_identity", "current"]),
                Data::Partition => Block::new("data", &["aws_partition", "current"]),
                Data::Region => Block::new("data", &["aws_region", "current"]),
                Data::Ssm(param) => {
                    let mut b = Block::new("data", &["aws_ssm_parameter", &ssm_name(param)]);
                    b.attr("name", Expr::lit(param.clone()));
                    b
                }
            };
            self.push("data.tf", b.render());
        }
    }
}
