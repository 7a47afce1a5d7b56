//! The network as Terraform: the VPC (with the default group and ACL it keeps), its blocks,
//! subnets, gateways, route tables and routes, endpoints. `network.tf`, but for the VPC's
//! defaults, which go in `security.tf`.

use super::error::{err, TerraformError};
use super::hcl::{Block, Expr};
use super::writer::{not_in_area, Writer};
use crate::design::endpoint::EndpointKind;
use crate::design::network::DefaultNetworkAcl;
use crate::ids;
use crate::resource::{Destination, Resource, ResourceKind, RouteTarget};

impl Writer<'_> {
    /// Writes network resource `r` (Terraform name `name`) into `b`; false for a route its
    /// NAT instance makes at boot, which is written as a comment only.
    pub(super) fn write_network(
        &mut self,
        r: &Resource,
        name: &str,
        b: &mut Block,
    ) -> Result<bool, TerraformError> {
        let id = r.id.as_str();
        match &r.kind {
            ResourceKind::Vpc {
                name: tag_name,
                cidr_block,
                amazon_provided_ipv6,
                enable_dns_support,
                enable_dns_hostnames,
                restrict_default_security_group,
                default_network_acl,
            } => {
                b.attr("cidr_block", Expr::lit(cidr_block.to_string()))
                    .attr(
                        "assign_generated_ipv6_cidr_block",
                        Expr::Bool(*amazon_provided_ipv6),
                    )
                    .attr("enable_dns_support", Expr::Bool(*enable_dns_support))
                    .attr("enable_dns_hostnames", Expr::Bool(*enable_dns_hostnames))
                    .attr("tags", self.tags(r, Some(tag_name)));
                if *restrict_default_security_group {
                    let mut d = Block::new("resource", &["aws_default_security_group", name]);
                    d.comment("The VPC's default group with every rule removed: the provider removes the\nrules of a default group it adopts and adds only those written here (none).");
                    d.attr("vpc_id", Expr::raw(format!("aws_vpc.{name}.id")));
                    self.push("security.tf", d.render());
                }
                if let Some(acl) = default_network_acl {
                    let mut d = Block::new("resource", &["aws_default_network_acl", name]);
                    d.comment(match acl {
                        DefaultNetworkAcl::AllowAll => {
                            "The VPC's default network ACL kept at AWS's rules: allow everything."
                        }
                        DefaultNetworkAcl::DenyAll => {
                            "The VPC's default network ACL with no rules but AWS's final deny."
                        }
                    });
                    d.attr(
                        "default_network_acl_id",
                        Expr::raw(format!("aws_vpc.{name}.default_network_acl_id")),
                    );
                    if *acl == DefaultNetworkAcl::AllowAll {
                        for dir in ["ingress", "egress"] {
                            let mut blocks = vec![("rule_no", 100, "cidr_block", "0.0.0.0/0")];
                            if *amazon_provided_ipv6 {
                                blocks.push(("rule_no", 101, "ipv6_cidr_block", "::/0"));
                            }
                            for (_, no, key, block) in blocks {
                                let mut e = Block::new(dir, &[]);
                                e.attr("protocol", Expr::lit("-1"))
                                    .attr("rule_no", Expr::raw(no.to_string()))
                                    .attr("action", Expr::lit("allow"))
                                    .attr(key, Expr::lit(block))
                                    .attr("from_port", Expr::raw("0"))
                                    .attr("to_port", Expr::raw("0"));
                                d.block(e);
                            }
                        }
                    }
                    let mut lc = Block::new("lifecycle", &[]);
                    lc.attr("ignore_changes", Expr::List(vec![Expr::raw("subnet_ids")]));
                    d.block(lc);
                    self.push("security.tf", d.render());
                }
            }
            ResourceKind::VpcCidrBlock { vpc, cidr_block } => {
                let v = self.r(id, vpc, "id")?;
                b.attr("vpc_id", v)
                    .attr("cidr_block", Expr::lit(cidr_block.to_string()));
            }
            ResourceKind::Subnet {
                name: tag_name,
                vpc,
                tier: _,
                availability_zone,
                cidr_block,
                ipv6_cidr_block,
                map_public_ip_on_launch,
                assign_ipv6_address_on_creation,
            } => {
                let v = self.r(id, vpc, "id")?;
                b.attr("vpc_id", v)
                    .attr("availability_zone", Expr::lit(availability_zone.clone()))
                    .attr("cidr_block", Expr::lit(cidr_block.to_string()));
                if let Some(v6) = ipv6_cidr_block {
                    if v6.prefix_len != 64 {
                        return Err(err(
                            id,
                            format!("an IPv6 /{} (only /64s are written)", v6.prefix_len),
                        ));
                    }
                    let block = self.reference(id, &v6.vpc, "ipv6_cidr_block")?;
                    b.attr(
                        "ipv6_cidr_block",
                        Expr::raw(format!("cidrsubnet({block}, 8, {})", v6.index)),
                    );
                }
                b.attr(
                    "map_public_ip_on_launch",
                    Expr::Bool(*map_public_ip_on_launch),
                )
                .attr(
                    "assign_ipv6_address_on_creation",
                    Expr::Bool(*assign_ipv6_address_on_creation),
                )
                .attr("tags", self.tags(r, Some(tag_name)));
            }
            ResourceKind::InternetGateway {
                name: tag_name,
                vpc,
            }
            | ResourceKind::EgressOnlyInternetGateway {
                name: tag_name,
                vpc,
            } => {
                let v = self.r(id, vpc, "id")?;
                b.attr("vpc_id", v)
                    .attr("tags", self.tags(r, Some(tag_name)));
            }
            ResourceKind::ElasticIp { name: tag_name } => {
                b.attr("domain", Expr::lit("vpc"))
                    .attr("tags", self.tags(r, Some(tag_name)));
            }
            ResourceKind::NatGateway {
                name: tag_name,
                subnet,
                elastic_ip,
                availability_zone: _,
            } => {
                let eip = self.r(id, elastic_ip, "id")?;
                let s = self.r(id, subnet, "id")?;
                b.attr("allocation_id", eip)
                    .attr("subnet_id", s)
                    .attr("tags", self.tags(r, Some(tag_name)));
            }
            ResourceKind::RouteTable {
                name: tag_name,
                vpc,
                tier: _,
                availability_zone: _,
                tags: _,
            } => {
                let v = self.r(id, vpc, "id")?;
                b.attr("vpc_id", v)
                    .attr("tags", self.tags(r, Some(tag_name)));
            }
            ResourceKind::Route {
                route_table,
                destination,
                target,
            } => {
                if let RouteTarget::AutoscalingGroup(group) = target {
                    let table = self.reference(id, route_table, "id")?;
                    let group_address = self.reference(id, group, "name")?;
                    let group_address = group_address.trim_end_matches(".name");
                    let dest = match destination {
                        Destination::Ipv4(c) => c.to_string(),
                        Destination::Ipv6(c) => c.clone(),
                    };
                    self.push(
                        "network.tf",
                        format!(
                            "# {id}: {dest} in {} goes to the NAT instance of {group_address},\n# which creates or replaces this route itself at boot (its launch template's user\n# data), in the route tables tagged {} with its zone.\n",
                            table.trim_end_matches(".id"),
                            ids::NAT_ZONE_TAG
                        ),
                    );
                    return Ok(false);
                }
                let t = self.r(id, route_table, "id")?;
                b.attr("route_table_id", t);
                match destination {
                    Destination::Ipv4(c) => {
                        b.attr("destination_cidr_block", Expr::lit(c.to_string()))
                    }
                    Destination::Ipv6(c) => {
                        b.attr("destination_ipv6_cidr_block", Expr::lit(c.clone()))
                    }
                };
                let (key, value) = match target {
                    RouteTarget::InternetGateway(g) => ("gateway_id", self.r(id, g, "id")?),
                    RouteTarget::EgressOnlyInternetGateway(g) => {
                        ("egress_only_gateway_id", self.r(id, g, "id")?)
                    }
                    RouteTarget::NatGateway(g) => ("nat_gateway_id", self.r(id, g, "id")?),
                    RouteTarget::Instance(i) => (
                        "network_interface_id",
                        self.r(id, i, "primary_network_interface_id")?,
                    ),
                    RouteTarget::AutoscalingGroup(g) => {
                        return Err(err(id, format!("a route to {g} is made by its instance")))
                    }
                };
                b.attr(key, value);
            }
            ResourceKind::RouteTableAssociation {
                route_table,
                subnet,
            } => {
                let s = self.r(id, subnet, "id")?;
                let t = self.r(id, route_table, "id")?;
                b.attr("subnet_id", s).attr("route_table_id", t);
            }
            ResourceKind::VpcEndpoint {
                name: tag_name,
                vpc,
                service_name,
                endpoint_type,
                route_tables,
                subnets,
                security_groups,
                private_dns,
                policy,
            } => {
                let v = self.r(id, vpc, "id")?;
                b.attr("vpc_id", v)
                    .attr("service_name", Expr::lit(service_name.clone()))
                    .attr(
                        "vpc_endpoint_type",
                        Expr::lit(match endpoint_type {
                            EndpointKind::Gateway => "Gateway",
                            EndpointKind::Interface => "Interface",
                        }),
                    );
                if !route_tables.is_empty() {
                    let l = self.list_of(id, route_tables, "id")?;
                    b.attr("route_table_ids", l);
                }
                if !subnets.is_empty() {
                    let l = self.list_of(id, subnets, "id")?;
                    b.attr("subnet_ids", l);
                }
                if !security_groups.is_empty() {
                    let l = self.list_of(id, security_groups, "id")?;
                    b.attr("security_group_ids", l);
                }
                if *endpoint_type == EndpointKind::Interface {
                    b.attr("private_dns_enabled", Expr::Bool(*private_dns));
                }
                if let Some(doc) = policy {
                    let d = self.document(id, doc, None)?;
                    b.attr("policy", d);
                }
                b.attr("tags", self.tags(r, Some(tag_name)));
            }
            _ => return Err(not_in_area(r, "network")),
        }
        Ok(true)
    }
}
