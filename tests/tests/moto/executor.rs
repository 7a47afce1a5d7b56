//! The real executor binary against a real moto server, through a recording proxy.
//!
//! For each vendor preset: `run`, check the live state independently through the SDK, `run`
//! again with zero mutating calls, `diff` in sync, a change by hand that `diff` reports and
//! `run` repairs, and `destroy` leaving nothing tagged. Plus crashes at several points, faults
//! (throttling, 5xx), the order of destroy calls AWS needs, and broken input that never
//! reaches the emulator.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use tests::account::{self, PLAN_TAG};
use tests::moto::Moto;
use tests::proxy::{Fault, Proxy};

pub(super) struct Env {
    pub(super) moto: Moto,
    pub(super) proxy: Proxy,
    pub(super) dir: PathBuf,
}

impl Env {
    pub(super) fn new(name: &str) -> Env {
        let moto = Moto::start();
        let proxy = Proxy::start(&moto.endpoint());
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join("aws")
            .join(name);
        std::fs::create_dir_all(&dir).unwrap();
        Env { moto, proxy, dir }
    }

    pub(super) fn command(&self, args: &[&str]) -> Command {
        let mut cmd = tests::executor::command();
        cmd.args(args).stdin(Stdio::null());
        self.proxy.apply_env(&mut cmd);
        cmd
    }

    pub(super) fn exec(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("the executor runs")
    }

    /// Plans a preset variant into a plan file.
    pub(super) fn preset_plan(&self, preset: &str, set: &[(&str, &str)]) -> PathBuf {
        let design = planner_core::presets::build(preset, set).unwrap();
        let plan = planner_core::plan(&design, None).unwrap().plan;
        let path = self.dir.join(format!("{preset}.plan.json"));
        std::fs::write(&path, plan.to_json()).unwrap();
        path
    }

    pub(super) fn runtime(&self) -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    /// The SDK pointed at moto itself, so reads do not show in the proxy's record.
    pub(super) async fn config(&self) -> aws_config::SdkConfig {
        account::sdk_config(&self.moto.endpoint()).await
    }
}

pub(super) fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

pub(super) fn ok(out: &Output) -> &Output {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        text(&out.stdout),
        text(&out.stderr)
    );
    out
}

pub(super) fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// What the account holds for `plan`, read independently of the executor: by plan id, a
/// description without AWS ids. Two applies of one plan give equal snapshots.
pub(super) fn snapshot(env: &Env, plan_name: &str) -> BTreeMap<String, String> {
    ec2_blocking(env, async |ec2| {
        account::ec2_snapshot(&ec2, plan_name).await
    })
}

/// The plan's IAM roles, policies and instance profiles that exist.
fn iam_snapshot(env: &Env, plan: &planner_core::Plan) -> BTreeMap<String, String> {
    env.runtime().block_on(async {
        let iam = aws_sdk_iam::Client::new(&env.config().await);
        account::iam_snapshot(&iam, plan).await
    })
}

/// The fixture design `fixture` (`tests/fixtures/designs/<fixture>.json`) with `edit` applied,
/// planned with no error finding into `<name>.plan.json`.
pub(super) fn fixture_plan(
    env: &Env,
    fixture: &str,
    name: &str,
    edit: impl Fn(&mut serde_json::Value),
) -> PathBuf {
    let path = tests::fixtures().join(format!("designs/{fixture}.json"));
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    edit(&mut json);
    let design = planner_core::parse_design(&json.to_string()).unwrap();
    let planned = planner_core::plan(&design, None).unwrap();
    let errors: Vec<String> = planned
        .diagnostics
        .iter()
        .filter(|d| d.severity == planner_core::Severity::Error)
        .map(ToString::to_string)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let out = env.dir.join(format!("{name}.plan.json"));
    std::fs::write(&out, planned.plan.to_json()).unwrap();
    out
}

/// A re-run of the applied plan `path` makes no mutating call, and `diff` finds it in sync.
pub(super) fn assert_rerun_changes_nothing(env: &Env, path: &Path) {
    env.proxy.clear();
    let again = ok(&env.exec(&["run", s(path), "--yes"])).clone();
    let mutating: Vec<String> = env
        .proxy
        .mutating_calls()
        .iter()
        .map(|c| format!("{} {}", c.service, c.action))
        .collect();
    assert!(
        mutating.is_empty(),
        "a re-run made mutating calls: {mutating:?}\n{}",
        text(&again.stdout)
    );
    let diff = env.exec(&["diff", s(path)]);
    assert_eq!(diff.status.code(), Some(0), "{}", text(&diff.stdout));
}

pub(super) fn plan_of(path: &Path) -> planner_core::Plan {
    planner_core::parse_plan(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Every live thing the plan says should exist exists, and nothing else of the plan does.
fn assert_applied(env: &Env, path: &Path) {
    let plan = plan_of(path);
    let live = snapshot(env, &plan.design.name);
    let iam = iam_snapshot(env, &plan);
    for r in &plan.resources {
        let t = r.kind.type_name();
        let expected_live = match t {
            "vpc" | "subnet" | "route_table" | "internet_gateway" | "nat_gateway"
            | "elastic_ip" | "security_group" | "instance" => live.contains_key(&r.id),
            "iam_role" | "iam_instance_profile" => iam.contains_key(&r.id),
            _ => true,
        };
        assert!(expected_live, "{} was not created; live: {live:#?}", r.id);
    }
    for r in &plan.resources {
        if let planner_core::ResourceKind::Subnet {
            cidr_block,
            availability_zone,
            ..
        } = &r.kind
        {
            let got = &live[&r.id];
            assert!(
                got.starts_with(&format!("subnet {cidr_block} {availability_zone}")),
                "{}: {got}",
                r.id
            );
        }
    }
}

fn lifecycle(preset: &str, set: &[(&str, &str)], hand_change: impl Fn(&Env, &planner_core::Plan)) {
    let env = Env::new(preset);
    let path = env.preset_plan(preset, set);
    let plan = plan_of(&path);
    let p = s(&path);

    ok(&env.exec(&["run", p, "--yes", "--no-progress"]));
    assert_applied(&env, &path);
    let first = snapshot(&env, &plan.design.name);

    env.proxy.clear();
    let again = ok(&env.exec(&["run", p, "--yes"])).clone();
    let mutating: Vec<String> = env
        .proxy
        .mutating_calls()
        .iter()
        .map(|c| format!("{} {}", c.service, c.action))
        .collect();
    assert!(
        mutating.is_empty(),
        "a re-run made mutating calls: {mutating:?}\n{}",
        text(&again.stdout)
    );

    let diff = env.exec(&["diff", p]);
    assert_eq!(
        diff.status.code(),
        Some(0),
        "diff after run:\n{}{}",
        text(&diff.stdout),
        text(&diff.stderr)
    );

    hand_change(&env, &plan);
    let diff = env.exec(&["diff", p]);
    assert_eq!(
        diff.status.code(),
        Some(1),
        "diff missed a change by hand:\n{}",
        text(&diff.stdout)
    );
    ok(&env.exec(&["run", p, "--yes"]));
    let diff = env.exec(&["diff", p]);
    assert_eq!(
        diff.status.code(),
        Some(0),
        "run did not repair:\n{}",
        text(&diff.stdout)
    );
    assert_eq!(
        snapshot(&env, &plan.design.name),
        first,
        "repaired state differs from the first apply"
    );

    env.proxy.clear();
    ok(&env.exec(&["destroy", p, "--yes"]));
    assert_destroy_order(&env.proxy.calls());
    assert!(
        snapshot(&env, &plan.design.name).is_empty(),
        "destroy left resources"
    );
    assert!(
        iam_snapshot(&env, &plan).is_empty(),
        "destroy left IAM resources"
    );
}

/// The order AWS needs (moto lets a wrong one through). Across resources of one kind calls
/// interleave, so the IAM pairs are checked per role, policy or profile (by its name in the
/// request).
pub(super) fn assert_destroy_order(calls: &[tests::proxy::Call]) {
    let actions: Vec<&str> = calls.iter().map(|c| c.action.as_str()).collect();
    let first = |a: &str| actions.iter().position(|x| *x == a);
    let last = |a: &str| actions.iter().rposition(|x| *x == a);
    let before = |a: &str, b: &str| {
        if let (Some(x), Some(y)) = (last(a), first(b)) {
            assert!(x < y, "{a} must come before {b}: {actions:?}");
        }
    };
    let param = |c: &tests::proxy::Call, key: &str| {
        c.params
            .split('&')
            .find_map(|kv| kv.strip_prefix(&format!("{key}=")))
            .map(str::to_owned)
    };
    let per = |a: &str, b: &str, key: &str| {
        for (i, c) in calls.iter().enumerate().filter(|(_, c)| c.action == b) {
            let name = param(c, key);
            let later = calls[i..]
                .iter()
                .any(|x| x.action == a && param(x, key) == name);
            assert!(!later, "{a} for {name:?} came after {b}: {actions:?}");
        }
    };
    per(
        "RemoveRoleFromInstanceProfile",
        "DeleteInstanceProfile",
        "InstanceProfileName",
    );
    per("RemoveRoleFromInstanceProfile", "DeleteRole", "RoleName");
    per("DetachRolePolicy", "DeleteRole", "RoleName");
    per("DeleteRolePolicy", "DeleteRole", "RoleName");
    per("DetachRolePolicy", "DeletePolicy", "PolicyArn");
    before("RevokeSecurityGroupIngress", "DeleteSecurityGroup");
    before("RevokeSecurityGroupEgress", "DeleteSecurityGroup");
    before("TerminateInstances", "DeleteSecurityGroup");
    before("DeleteNatGateway", "ReleaseAddress");
    before("DeleteNatGateway", "DeleteSubnet");
    before("DetachInternetGateway", "DeleteInternetGateway");
    before("DisassociateRouteTable", "DeleteRouteTable");
    before("ReplaceNetworkAclAssociation", "DeleteNetworkAcl");
    before("DeleteNetworkAcl", "DeleteVpc");
    before("DeleteSubnet", "DeleteVpc");
    before("DeleteInternetGateway", "DeleteVpc");
    before("DeleteAutoScalingGroup", "DeleteLaunchTemplate");
    before("DeleteInstanceProfile", "DeletePolicy");
}

pub(super) fn ec2_blocking<T>(env: &Env, f: impl AsyncFnOnce(aws_sdk_ec2::Client) -> T) -> T {
    env.runtime().block_on(async {
        let ec2 = aws_sdk_ec2::Client::new(&env.config().await);
        f(ec2).await
    })
}

/// The AWS id of a plan resource, found by its id tag.
fn subnet_aws_id(env: &Env, plan: &planner_core::Plan, id: &str) -> String {
    ec2_blocking(env, async |ec2| {
        account::subnet_id(&ec2, &plan.design.name, id).await
    })
}

pub(super) fn retag_subnet_by_hand(env: &Env, plan: &planner_core::Plan) {
    let sub = plan
        .resources
        .iter()
        .find(|r| r.kind.type_name() == "subnet")
        .unwrap();
    let aws = subnet_aws_id(env, plan, &sub.id);
    ec2_blocking(env, async move |ec2| {
        let tag = aws_sdk_ec2::types::Tag::builder()
            .key("Name")
            .value("renamed-by-hand")
            .build();
        ec2.create_tags()
            .resources(aws)
            .tags(tag)
            .send()
            .await
            .unwrap();
    });
}

#[test]
fn informatica_lifecycle() {
    lifecycle("informatica", &[], retag_subnet_by_hand);
}

#[test]
fn titus_lifecycle() {
    lifecycle("titus", &[("ipv6", "true")], retag_subnet_by_hand);
}

#[test]
fn tinystacks_lifecycle() {
    lifecycle("tinystacks", &[("bastion", "true")], add_a_rule_by_hand);
}

#[test]
fn determined_lifecycle() {
    lifecycle("determined", &[], detach_a_policy_by_hand);
}

/// A rule added by hand to the database's group: diff reports it, run revokes it.
pub(super) fn add_a_rule_by_hand(env: &Env, plan: &planner_core::Plan) {
    let name = plan.design.name.clone();
    ec2_blocking(env, async move |ec2| {
        let f = account::tag_filter(PLAN_TAG, name);
        let groups = ec2
            .describe_security_groups()
            .filters(f)
            .send()
            .await
            .unwrap();
        let db = groups
            .security_groups()
            .iter()
            .find(|g| g.group_name() == Some("database"))
            .unwrap();
        let perm = aws_sdk_ec2::types::IpPermission::builder()
            .ip_protocol("tcp")
            .from_port(5432)
            .to_port(5432)
            .ip_ranges(
                aws_sdk_ec2::types::IpRange::builder()
                    .cidr_ip("0.0.0.0/0")
                    .build(),
            )
            .build();
        ec2.authorize_security_group_ingress()
            .group_id(db.group_id().unwrap())
            .ip_permissions(perm)
            .send()
            .await
            .unwrap();
    });
}

/// A managed policy detached by hand from the first role that has one.
pub(super) fn detach_a_policy_by_hand(env: &Env, plan: &planner_core::Plan) {
    let role = plan
        .resources
        .iter()
        .find_map(|r| match &r.kind {
            planner_core::ResourceKind::IamRole(role) if !role.managed_policies.is_empty() => {
                Some(role.clone())
            }
            _ => None,
        })
        .unwrap();
    env.runtime().block_on(async {
        let iam = aws_sdk_iam::Client::new(&env.config().await);
        let attached = iam
            .list_attached_role_policies()
            .role_name(&role.name)
            .send()
            .await
            .unwrap();
        let arn = attached.attached_policies()[0]
            .policy_arn()
            .unwrap()
            .to_owned();
        iam.detach_role_policy()
            .role_name(&role.name)
            .policy_arn(arn)
            .send()
            .await
            .unwrap();
    });
}

/// Kill the apply after k mutating calls, run again (forcing the lock it left): the result
/// equals a clean apply.
#[test]
fn crash_at_any_point_then_rerun_converges() {
    let clean = {
        let env = Env::new("crash-clean");
        let path = env.preset_plan("informatica", &[]);
        ok(&env.exec(&["run", s(&path), "--yes", "--concurrency", "1"]));
        snapshot(&env, &plan_of(&path).design.name)
    };
    for k in [1, 3, 6, 10] {
        let env = Env::new(&format!("crash-{k}"));
        let path = env.preset_plan("informatica", &[]);
        let mut child = env
            .command(&["run", s(&path), "--yes", "--concurrency", "1"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let start = Instant::now();
        while env.proxy.mutating_calls().len() < k && start.elapsed() < Duration::from_secs(60) {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        let _ = child.kill();
        let _ = child.wait();
        // The killed run held the plan's lock: clearing it is the documented way on.
        ok(&env.exec(&["run", s(&path), "--yes", "--force-unlock"]));
        assert_eq!(
            snapshot(&env, &plan_of(&path).design.name),
            clean,
            "after a crash at {k} calls"
        );
        let diff = env.exec(&["diff", s(&path)]);
        assert_eq!(diff.status.code(), Some(0), "{}", text(&diff.stdout));
    }
}

#[test]
fn throttling_and_server_errors_are_retried() {
    let env = Env::new("faults");
    let path = env.preset_plan("tinystacks", &[]);
    env.proxy.fail_every(4, Fault::Throttle);
    env.proxy.fail_every(9, Fault::ServerError);
    ok(&env.exec(&["run", s(&path), "--yes"]));
    let faults = env
        .proxy
        .calls()
        .iter()
        .filter(|c| c.fault.is_some())
        .count();
    assert!(faults > 5, "the proxy injected only {faults} faults");
    env.proxy.clear_faults();
    let diff = env.exec(&["diff", s(&path)]);
    assert_eq!(diff.status.code(), Some(0), "{}", text(&diff.stdout));
}

#[test]
fn broken_input_never_reaches_aws() {
    let env = Env::new("bad-input");
    let mut cases: Vec<PathBuf> = tests::fixture_files("bad");
    // A well-formed plan whose findings include an error.
    let mut design = tests::design(&tests::fixtures().join("designs/three-tier.json"));
    design.vpc.as_mut().unwrap().cidr = "169.254.0.0/16".parse().unwrap();
    let bad_plan = env.dir.join("link-local.plan.json");
    std::fs::write(
        &bad_plan,
        planner_core::plan(&design, None).unwrap().plan.to_json(),
    )
    .unwrap();
    cases.push(bad_plan);
    for file in &cases {
        for command in ["run", "diff", "destroy"] {
            env.proxy.clear();
            let out = env.exec(&[command, s(file), "--yes"]);
            assert_eq!(
                out.status.code(),
                Some(2),
                "{command} {}: {}",
                file.display(),
                text(&out.stderr)
            );
            assert_eq!(
                text(&out.stderr).lines().count(),
                1,
                "{}",
                text(&out.stderr)
            );
            assert!(
                env.proxy.calls().is_empty(),
                "{command} {} reached AWS: {:?}",
                file.display(),
                env.proxy.calls()
            );
        }
    }
}

#[test]
fn without_a_terminal_run_refuses_unless_told_yes() {
    let env = Env::new("no-tty");
    let path = env.preset_plan("informatica", &[]);
    let out = env.exec(&["run", s(&path)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("pass --yes"),
        "{}",
        text(&out.stderr)
    );
    assert!(env.proxy.mutating_calls().is_empty());
}

#[test]
fn json_output_is_one_event_per_line() {
    let env = Env::new("json");
    let path = env.preset_plan("informatica", &[]);
    let out = ok(&env.exec(&["run", s(&path), "--yes", "--output", "json"])).clone();
    let events: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert!(events.iter().any(|e| e["event"] == "created"
        && e["id"] == "vpc.main"
        && e["aws_id"].as_str().unwrap().starts_with("vpc-")));
    assert!(
        !text(&out.stdout).contains("testing"),
        "credentials leaked into the output"
    );
}

#[test]
fn an_unreachable_endpoint_is_an_error_not_a_difference() {
    let env = Env::new("unreachable");
    let path = env.preset_plan("informatica", &[]);
    let port = tests::moto::free_port();
    let mut cmd = env.command(&["diff", s(&path)]);
    cmd.env("AWS_ENDPOINT_URL", format!("http://127.0.0.1:{port}"));
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).starts_with("error: cannot reach AWS at"),
        "{}",
        text(&out.stderr)
    );
}
