//! IAM documents with their typed references as CloudFormation intrinsics, and the IAM
//! resources.

use serde_json::{json, Map, Value};

use super::Cx;
use crate::design::iam::document::PolicyDocument;
use crate::design::iam::{Reference, Value as IamValue};
use crate::export::ExportError;
use crate::ids::{instance_profile_id, policy_id, role_id, VPC_ID};
use crate::resource::ResourceKind;

/// A policy document of resource `from` with every reference resolved in the template.
pub fn document(cx: &Cx, from: &str, doc: &PolicyDocument) -> Result<Value, ExportError> {
    let v = serde_json::to_value(doc).map_err(|e| ExportError::new(from, e.to_string()))?;
    convert(cx, from, v)
}

/// Walks the document as plan.json holds it: an object in the shape of a reference or a join
/// is one, everything else is kept.
fn convert(cx: &Cx, from: &str, v: Value) -> Result<Value, ExportError> {
    match v {
        Value::Object(m) => {
            if (m.contains_key("ref") || m.contains_key("join")) && m.len() <= 2 {
                if let Ok(value) = serde_json::from_value::<IamValue>(Value::Object(m.clone())) {
                    return value_of(cx, from, &value);
                }
            }
            let mut out = Map::new();
            for (k, v) in m {
                out.insert(k, convert(cx, from, v)?);
            }
            Ok(Value::Object(out))
        }
        Value::Array(a) => a
            .into_iter()
            .map(|v| convert(cx, from, v))
            .collect::<Result<_, _>>()
            .map(Value::Array),
        other => Ok(other),
    }
}

fn value_of(cx: &Cx, from: &str, v: &IamValue) -> Result<Value, ExportError> {
    Ok(match v {
        IamValue::Literal(s) => json!(s),
        IamValue::Ref(r) => reference(cx, from, r)?,
        IamValue::Join(parts) => {
            let parts: Vec<Value> = parts
                .iter()
                .map(|p| value_of(cx, from, p))
                .collect::<Result<_, _>>()?;
            json!({ "Fn::Join": ["", parts] })
        }
    })
}

fn reference(cx: &Cx, from: &str, r: &Reference) -> Result<Value, ExportError> {
    let iam_arn = |kind: &str, path: &str, name: &str| json!({ "Fn::Sub": format!("arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:{kind}{path}{name}") });
    let named = |id: String| {
        cx.plan
            .resource(&id)
            .map(|r| &r.kind)
            .ok_or_else(|| ExportError::new(from, format!("refers to {r}, which the plan lacks")))
    };
    Ok(match r {
        Reference::AccountId => json!({ "Ref": "AWS::AccountId" }),
        Reference::Region => json!({ "Ref": "AWS::Region" }),
        Reference::Partition => json!({ "Ref": "AWS::Partition" }),
        Reference::VpcId => cx.reference(from, VPC_ID)?,
        Reference::VpcArn => json!({ "Fn::Sub": format!(
            "arn:${{AWS::Partition}}:ec2:${{AWS::Region}}:${{AWS::AccountId}}:vpc/${{{}}}",
            cx.logical(from, VPC_ID)?
        ) }),
        Reference::RoleArn { role } => match named(role_id(role))? {
            ResourceKind::IamRole(x) => iam_arn("role", &x.path, &x.name),
            _ => return Err(ExportError::new(from, format!("{r} is not a role"))),
        },
        Reference::PolicyArn { policy } => match named(policy_id(policy))? {
            ResourceKind::IamPolicy(x) => iam_arn("policy", &x.path, &x.name),
            _ => return Err(ExportError::new(from, format!("{r} is not a policy"))),
        },
        Reference::InstanceProfileArn { instance_profile } => {
            match named(instance_profile_id(instance_profile))? {
                ResourceKind::IamInstanceProfile(x) => {
                    iam_arn("instance-profile", &x.path, &x.name)
                }
                _ => {
                    return Err(ExportError::new(
                        from,
                        format!("{r} is not an instance profile"),
                    ))
                }
            }
        }
    })
}
