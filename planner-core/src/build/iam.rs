//! IAM as plan resources: `iam_policy` (customer managed), `iam_role` and
//! `iam_instance_profile`, in that order.
//!
//! Dependencies:
//!
//! * a role depends on the design's managed policies it attaches;
//! * a role depends on the roles its trust policy names as principals (through
//!   `{"ref": "role_arn"}`), because IAM turns a principal into the role's unique id when the
//!   trust policy is set and refuses one that does not exist yet. A role naming itself, and
//!   roles that name each other in a cycle, cannot be created in one pass: roles are ordered
//!   so that every other edge is honoured, the edge that cannot be is left out, and finding
//!   `IAM013` reports it;
//! * references anywhere else (`Resource`, conditions) need no dependency: the executor builds
//!   a role's, policy's or instance profile's ARN from the partition, the account, its path
//!   and its name, whether it exists yet or not;
//! * a document that refers to the VPC's id or ARN depends on the VPC, whose id is only known
//!   once it exists;
//! * an instance profile depends on its role.

use std::collections::BTreeSet;

use crate::design::iam::document::{PolicyDocument, Principal};
use crate::design::iam::model::{Iam, ManagedPolicyRef};
use crate::design::iam::reference::Reference;
use crate::design::network::Design;
use crate::ids::{instance_profile_id, policy_id, role_id, VPC_ID};
use crate::resource::iam::{
    InstanceProfileResource, PolicyAttachment, PolicyResource, RoleResource,
};
use crate::resource::{Resource, ResourceKind};

/// Roles in creation order and the trust edges that order cannot honour.
pub(crate) struct TrustOrder {
    /// Indexes into `iam.roles`, in creation order.
    pub order: Vec<usize>,
    /// For each role, the roles it depends on.
    pub deps: Vec<BTreeSet<usize>>,
    /// `(role, principal role, JSON path of the reference)` for each edge left out: a role
    /// naming itself, or the edge closing a cycle.
    pub broken: Vec<(usize, usize, String)>,
}

/// The roles each role's trust policy names as principals, with the reference's path.
fn trust_edges(iam: &Iam) -> Vec<Vec<(usize, String)>> {
    iam.roles
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let base = format!("iam.roles[{i}].trust_policy");
            let mut edges = Vec::new();
            for (path, s) in r
                .trust_policy
                .statement
                .with_paths(&format!("{base}.Statement"))
            {
                for (name, p) in [
                    ("Principal", &s.principal),
                    ("NotPrincipal", &s.not_principal),
                ] {
                    let Some(Principal::Map(m)) = p else { continue };
                    let Some(aws) = &m.aws else { continue };
                    for (vpath, v) in aws.with_paths(&format!("{path}.{name}.AWS")) {
                        for (rpath, r) in v.references() {
                            if let Reference::RoleArn { role } = r {
                                if let Some(j) = iam.roles.iter().position(|x| &x.name == role) {
                                    edges.push((j, format!("{vpath}{rpath}")));
                                }
                            }
                        }
                    }
                }
            }
            edges
        })
        .collect()
}

/// Orders roles so each comes after the roles its trust policy names: repeatedly the first
/// role, in design order, whose principals all exist; when none is ready (a cycle), the first
/// remaining role, without its edges to roles not yet created.
pub(crate) fn trust_order(iam: &Iam) -> TrustOrder {
    let edges = trust_edges(iam);
    let n = iam.roles.len();
    let mut done = vec![false; n];
    let mut order = Vec::with_capacity(n);
    let mut deps = vec![BTreeSet::new(); n];
    let mut broken = Vec::new();
    while order.len() < n {
        let ready = (0..n).find(|&i| !done[i] && edges[i].iter().all(|(j, _)| *j == i || done[*j]));
        let i = match ready {
            Some(i) => i,
            None => (0..n).find(|&i| !done[i]).expect("a role remains"),
        };
        for (j, path) in &edges[i] {
            if done[*j] && *j != i {
                deps[i].insert(*j);
            } else {
                broken.push((i, *j, path.clone()));
            }
        }
        done[i] = true;
        order.push(i);
    }
    TrustOrder {
        order,
        deps,
        broken,
    }
}

fn refers_to_vpc<'a>(docs: impl IntoIterator<Item = &'a PolicyDocument>) -> bool {
    docs.into_iter().any(|d| {
        d.references()
            .iter()
            .any(|r| matches!(r, Reference::VpcId | Reference::VpcArn))
    })
}

/// Appends the design's IAM resources to `out`: policies, roles, then instance profiles.
pub(crate) fn resources(design: &Design, out: &mut Vec<Resource>) {
    let iam = &design.iam;
    for p in &iam.policies {
        let mut depends_on = Vec::new();
        if refers_to_vpc([&p.document]) {
            depends_on.push(VPC_ID.to_owned());
        }
        out.push(Resource {
            id: policy_id(&p.name),
            kind: ResourceKind::IamPolicy(PolicyResource {
                name: p.name.clone(),
                path: p.path.clone(),
                description: p.description.clone(),
                document: p.document.clone(),
            }),
            depends_on,
        });
    }
    let order = trust_order(iam);
    for &i in &order.order {
        let r = &iam.roles[i];
        let mut depends_on: Vec<String> = order.deps[i]
            .iter()
            .map(|&j| role_id(&iam.roles[j].name))
            .collect();
        let managed_policies: Vec<PolicyAttachment> = r
            .managed_policies
            .iter()
            .map(|m| match m {
                ManagedPolicyRef::Arn(arn) => PolicyAttachment::Arn(arn.clone()),
                ManagedPolicyRef::Policy { policy } => PolicyAttachment::Policy(policy_id(policy)),
            })
            .collect();
        for m in &managed_policies {
            if let PolicyAttachment::Policy(id) = m {
                depends_on.push(id.clone());
            }
        }
        let docs =
            std::iter::once(&r.trust_policy).chain(r.inline_policies.iter().map(|p| &p.document));
        if refers_to_vpc(docs) {
            depends_on.push(VPC_ID.to_owned());
        }
        out.push(Resource::new(
            role_id(&r.name),
            ResourceKind::IamRole(RoleResource {
                name: r.name.clone(),
                path: r.path.clone(),
                description: r.description.clone(),
                trust_policy: r.trust_policy.clone(),
                inline_policies: r.inline_policies.clone(),
                managed_policies,
                max_session_duration: r.max_session_duration,
                tags: r.tags.clone(),
            }),
            depends_on,
        ));
    }
    for p in &iam.instance_profiles {
        let role = role_id(&p.role);
        out.push(Resource {
            id: instance_profile_id(&p.name),
            kind: ResourceKind::IamInstanceProfile(InstanceProfileResource {
                name: p.name.clone(),
                path: p.path.clone(),
                role: role.clone(),
            }),
            depends_on: vec![role],
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::iam::test_support::{design_json, role_json};

    fn plan(iam: &str) -> crate::Plan {
        let d = crate::parse_design(&design_json(iam)).unwrap();
        crate::plan(&d, None).unwrap().plan
    }

    fn ids(p: &crate::Plan) -> Vec<(String, Vec<String>)> {
        p.resources
            .iter()
            .filter(|r| r.id.starts_with("iam_"))
            .map(|r| (r.id.clone(), r.depends_on.clone()))
            .collect()
    }

    const FROM_B: &str = r#"{"AWS": {"ref": "role_arn", "role": "b"}}"#;

    #[test]
    fn trusted_role_comes_first() {
        let iam = format!(
            r#"{{"roles": [{}, {}], "policies": [{{"name": "p", "document": {{"Version": "2012-10-17",
                "Statement": {{"Effect": "Allow", "Action": "ec2:CreateSubnet", "Resource": {{"ref": "vpc_arn"}}}}}}}}],
              "instance_profiles": [{{"name": "ip", "role": "a"}}]}}"#,
            role_json(
                "a",
                FROM_B,
                r#""managed_policies": [{"policy": "p"}, "arn:aws:iam::aws:policy/ReadOnlyAccess"]"#
            ),
            role_json("b", r#"{"Service": "ec2.amazonaws.com"}"#, ""),
        );
        let p = plan(&iam);
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            ids(&p),
            [
                ("iam_policy.p".to_owned(), v(&["vpc.main"])),
                ("iam_role.b".to_owned(), v(&[])),
                ("iam_role.a".to_owned(), v(&["iam_policy.p", "iam_role.b"])),
                ("iam_instance_profile.ip".to_owned(), v(&["iam_role.a"])),
            ]
        );
        let json = p.to_json();
        assert!(json.contains(r#""type": "iam_role""#), "{json}");
        assert_eq!(crate::parse_plan(&json).unwrap(), p);
    }

    #[test]
    fn cycles_and_self_trust_are_left_out() {
        let iam = format!(
            r#"{{"roles": [{}, {}]}}"#,
            role_json("a", FROM_B, ""),
            role_json(
                "b",
                r#"{"AWS": [{"ref": "role_arn", "role": "a"}, {"ref": "role_arn", "role": "b"}]}"#,
                ""
            ),
        );
        let p = plan(&iam);
        assert_eq!(ids(&p)[0], ("iam_role.a".to_owned(), vec![]));
        assert_eq!(
            ids(&p)[1],
            ("iam_role.b".to_owned(), vec!["iam_role.a".to_owned()])
        );
    }
}
