//! Instances, launch templates and auto-scaling groups as Terraform (`compute.tf`).

use std::collections::BTreeMap;

use super::error::TerraformError;
use super::hcl::{Block, Expr};
use super::writer::{not_in_area, tag_object, Writer};
use crate::ids;
use crate::resource::{Resource, ResourceKind};

impl Writer<'_> {
    /// Writes compute resource `r` into `b`.
    pub(super) fn write_compute(
        &mut self,
        r: &Resource,
        b: &mut Block,
    ) -> Result<(), TerraformError> {
        let id = r.id.as_str();
        match &r.kind {
            ResourceKind::Instance {
                name: tag_name,
                role: _,
                subnet,
                availability_zone: _,
                ami,
                instance_type,
                security_groups,
                associate_public_ip_address,
                source_dest_check,
                iam_instance_profile,
                key_name,
                user_data,
            } => {
                let image = self.ami(ami);
                let s = self.r(id, subnet, "id")?;
                let groups = self.list_of(id, security_groups, "id")?;
                b.attr("ami", image)
                    .attr("instance_type", Expr::lit(instance_type.clone()))
                    .attr("subnet_id", s)
                    .attr("vpc_security_group_ids", groups)
                    .attr(
                        "associate_public_ip_address",
                        Expr::Bool(*associate_public_ip_address),
                    )
                    .attr("source_dest_check", Expr::Bool(*source_dest_check));
                if let Some(p) = iam_instance_profile {
                    let p = self.r(id, p, "name")?;
                    b.attr("iam_instance_profile", p);
                }
                if let Some(k) = key_name {
                    b.attr("key_name", Expr::lit(k.clone()));
                }
                if let Some(u) = user_data {
                    b.attr("user_data", Expr::lit(u.clone()));
                }
                b.attr("tags", self.tags(r, Some(tag_name)));
            }
            ResourceKind::LaunchTemplate {
                name: template_name,
                ami,
                instance_type,
                security_groups,
                associate_public_ip_address,
                iam_instance_profile,
                user_data,
            } => {
                let image = self.ami(ami);
                b.attr("name", Expr::lit(template_name.clone()))
                    .attr("image_id", image)
                    .attr("instance_type", Expr::lit(instance_type.clone()));
                if let Some(u) = user_data {
                    b.attr(
                        "user_data",
                        Expr::Call("base64encode", Box::new(Expr::lit(u.clone()))),
                    );
                }
                if let Some(p) = iam_instance_profile {
                    let mut pb = Block::new("iam_instance_profile", &[]);
                    pb.attr("name", self.r(id, p, "name")?);
                    b.block(pb);
                }
                let mut nic = Block::new("network_interfaces", &[]);
                nic.attr("device_index", Expr::raw("0"))
                    .attr(
                        "associate_public_ip_address",
                        Expr::Bool(*associate_public_ip_address),
                    )
                    .attr("security_groups", self.list_of(id, security_groups, "id")?)
                    .attr("delete_on_termination", Expr::Bool(true));
                b.block(nic);
                // What the group launches carries the plan's tag (the id and Name come from
                // the group, propagated at launch).
                for kind in ["instance", "volume", "network-interface"] {
                    let mut ts = Block::new("tag_specifications", &[]);
                    ts.attr("resource_type", Expr::lit(kind)).attr(
                        "tags",
                        tag_object(BTreeMap::from([(
                            ids::PLAN_TAG.to_owned(),
                            self.plan.design.name.clone(),
                        )])),
                    );
                    b.block(ts);
                }
                b.attr("tags", self.tags(r, Some(template_name)));
            }
            ResourceKind::AutoscalingGroup {
                name: group_name,
                launch_template,
                subnet,
                availability_zone: _,
                size,
            } => {
                let s = self.r(id, subnet, "id")?;
                b.attr("name", Expr::lit(group_name.clone()))
                    .attr("min_size", Expr::raw(size.to_string()))
                    .attr("max_size", Expr::raw(size.to_string()))
                    .attr("desired_capacity", Expr::raw(size.to_string()))
                    .attr("vpc_zone_identifier", Expr::List(vec![s]));
                let mut lt = Block::new("launch_template", &[]);
                lt.attr("id", self.r(id, launch_template, "id")?)
                    .attr("version", Expr::lit("$Latest"));
                b.block(lt);
                let mut tags = BTreeMap::new();
                tags.insert(ids::PLAN_TAG.to_owned(), self.plan.design.name.clone());
                tags.insert(ids::ID_TAG.to_owned(), r.id.clone());
                tags.insert("Name".to_owned(), group_name.clone());
                for (k, v) in tags {
                    let mut t = Block::new("tag", &[]);
                    t.attr("key", Expr::lit(k))
                        .attr("value", Expr::lit(v))
                        .attr("propagate_at_launch", Expr::Bool(true));
                    b.block(t);
                }
            }
            _ => return Err(not_in_area(r, "compute")),
        }
        Ok(())
    }
}
