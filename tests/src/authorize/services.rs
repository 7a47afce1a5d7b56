//! IAM, Auto Scaling, CloudWatch Logs and SSM calls as requests.

use planner_core::analysis::iam_eval::Request;
use serde_json::Value;

use super::ec2::pass_profile_role;
use super::model::{
    form_tags, numbered, param, with_request_tags, with_resource_tags, Lookup, Tags, Where,
};

/// The requests of one IAM call: on the role, policy or instance profile it names (an
/// instance profile first: adding a role to one also passes the role).
pub(super) fn iam(
    action: &str,
    form: &[(String, String)],
    lookup: &dyn Lookup,
    at: &Where,
) -> Result<Vec<Request>, String> {
    let name = action.trim_start_matches("iam:");
    let account = &at.account;
    let path = param(form, "Path").unwrap_or("/");
    let given = form_tags(form, "Tags.member");
    let untagged: Vec<&str> = numbered(form, "TagKeys.member", "");
    let finish = |r: Request, tags: &Tags| {
        let r = with_resource_tags(r, "iam", tags);
        let r = with_request_tags(r, &given);
        if untagged.is_empty() {
            r
        } else {
            r.with("aws:TagKeys", &untagged)
        }
    };
    let mut out = Vec::new();
    if let Some(profile) = param(form, "InstanceProfileName") {
        let request = if name == "CreateInstanceProfile" {
            let arn = format!("arn:aws:iam::{account}:instance-profile{path}{profile}");
            finish(Request::new(action, arn), &Tags::new())
        } else {
            let found =
                lookup
                    .instance_profile(profile)
                    .unwrap_or_else(|| super::model::IamEntity {
                        arn: format!("arn:aws:iam::{account}:instance-profile/{profile}"),
                        ..Default::default()
                    });
            finish(Request::new(action, found.arn), &found.tags)
        };
        out.push(request);
        if name == "AddRoleToInstanceProfile" {
            if let Some(role) = param(form, "RoleName").and_then(|r| lookup.role(r)) {
                out.push(Request::new("iam:PassRole", role.arn));
            }
        }
    } else if let Some(role) = param(form, "RoleName") {
        let request = if name == "CreateRole" {
            let arn = format!("arn:aws:iam::{account}:role{path}{role}");
            finish(Request::new(action, arn), &Tags::new())
        } else {
            let found = lookup
                .role(role)
                .unwrap_or_else(|| super::model::IamEntity {
                    arn: format!("arn:aws:iam::{account}:role/{role}"),
                    ..Default::default()
                });
            finish(Request::new(action, found.arn), &found.tags)
        };
        let request = match param(form, "PolicyArn") {
            Some(p) => request.with("iam:PolicyARN", &[p]),
            None => request,
        };
        out.push(request);
    } else if let Some(policy) = param(form, "PolicyArn") {
        out.push(finish(
            Request::new(action, policy),
            &lookup.policy_tags(policy),
        ));
    } else if let (Some(policy), "CreatePolicy") = (param(form, "PolicyName"), name) {
        let arn = format!("arn:aws:iam::{account}:policy{path}{policy}");
        out.push(finish(Request::new(action, arn), &Tags::new()));
    } else if let Some(service) = param(form, "AWSServiceName") {
        out.push(service_linked_role(account, service)?);
    }
    Ok(out)
}

/// Creating the service-linked role of `service` (Auto Scaling's only), with the condition
/// key IAM sets.
fn service_linked_role(account: &str, service: &str) -> Result<Request, String> {
    let role = match service {
        "autoscaling.amazonaws.com" => "AWSServiceRoleForAutoScaling",
        other => return Err(format!("no service-linked role known for {other}")),
    };
    let arn = format!("arn:aws:iam::{account}:role/aws-service-role/{service}/{role}");
    Ok(Request::new("iam:CreateServiceLinkedRole", arn).with("iam:AWSServiceName", &[service]))
}

/// The requests of one Auto Scaling call, on the group it names. Creating a group is also
/// checked as launching from its template into its subnets, passing the template's role, and
/// creating Auto Scaling's service-linked role while it does not exist.
pub(super) fn autoscaling(
    action: &str,
    form: &[(String, String)],
    lookup: &dyn Lookup,
    at: &Where,
) -> Result<Vec<Request>, String> {
    let name = action.trim_start_matches("autoscaling:");
    let group = param(form, "AutoScalingGroupName")
        .or_else(|| numbered(form, "Tags.member", "ResourceId").first().copied());
    let Some(group) = group else {
        return Ok(Vec::new());
    };
    let arn = format!(
        "arn:aws:autoscaling:{}:{}:autoScalingGroup:00000000-0000-0000-0000-000000000000:autoScalingGroupName/{group}",
        at.region, at.account
    );
    let tags = if name == "CreateAutoScalingGroup" {
        Tags::new()
    } else {
        lookup.autoscaling_group_tags(group)
    };
    let given = form_tags(form, "Tags.member");
    let request = with_resource_tags(Request::new(action, arn), "autoscaling", &tags);
    let mut out = vec![with_request_tags(request, &given)];
    if name == "CreateAutoScalingGroup" {
        let template = param(form, "LaunchTemplate.LaunchTemplateId")
            .ok_or_else(|| format!("{action}: no launch template id"))?;
        let ec2 = |t: &str, id: &str| format!("arn:aws:ec2:{}:{}:{t}/{id}", at.region, at.account);
        let launch = |t: &str, id: &str| {
            with_resource_tags(
                Request::new("ec2:RunInstances", ec2(t, id)),
                "ec2",
                &lookup.ec2_tags(id),
            )
        };
        out.push(launch("launch-template", template));
        for subnet in param(form, "VPCZoneIdentifier").unwrap_or("").split(',') {
            if !subnet.trim().is_empty() {
                out.push(launch("subnet", subnet.trim()));
            }
        }
        if let Some(profile) = lookup.launch_template_profile(template) {
            out.extend(pass_profile_role(lookup, &profile, "ec2.amazonaws.com"));
        }
        if lookup.role("AWSServiceRoleForAutoScaling").is_none() {
            out.push(service_linked_role(
                &at.account,
                "autoscaling.amazonaws.com",
            )?);
        }
    }
    Ok(out)
}

/// The requests of one CloudWatch Logs call, on the log group it names; a group created with
/// tags also takes `logs:TagResource`.
pub(super) fn logs(
    action: &str,
    body: &Value,
    lookup: &dyn Lookup,
    at: &Where,
) -> Result<Vec<Request>, String> {
    let group = match (body["logGroupName"].as_str(), body["resourceArn"].as_str()) {
        (Some(g), _) => g.to_owned(),
        (None, Some(arn)) => {
            let name = arn.split_once(":log-group:").map(|(_, n)| n).unwrap_or(arn);
            name.trim_end_matches(":*").to_owned()
        }
        (None, None) => return Ok(Vec::new()),
    };
    let arn = format!(
        "arn:aws:logs:{}:{}:log-group:{group}",
        at.region, at.account
    );
    let given: Tags = body["tags"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_owned()))
                .collect()
        })
        .unwrap_or_default();
    let mut out = Vec::new();
    if action == "logs:CreateLogGroup" {
        out.push(with_request_tags(Request::new(action, &arn), &given));
        if !given.is_empty() {
            out.push(with_request_tags(
                Request::new("logs:TagResource", &arn),
                &given,
            ));
        }
    } else {
        let tags = lookup.log_group_tags(&group);
        let request = with_resource_tags(Request::new(action, &arn), "logs", &tags);
        out.push(with_request_tags(request, &given));
    }
    Ok(out)
}

/// The requests of one SSM call, on each parameter it names (AWS's public parameters have no
/// account in their ARN).
pub(super) fn ssm(action: &str, body: &Value, at: &Where) -> Result<Vec<Request>, String> {
    let mut names: Vec<&str> = body["Names"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    names.extend(body["Name"].as_str());
    Ok(names
        .iter()
        .map(|n| {
            let n = if n.starts_with('/') {
                (*n).to_owned()
            } else {
                format!("/{n}")
            };
            let account = if n.starts_with("/aws/") {
                ""
            } else {
                at.account.as_str()
            };
            Request::new(
                action,
                format!("arn:aws:ssm:{}:{account}:parameter{n}", at.region),
            )
        })
        .collect())
}
