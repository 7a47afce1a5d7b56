//! Informatica's elastic runtime environment on AWS: the guide *Runtime Environments > Elastic
//! runtime environments > Setting up the AWS environment* (seed
//! `003_1a3db0695a6c3cdd.txt`). Its nine steps, each reproduced:
//!
//! 1. **AWS resources**: a VPC, one public subnet (tier `public`, /24) and one private subnet
//!    (tier `private`, /22) in one availability zone, an internet gateway, one NAT gateway in
//!    the public subnet (`single_gateway`), a public route table (default route to the internet
//!    gateway) and a private one (default route to the NAT gateway), and the security group
//!    that "allows SSH access to the elastic runtime environment", here
//!    `elastic_runtime_ssh`: tcp 22 from anywhere, on the jump host and the master node. The
//!    guide's per-resource guideline lists are not in the text this preset follows, so the
//!    subnet sizes are this preset's choice.
//! 2. **The cluster installer policy** `cluster_installer_policy`: every statement of the
//!    guide's `Permissions_cluster_installer_policy.json`, in its order and with its Sids
//!    (`VisualEditor0`–`VisualEditor22`, with the guide's gaps, then the unnamed Elastic Load
//!    Balancing statement). When it does not fit in one managed policy (see IAM011 below) it
//!    is split, unchanged and in order, into `cluster_installer_policy` (Auto Scaling and EC2,
//!    `VisualEditor0`–`9`) and `cluster_installer_policy_2` (the rest), both attached.
//! 3. **The cluster installer role** (parameter `cluster_installer_role`), trusted by
//!    `ec2.amazonaws.com`, with the policy attached.
//! 4. **The worker node policy** `worker_node_policy`: the guide's three statements
//!    (`DescribeActions`, `AutoscalingCapacity`, `SecretsManagerAccess`).
//! 5. **The worker node role** (parameter `worker_node_role`), trusted by `ec2.amazonaws.com`,
//!    with the policy attached.
//! 6. **Instance profiles**, one per role and named after it, as the console creates them.
//! 7. **The jump host** `jump_host` (role `jump_host`) in the public subnet, with a public
//!    address.
//! 8. **The master node** `master_node` (role `master_node`) in the private subnet,
//! 9. **with the cluster installer role attached** through its instance profile.
//!
//! Placeholders become typed references: `{{account-id}}` is `{"ref": "account_id"}`,
//! `{{region}}` is `{"ref": "region"}`, `{{VPC_ID}}` is `{"ref": "vpc_id"}`, and
//! `{{cluster-installer-role}}` / `{{worker-node-role}}` in `iam:PassRole` are
//! `{"ref": "role_arn", "role": …}`. The guide writes every ARN as `arn:aws:…`; this preset
//! writes the partition as `{"ref": "partition"}` in all of them, consistently, so that the
//! policies are right in any region the `region` parameter names (`cn-…`, `us-gov-…`).
//!
//! ## Parameters
//!
//! * `vpc_cidr` (10.0.0.0/16): the VPC's block (the guide's "IPv4 CIDR manual input").
//! * `region` (us-east-1): the region; also what `{{region}}` resolves to.
//! * `azs` (1): availability zones; the guide has one public and one private subnet, more
//!   zones give each tier a subnet per zone (still one NAT gateway, which NET007 then notes).
//! * `cluster_installer_role` (cluster_installer_role), `worker_node_role` (worker_node_role):
//!   the roles' names, which the guide asks you to choose in step 2 and reuse in steps 3 and
//!   5; the instance profiles take the same names, and `iam:PassRole` names these roles. The
//!   same name for both (IAM names ignore case) gives one role holding both policies, since
//!   IAM cannot hold two roles of one name.
//! * `hardened` (false): see below.
//!
//! ## What the default variant is flagged for, and what `hardened=true` changes
//!
//! * **SG001**: the guide's one SSH group admits tcp 22 from the internet and sits on the
//!   master node too. Hardened splits it: `jump_host_ssh` (tcp 22 from anywhere) on the jump
//!   host only, and the guide's `elastic_runtime_ssh` (the group the guide has you name in
//!   `config.txt`) admitting tcp 22 only from `jump_host_ssh`, on the master node; the guide
//!   itself says the environment must only be reached through the jump host.
//! * **IAM007**: `elasticloadbalancing:*` (`VisualEditor19`) and `secretsmanager:*`
//!   (`VisualEditor21`). Hardened lists the actions: for load balancers, creating, modifying,
//!   tagging and deleting load balancers (classic and v2), listeners, rules and target groups
//!   and registering targets; for secrets, creating, describing, reading, writing, tagging and
//!   deleting them.
//! * **IAM006** (a note: the roles `iam:PassRole` may pass are named): the installer can pass
//!   both roles and launch instances with them. Inherent to an installer; hardened adds an
//!   `iam:PassedToService` condition (`ec2.amazonaws.com`), the note stays.
//! * **IAM004** (notes): `Resource: "*"` for actions that take ARNs. The guide itself says to
//!   use `*` "only where absolutely required" and to "consider restricting by region or
//!   resource"; hardened does both: every `*` region in an ARN becomes the design's region, and
//!   statements mixing actions that take ARNs with actions that only take `*` are split (the
//!   part that takes ARNs keeps the guide's Sid, the other gets the Sid with `Describe` or
//!   `Unscoped` appended). `VisualEditor4` becomes the account's EC2 resources in the region,
//!   the Auto Scaling statements the account's groups in the region, the EFS ones its file
//!   systems and access points, the secrets its secrets in the region, and
//!   `iam:CreateServiceLinkedRole` the service-linked roles of Auto Scaling, Elastic Load
//!   Balancing and EFS. What is left on `*` takes nothing else (`ec2:Describe*`,
//!   `sts:DecodeAuthorizationMessage`, `elasticfilesystem:CreateFileSystem`, the describe
//!   actions of Auto Scaling and Elastic Load Balancing).
//! * **SG008** and `NET015` (notes): the VPC's default security group keeps AWS's rules, and
//!   there are no flow logs. Hardened does what every hardened preset does
//!   (`presets/hardened.rs`): it removes the default group's rules, sends flow logs of all
//!   traffic to CloudWatch Logs, and puts each tier in a network ACL of its own (everything
//!   from the VPC, what the tier's groups admit from anywhere, replies to its outbound
//!   connections), so the default network ACL is emptied (`deny_all`).
//! * **IAM011** (error, never in the shipped variants): the guide's installer policy is about
//!   5,800 characters in partition `aws`, near IAM's 6,144 for a managed policy. Where it would
//!   not fit (partition `aws-us-gov`, whose longer name is in every ARN; and always when
//!   hardened, whose listed actions and region-scoped ARNs are longer) the preset splits it in
//!   two as said in step 2, measuring it as IAM011 does.
//!
//! ## What the guide says that this preset does not express
//!
//! * The guide's `VisualEditor5` lists `network-interface` among the `ec2:CreateAction`
//!   values, where the API action is `CreateNetworkInterface`: kept as written (both variants),
//!   since it is the guide's text and grants nothing wrong; it simply never matches.
//! * The stray `{` after `VisualEditor21` in the guide is a formatting slip, not a statement.
//! * Instance types and images: the guide's launch guidelines are not in its text, so the jump
//!   host is a `t3.micro` and the master node a `t3.xlarge`, both Amazon Linux 2023 (x86_64).
//!   No key pair is named (an existing one is chosen at launch).
//! * `config.txt` (the group and worker instance profile names the deployment reads) and the
//!   installer's own resources (auto-scaling groups of worker nodes, EFS, load balancers) are
//!   created later by the installer, not by this plan.

mod policies;

use serde_json::{json, Value};

use self::policies::{cluster_installer_statements, document, ec2_trust, worker_node_policy, Arns};
use super::{Param, ParamKind, Params, PresetInfo, HARDENED, VPC_CIDR};
use crate::design::network::Design;

const CLUSTER_INSTALLER_ROLE: Param = Param {
    key: "cluster_installer_role",
    default: "cluster_installer_role",
    kind: ParamKind::Name,
    help: "the cluster installer role's name (and its instance profile's)",
};

const WORKER_NODE_ROLE: Param = Param {
    key: "worker_node_role",
    default: "worker_node_role",
    kind: ParamKind::Name,
    help: "the worker node role's name (and its instance profile's)",
};

pub(super) const INFO: PresetInfo = PresetInfo {
    name: "informatica",
    summary: "Informatica elastic runtime environment: \"Setting up the AWS environment\" (NAT gateway, SSH group, cluster installer and worker node policies and roles, jump host, master node)",
    params: &[
        VPC_CIDR,
        super::region("us-east-1"),
        super::azs("1"),
        CLUSTER_INSTALLER_ROLE,
        WORKER_NODE_ROLE,
        HARDENED,
    ],
};

const CLUSTER_INSTALLER_POLICY: &str = "cluster_installer_policy";
/// The second half of the cluster installer's permissions, when they do not fit in one managed
/// policy.
const CLUSTER_INSTALLER_POLICY_2: &str = "cluster_installer_policy_2";
const WORKER_NODE_POLICY: &str = "worker_node_policy";

/// The guide's security group, on the jump host and the master node (hardened: the master
/// node only).
const SSH_GROUP: &str = "elastic_runtime_ssh";
/// Hardened: the jump host's own group, the only one admitting SSH from the internet.
const JUMP_HOST_GROUP: &str = "jump_host_ssh";

pub(super) fn design(p: &Params) -> Result<Design, String> {
    let hardened = p.bool("hardened");
    let a = Arns { hardened };
    let installer = p.str("cluster_installer_role");
    let worker = p.str("worker_node_role");
    // IAM role names ignore case: one name for both roles means one role.
    let worker = if worker.eq_ignore_ascii_case(installer) {
        installer
    } else {
        worker
    };

    let (ec2, services) = cluster_installer_statements(&a, installer, worker);
    let whole: Vec<Value> = ec2.iter().chain(&services).cloned().collect();
    let worker_policy = json!({
        "name": WORKER_NODE_POLICY,
        "description": "Informatica elastic runtime environment: the worker nodes' permissions",
        "document": document(worker_node_policy(&a))
    });
    let one = json!([
        {
            "name": CLUSTER_INSTALLER_POLICY,
            "description": "Informatica elastic runtime environment: the cluster installer's permissions",
            "document": document(whole)
        },
        worker_policy
    ]);
    let two = json!([
        {
            "name": CLUSTER_INSTALLER_POLICY,
            "description": "Informatica elastic runtime environment: the cluster installer's permissions (Auto Scaling and EC2)",
            "document": document(ec2)
        },
        {
            "name": CLUSTER_INSTALLER_POLICY_2,
            "description": "Informatica elastic runtime environment: the cluster installer's permissions (EFS, IAM, STS, Elastic Load Balancing, Secrets Manager)",
            "document": document(services)
        },
        worker_policy
    ]);
    let ssh = |peer: Value, description: &str| json!({"protocol": "tcp", "ports": 22, "peer": peer, "description": description});
    let (groups, jump_host_groups) = if hardened {
        (
            json!([
                {
                    "name": JUMP_HOST_GROUP,
                    "description": "SSH to the jump host from the internet",
                    "ingress": [ssh(json!("internet"), "SSH to the jump host")]
                },
                {
                    "name": SSH_GROUP,
                    "description": "SSH access to the elastic runtime environment, from the jump host",
                    "ingress": [ssh(json!({"group": JUMP_HOST_GROUP}), "SSH from the jump host")]
                }
            ]),
            json!([JUMP_HOST_GROUP]),
        )
    } else {
        (
            json!([{
                "name": SSH_GROUP,
                "description": "SSH access to the elastic runtime environment",
                "ingress": [ssh(json!("internet"), "SSH")]
            }]),
            json!([SSH_GROUP]),
        )
    };

    let build = |policies: &Value| {
        let installer_policies: Vec<Value> = policies
            .as_array()
            .expect("an array")
            .iter()
            .filter_map(|p| p["name"].as_str())
            .filter(|n| *n != WORKER_NODE_POLICY)
            .map(|n| json!({"policy": n}))
            .collect();
        let (roles, profiles) = if installer == worker {
            // One name for both: IAM holds one role of a name, so it takes both policies.
            let mut all = installer_policies;
            all.push(json!({"policy": WORKER_NODE_POLICY}));
            (
                json!([{
                    "name": installer,
                    "description": "Informatica elastic runtime environment: the cluster installer and the worker nodes",
                    "trust_policy": ec2_trust(),
                    "managed_policies": all
                }]),
                json!([{"name": installer, "role": installer}]),
            )
        } else {
            (
                json!([
                    {
                        "name": installer,
                        "description": "Informatica elastic runtime environment: the cluster installer (master node)",
                        "trust_policy": ec2_trust(),
                        "managed_policies": installer_policies
                    },
                    {
                        "name": worker,
                        "description": "Informatica elastic runtime environment: the worker nodes",
                        "trust_policy": ec2_trust(),
                        "managed_policies": [{"policy": WORKER_NODE_POLICY}]
                    }
                ]),
                json!([
                    {"name": installer, "role": installer},
                    {"name": worker, "role": worker}
                ]),
            )
        };
        super::from_json(json!({
            "name": "informatica",
            "region": p.str("region"),
            "vpc": {"cidr": p.str("vpc_cidr"), "restrict_default_security_group": hardened},
            "availability_zones": p.count("azs"),
            "tiers": [
                {"name": "public", "kind": "public", "size": {"prefix": 24}},
                {"name": "private", "kind": "private", "size": {"prefix": 22}}
            ],
            "nat": "single_gateway",
            "security_groups": groups,
            "iam": {
                "policies": policies,
                "roles": roles,
                "instance_profiles": profiles
            },
            "instances": [
                {
                    "name": "jump_host",
                    "role": "jump_host",
                    "ami": {"alias": "al2023-x86_64"},
                    "instance_type": "t3.micro",
                    "tier": "public",
                    "security_groups": jump_host_groups
                },
                {
                    "name": "master_node",
                    "role": "master_node",
                    "ami": {"alias": "al2023-x86_64"},
                    "instance_type": "t3.xlarge",
                    "tier": "private",
                    "security_groups": [SSH_GROUP],
                    "instance_profile": installer
                }
            ]
        }))
    };

    if !hardened {
        let design = build(&one)?;
        if fits(&design, CLUSTER_INSTALLER_POLICY) {
            return Ok(design);
        }
    }
    build(&two)
}

/// Whether a managed policy of `design` fits IAM's 6,144 characters (without whitespace, its
/// references rendered as in `design`'s region), as finding IAM011 measures it.
fn fits(design: &Design, policy: &str) -> bool {
    let values = crate::design::iam::values::ApplyValues::stand_in(design);
    design.iam.policy(policy).is_some_and(|p| {
        p.document
            .render(&|r| values.resolve(design, r))
            .is_ok_and(|text| text.chars().filter(|c| !c.is_whitespace()).count() <= 6_144)
    })
}
