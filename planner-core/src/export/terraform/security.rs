//! Security groups, their rules and network ACLs as Terraform (`security.tf`).

use super::error::{err, TerraformError};
use super::hcl::{Block, Expr};
use super::writer::{not_in_area, Writer};
use crate::design::acl::{AclAction, AclBlock};
use crate::design::sg::{PortRange, Protocol};
use crate::resource::{Direction, Resource, ResourceKind, RulePeer};

impl Writer<'_> {
    /// Writes security resource `r` (Terraform name `name`) into `b`, and what it adds beside
    /// itself into `after`.
    pub(super) fn write_security(
        &mut self,
        r: &Resource,
        name: &str,
        b: &mut Block,
        after: &mut Vec<Block>,
    ) -> Result<(), TerraformError> {
        let id = r.id.as_str();
        match &r.kind {
            ResourceKind::SecurityGroup {
                name: group_name,
                description,
                vpc,
                revoke_default_egress,
            } => {
                let v = self.r(id, vpc, "id")?;
                b.attr("name", Expr::lit(group_name.clone()))
                    .attr("description", Expr::lit(description.clone()))
                    .attr("vpc_id", v)
                    .attr("tags", self.tags(r, Some(group_name)));
                if !revoke_default_egress {
                    // The provider removes AWS's allow-all egress rule from every group it
                    // creates; this plan keeps it, so it is written back.
                    let mut e = Block::new(
                        "resource",
                        &[
                            "aws_vpc_security_group_egress_rule",
                            &format!("{name}_default_egress"),
                        ],
                    );
                    e.comment("AWS's allow-all egress rule, which the plan keeps: the provider removes it\nfrom every group it creates.");
                    e.attr(
                        "security_group_id",
                        Expr::raw(format!("aws_security_group.{name}.id")),
                    )
                    .attr("ip_protocol", Expr::lit("-1"))
                    .attr("cidr_ipv4", Expr::lit("0.0.0.0/0"));
                    after.push(e);
                }
            }
            ResourceKind::SecurityGroupRule {
                group,
                direction: _,
                protocol,
                ports,
                peer,
                description,
            } => {
                let g = self.r(id, group, "id")?;
                b.attr("security_group_id", g);
                if !description.is_empty() {
                    b.attr("description", Expr::lit(description.clone()));
                }
                b.attr("ip_protocol", Expr::lit(protocol.aws_ip_protocol()));
                if let Some((from, to)) = sg_ports(id, *protocol, *ports)? {
                    b.attr("from_port", Expr::raw(from.to_string()))
                        .attr("to_port", Expr::raw(to.to_string()));
                }
                match peer {
                    RulePeer::CidrIpv4(c) => {
                        b.attr("cidr_ipv4", Expr::lit(c.to_string()));
                    }
                    RulePeer::CidrIpv6(c) => {
                        b.attr("cidr_ipv6", Expr::lit(c.to_string()));
                    }
                    RulePeer::SecurityGroup(other) => {
                        let o = self.r(id, other, "id")?;
                        b.attr("referenced_security_group_id", o);
                    }
                }
                b.attr("tags", self.tags(r, None));
            }
            ResourceKind::NetworkAcl {
                name: tag_name,
                vpc,
            } => {
                let v = self.r(id, vpc, "id")?;
                b.attr("vpc_id", v)
                    .attr("tags", self.tags(r, Some(tag_name)));
            }
            ResourceKind::NetworkAclEntry {
                network_acl,
                direction,
                rule_number,
                action,
                protocol,
                ports,
                block,
                description,
            } => {
                if !description.is_empty() {
                    b.comment(description);
                }
                let a = self.r(id, network_acl, "id")?;
                b.attr("network_acl_id", a)
                    .attr("rule_number", Expr::raw(rule_number.to_string()))
                    .attr("egress", Expr::Bool(*direction == Direction::Egress))
                    .attr("protocol", Expr::lit(acl_protocol(*protocol)))
                    .attr(
                        "rule_action",
                        Expr::lit(match action {
                            AclAction::Allow => "allow",
                            AclAction::Deny => "deny",
                        }),
                    );
                match block {
                    AclBlock::Ipv4(c) => b.attr("cidr_block", Expr::lit(c.to_string())),
                    AclBlock::Ipv6(c) => b.attr("ipv6_cidr_block", Expr::lit(c.to_string())),
                };
                match protocol {
                    Protocol::Tcp | Protocol::Udp => {
                        let p = ports.unwrap_or(PortRange::ALL);
                        b.attr("from_port", Expr::raw(p.from.to_string()))
                            .attr("to_port", Expr::raw(p.to.to_string()));
                    }
                    Protocol::Icmp | Protocol::Icmpv6 => {
                        let t = ports.map_or(-1, |p| i32::from(p.from));
                        b.attr("icmp_type", Expr::raw(t.to_string()))
                            .attr("icmp_code", Expr::raw("-1"));
                    }
                    Protocol::All => {}
                }
            }
            ResourceKind::NetworkAclAssociation {
                network_acl,
                subnet,
            } => {
                let a = self.r(id, network_acl, "id")?;
                let s = self.r(id, subnet, "id")?;
                b.attr("network_acl_id", a).attr("subnet_id", s);
            }
            _ => return Err(not_in_area(r, "security")),
        }
        Ok(())
    }
}

/// A rule's `from_port` and `to_port` as AWS takes them: a port range for TCP and UDP (every
/// port when the plan gives none), the ICMP type and every code for ICMP, none for all
/// protocols.
fn sg_ports(
    id: &str,
    protocol: Protocol,
    ports: Option<PortRange>,
) -> Result<Option<(i32, i32)>, TerraformError> {
    Ok(match protocol {
        Protocol::All => None,
        Protocol::Tcp | Protocol::Udp => {
            let p = ports.unwrap_or(PortRange::ALL);
            Some((i32::from(p.from), i32::from(p.to)))
        }
        Protocol::Icmp | Protocol::Icmpv6 => match ports {
            None => Some((-1, -1)),
            Some(p) if p.from == p.to => Some((i32::from(p.from), -1)),
            Some(p) => {
                return Err(err(
                    id,
                    format!("an {protocol} rule takes one ICMP type, not the range {p}"),
                ))
            }
        },
    })
}

/// A network ACL rule's protocol as AWS numbers it.
fn acl_protocol(p: Protocol) -> &'static str {
    match p {
        Protocol::Tcp => "6",
        Protocol::Udp => "17",
        Protocol::Icmp => "1",
        Protocol::Icmpv6 => "58",
        Protocol::All => "-1",
    }
}
