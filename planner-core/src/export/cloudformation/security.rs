//! Security groups, their rules and network ACLs as template resources.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::body::{not_in_area, tags};
use super::Cx;
use crate::design::acl::AclBlock;
use crate::design::sg::{PortRange, Protocol};
use crate::export::ExportError;
use crate::resource::{Direction, Resource, ResourceKind, RulePeer};

/// A rule that matches no packet (ICMP type 252 code 86 to the broadcast address): a group's
/// `SecurityGroupEgress` holding only it makes CloudFormation remove AWS's allow-all egress.
const NO_EGRESS: &str = "255.255.255.255/32";

/// `IpProtocol` and the ports of a security group rule, as the executor sends them.
fn sg_protocol(
    id: &str,
    protocol: Protocol,
    ports: Option<PortRange>,
) -> Result<Map<String, Value>, ExportError> {
    let mut m = Map::new();
    m.insert("IpProtocol".into(), json!(protocol.aws_ip_protocol()));
    let range = match protocol {
        Protocol::All => None,
        Protocol::Tcp | Protocol::Udp => {
            let p = ports.unwrap_or(PortRange::ALL);
            Some((i32::from(p.from), i32::from(p.to)))
        }
        Protocol::Icmp | Protocol::Icmpv6 => match ports {
            None => Some((-1, -1)),
            Some(p) if p.from == p.to => Some((i32::from(p.from), -1)),
            Some(p) => {
                return Err(ExportError::new(
                    id,
                    format!("an {protocol} rule takes one ICMP type, not the range {p}"),
                ))
            }
        },
    };
    if let Some((from, to)) = range {
        m.insert("FromPort".into(), json!(from));
        m.insert("ToPort".into(), json!(to));
    }
    Ok(m)
}

fn acl_protocol(protocol: Protocol) -> i32 {
    match protocol {
        Protocol::Tcp => 6,
        Protocol::Udp => 17,
        Protocol::Icmp => 1,
        Protocol::Icmpv6 => 58,
        Protocol::All => -1,
    }
}

/// The type and properties of security resource `r`.
pub fn emit(
    cx: &Cx,
    r: &Resource,
    props: &mut Map<String, Value>,
) -> Result<&'static str, ExportError> {
    let id = r.id.as_str();
    Ok(match &r.kind {
        ResourceKind::SecurityGroup {
            name,
            description,
            vpc,
            revoke_default_egress,
        } => {
            props.insert("GroupName".into(), json!(name));
            props.insert("GroupDescription".into(), json!(description));
            props.insert("VpcId".into(), cx.reference(id, vpc)?);
            if *revoke_default_egress {
                props.insert(
                    "SecurityGroupEgress".into(),
                    json!([{"IpProtocol": "icmp", "FromPort": 252, "ToPort": 86,
                            "CidrIp": NO_EGRESS,
                            "Description": "matches no packet: AWS's allow-all egress rule is removed"}]),
                );
            }
            props.insert("Tags".into(), tags(cx, r, Some(name), &BTreeMap::new()));
            "AWS::EC2::SecurityGroup"
        }
        ResourceKind::SecurityGroupRule {
            group,
            direction,
            protocol,
            ports,
            peer,
            description,
        } => {
            props.insert("GroupId".into(), cx.get_att(id, group, "GroupId")?);
            props.extend(sg_protocol(id, *protocol, *ports)?);
            match (peer, direction) {
                (RulePeer::CidrIpv4(c), _) => {
                    props.insert("CidrIp".into(), json!(c.to_string()));
                }
                (RulePeer::CidrIpv6(b), _) => {
                    props.insert("CidrIpv6".into(), json!(b.to_string()));
                }
                (RulePeer::SecurityGroup(g), Direction::Ingress) => {
                    props.insert(
                        "SourceSecurityGroupId".into(),
                        cx.get_att(id, g, "GroupId")?,
                    );
                }
                (RulePeer::SecurityGroup(g), Direction::Egress) => {
                    props.insert(
                        "DestinationSecurityGroupId".into(),
                        cx.get_att(id, g, "GroupId")?,
                    );
                }
            }
            if !description.is_empty() {
                props.insert("Description".into(), json!(description));
            }
            match direction {
                Direction::Ingress => "AWS::EC2::SecurityGroupIngress",
                Direction::Egress => "AWS::EC2::SecurityGroupEgress",
            }
        }
        ResourceKind::NetworkAcl { name, vpc } => {
            props.insert("VpcId".into(), cx.reference(id, vpc)?);
            props.insert("Tags".into(), tags(cx, r, Some(name), &BTreeMap::new()));
            "AWS::EC2::NetworkAcl"
        }
        ResourceKind::NetworkAclEntry {
            network_acl,
            direction,
            rule_number,
            action,
            protocol,
            ports,
            block,
            description: _,
        } => {
            props.insert("NetworkAclId".into(), cx.reference(id, network_acl)?);
            props.insert("RuleNumber".into(), json!(rule_number));
            props.insert("RuleAction".into(), json!(action.as_str()));
            props.insert("Egress".into(), json!(*direction == Direction::Egress));
            props.insert("Protocol".into(), json!(acl_protocol(*protocol)));
            match block {
                AclBlock::Ipv4(c) => props.insert("CidrBlock".into(), json!(c.to_string())),
                AclBlock::Ipv6(b) => props.insert("Ipv6CidrBlock".into(), json!(b.to_string())),
            };
            match protocol {
                Protocol::Tcp | Protocol::Udp => {
                    let p = ports.unwrap_or(PortRange::ALL);
                    props.insert("PortRange".into(), json!({"From": p.from, "To": p.to}));
                }
                Protocol::Icmp | Protocol::Icmpv6 => {
                    let t = ports.map_or(-1, |p| i32::from(p.from));
                    props.insert("Icmp".into(), json!({"Type": t, "Code": -1}));
                }
                Protocol::All => {}
            }
            "AWS::EC2::NetworkAclEntry"
        }
        ResourceKind::NetworkAclAssociation {
            network_acl,
            subnet,
        } => {
            props.insert("NetworkAclId".into(), cx.reference(id, network_acl)?);
            props.insert("SubnetId".into(), cx.reference(id, subnet)?);
            "AWS::EC2::SubnetNetworkAclAssociation"
        }
        _ => return Err(not_in_area(r, "security")),
    })
}
