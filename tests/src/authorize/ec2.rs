//! EC2 calls: which of a call's parameters name resources AWS authorizes, what a create makes,
//! and the ARN of an id.

use planner_core::analysis::iam_eval::Request;

use super::model::{param, with_request_tags, with_resource_tags, Lookup, Tags, Where};

/// The resource types a create makes (its ARN is `…:<type>/*`).
const CREATES: &[(&str, &[&str])] = &[
    ("CreateVpc", &["vpc"]),
    ("CreateSubnet", &["subnet"]),
    ("CreateInternetGateway", &["internet-gateway"]),
    (
        "CreateEgressOnlyInternetGateway",
        &["egress-only-internet-gateway"],
    ),
    ("AllocateAddress", &["elastic-ip"]),
    ("CreateNatGateway", &["natgateway"]),
    ("CreateSecurityGroup", &["security-group"]),
    ("RunInstances", &["instance", "volume", "network-interface"]),
    ("CreateLaunchTemplate", &["launch-template"]),
    ("CreateRouteTable", &["route-table"]),
    ("CreateNetworkAcl", &["network-acl"]),
    ("CreateVpcEndpoint", &["vpc-endpoint"]),
    ("CreateFlowLogs", &["vpc-flow-log"]),
];

/// The parameters (numbers taken out: `NetworkInterface.SecurityGroupId`) whose values are
/// existing resources AWS authorizes, per action; [`MAIN`] for the others.
const NAMED: &[(&str, &[&str])] = &[
    ("CreateSubnet", &["VpcId"]),
    ("CreateEgressOnlyInternetGateway", &["VpcId"]),
    ("CreateNatGateway", &["SubnetId", "AllocationId"]),
    ("CreateSecurityGroup", &["VpcId"]),
    ("CreateRouteTable", &["VpcId"]),
    ("CreateNetworkAcl", &["VpcId"]),
    (
        "CreateVpcEndpoint",
        &["VpcId", "RouteTableId", "SubnetId", "SecurityGroupId"],
    ),
    ("CreateFlowLogs", &["ResourceId"]),
    (
        "RunInstances",
        &[
            "SubnetId",
            "SecurityGroupId",
            "ImageId",
            "KeyName",
            "LaunchTemplate.LaunchTemplateId",
            "NetworkInterface.SubnetId",
            "NetworkInterface.SecurityGroupId",
        ],
    ),
    (
        "ModifyVpcEndpoint",
        &[
            "VpcEndpointId",
            "AddRouteTableId",
            "RemoveRouteTableId",
            "AddSubnetId",
            "RemoveSubnetId",
            "AddSecurityGroupId",
            "RemoveSecurityGroupId",
        ],
    ),
    ("AttachInternetGateway", &["InternetGatewayId", "VpcId"]),
    ("DetachInternetGateway", &["InternetGatewayId", "VpcId"]),
    ("AssociateRouteTable", &["RouteTableId", "SubnetId"]),
    (
        "ReplaceNetworkAclAssociation",
        &["NetworkAclId", "AssociationId"],
    ),
    ("ModifyInstanceAttribute", &["InstanceId", "GroupId"]),
    ("CreateRoute", &["RouteTableId"]),
    ("ReplaceRoute", &["RouteTableId"]),
    ("DeleteRoute", &["RouteTableId"]),
    ("CreateTags", &["ResourceId"]),
    ("DeleteTags", &["ResourceId"]),
    ("DisassociateRouteTable", &["AssociationId"]),
    ("DisassociateVpcCidrBlock", &["AssociationId"]),
    ("DisassociateSubnetCidrBlock", &["AssociationId"]),
    // A revoke acts on the group only, even when it names the rules by id (the Service
    // Authorization Reference lists no security-group-rule resource for it).
    ("RevokeSecurityGroupIngress", &["GroupId"]),
    ("RevokeSecurityGroupEgress", &["GroupId"]),
];

/// The parameters that name the resource an action acts on, for actions not in [`NAMED`]:
/// a rule change names its group and rules, the rest their one resource.
const MAIN: &[&str] = &[
    "VpcId",
    "SubnetId",
    "InternetGatewayId",
    "EgressOnlyInternetGatewayId",
    "AllocationId",
    "NatGatewayId",
    "GroupId",
    "SecurityGroupRuleId",
    "InstanceId",
    "LaunchTemplateId",
    "RouteTableId",
    "NetworkAclId",
    "VpcEndpointId",
    "FlowLogId",
];

/// A parameter's name with its numbers taken out: `NetworkInterface.1.SecurityGroupId.2` →
/// `NetworkInterface.SecurityGroupId`.
fn plain(key: &str) -> String {
    key.split('.')
        .filter(|p| !p.chars().all(|c| c.is_ascii_digit()))
        .collect::<Vec<_>>()
        .join(".")
}

/// The tags of each `TagSpecification.N` of the request, by resource type.
fn tag_specifications(form: &[(String, String)]) -> Vec<(String, Tags)> {
    let mut specs: std::collections::BTreeMap<u32, (String, Tags)> = Default::default();
    for (k, v) in form {
        let Some(rest) = k.strip_prefix("TagSpecification.") else {
            continue;
        };
        let (n, field) = rest.split_once('.').unwrap_or((rest, ""));
        let Ok(n) = n.parse::<u32>() else { continue };
        let spec = specs.entry(n).or_default();
        if field == "ResourceType" {
            spec.0 = v.clone();
        }
    }
    for (n, spec) in &mut specs {
        spec.1 = super::model::form_tags(form, &format!("TagSpecification.{n}.Tag"));
    }
    specs.into_values().collect()
}

/// The EC2 resource type of an id, by its prefix.
fn type_of(id: &str) -> Option<&'static str> {
    const PREFIXES: &[(&str, &str)] = &[
        ("vpce-", "vpc-endpoint"),
        ("vpc-", "vpc"),
        ("subnet-", "subnet"),
        ("sgr-", "security-group-rule"),
        ("sg-", "security-group"),
        ("rtb-", "route-table"),
        ("acl-", "network-acl"),
        ("igw-", "internet-gateway"),
        ("eigw-", "egress-only-internet-gateway"),
        ("eipalloc-", "elastic-ip"),
        ("nat-", "natgateway"),
        ("i-", "instance"),
        ("lt-", "launch-template"),
        ("fl-", "vpc-flow-log"),
        ("eni-", "network-interface"),
        ("vol-", "volume"),
        ("ami-", "image"),
    ];
    PREFIXES
        .iter()
        .find(|(p, _)| id.starts_with(p))
        .map(|(_, t)| *t)
}

/// The requests of one EC2 call.
pub(super) fn requests(
    action: &str,
    form: &[(String, String)],
    lookup: &dyn Lookup,
    at: &Where,
) -> Result<Vec<Request>, String> {
    let name = action.trim_start_matches("ec2:");
    let arn = |t: &str, id: &str| match t {
        "image" => format!("arn:aws:ec2:{}::image/{id}", at.region),
        _ => format!("arn:aws:ec2:{}:{}:{t}/{id}", at.region, at.account),
    };
    let mut out = Vec::new();
    // What the call makes, with the tags given for it.
    let specs = tag_specifications(form);
    let created = CREATES.iter().find(|(a, _)| *a == name).map(|(_, t)| *t);
    let rule_specs = specs.iter().filter(|(t, _)| t == "security-group-rule");
    let rules: Vec<&str> = rule_specs
        .filter(|_| name.starts_with("AuthorizeSecurityGroup"))
        .map(|_| "security-group-rule")
        .collect();
    for t in created.unwrap_or(&[]).iter().copied().chain(rules) {
        let tags: Tags = specs
            .iter()
            .filter(|(ty, _)| ty == t)
            .flat_map(|(_, tags)| tags.clone())
            .collect();
        out.push(with_request_tags(Request::new(action, arn(t, "*")), &tags));
        if !tags.is_empty() {
            let tagging =
                Request::new("ec2:CreateTags", arn(t, "*")).with("ec2:CreateAction", &[name]);
            out.push(with_request_tags(tagging, &tags));
        }
    }
    // What it names that exists.
    let keys: &[&str] = NAMED
        .iter()
        .find(|(a, _)| *a == name)
        .map_or(MAIN, |(_, k)| *k);
    let given = if matches!(name, "CreateTags" | "DeleteTags") {
        super::model::form_tags(form, "Tag")
    } else {
        Tags::new()
    };
    for (k, v) in form
        .iter()
        .filter(|(k, _)| keys.contains(&plain(k).as_str()))
    {
        let id = if plain(k) == "AssociationId" {
            lookup
                .association(v)
                .ok_or_else(|| format!("{action}: association {v} not found"))?
        } else {
            v.clone()
        };
        let request = if plain(k).ends_with("KeyName") {
            Request::new(action, arn("key-pair", &id))
        } else {
            let t = type_of(&id).ok_or_else(|| format!("{action}: {k}={id} is no EC2 id"))?;
            let tags = if t == "image" {
                Tags::new()
            } else {
                lookup.ec2_tags(&id)
            };
            with_resource_tags(Request::new(action, arn(t, &id)), "ec2", &tags)
        };
        let request = if name == "DeleteTags" {
            let keys: Vec<&str> = given.keys().map(String::as_str).collect();
            request.with("aws:TagKeys", &keys)
        } else {
            with_request_tags(request, &given)
        };
        out.push(request);
    }
    // The roles handed to a service.
    let profile = param(form, "IamInstanceProfile.Name").or(param(form, "IamInstanceProfile.Arn"));
    if let (Some(profile), "RunInstances") = (profile, name) {
        out.extend(pass_profile_role(lookup, profile, "ec2.amazonaws.com"));
    }
    if let Some(role) = param(form, "DeliverLogsPermissionArn") {
        out.push(
            Request::new("iam:PassRole", role)
                .with("iam:PassedToService", &["vpc-flow-logs.amazonaws.com"]),
        );
    }
    Ok(out)
}

/// `iam:PassRole` of the roles of instance profile `profile` (a name or an ARN) to `service`.
pub(super) fn pass_profile_role(lookup: &dyn Lookup, profile: &str, service: &str) -> Vec<Request> {
    let name = profile.rsplit('/').next().unwrap_or(profile);
    let roles = lookup
        .instance_profile(name)
        .map(|p| p.roles)
        .unwrap_or_default();
    roles
        .iter()
        .filter_map(|r| lookup.role(r))
        .map(|r| Request::new("iam:PassRole", r.arn).with("iam:PassedToService", &[service]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_without_numbers_and_types_by_prefix() {
        assert_eq!(
            plain("NetworkInterface.1.SecurityGroupId.2"),
            "NetworkInterface.SecurityGroupId"
        );
        assert_eq!(type_of("vpce-1"), Some("vpc-endpoint"));
        assert_eq!(type_of("vpc-1"), Some("vpc"));
        assert_eq!(type_of("sgr-1"), Some("security-group-rule"));
        assert_eq!(type_of("x-1"), None);
    }
}
