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

use serde_json::{json, Value};

use super::{Param, ParamKind, Params, PresetInfo, HARDENED, VPC_CIDR};
use crate::design::Design;

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

/// Builds ARNs as the guide writes them, with the partition as a reference.
struct Arns {
    hardened: bool,
}

impl Arns {
    /// `arn:<partition>:<service>:<region>:<account>:<resource>`, where `region` is a
    /// literal or a reference and `account` is whether the account id is in it.
    fn arn(&self, service: &str, region: Value, account: bool, resource: &str) -> Value {
        let mut parts = vec![
            json!("arn:"),
            json!({"ref": "partition"}),
            json!(format!(":{service}:")),
            region,
            json!(":"),
        ];
        if account {
            parts.push(json!({"ref": "account_id"}));
        }
        parts.push(json!(format!(":{resource}")));
        join(parts)
    }

    /// The guide's `*` region: the design's region when hardened.
    fn any_region(&self) -> Value {
        if self.hardened {
            json!({"ref": "region"})
        } else {
            json!("*")
        }
    }

    /// `arn:aws:<service>:*:{{account-id}}:<resource>`.
    fn any(&self, service: &str, resource: &str) -> Value {
        self.arn(service, self.any_region(), true, resource)
    }

    /// `arn:aws:<service>:{{region}}:{{account-id}}:<resource>`.
    fn here(&self, service: &str, resource: &str) -> Value {
        self.arn(service, json!({"ref": "region"}), true, resource)
    }

    /// `arn:aws:ec2:*::<resource>` (snapshots and images, which name no account).
    fn public(&self, resource: &str) -> Value {
        self.arn("ec2", self.any_region(), false, resource)
    }

    /// `arn:aws:ec2:*:{{account-id}}:<resource>` for each resource.
    fn ec2(&self, resources: &[&str]) -> Vec<Value> {
        resources
            .iter()
            .map(|r| match r.strip_prefix("::") {
                Some(public) => self.public(public),
                None => self.any("ec2", r),
            })
            .collect()
    }
}

/// `{"join": parts}` with adjacent literals merged.
fn join(parts: Vec<Value>) -> Value {
    let mut out: Vec<Value> = Vec::new();
    for p in parts {
        match (out.last_mut(), &p) {
            (Some(Value::String(prev)), Value::String(s)) => prev.push_str(s),
            _ => out.push(p),
        }
    }
    json!({ "join": out })
}

fn statement(sid: Option<&str>, action: Value, resource: Value) -> Value {
    let mut s = json!({"Effect": "Allow", "Action": action, "Resource": resource});
    if let Some(sid) = sid {
        s.as_object_mut()
            .expect("an object")
            .insert("Sid".to_owned(), json!(sid));
    }
    s
}

fn with_condition(mut s: Value, condition: Value) -> Value {
    s.as_object_mut()
        .expect("an object")
        .insert("Condition".to_owned(), condition);
    s
}

/// The auto-scaling groups of the account in the design's region.
fn autoscaling_groups(a: &Arns) -> Value {
    a.here("autoscaling", "autoScalingGroup:*:autoScalingGroupName/*")
}

/// The account's EFS file systems and access points in the design's region.
fn efs(a: &Arns) -> Value {
    json!([
        a.here("elasticfilesystem", "file-system/*"),
        a.here("elasticfilesystem", "access-point/*")
    ])
}

/// `Permissions_cluster_installer_policy.json`, statement by statement, in two parts: Auto
/// Scaling and EC2 (`VisualEditor0`–`VisualEditor9`), then EFS, IAM, STS, Elastic Load
/// Balancing and Secrets Manager (the rest).
fn cluster_installer_statements(
    a: &Arns,
    installer: &str,
    worker: &str,
) -> (Vec<Value>, Vec<Value>) {
    let h = a.hardened;
    let mut st = Vec::new();

    // VisualEditor0: Auto Scaling groups.
    let ve0 = [
        "autoscaling:AttachLoadBalancers",
        "autoscaling:UpdateAutoScalingGroup",
        "autoscaling:DeleteAutoScalingGroup",
        "autoscaling:TerminateInstanceInAutoScalingGroup",
        "autoscaling:DescribeAutoScalingGroups",
        "autoscaling:CreateAutoScalingGroup",
        "autoscaling:DescribeScalingActivities",
        "autoscaling:DescribeTags",
    ];
    if h {
        let (describe, manage): (Vec<&str>, Vec<&str>) = ve0
            .iter()
            .partition(|x| x.starts_with("autoscaling:Describe"));
        st.push(statement(
            Some("VisualEditor0"),
            json!(manage),
            autoscaling_groups(a),
        ));
        st.push(statement(
            Some("VisualEditor0Describe"),
            json!(describe),
            json!("*"),
        ));
    } else {
        st.push(statement(Some("VisualEditor0"), json!(ve0), json!("*")));
    }

    // VisualEditor1: read-only EC2.
    st.push(statement(
        Some("VisualEditor1"),
        json!("ec2:Describe*"),
        json!("*"),
    ));

    // VisualEditor2: launching instances.
    st.push(statement(
        Some("VisualEditor2"),
        json!("ec2:RunInstances"),
        json!(a.ec2(&[
            "security-group/*",
            "network-interface/*",
            "launch-template/*",
            "::snapshot/*",
            "instance/*",
            "key-pair/*",
            "volume/*",
            "subnet/*",
            "::image/*",
        ])),
    ));

    // VisualEditor3: creating EC2 resources.
    let mut ve3 = a.ec2(&[
        "security-group/*",
        "network-interface/*",
        "internet-gateway/*",
        "launch-template/*",
        "instance/*",
        "security-group-rule/*",
        "::snapshot/*",
    ]);
    ve3.push(a.here("ec2", "route-table/*"));
    ve3.extend(a.ec2(&[
        "subnet/*",
        "volume/*",
        "import-snapshot-task/*",
        "::image/*",
        "key-pair/*",
    ]));
    st.push(statement(
        Some("VisualEditor3"),
        json!([
            "ec2:CreateKeyPair",
            "ec2:CreateTags",
            "ec2:CreateRouteTable",
            "ec2:CreateImage",
            "ec2:CreateVolume",
            "ec2:CreateNetworkInterface",
            "ec2:CreateLaunchTemplate",
            "ec2:CreateSecurityGroup",
            "ec2:CreateInternetGateway",
            "ec2:CreateSnapshot",
            "ec2:AssociateSubnetCidrBlock",
            "ec2:CreateSubnet"
        ]),
        json!(ve3),
    ));

    // VisualEditor4: managing live EC2 resources.
    let ve4_resource = if h {
        json!([a.here("ec2", "*"), a.public("snapshot/*")])
    } else {
        json!("*")
    };
    st.push(statement(
        Some("VisualEditor4"),
        json!([
            "ec2:AuthorizeSecurityGroupIngress",
            "ec2:ReplaceRouteTableAssociation",
            "ec2:DeleteTags",
            "ec2:AttachInternetGateway",
            "ec2:DeleteRouteTable",
            "ec2:AssociateRouteTable",
            "ec2:DeleteVolume",
            "ec2:StartInstances",
            "ec2:CreateRoute",
            "ec2:RevokeSecurityGroupEgress",
            "ec2:ModifyVpcAttribute",
            "ec2:DeleteInternetGateway",
            "ec2:DeleteLaunchTemplateVersions",
            "ec2:ModifyInstanceAttribute",
            "ec2:AuthorizeSecurityGroupEgress",
            "ec2:DeleteLaunchTemplate",
            "ec2:TerminateInstances",
            "ec2:ImportKeyPair",
            "ec2:CreateTags",
            "ec2:ImportSnapshot",
            "ec2:DeleteRoute",
            "ec2:DetachInternetGateway",
            "ec2:StopInstances",
            "ec2:DisassociateRouteTable",
            "ec2:CreateLaunchTemplateVersion",
            "ec2:RevokeSecurityGroupIngress",
            "ec2:DeleteSecurityGroup",
            "ec2:ModifyLaunchTemplate",
            "ec2:DeleteKeyPair",
            "ec2:AssociateIamInstanceProfile"
        ]),
        ve4_resource,
    ));

    // VisualEditor5: tagging on creation.
    let mut ve5 = a.ec2(&[
        "network-interface/*",
        "key-pair/*",
        "launch-template/*",
        "instance/*",
    ]);
    ve5.push(a.here("ec2", "route-table/*"));
    ve5.extend(a.ec2(&["volume/*", "subnet/*"]));
    st.push(with_condition(
        statement(Some("VisualEditor5"), json!("ec2:CreateTags"), json!(ve5)),
        json!({"StringEquals": {"ec2:CreateAction": [
            "CreateVolume",
            "RunInstances",
            "CreateSecurityGroup",
            "CreateKeyPair",
            "CreateLaunchTemplate",
            "CreateLaunchTemplateVersion",
            "network-interface",
            "CreateTags",
            "CreateSubnet",
            "CreateAutoScalingGroup",
            "CreateRouteTable"
        ]}}),
    ));

    // VisualEditor6: security groups in the account's VPCs.
    st.push(statement(
        Some("VisualEditor6"),
        json!("ec2:CreateSecurityGroup"),
        a.any("ec2", "vpc/*"),
    ));

    // VisualEditor7.
    st.push(statement(
        Some("VisualEditor7"),
        json!(["ec2:CreateSecurityGroup", "ec2:CreateTags"]),
        json!(a.ec2(&[
            "security-group/*",
            "network-interface/*",
            "launch-template/*",
            "elastic-ip/*",
            "::snapshot/*",
        ])),
    ));

    // VisualEditor8: subnets and route tables of the VPC.
    st.push(statement(
        Some("VisualEditor8"),
        json!([
            "ec2:DeleteSubnet",
            "ec2:CreateTags",
            "ec2:CreateRouteTable",
            "ec2:AssociateSubnetCidrBlock",
            "ec2:CreateSubnet"
        ]),
        json!([
            join(vec![
                json!("arn:"),
                json!({"ref": "partition"}),
                json!(":ec2:"),
                json!({"ref": "region"}),
                json!(":"),
                json!({"ref": "account_id"}),
                json!(":vpc/"),
                json!({"ref": "vpc_id"}),
            ]),
            a.here("ec2", "route-table/*"),
            a.any("ec2", "subnet/*")
        ]),
    ));

    // VisualEditor9: volumes from snapshots.
    st.push(statement(
        Some("VisualEditor9"),
        json!("ec2:CreateVolume"),
        a.public("snapshot/*"),
    ));

    let ec2 = std::mem::take(&mut st);

    // VisualEditor10 and 11: EFS.
    if h {
        st.push(statement(
            Some("VisualEditor10"),
            json!("elasticfilesystem:CreateMountTarget"),
            efs(a),
        ));
        st.push(statement(
            Some("VisualEditor10Describe"),
            json!("elasticfilesystem:Describe*"),
            efs(a),
        ));
        st.push(statement(
            Some("VisualEditor11"),
            json!([
                "elasticfilesystem:CreateAccessPoint",
                "elasticfilesystem:CreateTags"
            ]),
            efs(a),
        ));
        st.push(statement(
            Some("VisualEditor11Unscoped"),
            json!("elasticfilesystem:CreateFileSystem"),
            json!("*"),
        ));
    } else {
        st.push(statement(
            Some("VisualEditor10"),
            json!([
                "elasticfilesystem:CreateMountTarget",
                "elasticfilesystem:Describe*"
            ]),
            json!("*"),
        ));
        st.push(statement(
            Some("VisualEditor11"),
            json!([
                "elasticfilesystem:CreateFileSystem",
                "elasticfilesystem:CreateAccessPoint",
                "elasticfilesystem:CreateTags"
            ]),
            json!("*"),
        ));
    }

    // VisualEditor13: passing the two roles.
    let roles = if installer == worker {
        json!([{"ref": "role_arn", "role": installer}])
    } else {
        json!([
            {"ref": "role_arn", "role": installer},
            {"ref": "role_arn", "role": worker}
        ])
    };
    let pass = statement(Some("VisualEditor13"), json!("iam:PassRole"), roles);
    st.push(if h {
        with_condition(
            pass,
            json!({"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}),
        )
    } else {
        pass
    });

    // VisualEditor14.
    st.push(statement(
        Some("VisualEditor14"),
        json!("sts:DecodeAuthorizationMessage"),
        json!("*"),
    ));

    // VisualEditor19: load balancers.
    let elb_actions = if h {
        json!([
            "elasticloadbalancing:AddTags",
            "elasticloadbalancing:RemoveTags",
            "elasticloadbalancing:CreateLoadBalancer",
            "elasticloadbalancing:DeleteLoadBalancer",
            "elasticloadbalancing:ModifyLoadBalancerAttributes",
            "elasticloadbalancing:ConfigureHealthCheck",
            "elasticloadbalancing:CreateLoadBalancerListeners",
            "elasticloadbalancing:DeleteLoadBalancerListeners",
            "elasticloadbalancing:RegisterInstancesWithLoadBalancer",
            "elasticloadbalancing:DeregisterInstancesFromLoadBalancer",
            "elasticloadbalancing:ApplySecurityGroupsToLoadBalancer",
            "elasticloadbalancing:AttachLoadBalancerToSubnets",
            "elasticloadbalancing:SetSecurityGroups",
            "elasticloadbalancing:SetSubnets",
            "elasticloadbalancing:CreateListener",
            "elasticloadbalancing:DeleteListener",
            "elasticloadbalancing:ModifyListener",
            "elasticloadbalancing:CreateRule",
            "elasticloadbalancing:DeleteRule",
            "elasticloadbalancing:ModifyRule",
            "elasticloadbalancing:CreateTargetGroup",
            "elasticloadbalancing:DeleteTargetGroup",
            "elasticloadbalancing:ModifyTargetGroup",
            "elasticloadbalancing:ModifyTargetGroupAttributes",
            "elasticloadbalancing:RegisterTargets",
            "elasticloadbalancing:DeregisterTargets"
        ])
    } else {
        json!("elasticloadbalancing:*")
    };
    let elb: Vec<Value> = [
        "targetgroup/*",
        "listener/*",
        "listener/app/*",
        "listener-rule/app/*",
        "listener/net/*",
        "listener-rule/net/*",
        "loadbalancer/*",
        "loadbalancer/app/*",
        "loadbalancer/net/*",
    ]
    .iter()
    .map(|r| a.any("elasticloadbalancing", r))
    .collect();
    st.push(statement(Some("VisualEditor19"), elb_actions, json!(elb)));

    // VisualEditor21: secrets.
    let secrets_actions = if h {
        json!([
            "secretsmanager:CreateSecret",
            "secretsmanager:DescribeSecret",
            "secretsmanager:GetSecretValue",
            "secretsmanager:PutSecretValue",
            "secretsmanager:UpdateSecret",
            "secretsmanager:TagResource",
            "secretsmanager:DeleteSecret"
        ])
    } else {
        json!("secretsmanager:*")
    };
    st.push(statement(
        Some("VisualEditor21"),
        secrets_actions,
        a.any("secretsmanager", "secret:*"),
    ));

    // VisualEditor22: service-linked roles.
    if h {
        st.push(with_condition(
            statement(
                Some("VisualEditor22"),
                json!("iam:CreateServiceLinkedRole"),
                a.arn("iam", json!(""), true, "role/aws-service-role/*"),
            ),
            json!({"StringEquals": {"iam:AWSServiceName": [
                "autoscaling.amazonaws.com",
                "elasticloadbalancing.amazonaws.com",
                "elasticfilesystem.amazonaws.com"
            ]}}),
        ));
    } else {
        st.push(statement(
            Some("VisualEditor22"),
            json!("iam:CreateServiceLinkedRole"),
            json!("*"),
        ));
    }

    // Elastic Load Balancing (no Sid in the guide).
    st.push(statement(
        None,
        json!([
            "elasticloadbalancing:DescribeLoadBalancers",
            "elasticloadbalancing:DescribeInstanceHealth"
        ]),
        json!("*"),
    ));

    (ec2, st)
}

/// `Permissions_worker_node_policy.json`.
fn worker_node_policy(a: &Arns) -> Vec<Value> {
    let describe = [
        "elasticfilesystem:DescribeAccessPoints",
        "elasticfilesystem:DescribeFileSystems",
        "elasticfilesystem:DescribeMountTargets",
        "ec2:DescribeAvailabilityZones",
        "autoscaling:DescribeAutoScalingGroups",
        "autoscaling:DescribeAutoScalingInstances",
        "autoscaling:DescribeLaunchConfigurations",
        "autoscaling:DescribeTags",
        "ec2:DescribeInstances",
        "ec2:DescribeLaunchTemplateVersions",
        "ec2:DescribeTags",
    ];
    let capacity = json!([
        "autoscaling:SetDesiredCapacity",
        "autoscaling:TerminateInstanceInAutoScalingGroup"
    ]);
    let secrets = json!(["secretsmanager:GetSecretValue"]);
    if a.hardened {
        let (efs_describe, rest): (Vec<&str>, Vec<&str>) = describe
            .iter()
            .partition(|x| x.starts_with("elasticfilesystem:"));
        vec![
            statement(Some("DescribeActions"), json!(rest), json!("*")),
            statement(Some("DescribeFileSystems"), json!(efs_describe), efs(a)),
            statement(Some("AutoscalingCapacity"), capacity, autoscaling_groups(a)),
            statement(
                Some("SecretsManagerAccess"),
                secrets,
                a.here("secretsmanager", "secret:*"),
            ),
        ]
    } else {
        vec![
            statement(Some("DescribeActions"), json!(describe), json!("*")),
            statement(Some("AutoscalingCapacity"), capacity, json!("*")),
            statement(Some("SecretsManagerAccess"), secrets, json!("*")),
        ]
    }
}

fn document(statements: Vec<Value>) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

fn ec2_trust() -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": "ec2.amazonaws.com"},
            "Action": "sts:AssumeRole"
        }]
    })
}

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
            "vpc": {"cidr": p.str("vpc_cidr")},
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
    let values = crate::iam::ApplyValues::stand_in(design);
    design.iam.policy(policy).is_some_and(|p| {
        p.document
            .render(&|r| values.resolve(design, r))
            .is_ok_and(|text| text.chars().filter(|c| !c.is_whitespace()).count() <= 6_144)
    })
}
