//! What security groups and their rules share: AWS's allow-all blocks, how long a new group
//! may stay invisible, and which of the plan's groups discovery found.

use std::collections::BTreeMap;
use std::time::Duration;

use aws_sdk_ec2::types::{IpPermission, IpRange, Ipv6Range};
use planner_core::{Resource, ResourceKind};

use crate::apply::context::Cx;
use crate::apply::model::Live;

/// How long a group just created may stay invisible to the next call (EC2 is eventually
/// consistent).
pub const SETTLE_TIMEOUT: Duration = Duration::from_secs(60);

/// Every IPv4 address.
pub const IPV4_ANY: &str = "0.0.0.0/0";
/// Every IPv6 address.
pub const IPV6_ANY: &str = "::/0";

/// A permission for all traffic to `cidr` (AWS's default egress rule).
pub fn all_traffic_to(cidr: &str) -> IpPermission {
    let p = IpPermission::builder().ip_protocol("-1");
    if cidr.contains(':') {
        p.ipv6_ranges(Ipv6Range::builder().cidr_ipv6(cidr).build())
            .build()
    } else {
        p.ip_ranges(IpRange::builder().cidr_ip(cidr).build())
            .build()
    }
}

/// The plan's groups found live, by AWS id; `owned` maps the AWS ids of every group carrying
/// the plan's tag to their plan ids.
pub fn planned_groups<'p>(
    cx: &'p Cx,
    owned: &BTreeMap<String, String>,
    live: &Live,
) -> BTreeMap<String, &'p Resource> {
    cx.plan
        .resources
        .iter()
        .filter(|r| matches!(r.kind, ResourceKind::SecurityGroup { .. }))
        .filter_map(|r| {
            let l = live.found.get(&r.id)?;
            owned.contains_key(&l.aws_id).then(|| (l.aws_id.clone(), r))
        })
        .collect()
}
