//! VPC endpoints, the flow log and its log group applied to moto: the gateway endpoint's route
//! tables and policy, the interface endpoint's subnets, group and private DNS, the log group's
//! retention and tags, the flow log's traffic, group and delivery role (and the role's trust
//! and policy), read back through the SDK independently of the executor; a re-run makes no
//! mutating call; a route table taken off the endpoint, the flow log deleted and the
//! retention changed by hand are reported by `diff` and repaired by `run`; a design without
//! the interface endpoint and the flow log deletes them (log group and role included); and
//! `destroy` deletes everything, endpoints and the flow log before what they use.
//!
//! What moto does not check, so this test cannot: that the role can be assumed by the
//! flow-logs service or write to the group (moto records a flow log to CloudWatch Logs with
//! any role ARN, and delivers nothing); that a gateway endpoint's service has a prefix list
//! (moto adds no routes for the services it does not list, and `ModifyVpcEndpoint` never
//! adds or removes routes); that private DNS needs the VPC's DNS attributes, or applies to
//! interface endpoints only (moto reports it on for a gateway endpoint created without it,
//! so it is read for interface endpoints only); that deleting a
//! subnet, route table or group an endpoint still uses fails (the destroy order is asserted
//! from the recorded calls instead); IAM conditions (the calls are checked against the
//! derived policy's actions only).

use std::collections::{BTreeMap, BTreeSet};

use tests::account::{self, PLAN_TAG};

use super::convergence::assert_granted;
use super::executor::{assert_rerun_changes_nothing, fixture_plan, ok, s, snapshot, text, Env};

const NAME: &str = "endpoints-flow-logs";
const ROLE: &str = "endpoints-flow-logs-flow-logs";
const GROUP: &str = "/vpc-planner/endpoints-flow-logs/flow-logs";

/// What the account holds of the endpoints, the flow log, the log group and the delivery
/// role, read without the executor, with AWS ids replaced by plan ids.
#[derive(Debug, PartialEq, Eq)]
struct State {
    /// By plan id: type, service, route tables, subnets, groups (as plan ids), private DNS,
    /// and whether the policy is the plan's.
    endpoints: BTreeMap<String, String>,
    /// By plan id: the VPC (plan id), traffic, group and role name.
    flow_logs: BTreeMap<String, String>,
    /// By name: retention and the plan's tags.
    log_groups: BTreeMap<String, String>,
    /// The delivery role: trusted by the flow-logs service, and its inline policy's actions.
    role: Option<String>,
}

/// Plan ids by AWS id, for everything the plan tags (the plan's ids are tags).
async fn plan_ids(ec2: &aws_sdk_ec2::Client) -> BTreeMap<String, String> {
    let f = account::tag_filter(PLAN_TAG, NAME);
    let mut out = BTreeMap::new();
    let id = |tags: &[aws_sdk_ec2::types::Tag]| {
        account::tag_map(tags)
            .get(account::ID_TAG)
            .cloned()
            .unwrap_or_default()
    };
    for v in ec2
        .describe_vpcs()
        .filters(f.clone())
        .send()
        .await
        .unwrap()
        .vpcs()
    {
        out.insert(v.vpc_id().unwrap().to_owned(), id(v.tags()));
    }
    let subnets = ec2
        .describe_subnets()
        .filters(f.clone())
        .send()
        .await
        .unwrap();
    for x in subnets.subnets() {
        out.insert(x.subnet_id().unwrap().to_owned(), id(x.tags()));
    }
    let tables = ec2
        .describe_route_tables()
        .filters(f.clone())
        .send()
        .await
        .unwrap();
    for x in tables.route_tables() {
        out.insert(x.route_table_id().unwrap().to_owned(), id(x.tags()));
    }
    let groups = ec2
        .describe_security_groups()
        .filters(f)
        .send()
        .await
        .unwrap();
    for x in groups.security_groups() {
        out.insert(x.group_id().unwrap().to_owned(), id(x.tags()));
    }
    out
}

fn read(env: &Env) -> State {
    env.runtime().block_on(async {
        let conf = env.config().await;
        let ec2 = aws_sdk_ec2::Client::new(&conf);
        let iam = aws_sdk_iam::Client::new(&conf);
        let logs = aws_sdk_cloudwatchlogs::Client::new(&conf);
        let ids = plan_ids(&ec2).await;
        let named = |aws: &[&str]| {
            let mut v: Vec<&str> = aws
                .iter()
                .map(|a| ids.get(*a).map_or("?", String::as_str))
                .collect();
            v.sort_unstable();
            v.join(",")
        };
        let mut endpoints = BTreeMap::new();
        for (id, e) in account::vpc_endpoints(&ec2, NAME).await {
            let tables: Vec<&str> = e.route_table_ids().iter().map(String::as_str).collect();
            let subnets: Vec<&str> = e.subnet_ids().iter().map(String::as_str).collect();
            let groups: Vec<&str> = e.groups().iter().filter_map(|g| g.group_id()).collect();
            let policy = e.policy_document().unwrap_or_default();
            let own_account = policy.contains("OwnAccountOnly") && policy.contains("123456789012");
            // Private DNS applies to interface endpoints only (moto says true for gateways).
            let interface =
                e.vpc_endpoint_type() == Some(&aws_sdk_ec2::types::VpcEndpointType::Interface);
            let dns = if interface {
                format!(" private_dns={}", e.private_dns_enabled().unwrap_or(false))
            } else {
                String::new()
            };
            endpoints.insert(
                id,
                format!(
                    "{} {} tables=[{}] subnets=[{}] groups=[{}]{dns} plan_policy={own_account}",
                    e.vpc_endpoint_type().unwrap().as_str(),
                    e.service_name().unwrap(),
                    named(&tables),
                    named(&subnets),
                    named(&groups),
                ),
            );
        }
        let mut flow_logs = BTreeMap::new();
        for (id, f) in account::flow_logs(&ec2, NAME).await {
            flow_logs.insert(
                id,
                format!(
                    "{} {} {} {} role={}",
                    named(&[f.resource_id().unwrap()]),
                    f.traffic_type().unwrap().as_str(),
                    f.log_destination_type().unwrap().as_str(),
                    f.log_group_name().unwrap_or("-"),
                    f.deliver_logs_permission_arn().unwrap_or("-"),
                ),
            );
        }
        let log_groups = account::log_groups(&logs, NAME)
            .await
            .into_iter()
            .map(|(name, g)| {
                let tags: Vec<String> = g
                    .tags
                    .iter()
                    .filter(|(k, _)| k.starts_with("vpc-planner:"))
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                (
                    name,
                    format!("retention={:?} {}", g.retention_days, tags.join(" ")),
                )
            })
            .collect();
        let role = match iam.get_role().role_name(ROLE).send().await {
            Ok(got) => {
                let r = got.role().unwrap();
                let policy = iam
                    .get_role_policy()
                    .role_name(ROLE)
                    .policy_name("deliver-flow-logs")
                    .send()
                    .await
                    .unwrap();
                let doc = policy.policy_document();
                Some(format!(
                    "{} trusts-flow-logs={} writes={} to-group={}",
                    r.arn(),
                    r.assume_role_policy_document()
                        .unwrap_or_default()
                        .contains("vpc-flow-logs.amazonaws.com"),
                    doc.contains("PutLogEvents") && doc.contains("CreateLogStream"),
                    doc.contains("vpc-planner/endpoints-flow-logs/flow-logs"),
                ))
            }
            Err(_) => None,
        };
        State {
            endpoints,
            flow_logs,
            log_groups,
            role,
        }
    })
}

/// The state the full fixture gives.
fn applied() -> State {
    let role_arn = format!("arn:aws:iam::123456789012:role/{ROLE}");
    State {
        endpoints: BTreeMap::from([
            (
                "vpc_endpoint.ecr.api.interface".to_owned(),
                "Interface com.amazonaws.us-east-1.ecr.api tables=[] \
                 subnets=[subnet.app.a,subnet.app.b] groups=[security_group.endpoints] \
                 private_dns=true plan_policy=false"
                    .to_owned(),
            ),
            (
                "vpc_endpoint.s3.gateway".to_owned(),
                "Gateway com.amazonaws.us-east-1.s3 tables=[route_table.app,route_table.db] \
                 subnets=[] groups=[] plan_policy=true"
                    .to_owned(),
            ),
        ]),
        flow_logs: BTreeMap::from([(
            "flow_log.main".to_owned(),
            format!("vpc.main REJECT cloud-watch-logs {GROUP} role={role_arn}"),
        )]),
        log_groups: BTreeMap::from([(
            GROUP.to_owned(),
            format!(
                "retention=Some(14) vpc-planner:id=log_group.flow-logs vpc-planner:plan={NAME}"
            ),
        )]),
        role: Some(format!(
            "{role_arn} trusts-flow-logs=true writes=true to-group=true"
        )),
    }
}

/// Takes the db tier's route table off the gateway endpoint, deletes the flow log and sets
/// the log group to keep records for 30 days: what a console user might do by hand.
fn change_by_hand(env: &Env) {
    env.runtime().block_on(async {
        let conf = env.config().await;
        let ec2 = aws_sdk_ec2::Client::new(&conf);
        let logs = aws_sdk_cloudwatchlogs::Client::new(&conf);
        let ids = plan_ids(&ec2).await;
        let db_table = ids
            .iter()
            .find(|(_, id)| *id == "route_table.db")
            .map(|(aws, _)| aws.clone())
            .unwrap();
        let endpoints = account::vpc_endpoints(&ec2, NAME).await;
        let gateway = endpoints["vpc_endpoint.s3.gateway"]
            .vpc_endpoint_id()
            .unwrap();
        ec2.modify_vpc_endpoint()
            .vpc_endpoint_id(gateway)
            .remove_route_table_ids(db_table)
            .send()
            .await
            .unwrap();
        let flow_logs = account::flow_logs(&ec2, NAME).await;
        ec2.delete_flow_logs()
            .flow_log_ids(flow_logs["flow_log.main"].flow_log_id().unwrap())
            .send()
            .await
            .unwrap();
        logs.put_retention_policy()
            .log_group_name(GROUP)
            .retention_in_days(30)
            .send()
            .await
            .unwrap();
    });
}

/// Every delete of `deletes` comes after every call of `first` in the recorded calls.
fn assert_before(env: &Env, first: &str, deletes: &[&str]) {
    let calls = env.proxy.calls();
    let actions: Vec<&str> = calls.iter().map(|c| c.action.as_str()).collect();
    let Some(last) = actions.iter().rposition(|a| *a == first) else {
        panic!("no {first}: {actions:?}");
    };
    for d in deletes {
        if let Some(at) = actions.iter().position(|a| a == d) {
            assert!(last < at, "{first} must come before {d}: {actions:?}");
        }
    }
}

#[test]
fn endpoints_and_flow_logs_lifecycle() {
    let env = Env::new(NAME);
    let full = fixture_plan(&env, "endpoints-flow-logs", "full", |_| {});

    ok(&env.exec(&["run", s(&full), "--yes", "--no-progress"]));
    assert_granted(&env, &full, "the first run");
    assert_eq!(read(&env), applied());
    assert_rerun_changes_nothing(&env, &full);

    change_by_hand(&env);
    let diff = env.exec(&["diff", s(&full)]);
    let said = text(&diff.stdout);
    assert_eq!(
        diff.status.code(),
        Some(1),
        "diff missed the changes:\n{said}"
    );
    for what in ["route_tables", "flow_log.main", "retention_days"] {
        assert!(said.contains(what), "diff does not name {what}:\n{said}");
    }
    env.proxy.clear();
    ok(&env.exec(&["run", s(&full), "--yes"]));
    assert_granted(&env, &full, "the repair");
    assert_eq!(read(&env), applied(), "run did not repair");
    assert_rerun_changes_nothing(&env, &full);

    // No interface endpoint and no flow log any more: both deleted, the log group and the
    // delivery role with them.
    let lean = fixture_plan(&env, "endpoints-flow-logs", "lean", |d| {
        d["endpoints"].as_array_mut().unwrap().truncate(1);
        d.as_object_mut().unwrap().remove("flow_logs");
    });
    env.proxy.clear();
    ok(&env.exec(&["run", s(&lean), "--yes"]));
    assert_granted(
        &env,
        &lean,
        "dropping the interface endpoint and the flow log",
    );
    let after = read(&env);
    let endpoints: BTreeSet<&str> = after.endpoints.keys().map(String::as_str).collect();
    assert_eq!(endpoints, BTreeSet::from(["vpc_endpoint.s3.gateway"]));
    assert!(after.flow_logs.is_empty(), "{after:#?}");
    assert!(after.log_groups.is_empty(), "{after:#?}");
    assert_eq!(after.role, None);
    assert_rerun_changes_nothing(&env, &lean);

    // Everything back, then destroyed by the lean plan: what it no longer has is still found
    // by its tags and deleted, endpoints and the flow log before what they use.
    ok(&env.exec(&["run", s(&full), "--yes"]));
    assert_eq!(read(&env), applied(), "run did not bring everything back");
    env.proxy.clear();
    ok(&env.exec(&["destroy", s(&lean), "--yes"]));
    assert_granted(&env, &lean, "destroy");
    assert_before(
        &env,
        "DeleteVpcEndpoints",
        &[
            "DeleteSubnet",
            "DeleteRouteTable",
            "DeleteSecurityGroup",
            "DeleteVpc",
        ],
    );
    assert_before(
        &env,
        "DeleteFlowLogs",
        &["DeleteLogGroup", "DeleteRole", "DeleteVpc"],
    );
    let left = snapshot(&env, NAME);
    assert!(left.is_empty(), "destroy left {left:#?}");
    let state = read(&env);
    assert!(state.log_groups.is_empty(), "destroy left {state:#?}");
    assert_eq!(state.role, None, "destroy left the delivery role");
    let iam = env.runtime().block_on(async {
        let iam = aws_sdk_iam::Client::new(&env.config().await);
        account::iam_tagged(&iam, NAME).await
    });
    assert!(iam.is_empty(), "destroy left {iam:#?}");
}
