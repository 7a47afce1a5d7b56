//! ## What it does
//! Flags VPC blocks that overlap ranges AWS refuses (link-local 169.254.0.0/16, loopback,
//! multicast and other reserved space: error) or that break common services (172.17.0.0/16,
//! Docker's default bridge, which AWS Cloud9 and SageMaker also use; 198.19.0.0/16, part of
//! the RFC 2544 benchmarking range some AWS services use internally: warning).
//!
//! ## Why is this bad?
//! AWS rejects the first kind outright. The second kind works until a container or a managed
//! service on an instance routes those addresses to itself, and then fails in ways that are
//! hard to trace back to the VPC's numbering.
//!
//! ## Example
//! ```json
//! {"vpc": {"cidr": "172.17.0.0/16"}}
//! ```
//! Use 172.18.0.0/16 or a block inside 10.0.0.0/8.

use super::context::{vpc_blocks, Context};
use crate::cidr::Cidr;
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "NET003",
    name: "restricted-range",
    severity: Severity::Error,
    summary: "a VPC block in a range AWS refuses (error) or that breaks common services (warning)",
};

const RESTRICTED: &[(&str, Severity, &str)] = &[
    ("0.0.0.0/8", Severity::Error, "is reserved for 'this network' and AWS refuses it"),
    ("127.0.0.0/8", Severity::Error, "is loopback space and AWS refuses it"),
    ("169.254.0.0/16", Severity::Error, "is link-local space (the instance metadata service lives there) and AWS refuses it"),
    ("224.0.0.0/4", Severity::Error, "is multicast space and AWS refuses it"),
    ("240.0.0.0/4", Severity::Error, "is reserved space and AWS refuses it"),
    ("172.17.0.0/16", Severity::Warning, "is Docker's default bridge network, also used by AWS Cloud9 and SageMaker: containers on instances will misroute it"),
    ("198.19.0.0/16", Severity::Warning, "is RFC 2544 benchmarking space that some AWS services use internally; AWS advises against it"),
];

/// The first restricted range `block` overlaps, with its severity and reason.
pub(super) fn restriction(block: Cidr) -> Option<(Cidr, Severity, &'static str)> {
    RESTRICTED.iter().find_map(|&(range, severity, why)| {
        let range: Cidr = range.parse().expect("valid");
        range.overlaps(block).then_some((range, severity, why))
    })
}

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for (path, block) in vpc_blocks(cx.plan) {
        if let Some((range, severity, why)) = restriction(block) {
            out.push(Diagnostic::new(
                INFO.code,
                severity,
                path,
                format!("{block} overlaps {range}, which {why}"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{findings, BASE};
    use crate::diag::Severity;

    #[test]
    fn link_local_is_an_error() {
        let d = findings(&BASE.replace("10.0.0.0/16", "169.254.0.0/16"), "NET003");
        assert_eq!(d[0].severity, Severity::Error);
    }

    #[test]
    fn docker_bridge_is_a_warning() {
        let d = findings(&BASE.replace("10.0.0.0/16", "172.17.0.0/16"), "NET003");
        assert_eq!(d[0].severity, Severity::Warning);
        assert!(d[0].message.contains("Docker"));
    }

    #[test]
    fn quiet_elsewhere() {
        assert!(findings(BASE, "NET003").is_empty());
        assert!(findings(&BASE.replace("10.0.0.0/16", "172.18.0.0/16"), "NET003").is_empty());
    }
}
