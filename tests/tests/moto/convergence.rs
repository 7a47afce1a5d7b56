//! The executor converges on a design that changed: what an earlier version of the plan made
//! and the new one no longer has (a NAT gateway, a role, IPv6) is gone after `run` and after
//! `destroy`; a tier that takes over another's addresses is applied; what AWS cannot change in
//! place is refused before any mutating call; a namesake that is not the plan's is reported
//! and left alone; a resource in another VPC or carrying a plan id twice is a difference.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use planner_core::{Design, NatStrategy};
use tests::account::{self, ID_TAG, PLAN_TAG};

use super::executor::{assert_destroy_order, ec2_blocking, ok, plan_of, s, snapshot, text, Env};

/// Plans `design` into `<name>.plan.json` in the test's folder.
fn plan_file(env: &Env, name: &str, design: &Design) -> PathBuf {
    let plan = planner_core::plan(design, None).unwrap().plan;
    let path = env.dir.join(format!("{name}.plan.json"));
    std::fs::write(&path, plan.to_json()).unwrap();
    path
}

fn preset(name: &str, set: &[(&str, &str)]) -> Design {
    planner_core::presets::build(name, set).unwrap()
}

/// Every IAM role, policy and profile carrying the plan's tag.
fn iam_tagged(env: &Env, plan_name: &str) -> BTreeSet<String> {
    env.runtime().block_on(async {
        let iam = aws_sdk_iam::Client::new(&env.config().await);
        account::iam_tagged(&iam, plan_name).await
    })
}

/// The IAM names `path`'s plan has, as [`iam_tagged`] spells them.
fn iam_planned(path: &Path) -> BTreeSet<String> {
    plan_of(path)
        .resources
        .iter()
        .filter_map(|r| match &r.kind {
            planner_core::ResourceKind::IamRole(x) => Some(format!("role {}", x.name)),
            planner_core::ResourceKind::IamPolicy(x) => Some(format!("policy {}", x.name)),
            planner_core::ResourceKind::IamInstanceProfile(x) => {
                Some(format!("instance_profile {}", x.name))
            }
            _ => None,
        })
        .collect()
}

/// Live EC2 resources (by plan id, as [`snapshot`] finds them) that `path`'s plan does not
/// have; an auto-scaling group's instance counts as its plan's while the plan has groups.
fn not_in_plan(env: &Env, path: &Path) -> Vec<String> {
    let plan = plan_of(path);
    let ids: BTreeSet<&str> = plan.resources.iter().map(|r| r.id.as_str()).collect();
    let groups = plan
        .resources
        .iter()
        .any(|r| r.kind.type_name() == "autoscaling_group");
    snapshot(env, &plan.design.name)
        .into_keys()
        .filter(|id| !ids.contains(id.as_str()))
        .filter(|id| !(groups && id.starts_with("group instance")))
        .collect()
}

fn ipv6(env: &Env, plan_name: &str) -> Vec<String> {
    ec2_blocking(env, async |ec2| {
        account::ipv6_snapshot(&ec2, plan_name).await
    })
}

/// Nothing of the plan is left: no EC2 resource, IPv6 block or IAM entity carrying its tag.
fn assert_nothing_left(env: &Env, plan_name: &str, after: &str) {
    let live = snapshot(env, plan_name);
    assert!(live.is_empty(), "{after} left: {live:#?}");
    let v6 = ipv6(env, plan_name);
    assert!(v6.is_empty(), "{after} left: {v6:#?}");
    let iam = iam_tagged(env, plan_name);
    assert!(iam.is_empty(), "{after} left: {iam:#?}");
}

/// Every call recorded since the last clear is an action `path`'s derived policy grants
/// (actions only: moto does not check conditions), so the plan's own least-privilege policy
/// lets `run` and `destroy` remove what an earlier version made.
pub(super) fn assert_granted(env: &Env, path: &Path, what: &str) {
    use planner_core::analysis::executor_policy::{policy, Target};
    let doc = serde_json::to_value(policy(&plan_of(path), &Target::default())).unwrap();
    let granted: BTreeSet<String> = doc["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["Action"].as_array().unwrap().clone())
        .map(|a| a.as_str().unwrap().to_owned())
        .collect();
    let missing: BTreeSet<String> = env
        .proxy
        .calls()
        .iter()
        .map(|c| format!("{}:{}", c.service, c.action))
        .filter(|a| !granted.contains(a))
        .collect();
    assert!(
        missing.is_empty(),
        "{what} called what the policy does not grant: {missing:?}"
    );
}

/// Applies `before`, then `after` (which drops something): nothing of what `after` does not
/// have is left, and `diff` is clean. Then `destroy` with `after` leaves nothing. And from a
/// fresh apply of `before`, `destroy` with `after` straight away leaves nothing either.
fn converges_and_destroys(env: &Env, before: &Path, after: &Path, check: impl Fn(&Env)) {
    let name = plan_of(after).design.name;
    ok(&env.exec(&["run", s(before), "--yes"]));
    env.proxy.clear();
    let out = ok(&env.exec(&["run", s(after), "--yes"])).clone();
    assert_granted(env, after, "run");
    assert_eq!(
        not_in_plan(env, after),
        Vec::<String>::new(),
        "run left resources the plan no longer has:\n{}",
        text(&out.stdout)
    );
    assert_eq!(iam_tagged(env, &name), iam_planned(after), "IAM after run");
    check(env);
    let diff = env.exec(&["diff", s(after)]);
    assert_eq!(diff.status.code(), Some(0), "{}", text(&diff.stdout));
    env.proxy.clear();
    ok(&env.exec(&["destroy", s(after), "--yes"]));
    assert_destroy_order(&env.proxy.calls());
    assert_nothing_left(env, &name, "destroy after run");

    ok(&env.exec(&["run", s(before), "--yes"]));
    env.proxy.clear();
    ok(&env.exec(&["destroy", s(after), "--yes"]));
    assert_destroy_order(&env.proxy.calls());
    assert_granted(env, after, "destroy");
    assert_nothing_left(env, &name, "destroy with the newer plan");
}

#[test]
fn a_removed_nat_leaves_nothing_after_run_or_destroy() {
    let env = Env::new("removed-nat");
    let before = preset("informatica", &[]);
    let mut design = before.clone();
    design.nat = NatStrategy::None;
    let (before, after) = (
        plan_file(&env, "with-nat", &before),
        plan_file(&env, "without-nat", &design),
    );
    converges_and_destroys(&env, &before, &after, |env| {
        let live = snapshot(env, "informatica");
        assert!(
            !live
                .values()
                .any(|v| v == "nat_gateway" || v == "elastic_ip"),
            "{live:#?}"
        );
    });
}

#[test]
fn a_removed_role_leaves_nothing_after_run_or_destroy() {
    let env = Env::new("removed-role");
    let before = preset("informatica", &[]);
    let installer = before.iam.roles[0].name.clone();
    assert_eq!(before.iam.roles.len(), 2, "the preset has two roles");
    // One name for both roles: the worker node's role and profile leave the plan.
    let after = preset("informatica", &[("worker_node_role", installer.as_str())]);
    let (before, after) = (
        plan_file(&env, "two-roles", &before),
        plan_file(&env, "one-role", &after),
    );
    converges_and_destroys(&env, &before, &after, |_| {});
}

#[test]
fn turning_ipv6_off_leaves_nothing_after_run_or_destroy() {
    let env = Env::new("ipv6-off");
    let before = plan_file(&env, "ipv6", &preset("titus", &[("ipv6", "true")]));
    let after = plan_file(&env, "ipv4", &preset("titus", &[("ipv6", "false")]));
    ok(&env.exec(&["run", s(&before), "--yes"]));
    assert!(
        !ipv6(&env, "titus").is_empty(),
        "the IPv6 plan made no IPv6"
    );
    converges_and_destroys(&env, &before, &after, |env| {
        let v6 = ipv6(env, "titus");
        assert!(v6.is_empty(), "run left IPv6: {v6:#?}");
    });
}

/// Turning IPv6 on for an applied plan gives the VPC its block and every subnet its /64 in
/// one run.
#[test]
fn turning_ipv6_on_converges_in_one_run() {
    let env = Env::new("ipv6-on");
    let before = plan_file(&env, "ipv4", &preset("titus", &[("ipv6", "false")]));
    let after = plan_file(&env, "ipv6", &preset("titus", &[("ipv6", "true")]));
    ok(&env.exec(&["run", s(&before), "--yes"]));
    ok(&env.exec(&["run", s(&after), "--yes"]));
    let diff = env.exec(&["diff", s(&after)]);
    assert_eq!(diff.status.code(), Some(0), "{}", text(&diff.stdout));
    let v6 = ipv6(&env, "titus");
    assert!(v6.iter().any(|l| l.starts_with("vpc block")), "{v6:#?}");
    let subnets = plan_of(&after)
        .resources
        .iter()
        .filter(|r| r.kind.type_name() == "subnet")
        .count();
    let blocks = v6
        .iter()
        .filter(|l| l.starts_with("subnet.") && l.contains(" block "))
        .count();
    assert_eq!(blocks, subnets, "{v6:#?}");
}

/// TinyStacks without NAT turns the `private` tier into an `isolated` one on the same
/// addresses: the old subnets must go before the new ones can be made.
#[test]
fn a_tier_taking_over_anothers_addresses_converges() {
    let env = Env::new("private-to-isolated");
    let before = plan_file(&env, "nat", &preset("tinystacks", &[("nat", "instance")]));
    let after = plan_file(&env, "no-nat", &preset("tinystacks", &[("nat", "none")]));
    ok(&env.exec(&["run", s(&before), "--yes"]));
    let out = env.exec(&["run", s(&after), "--yes"]);
    ok(&out);
    assert_eq!(not_in_plan(&env, &after), Vec::<String>::new());
    let diff = env.exec(&["diff", s(&after)]);
    assert_eq!(diff.status.code(), Some(0), "{}", text(&diff.stdout));
    ok(&env.exec(&["destroy", s(&after), "--yes"]));
    assert_nothing_left(&env, "tinystacks", "destroy");
}

/// A new VPC block (and with it every subnet's) cannot be applied in place: `run` says so
/// before its first mutating call, although other changes (a new role) could be made.
#[test]
fn a_cidr_change_is_refused_before_any_mutating_call() {
    let env = Env::new("cidr-change");
    let before = plan_file(&env, "first", &preset("informatica", &[]));
    ok(&env.exec(&["run", s(&before), "--yes"]));
    let changed = preset(
        "informatica",
        &[
            ("vpc_cidr", "10.1.0.0/16"),
            ("worker_node_role", "another-worker"),
        ],
    );
    let after = plan_file(&env, "moved", &changed);
    let first = snapshot(&env, "informatica");
    env.proxy.clear();
    let out = env.exec(&["run", s(&after), "--yes"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let mutating: Vec<String> = env
        .proxy
        .mutating_calls()
        .iter()
        .map(|c| c.action.clone())
        .collect();
    assert!(mutating.is_empty(), "mutating calls: {mutating:?}");
    let err = text(&out.stderr);
    assert!(
        err.contains("vpc.main: cidr_block is 10.0.0.0/16 (plan: 10.1.0.0/16)")
            && err.contains("destroy"),
        "{err}"
    );
    assert_eq!(snapshot(&env, "informatica"), first);
}

/// Sets `tags` on the EC2 resource `aws_id`, or with `remove` takes their keys off.
fn tag(env: &Env, aws_id: &str, tags: &[(&str, &str)], remove: bool) {
    let (aws_id, tags): (String, Vec<aws_sdk_ec2::types::Tag>) = (
        aws_id.to_owned(),
        tags.iter()
            .map(|(k, v)| aws_sdk_ec2::types::Tag::builder().key(*k).value(*v).build())
            .collect(),
    );
    ec2_blocking(env, async move |ec2| {
        if remove {
            let keys: Vec<aws_sdk_ec2::types::Tag> = tags
                .iter()
                .map(|t| {
                    aws_sdk_ec2::types::Tag::builder()
                        .key(t.key().unwrap())
                        .build()
                })
                .collect();
            ec2.delete_tags()
                .resources(aws_id)
                .set_tags(Some(keys))
                .send()
                .await
                .unwrap();
        } else {
            ec2.create_tags()
                .resources(aws_id)
                .set_tags(Some(tags))
                .send()
                .await
                .unwrap();
        }
    });
}

/// A role of the plan whose plan tag was taken off by hand is someone else's: `destroy`
/// deletes everything else, says the role is not its own, and leaves it.
#[test]
fn destroy_leaves_an_unowned_namesake_and_deletes_the_rest() {
    let env = Env::new("namesake");
    let path = plan_file(&env, "plan", &preset("informatica", &[]));
    let role = plan_of(&path).design.iam.roles[1].name.clone();
    ok(&env.exec(&["run", s(&path), "--yes"]));
    env.runtime().block_on(async {
        let iam = aws_sdk_iam::Client::new(&env.config().await);
        iam.untag_role()
            .role_name(&role)
            .tag_keys(PLAN_TAG)
            .send()
            .await
            .unwrap();
    });
    let attached = || attached_policies(&env, &role);
    let before = attached();
    assert!(
        !before.is_empty(),
        "the namesake holds none of the plan's policies"
    );
    let out = env.exec(&["destroy", s(&path), "--yes"]);
    ok(&out);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(&format!(
            "role {role} already exists and is not this plan's"
        )),
        "{stdout}"
    );
    assert!(snapshot(&env, "informatica").is_empty(), "destroy left EC2");
    // The plan's policies the namesake holds stay, reported; nothing else of the plan's does.
    let held: BTreeSet<String> = before
        .iter()
        .map(|arn| format!("policy {}", arn.rsplit('/').next().unwrap()))
        .collect();
    assert_eq!(iam_tagged(&env, "informatica"), held, "destroy left IAM");
    for policy in &held {
        let name = policy.trim_start_matches("policy ");
        assert!(
            stdout.contains("left in place") && stdout.contains(name),
            "{policy} kept without a word: {stdout}"
        );
    }
    assert_eq!(
        attached(),
        before,
        "destroy detached the namesake's policies"
    );
    let still_there = env.runtime().block_on(async {
        let iam = aws_sdk_iam::Client::new(&env.config().await);
        iam.get_role().role_name(&role).send().await.is_ok()
    });
    assert!(still_there, "destroy deleted the role that is not its own");
}

/// The ARNs of the managed policies attached to `role`.
fn attached_policies(env: &Env, role: &str) -> BTreeSet<String> {
    env.runtime().block_on(async {
        let iam = aws_sdk_iam::Client::new(&env.config().await);
        let out = iam
            .list_attached_role_policies()
            .role_name(role)
            .send()
            .await
            .unwrap();
        out.attached_policies()
            .iter()
            .filter_map(|p| p.policy_arn().map(str::to_owned))
            .collect()
    })
}

/// The plan's subnet and route table moved by hand (their tags put on twins in another VPC)
/// are differences: where a resource lives is compared, not only what it says.
#[test]
fn subnets_and_route_tables_in_another_vpc_are_drift() {
    let env = Env::new("other-vpc");
    let path = plan_file(&env, "plan", &preset("informatica", &[]));
    let plan = plan_of(&path);
    ok(&env.exec(&["run", s(&path), "--yes"]));
    let (subnet_id, subnet_cidr, zone) = plan
        .resources
        .iter()
        .find_map(|r| match &r.kind {
            planner_core::ResourceKind::Subnet {
                cidr_block,
                availability_zone,
                ..
            } => Some((
                r.id.clone(),
                cidr_block.to_string(),
                availability_zone.clone(),
            )),
            _ => None,
        })
        .unwrap();
    let vpc_cidr = plan
        .resources
        .iter()
        .find_map(|r| match &r.kind {
            planner_core::ResourceKind::Vpc { cidr_block, .. } => Some(cidr_block.to_string()),
            _ => None,
        })
        .unwrap();
    let table_id = plan
        .resources
        .iter()
        .find(|r| r.kind.type_name() == "route_table")
        .unwrap()
        .id
        .clone();
    // The originals, and twins in a second VPC with the same block.
    let found = ec2_blocking(&env, async |ec2| {
        let by_id = |id: &str| {
            vec![
                account::tag_filter(PLAN_TAG, "informatica"),
                account::tag_filter(ID_TAG, id),
            ]
        };
        let subnet = ec2
            .describe_subnets()
            .set_filters(Some(by_id(&subnet_id)))
            .send()
            .await
            .unwrap();
        let table = ec2
            .describe_route_tables()
            .set_filters(Some(by_id(&table_id)))
            .send()
            .await
            .unwrap();
        let vpc = ec2.create_vpc().cidr_block(&vpc_cidr).send().await.unwrap();
        let vpc = vpc.vpc().unwrap().vpc_id().unwrap().to_owned();
        let twin = ec2
            .create_subnet()
            .vpc_id(&vpc)
            .cidr_block(&subnet_cidr)
            .availability_zone(&zone)
            .send()
            .await
            .unwrap();
        let twin_table = ec2.create_route_table().vpc_id(&vpc).send().await.unwrap();
        BTreeMap::from([
            (
                "subnet",
                subnet.subnets()[0].subnet_id().unwrap().to_owned(),
            ),
            (
                "table",
                table.route_tables()[0].route_table_id().unwrap().to_owned(),
            ),
            (
                "twin",
                twin.subnet().unwrap().subnet_id().unwrap().to_owned(),
            ),
            (
                "twin_table",
                twin_table
                    .route_table()
                    .unwrap()
                    .route_table_id()
                    .unwrap()
                    .to_owned(),
            ),
        ])
    });
    let ours = [("vpc-planner:plan", "informatica")];
    tag(&env, &found["subnet"], &ours, true);
    tag(&env, &found["table"], &ours, true);
    let subnet_tags = [(PLAN_TAG, "informatica"), (ID_TAG, subnet_id.as_str())];
    let table_tags = [(PLAN_TAG, "informatica"), (ID_TAG, table_id.as_str())];
    tag(&env, &found["twin"], &subnet_tags, false);
    tag(&env, &found["twin_table"], &table_tags, false);
    let diff = env.exec(&["diff", s(&path)]);
    let stdout = text(&diff.stdout);
    assert_eq!(diff.status.code(), Some(1), "{stdout}");
    for id in [&subnet_id, &table_id] {
        assert!(
            stdout.contains(&format!("~ {id}: vpc is vpc-")),
            "{id}:\n{stdout}"
        );
    }
}

/// A second internet gateway carrying the plan's id (as two runs at once leave) is a
/// difference `diff` reports with both AWS ids; `run` refuses to pick one; `destroy` deletes
/// both.
#[test]
fn diff_reports_a_plan_id_carried_twice() {
    let env = Env::new("duplicate");
    let path = plan_file(&env, "plan", &preset("informatica", &[]));
    ok(&env.exec(&["run", s(&path), "--yes"]));
    let igw = plan_of(&path)
        .resources
        .iter()
        .find(|r| r.kind.type_name() == "internet_gateway")
        .unwrap()
        .id
        .clone();
    let twin = ec2_blocking(&env, async |ec2| {
        let g = ec2.create_internet_gateway().send().await.unwrap();
        g.internet_gateway()
            .unwrap()
            .internet_gateway_id()
            .unwrap()
            .to_owned()
    });
    tag(
        &env,
        &twin,
        &[(PLAN_TAG, "informatica"), (ID_TAG, igw.as_str())],
        false,
    );
    let diff = env.exec(&["diff", s(&path)]);
    let stdout = text(&diff.stdout);
    assert_eq!(diff.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(&format!("~ {igw}: copies is 2 (")) && stdout.contains(&twin),
        "{stdout}"
    );
    env.proxy.clear();
    let run = env.exec(&["run", s(&path), "--yes"]);
    assert_eq!(run.status.code(), Some(2), "{}", text(&run.stderr));
    assert!(env.proxy.mutating_calls().is_empty());
    ok(&env.exec(&["destroy", s(&path), "--yes"]));
    let left = ec2_blocking(&env, async |ec2| {
        ec2.describe_internet_gateways()
            .filters(account::tag_filter(PLAN_TAG, "informatica"))
            .send()
            .await
            .unwrap()
            .internet_gateways()
            .len()
    });
    assert_eq!(left, 0, "destroy left a copy");
}

/// A plan role put by hand into an instance profile outside the plan is left in place by
/// `destroy` (reported), and that profile keeps it; the rest of the plan goes.
#[test]
fn destroy_leaves_a_role_held_by_a_foreign_instance_profile() {
    let env = Env::new("foreign-profile");
    let path = plan_file(&env, "plan", &preset("informatica", &[]));
    let role = plan_of(&path).design.iam.roles[0].name.clone();
    ok(&env.exec(&["run", s(&path), "--yes"]));
    let roles_of_profile = || {
        env.runtime().block_on(async {
            let iam = aws_sdk_iam::Client::new(&env.config().await);
            let out = iam
                .get_instance_profile()
                .instance_profile_name("hand-made")
                .send()
                .await
                .unwrap();
            out.instance_profile()
                .unwrap()
                .roles()
                .iter()
                .map(|r| r.role_name().to_owned())
                .collect::<Vec<_>>()
        })
    };
    env.runtime().block_on(async {
        let iam = aws_sdk_iam::Client::new(&env.config().await);
        iam.create_instance_profile()
            .instance_profile_name("hand-made")
            .send()
            .await
            .unwrap();
        iam.add_role_to_instance_profile()
            .instance_profile_name("hand-made")
            .role_name(&role)
            .send()
            .await
            .unwrap();
    });
    let out = env.exec(&["destroy", s(&path), "--yes"]);
    ok(&out);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("left in place") && stdout.contains("hand-made"),
        "{stdout}"
    );
    assert_eq!(
        roles_of_profile(),
        vec![role.clone()],
        "the profile lost its role"
    );
    assert_eq!(
        iam_tagged(&env, "informatica"),
        BTreeSet::from([format!("role {role}")]),
        "destroy left other IAM or deleted the held role"
    );
    assert!(snapshot(&env, "informatica").is_empty(), "destroy left EC2");
}

/// The secondary IPv4 blocks associated with the plan's VPC, and the VPC's tags.
fn vpc_blocks(env: &Env, plan_name: &str) -> (BTreeSet<String>, BTreeMap<String, String>) {
    let plan_name = plan_name.to_owned();
    ec2_blocking(env, async move |ec2| {
        let out = ec2
            .describe_vpcs()
            .filters(account::tag_filter(PLAN_TAG, plan_name))
            .send()
            .await
            .unwrap();
        let vpc = &out.vpcs()[0];
        let blocks = vpc
            .cidr_block_association_set()
            .iter()
            .filter(|a| {
                a.cidr_block_state()
                    .and_then(|s| s.state())
                    .is_some_and(|s| s.as_str() == "associated")
            })
            .filter_map(|a| a.cidr_block().map(str::to_owned))
            .filter(|b| Some(b.as_str()) != vpc.cidr_block())
            .collect();
        (blocks, account::tag_map(vpc.tags()))
    })
}

/// A secondary block added by hand to the plan's VPC is not the plan's: `run` leaves it, also
/// while deleting a block the design dropped, and `diff` does not count it. A block the plan
/// has whose record on the VPC is missing (associated before the record existed) is drift
/// that `run` repairs.
#[test]
fn a_secondary_block_added_by_hand_is_left_alone() {
    let env = Env::new("hand-block");
    let text_of = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/designs/secondary-cidr.json"),
    )
    .unwrap();
    let design = planner_core::parse_design(&text_of).unwrap();
    let first = planner_core::plan(&design, None).unwrap().plan;
    let mut grown = design.clone();
    let vpc = grown.vpc.as_mut().unwrap();
    vpc.secondary_cidrs.push("10.21.0.0/24".parse().unwrap());
    let grown = planner_core::plan(&grown, Some(&first.allocation))
        .unwrap()
        .plan;
    let (path, grown_path) = (
        env.dir.join("first.plan.json"),
        env.dir.join("grown.plan.json"),
    );
    std::fs::write(&path, first.to_json()).unwrap();
    std::fs::write(&grown_path, grown.to_json()).unwrap();
    let name = first.design.name.clone();

    ok(&env.exec(&["run", s(&path), "--yes"]));
    let vpc_id = ec2_blocking(&env, async |ec2| {
        let out = ec2
            .describe_vpcs()
            .filters(account::tag_filter(PLAN_TAG, name.clone()))
            .send()
            .await
            .unwrap();
        let id = out.vpcs()[0].vpc_id().unwrap().to_owned();
        ec2.associate_vpc_cidr_block()
            .vpc_id(&id)
            .cidr_block("10.30.0.0/24")
            .send()
            .await
            .unwrap();
        id
    });
    let diff = env.exec(&["diff", s(&path)]);
    assert_eq!(diff.status.code(), Some(0), "{}", text(&diff.stdout));

    ok(&env.exec(&["run", s(&grown_path), "--yes"]));
    let (blocks, tags) = vpc_blocks(&env, &name);
    let all = |b: &[&str]| b.iter().map(|s| (*s).to_owned()).collect::<BTreeSet<_>>();
    assert_eq!(
        blocks,
        all(&["100.64.0.0/22", "10.21.0.0/24", "10.30.0.0/24"])
    );
    assert!(
        tags.contains_key("vpc-planner:block:10.21.0.0/24"),
        "{tags:#?}"
    );
    assert!(
        !tags.contains_key("vpc-planner:block:10.30.0.0/24"),
        "{tags:#?}"
    );

    env.proxy.clear();
    ok(&env.exec(&["run", s(&path), "--yes"]));
    let disassociated: Vec<_> = env
        .proxy
        .mutating_calls()
        .into_iter()
        .filter(|c| c.action == "DisassociateVpcCidrBlock")
        .collect();
    assert_eq!(disassociated.len(), 1, "{disassociated:?}");
    let (blocks, tags) = vpc_blocks(&env, &name);
    assert_eq!(
        blocks,
        all(&["100.64.0.0/22", "10.30.0.0/24"]),
        "run took the hand-added block"
    );
    assert!(
        !tags.contains_key("vpc-planner:block:10.21.0.0/24"),
        "{tags:#?}"
    );

    // The plan's own block without its record on the VPC.
    tag(
        &env,
        &vpc_id,
        &[("vpc-planner:block:100.64.0.0/22", "")],
        true,
    );
    let diff = env.exec(&["diff", s(&path)]);
    assert_eq!(diff.status.code(), Some(1), "{}", text(&diff.stdout));
    ok(&env.exec(&["run", s(&path), "--yes"]));
    let diff = env.exec(&["diff", s(&path)]);
    assert_eq!(diff.status.code(), Some(0), "{}", text(&diff.stdout));
    assert!(vpc_blocks(&env, &name)
        .1
        .contains_key("vpc-planner:block:100.64.0.0/22"));

    ok(&env.exec(&["destroy", s(&path), "--yes"]));
    assert!(snapshot(&env, &name).is_empty(), "destroy left EC2");
}
