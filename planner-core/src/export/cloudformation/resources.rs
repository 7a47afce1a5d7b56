//! One plan resource as template resources: the one exhaustive `match` on `ResourceKind`.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::names::image_parameter;
use super::{iam, Cx, Out};
use crate::design::acl::AclBlock;
use crate::design::endpoint::EndpointKind;
use crate::design::sg::{PortRange, Protocol};
use crate::export::ExportError;
use crate::ids::{ID_TAG, IGW_ID, PLAN_TAG, REGION_TAG};
use crate::resource::iam::PolicyAttachment;
use crate::resource::{
    Ami, Destination, Direction, FlowLogTarget, Resource, ResourceKind, RouteTarget, RulePeer,
};

/// A rule that matches no packet (ICMP type 252 code 86 to the broadcast address): a group's
/// `SecurityGroupEgress` holding only it makes CloudFormation remove AWS's allow-all egress.
const NO_EGRESS: &str = "255.255.255.255/32";

/// The logical id `<Igw>Attachment` of the internet gateway's attachment.
pub fn attachment(igw: &str) -> String {
    format!("{igw}Attachment")
}

/// The logical id `<Vpc>Ipv6CidrBlock` of the VPC's Amazon-provided IPv6 block.
pub fn ipv6_block(vpc: &str) -> String {
    format!("{vpc}Ipv6CidrBlock")
}

/// The executor's tags of `r`: the plan's, the id, `Name` when the resource has one, then
/// `extra`; as CloudFormation's `[{Key, Value}]`, sorted by key.
pub fn tags(cx: &Cx, r: &Resource, name: Option<&str>, extra: &BTreeMap<String, String>) -> Value {
    let mut t = BTreeMap::new();
    t.insert(PLAN_TAG.to_owned(), cx.plan.design.name.clone());
    t.insert(ID_TAG.to_owned(), r.id.clone());
    if let Some(n) = name {
        t.insert("Name".to_owned(), n.to_owned());
    }
    for (k, v) in extra {
        t.entry(k.clone()).or_insert_with(|| v.clone());
    }
    Value::Array(
        t.into_iter()
            .map(|(k, v)| json!({"Key": k, "Value": v}))
            .collect(),
    )
}

fn image(out: &mut Out, ami: &Ami) -> Value {
    match ami {
        Ami::Id(id) => json!(id),
        Ami::SsmParameter(path) => {
            let p = image_parameter(path);
            out.parameters.insert(
                p.clone(),
                json!({
                    "Type": "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
                    "Default": path,
                    "Description": format!("the image, read from the SSM parameter {path}"),
                }),
            );
            json!({ "Ref": p })
        }
    }
}

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

/// Adds the template resources of `r`, with `DependsOn` for what the plan orders and no
/// property already references. No wildcard arm: a new resource type does not compile until
/// it is mapped here.
#[deny(clippy::wildcard_enum_match_arm)]
pub fn emit(cx: &Cx, r: &Resource, out: &mut Out) -> Result<(), ExportError> {
    let id = r.id.as_str();
    let me = cx.logical(id, id)?.to_owned();
    let mut props = Map::new();
    let mut metadata = None;
    let mut extra_depends: Vec<String> = Vec::new();
    let ty = match &r.kind {
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
                    ipv6_block(&me),
                    json!({"Type": "AWS::EC2::VPCCidrBlock", "Properties": {
                        "VpcId": {"Ref": me}, "AmazonProvidedIpv6CidrBlock": true}}),
                )?;
            }
            "AWS::EC2::VPC"
        }
        ResourceKind::VpcCidrBlock { vpc, cidr_block } => {
            props.insert("VpcId".into(), cx.reference(id, vpc)?);
            props.insert("CidrBlock".into(), json!(cidr_block.to_string()));
            "AWS::EC2::VPCCidrBlock"
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
            "AWS::EC2::Subnet"
        }
        ResourceKind::InternetGateway { name, vpc } => {
            props.insert("Tags".into(), tags(cx, r, Some(name), &BTreeMap::new()));
            out.add(
                id,
                attachment(&me),
                json!({"Type": "AWS::EC2::VPCGatewayAttachment", "Properties": {
                    "VpcId": cx.reference(id, vpc)?, "InternetGatewayId": {"Ref": me}}}),
            )?;
            "AWS::EC2::InternetGateway"
        }
        ResourceKind::EgressOnlyInternetGateway { name, vpc } => {
            props.insert("VpcId".into(), cx.reference(id, vpc)?);
            props.insert("Tags".into(), tags(cx, r, Some(name), &BTreeMap::new()));
            "AWS::EC2::EgressOnlyInternetGateway"
        }
        ResourceKind::ElasticIp { name } => {
            props.insert("Domain".into(), json!("vpc"));
            props.insert("Tags".into(), tags(cx, r, Some(name), &BTreeMap::new()));
            "AWS::EC2::EIP"
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
            "AWS::EC2::NatGateway"
        }
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
        ResourceKind::Instance {
            name,
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
            props.insert("ImageId".into(), image(out, ami));
            props.insert("InstanceType".into(), json!(instance_type));
            let groups = security_groups
                .iter()
                .map(|g| cx.get_att(id, g, "GroupId"))
                .collect::<Result<Vec<_>, _>>()?;
            props.insert(
                "NetworkInterfaces".into(),
                json!([{"DeviceIndex": "0", "SubnetId": cx.reference(id, subnet)?,
                        "GroupSet": groups,
                        "AssociatePublicIpAddress": associate_public_ip_address,
                        "DeleteOnTermination": true}]),
            );
            props.insert("SourceDestCheck".into(), json!(source_dest_check));
            if let Some(p) = iam_instance_profile {
                props.insert("IamInstanceProfile".into(), cx.reference(id, p)?);
            }
            if let Some(k) = key_name {
                props.insert("KeyName".into(), json!(k));
            }
            if let Some(u) = user_data {
                props.insert("UserData".into(), json!({ "Fn::Base64": u }));
            }
            props.insert("PropagateTagsToVolumeOnCreation".into(), json!(true));
            props.insert("Tags".into(), tags(cx, r, Some(name), &BTreeMap::new()));
            "AWS::EC2::Instance"
        }
        ResourceKind::LaunchTemplate {
            name,
            ami,
            instance_type,
            security_groups,
            associate_public_ip_address,
            iam_instance_profile,
            user_data,
        } => {
            let groups = security_groups
                .iter()
                .map(|g| cx.get_att(id, g, "GroupId"))
                .collect::<Result<Vec<_>, _>>()?;
            let mut data = Map::new();
            data.insert("ImageId".into(), image(out, ami));
            data.insert("InstanceType".into(), json!(instance_type));
            data.insert(
                "NetworkInterfaces".into(),
                json!([{"DeviceIndex": 0, "Groups": groups,
                        "AssociatePublicIpAddress": associate_public_ip_address,
                        "DeleteOnTermination": true}]),
            );
            if let Some(p) = iam_instance_profile {
                data.insert(
                    "IamInstanceProfile".into(),
                    json!({"Arn": cx.get_att(id, p, "Arn")?}),
                );
            }
            if let Some(u) = user_data {
                data.insert("UserData".into(), json!({ "Fn::Base64": u }));
            }
            let plan_tag = json!([{"Key": PLAN_TAG, "Value": cx.plan.design.name}]);
            data.insert(
                "TagSpecifications".into(),
                json!(["instance", "volume", "network-interface"]
                    .map(|k| json!({"ResourceType": k, "Tags": plan_tag}))),
            );
            props.insert("LaunchTemplateName".into(), json!(name));
            props.insert("LaunchTemplateData".into(), Value::Object(data));
            props.insert(
                "TagSpecifications".into(),
                json!([{"ResourceType": "launch-template",
                        "Tags": tags(cx, r, Some(name), &BTreeMap::new())}]),
            );
            "AWS::EC2::LaunchTemplate"
        }
        ResourceKind::AutoscalingGroup {
            name,
            launch_template,
            subnet,
            availability_zone: _,
            size,
        } => {
            let lt = cx.logical(id, launch_template)?;
            props.insert("AutoScalingGroupName".into(), json!(name));
            props.insert(
                "LaunchTemplate".into(),
                json!({"LaunchTemplateId": {"Ref": lt},
                       "Version": {"Fn::GetAtt": [lt, "LatestVersionNumber"]}}),
            );
            for k in ["MinSize", "MaxSize", "DesiredCapacity"] {
                props.insert(k.into(), json!(size.to_string()));
            }
            props.insert(
                "VPCZoneIdentifier".into(),
                json!([cx.reference(id, subnet)?]),
            );
            let mut t = tags(cx, r, Some(name), &BTreeMap::new());
            if let Value::Array(list) = &mut t {
                for tag in list {
                    tag["PropagateAtLaunch"] = json!(true);
                }
            }
            props.insert("Tags".into(), t);
            for table in cx.boot_tables.get(id).into_iter().flatten() {
                extra_depends.push(cx.logical(id, table)?.to_owned());
            }
            "AWS::AutoScaling::AutoScalingGroup"
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
                metadata = Some(json!({ "vpc-planner:routes-made-at-boot": listed }));
            }
            "AWS::EC2::RouteTable"
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
                RouteTarget::AutoscalingGroup(_) => return Ok(()),
            };
            props.insert(key.into(), cx.reference(id, to)?);
            "AWS::EC2::Route"
        }
        ResourceKind::RouteTableAssociation {
            route_table,
            subnet,
        } => {
            props.insert("RouteTableId".into(), cx.reference(id, route_table)?);
            props.insert("SubnetId".into(), cx.reference(id, subnet)?);
            "AWS::EC2::SubnetRouteTableAssociation"
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
            "AWS::EC2::VPCEndpoint"
        }
        ResourceKind::LogGroup {
            name,
            retention_days,
        } => {
            props.insert("LogGroupName".into(), json!(name));
            props.insert("RetentionInDays".into(), json!(retention_days));
            props.insert("Tags".into(), tags(cx, r, None, &BTreeMap::new()));
            "AWS::Logs::LogGroup"
        }
        ResourceKind::FlowLog {
            name,
            vpc,
            traffic,
            destination,
        } => {
            props.insert("ResourceId".into(), cx.reference(id, vpc)?);
            props.insert("ResourceType".into(), json!("VPC"));
            props.insert("TrafficType".into(), json!(traffic.aws()));
            match destination {
                FlowLogTarget::CloudwatchLogs { log_group, role } => {
                    props.insert("LogDestinationType".into(), json!("cloud-watch-logs"));
                    props.insert("LogGroupName".into(), cx.reference(id, log_group)?);
                    props.insert(
                        "DeliverLogsPermissionArn".into(),
                        cx.get_att(id, role, "Arn")?,
                    );
                }
                FlowLogTarget::S3 { bucket_arn } => {
                    props.insert("LogDestinationType".into(), json!("s3"));
                    props.insert("LogDestination".into(), json!(bucket_arn));
                }
            }
            props.insert("Tags".into(), tags(cx, r, Some(name), &BTreeMap::new()));
            "AWS::EC2::FlowLog"
        }
        ResourceKind::IamPolicy(p) => {
            props.insert("ManagedPolicyName".into(), json!(p.name));
            props.insert("Path".into(), json!(p.path));
            if !p.description.is_empty() {
                props.insert("Description".into(), json!(p.description));
            }
            props.insert("PolicyDocument".into(), iam::document(cx, id, &p.document)?);
            "AWS::IAM::ManagedPolicy"
        }
        ResourceKind::IamRole(role) => {
            props.insert("RoleName".into(), json!(role.name));
            props.insert("Path".into(), json!(role.path));
            if !role.description.is_empty() {
                props.insert("Description".into(), json!(role.description));
            }
            props.insert(
                "AssumeRolePolicyDocument".into(),
                iam::document(cx, id, &role.trust_policy)?,
            );
            if !role.inline_policies.is_empty() {
                let policies = role
                    .inline_policies
                    .iter()
                    .map(|p| {
                        Ok(json!({"PolicyName": p.name,
                                  "PolicyDocument": iam::document(cx, id, &p.document)?}))
                    })
                    .collect::<Result<Vec<_>, ExportError>>()?;
                props.insert("Policies".into(), json!(policies));
            }
            if !role.managed_policies.is_empty() {
                let arns = role
                    .managed_policies
                    .iter()
                    .map(|m| match m {
                        PolicyAttachment::Arn(a) => Ok(json!(a)),
                        PolicyAttachment::Policy(p) => cx.reference(id, p),
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                props.insert("ManagedPolicyArns".into(), json!(arns));
            }
            if let Some(s) = role.max_session_duration {
                props.insert("MaxSessionDuration".into(), json!(s));
            }
            let mut extra = role.tags.clone();
            extra.insert(REGION_TAG.to_owned(), cx.plan.design.region.clone());
            props.insert("Tags".into(), tags(cx, r, None, &extra));
            "AWS::IAM::Role"
        }
        ResourceKind::IamInstanceProfile(p) => {
            props.insert("InstanceProfileName".into(), json!(p.name));
            props.insert("Path".into(), json!(p.path));
            props.insert("Roles".into(), json!([cx.reference(id, &p.role)?]));
            "AWS::IAM::InstanceProfile"
        }
    };
    let props = Value::Object(props);
    let mut body = Map::new();
    body.insert("Type".into(), json!(ty));
    let depends = depends_on(cx, r, &me, &props, extra_depends)?;
    if !depends.is_empty() {
        body.insert("DependsOn".into(), json!(depends));
    }
    if let Some(m) = metadata {
        body.insert("Metadata".into(), m);
    }
    body.insert("Properties".into(), props);
    out.add(id, me, Value::Object(body))
}

/// The plan's `depends_on` (with the internet gateway's attachment for what waits for the
/// gateway) and `extra`, less what the properties already reference; sorted.
fn depends_on(
    cx: &Cx,
    r: &Resource,
    me: &str,
    props: &Value,
    extra: Vec<String>,
) -> Result<Vec<String>, ExportError> {
    let mut referenced = std::collections::BTreeSet::new();
    references(props, &mut referenced);
    let mut all = std::collections::BTreeSet::new();
    for d in &r.depends_on {
        let l = cx.logical(&r.id, d)?.to_owned();
        if d == IGW_ID {
            all.insert(attachment(&l));
        }
        all.insert(l);
    }
    all.extend(extra);
    all.remove(me);
    Ok(all
        .into_iter()
        .filter(|l| !referenced.contains(l))
        .collect())
}

/// Every logical id a `Ref`, `Fn::GetAtt` or `Fn::Sub` in `v` names.
pub fn references(v: &Value, out: &mut std::collections::BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(s)) = m.get("Ref") {
                out.insert(s.clone());
            }
            if let Some(Value::Array(a)) = m.get("Fn::GetAtt") {
                if let Some(Value::String(s)) = a.first() {
                    out.insert(s.clone());
                }
            }
            if let Some(Value::String(s)) = m.get("Fn::Sub") {
                for part in s.split("${").skip(1) {
                    if let Some(name) = part.split('}').next() {
                        out.insert(name.split('.').next().unwrap_or(name).to_owned());
                    }
                }
            }
            m.values().for_each(|v| references(v, out));
        }
        Value::Array(a) => a.iter().for_each(|v| references(v, out)),
        _ => {}
    }
}
