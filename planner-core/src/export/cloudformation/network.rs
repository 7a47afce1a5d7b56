//! The network as template resources: the VPC and its blocks, subnets, gateways, route
//! tables and routes, endpoints.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::body::{not_in_area, tags, Body};
use super::iam;
use super::names::{attachment, ipv6_block};
use super::{Cx, Out};
use crate::design::endpoint::EndpointKind;
use crate::export::ExportError;
use crate::resource::{Destination, Resource, ResourceKind, RouteTarget};

/// The type and body of network resource `r` (logical id `me`), with what it adds beside
/// itself; `None` for a route its NAT instance makes at boot.
pub fn emit(
    cx: &Cx,
    r: &Resource,
    me: &str,
    out: &mut Out,
    body: &mut Body,
) -> Result<Option<&'static str>, ExportError> {
    let id = r.id.as_str();
    let Body {
        props,
        metadata,
        extra_depends,
    } = body;
    Ok(match &r.kind {
        ResourceKind::Vpc {
            name,
            cidr_block,
            amazon_provided_ipv6,
            enable_dns_support,
            enable_dns_hostnames,
            restrict_default_security_group: _,
            default_network_acl: _,
        } => {
            props.insert("CidrBlock".into(), json!(cidr_block.to_string()));
            props.insert("EnableDnsSupport".into(), json!(enable_dns_support));
            props.insert("EnableDnsHostnames".into(), json!(enable_dns_hostnames));
            props.insert("Tags".into(), tags(cx, r, Some(name), &BTreeMap::new()));
            if *amazon_provided_ipv6 {
                out.add(
                    id,
                    ipv6_block(me),
                    json!({"Type": "AWS::EC2::VPCCidrBlock", "Properties": {
                        "VpcId": {"Ref": me}, "AmazonProvidedIpv6CidrBlock": true}}),
                )?;
            }
            Some("AWS::EC2::VPC")
        }
        ResourceKind::VpcCidrBlock { vpc, cidr_block } => {
            props.insert("VpcId".into(), cx.reference(id, vpc)?);
            props.insert("CidrBlock".into(), json!(cidr_block.to_string()));
            Some("AWS::EC2::VPCCidrBlock")
        }
        ResourceKind::Subnet {
            name,
            vpc,
            tier: _,
            availability_zone,
            cidr_block,
            ipv6_cidr_block,
            map_public_ip_on_launch,
            assign_ipv6_address_on_creation,
        } => {
            props.insert("VpcId".into(), cx.reference(id, vpc)?);
            props.insert("AvailabilityZone".into(), json!(availability_zone));
            props.insert("CidrBlock".into(), json!(cidr_block.to_string()));
            if let Some(b) = ipv6_cidr_block {
                let v = cx.logical(id, &b.vpc)?;
                props.insert(
                    "Ipv6CidrBlock".into(),
                    json!({"Fn::Select": [b.index, {"Fn::Cidr": [
                        {"Fn::Select": [0, {"Fn::GetAtt": [v, "Ipv6CidrBlocks"]}]},
                        256,
                        (128 - u32::from(b.prefix_len)).to_string(),
                    ]}]}),
                );
                extra_depends.push(ipv6_block(v));
            }
            props.insert("MapPublicIpOnLaunch".into(), json!(map_public_ip_on_launch));
            if *assign_ipv6_address_on_creation {
                props.insert("AssignIpv6AddressOnCreation".into(), json!(true));
            }
            props.insert("Tags".into(), tags(cx, r, Some(name), &BTreeMap::new()));
            Some("AWS::EC2::Subnet")
        }
        ResourceKind::InternetGateway { name, vpc } => {
            props.insert("Tags".into(), tags(cx, r, Some(name), &BTreeMap::new()));
            out.add(
                id,
                attachment(me),
                json!({"Type": "AWS::EC2::VPCGatewayAttachment", "Properties": {
                    "VpcId": cx.reference(id, vpc)?, "InternetGatewayId": {"Ref": me}}}),
            )?;
            Some("AWS::EC2::InternetGateway")
        }
        ResourceKind::EgressOnlyInternetGateway { name, vpc } => {
            props.insert("VpcId".into(), cx.reference(id, vpc)?);
            props.insert("Tags".into(), tags(cx, r, Some(name), &BTreeMap::new()));
            Some("AWS::EC2::EgressOnlyInternetGateway")
        }
        ResourceKind::ElasticIp { name } => {
            props.insert("Domain".into(), json!("vpc"));
            props.insert("Tags".into(), tags(cx, r, Some(name), &BTreeMap::new()));
            Some("AWS::EC2::EIP")
        }
        ResourceKind::NatGateway {
            name,
            subnet,
            elastic_ip,
            availability_zone: _,
        } => {
            props.insert(
                "AllocationId".into(),
                cx.get_att(id, elastic_ip, "AllocationId")?,
            );
            props.insert("SubnetId".into(), cx.reference(id, subnet)?);
            props.insert("Tags".into(), tags(cx, r, Some(name), &BTreeMap::new()));
            Some("AWS::EC2::NatGateway")
        }
        ResourceKind::RouteTable {
            name,
            vpc,
            tier: _,
            availability_zone: _,
            tags: extra,
        } => {
            props.insert("VpcId".into(), cx.reference(id, vpc)?);
            props.insert("Tags".into(), tags(cx, r, Some(name), extra));
            if let Some(routes) = cx.boot_routes.get(id) {
                let listed = routes
                    .iter()
                    .map(|(route, dest, group)| {
                        Ok(json!({"Route": route, "DestinationCidrBlock": dest,
                                  "MadeBy": cx.logical(id, group)?}))
                    })
                    .collect::<Result<Vec<_>, ExportError>>()?;
                *metadata = Some(json!({ "vpc-planner:routes-made-at-boot": listed }));
            }
            Some("AWS::EC2::RouteTable")
        }
        ResourceKind::Route {
            route_table,
            destination,
            target,
        } => {
            props.insert("RouteTableId".into(), cx.reference(id, route_table)?);
            match destination {
                Destination::Ipv4(c) => {
                    props.insert("DestinationCidrBlock".into(), json!(c.to_string()))
                }
                Destination::Ipv6(b) => props.insert("DestinationIpv6CidrBlock".into(), json!(b)),
            };
            let (key, to) = match target {
                RouteTarget::InternetGateway(t) => ("GatewayId", t),
                RouteTarget::EgressOnlyInternetGateway(t) => ("EgressOnlyInternetGatewayId", t),
                RouteTarget::NatGateway(t) => ("NatGatewayId", t),
                RouteTarget::Instance(t) => ("InstanceId", t),
                // Made by the NAT instance at boot: listed on its route table.
                RouteTarget::AutoscalingGroup(_) => return Ok(None),
            };
            props.insert(key.into(), cx.reference(id, to)?);
            Some("AWS::EC2::Route")
        }
        ResourceKind::RouteTableAssociation {
            route_table,
            subnet,
        } => {
            props.insert("RouteTableId".into(), cx.reference(id, route_table)?);
            props.insert("SubnetId".into(), cx.reference(id, subnet)?);
            Some("AWS::EC2::SubnetRouteTableAssociation")
        }
        ResourceKind::VpcEndpoint {
            name,
            vpc,
            service_name,
            endpoint_type,
            route_tables,
            subnets,
            security_groups,
            private_dns,
            policy,
        } => {
            let refs = |ids: &[String]| -> Result<Vec<Value>, ExportError> {
                ids.iter().map(|t| cx.reference(id, t)).collect()
            };
            props.insert("VpcId".into(), cx.reference(id, vpc)?);
            props.insert("ServiceName".into(), json!(service_name));
            props.insert(
                "VpcEndpointType".into(),
                json!(match endpoint_type {
                    EndpointKind::Gateway => "Gateway",
                    EndpointKind::Interface => "Interface",
                }),
            );
            if !route_tables.is_empty() {
                props.insert("RouteTableIds".into(), json!(refs(route_tables)?));
            }
            if !subnets.is_empty() {
                props.insert("SubnetIds".into(), json!(refs(subnets)?));
            }
            if !security_groups.is_empty() {
                let groups = security_groups
                    .iter()
                    .map(|g| cx.get_att(id, g, "GroupId"))
                    .collect::<Result<Vec<_>, _>>()?;
                props.insert("SecurityGroupIds".into(), json!(groups));
            }
            if *endpoint_type == EndpointKind::Interface {
                props.insert("PrivateDnsEnabled".into(), json!(private_dns));
            }
            if let Some(p) = policy {
                props.insert("PolicyDocument".into(), iam::document(cx, id, p)?);
            }
            props.insert("Tags".into(), tags(cx, r, Some(name), &BTreeMap::new()));
            Some("AWS::EC2::VPCEndpoint")
        }
        _ => return Err(not_in_area(r, "network")),
    })
}
