//! IAM policies, roles (with their inline policies and attachments as resources of their
//! own) and instance profiles as Terraform (`iam.tf`).

use std::collections::BTreeMap;

use super::addresses::{attachment_name, inline_name};
use super::error::TerraformError;
use super::hcl::{Block, Expr};
use super::writer::{not_in_area, Writer};
use crate::resource::iam::PolicyAttachment;
use crate::resource::{Resource, ResourceKind};

impl Writer<'_> {
    /// Writes IAM resource `r` (Terraform name `name`) into `b`, and its role's policies and
    /// attachments into `after`.
    pub(super) fn write_iam(
        &mut self,
        r: &Resource,
        name: &str,
        b: &mut Block,
        after: &mut Vec<Block>,
    ) -> Result<(), TerraformError> {
        let id = r.id.as_str();
        match &r.kind {
            ResourceKind::IamPolicy(p) => {
                b.attr("name", Expr::lit(p.name.clone()))
                    .attr("path", Expr::lit(p.path.clone()));
                if !p.description.is_empty() {
                    b.attr("description", Expr::lit(p.description.clone()));
                }
                let d = self.document(id, &p.document, None)?;
                b.attr("policy", d)
                    .attr("tags", self.iam_tags(r, &BTreeMap::new()));
            }
            ResourceKind::IamRole(role) => {
                b.attr("name", Expr::lit(role.name.clone()))
                    .attr("path", Expr::lit(role.path.clone()));
                if !role.description.is_empty() {
                    b.attr("description", Expr::lit(role.description.clone()));
                }
                let trust =
                    self.document(id, &role.trust_policy, Some((&role.name, &role.path)))?;
                b.attr("assume_role_policy", trust);
                if let Some(s) = role.max_session_duration {
                    b.attr("max_session_duration", Expr::raw(s.to_string()));
                }
                b.attr("tags", self.iam_tags(r, &role.tags));
                let own = format!("aws_iam_role.{name}");
                for p in &role.inline_policies {
                    let mut ib = Block::new(
                        "resource",
                        &["aws_iam_role_policy", &inline_name(name, &p.name)],
                    );
                    ib.attr("name", Expr::lit(p.name.clone()))
                        .attr("role", Expr::raw(format!("{own}.id")));
                    let d = self.document(id, &p.document, None)?;
                    ib.attr("policy", d);
                    after.push(ib);
                }
                for m in &role.managed_policies {
                    let mut ab = Block::new(
                        "resource",
                        &["aws_iam_role_policy_attachment", &attachment_name(name, m)],
                    );
                    ab.attr("role", Expr::raw(format!("{own}.name")));
                    let arn = match m {
                        PolicyAttachment::Policy(p) => self.r(id, p, "arn")?,
                        PolicyAttachment::Arn(a) => Expr::lit(a.clone()),
                    };
                    ab.attr("policy_arn", arn);
                    after.push(ab);
                }
            }
            ResourceKind::IamInstanceProfile(p) => {
                let role = self.r(id, &p.role, "name")?;
                b.attr("name", Expr::lit(p.name.clone()))
                    .attr("path", Expr::lit(p.path.clone()))
                    .attr("role", role)
                    .attr("tags", self.iam_tags(r, &BTreeMap::new()));
            }
            _ => return Err(not_in_area(r, "iam")),
        }
        Ok(())
    }
}
