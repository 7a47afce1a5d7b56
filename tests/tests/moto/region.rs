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

/// The plan's IAM role names in `path`.
fn roles(path: &std::path::Path) -> Vec<String> {
    super::executor::plan_of(path)
        .design
        .iam
        .roles
        .iter()
        .map(|r| r.name.clone())
        .collect()
}

/// IAM is global: the same design planned for a second region meets the first region's roles.
/// `run` there refuses them (they are another region's) without a mutating call, `destroy`
/// there leaves them, and the first region's plan stays in sync. A role with the plan's tag
/// but no region tag (made before the tag existed) is the plan's, and `run` adds the tag.
#[test]
fn a_second_region_leaves_the_first_regions_iam_alone() {
    use tests::account::{self, REGION_TAG};

    let env = Env::new("second-region");
    let first = env.preset_plan("informatica", &[]);
    let mut design = planner_core::presets::build("informatica", &[]).unwrap();
    design.region = "eu-west-1".to_owned();
    let second_plan = planner_core::plan(&design, None).unwrap().plan;
    assert!(
        second_plan
            .allocation
            .subnets
            .iter()
            .all(|s| s.availability_zone.starts_with("eu-west-1")),
        "the second plan's zones are in eu-west-1"
    );
    let second = env.dir.join("informatica-eu.plan.json");
    std::fs::write(&second, second_plan.to_json()).unwrap();
    ok(&env.exec(&["run", s(&first), "--yes"]));
    let iam_tagged = || {
        env.runtime().block_on(async {
            let iam = aws_sdk_iam::Client::new(&env.config().await);
            account::iam_tagged(&iam, "informatica").await
        })
    };
    let made = iam_tagged();
    let role = roles(&first)[0].clone();

    env.proxy.clear();
    let out = env.exec(&["run", s(&second), "--yes"]);
    let err = text(&out.stderr);
    assert!(
        !out.status.success(),
        "run in eu-west-1 adopted us-east-1's IAM: {err}"
    );
    assert!(
        err.contains(&format!("role {role} already exists")) && err.contains("us-east-1"),
        "{err}"
    );
    let mutating = env.proxy.mutating_calls();
    assert!(mutating.is_empty(), "mutating calls: {mutating:?}");

    let out = env.exec(&["destroy", s(&second), "--yes"]);
    ok(&out);
    assert_eq!(
        iam_tagged(),
        made,
        "destroy in eu-west-1 deleted us-east-1's IAM"
    );
    let diff = env.exec(&["diff", s(&first)]);
    assert_eq!(diff.status.code(), Some(0), "{}", text(&diff.stdout));

    // A role from before the region tag: the plan's, and tagged by the next run.
    env.runtime().block_on(async {
        let iam = aws_sdk_iam::Client::new(&env.config().await);
        iam.untag_role()
            .role_name(&role)
            .tag_keys(REGION_TAG)
            .send()
            .await
            .unwrap();
    });
    let diff = env.exec(&["diff", s(&first)]);
    assert_eq!(diff.status.code(), Some(1), "{}", text(&diff.stdout));
    assert!(
        text(&diff.stdout).contains(REGION_TAG),
        "{}",
        text(&diff.stdout)
    );
    ok(&env.exec(&["run", s(&first), "--yes"]));
    let diff = env.exec(&["diff", s(&first)]);
    assert_eq!(diff.status.code(), Some(0), "{}", text(&diff.stdout));
}
