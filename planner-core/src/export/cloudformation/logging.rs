//! The flow log and its log group as template resources.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::body::{not_in_area, tags};
use super::Cx;
use crate::export::ExportError;
use crate::resource::{FlowLogTarget, Resource, ResourceKind};

/// The type and properties of logging resource `r`.
pub fn emit(
    cx: &Cx,
    r: &Resource,
    props: &mut Map<String, Value>,
) -> Result<&'static str, ExportError> {
    let id = r.id.as_str();
    Ok(match &r.kind {
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
        _ => return Err(not_in_area(r, "logging")),
    })
}
