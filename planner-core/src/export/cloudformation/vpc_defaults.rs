//! What the VPC's defaults need beyond the VPC itself: the default network ACL denying all,
//! and the default security group emptied by a custom resource.

use serde_json::{json, Value};

use super::names::ipv6_block;
use super::{Cx, Out};
use crate::design::network::DefaultNetworkAcl;
use crate::export::ExportError;
use crate::resource::{Resource, ResourceKind};

/// Empties the group the stack names in `GroupId` when the stack is created; nothing to undo
/// on delete, when the group goes with the VPC.
const EMPTY_GROUP: &str = r#"import boto3
import cfnresponse


def handler(event, context):
    try:
        if event["RequestType"] in ("Create", "Update"):
            ec2 = boto3.client("ec2")
            group_id = event["ResourceProperties"]["GroupId"]
            group = ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"][0]
            if group["IpPermissions"]:
                ec2.revoke_security_group_ingress(GroupId=group_id, IpPermissions=group["IpPermissions"])
            if group["IpPermissionsEgress"]:
                ec2.revoke_security_group_egress(GroupId=group_id, IpPermissions=group["IpPermissionsEgress"])
        cfnresponse.send(event, context, cfnresponse.SUCCESS, {})
    except Exception as e:
        cfnresponse.send(event, context, cfnresponse.FAILED, {}, reason=str(e))
"#;

/// Adds the resources the VPC's `restrict_default_security_group` and `default_network_acl`
/// need.
pub fn emit(cx: &Cx, vpc: &Resource, out: &mut Out) -> Result<(), ExportError> {
    let ResourceKind::Vpc {
        amazon_provided_ipv6,
        restrict_default_security_group,
        default_network_acl,
        ..
    } = &vpc.kind
    else {
        return Ok(());
    };
    let id = vpc.id.as_str();
    let me = cx.logical(id, id)?.to_owned();
    match default_network_acl {
        None | Some(DefaultNetworkAcl::AllowAll) => {}
        Some(DefaultNetworkAcl::DenyAll) => {
            let mut blocks = vec![(1, "CidrBlock", "0.0.0.0/0", "Ipv4")];
            if *amazon_provided_ipv6 {
                blocks.push((2, "Ipv6CidrBlock", "::/0", "Ipv6"));
            }
            for (number, key, block, family) in blocks {
                for (egress, way) in [(false, "Ingress"), (true, "Egress")] {
                    let mut body = json!({"Type": "AWS::EC2::NetworkAclEntry", "Properties": {
                        "NetworkAclId": {"Fn::GetAtt": [me, "DefaultNetworkAcl"]},
                        "RuleNumber": number, "RuleAction": "deny", "Egress": egress,
                        "Protocol": -1, key: block}});
                    if family == "Ipv6" {
                        body["DependsOn"] = json!([ipv6_block(&me)]);
                    }
                    out.add(id, format!("{me}DefaultAclDeny{family}{way}"), body)?;
                }
            }
        }
    }
    if *restrict_default_security_group {
        restrict_default_group(&me, id, out)?;
    }
    Ok(())
}

fn restrict_default_group(me: &str, id: &str, out: &mut Out) -> Result<(), ExportError> {
    let role = format!("{me}RestrictDefaultSecurityGroupRole");
    let function = format!("{me}RestrictDefaultSecurityGroupFunction");
    let group_arn = json!({"Fn::Sub": format!(
        "arn:${{AWS::Partition}}:ec2:${{AWS::Region}}:${{AWS::AccountId}}:security-group/${{{me}.DefaultSecurityGroup}}"
    )});
    out.add(
        id,
        role.clone(),
        json!({"Type": "AWS::IAM::Role", "Properties": {
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole"}]},
            "ManagedPolicyArns": [{"Fn::Sub":
                "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}],
            "Policies": [{"PolicyName": "revoke-default-group-rules", "PolicyDocument": {
                "Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Action": "ec2:DescribeSecurityGroups", "Resource": "*"},
                    {"Effect": "Allow",
                     "Action": ["ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress"],
                     "Resource": group_arn}]}}]}}),
    )?;
    out.add(
        id,
        function.clone(),
        json!({"Type": "AWS::Lambda::Function", "Properties": {
            "Description": "Removes every rule of the VPC's default security group",
            "Handler": "index.handler", "Runtime": "python3.12", "Timeout": 60,
            "Role": {"Fn::GetAtt": [role, "Arn"]},
            "Code": {"ZipFile": EMPTY_GROUP}}}),
    )?;
    let custom: Value = json!({"Type": "Custom::RestrictDefaultSecurityGroup", "Properties": {
        "ServiceToken": {"Fn::GetAtt": [function, "Arn"]},
        "GroupId": {"Fn::GetAtt": [me, "DefaultSecurityGroup"]}}});
    out.add(id, format!("{me}RestrictDefaultSecurityGroup"), custom)
}
