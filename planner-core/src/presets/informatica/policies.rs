//! The guide's policy documents for the Informatica preset: the cluster installer's statements
//! and the worker node's, with ARNs written as the guide writes them and the partition as a
//! reference.

use serde_json::{json, Value};

/// Builds ARNs as the guide writes them, with the partition as a reference.
pub(super) struct Arns {
    /// Whether the preset is hardened (regions pinned to the design's).
    pub(super) hardened: bool,
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
pub(super) fn cluster_installer_statements(
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
pub(super) fn worker_node_policy(a: &Arns) -> Vec<Value> {
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

pub(super) fn document(statements: Vec<Value>) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

pub(super) fn ec2_trust() -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": "ec2.amazonaws.com"},
            "Action": "sts:AssumeRole"
        }]
    })
}
