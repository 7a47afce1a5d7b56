//! What the translation of calls shares: tags, where the calls go, what is read from the
//! account ([`Lookup`]), and reading query parameters.

use std::collections::BTreeMap;

use planner_core::analysis::iam_eval::Request;

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

/// `request` with the tags the request carries: `aws:RequestTag/<key>` and `aws:TagKeys`.
pub(super) fn with_request_tags(mut request: Request, tags: &Tags) -> Request {
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
pub(super) fn with_resource_tags(mut request: Request, service: &str, tags: &Tags) -> Request {
    for (k, v) in tags {
        request = request.with(&format!("aws:ResourceTag/{k}"), &[v]);
        request = request.with(&format!("{service}:ResourceTag/{k}"), &[v]);
    }
    request
}

/// The values of the numbered query parameter `prefix.N.suffix` (or `prefix.N` with an
/// empty suffix), in order of N.
pub(super) fn numbered<'a>(
    form: &'a [(String, String)],
    prefix: &str,
    suffix: &str,
) -> Vec<&'a str> {
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
pub(super) fn param<'a>(form: &'a [(String, String)], key: &str) -> Option<&'a str> {
    form.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// Tags given as `prefix.N.Key` / `prefix.N.Value`.
pub(super) fn form_tags(form: &[(String, String)], prefix: &str) -> Tags {
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
