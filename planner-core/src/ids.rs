//! Every id and tag key the planner gives resources, in one place: a resource's id is derived
//! from its name (`subnet.app.a`, `security_group.web`, `iam_role.app`), so the same design
//! always names the same resources, and the executor finds them again by the tags below.

/// The tag key naming the plan that owns a resource.
pub const PLAN_TAG: &str = "vpc-planner:plan";
/// The tag key holding a resource's id in its plan.
pub const ID_TAG: &str = "vpc-planner:id";
/// The tag key an IAM role, policy or instance profile carries naming the region of the plan
/// that made it: IAM is global, so the same plan applied in a second region must not adopt,
/// change or delete the first region's.
pub const REGION_TAG: &str = "vpc-planner:region";
/// The tag key on the plan's VPC recording a secondary IPv4 block the executor associated
/// (`vpc-planner:block:10.1.0.0/16`); a block without it was added by someone else and is
/// left alone.
///
/// ```
/// assert_eq!(planner_core::ids::block_tag("10.1.0.0/16"), "vpc-planner:block:10.1.0.0/16");
/// ```
pub fn block_tag(cidr: &str) -> String {
    format!("vpc-planner:block:{cidr}")
}
/// The tag a private route table carries when its default route belongs to the NAT instance
/// of an auto-scaling group in the tag's AZ; the instance looks for it at boot.
pub const NAT_ZONE_TAG: &str = "vpc-planner:nat-az";

/// The name of the SSM parameter that locks a plan while `run` or `destroy` applies it (one
/// per region; plan names are letters, digits, `-` and `_`, all valid in parameter names).
///
/// ```
/// assert_eq!(planner_core::ids::lock_parameter("demo"), "/vpc-planner/lock/demo");
/// ```
pub fn lock_parameter(plan: &str) -> String {
    format!("/vpc-planner/lock/{plan}")
}

/// The id of the plan's VPC.
pub const VPC_ID: &str = "vpc.main";
/// The id of the plan's internet gateway.
pub const IGW_ID: &str = "internet_gateway.main";
/// The id of the plan's egress-only internet gateway.
pub const EIGW_ID: &str = "egress_only_internet_gateway.main";

/// The part of an id after its type: the name or key it was derived from
/// (`security_group.web` → `web`, `route_table.app.a` → `app.a`).
///
/// ```
/// assert_eq!(planner_core::ids::key("route_table.app.a"), "app.a");
/// assert_eq!(planner_core::ids::key(&planner_core::ids::role_id("app")), "app");
/// ```
pub fn key(id: &str) -> &str {
    id.split_once('.').map_or(id, |(_, key)| key)
}

/// The short form of an AZ used in ids and names: `us-east-1a` → `a`.
pub fn az_suffix<'a>(region: &str, az: &'a str) -> &'a str {
    match az.strip_prefix(region) {
        Some(s) if !s.is_empty() => s,
        _ => az,
    }
}

/// The key of a tier's resource in one AZ, `app.a`. Tier names and AZ suffixes contain no
/// `.`, so keys of different tiers never collide (`a` in zone `a-…` and a tier `a-a` alike).
pub fn tier_az_key(region: &str, tier: &str, az: &str) -> String {
    format!("{tier}.{}", az_suffix(region, az))
}

/// The id of the subnet of `tier` in `az`: `subnet.app.a`.
pub fn subnet_id(region: &str, tier: &str, az: &str) -> String {
    format!("subnet.{}", tier_az_key(region, tier, az))
}

/// The id of the secondary IPv4 block `cidr` of the VPC: `vpc_cidr_block.10-1-0-0-16`.
pub fn vpc_cidr_block_id(cidr: &str) -> String {
    format!("vpc_cidr_block.{}", cidr.replace(['.', '/'], "-"))
}

/// The id of the route table `key` (a tier, or a tier in one AZ: `app.a`).
pub fn route_table_id(key: &str) -> String {
    format!("route_table.{key}")
}

/// The id of the default route (IPv4 or IPv6) of route table `table`, an id from
/// [`route_table_id`]: `route.app.a.ipv4-default`.
pub fn default_route_id(table: &str, ipv6: bool) -> String {
    let destination = if ipv6 { "ipv6-default" } else { "ipv4-default" };
    format!("route.{}.{destination}", key(table))
}

/// The id of the association of the subnet of `tier` in `az` with its route table:
/// `route_table_association.app.a`.
pub fn route_table_association_id(region: &str, tier: &str, az: &str) -> String {
    format!("route_table_association.{}", tier_az_key(region, tier, az))
}

/// The id of network ACL `name`: `network_acl.data`.
pub fn network_acl_id(name: &str) -> String {
    format!("network_acl.{name}")
}

/// The id of rule `number` of ACL `name` in one direction (`in` or `out`):
/// `network_acl_entry.data.in.100`. Numbers are unique per direction, so ids are too.
pub fn network_acl_entry_id(name: &str, direction: &str, number: u32) -> String {
    format!("network_acl_entry.{name}.{direction}.{number}")
}

/// The id of the association of the subnet of `tier` in `az` with its network ACL:
/// `network_acl_association.app.a`.
pub fn network_acl_association_id(region: &str, tier: &str, az: &str) -> String {
    format!("network_acl_association.{}", tier_az_key(region, tier, az))
}

/// The id of the endpoint for `service` of `kind` (`gateway` or `interface`):
/// `vpc_endpoint.s3.gateway`, `vpc_endpoint.ecr.api.interface`.
pub fn vpc_endpoint_id(service: &str, kind: &str) -> String {
    format!("vpc_endpoint.{service}.{kind}")
}

/// The id of the VPC's flow log.
pub const FLOW_LOG_ID: &str = "flow_log.main";
/// The id of the log group the VPC's flow log writes to.
pub const FLOW_LOG_GROUP_ID: &str = "log_group.flow-logs";

/// The prefix every log group of plan `plan` is named under: CloudWatch Logs has no tag
/// filter, so the executor finds the plan's groups by listing it (and reading their tags),
/// and its policy scopes the log-group calls to it.
///
/// ```
/// assert_eq!(planner_core::ids::log_group_prefix("demo"), "/vpc-planner/demo/");
/// ```
pub fn log_group_prefix(plan: &str) -> String {
    format!("/vpc-planner/{plan}/")
}

/// The name of the log group of plan `plan`'s flow log.
///
/// ```
/// assert_eq!(planner_core::ids::flow_log_group_name("demo"), "/vpc-planner/demo/flow-logs");
/// ```
pub fn flow_log_group_name(plan: &str) -> String {
    format!("{}flow-logs", log_group_prefix(plan))
}

/// The name of the role that delivers plan `plan`'s flow log to its log group.
pub fn flow_log_role_name(plan: &str) -> String {
    format!("{plan}-flow-logs")
}

/// The id of the design's instance `name`.
pub fn instance_id(name: &str) -> String {
    format!("instance.{name}")
}

/// The id of the NAT gateway of the AZ with suffix `az` (see [`az_suffix`]).
pub fn nat_gateway_id(az: &str) -> String {
    format!("nat_gateway.{az}")
}

/// The id of the elastic IP of the NAT gateway of the AZ with suffix `az`.
pub fn nat_elastic_ip_id(az: &str) -> String {
    format!("elastic_ip.nat.{az}")
}

/// The id of the bare NAT instance of the AZ with suffix `az`.
pub fn nat_instance_id(az: &str) -> String {
    format!("instance.nat.{az}")
}

/// The id of the auto-scaling group of the NAT instance of the AZ with suffix `az`.
pub fn nat_autoscaling_group_id(az: &str) -> String {
    format!("autoscaling_group.nat.{az}")
}

/// The id of the launch template of NAT instances in auto-scaling groups.
pub const NAT_LAUNCH_TEMPLATE_ID: &str = "launch_template.nat-instance";

/// The id of group `name`.
pub fn group_id(name: &str) -> String {
    format!("security_group.{name}")
}

/// The id of one rule of group `group`: its direction (`in`, `out`), protocol, ports (`-443`
/// or nothing) and peer (`0-0-0-0-0`, `sg-web`, `v6-…`):
/// `security_group_rule.web.in.tcp-443.0-0-0-0-0`.
pub fn group_rule_id(
    group: &str,
    direction: &str,
    protocol: impl std::fmt::Display,
    ports: &str,
    peer: &str,
) -> String {
    format!("security_group_rule.{group}.{direction}.{protocol}{ports}.{peer}")
}

/// The name of the group the planner adds for NAT instances.
pub const NAT_GROUP: &str = "nat-instance";

/// The id of role `name`.
pub fn role_id(name: &str) -> String {
    format!("iam_role.{name}")
}

/// The id of customer managed policy `name`.
pub fn policy_id(name: &str) -> String {
    format!("iam_policy.{name}")
}

/// The id of instance profile `name`.
pub fn instance_profile_id(name: &str) -> String {
    format!("iam_instance_profile.{name}")
}

/// The name of the role (and instance profile) NAT instances in auto-scaling groups of plan
/// `plan` use to take over their AZ's default route.
pub fn nat_role_name(plan: &str) -> String {
    format!("{plan}-nat-instance")
}
