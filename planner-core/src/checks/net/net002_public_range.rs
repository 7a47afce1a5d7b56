//! ## What it does
//! Warns when a VPC block lies outside the private ranges of RFC 1918 (10.0.0.0/8,
//! 172.16.0.0/12, 192.168.0.0/16).
//!
//! ## Why is this bad?
//! AWS allows publicly routable blocks in a VPC, but instances then cannot reach the real
//! owners of those addresses on the internet, and peers and VPNs may route them elsewhere.
//! 100.64.0.0/10 (RFC 6598 shared space) is common for secondary blocks but collides with
//! carrier-grade NAT.
//!
//! ## Example
//! ```json
//! {"vpc": {"cidr": "52.0.0.0/16"}}
//! ```
//! Use a block inside 10.0.0.0/8, such as 10.20.0.0/16.

use super::context::{vpc_blocks, Context};
use crate::cidr::Cidr;
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "NET002",
    name: "not-rfc1918",
    severity: Severity::Warning,
    summary: "a VPC block outside the RFC 1918 private ranges",
};

const PRIVATE: [&str; 3] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];
const SHARED: &str = "100.64.0.0/10";

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let private: Vec<Cidr> = PRIVATE.iter().map(|s| s.parse().expect("valid")).collect();
    for (path, block) in vpc_blocks(cx.plan) {
        if private.iter().any(|p| p.contains(block)) {
            continue;
        }
        // Overlaps with ranges AWS restricts are NET003's to report.
        if super::net003_restricted_range::restriction(block).is_some() {
            continue;
        }
        let shared: Cidr = SHARED.parse().expect("valid");
        let message = if shared.contains(block) {
            format!(
                "{block} is not a private (RFC 1918) range but RFC 6598 shared address space: it works inside AWS, but collides with carrier-grade NAT and any on-premises network using it"
            )
        } else {
            format!(
                "{block} is not a private (RFC 1918) range: the internet hosts that own it become unreachable from the VPC; prefer a block inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16"
            )
        };
        out.push(Diagnostic::new(INFO.code, Severity::Warning, path, message));
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{findings, BASE};

    #[test]
    fn triggers_on_public_space() {
        let d = findings(&BASE.replace("10.0.0.0/16", "52.0.0.0/16"), "NET002");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].path, "vpc.cidr");
    }

    #[test]
    fn quiet_on_private_space() {
        assert!(findings(BASE, "NET002").is_empty());
        assert!(findings(&BASE.replace("10.0.0.0/16", "192.168.0.0/16"), "NET002").is_empty());
    }
}
