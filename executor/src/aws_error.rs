//! One line for an AWS SDK error: the operation, then AWS's error code and message when AWS
//! answered, or what kept the request from an answer (no connection, no answer in time, an
//! endpoint that is not a URL).
//!
//! The SDK's `Display` says only "service error", and `DisplayErrorContext` appends the
//! error's `Debug`, which dumps the request and the HTTP answer (headers, XML body): 1–3 KB
//! where a person needs a line.

use std::error::Error;

use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

/// `CreateVpc: InvalidParameterValue: Value (…) for parameter cidrBlock is invalid`, for an
/// SDK error (`SdkError<CreateVpcError, _>`); when AWS refused the caller, the IAM action
/// first: `ec2:CreateVpc was denied: UnauthorizedOperation: …`.
pub fn one_line<E: ProvideErrorMetadata + Error>(e: &E) -> String {
    let what = match (e.code(), e.message()) {
        (Some(code), Some(message)) => format!("{code}: {message}"),
        (Some(code), None) => code.to_owned(),
        (None, _) => cause(e),
    };
    let what = what.split_whitespace().collect::<Vec<_>>().join(" ");
    let denied = e.code().is_some_and(is_denial);
    match (operation::<E>(), service_in(std::any::type_name::<E>())) {
        (Some(op), Some(service)) if denied => format!("{service}:{op} was denied: {what}"),
        (Some(op), _) => format!("{op}: {what}"),
        (None, _) => what,
    }
}

/// Whether AWS's error code says the caller may not make the call: the IAM policy lacks the
/// action on that resource (`ec2:CreateSubnet was denied: …` names what to grant).
pub fn is_denial(code: &str) -> bool {
    matches!(
        code,
        "AccessDenied"
            | "AccessDeniedException"
            | "UnauthorizedOperation"
            | "Client.UnauthorizedOperation"
    )
}

/// The IAM service prefix of the SDK crate an error type belongs to: `ec2` for
/// `aws_sdk_ec2::…`, `logs` for `aws_sdk_cloudwatchlogs::…`.
fn service_in(type_name: &str) -> Option<&str> {
    let start = type_name.find("aws_sdk_")? + "aws_sdk_".len();
    let rest = &type_name[start..];
    let crate_name = &rest[..rest.find("::")?];
    Some(match crate_name {
        "cloudwatchlogs" => "logs",
        other => other,
    })
}

/// The operation an error type belongs to: the SDK names the error of operation `CreateVpc`
/// `aws_sdk_ec2::operation::create_vpc::CreateVpcError` (also inside `SdkError<…>`), so the
/// operation is that type's name without `Error`. `None` for any other type.
pub fn operation<E>() -> Option<&'static str> {
    operation_in(std::any::type_name::<E>())
}

fn operation_in(type_name: &str) -> Option<&str> {
    let (_, rest) = type_name.split_once("::operation::")?;
    let (_, rest) = rest.split_once("::")?;
    let end = rest
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(rest.len());
    rest[..end]
        .strip_suffix("Error")
        .filter(|op| !op.is_empty())
}

/// Why a request got no answer with an AWS error code: the connection, the clock, or an
/// answer that is not AWS's. The SDK's own words for the kind (`dispatch failure`, `request
/// has timed out`) are its `Display`; the cause is the deepest error of the chain.
fn cause<E: Error>(e: &E) -> String {
    let mut next = e.source();
    while let Some(x) = next {
        if let Some(c) = x.downcast_ref::<ConnectorError>() {
            return if c.is_timeout() {
                "no answer in time".to_owned()
            } else if c.is_io() {
                format!("cannot connect: {}", innermost(x))
            } else {
                innermost(x)
            };
        }
        next = x.source();
    }
    let deepest = e.source().map_or_else(|| e.to_string(), innermost);
    match e.to_string().as_str() {
        "request has timed out" => format!("no answer in time ({deepest})"),
        "service error" => format!("an error without an AWS error code: {deepest}"),
        "response error" => format!("an answer that is not AWS's: {deepest}"),
        "failed to construct request" => format!("cannot build the request: {deepest}"),
        _ => deepest,
    }
}

/// The message of the deepest error in the chain: the cause (`Connection refused (os error
/// 111)`), not the wrappers, one of which quotes the whole request.
fn innermost(e: &(dyn Error + 'static)) -> String {
    let mut deepest = e;
    while let Some(source) = deepest.source() {
        deepest = source;
    }
    deepest.to_string()
}

#[cfg(test)]
mod tests {
    use super::{operation_in, service_in};

    #[test]
    fn the_operation_is_read_from_the_error_type() {
        assert_eq!(
            operation_in(
                "aws_smithy_runtime_api::client::result::SdkError<aws_sdk_ec2::operation::create_vpc::CreateVpcError, aws_smithy_runtime_api::http::response::Response>"
            ),
            Some("CreateVpc")
        );
        assert_eq!(
            operation_in("aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityError"),
            Some("GetCallerIdentity")
        );
        assert_eq!(operation_in("std::io::Error"), None);
        assert_eq!(operation_in("x::operation::y::Error"), None);
    }

    #[test]
    fn the_service_is_read_from_the_crate() {
        assert_eq!(
            service_in("aws_smithy_runtime_api::client::result::SdkError<aws_sdk_ec2::operation::create_vpc::CreateVpcError, aws_smithy_runtime_api::http::response::Response>"),
            Some("ec2")
        );
        assert_eq!(
            service_in("aws_sdk_cloudwatchlogs::operation::create_log_group::CreateLogGroupError"),
            Some("logs")
        );
        assert_eq!(
            service_in("aws_sdk_autoscaling::operation::x::XError"),
            Some("autoscaling")
        );
        assert_eq!(service_in("std::io::Error"), None);
    }
}
