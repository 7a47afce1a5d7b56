//! The plan's lock: two runs at once apply once, a lock left by a killed run is refused until
//! `--force-unlock`, and Ctrl-C releases it.

use std::process::{Child, Output, Stdio};
use std::time::{Duration, Instant};

use tests::account::{self, PLAN_TAG};

use tests::proxy::Fault;

use super::executor::{ok, plan_of, s, text, Env};

/// Longer than any of these runs takes; a run still going then is killed and the test fails.
const HANG_GUARD: Duration = Duration::from_secs(300);

/// Waits for `child` to end, killing it (and failing) after [`HANG_GUARD`].
fn finish(mut child: Child) -> Output {
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > HANG_GUARD {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "still running after {HANG_GUARD:?}, killed:\n{}{}",
                text(&out.stdout),
                text(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn spawn(env: &Env, args: &[&str]) -> Child {
    env.command(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// How many VPCs carry the plan's tag.
fn vpcs(env: &Env, plan_name: &str) -> usize {
    env.runtime().block_on(async {
        let ec2 = aws_sdk_ec2::Client::new(&env.config().await);
        let out = ec2
            .describe_vpcs()
            .filters(account::tag_filter(PLAN_TAG, plan_name))
            .send()
            .await
            .unwrap();
        out.vpcs().len()
    })
}

/// Every SSM parameter in the account that is not one of AWS's public ones: the executor's
/// lock, while one is held.
fn parameters(env: &Env) -> Vec<String> {
    env.runtime().block_on(async {
        let ssm = aws_sdk_ssm::Client::new(&env.config().await);
        let out = ssm.describe_parameters().send().await.unwrap();
        out.parameters()
            .iter()
            .filter_map(|p| p.name().map(str::to_owned))
            .filter(|n| !n.starts_with("/aws/"))
            .collect()
    })
}

/// Every call the executor made to SSM's parameters is one the plan's derived policy grants,
/// on the parameter it grants it on.
fn assert_ssm_calls_granted(env: &Env, plan: &planner_core::Plan) {
    use planner_core::analysis::executor_policy::{policy, Target};
    let target = Target {
        partition: "aws".into(),
        account: "123456789012".into(),
    };
    let doc = serde_json::to_value(policy(plan, &target)).unwrap();
    let strings = |v: &serde_json::Value| -> Vec<String> {
        match v {
            serde_json::Value::String(s) => vec![s.clone()],
            v => v
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_str().unwrap().to_owned())
                .collect(),
        }
    };
    let granted = |action: &str, arn: &str| {
        doc["Statement"].as_array().unwrap().iter().any(|s| {
            strings(&s["Action"]).iter().any(|a| a == action)
                && strings(&s["Resource"]).iter().any(|r| r == arn)
        })
    };
    let calls: Vec<_> = env
        .proxy
        .calls()
        .into_iter()
        .filter(|c| c.service == "ssm" && c.action.ends_with("Parameter"))
        .collect();
    assert!(!calls.is_empty(), "no SSM parameter call was made");
    for c in calls {
        let body: serde_json::Value = serde_json::from_str(&c.params).unwrap();
        let arn = format!(
            "arn:aws:ssm:{}:123456789012:parameter{}",
            plan.design.region,
            body["Name"].as_str().unwrap()
        );
        let action = format!("ssm:{}", c.action);
        assert!(granted(&action, &arn), "{action} on {arn} is not granted");
    }
}

/// The ARN the executor runs as, as STS tells it.
fn caller_arn(env: &Env) -> String {
    env.runtime().block_on(async {
        let sts = aws_sdk_sts::Client::new(&env.config().await);
        let me = sts.get_caller_identity().send().await.unwrap();
        me.arn().unwrap().to_owned()
    })
}

/// Starts `run`, kills it once it has made `k` EC2 mutating calls: it leaves its lock behind.
fn killed_run(env: &Env, plan: &str, k: usize) {
    env.proxy.clear();
    let mut child = env
        .command(&["run", plan, "--yes", "--concurrency", "1"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let ec2_mutating = || {
        env.proxy
            .mutating_calls()
            .iter()
            .filter(|c| c.service == "ec2")
            .count()
    };
    while ec2_mutating() < k && start.elapsed() < HANG_GUARD {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn two_runs_at_once_apply_once_and_the_other_names_the_holder() {
    let env = Env::new("lock-race");
    let path = env.preset_plan("informatica", &[]);
    let name = plan_of(&path).design.name;
    // Slow enough that the first run is still applying when the second asks for the lock.
    env.proxy.latency(Duration::from_millis(40));
    let args = ["run", s(&path), "--yes", "--no-progress"];
    let (a, b) = (spawn(&env, &args), spawn(&env, &args));
    let outs = [finish(a), finish(b)];
    env.proxy.latency(Duration::ZERO);
    let report: String = outs
        .iter()
        .map(|o| {
            format!(
                "exit {:?}\n{}{}\n",
                o.status.code(),
                text(&o.stdout),
                text(&o.stderr)
            )
        })
        .collect();
    assert_eq!(vpcs(&env, &name), 1, "two runs at once:\n{report}");
    let succeeded = outs.iter().filter(|o| o.status.success()).count();
    assert_eq!(succeeded, 1, "{report}");
    let loser = outs.iter().find(|o| !o.status.success()).unwrap();
    assert_eq!(loser.status.code(), Some(2), "{report}");
    let err = text(&loser.stderr);
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(
        err.contains(&caller_arn(&env)) && err.contains("--force-unlock"),
        "the message names the holder and how to force it: {err}"
    );
    assert!(parameters(&env).is_empty(), "the lock was not released");
    assert_ssm_calls_granted(&env, &plan_of(&path));
    let diff = env.exec(&["diff", s(&path)]);
    assert_eq!(diff.status.code(), Some(0), "{}", text(&diff.stdout));
}

#[test]
fn a_lock_left_by_a_killed_run_is_refused_until_force_unlock() {
    let env = Env::new("lock-stale");
    let path = env.preset_plan("informatica", &[]);
    let name = plan_of(&path).design.name;
    killed_run(&env, s(&path), 3);
    assert_eq!(parameters(&env).len(), 1, "the killed run holds no lock");

    for command in ["run", "destroy"] {
        env.proxy.clear();
        let out = env.exec(&[command, s(&path), "--yes"]);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{command}: {err}");
        assert_eq!(err.lines().count(), 1, "{command}: one line: {err}");
        assert!(
            err.contains(&caller_arn(&env))
                && err.contains("since")
                && err.contains("--force-unlock"),
            "{command}: the message names the holder, since when and how to force it: {err}"
        );
        let ec2: Vec<String> = env
            .proxy
            .mutating_calls()
            .iter()
            .filter(|c| c.service != "ssm")
            .map(|c| c.action.clone())
            .collect();
        assert!(ec2.is_empty(), "{command} changed the account: {ec2:?}");
    }

    env.proxy.clear();
    ok(&env.exec(&["run", s(&path), "--yes", "--force-unlock"]));
    assert!(parameters(&env).is_empty(), "the lock was not released");
    assert_ssm_calls_granted(&env, &plan_of(&path));
    assert_eq!(vpcs(&env, &name), 1);
    let diff = env.exec(&["diff", s(&path)]);
    assert_eq!(diff.status.code(), Some(0), "{}", text(&diff.stdout));
}

#[test]
fn ctrl_c_releases_the_lock() {
    interrupted_run_releases_the_lock("lock-interrupt", "-INT");
}

/// The terminal closing (SIGHUP, an SSH session dropped) stops the run as Ctrl-C does.
#[test]
fn a_hangup_releases_the_lock() {
    interrupted_run_releases_the_lock("lock-hangup", "-HUP");
}

/// Sends `signal` to a run once it has created the VPC: it stops with 130 and leaves no lock.
fn interrupted_run_releases_the_lock(name: &str, signal: &str) {
    let env = Env::new(name);
    let path = env.preset_plan("informatica", &[]);
    env.proxy.latency(Duration::from_millis(20));
    let child = spawn(&env, &["run", s(&path), "--yes", "--concurrency", "1"]);
    wait_for_action(&env, "CreateVpc");
    let interrupt = std::process::Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupt.success());
    let out = finish(child);
    env.proxy.latency(Duration::ZERO);
    assert_eq!(
        out.status.code(),
        Some(130),
        "{signal}: {}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(parameters(&env).is_empty(), "{signal} left the lock");
    ok(&env.exec(&["run", s(&path), "--yes"]));
    let diff = env.exec(&["diff", s(&path)]);
    assert_eq!(diff.status.code(), Some(0), "{}", text(&diff.stdout));
}

/// Waits (at most [`HANG_GUARD`]) until the executor has made an `action` call.
fn wait_for_action(env: &Env, action: &str) {
    let start = Instant::now();
    while !env.proxy.actions().iter().any(|(_, a)| a == action) && start.elapsed() < HANG_GUARD {
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// `--force-unlock` without the user's yes removes nothing; with it, it says whose lock it
/// removed.
#[test]
fn force_unlock_waits_for_the_yes_and_names_the_holder() {
    let env = Env::new("lock-force-ask");
    let path = env.preset_plan("informatica", &[]);
    killed_run(&env, s(&path), 3);
    assert_eq!(parameters(&env).len(), 1, "the killed run holds no lock");
    for command in ["run", "destroy"] {
        let out = env.exec(&[command, s(&path), "--force-unlock"]);
        assert_ne!(
            out.status.code(),
            Some(0),
            "{command} without --yes went on"
        );
        assert_eq!(
            parameters(&env).len(),
            1,
            "{command} --force-unlock removed the lock before the yes: {}",
            text(&out.stdout)
        );
    }
    let out = ok(&env.exec(&["run", s(&path), "--yes", "--force-unlock"])).clone();
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("removed the lock held by")
            && stdout.contains(&caller_arn(&env))
            && stdout.contains("since"),
        "{stdout}"
    );
    assert!(parameters(&env).is_empty(), "the lock was not released");
}

/// A lock forced open and taken by another run while this one applied is the other's: this
/// run leaves it, and says so.
#[test]
fn a_lock_taken_over_meanwhile_is_left_to_its_new_holder() {
    let env = Env::new("lock-taken-over");
    let path = env.preset_plan("informatica", &[]);
    let name = planner_core::ids::lock_parameter(&plan_of(&path).design.name);
    env.proxy.latency(Duration::from_millis(20));
    let child = spawn(&env, &["run", s(&path), "--yes", "--concurrency", "1"]);
    wait_for_action(&env, "CreateVpc");
    let theirs = serde_json::json!({
        "holder": "arn:aws:iam::123456789012:user/other (pid 1 on elsewhere)",
        "since": "2026-01-01T00:00:00Z",
        "plan": "informatica",
        "command": "run",
    })
    .to_string();
    env.runtime().block_on(async {
        let ssm = aws_sdk_ssm::Client::new(&env.config().await);
        ssm.put_parameter()
            .name(&name)
            .value(&theirs)
            .r#type(aws_sdk_ssm::types::ParameterType::String)
            .overwrite(true)
            .send()
            .await
            .unwrap();
    });
    let out = finish(child);
    env.proxy.latency(Duration::ZERO);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("taken over"), "{stdout}");
    let value = env.runtime().block_on(async {
        let ssm = aws_sdk_ssm::Client::new(&env.config().await);
        let got = ssm.get_parameter().name(&name).send().await;
        got.ok()
            .and_then(|o| o.parameter().and_then(|p| p.value().map(str::to_owned)))
    });
    assert_eq!(
        value.as_deref(),
        Some(theirs.as_str()),
        "the new holder's lock was deleted"
    );
}

/// An apply that fails and then cannot release its lock ends with one `failed` event, which
/// does not say the changes were made.
#[test]
fn a_failed_apply_whose_release_fails_reports_one_failure() {
    let env = Env::new("lock-release-fails");
    let path = env.preset_plan("informatica", &[]);
    env.proxy
        .fail_action("CreateSubnet", 1000, Fault::ServerError);
    env.proxy
        .fail_action("DeleteParameter", 1000, Fault::ServerError);
    let out = env.exec(&["run", s(&path), "--yes", "--output", "json"]);
    env.proxy.clear_faults();
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_ne!(out.status.code(), Some(0), "{stdout}");
    let failed = stdout
        .lines()
        .filter(|l| l.contains(r#""event":"failed""#))
        .count();
    assert_eq!(failed, 1, "{stdout}");
    assert!(
        !stdout.contains("the changes were made") && !stderr.contains("the changes were made"),
        "{stdout}{stderr}"
    );
}
