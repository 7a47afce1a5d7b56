//! The rules of VPC endpoints and flow logs that serde cannot express: services that have the
//! kind asked for, tiers and groups that exist, private DNS only where the VPC resolves it,
//! retention periods CloudWatch Logs takes, a bucket for S3, and services the traffic figures
//! can name.

use std::collections::BTreeSet;

use crate::design::endpoint::{EndpointKind, GATEWAY_SERVICES};
use crate::design::flow_logs::{FlowLogDestination, RETENTION_DAYS};
use crate::design::network::Design;
use crate::error::InputError;

/// Checks the endpoints and the flow log of `design`; the first broken rule is returned with
/// its JSON path.
pub(crate) fn check(design: &Design) -> Result<(), InputError> {
    for service in design.traffic.services_gb_per_month.keys() {
        if !valid_service(service) {
            return Err(InputError::at(
                "traffic.services_gb_per_month",
                format!("expected AWS services such as s3, dynamodb or ecr.api as keys, got {service:?}"),
            ));
        }
    }
    if design.vpc.is_none() {
        for (field, set) in [
            ("endpoints", !design.endpoints.is_empty()),
            ("flow_logs", design.flow_logs.is_some()),
        ] {
            if set {
                return Err(InputError::at(
                    field,
                    format!("{field} needs a vpc: add \"vpc\": {{\"cidr\": …}} or remove {field}"),
                ));
            }
        }
        return Ok(());
    }
    endpoints(design)?;
    flow_logs(design)
}

fn endpoints(design: &Design) -> Result<(), InputError> {
    let tiers: BTreeSet<&str> = design.tiers.iter().map(|t| t.name.as_str()).collect();
    let groups: BTreeSet<&str> = design
        .security_groups
        .iter()
        .map(|g| g.name.as_str())
        .collect();
    let mut seen = BTreeSet::new();
    for (i, e) in design.endpoints.iter().enumerate() {
        let at = |what: &str| format!("endpoints[{i}]{what}");
        if !valid_service(&e.service) {
            return Err(InputError::at(
                at(".service"),
                format!(
                    "expected an AWS service such as s3, dynamodb, ecr.api or ssm (lower-case letters, digits, '.' and '-'), got {:?}",
                    e.service
                ),
            ));
        }
        if e.kind == EndpointKind::Gateway && !GATEWAY_SERVICES.contains(&e.service.as_str()) {
            return Err(InputError::at(
                at(".kind"),
                format!(
                    "{} has no gateway endpoint (only s3 and dynamodb do); use \"kind\": \"interface\"",
                    e.service
                ),
            ));
        }
        if !seen.insert((e.service.as_str(), e.kind)) {
            return Err(InputError::at(
                at(".service"),
                format!("a {} endpoint for {} is already defined", e.kind, e.service),
            ));
        }
        if e.tiers.is_empty() {
            return Err(InputError::at(
                at(".tiers"),
                match e.kind {
                    EndpointKind::Gateway => {
                        "expected the tiers whose route tables get the endpoint's route"
                    }
                    EndpointKind::Interface => {
                        "expected the tiers whose subnets get the endpoint's network interfaces"
                    }
                },
            ));
        }
        let mut named = BTreeSet::new();
        for (j, t) in e.tiers.iter().enumerate() {
            if !tiers.contains(t.as_str()) {
                return Err(InputError::at(
                    at(&format!(".tiers[{j}]")),
                    format!("no tier named {t:?}"),
                ));
            }
            if !named.insert(t) {
                return Err(InputError::at(
                    at(&format!(".tiers[{j}]")),
                    format!("tier {t} is listed twice"),
                ));
            }
        }
        if e.kind == EndpointKind::Gateway && !e.security_groups.is_empty() {
            return Err(InputError::at(
                at(".security_groups"),
                "a gateway endpoint has no network interfaces to put in security groups; remove security_groups",
            ));
        }
        for (j, g) in e.security_groups.iter().enumerate() {
            if !groups.contains(g.as_str()) {
                return Err(InputError::at(
                    at(&format!(".security_groups[{j}]")),
                    format!("no security group named {g:?}"),
                ));
            }
        }
        let vpc = design.vpc();
        if e.wants_private_dns() && !(vpc.dns_support && vpc.dns_hostnames) {
            return Err(InputError::at(
                at(".private_dns"),
                "private DNS needs the VPC's dns_support and dns_hostnames: turn them on, or set private_dns to false",
            ));
        }
    }
    Ok(())
}

fn flow_logs(design: &Design) -> Result<(), InputError> {
    let Some(f) = &design.flow_logs else {
        return Ok(());
    };
    match f.destination {
        FlowLogDestination::CloudwatchLogs => {
            if !RETENTION_DAYS.contains(&f.retention_days) {
                return Err(InputError::at(
                    "flow_logs.retention_days",
                    format!(
                        "expected one of the periods CloudWatch Logs keeps records for ({}), got {}",
                        RETENTION_DAYS.map(|d| d.to_string()).join(", "),
                        f.retention_days
                    ),
                ));
            }
            if f.bucket_arn.is_some() {
                return Err(InputError::at(
                    "flow_logs.bucket_arn",
                    "bucket_arn is for \"destination\": \"s3\"; remove it, or change the destination",
                ));
            }
        }
        FlowLogDestination::S3 => {
            if f.retention_days != 30 {
                return Err(InputError::at(
                    "flow_logs.retention_days",
                    "the plan sets retention only for cloudwatch_logs; an S3 bucket's lifecycle rules decide how long records stay",
                ));
            }
            match &f.bucket_arn {
                None => {
                    return Err(InputError::at(
                        "flow_logs.bucket_arn",
                        "expected the ARN of the bucket the records go to, e.g. \"arn:aws:s3:::my-flow-logs\"",
                    ))
                }
                Some(arn) if !valid_bucket_arn(arn) => {
                    return Err(InputError::at(
                        "flow_logs.bucket_arn",
                        format!("expected an S3 bucket ARN such as \"arn:aws:s3:::my-flow-logs\" or \"arn:aws:s3:::my-flow-logs/vpc\", got {arn:?}"),
                    ))
                }
                Some(_) => {}
            }
        }
    }
    Ok(())
}

fn valid_service(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && !s.ends_with(['.', '-'])
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
}

/// `arn:<partition>:s3:::<bucket>[/<folder>]`, with a bucket name AWS takes (3–63 lower-case
/// letters, digits, `.` and `-`).
fn valid_bucket_arn(arn: &str) -> bool {
    let Some(rest) = arn.strip_prefix("arn:") else {
        return false;
    };
    let Some((partition, rest)) = rest.split_once(":s3:::") else {
        return false;
    };
    let bucket = rest.split('/').next().unwrap_or("");
    partition.starts_with("aws")
        && (3..=63).contains(&bucket.len())
        && bucket
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
        && !rest.ends_with("//")
}

#[cfg(test)]
mod tests {
    use crate::error::InputError;

    fn error(vpc: &str, extra: &str) -> Option<InputError> {
        let json = format!(
            r#"{{"name": "d", "region": "us-east-1", "vpc": {vpc}, "availability_zones": 2,
                "tiers": [{{"name": "web", "kind": "public", "size": {{"prefix": 24}}}},
                          {{"name": "app", "kind": "private", "size": {{"prefix": 24}}}}],
                "security_groups": [{{"name": "https", "description": "to endpoints"}}],
                {extra}}}"#
        );
        crate::parse_design(&json).err()
    }

    const VPC: &str = r#"{"cidr": "10.0.0.0/16"}"#;

    #[test]
    fn valid_endpoints_and_flow_logs_pass() {
        let ok = [
            r#""endpoints": [{"service": "s3", "kind": "gateway", "tiers": ["app"]},
                {"service": "ecr.api", "kind": "interface", "tiers": ["app"], "security_groups": ["https"]},
                {"service": "s3", "kind": "interface", "tiers": ["app"], "private_dns": false}]"#,
            r#""flow_logs": {"destination": "cloudwatch_logs", "traffic": "reject", "retention_days": 90}"#,
            r#""flow_logs": {"destination": "s3", "bucket_arn": "arn:aws:s3:::my-flow-logs/vpc"}"#,
        ];
        for extra in ok {
            assert_eq!(error(VPC, extra), None, "{extra}");
        }
    }

    #[test]
    fn each_rule_is_refused_at_its_field() {
        let cases = [
            (
                VPC,
                r#""endpoints": [{"service": "ssm", "kind": "gateway", "tiers": ["app"]}]"#,
                "endpoints[0].kind",
            ),
            (
                VPC,
                r#""endpoints": [{"service": "S3", "kind": "gateway", "tiers": ["app"]}]"#,
                "endpoints[0].service",
            ),
            (
                VPC,
                r#""endpoints": [{"service": "s3", "kind": "gateway", "tiers": ["app"]},
                                  {"service": "s3", "kind": "gateway", "tiers": ["web"]}]"#,
                "endpoints[1].service",
            ),
            (
                VPC,
                r#""endpoints": [{"service": "s3", "kind": "gateway", "tiers": ["db"]}]"#,
                "endpoints[0].tiers[0]",
            ),
            (
                VPC,
                r#""endpoints": [{"service": "s3", "kind": "gateway"}]"#,
                "endpoints[0].tiers",
            ),
            (
                VPC,
                r#""endpoints": [{"service": "s3", "kind": "gateway", "tiers": ["app"], "security_groups": ["https"]}]"#,
                "endpoints[0].security_groups",
            ),
            (
                VPC,
                r#""endpoints": [{"service": "ssm", "kind": "interface", "tiers": ["app"], "security_groups": ["web"]}]"#,
                "endpoints[0].security_groups[0]",
            ),
            (
                r#"{"cidr": "10.0.0.0/16", "dns_hostnames": false}"#,
                r#""endpoints": [{"service": "ssm", "kind": "interface", "tiers": ["app"]}]"#,
                "endpoints[0].private_dns",
            ),
            (
                VPC,
                r#""flow_logs": {"destination": "cloudwatch_logs", "retention_days": 31}"#,
                "flow_logs.retention_days",
            ),
            (
                VPC,
                r#""flow_logs": {"destination": "s3"}"#,
                "flow_logs.bucket_arn",
            ),
            (
                VPC,
                r#""flow_logs": {"destination": "s3", "bucket_arn": "my-flow-logs"}"#,
                "flow_logs.bucket_arn",
            ),
            (
                VPC,
                r#""flow_logs": {"destination": "cloudwatch_logs", "bucket_arn": "arn:aws:s3:::b-1"}"#,
                "flow_logs.bucket_arn",
            ),
        ];
        for (vpc, extra, path) in cases {
            let e = error(vpc, extra).unwrap_or_else(|| panic!("{extra} was accepted"));
            assert_eq!(e.path, path, "{extra}: {e}");
        }
    }

    #[test]
    fn private_dns_off_needs_no_dns_attributes() {
        let vpc = r#"{"cidr": "10.0.0.0/16", "dns_hostnames": false}"#;
        let extra = r#""endpoints": [{"service": "ssm", "kind": "interface", "tiers": ["app"], "private_dns": false},
                                     {"service": "s3", "kind": "gateway", "tiers": ["app"]}]"#;
        assert_eq!(error(vpc, extra), None);
    }
}
