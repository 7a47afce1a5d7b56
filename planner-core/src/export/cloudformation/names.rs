//! CloudFormation logical ids (letters and digits only) derived from plan ids.

/// The logical id of a plan id: each run of letters and digits with its first letter upper
/// case, joined; an `x` between two runs that would otherwise join digit to digit, so
/// `10-1-0-0-16` and `101-0-0-0-16` stay apart. Distinct ids can still meet (`a-b` and
/// `a.b`); the exporter refuses a plan where they do rather than rename one.
///
/// ```
/// use planner_core::export::cloudformation::names::logical_id;
/// assert_eq!(logical_id("subnet.app.a"), "SubnetAppA");
/// assert_eq!(logical_id("security_group_rule.web.ingress.tcp443.internet"),
///            "SecurityGroupRuleWebIngressTcp443Internet");
/// assert_eq!(logical_id("vpc_cidr_block.10-1-0-0-16"), "VpcCidrBlock10x1x0x0x16");
/// assert_eq!(logical_id("vpc_endpoint.ecr.api.interface"), "VpcEndpointEcrApiInterface");
/// ```
pub fn logical_id(plan_id: &str) -> String {
    let mut out = String::with_capacity(plan_id.len());
    for run in plan_id
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|s| !s.is_empty())
    {
        let first = run.chars().next().unwrap_or('x');
        if first.is_ascii_digit() && out.ends_with(|c: char| c.is_ascii_digit()) {
            out.push('x');
        }
        out.push(first.to_ascii_uppercase());
        out.push_str(&run[first.len_utf8()..]);
    }
    out
}

/// The logical id of a template parameter holding an image from an SSM parameter path.
///
/// ```
/// use planner_core::export::cloudformation::names::image_parameter;
/// assert_eq!(
///     image_parameter("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"),
///     "ImageAwsServiceAmiAmazonLinuxLatestAl2023AmiKernelDefaultArm64"
/// );
/// ```
pub fn image_parameter(path: &str) -> String {
    format!("Image{}", logical_id(path))
}

/// The logical id `<Igw>Attachment` of the internet gateway's attachment.
pub(super) fn attachment(igw: &str) -> String {
    format!("{igw}Attachment")
}

/// The logical id `<Vpc>Ipv6CidrBlock` of the VPC's Amazon-provided IPv6 block.
pub(super) fn ipv6_block(vpc: &str) -> String {
    format!("{vpc}Ipv6CidrBlock")
}
