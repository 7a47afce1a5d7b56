//! The VPC's own defaults applied to moto: DNS attributes, the default security group's rules
//! (removed) and the default network ACL's rules (removed, then restored by an explicit
//! `allow_all`), read back through the SDK independently of the executor; a re-run makes no
//! mutating call; changes by hand to the default group, the default ACL and the DNS
//! attributes are reported by `diff` and repaired by `run`; once the design no longer has the
//! plan manage the default group and ACL, `run` makes no call on them however they were
//! changed by hand; `destroy` leaves nothing tagged (the defaults go with the VPC).

use aws_sdk_ec2::types::{Filter, IpPermission, IpRange, RuleAction, VpcAttributeName};
use tests::account::{self, PLAN_TAG};

use super::convergence::assert_granted;
use super::executor::{
    assert_rerun_changes_nothing, ec2_blocking, fixture_plan, ok, s, snapshot, text, Env,
};

/// What the account says of the plan's VPC and its defaults, read without the executor.
#[derive(Debug, PartialEq, Eq)]
struct Defaults {
    dns_support: bool,
    dns_hostnames: bool,
    /// Every rule of the default group, ingress and egress.
    group_rules: usize,
    /// The default ACL's rules other than the final deny: `in|out number allow|deny cidr`.
    acl: Vec<String>,
}

async fn vpc_id(ec2: &aws_sdk_ec2::Client, plan_name: &str) -> String {
    let f = account::tag_filter(PLAN_TAG, plan_name);
    let out = ec2.describe_vpcs().filters(f).send().await.unwrap();
    assert_eq!(out.vpcs().len(), 1, "{out:?}");
    out.vpcs()[0].vpc_id().unwrap().to_owned()
}

fn by_vpc(vpc: &str) -> Filter {
    Filter::builder().name("vpc-id").values(vpc).build()
}

/// The default security group of `vpc`, read live.
async fn default_group(ec2: &aws_sdk_ec2::Client, vpc: &str) -> aws_sdk_ec2::types::SecurityGroup {
    let out = ec2
        .describe_security_groups()
        .filters(by_vpc(vpc))
        .filters(
            Filter::builder()
                .name("group-name")
                .values("default")
                .build(),
        )
        .send()
        .await
        .unwrap();
    out.security_groups()[0].clone()
}

fn read(env: &Env, plan_name: &str) -> Defaults {
    let name = plan_name.to_owned();
    ec2_blocking(env, async move |ec2| {
        let vpc = vpc_id(&ec2, &name).await;
        let attr = async |a: VpcAttributeName| {
            ec2.describe_vpc_attribute()
                .vpc_id(&vpc)
                .attribute(a)
                .send()
                .await
                .unwrap()
        };
        let support = attr(VpcAttributeName::EnableDnsSupport).await;
        let hostnames = attr(VpcAttributeName::EnableDnsHostnames).await;
        let group = default_group(&ec2, &vpc).await;
        let group_rules = group
            .ip_permissions()
            .iter()
            .chain(group.ip_permissions_egress())
            .map(|p| p.ip_ranges().len() + p.ipv6_ranges().len() + p.user_id_group_pairs().len())
            .sum();
        let acls = ec2
            .describe_network_acls()
            .filters(by_vpc(&vpc))
            .filters(Filter::builder().name("default").values("true").build())
            .send()
            .await
            .unwrap();
        let mut acl: Vec<String> = acls.network_acls()[0]
            .entries()
            .iter()
            .filter(|e| e.rule_number() != Some(32767))
            .map(|e| {
                format!(
                    "{} {} {} {}",
                    if e.egress() == Some(true) {
                        "out"
                    } else {
                        "in"
                    },
                    e.rule_number().unwrap(),
                    e.rule_action().unwrap().as_str(),
                    e.cidr_block().or(e.ipv6_cidr_block()).unwrap()
                )
            })
            .collect();
        acl.sort();
        Defaults {
            dns_support: support.enable_dns_support().unwrap().value().unwrap(),
            dns_hostnames: hostnames.enable_dns_hostnames().unwrap().value().unwrap(),
            group_rules,
            acl,
        }
    })
}

/// Adds back the rules AWS gives a default group, opens the default ACL to one range and
/// turns DNS support back on: what a console user might do by hand.
fn undo_by_hand(env: &Env, plan_name: &str) {
    let name = plan_name.to_owned();
    ec2_blocking(env, async move |ec2| {
        let vpc = vpc_id(&ec2, &name).await;
        let group = default_group(&ec2, &vpc).await;
        let everyone = IpPermission::builder()
            .ip_protocol("-1")
            .ip_ranges(IpRange::builder().cidr_ip("0.0.0.0/0").build())
            .build();
        ec2.authorize_security_group_egress()
            .group_id(group.group_id().unwrap())
            .ip_permissions(everyone)
            .send()
            .await
            .unwrap();
        let acls = ec2
            .describe_network_acls()
            .filters(by_vpc(&vpc))
            .filters(Filter::builder().name("default").values("true").build())
            .send()
            .await
            .unwrap();
        ec2.create_network_acl_entry()
            .network_acl_id(acls.network_acls()[0].network_acl_id().unwrap())
            .rule_number(50)
            .egress(false)
            .protocol("6")
            .rule_action(RuleAction::Allow)
            .cidr_block("10.0.0.0/8")
            .port_range(
                aws_sdk_ec2::types::PortRange::builder()
                    .from(22)
                    .to(22)
                    .build(),
            )
            .send()
            .await
            .unwrap();
        ec2.modify_vpc_attribute()
            .vpc_id(&vpc)
            .enable_dns_support(
                aws_sdk_ec2::types::AttributeBooleanValue::builder()
                    .value(true)
                    .build(),
            )
            .send()
            .await
            .unwrap();
    });
}

#[test]
fn vpc_defaults_lifecycle() {
    let env = Env::new("vpc-defaults");
    let locked = fixture_plan(&env, "vpc-defaults", "locked", |_| {});
    let name = "vpc-defaults";

    ok(&env.exec(&["run", s(&locked), "--yes", "--no-progress"]));
    assert_granted(&env, &locked, "the first run");
    let locked_down = Defaults {
        dns_support: false,
        dns_hostnames: false,
        group_rules: 0,
        acl: vec![],
    };
    assert_eq!(read(&env, name), locked_down);
    assert_rerun_changes_nothing(&env, &locked);

    undo_by_hand(&env, name);
    let diff = env.exec(&["diff", s(&locked)]);
    let said = text(&diff.stdout);
    assert_eq!(
        diff.status.code(),
        Some(1),
        "diff missed the changes by hand:\n{said}"
    );
    for what in [
        "default_security_group_rules",
        "default_network_acl",
        "enable_dns_support",
    ] {
        assert!(said.contains(what), "diff does not name {what}:\n{said}");
    }
    env.proxy.clear();
    ok(&env.exec(&["run", s(&locked), "--yes"]));
    assert_granted(&env, &locked, "the repair");
    assert_eq!(read(&env, name), locked_down, "run did not repair");
    assert_rerun_changes_nothing(&env, &locked);

    // AWS's rules asked for again, but no hostnames: the ACL's rules come back, for IPv6 too.
    let open = fixture_plan(&env, "vpc-defaults", "open", |d| {
        let vpc = d["vpc"].as_object_mut().unwrap();
        vpc.remove("dns_support");
        vpc.insert("default_network_acl".into(), "allow_all".into());
    });
    env.proxy.clear();
    ok(&env.exec(&["run", s(&open), "--yes"]));
    assert_granted(&env, &open, "turning the defaults back");
    assert_eq!(
        read(&env, name),
        Defaults {
            dns_support: true,
            dns_hostnames: false,
            group_rules: 0,
            acl: vec![
                "in 100 allow 0.0.0.0/0".into(),
                "in 101 allow ::/0".into(),
                "out 100 allow 0.0.0.0/0".into(),
                "out 101 allow ::/0".into(),
            ],
        }
    );
    assert_rerun_changes_nothing(&env, &open);

    let (default_group_id, default_acl_id) = ec2_blocking(&env, async |ec2| {
        let vpc = vpc_id(&ec2, name).await;
        let group = default_group(&ec2, &vpc).await;
        let acls = ec2
            .describe_network_acls()
            .filters(by_vpc(&vpc))
            .filters(Filter::builder().name("default").values("true").build())
            .send()
            .await
            .unwrap();
        (
            group.group_id().unwrap().to_owned(),
            acls.network_acls()[0].network_acl_id().unwrap().to_owned(),
        )
    });
    // A call on the default ACL names it, or finds it by the `default` filter; discovery's
    // describe of the ACLs carrying the plan's tag does neither.
    let on_defaults = |c: &tests::proxy::Call| {
        c.params.contains(&default_group_id)
            || (c.action.contains("NetworkAcl")
                && (c.params.contains(&default_acl_id) || c.params.contains("Name=default")))
    };

    // Neither the default group nor the default ACL managed any more: changed by hand, they
    // are left so, without a call on them (not even reading the default ACL), and diff is
    // clean.
    let unmanaged = fixture_plan(&env, "vpc-defaults", "unmanaged", |d| {
        let vpc = d["vpc"].as_object_mut().unwrap();
        vpc.remove("dns_support");
        vpc.remove("default_network_acl");
        vpc.remove("restrict_default_security_group");
    });
    undo_by_hand(&env, name);
    env.proxy.clear();
    let out = ok(&env.exec(&["run", s(&unmanaged), "--yes"])).clone();
    assert_granted(&env, &unmanaged, "leaving the defaults alone");
    let touched: Vec<String> = env
        .proxy
        .calls()
        .iter()
        .filter(|c| on_defaults(c))
        .map(|c| c.action.clone())
        .collect();
    assert!(
        touched.is_empty(),
        "run called on defaults it does not manage: {touched:?}\n{}",
        text(&out.stdout)
    );
    assert_eq!(
        read(&env, name),
        Defaults {
            dns_support: true,
            dns_hostnames: false,
            group_rules: 1,
            acl: vec![
                "in 100 allow 0.0.0.0/0".into(),
                "in 101 allow ::/0".into(),
                "in 50 allow 10.0.0.0/8".into(),
                "out 100 allow 0.0.0.0/0".into(),
                "out 101 allow ::/0".into(),
            ],
        },
        "the changes by hand are kept"
    );
    assert_rerun_changes_nothing(&env, &unmanaged);

    env.proxy.clear();
    ok(&env.exec(&["destroy", s(&open), "--yes"]));
    let touched: Vec<String> = env
        .proxy
        .mutating_calls()
        .iter()
        .filter(|c| c.action.contains("NetworkAcl") || on_defaults(c))
        .map(|c| c.action.clone())
        .collect();
    assert!(
        touched.is_empty(),
        "destroy touched the defaults, which go with the VPC: {touched:?}"
    );
    let left = snapshot(&env, name);
    assert!(left.is_empty(), "destroy left {left:#?}");
}
