//! `--region` must be the region of the plan's zones: a plan for us-east-1 applied in
//! eu-west-1 would rewrite (and `destroy` would delete) the IAM roles the us-east-1 network
//! uses, since IAM is global.

use super::executor::{ok, s, text, Env};

#[test]
fn a_region_the_plans_zones_are_not_in_is_refused_before_any_call() {
    let env = Env::new("foreign-region");
    let path = env.preset_plan("informatica", &[]);
    // The plan applied where it belongs, so that destroy elsewhere would have something to
    // delete.
    ok(&env.exec(&["run", s(&path), "--yes", "--region", "us-east-1"]));
    for command in ["run", "destroy", "diff"] {
        env.proxy.clear();
        let out = env.exec(&[command, s(&path), "--yes", "--region", "eu-west-1"]);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{command}: {err}");
        assert_eq!(err.lines().count(), 1, "{command}: one line: {err}");
        assert!(
            err.contains("eu-west-1") && err.contains("us-east-1"),
            "{command}: the message names both regions: {err}"
        );
        let mutating = env.proxy.mutating_calls();
        assert!(
            mutating.is_empty(),
            "{command} --region eu-west-1 made mutating calls: {mutating:?}"
        );
    }
    let diff = env.exec(&["diff", s(&path)]);
    assert_eq!(diff.status.code(), Some(0), "{}", text(&diff.stdout));
}
