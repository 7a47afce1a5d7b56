use super::documents::{CLOSE, OPEN};
use super::*;
use crate::resource::ResourceKind;

fn titus(set: &[(&str, &str)]) -> Plan {
    let design = crate::presets::build("titus", set).unwrap();
    crate::plan(&design, None).unwrap().plan
}

#[test]
fn the_same_plan_gives_the_same_bytes() {
    let plan = titus(&[("ipv6", "true")]);
    assert_eq!(files(&plan).unwrap(), files(&plan).unwrap());
}

#[test]
fn addresses_come_from_ids() {
    let plan = titus(&[]);
    let a = addresses(&plan).unwrap();
    assert_eq!(a["vpc.main"], "aws_vpc.main");
    assert_eq!(a["subnet.public.a"], "aws_subnet.public_a");
    assert!(a.values().all(|v| !v.contains('[')));
}

#[test]
fn two_ids_with_one_address_are_an_error_naming_both() {
    let mut plan = titus(&[]);
    let mut twin = plan.resource("subnet.public.a").unwrap().clone();
    twin.id = "subnet.public_a".into();
    plan.resources.push(twin);
    let e = files(&plan).unwrap_err();
    assert_eq!(e.resource, "subnet.public_a");
    assert!(e.message.contains("subnet.public.a"), "{e}");
}

#[test]
fn a_reference_to_a_missing_resource_is_an_error() {
    let mut plan = titus(&[]);
    plan.resources.retain(|r| r.id != "vpc.main");
    let e = files(&plan).unwrap_err();
    assert!(e.message.contains("vpc.main"), "{e}");
}

#[test]
fn ipv6_subnets_take_their_index_of_the_vpc_block() {
    let plan = titus(&[("ipv6", "true")]);
    let f = files(&plan).unwrap();
    assert!(
        f["network.tf"].contains("cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, "),
        "{}",
        f["network.tf"]
    );
}

#[test]
fn no_placeholder_anywhere() {
    let plan = titus(&[("hardened", "true")]);
    for (name, text) in files(&plan).unwrap() {
        assert!(!text.contains("{{"), "{name}");
        assert!(!text.contains(OPEN) && !text.contains(CLOSE), "{name}");
    }
}

#[test]
fn a_trust_policy_naming_its_own_role_spells_the_arn_out() {
    let mut plan = titus(&[]);
    let role = plan
        .resources
        .iter_mut()
        .find_map(|r| match &mut r.kind {
            ResourceKind::IamRole(role) => Some(role),
            _ => None,
        })
        .expect("titus has a role");
    let name = role.name.clone();
    let doc = format!(
        r#"{{"Version": "2012-10-17", "Statement": {{"Effect": "Allow", "Action": "sts:AssumeRole",
            "Principal": {{"AWS": {{"ref": "role_arn", "role": "{name}"}}}}}}}}"#
    );
    role.trust_policy = serde_json::from_str(&doc).unwrap();
    let iam = &files(&plan).unwrap()["iam.tf"];
    let want = format!(
        "\"arn:${{data.aws_partition.current.partition}}:iam::${{data.aws_caller_identity.current.account_id}}:role/{name}\""
    );
    assert!(iam.contains(&want), "{iam}");
}

#[test]
fn instances_wait_for_their_roles_policies() {
    let design = crate::presets::build("tinystacks", &[]).unwrap();
    let plan = crate::plan(&design, None).unwrap().plan;
    let compute = &files(&plan).unwrap()["compute.tf"];
    let template = &compute[compute.find("resource \"aws_launch_template\"").unwrap()..];
    let template = &template[..template.find("\n}\n").unwrap()];
    assert!(template.contains("aws_iam_role_policy."), "{template}");
}
