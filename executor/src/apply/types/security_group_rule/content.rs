//! What a rule is: its content (group, direction, protocol, ports, peer) as a comparable
//! [`Key`], from a plan rule or a live one, and the `IpPermission` that creates it.

use aws_sdk_ec2::types::{IpPermission, IpRange, Ipv6Range, SecurityGroupRule, UserIdGroupPair};
use planner_core::design::sg::{PortRange, Protocol};
use planner_core::resource::{Direction, RulePeer};
use planner_core::{Resource, ResourceKind};

use crate::apply::shared::sg::{IPV4_ANY, IPV6_ANY};

pub fn direction_str(d: Direction) -> &'static str {
    match d {
        Direction::Ingress => "ingress",
        Direction::Egress => "egress",
    }
}

/// A CIDR block as AWS would print it (compressed IPv6, lower case).
fn norm_cidr(s: &str) -> String {
    s.parse::<ipnet::IpNet>()
        .map_or_else(|_| s.to_ascii_lowercase(), |n| n.to_string())
}

/// `IpProtocol` in one spelling: names for tcp, udp and icmp, `58` for ICMPv6, `-1` for all.
fn norm_protocol(p: &str) -> String {
    match p.to_ascii_lowercase().as_str() {
        "6" | "tcp" => "tcp".to_owned(),
        "17" | "udp" => "udp".to_owned(),
        "1" | "icmp" => "icmp".to_owned(),
        "58" | "icmpv6" => "58".to_owned(),
        "-1" | "all" => "-1".to_owned(),
        other => other.to_owned(),
    }
}

/// `FromPort`/`ToPort` of a rule: a port range for TCP and UDP (absent: 0-65535), type and
/// code for ICMP (absent: -1/-1, every type; a type: every code), nothing for all protocols.
pub fn aws_ports(
    protocol: Protocol,
    ports: Option<PortRange>,
) -> Result<Option<(i32, i32)>, String> {
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
                return Err(format!(
                    "an {protocol} rule takes one ICMP type, not the range {p}"
                ))
            }
        },
    })
}

/// What a rule is, for matching live rules to the plan's.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Key {
    /// The group's AWS id.
    pub group: String,
    pub egress: bool,
    /// Normalised `IpProtocol`.
    pub protocol: String,
    pub from: i32,
    pub to: i32,
    /// `v4:<cidr>`, `v6:<cidr>`, `sg:<group id>` or `pl:<prefix list>`.
    pub peer: String,
}

impl Key {
    pub fn is_default_egress(&self) -> bool {
        self.egress
            && self.protocol == "-1"
            && (self.peer == format!("v4:{IPV4_ANY}") || self.peer == format!("v6:{IPV6_ANY}"))
    }
}

/// The key of a plan rule, given the AWS ids of its group and of its peer group.
pub fn plan_key(r: &Resource, group_aws: &str, peer_aws: Option<&str>) -> Result<Key, String> {
    let ResourceKind::SecurityGroupRule {
        direction,
        protocol,
        ports,
        peer,
        ..
    } = &r.kind
    else {
        return Err(format!("{} is not a security group rule", r.id));
    };
    let (from, to) = aws_ports(*protocol, *ports)?.unwrap_or((-1, -1));
    let peer = match peer {
        RulePeer::CidrIpv4(c) => format!("v4:{}", norm_cidr(&c.to_string())),
        RulePeer::CidrIpv6(b) => format!("v6:{}", norm_cidr(&b.to_string())),
        RulePeer::SecurityGroup(p) => format!(
            "sg:{}",
            peer_aws.ok_or_else(|| format!("{p} has no AWS id yet"))?
        ),
    };
    Ok(Key {
        group: group_aws.to_owned(),
        egress: *direction == Direction::Egress,
        protocol: protocol.aws_ip_protocol().to_owned(),
        from,
        to,
        peer,
    })
}

/// The key of a live rule.
pub fn live_key(rule: &SecurityGroupRule) -> Option<Key> {
    let protocol = norm_protocol(rule.ip_protocol()?);
    let (from, to) = if protocol == "-1" {
        (-1, -1)
    } else {
        (rule.from_port().unwrap_or(-1), rule.to_port().unwrap_or(-1))
    };
    let peer = if let Some(c) = rule.cidr_ipv4() {
        format!("v4:{}", norm_cidr(c))
    } else if let Some(c) = rule.cidr_ipv6() {
        format!("v6:{}", norm_cidr(c))
    } else if let Some(g) = rule.referenced_group_info().and_then(|g| g.group_id()) {
        format!("sg:{g}")
    } else if let Some(p) = rule.prefix_list_id() {
        format!("pl:{p}")
    } else {
        "?".to_owned()
    };
    Some(Key {
        group: rule.group_id()?.to_owned(),
        egress: rule.is_egress().unwrap_or(false),
        protocol,
        from,
        to,
        peer,
    })
}

/// The one `IpPermission` of a plan rule.
pub fn permission(r: &Resource, peer_aws: Option<&str>) -> Result<IpPermission, String> {
    let ResourceKind::SecurityGroupRule {
        protocol,
        ports,
        peer,
        description,
        ..
    } = &r.kind
    else {
        return Err(format!("{} is not a security group rule", r.id));
    };
    let desc = (!description.is_empty()).then(|| description.clone());
    let mut p = IpPermission::builder().ip_protocol(protocol.aws_ip_protocol());
    if let Some((from, to)) = aws_ports(*protocol, *ports)? {
        p = p.from_port(from).to_port(to);
    }
    p = match peer {
        RulePeer::CidrIpv4(c) => p.ip_ranges(
            IpRange::builder()
                .cidr_ip(c.to_string())
                .set_description(desc)
                .build(),
        ),
        RulePeer::CidrIpv6(b) => p.ipv6_ranges(
            Ipv6Range::builder()
                .cidr_ipv6(b.to_string())
                .set_description(desc)
                .build(),
        ),
        RulePeer::SecurityGroup(other) => p.user_id_group_pairs(
            UserIdGroupPair::builder()
                .group_id(peer_aws.ok_or_else(|| format!("{other} has no AWS id yet"))?)
                .set_description(desc)
                .build(),
        ),
    };
    Ok(p.build())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(protocol: Protocol, ports: Option<PortRange>, peer: RulePeer) -> Resource {
        Resource {
            id: "security_group_rule.x".to_owned(),
            kind: ResourceKind::SecurityGroupRule {
                group: "security_group.a".to_owned(),
                direction: Direction::Ingress,
                protocol,
                ports,
                peer,
                description: String::new(),
            },
            depends_on: vec![],
        }
    }

    fn live(proto: &str, from: Option<i32>, to: Option<i32>, cidr: &str) -> SecurityGroupRule {
        SecurityGroupRule::builder()
            .group_id("sg-1")
            .is_egress(false)
            .ip_protocol(proto)
            .set_from_port(from)
            .set_to_port(to)
            .cidr_ipv4(cidr)
            .build()
    }

    #[test]
    fn tcp_without_ports_is_every_port() {
        let r = rule(
            Protocol::Tcp,
            None,
            RulePeer::CidrIpv4("10.0.0.0/16".parse().unwrap()),
        );
        let k = plan_key(&r, "sg-1", None).unwrap();
        assert_eq!((k.from, k.to), (0, 65535));
        assert_eq!(
            live_key(&live("6", Some(0), Some(65535), "10.0.0.0/16")),
            Some(k)
        );
    }

    #[test]
    fn all_protocols_ignore_ports_and_icmp_all_is_minus_one() {
        let r = rule(
            Protocol::All,
            None,
            RulePeer::CidrIpv4("0.0.0.0/0".parse().unwrap()),
        );
        let k = plan_key(&r, "sg-1", None).unwrap();
        assert_eq!(live_key(&live("-1", None, None, "0.0.0.0/0")), Some(k));
        let r = rule(
            Protocol::Icmp,
            None,
            RulePeer::CidrIpv4("0.0.0.0/0".parse().unwrap()),
        );
        let k = plan_key(&r, "sg-1", None).unwrap();
        assert_eq!(
            live_key(&live("icmp", Some(-1), Some(-1), "0.0.0.0/0")),
            Some(k)
        );
        let r = rule(
            Protocol::Icmp,
            Some(PortRange::one(8)),
            RulePeer::CidrIpv4("0.0.0.0/0".parse().unwrap()),
        );
        assert_eq!(
            aws_ports(Protocol::Icmp, Some(PortRange::one(8))),
            Ok(Some((8, -1)))
        );
        let k = plan_key(&r, "sg-1", None).unwrap();
        assert_eq!(
            live_key(&live("1", Some(8), Some(-1), "0.0.0.0/0")),
            Some(k)
        );
        assert!(aws_ports(Protocol::Icmp, Some(PortRange { from: 3, to: 4 })).is_err());
    }

    #[test]
    fn icmpv6_and_ipv6_blocks_normalise() {
        let r = rule(
            Protocol::Icmpv6,
            None,
            RulePeer::CidrIpv6(planner_core::design::sg::Ipv6Block(
                "2001:db8::/32".parse().unwrap(),
            )),
        );
        let k = plan_key(&r, "sg-1", None).unwrap();
        let l = SecurityGroupRule::builder()
            .group_id("sg-1")
            .is_egress(false)
            .ip_protocol("icmpv6")
            .from_port(-1)
            .to_port(-1)
            .cidr_ipv6("2001:DB8:0::/32")
            .build();
        assert_eq!(live_key(&l), Some(k));
    }

    #[test]
    fn group_peers_match_by_aws_id() {
        let r = rule(
            Protocol::Tcp,
            Some(PortRange::one(5432)),
            RulePeer::SecurityGroup("security_group.b".to_owned()),
        );
        let k = plan_key(&r, "sg-1", Some("sg-2")).unwrap();
        let l = SecurityGroupRule::builder()
            .group_id("sg-1")
            .is_egress(false)
            .ip_protocol("tcp")
            .from_port(5432)
            .to_port(5432)
            .referenced_group_info(
                aws_sdk_ec2::types::ReferencedSecurityGroup::builder()
                    .group_id("sg-2")
                    .build(),
            )
            .build();
        assert_eq!(live_key(&l), Some(k));
        let p = permission(&r, Some("sg-2")).unwrap();
        assert_eq!(p.user_id_group_pairs()[0].group_id(), Some("sg-2"));
        assert_eq!((p.from_port(), p.to_port()), (Some(5432), Some(5432)));
    }

    #[test]
    fn default_egress_is_recognised() {
        let k = Key {
            group: "sg-1".into(),
            egress: true,
            protocol: "-1".into(),
            from: -1,
            to: -1,
            peer: "v6:::/0".into(),
        };
        assert!(k.is_default_egress());
        assert!(!Key {
            egress: false,
            ..k.clone()
        }
        .is_default_egress());
    }
}
