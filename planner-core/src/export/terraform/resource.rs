//! One plan resource as Terraform: the one exhaustive `match` on `ResourceKind`, sending each
//! type to its area's writer and file, then the `depends_on` no attribute implies.

use super::addresses::{extras, terraform_type, tf_name};
use super::error::TerraformError;
use super::hcl::{Block, Expr};
use super::writer::Writer;
use crate::ids;
use crate::resource::{Resource, ResourceKind, RouteTarget};

impl Writer<'_> {
    /// Writes `r` into its area's file. No wildcard arm: a new resource type does not compile
    /// until it is mapped here.
    #[deny(clippy::wildcard_enum_match_arm)]
    pub(super) fn resource(&mut self, r: &Resource) -> Result<(), TerraformError> {
        self.referenced.clear();
        let id = r.id.as_str();
        let name = tf_name(ids::key(id));
        let ty = terraform_type(&r.kind);
        let mut b = Block::new("resource", &[ty, &name]);
        let mut after: Vec<Block> = Vec::new();
        let file: &'static str = match &r.kind {
            ResourceKind::Vpc { .. }
            | ResourceKind::VpcCidrBlock { .. }
            | ResourceKind::Subnet { .. }
            | ResourceKind::InternetGateway { .. }
            | ResourceKind::EgressOnlyInternetGateway { .. }
            | ResourceKind::ElasticIp { .. }
            | ResourceKind::NatGateway { .. }
            | ResourceKind::RouteTable { .. }
            | ResourceKind::Route { .. }
            | ResourceKind::RouteTableAssociation { .. }
            | ResourceKind::VpcEndpoint { .. } => {
                if !self.write_network(r, &name, &mut b)? {
                    return Ok(());
                }
                "network.tf"
            }
            ResourceKind::SecurityGroup { .. }
            | ResourceKind::SecurityGroupRule { .. }
            | ResourceKind::NetworkAcl { .. }
            | ResourceKind::NetworkAclEntry { .. }
            | ResourceKind::NetworkAclAssociation { .. } => {
                self.write_security(r, &name, &mut b, &mut after)?;
                "security.tf"
            }
            ResourceKind::Instance { .. }
            | ResourceKind::LaunchTemplate { .. }
            | ResourceKind::AutoscalingGroup { .. } => {
                self.write_compute(r, &mut b)?;
                "compute.tf"
            }
            ResourceKind::LogGroup { .. } | ResourceKind::FlowLog { .. } => {
                self.write_logging(r, &mut b)?;
                "logging.tf"
            }
            ResourceKind::IamPolicy(_)
            | ResourceKind::IamRole(_)
            | ResourceKind::IamInstanceProfile(_) => {
                self.write_iam(r, &name, &mut b, &mut after)?;
                "iam.tf"
            }
        };
        // What the plan orders that no attribute implies.
        let mut extra_deps: Vec<Expr> = Vec::new();
        for dep in &r.depends_on {
            if self.referenced.contains(dep) {
                continue;
            }
            if let Some(address) = self.addrs.get(dep) {
                extra_deps.push(Expr::raw(address.clone()));
            }
        }
        // An instance uses its profile's role at boot: the role's policies come first (the
        // executor creates a role with them; Terraform makes them separate resources).
        if let ResourceKind::Instance {
            iam_instance_profile: Some(p),
            ..
        }
        | ResourceKind::LaunchTemplate {
            iam_instance_profile: Some(p),
            ..
        } = &r.kind
        {
            if let Some(ResourceKind::IamInstanceProfile(profile)) =
                self.plan.resource(p).map(|x| &x.kind)
            {
                if let Some(role) = self.plan.resource(&profile.role) {
                    for address in extras(role) {
                        extra_deps.push(Expr::raw(address));
                    }
                }
            }
        }
        // A NAT instance in an auto-scaling group looks for its zone's route tables at boot.
        if let ResourceKind::AutoscalingGroup { .. } = &r.kind {
            for other in &self.plan.resources {
                if let ResourceKind::Route {
                    route_table,
                    target: RouteTarget::AutoscalingGroup(g),
                    ..
                } = &other.kind
                {
                    if g == id {
                        if let Some(address) = self.addrs.get(route_table) {
                            let e = Expr::raw(address.clone());
                            if !extra_deps.contains(&e) {
                                extra_deps.push(e);
                            }
                        }
                    }
                }
            }
        }
        if !extra_deps.is_empty() {
            b.attr("depends_on", Expr::List(extra_deps));
        }
        self.push(file, b.render());
        for a in after {
            self.push(file, a.render());
        }
        Ok(())
    }
}
