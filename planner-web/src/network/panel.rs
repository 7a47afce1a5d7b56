//! The network tab: name, region, VPC (with its DNS settings, default security group and
//! default network ACL), AZs, tiers, NAT, IPv6, endpoints, flow logs and ranges used elsewhere.

use planner_core::design::DefaultNetworkAcl;
use planner_core::NatStrategy;
use serde_json::json;
use yew::prelude::*;

use super::az_field::AzField;
use super::cidrs_in_use::CidrsInUse;
use super::endpoints::Endpoints;
use super::flow_logs::FlowLogs;
use super::nat_instances::NatInstances;
use super::secondary_cidrs::SecondaryCidrs;
use super::tiers::Tiers;
use crate::editor::use_editor;
use crate::fields::{Checkbox, Kind, Select, TextField};
use crate::state::Action;
use crate::words;

/// The network editor.
#[function_component]
pub fn NetworkPanel() -> Html {
    let editor = use_editor();
    let nat_options = NatStrategy::ALL
        .iter()
        .map(|n| {
            (
                AttrValue::from(n.as_str()),
                AttrValue::from(words::nat_label(*n)),
            )
        })
        .collect::<Vec<_>>();
    let nat = NatStrategy::ALL
        .into_iter()
        .find(|n| editor.text("nat") == n.as_str())
        .unwrap_or_default();
    let acl_options = [DefaultNetworkAcl::AllowAll, DefaultNetworkAcl::DenyAll]
        .iter()
        .map(|a| {
            (
                AttrValue::from(a.as_str()),
                AttrValue::from(words::default_acl_label(*a)),
            )
        })
        .collect::<Vec<_>>();
    let has_vpc = editor.value("vpc").is_some();
    let nat_instances = NatStrategy::ALL
        .iter()
        .any(|n| n.uses_instances() && n.as_str() == editor.text("nat"));
    let add_vpc = {
        let editor = editor.clone();
        Callback::from(move |_| {
            editor.dispatch(Action::Set {
                path: "vpc".into(),
                value: json!({"cidr": "10.0.0.0/16"}),
            });
            editor.dispatch(Action::Set {
                path: "availability_zones".into(),
                value: json!(2),
            });
        })
    };
    html! {
        <div class="panel network">
            <div class="row">
                <TextField path="name" label="Name" />
                <TextField path="region" label="Region" placeholder="us-east-1" />
            </div>
            if has_vpc {
                <div class="row">
                    <TextField path="vpc.cidr" label="VPC CIDR" placeholder="10.0.0.0/16" />
                    <AzField />
                    <TextField path="reserved_az_slots" label="Reserved AZ slots" kind={Kind::OptionalNumber} placeholder="0"
                        help="AZs you may add later: every tier keeps room for them, so no subnet moves when they come." />
                </div>
                <div class="row">
                    <Select path="nat" label="NAT" options={nat_options} default="none" />
                    <Checkbox path="vpc.ipv6" label="IPv6 (/56 from Amazon)" />
                </div>
                <p class="help" id="nat-help">{ words::nat_help(nat) }</p>
                if nat_instances {
                    <NatInstances />
                }
                <div class="row vpc-defaults">
                    <Checkbox path="vpc.dns_support" label="DNS support" default=true />
                    <Checkbox path="vpc.dns_hostnames" label="DNS hostnames" default=true />
                    <Checkbox path="vpc.restrict_default_security_group" label="Restrict the default security group" />
                    <Select path="vpc.default_network_acl" label="Default network ACL" options={acl_options} unset="AWS's (not managed)" />
                </div>
                <SecondaryCidrs />
                <Tiers />
                <Endpoints />
                <FlowLogs />
                <CidrsInUse />
            } else {
                <p class="empty">{ "This design has no VPC (IAM only)." }
                    <button type="button" onclick={add_vpc}>{ "Add a VPC" }</button></p>
            }
        </div>
    }
}
