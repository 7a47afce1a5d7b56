//! The executor's derived policy is enough, proven from the recorded calls: for each preset's
//! whole lifecycle (run, re-run, diff, a change by hand and the run that repairs it, destroy),
//! every call the executor makes, as the IAM requests AWS authorizes for it (its action on
//! each resource it names, with the tags the request carries and the tags the resource has
//! just before the call, read from moto: `tests::authorize`, which says what it approximates),
//! is allowed by the derived policy, all its managed policies together, as planner-core's
//! `iam_eval` evaluates a policy. A test fails on the first call the policy would refuse,
//! naming the action and the resource. And when AWS refuses a call, the executor says which
//! action was denied.
//!
//! Why not moto's own IAM enforcement (`INITIAL_NO_AUTH_ACTION_COUNT=N`, the first N calls
//! free to create a user whose only permissions are the derived policies, then the executor
//! run with that user's keys): tried with moto 5.2.5, it cannot serve any part of the
//! lifecycle, and a test on it would prove nothing about the policy.
//! - Its policy validator refuses `CreatePolicy` of the derived policy: the resource
//!   `arn:aws:iam::<account>:*` (IAM reads, listing and deleting by tag) fails with
//!   "IAM resource path must either be "*" or start with user/, …", although the path is `*`.
//! - It authorizes every EC2, SSM, CloudWatch Logs and Auto Scaling call, and every IAM call
//!   that names no role, on the resource `*`, and evaluates no condition: a statement scoped
//!   to ARNs never matches, so with the derived policy (its IAM resource rewritten per type to
//!   pass the validator) discovery stops at the first scoped call, `iam:ListPolicyTags`,
//!   refused; what it allows is what the policy grants on `*` (the reads).
//! - Its SigV4 check refuses some of the Rust SDK's calls even for a user allowed everything:
//!   `CreatePolicy` came back 403 with a body the SDK reads as an error without a code
//!   (`SignatureDoesNotMatch`), with the executor pointed at moto directly, so the proxy is
//!   not the cause; the describes and the first creates passed.

use std::sync::{Arc, Mutex};

use planner_core::analysis::executor_policy::{policies, Target};
use planner_core::analysis::iam_eval::{evaluate, Decision, Request};
use serde_json::Value;
use tests::authorize::{requests, MotoState, Where};
use tests::proxy::{Call, Fault};

use super::executor::{
    add_a_rule_by_hand, detach_a_policy_by_hand, ok, plan_of, retag_subnet_by_hand, s, text, Env,
};

/// moto's account.
const ACCOUNT: &str = "123456789012";

type Seen = Arc<Mutex<Vec<(Call, Result<Vec<Request>, String>)>>>;

/// From now on, every call the proxy forwards is translated into its IAM requests against the
/// account as it is just before the call.
fn record_requests(env: &Env, region: &str) -> Seen {
    let state = MotoState::new(&env.moto.endpoint());
    let at = Where {
        region: region.to_owned(),
        account: ACCOUNT.to_owned(),
    };
    let seen: Seen = Arc::default();
    let into = Arc::clone(&seen);
    env.proxy.on_call(Some(Arc::new(move |call: &Call| {
        let r = requests(call, &state, &at);
        into.lock().unwrap().push((call.clone(), r));
    })));
    seen
}

/// The managed policies the executor's derived policy for `plan` takes, in moto's account.
fn derived(plan: &planner_core::Plan) -> Vec<Value> {
    let target = Target {
        partition: "aws".into(),
        account: ACCOUNT.into(),
    };
    policies(plan, &target)
        .iter()
        .map(|p| serde_json::to_value(p).unwrap())
        .collect()
}

/// Every call seen since the last check is allowed by `parts`; the number of calls, or the
/// first refusal.
fn check(seen: &Seen, parts: &[Value], phase: &str) -> Result<usize, String> {
    let calls = std::mem::take(&mut *seen.lock().unwrap());
    let refs: Vec<&Value> = parts.iter().collect();
    for (call, asked) in &calls {
        let asked = asked.as_ref().map_err(|e| {
            format!(
                "{phase}: cannot tell what {}:{} asks of IAM: {e}",
                call.service, call.action
            )
        })?;
        for r in asked {
            let decision = evaluate(&refs, r);
            if decision != Decision::Allowed {
                return Err(format!(
                    "{phase}: the derived policy refuses {} on {} ({decision:?}), asked by {}:{}\n  context: {:?}\n  call: {}",
                    r.action, r.resource, call.service, call.action, r.context, call.params
                ));
            }
        }
    }
    Ok(calls.len())
}

/// The lifecycle of preset `preset` with `set`, every call checked against its derived
/// policy.
fn lifecycle(preset: &str, set: &[(&str, &str)], by_hand: fn(&Env, &planner_core::Plan)) {
    let variant: Vec<String> = set.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let env = Env::new(&format!("least-privilege-{preset}-{}", variant.join(",")));
    let path = env.preset_plan(preset, set);
    let plan = plan_of(&path);
    let parts = derived(&plan);
    let seen = record_requests(&env, &plan.design.region);
    let p = s(&path);
    let mut checked = 0;
    let mut step = |phase: &str| match check(&seen, &parts, phase) {
        Ok(n) => checked += n,
        Err(e) => panic!("{preset} {set:?}: {e}"),
    };
    ok(&env.exec(&["run", p, "--yes"]));
    step("the first run");
    ok(&env.exec(&["run", p, "--yes"]));
    step("the re-run");
    // Whether it is in sync is other suites' concern (moto reads some ICMP entries back
    // differently): here, what diff calls.
    env.exec(&["diff", p]);
    step("diff");
    by_hand(&env, &plan);
    ok(&env.exec(&["run", p, "--yes"]));
    step("the repair");
    ok(&env.exec(&["destroy", p, "--yes"]));
    step("destroy");
    env.proxy.on_call(None);
    assert!(
        checked > 50,
        "{preset} {set:?}: only {checked} calls checked"
    );
    eprintln!(
        "{preset} {set:?}: {checked} calls checked against {} managed policies",
        parts.len()
    );
}

#[test]
fn titus_calls_are_all_allowed() {
    lifecycle("titus", &[("ipv6", "true")], retag_subnet_by_hand);
}

#[test]
fn titus_hardened_calls_are_all_allowed() {
    lifecycle("titus", &[("hardened", "true")], retag_subnet_by_hand);
}

#[test]
fn tinystacks_calls_are_all_allowed() {
    lifecycle("tinystacks", &[("bastion", "true")], add_a_rule_by_hand);
}

#[test]
fn tinystacks_hardened_calls_are_all_allowed() {
    let set = [
        ("hardened", "true"),
        ("bastion", "true"),
        ("endpoints", "s3,ecr"),
    ];
    lifecycle("tinystacks", &set, add_a_rule_by_hand);
}

#[test]
fn determined_calls_are_all_allowed() {
    lifecycle("determined", &[], detach_a_policy_by_hand);
}

#[test]
fn informatica_calls_are_all_allowed() {
    lifecycle("informatica", &[], retag_subnet_by_hand);
}

#[test]
fn informatica_hardened_calls_are_all_allowed() {
    lifecycle("informatica", &[("hardened", "true")], retag_subnet_by_hand);
}

/// The check can fail: the same policy without one grant (`ec2:CreateSubnet`) refuses the
/// first run, and the failure names the action and the resource.
#[test]
fn a_policy_missing_a_grant_is_caught_naming_the_call() {
    let env = Env::new("least-privilege-missing");
    let path = env.preset_plan("informatica", &[]);
    let plan = plan_of(&path);
    let mut parts = derived(&plan);
    for part in &mut parts {
        for st in part["Statement"].as_array_mut().unwrap() {
            if let Some(actions) = st["Action"].as_array_mut() {
                actions.retain(|a| a != "ec2:CreateSubnet");
            }
        }
    }
    let seen = record_requests(&env, &plan.design.region);
    ok(&env.exec(&["run", s(&path), "--yes"]));
    let err = check(&seen, &parts, "the first run").unwrap_err();
    env.proxy.on_call(None);
    assert!(
        err.contains(&format!(
            "refuses ec2:CreateSubnet on arn:aws:ec2:{}:{ACCOUNT}:",
            plan.design.region
        )),
        "{err}"
    );
}

/// A call AWS refuses (here the proxy answers as AWS does, for each protocol) ends the run
/// with a line that names the IAM action to grant.
#[test]
fn a_denied_call_names_its_action() {
    let env = Env::new("least-privilege-denied");
    let path = env.preset_plan("informatica", &[]);
    for (action, named) in [
        (
            "CreateSubnet",
            "ec2:CreateSubnet was denied: UnauthorizedOperation",
        ),
        ("CreateRole", "iam:CreateRole was denied: AccessDenied"),
        (
            "PutParameter",
            "ssm:PutParameter was denied: AccessDeniedException",
        ),
    ] {
        env.proxy.fail_action(action, 1, Fault::AccessDenied);
        let out = env.exec(&["run", s(&path), "--yes"]);
        let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert_ne!(out.status.code(), Some(0), "{all}");
        assert!(all.contains(named), "{action}: {all}");
        env.proxy.clear_faults();
    }
}
