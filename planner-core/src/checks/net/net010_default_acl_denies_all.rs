//! ## What it does
//! Warns when the VPC's default network ACL is `deny_all` while tiers use it: the tiers in no
//! network ACL of the design's own then pass no traffic in or out.
//!
//! ## Why is this bad?
//! Removing the default ACL's rules is what CIS asks, on the understanding that every subnet
//! gets an ACL of its own. A subnet left on the emptied default ACL drops everything: load
//! balancers, NAT, instances and their replies, while its security groups still read as if
//! the traffic got through. The reachability answers, the exposure report and the matrix
//! evaluate the default ACL and say so; this finding says it once, at the setting.
//!
//! ## Example
//! ```json
//! {"vpc": {"cidr": "10.0.0.0/16", "default_network_acl": "deny_all"},
//!  "tiers": [{"name": "web", "kind": "public", "size": {"prefix": 24}}]}
//! ```
//! Put `web` in a network ACL of its own (`network_acls: [{"name": "web", "tiers": ["web"],
//! …}]`), or leave `default_network_acl` unset (AWS's allow-all) or set it to `allow_all`.

use super::context::Context;
use crate::design::network::DefaultNetworkAcl;
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "NET010",
    name: "default-acl-denies-all",
    severity: Severity::Warning,
    summary: "tiers on a default network ACL with no rules pass no traffic",
};

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let design = &cx.plan.design;
    let denies = design
        .vpc
        .as_ref()
        .is_some_and(|v| v.default_network_acl == Some(DefaultNetworkAcl::DenyAll));
    if !denies {
        return;
    }
    let tiers: Vec<&str> = design
        .tiers
        .iter()
        .map(|t| t.name.as_str())
        .filter(|t| {
            !design
                .network_acls
                .iter()
                .any(|a| a.tiers.iter().any(|n| n == t))
        })
        .collect();
    if tiers.is_empty() {
        return;
    }
    out.push(Diagnostic::new(
        INFO.code,
        Severity::Warning,
        "vpc.default_network_acl".to_owned(),
        format!(
            "the default network ACL is deny_all and tier{} {} use{} it, in no network ACL of their own: their subnets pass no traffic in or out; give them a network ACL, or leave default_network_acl unset or set it to allow_all",
            if tiers.len() == 1 { "" } else { "s" },
            tiers.join(", "),
            if tiers.len() == 1 { "s" } else { "" },
        ),
    ));
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{findings, BASE};

    fn with_acl(acl: &str) -> String {
        BASE.replace(
            r#""cidr": "10.0.0.0/16""#,
            &format!(r#""cidr": "10.0.0.0/16", "default_network_acl": "{acl}""#),
        )
    }

    #[test]
    fn triggers_with_deny_all() {
        let d = findings(&with_acl("deny_all"), "NET010");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].path, "vpc.default_network_acl");
        assert!(
            d[0].message.contains("tiers web, app use it"),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn names_only_the_tiers_in_no_acl_of_their_own() {
        let design = with_acl("deny_all").replace(
            r#""nat": "gateway_per_az""#,
            r#""nat": "gateway_per_az", "network_acls": [{"name": "web", "tiers": ["web"]}]"#,
        );
        let d = findings(&design, "NET010");
        assert_eq!(d.len(), 1);
        assert!(
            d[0].message.contains("tier app uses it"),
            "{}",
            d[0].message
        );
        let all = design.replace(r#""tiers": ["web"]"#, r#""tiers": ["web", "app"]"#);
        assert!(findings(&all, "NET010").is_empty());
    }

    #[test]
    fn quiet_with_allow_all_or_unset() {
        assert!(findings(&with_acl("allow_all"), "NET010").is_empty());
        assert!(findings(BASE, "NET010").is_empty());
    }
}
