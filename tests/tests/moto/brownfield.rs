//! An existing VPC brought under a plan: the test builds, through the SDK and without
//! ownership tags, what the console's "VPC and more" wizard makes (two public and two private
//! subnets in two zones, an internet gateway, one NAT gateway, a public route table and one
//! private table per zone), three security groups that refer to each other, a role with an
//! instance profile, a second role nobody names, and a second, unrelated VPC. Then:
//! `import` (no mutating call; every subnet planned at its live block and zone), `adopt`,
//! a `run` that makes no mutating call and a `diff` in sync, a tier and a zone added (only
//! their subnets, tables, routes and associations are created), and `destroy`, which removes
//! exactly what the plan adopted or created. And what is refused with one line, exit 2 and
//! no mutating call: a VPC or role that does not exist, a plan whose imports name a subnet of
//! another VPC, a plan without imports, an adopt with no terminal and no `--yes`.

use std::collections::BTreeMap;

use aws_sdk_ec2::types::{
    AttributeBooleanValue, DomainType, Filter, IpPermission, IpRange, ResourceType, Tag,
    TagSpecification, UserIdGroupPair,
};
use tests::account;

use super::executor::{ec2_blocking, ok, plan_of, s, snapshot, text, Env};

fn named(kind: ResourceType, name: &str) -> TagSpecification {
    TagSpecification::builder()
        .resource_type(kind)
        .tags(Tag::builder().key("Name").value(name).build())
        .build()
}

/// The live ids the test built.
#[derive(Debug, Default)]
struct Built {
    vpc: String,
    subnets: BTreeMap<String, (String, String)>,
    other_vpc: String,
}

/// Builds both VPCs and the IAM roles, as a console user would.
fn build(env: &Env) -> Built {
    ec2_blocking(env, async |ec2| {
        let mut built = Built::default();
        let vpc = ec2
            .create_vpc()
            .cidr_block("10.0.0.0/16")
            .tag_specifications(named(ResourceType::Vpc, "project-vpc"))
            .send()
            .await
            .unwrap();
        let vpc = vpc.vpc().unwrap().vpc_id().unwrap().to_owned();
        ec2.modify_vpc_attribute()
            .vpc_id(&vpc)
            .enable_dns_hostnames(AttributeBooleanValue::builder().value(true).build())
            .send()
            .await
            .unwrap();
        let mut subnet = async |cidr: &str, az: &str, name: &str| {
            let out = ec2
                .create_subnet()
                .vpc_id(&vpc)
                .cidr_block(cidr)
                .availability_zone(az)
                .tag_specifications(named(ResourceType::Subnet, name))
                .send()
                .await
                .unwrap();
            let id = out.subnet().unwrap().subnet_id().unwrap().to_owned();
            built
                .subnets
                .insert(id.clone(), (cidr.to_owned(), az.to_owned()));
            id
        };
        let pub_a = subnet(
            "10.0.0.0/20",
            "us-east-1a",
            "project-subnet-public1-us-east-1a",
        )
        .await;
        let pub_b = subnet(
            "10.0.16.0/20",
            "us-east-1b",
            "project-subnet-public2-us-east-1b",
        )
        .await;
        let priv_a = subnet(
            "10.0.128.0/20",
            "us-east-1a",
            "project-subnet-private1-us-east-1a",
        )
        .await;
        let priv_b = subnet(
            "10.0.144.0/20",
            "us-east-1b",
            "project-subnet-private2-us-east-1b",
        )
        .await;
        let igw = ec2
            .create_internet_gateway()
            .tag_specifications(named(ResourceType::InternetGateway, "project-igw"))
            .send()
            .await
            .unwrap();
        let igw = igw
            .internet_gateway()
            .unwrap()
            .internet_gateway_id()
            .unwrap()
            .to_owned();
        ec2.attach_internet_gateway()
            .vpc_id(&vpc)
            .internet_gateway_id(&igw)
            .send()
            .await
            .unwrap();
        let eip = ec2
            .allocate_address()
            .domain(DomainType::Vpc)
            .send()
            .await
            .unwrap();
        let nat = ec2
            .create_nat_gateway()
            .subnet_id(&pub_a)
            .allocation_id(eip.allocation_id().unwrap())
            .tag_specifications(named(
                ResourceType::Natgateway,
                "project-nat-public1-us-east-1a",
            ))
            .send()
            .await
            .unwrap();
        let nat = nat
            .nat_gateway()
            .unwrap()
            .nat_gateway_id()
            .unwrap()
            .to_owned();
        let table = async |name: &str, subnets: &[&str], igw: Option<&str>, nat: Option<&str>| {
            let t = ec2
                .create_route_table()
                .vpc_id(&vpc)
                .tag_specifications(named(ResourceType::RouteTable, name))
                .send()
                .await
                .unwrap();
            let t = t
                .route_table()
                .unwrap()
                .route_table_id()
                .unwrap()
                .to_owned();
            ec2.create_route()
                .route_table_id(&t)
                .destination_cidr_block("0.0.0.0/0")
                .set_gateway_id(igw.map(str::to_owned))
                .set_nat_gateway_id(nat.map(str::to_owned))
                .send()
                .await
                .unwrap();
            for s in subnets {
                ec2.associate_route_table()
                    .route_table_id(&t)
                    .subnet_id(*s)
                    .send()
                    .await
                    .unwrap();
            }
        };
        table("project-rtb-public", &[&pub_a, &pub_b], Some(&igw), None).await;
        table(
            "project-rtb-private1-us-east-1a",
            &[&priv_a],
            None,
            Some(&nat),
        )
        .await;
        table(
            "project-rtb-private2-us-east-1b",
            &[&priv_b],
            None,
            Some(&nat),
        )
        .await;
        let group = async |name: &str| {
            let g = ec2
                .create_security_group()
                .vpc_id(&vpc)
                .group_name(name)
                .description(format!("{name} tier"))
                .send()
                .await
                .unwrap();
            g.group_id().unwrap().to_owned()
        };
        let web = group("web").await;
        let app = group("app").await;
        let db = group("db").await;
        let from_cidr = |port: i32, cidr: &str| {
            IpPermission::builder()
                .ip_protocol("tcp")
                .from_port(port)
                .to_port(port)
                .ip_ranges(IpRange::builder().cidr_ip(cidr).build())
                .build()
        };
        let from_group = |port: i32, g: &str| {
            IpPermission::builder()
                .ip_protocol("tcp")
                .from_port(port)
                .to_port(port)
                .user_id_group_pairs(UserIdGroupPair::builder().group_id(g).build())
                .build()
        };
        for (g, p) in [
            (&web, from_cidr(443, "0.0.0.0/0")),
            (&app, from_group(8080, &web)),
            (&db, from_group(5432, &app)),
            (&web, from_group(443, &app)),
        ] {
            ec2.authorize_security_group_ingress()
                .group_id(g)
                .ip_permissions(p)
                .send()
                .await
                .unwrap();
        }
        // The unrelated VPC, with a subnet, a group, a gateway and a table of its own.
        let other = ec2
            .create_vpc()
            .cidr_block("10.1.0.0/16")
            .send()
            .await
            .unwrap();
        let other = other.vpc().unwrap().vpc_id().unwrap().to_owned();
        let osub = ec2
            .create_subnet()
            .vpc_id(&other)
            .cidr_block("10.1.0.0/24")
            .availability_zone("us-east-1a")
            .send()
            .await
            .unwrap();
        let osub = osub.subnet().unwrap().subnet_id().unwrap().to_owned();
        ec2.create_security_group()
            .vpc_id(&other)
            .group_name("web")
            .description("another VPC's web")
            .send()
            .await
            .unwrap();
        let oigw = ec2.create_internet_gateway().send().await.unwrap();
        let oigw = oigw
            .internet_gateway()
            .unwrap()
            .internet_gateway_id()
            .unwrap()
            .to_owned();
        ec2.attach_internet_gateway()
            .vpc_id(&other)
            .internet_gateway_id(&oigw)
            .send()
            .await
            .unwrap();
        let ort = ec2
            .create_route_table()
            .vpc_id(&other)
            .send()
            .await
            .unwrap();
        let ort = ort
            .route_table()
            .unwrap()
            .route_table_id()
            .unwrap()
            .to_owned();
        ec2.associate_route_table()
            .route_table_id(&ort)
            .subnet_id(&osub)
            .send()
            .await
            .unwrap();
        built.vpc = vpc;
        built.other_vpc = other;
        built
    })
}

const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
const READ_LOGS: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"logs:GetLogEvents","Resource":"*"}]}"#;

/// The role the import names and one it does not, both with an instance profile.
fn build_iam(env: &Env) {
    env.runtime().block_on(async {
        let iam = aws_sdk_iam::Client::new(&env.config().await);
        for role in ["project-app", "project-ops"] {
            iam.create_role()
                .role_name(role)
                .assume_role_policy_document(TRUST)
                .send()
                .await
                .unwrap();
            iam.put_role_policy()
                .role_name(role)
                .policy_name("read-logs")
                .policy_document(READ_LOGS)
                .send()
                .await
                .unwrap();
            iam.create_instance_profile()
                .instance_profile_name(role)
                .send()
                .await
                .unwrap();
            iam.add_role_to_instance_profile()
                .instance_profile_name(role)
                .role_name(role)
                .send()
                .await
                .unwrap();
        }
    });
}

/// Everything in `vpc`, described without ids that change: what must stay as it was.
fn describe_vpc(env: &Env, vpc: &str) -> Vec<String> {
    let vpc = vpc.to_owned();
    ec2_blocking(env, async move |ec2| {
        let f = || Filter::builder().name("vpc-id").values(&vpc).build();
        let mut out = Vec::new();
        let vpcs = ec2.describe_vpcs().vpc_ids(&vpc).send().await;
        let Ok(vpcs) = vpcs else {
            return out;
        };
        for v in vpcs.vpcs() {
            out.push(format!(
                "vpc {} {:?}",
                v.cidr_block().unwrap(),
                account::tag_map(v.tags())
            ));
        }
        for s in ec2
            .describe_subnets()
            .filters(f())
            .send()
            .await
            .unwrap()
            .subnets()
        {
            out.push(format!(
                "subnet {} {} {:?}",
                s.cidr_block().unwrap(),
                s.availability_zone().unwrap(),
                account::tag_map(s.tags())
            ));
        }
        for g in ec2
            .describe_security_groups()
            .filters(f())
            .send()
            .await
            .unwrap()
            .security_groups()
        {
            out.push(format!(
                "group {} {:?} {:?} {:?}",
                g.group_name().unwrap(),
                g.ip_permissions(),
                g.ip_permissions_egress(),
                account::tag_map(g.tags())
            ));
        }
        for t in ec2
            .describe_route_tables()
            .filters(f())
            .send()
            .await
            .unwrap()
            .route_tables()
        {
            out.push(format!(
                "table {} {:?}",
                account::routes(t),
                account::tag_map(t.tags())
            ));
        }
        out.sort();
        out
    })
}

/// The role's tags and inline policies, or `None` once it is gone.
fn role_state(env: &Env, role: &str) -> Option<String> {
    env.runtime().block_on(async {
        let iam = aws_sdk_iam::Client::new(&env.config().await);
        iam.get_role().role_name(role).send().await.ok()?;
        let tags = iam.list_role_tags().role_name(role).send().await.unwrap();
        let policies = iam
            .list_role_policies()
            .role_name(role)
            .send()
            .await
            .unwrap();
        Some(format!("{:?} {:?}", tags.tags(), policies.policy_names()))
    })
}

fn mutating(env: &Env) -> Vec<String> {
    env.proxy
        .mutating_calls()
        .iter()
        .map(|c| c.action.clone())
        .collect()
}

#[test]
fn an_existing_vpc_is_imported_adopted_grown_and_destroyed() {
    let env = Env::new("brownfield");
    let built = build(&env);
    build_iam(&env);
    let other_before = describe_vpc(&env, &built.other_vpc);
    let ops_before = role_state(&env, "project-ops");

    // import: read-only, every subnet where it is.
    let path = env.dir.join("brown.plan.json");
    env.proxy.clear();
    let out = ok(&env.exec(&[
        "import",
        "--vpc-id",
        &built.vpc,
        "--roles",
        "project-app",
        "--region",
        "us-east-1",
        "--name",
        "brown",
        "-o",
        s(&path),
    ]))
    .clone();
    let said = text(&out.stdout);
    assert_eq!(
        mutating(&env),
        Vec::<String>::new(),
        "import changed something:\n{said}"
    );
    assert!(
        said.contains("mapped: ") && said.contains("pinned as is: 4 subnets"),
        "{said}"
    );
    let plan = plan_of(&path);
    assert_eq!(plan.allocation.subnets.len(), 4, "{said}");
    for (id, (cidr, az)) in &built.subnets {
        let planned = plan
            .allocation
            .subnets
            .iter()
            .find(|a| a.cidr.to_string() == *cidr)
            .unwrap_or_else(|| panic!("{id} {cidr} is not planned where it is"));
        assert_eq!(planned.availability_zone, *az);
        assert!(
            plan.design.imports.values().any(|v| v == id),
            "{id} is not imported"
        );
    }
    assert!(
        !plan.design.imports.values().any(|v| v == "project-ops"),
        "a role not named with --roles was imported"
    );
    // Planning it again moves nothing.
    let replanned = env.dir.join("replanned.plan.json");
    ok(&env.exec(&["plan", s(&path), "-o", s(&replanned), "--quiet"]));
    assert_eq!(plan_of(&replanned).allocation, plan.allocation);

    // adopt, then run makes no mutating call and diff is in sync.
    let adopted = ok(&env.exec(&["adopt", s(&path), "--yes"])).clone();
    let adopted_text = text(&adopted.stdout);
    assert!(
        adopted_text.contains("0 to create, 0 to update, 0 to delete"),
        "{adopted_text}\n{}",
        text(&adopted.stderr)
    );
    env.proxy.clear();
    let rerun = ok(&env.exec(&["run", s(&path), "--yes"])).clone();
    assert_eq!(
        mutating(&env),
        Vec::<String>::new(),
        "{}",
        text(&rerun.stdout)
    );
    let diff = env.exec(&["diff", s(&path)]);
    assert_eq!(diff.status.code(), Some(0), "{}", text(&diff.stdout));
    // Adopting again tags nothing more.
    env.proxy.clear();
    let again = ok(&env.exec(&["adopt", s(&path), "--yes"])).clone();
    assert_eq!(
        mutating(&env),
        Vec::<String>::new(),
        "{}",
        text(&again.stdout)
    );

    // A tier and a zone added: only their subnets, tables, routes and associations.
    let mut whole: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut design = whole["design"].take();
    design["availability_zones"]
        .as_array_mut()
        .unwrap()
        .push("us-east-1c".into());
    design["tiers"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"name": "data", "kind": "isolated", "size": {"prefix": 24}}));
    let grown_design = env.dir.join("grown.design.json");
    std::fs::write(&grown_design, design.to_string()).unwrap();
    let grown = env.dir.join("grown.plan.json");
    ok(&env.exec(&[
        "plan",
        s(&grown_design),
        "--previous",
        s(&path),
        "-o",
        s(&grown),
        "--quiet",
    ]));
    let before = snapshot(&env, "brown");
    env.proxy.clear();
    let applied = ok(&env.exec(&["run", s(&grown), "--yes"])).clone();
    let calls = mutating(&env);
    let allowed = [
        "CreateSubnet",
        "CreateRouteTable",
        "CreateRoute",
        "AssociateRouteTable",
        "PutParameter",
        "DeleteParameter",
    ];
    let unexpected: Vec<&String> = calls
        .iter()
        .filter(|c| !allowed.contains(&c.as_str()))
        .collect();
    assert!(
        unexpected.is_empty(),
        "{unexpected:?}\n{}",
        text(&applied.stdout)
    );
    assert_eq!(
        calls.iter().filter(|c| *c == "CreateSubnet").count(),
        5,
        "{calls:?}"
    );
    let after = snapshot(&env, "brown");
    // What was there is as it was; a table only gains the new zone's subnet.
    let routes = |d: &str| d.split(" associations=").next().unwrap_or(d).to_owned();
    for (id, was) in &before {
        assert_eq!(
            after.get(id).map(|d| routes(d)),
            Some(routes(was)),
            "{id} changed"
        );
    }
    assert!(
        after["route_table.public"].ends_with("associations=3"),
        "{after:#?}"
    );
    let new: Vec<&String> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    assert!(
        new.iter().all(|k| k.starts_with("subnet.")
            || k.starts_with("route_table")
            || k.starts_with("route.")),
        "{new:?}"
    );
    super::executor::assert_rerun_changes_nothing(&env, &grown);

    // destroy: exactly what was adopted or created.
    ok(&env.exec(&["destroy", s(&grown), "--yes"]));
    assert_eq!(
        describe_vpc(&env, &built.vpc),
        Vec::<String>::new(),
        "the imported VPC is left"
    );
    assert_eq!(
        describe_vpc(&env, &built.other_vpc),
        other_before,
        "the other VPC changed"
    );
    assert_eq!(
        role_state(&env, "project-app"),
        None,
        "the adopted role is left"
    );
    assert_eq!(
        role_state(&env, "project-ops"),
        ops_before,
        "a role nobody named was touched"
    );
    let left = snapshot(&env, "brown");
    assert!(left.is_empty(), "destroy left {left:#?}");
}

/// One line on standard error, exit 2, and no mutating call.
fn refused(env: &Env, args: &[&str], says: &str) {
    env.proxy.clear();
    let out = env.exec(args);
    let err = text(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{args:?}: {err}\n{}",
        text(&out.stdout)
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains(says), "{args:?}: {err}");
    assert_eq!(
        mutating(env),
        Vec::<String>::new(),
        "{args:?} changed something"
    );
}

#[test]
fn bad_imports_and_adoptions_change_nothing() {
    let env = Env::new("brownfield-refusals");
    let built = build(&env);
    let path = env.dir.join("brown.plan.json");
    // The test's folder outlives it: the plan the last run imported is not this run's.
    let _ = std::fs::remove_file(&path);
    let plan_args = ["--region", "us-east-1", "--name", "brown", "-o", s(&path)];
    let mut args = vec!["import", "--vpc-id", "vpc-0123456789abcdef0"];
    args.extend(plan_args);
    refused(&env, &args, "there is no VPC vpc-0123456789abcdef0");
    let mut args = vec!["import", "--vpc-id", "subnet-1"];
    args.extend(plan_args);
    refused(&env, &args, "--vpc-id expects an id like vpc-");
    let mut args = vec!["import", "--vpc-id", &built.vpc, "--roles", "nobody"];
    args.extend(plan_args);
    refused(&env, &args, "there is no role nobody");
    assert!(!path.exists(), "a refused import wrote a plan");

    let mut args = vec!["import", "--vpc-id", &built.vpc];
    args.extend(plan_args);
    ok(&env.exec(&args));
    // A plan whose imports name a subnet of another VPC is refused before any tag.
    let mut whole: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let other_subnet = ec2_blocking(&env, async |ec2| {
        let f = Filter::builder()
            .name("vpc-id")
            .values(&built.other_vpc)
            .build();
        let out = ec2.describe_subnets().filters(f).send().await.unwrap();
        out.subnets()[0].subnet_id().unwrap().to_owned()
    });
    whole["design"]["imports"]["subnet.private.b"] = other_subnet.clone().into();
    let hijack = env.dir.join("hijack.plan.json");
    std::fs::write(&hijack, whole.to_string()).unwrap();
    refused(
        &env,
        &["adopt", s(&hijack), "--yes"],
        &format!("{other_subnet}, which is not in"),
    );
    // A plan without imports has nothing to adopt.
    let design = planner_core::presets::build("titus", &[]).unwrap();
    let plain = env.dir.join("titus.plan.json");
    std::fs::write(
        &plain,
        planner_core::plan(&design, None).unwrap().plan.to_json(),
    )
    .unwrap();
    refused(
        &env,
        &["adopt", s(&plain), "--yes"],
        "at imports: expected the live resources",
    );
    // Without --yes and without a terminal, adopt asks no one and tags nothing.
    refused(&env, &["adopt", s(&path)], "pass --yes");
    assert!(snapshot(&env, "brown").is_empty(), "something was tagged");
}
