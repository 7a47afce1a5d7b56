//! IAM documents with their typed references as CloudFormation intrinsics, and the IAM
//! resources.

use serde_json::{json, Map, Value};

use super::body::{not_in_area, tags};
use super::Cx;
use crate::design::iam::document::PolicyDocument;
use crate::design::iam::{Reference, Value as IamValue};
use crate::export::ExportError;
use crate::ids::{instance_profile_id, policy_id, role_id, REGION_TAG, VPC_ID};
use crate::resource::iam::PolicyAttachment;
use crate::resource::{Resource, ResourceKind};

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
                if let Ok(value) = crate::error::from_value::<IamValue>(&Value::Object(m.clone())) {
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

/// The type and properties of IAM resource `r`, its documents resolved by `document`.
pub fn emit(
    cx: &Cx,
    r: &Resource,
    props: &mut Map<String, Value>,
) -> Result<&'static str, ExportError> {
    let id = r.id.as_str();
    Ok(match &r.kind {
        ResourceKind::IamPolicy(p) => {
            props.insert("ManagedPolicyName".into(), json!(p.name));
            props.insert("Path".into(), json!(p.path));
            if !p.description.is_empty() {
                props.insert("Description".into(), json!(p.description));
            }
            props.insert("PolicyDocument".into(), document(cx, id, &p.document)?);
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
                document(cx, id, &role.trust_policy)?,
            );
            if !role.inline_policies.is_empty() {
                let policies = role
                    .inline_policies
                    .iter()
                    .map(|p| {
                        Ok(json!({"PolicyName": p.name,
                                  "PolicyDocument": document(cx, id, &p.document)?}))
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
        _ => return Err(not_in_area(r, "IAM")),
    })
}
