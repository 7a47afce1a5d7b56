//! Instances, launch templates and auto-scaling groups as template resources.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::body::{not_in_area, tags, Body};
use super::names::image_parameter;
use super::{Cx, Out};
use crate::export::ExportError;
use crate::ids::PLAN_TAG;
use crate::resource::{Ami, Resource, ResourceKind};

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

/// The type and body of compute resource `r`; an image from SSM becomes a parameter.
pub fn emit(
    cx: &Cx,
    r: &Resource,
    out: &mut Out,
    body: &mut Body,
) -> Result<&'static str, ExportError> {
    let id = r.id.as_str();
    let Body {
        props,
        extra_depends,
        ..
    } = body;
    Ok(match &r.kind {
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
        _ => return Err(not_in_area(r, "compute")),
    })
}
