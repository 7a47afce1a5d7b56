//! The VPC's flow log: on or off, where records go, which traffic, how long CloudWatch Logs
//! keeps them, or the bucket for S3.

use planner_core::design::flow_logs::RETENTION_DAYS;
use serde_json::{json, Value};
use yew::prelude::*;

use crate::editor::{on_click, use_editor};
use crate::fields::{Kind, Select, TextField};
use crate::path::field_id;
use crate::state::Action;

/// The flow-log settings.
#[function_component]
pub fn FlowLogs() -> Html {
    let editor = use_editor();
    let on = editor.value("flow_logs").is_some();
    let destination = editor
        .value("flow_logs.destination")
        .and_then(Value::as_str)
        .unwrap_or("cloudwatch_logs")
        .to_owned();
    let turn_on = on_click(
        &editor,
        Action::Set {
            path: "flow_logs".into(),
            value: json!({"destination": "cloudwatch_logs"}),
        },
    );
    let turn_off = on_click(
        &editor,
        Action::Remove {
            path: "flow_logs".into(),
        },
    );
    let options = |items: &[(&str, &str)]| {
        items
            .iter()
            .map(|(v, l)| {
                (
                    AttrValue::from(v.to_string()),
                    AttrValue::from(l.to_string()),
                )
            })
            .collect::<Vec<_>>()
    };
    let retention = RETENTION_DAYS
        .iter()
        .map(|d| {
            (
                AttrValue::from(d.to_string()),
                AttrValue::from(format!("{d} days")),
            )
        })
        .collect::<Vec<_>>();
    html! {
        <fieldset class="flow-logs" id={field_id("flow_logs")} tabindex="-1">
            <legend>{ "Flow logs" }</legend>
            if on {
                <div class="row">
                    <Select path="flow_logs.destination" label="Destination" default="cloudwatch_logs"
                        options={options(&[("cloudwatch_logs", "CloudWatch Logs (the plan makes the group and role)"), ("s3", "an S3 bucket")])} />
                    <Select path="flow_logs.traffic" label="Traffic" default="all"
                        options={options(&[("all", "all"), ("accept", "accepted only"), ("reject", "rejected only")])} />
                    if destination == "s3" {
                        <TextField path="flow_logs.bucket_arn" label="Bucket ARN" placeholder="arn:aws:s3:::my-flow-logs" kind={Kind::OptionalText} />
                    } else {
                        <Select path="flow_logs.retention_days" label="Keep records" default="30" options={retention} number=true />
                    }
                    <button type="button" id="flow-logs-off" onclick={turn_off}>{ "Turn off" }</button>
                </div>
            } else {
                <p class="empty">{ "No flow logs: no record of accepted or rejected connections." }
                    <button type="button" id="flow-logs-on" onclick={turn_on}>{ "Turn on" }</button></p>
            }
        </fieldset>
    }
}
