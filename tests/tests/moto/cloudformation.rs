//! The exported CloudFormation template created as a stack on moto's CloudFormation: the
//! live state, read back through the SDK by the plan's tags, is what the executor builds for
//! the same plan, and what the plan says (every subnet's block and zone, route tables and
//! their routes, security groups and their rules, roles' trust and policies, instance
//! profiles); DeleteStack leaves nothing.
//!
//! moto's CloudFormation skips, with only a warning, the types it does not implement:
//! `AWS::EC2::VPCCidrBlock` (secondary blocks and the VPC's IPv6 block),
//! `AWS::EC2::EgressOnlyInternetGateway`, `AWS::EC2::SecurityGroupEgress`,
//! `AWS::EC2::NetworkAcl`, `AWS::EC2::NetworkAclEntry`,
//! `AWS::EC2::SubnetNetworkAclAssociation`, and `Fn::GetAtt` of a VPC's `Ipv6CidrBlocks`;
//! it does not run custom resources' Lambda functions or instances' user data. The designs
//! deployed here hold none of them (`deployable` checks); the others are checked by cfn-lint
//! only (`offline::export_cloudformation`). Where moto creates a type but drops properties
//! (tags of route tables, internet gateways, Elastic IPs, NAT gateways and VPC endpoints; a subnet's
//! `MapPublicIpOnLaunch`; a role's `ManagedPolicyArns`; `AWS::EC2::SubnetRouteTableAssociation`
//! is accepted but associates nothing), those resources are found by the VPC instead of by tag
//! and the dropped property is left out of the comparison. moto's DeleteStack deletes no NAT
//! gateway, route table, VPC endpoint, flow log or internet gateway attachment, so it stops
//! at the VPC with `DependencyViolation`: the test checks that everything else is gone, and
//! that only those and the VPC are left.

use std::collections::BTreeMap;

use aws_sdk_cloudformation::types::{Capability, StackStatus};
use planner_core::export::cloudformation::template;
use planner_core::{Plan, ResourceKind};
use serde_json::Value;
use tests::account;
use tests::moto::Moto;

/// What moto's CloudFormation does not create (see the module's docs).
const MOTO_LACKS: &[&str] = &[
    "AWS::EC2::VPCCidrBlock",
    "AWS::EC2::EgressOnlyInternetGateway",
    "AWS::EC2::SecurityGroupEgress",
    "AWS::EC2::NetworkAcl",
    "AWS::EC2::NetworkAclEntry",
    "AWS::EC2::SubnetNetworkAclAssociation",
    "Custom::RestrictDefaultSecurityGroup",
];

/// The rule a group's `SecurityGroupEgress` holds so AWS's allow-all egress goes, as
/// `account::ec2_snapshot` spells it.
const NO_EGRESS: &str = "out icmp Some(252)-Some(86)";

fn deployable(name: &str, t: &Value) {
    let resources = t["Resources"].as_object().unwrap();
    for (l, r) in resources {
        let ty = r["Type"].as_str().unwrap();
        assert!(!MOTO_LACKS.contains(&ty), "{name}: {l} is a {ty}");
        assert!(
            r["Metadata"]["vpc-planner:routes-made-at-boot"].is_null(),
            "{name}: {l} has routes made at boot"
        );
    }
}

async fn clients(
    moto: &Moto,
    region: &str,
) -> (
    aws_sdk_cloudformation::Client,
    aws_sdk_ec2::Client,
    aws_sdk_iam::Client,
) {
    let conf = account::sdk_config(&moto.endpoint()).await;
    let conf = conf
        .into_builder()
        .region(aws_config::Region::new(region.to_owned()))
        .build();
    (
        aws_sdk_cloudformation::Client::new(&conf),
        aws_sdk_ec2::Client::new(&conf),
        aws_sdk_iam::Client::new(&conf),
    )
}

/// What the account holds for the plan: EC2 by tag, IAM by name.
async fn state(
    ec2: &aws_sdk_ec2::Client,
    iam: &aws_sdk_iam::Client,
    plan: &Plan,
) -> BTreeMap<String, String> {
    let mut s = account::ec2_snapshot(ec2, &plan.design.name).await;
    s.extend(account::iam_snapshot(iam, plan).await);
    s
}

/// The types moto's CloudFormation tags, by their plan id's prefix.
const TAGGED_BY_MOTO: &[&str] = &[
    "vpc.",
    "subnet.",
    "security_group.",
    "instance.",
    "flow_log.",
    "iam_role.",
    "iam_instance_profile.",
];

/// The state as both sides can be compared: the types moto tags, without the properties it
/// drops (see the module's docs) or the rule that removes AWS's allow-all egress.
fn comparable(s: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    s.iter()
        .filter(|(id, _)| TAGGED_BY_MOTO.iter().any(|p| id.starts_with(p)))
        .map(|(id, v)| {
            let v = v
                .split(' ')
                .filter(|w| !w.starts_with("public-ip=") && !w.starts_with("attached="))
                .collect::<Vec<_>>()
                .join(" ")
                .replace(&format!(", {NO_EGRESS}"), "")
                .replace(&format!("{NO_EGRESS}, "), "")
                .replace(NO_EGRESS, "");
            (id.clone(), v)
        })
        .collect()
}

/// What the VPC holds that moto's CloudFormation leaves untagged: its route tables (routes by
/// destination and target kind; not their subnets, which moto's stacks do not associate),
/// internet gateways, NAT gateways, Elastic IPs and VPC endpoints, as a sorted list.
async fn by_vpc(ec2: &aws_sdk_ec2::Client, vpc_id: &str) -> Vec<String> {
    let vpc = aws_sdk_ec2::types::Filter::builder()
        .name("vpc-id")
        .values(vpc_id)
        .build();
    let mut out = Vec::new();
    for t in ec2
        .describe_route_tables()
        .filters(vpc.clone())
        .send()
        .await
        .unwrap()
        .route_tables()
    {
        if t.associations().iter().any(|a| a.main().unwrap_or(false)) {
            continue; // the VPC's main table, AWS's own
        }
        out.push(format!("route_table {}", tests::account::routes(t)));
    }
    let attached = aws_sdk_ec2::types::Filter::builder()
        .name("attachment.vpc-id")
        .values(vpc_id)
        .build();
    let igws = ec2
        .describe_internet_gateways()
        .filters(attached)
        .send()
        .await
        .unwrap();
    out.extend(
        igws.internet_gateways()
            .iter()
            .map(|_| "internet_gateway".to_owned()),
    );
    let nats = ec2
        .describe_nat_gateways()
        .filter(vpc)
        .send()
        .await
        .unwrap();
    out.extend(
        nats.nat_gateways()
            .iter()
            .filter(|n| n.state().map(|s| s.as_str()) != Some("deleted"))
            .map(|_| "nat_gateway".to_owned()),
    );
    let endpoints = ec2
        .describe_vpc_endpoints()
        .filters(
            aws_sdk_ec2::types::Filter::builder()
                .name("vpc-id")
                .values(vpc_id)
                .build(),
        )
        .send()
        .await
        .unwrap();
    out.extend(endpoints.vpc_endpoints().iter().map(|e| {
        format!(
            "vpc_endpoint {} {} route_tables={} subnets={} groups={}",
            e.vpc_endpoint_type().map_or("?", |t| t.as_str()),
            e.service_name().unwrap_or("?"),
            e.route_table_ids().len(),
            e.subnet_ids().len(),
            e.groups().len()
        )
    }));
    let addresses = ec2.describe_addresses().send().await.unwrap();
    out.extend(
        addresses
            .addresses()
            .iter()
            .map(|_| "elastic_ip".to_owned()),
    );
    out.sort();
    out
}

/// The VPC's id, found by the plan's tag.
async fn vpc_id(ec2: &aws_sdk_ec2::Client, plan: &Plan) -> String {
    let found = ec2
        .describe_vpcs()
        .filters(account::tag_filter(account::PLAN_TAG, &plan.design.name))
        .send()
        .await
        .unwrap();
    assert_eq!(found.vpcs().len(), 1, "{}", plan.design.name);
    found.vpcs()[0].vpc_id().unwrap().to_owned()
}

/// A document as IAM returns it (URL-encoded JSON; moto's stacks store an inline policy as
/// Python's text of the object, with single quotes).
fn decoded(doc: &str) -> Value {
    if doc.starts_with("{'") {
        let json = doc.replace('\'', "\"");
        return serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {doc}"));
    }
    let bytes = doc.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    serde_json::from_slice(&out).unwrap_or_else(|e| panic!("{e}: {doc}"))
}

/// Every role's trust policy and inline policies, and every instance profile's role, read
/// back and compared with the plan's, references resolved for moto's account.
async fn check_iam(iam: &aws_sdk_iam::Client, plan: &Plan, vpc_id: &str) {
    let mut values = planner_core::design::iam::ApplyValues::stand_in(&plan.design);
    values.vpc_id = vpc_id.to_owned();
    let ctx = |r: &planner_core::design::iam::Reference| values.resolve(&plan.design, r);
    let render = |d: &planner_core::design::iam::PolicyDocument| -> Value {
        serde_json::from_str(&d.render(&ctx).unwrap()).unwrap()
    };
    for r in &plan.resources {
        match &r.kind {
            ResourceKind::IamRole(role) => {
                let got = iam.get_role().role_name(&role.name).send().await.unwrap();
                let got = got.role().unwrap();
                assert_eq!(got.path(), role.path, "{}", r.id);
                assert_eq!(
                    decoded(got.assume_role_policy_document().unwrap()),
                    render(&role.trust_policy),
                    "{} trust",
                    r.id
                );
                for p in &role.inline_policies {
                    let doc = iam
                        .get_role_policy()
                        .role_name(&role.name)
                        .policy_name(&p.name)
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(
                        decoded(doc.policy_document()),
                        render(&p.document),
                        "{} {}",
                        r.id,
                        p.name
                    );
                }
            }
            ResourceKind::IamInstanceProfile(p) => {
                let got = iam
                    .get_instance_profile()
                    .instance_profile_name(&p.name)
                    .send()
                    .await
                    .unwrap();
                let roles: Vec<&str> = got
                    .instance_profile()
                    .unwrap()
                    .roles()
                    .iter()
                    .map(|r| r.role_name())
                    .collect();
                let ResourceKind::IamRole(role) = &plan.resource(&p.role).unwrap().kind else {
                    panic!("{} holds no role", r.id)
                };
                assert_eq!(roles, [role.name.as_str()], "{}", r.id);
            }
            _ => {}
        }
    }
}

/// Each subnet of the plan, live with its block and zone.
fn check_subnets(live: &BTreeMap<String, String>, plan: &Plan) {
    for r in &plan.resources {
        if let ResourceKind::Subnet {
            availability_zone,
            cidr_block,
            map_public_ip_on_launch,
            ..
        } = &r.kind
        {
            assert_eq!(
                live.get(&r.id).map(String::as_str),
                Some(
                    format!(
                        "subnet {cidr_block} {availability_zone} public-ip={map_public_ip_on_launch}"
                    )
                    .as_str()
                ),
                "{}",
                r.id
            );
        }
    }
}

fn stack_and_executor_agree(moto: &Moto, name: &str, plan: &Plan) {
    let text = template(plan).unwrap();
    let t: Value = serde_json::from_str(&text).unwrap();
    deployable(name, &t);
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cloudformation");
    std::fs::create_dir_all(&dir).unwrap();
    let plan_file = dir.join(format!("{name}.plan.json"));
    std::fs::write(&plan_file, plan.to_json()).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let (cfn, ec2, iam) = clients(moto, &plan.design.region).await;

        // What the executor builds for the plan.
        moto.reset();
        let mut cmd = tests::executor::command();
        cmd.args(["run", plan_file.to_str().unwrap(), "--yes"]);
        moto.apply_env(&mut cmd);
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{name}: executor run: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let by_executor = state(&ec2, &iam, plan).await;
        let executor_vpc = by_vpc(&ec2, &vpc_id(&ec2, plan).await).await;
        check_subnets(&by_executor, plan);

        // What the stack builds.
        moto.reset();
        cfn.create_stack()
            .stack_name(name)
            .template_body(&text)
            .capabilities(Capability::CapabilityNamedIam)
            .send()
            .await
            .unwrap_or_else(|e| {
                panic!(
                    "{name}: {}",
                    aws_sdk_cloudformation::error::DisplayErrorContext(e)
                )
            });
        let stack = wait(&cfn, name, StackStatus::CreateComplete).await;
        let by_stack = state(&ec2, &iam, plan).await;
        assert_eq!(
            comparable(&by_stack),
            comparable(&by_executor),
            "{name}: stack and executor differ"
        );
        let outputs: BTreeMap<String, String> = stack
            .outputs()
            .iter()
            .map(|o| {
                (
                    o.output_key().unwrap().to_owned(),
                    o.output_value().unwrap().to_owned(),
                )
            })
            .collect();
        let vpc = vpc_id(&ec2, plan).await;
        assert_eq!(outputs.get("VpcMainId"), Some(&vpc), "{name}");
        assert_eq!(
            by_vpc(&ec2, &vpc).await,
            executor_vpc,
            "{name}: route tables and gateways differ"
        );
        check_iam(&iam, plan, &vpc).await;

        match cfn.delete_stack().stack_name(name).send().await {
            Ok(_) => {
                wait(&cfn, name, StackStatus::DeleteComplete).await;
                let left = state(&ec2, &iam, plan).await;
                assert!(left.is_empty(), "{name}: DeleteStack left {left:#?}");
            }
            Err(e) => {
                use aws_sdk_cloudformation::error::ProvideErrorMetadata;
                assert_eq!(e.code(), Some("DependencyViolation"), "{name}: {e:?}");
                let left: Vec<String> = state(&ec2, &iam, plan)
                    .await
                    .into_keys()
                    .filter(|id| id != "vpc.main" && !id.starts_with("flow_log."))
                    .collect();
                assert!(left.is_empty(), "{name}: DeleteStack left {left:#?}");
                let kept = by_vpc(&ec2, &vpc).await;
                assert!(
                    kept.iter().all(|k| k.starts_with("route_table")
                        || k == "internet_gateway"
                        || k == "nat_gateway"
                        || k == "elastic_ip"
                        || k.starts_with("vpc_endpoint")),
                    "{name}: {kept:#?}"
                );
            }
        }
    });
}

/// The stack once it reaches `status` (moto's stacks settle at once; a few polls suffice).
async fn wait(
    cfn: &aws_sdk_cloudformation::Client,
    name: &str,
    status: StackStatus,
) -> aws_sdk_cloudformation::types::Stack {
    let mut last = None;
    for _ in 0..50 {
        let d = cfn.describe_stacks().stack_name(name).send().await;
        if let Ok(d) = d {
            if let Some(s) = d.stacks().first() {
                if s.stack_status() == Some(&status) {
                    return s.clone();
                }
                last = Some(format!(
                    "{:?} {:?}",
                    s.stack_status(),
                    s.stack_status_reason()
                ));
            }
        } else if status == StackStatus::DeleteComplete {
            // moto forgets a deleted stack by name.
            return aws_sdk_cloudformation::types::Stack::builder()
                .stack_name(name)
                .stack_status(status)
                .creation_time(aws_sdk_cloudformation::primitives::DateTime::from_secs(0))
                .build();
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{name} never reached {status:?}: {last:?}");
}

#[test]
fn fixture_stacks_build_what_the_executor_builds_and_delete_cleanly() {
    let moto = Moto::start();
    for stem in [
        "three-tier",
        "tinystacks-sg",
        "endpoints-flow-logs",
        "informatica-iam",
    ] {
        let path = tests::fixtures()
            .join("designs")
            .join(format!("{stem}.json"));
        let plan = planner_core::plan(&tests::design(&path), None)
            .unwrap()
            .plan;
        stack_and_executor_agree(&moto, stem, &plan);
    }
}

#[test]
fn preset_stacks_build_what_the_executor_builds_and_delete_cleanly() {
    let moto = Moto::start();
    for (preset, set) in [("titus", &[][..]), ("tinystacks", &[("nat", "none")][..])] {
        let design = planner_core::presets::build(preset, set).unwrap();
        let plan = planner_core::plan(&design, None).unwrap().plan;
        stack_and_executor_agree(&moto, preset, &plan);
    }
}
