//! A recorded call as the IAM requests AWS authorizes for it, so a test can ask planner-core's
//! IAM evaluation ([`planner_core::analysis::iam_eval`]) whether a policy allows every call the
//! executor makes.
//!
//! [`requests`] turns a [`Call`] (its service, action and parameters) into one
//! [`Request`] per resource AWS checks: the action `<service>:<Action>`; the ARN of each
//! resource the call names, built from its parameters (`SubnetId=subnet-1` →
//! `arn:aws:ec2:<region>:<account>:subnet/subnet-1`), or `…:subnet/*` for the one it creates;
//! the tags the request carries (`aws:RequestTag/…`, `aws:TagKeys`); for a resource that
//! exists, its tags at that moment (`aws:ResourceTag/…` and the service's own spelling,
//! `ec2:ResourceTag/…`), read through a [`Lookup`]; and the requests AWS makes of the caller
//! beside the call itself: `ec2:CreateTags` with `ec2:CreateAction` for tags given at
//! creation, `iam:PassRole` with `iam:PassedToService` for a role handed to a service
//! (`RunInstances`' instance profile, `CreateFlowLogs`' delivery role, an auto-scaling group's
//! launch template), `logs:TagResource` for a log group created with tags.
//!
//! **What is approximated**, from the Service Authorization Reference and AWS's documentation
//! rather than from AWS itself:
//! - which parameters of an EC2 call are resources AWS authorizes ([`ec2`]'s table); a
//!   resource type AWS lists as optional is evaluated only where the executor's call names it
//!   (a security group rule only when the call tags rules, which the executor does not);
//! - actions that take no resource ([`iam_catalogue`]'s `resource_level` false) are
//!   evaluated on `*`;
//! - an auto-scaling group's ARN carries a fixed id (the policy matches it with `*`), and
//!   creating a group is checked as `ec2:RunInstances` on its launch template and subnets
//!   only (not on what the template launches), plus `iam:PassRole` of the template's role
//!   and `iam:CreateServiceLinkedRole` while Auto Scaling's role does not exist;
//! - condition keys other than tags, `ec2:CreateAction`, `iam:PassedToService` and
//!   `iam:PolicyARN` are not set (the derived policy uses no other);
//! - a resource's tags are read just before its call is forwarded; calls in flight together
//!   see each other's effects or not, as the moment falls.
//!
//! [`iam_catalogue`]: planner_core::analysis::iam_catalogue

mod ec2;
mod model;
mod moto_state;
mod services;

use planner_core::analysis::iam_catalogue;
use planner_core::analysis::iam_eval::Request;

use crate::proxy::Call;

pub use model::{IamEntity, Lookup, Tags, Where};
pub use moto_state::MotoState;

/// The requests AWS authorizes for `call`, or why it cannot say (an action it does not know:
/// the test then fails on it rather than skip it).
pub fn requests(call: &Call, lookup: &dyn Lookup, at: &Where) -> Result<Vec<Request>, String> {
    let action = format!("{}:{}", call.service, call.action);
    let info = iam_catalogue::lookup(&call.service, &call.action)
        .ok_or_else(|| format!("{action} is not an IAM action"))?;
    let form = call.form();
    let out = match call.service.as_str() {
        "ec2" => ec2::requests(&action, &form, lookup, at)?,
        "iam" => services::iam(&action, &form, lookup, at)?,
        "autoscaling" => services::autoscaling(&action, &form, lookup, at)?,
        "logs" => services::logs(&action, &call.json(), lookup, at)?,
        "ssm" => services::ssm(&action, &call.json(), at)?,
        "sts" => Vec::new(),
        other => return Err(format!("{action}: no translation for service {other}")),
    };
    // What takes no resource is authorized on `*`; what the table above does not place is
    // refused rather than guessed.
    if !info.resource_level {
        let mut star = out
            .iter()
            .find(|r| r.action == action)
            .cloned()
            .unwrap_or_else(|| Request::new(action.clone(), "*"));
        star.resource = "*".to_owned();
        let mut rest: Vec<Request> = out.into_iter().filter(|r| r.action != action).collect();
        rest.insert(0, star);
        return Ok(rest);
    }
    if !out.iter().any(|r| r.action == action) {
        return Err(format!("{action}: no resource found in {}", call.params));
    }
    Ok(out)
}
