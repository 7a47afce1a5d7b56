//! How NAT instances run (`nat_instances`), shown while the NAT strategy uses them: the
//! instance type, the image, and whether each runs in an auto-scaling group of one.

use planner_core::design::instances::{is_arm64_type, NAT_INSTANCE_TYPE};
use yew::prelude::*;

use crate::editor::use_editor;
use crate::fields::{AmiField, Checkbox, Kind, TextField};
use crate::path::field_id;

/// The NAT instances' settings; each left empty keeps the design's default.
#[function_component]
pub fn NatInstances() -> Html {
    let editor = use_editor();
    let typed = editor.text("nat_instances.instance_type");
    let arm64 = is_arm64_type(if typed.is_empty() {
        NAT_INSTANCE_TYPE
    } else {
        &typed
    });
    html! {
        <fieldset class="nat-instances" id={field_id("nat_instances")} tabindex="-1">
            <legend>{ "NAT instances" }</legend>
            <div class="row">
                <TextField path="nat_instances.instance_type" label="Instance type"
                    kind={Kind::OptionalText} placeholder={NAT_INSTANCE_TYPE} />
                <Checkbox path="nat_instances.autoscaling"
                    label="In an auto-scaling group of one (replaced when it fails)" />
            </div>
            <AmiField path="nat_instances.ami" label="Image (AMI)" {arm64}
                unset={AttrValue::from("Default: Amazon Linux 2023 (arm64)")} />
            <p class="help">{ "The image must offer iptables and the AWS CLI (Amazon Linux 2023 does)." }</p>
        </fieldset>
    }
}
