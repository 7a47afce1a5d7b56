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
mod moto_state;
mod services;

use std::collections::BTreeMap;

use planner_core::analysis::iam_catalogue;
use planner_core::analysis::iam_eval::Request;

use crate::proxy::Call;

pub use moto_state::MotoState;

/// Tags by key.
pub type Tags = BTreeMap<String, String>;

/// Where the calls go: the region and account in their ARNs (partition `aws`).
#[derive(Clone, Debug)]
pub struct Where {
    /// The plan's region.
    pub region: String,
    /// The account id (moto's: `123456789012`).
    pub account: String,
}

/// An IAM role or instance profile as the account holds it.
#[derive(Clone, Debug, Default)]
pub struct IamEntity {
    /// Its ARN (with its path).
    pub arn: String,
    /// Its tags.
    pub tags: Tags,
    /// For an instance profile, the names of its roles.
    pub roles: Vec<String>,
}

/// What a call acts on that the call itself does not say, as the account holds it just
/// before the call. Anything unknown (gone, never made) is empty or `None`.
pub trait Lookup {
    /// The tags of an EC2 resource by id.
    fn ec2_tags(&self, id: &str) -> Tags;
    /// The resource an association id belongs to: a route table's (`rtbassoc-`) its route
    /// table, a network ACL's (`aclassoc-`) its subnet, a VPC's or subnet's CIDR block's
    /// their VPC or subnet.
    fn association(&self, id: &str) -> Option<String>;
    /// A role by name.
    fn role(&self, name: &str) -> Option<IamEntity>;
    /// An instance profile by name.
    fn instance_profile(&self, name: &str) -> Option<IamEntity>;
    /// The tags of a customer managed policy by ARN.
    fn policy_tags(&self, arn: &str) -> Tags;
    /// The instance profile (name or ARN) the latest version of a launch template names.
    fn launch_template_profile(&self, id: &str) -> Option<String>;
    /// The tags of a CloudWatch Logs group by name.
    fn log_group_tags(&self, name: &str) -> Tags;
    /// The tags of an auto-scaling group by name.
    fn autoscaling_group_tags(&self, name: &str) -> Tags;
}

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

/// `request` with the tags the request carries: `aws:RequestTag/<key>` and `aws:TagKeys`.
fn with_request_tags(mut request: Request, tags: &Tags) -> Request {
    if tags.is_empty() {
        return request;
    }
    for (k, v) in tags {
        request = request.with(&format!("aws:RequestTag/{k}"), &[v]);
    }
    let keys: Vec<&str> = tags.keys().map(String::as_str).collect();
    request.with("aws:TagKeys", &keys)
}

/// `request` with the tags of the resource it acts on, as `aws:ResourceTag/<key>` and as
/// `<service>:ResourceTag/<key>`.
fn with_resource_tags(mut request: Request, service: &str, tags: &Tags) -> Request {
    for (k, v) in tags {
        request = request.with(&format!("aws:ResourceTag/{k}"), &[v]);
        request = request.with(&format!("{service}:ResourceTag/{k}"), &[v]);
    }
    request
}

/// The values of the numbered query parameter `prefix.N.suffix` (or `prefix.N` with an
/// empty suffix), in order of N.
fn numbered<'a>(form: &'a [(String, String)], prefix: &str, suffix: &str) -> Vec<&'a str> {
    let mut found: Vec<(u32, &str)> = form
        .iter()
        .filter_map(|(k, v)| {
            let rest = k.strip_prefix(prefix)?.strip_prefix('.')?;
            let (n, tail) = rest.split_once('.').unwrap_or((rest, ""));
            (tail == suffix).then(|| Some((n.parse().ok()?, v.as_str())))?
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, v)| v).collect()
}

/// The value of query parameter `key`.
fn param<'a>(form: &'a [(String, String)], key: &str) -> Option<&'a str> {
    form.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// Tags given as `prefix.N.Key` / `prefix.N.Value`.
fn form_tags(form: &[(String, String)], prefix: &str) -> Tags {
    let keys = numbered(form, prefix, "Key");
    let values = numbered(form, prefix, "Value");
    keys.iter()
        .zip(values.iter().chain(std::iter::repeat(&"")))
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_parameters_in_order() {
        let form: Vec<(String, String)> = [
            ("InstanceId.2", "i-2"),
            ("InstanceId.1", "i-1"),
            ("Tag.1.Key", "a"),
            ("Tag.1.Value", "1"),
            ("Tag.2.Key", "b"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        assert_eq!(numbered(&form, "InstanceId", ""), ["i-1", "i-2"]);
        let tags = form_tags(&form, "Tag");
        assert_eq!(tags.get("a").map(String::as_str), Some("1"));
        assert_eq!(tags.get("b").map(String::as_str), Some(""));
    }
}
