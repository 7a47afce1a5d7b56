//! What an account holds for a plan, read through the AWS SDK independently of the executor:
//! resources found by the plan's tags (`vpc-planner:plan`, `vpc-planner:id`) and described
//! without AWS ids, so two applies of one plan give equal snapshots (VPC endpoints and flow
//! logs included; the plan's log groups, which CloudWatch Logs cannot filter by tag, by its
//! name prefix with their tags). The moto suites' one discovery-by-tag helper; [`sdk_config`] points the SDK at moto (or a proxy in front of it).

use std::collections::{BTreeMap, BTreeSet};

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_ec2::config::Credentials;
use aws_sdk_ec2::types::{Filter, Tag};
use planner_core::{Plan, ResourceKind};

/// The tag naming the plan a resource belongs to.
pub const PLAN_TAG: &str = "vpc-planner:plan";
/// The tag holding a resource's plan id (`subnet.app-a`).
pub const ID_TAG: &str = "vpc-planner:id";
/// The tag naming the region of the plan an IAM entity belongs to.
pub const REGION_TAG: &str = "vpc-planner:region";

/// The SDK's defaults (standard retry, 3 attempts), pointed at `endpoint` in `us-east-1` with
/// moto's fake credentials.
pub async fn sdk_config(endpoint: &str) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("testing", "testing", None, None, "moto"))
        .load()
        .await
}

/// EC2 tags as a map from key to value.
pub fn tag_map(tags: &[Tag]) -> BTreeMap<String, String> {
    tags.iter()
        .filter_map(|t| Some((t.key()?.to_owned(), t.value()?.to_owned())))
        .collect()
}

/// The EC2 filter `tag:<key>` = `value`.
pub fn tag_filter(key: &str, value: impl Into<String>) -> Filter {
    Filter::builder()
        .name(format!("tag:{key}"))
        .values(value)
        .build()
}

/// A route table's routes as `destination->target kind` (`0.0.0.0/0->nat`, `prefix-list->vpce`),
/// sorted and joined by commas.
pub fn routes(t: &aws_sdk_ec2::types::RouteTable) -> String {
    let mut routes: Vec<String> = t
        .routes()
        .iter()
        .map(|r| {
            let dest = r
                .destination_cidr_block()
                .or(r.destination_ipv6_cidr_block())
                .or(r.destination_prefix_list_id().map(|_| "prefix-list"))
                .unwrap_or("?");
            let target = r
                .gateway_id()
                .or(r.nat_gateway_id())
                .or(r.instance_id())
                .or(r.egress_only_internet_gateway_id())
                .unwrap_or("?");
            format!("{dest}->{}", target.split('-').next().unwrap_or("?"))
        })
        .collect();
    routes.sort();
    routes.join(",")
}

/// The plan's EC2 resources that exist, found by the plan tag: by plan id, a description
/// without AWS ids. Panics if two resources carry one id.
pub async fn ec2_snapshot(ec2: &aws_sdk_ec2::Client, plan_name: &str) -> BTreeMap<String, String> {
    let filter = tag_filter(PLAN_TAG, plan_name);
    let mut out = BTreeMap::new();
    let mut put = |id: Option<&String>, what: String| {
        let id = id.cloned().unwrap_or_else(|| "untagged".to_owned());
        assert!(out.insert(id.clone(), what).is_none(), "{id} exists twice");
    };
    for v in ec2
        .describe_vpcs()
        .filters(filter.clone())
        .send()
        .await
        .unwrap()
        .vpcs()
    {
        put(
            tag_map(v.tags()).get(ID_TAG),
            format!("vpc {}", v.cidr_block().unwrap()),
        );
    }
    for sn in ec2
        .describe_subnets()
        .filters(filter.clone())
        .send()
        .await
        .unwrap()
        .subnets()
    {
        put(
            tag_map(sn.tags()).get(ID_TAG),
            format!(
                "subnet {} {} public-ip={}",
                sn.cidr_block().unwrap(),
                sn.availability_zone().unwrap(),
                sn.map_public_ip_on_launch().unwrap_or(false)
            ),
        );
    }
    for t in ec2
        .describe_route_tables()
        .filters(filter.clone())
        .send()
        .await
        .unwrap()
        .route_tables()
    {
        put(
            tag_map(t.tags()).get(ID_TAG),
            format!(
                "route_table {} associations={}",
                routes(t),
                t.associations().len()
            ),
        );
    }
    for g in ec2
        .describe_internet_gateways()
        .filters(filter.clone())
        .send()
        .await
        .unwrap()
        .internet_gateways()
    {
        put(
            tag_map(g.tags()).get(ID_TAG),
            format!("internet_gateway attached={}", g.attachments().len()),
        );
    }
    for n in ec2
        .describe_nat_gateways()
        .send()
        .await
        .unwrap()
        .nat_gateways()
    {
        let t = tag_map(n.tags());
        let state = n.state().map(|s| s.as_str().to_owned()).unwrap_or_default();
        if t.get(PLAN_TAG).map(String::as_str) == Some(plan_name) && state != "deleted" {
            put(t.get(ID_TAG), "nat_gateway".to_owned());
        }
    }
    for a in ec2
        .describe_addresses()
        .filters(filter.clone())
        .send()
        .await
        .unwrap()
        .addresses()
    {
        put(tag_map(a.tags()).get(ID_TAG), "elastic_ip".to_owned());
    }
    for acl in ec2
        .describe_network_acls()
        .filters(filter.clone())
        .send()
        .await
        .unwrap()
        .network_acls()
    {
        // AWS's own final deny rules are numbered 32767 and up.
        let rules = acl
            .entries()
            .iter()
            .filter(|e| e.rule_number().is_some_and(|n| n < 32767))
            .count();
        put(
            tag_map(acl.tags()).get(ID_TAG),
            format!("network_acl rules={rules}"),
        );
    }
    let groups = ec2
        .describe_security_groups()
        .filters(filter.clone())
        .send()
        .await
        .unwrap();
    for g in groups.security_groups() {
        let mut rules: Vec<String> = g
            .ip_permissions()
            .iter()
            .map(|p| {
                format!(
                    "in {} {:?}-{:?}",
                    p.ip_protocol().unwrap_or("?"),
                    p.from_port(),
                    p.to_port()
                )
            })
            .chain(g.ip_permissions_egress().iter().map(|p| {
                format!(
                    "out {} {:?}-{:?}",
                    p.ip_protocol().unwrap_or("?"),
                    p.from_port(),
                    p.to_port()
                )
            }))
            .collect();
        rules.sort();
        put(
            tag_map(g.tags()).get(ID_TAG),
            format!(
                "security_group {} [{}]",
                g.group_name().unwrap(),
                rules.join(", ")
            ),
        );
    }
    for (id, e) in vpc_endpoints(ec2, plan_name).await {
        put(
            Some(&id),
            format!(
                "vpc_endpoint {} {} route_tables={} subnets={} groups={}",
                e.vpc_endpoint_type().map_or("?", |t| t.as_str()),
                e.service_name().unwrap_or("?"),
                e.route_table_ids().len(),
                e.subnet_ids().len(),
                e.groups().len()
            ),
        );
    }
    for (id, f) in flow_logs(ec2, plan_name).await {
        put(
            Some(&id),
            format!(
                "flow_log {} {} {}",
                f.traffic_type().map_or("?", |t| t.as_str()),
                f.log_destination_type().map_or("?", |t| t.as_str()),
                f.log_group_name().or(f.log_destination()).unwrap_or("?")
            ),
        );
    }
    let running = aws_sdk_ec2::types::Filter::builder()
        .name("instance-state-name")
        .values("pending")
        .values("running")
        .build();
    for r in ec2
        .describe_instances()
        .filters(filter.clone())
        .filters(running)
        .send()
        .await
        .unwrap()
        .reservations()
    {
        for i in r.instances() {
            let t = tag_map(i.tags());
            // An auto-scaling group's instance carries the group's id, or none on moto,
            // which does not propagate group tags: one per zone either way.
            let zone = i
                .placement()
                .and_then(|p| p.availability_zone())
                .unwrap_or("?");
            let id = match t.get(ID_TAG) {
                Some(id) if id.starts_with("instance.") => id.clone(),
                _ => format!("group instance in {zone}"),
            };
            put(
                Some(&id),
                format!(
                    "instance {}",
                    i.instance_type()
                        .map(|t| t.as_str().to_owned())
                        .unwrap_or_default()
                ),
            );
        }
    }
    out
}

/// The plan's IAM roles and instance profiles that exist, found by their names in the plan:
/// by plan id, what is attached to each.
pub async fn iam_snapshot(iam: &aws_sdk_iam::Client, plan: &Plan) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for r in &plan.resources {
        match &r.kind {
            ResourceKind::IamRole(role) => {
                if let Ok(got) = iam.get_role().role_name(&role.name).send().await {
                    let attached = iam
                        .list_attached_role_policies()
                        .role_name(&role.name)
                        .send()
                        .await
                        .unwrap();
                    let inline = iam
                        .list_role_policies()
                        .role_name(&role.name)
                        .send()
                        .await
                        .unwrap();
                    out.insert(
                        r.id.clone(),
                        format!(
                            "role {} attached={} inline={}",
                            got.role().map(|x| x.path()).unwrap_or_default(),
                            attached.attached_policies().len(),
                            inline.policy_names().len()
                        ),
                    );
                }
            }
            ResourceKind::IamInstanceProfile(p) => {
                if let Ok(got) = iam
                    .get_instance_profile()
                    .instance_profile_name(&p.name)
                    .send()
                    .await
                {
                    let roles: Vec<&str> = got
                        .instance_profile()
                        .map(|x| x.roles().iter().map(|r| r.role_name()).collect())
                        .unwrap_or_default();
                    out.insert(r.id.clone(), format!("instance_profile roles={roles:?}"));
                }
            }
            _ => {}
        }
    }
    out
}

/// The AWS id of the plan's subnet `id` (e.g. `subnet.app-a`), found by its two tags.
pub async fn subnet_id(ec2: &aws_sdk_ec2::Client, plan_name: &str, id: &str) -> String {
    let out = ec2
        .describe_subnets()
        .filters(tag_filter(ID_TAG, id))
        .filters(tag_filter(PLAN_TAG, plan_name))
        .send()
        .await
        .unwrap();
    out.subnets()[0].subnet_id().unwrap().to_owned()
}

/// Every IAM role, customer managed policy and instance profile carrying the plan's tag,
/// whatever its name (`role NAME`, `policy NAME`, `instance_profile NAME`): what a plan left
/// behind after its design dropped a role.
pub async fn iam_tagged(iam: &aws_sdk_iam::Client, plan_name: &str) -> BTreeSet<String> {
    let ours = |tags: &[aws_sdk_iam::types::Tag]| {
        tags.iter()
            .any(|t| t.key() == PLAN_TAG && t.value() == plan_name)
    };
    let mut out = BTreeSet::new();
    for role in iam.list_roles().send().await.unwrap().roles() {
        let tags = iam
            .list_role_tags()
            .role_name(role.role_name())
            .send()
            .await
            .unwrap();
        if ours(tags.tags()) {
            out.insert(format!("role {}", role.role_name()));
        }
    }
    let local = aws_sdk_iam::types::PolicyScopeType::Local;
    for p in iam
        .list_policies()
        .scope(local)
        .send()
        .await
        .unwrap()
        .policies()
    {
        let tags = iam
            .list_policy_tags()
            .policy_arn(p.arn().unwrap())
            .send()
            .await
            .unwrap();
        if ours(tags.tags()) {
            out.insert(format!("policy {}", p.policy_name().unwrap()));
        }
    }
    let profiles = iam.list_instance_profiles().send().await.unwrap();
    for p in profiles.instance_profiles() {
        let got = iam
            .get_instance_profile()
            .instance_profile_name(p.instance_profile_name())
            .send()
            .await
            .unwrap();
        if got.instance_profile().is_some_and(|x| ours(x.tags())) {
            out.insert(format!("instance_profile {}", p.instance_profile_name()));
        }
    }
    out
}

/// The IPv6 of the plan's network: each VPC's associated block, each subnet's associated /64
/// and whether it assigns addresses, each egress-only gateway; empty when IPv6 is off.
pub async fn ipv6_snapshot(ec2: &aws_sdk_ec2::Client, plan_name: &str) -> Vec<String> {
    let filter = tag_filter(PLAN_TAG, plan_name);
    let mut out = Vec::new();
    let vpcs = ec2
        .describe_vpcs()
        .filters(filter.clone())
        .send()
        .await
        .unwrap();
    for v in vpcs.vpcs() {
        for a in v.ipv6_cidr_block_association_set() {
            let state = a.ipv6_cidr_block_state().and_then(|s| s.state());
            if !state.is_some_and(|s| s.as_str().starts_with("disassociat")) {
                out.push(format!("vpc block {}", a.ipv6_cidr_block().unwrap_or("?")));
            }
        }
    }
    let subnets = ec2
        .describe_subnets()
        .filters(filter.clone())
        .send()
        .await
        .unwrap();
    for sn in subnets.subnets() {
        let id = tag_map(sn.tags()).get(ID_TAG).cloned().unwrap_or_default();
        if sn.assign_ipv6_address_on_creation() == Some(true) {
            out.push(format!("{id} assigns IPv6"));
        }
        for a in sn.ipv6_cidr_block_association_set() {
            let state = a.ipv6_cidr_block_state().and_then(|s| s.state());
            if !state.is_some_and(|s| s.as_str().starts_with("disassociat")) {
                out.push(format!("{id} block {}", a.ipv6_cidr_block().unwrap_or("?")));
            }
        }
    }
    let gateways = ec2
        .describe_egress_only_internet_gateways()
        .filters(filter)
        .send()
        .await
        .unwrap();
    for g in gateways.egress_only_internet_gateways() {
        let id = tag_map(g.tags()).get(ID_TAG).cloned().unwrap_or_default();
        out.push(format!("egress-only gateway {id}"));
    }
    out
}

/// The plan's VPC endpoints that exist (not deleted), by plan id.
pub async fn vpc_endpoints(
    ec2: &aws_sdk_ec2::Client,
    plan_name: &str,
) -> BTreeMap<String, aws_sdk_ec2::types::VpcEndpoint> {
    let out = ec2
        .describe_vpc_endpoints()
        .filters(tag_filter(PLAN_TAG, plan_name))
        .send()
        .await
        .unwrap();
    // AWS answers `deleted` where the SDK's enum spells `Deleted`: compare as text.
    let gone = |e: &aws_sdk_ec2::types::VpcEndpoint| {
        e.state()
            .is_some_and(|s| s.as_str().to_ascii_lowercase().starts_with("delet"))
    };
    out.vpc_endpoints()
        .iter()
        .filter(|e| !gone(e))
        .filter(|e| tag_map(e.tags()).get(PLAN_TAG).map(String::as_str) == Some(plan_name))
        .map(|e| {
            let id = tag_map(e.tags()).get(ID_TAG).cloned().unwrap_or_default();
            (id, e.clone())
        })
        .collect()
}

/// The plan's flow logs, by plan id.
pub async fn flow_logs(
    ec2: &aws_sdk_ec2::Client,
    plan_name: &str,
) -> BTreeMap<String, aws_sdk_ec2::types::FlowLog> {
    let out = ec2
        .describe_flow_logs()
        .filter(tag_filter(PLAN_TAG, plan_name))
        .send()
        .await
        .unwrap();
    out.flow_logs()
        .iter()
        .filter(|f| tag_map(f.tags()).get(PLAN_TAG).map(String::as_str) == Some(plan_name))
        .map(|f| {
            let id = tag_map(f.tags()).get(ID_TAG).cloned().unwrap_or_default();
            (id, f.clone())
        })
        .collect()
}

/// One log group as [`log_groups`] reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogGroup {
    /// Days it keeps records; `None` for never expiring.
    pub retention_days: Option<i32>,
    /// Its tags.
    pub tags: BTreeMap<String, String>,
}

/// Every log group under the plan's prefix (`/vpc-planner/<plan>/`), whoever's, by name.
pub async fn log_groups(
    logs: &aws_sdk_cloudwatchlogs::Client,
    plan_name: &str,
) -> BTreeMap<String, LogGroup> {
    let prefix = planner_core::ids::log_group_prefix(plan_name);
    let out = logs
        .describe_log_groups()
        .log_group_name_prefix(prefix)
        .send()
        .await
        .unwrap();
    let mut found = BTreeMap::new();
    for g in out.log_groups() {
        let name = g.log_group_name().unwrap().to_owned();
        let arn = g
            .log_group_arn()
            .map(str::to_owned)
            .unwrap_or_else(|| g.arn().unwrap().trim_end_matches(":*").to_owned());
        let tags = logs
            .list_tags_for_resource()
            .resource_arn(arn)
            .send()
            .await
            .unwrap()
            .tags()
            .map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default();
        found.insert(
            name,
            LogGroup {
                retention_days: g.retention_in_days(),
                tags,
            },
        );
    }
    found
}
