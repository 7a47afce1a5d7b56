//! Determined Cloud, bring your own AWS (`deploy-aws-cloud`, "Bring Your Own Cloud: AWS"): the
//! IAM that `python -m detcloud.cli connect aws` creates in the customer's account so that
//! Determined Cloud can build and run Determined clusters there.
//!
//! The design holds IAM only. Determined Cloud creates the VPCs, subnets, gateways, security
//! groups and instances of every cluster itself (the guide's "How Determined Cloud Manages
//! Your Clusters"), so the design has no `vpc`, no tiers, no NAT, no security groups and no
//! instances, and the preset takes no `vpc_cidr` or `azs`.
//!
//! What the guide describes, all reproduced:
//!
//! * the cross-account role (`xacct_role_name`), trusted by the vendor's two management roles
//!   `arn:aws:iam::<vendor_account>:role/det-cloud-internal-global-mgmt-role` and
//!   `…:role/det-cloud-internal-aws-us-west-2-mgmt-role`, with the guide's permission policy:
//!   `DetCrossAccountAccess` (every action the guide lists, on `"*"`) and `DetCrossPassRole`
//!   (`iam:PassRole` on the master role, written `{"ref": "role_arn", …}` where the guide says
//!   `arn:aws:iam::<your AWS account ID>:role/<master instance profile name>`);
//! * the master role and instance profile (`master_instance_profile_name`), trusted by
//!   `ec2.amazonaws.com`, with the guide's EC2 and CloudWatch Logs statement and `iam:PassRole`
//!   on the agent role (a reference, where the guide has a placeholder);
//! * the agent role and instance profile (`agent_instance_profile_name`), trusted by
//!   `ec2.amazonaws.com`, with the guide's `s3:*`, `ec2:DescribeInstances` and Logs statement;
//! * the AWS managed `AmazonSSMManagedEC2InstanceDefaultPolicy` attached to both instance
//!   roles.
//!
//! Each role is named like its instance profile, as `connect aws` does: the guide's
//! `DetCrossPassRole` resource is `role/<master instance profile name>`, which only names the
//! master role if the two names are the same.
//!
//! The permission policies are inline policies of their roles (named `det-cloud-xacct-mgmt`,
//! `det-cloud-master` and `det-cloud-agent`; the guide does not name them). The guide gives
//! each role its "Required Permissions Policy" as part of the role, and `connect aws` reports
//! creating the role and the two instance profiles only, no policy ARN to note; Determined's
//! own CloudFormation templates (`determined deploy aws`) write the same master and agent
//! statements as the roles' `Policies`, i.e. inline. A customer managed policy would be a fourth kind of object to track and delete, and
//! could be attached elsewhere by mistake.
//!
//! The vendor's second management role is named after `us-west-2` and stays so whatever
//! `region` is: it is a role in Determined's account (a vendor fact, like the account id) named
//! after the region Determined Cloud's control plane runs in, not after the customer's region.
//! The guide's `connect aws` takes no region for it, and writing another region there would
//! name a role that may not exist, which IAM refuses ("Invalid principal in policy").
//!
//! ## Parameters
//!
//! * `region` (`us-west-2`, the region of the vendor's management role): the design's region.
//!   IAM is global; the region only sets the partition the role ARN references resolve in.
//! * `vendor_account` (`544296492693`): Determined's AWS account, the `-a/--account-id` of
//!   `connect aws`; the account of the two trusted management roles. The guide warns that it
//!   varies between deployments.
//! * `xacct_role_name` (`det-cloud-customer-xacct-mgmt`): the cross-account role
//!   (`--xacct-role-name`).
//! * `master_instance_profile_name` (`det-cloud-customer-master`): the master's instance
//!   profile and role (`--master-instance-profile-name`).
//! * `agent_instance_profile_name` (`det-cloud-customer-agent`): the agents' instance profile
//!   and role (`--agent-instance-profile-name`).
//! * `external_id` (`det-cloud-customer`): the `sts:ExternalId` the hardened trust policy
//!   requires; ignored unless `hardened=true`. Set it to the id Determined gives you: a
//!   default known to everyone protects nothing. IAM wants 2–1,224 characters.
//! * `hardened` (`false`): see below.
//!
//! The three role names must differ, ignoring case (IAM names are unique so); `build` refuses
//! a combination that breaks this with a message that says so.
//!
//! ## Findings of the guide's own choices, and what `hardened=true` changes
//!
//! * IAM008 (warning): the cross-account role trusts account `vendor_account` without an
//!   `sts:ExternalId` condition (confused deputy). Hardened adds
//!   `"Condition": {"StringEquals": {"sts:ExternalId": <external_id>}}` to both trust
//!   statements. Determined Cloud must then pass that id when it assumes the role; the guide's
//!   `connect aws` has no option for one.
//! * IAM006 (warning): `DetCrossAccountAccess` grants `iam:AttachRolePolicy` on `"*"`, so the
//!   cross-account role can attach any policy (`AdministratorAccess`) to itself, or to the
//!   master and agent roles. Hardened moves the role writes (`iam:CreateRole`,
//!   `iam:DeleteRole`, `iam:AttachRolePolicy`, `iam:DetachRolePolicy`, `iam:TagRole`) to a
//!   statement `DetCrossManagedRoles` on `arn:<partition>:iam::<account>:role/det-cloud/*`:
//!   Determined Cloud can manage the roles it creates under the path `/det-cloud/` and no
//!   other role, neither its own (path `/`) nor the customer's. Determined Cloud must create
//!   its clusters' roles under that path; the guide does not say which path it uses.
//! * IAM007 (warning): the agent role's `s3:*`. Hardened grants what Determined's S3
//!   checkpoint storage calls (`harness/determined/common/storage/s3.py`: `put_object`,
//!   `upload_file`, `objects.filter`, `download_file`, `delete_objects`): `s3:ListBucket`,
//!   `s3:GetObject`, `s3:PutObject`, `s3:DeleteObject` and `s3:AbortMultipartUpload` (multipart
//!   uploads that fail). Training code that reads data sets from S3 with the agent's role needs
//!   no more than `s3:GetObject` and `s3:ListBucket`; anything else it does must be added.
//! * IAM006 (notes): the cross-account role and the master role each hold `iam:PassRole` and
//!   `ec2:RunInstances`, so each holds the permissions of the role it passes (the master role,
//!   the agent role). Both are scoped to exactly one role, as the guide does, which is AWS's
//!   remedy; they stay in both variants.
//! * IAM004 (notes): `Resource: "*"` for actions that support resource-level permissions.
//!   The buckets, instances, clusters and keys Determined Cloud creates have names the design
//!   cannot know, so both variants keep `"*"`.
//!
//! ## Not expressible, or not closed by `hardened`
//!
//! * Even scoped to `/det-cloud/`, `iam:CreateRole` with `iam:AttachRolePolicy` lets Determined
//!   Cloud create a role trusting its own account and attach `AdministratorAccess` to it.
//!   Closing that takes a permissions boundary that Determined Cloud would have to set on every
//!   role it creates (an `iam:PermissionsBoundary` condition), which the guide does not
//!   provide for; no check reports it.
//! * `DetCrossAccountAccess` grants `ssm:SendCommand` and `ssm:StartSession` on `"*"`: Determined
//!   Cloud can run commands on every SSM-managed instance of the account, the customer's own
//!   included, and so act with their roles. IAM006 reports it (a warning) in both variants: the
//!   guide gives no tag or name that marks Determined's instances, so neither variant scopes it.
//! * Through the master role (which may pass the agent role) the cross-account role reaches
//!   the agent's S3 permissions on every bucket of the account (`s3:*` in the guide, object
//!   read and write when hardened): the bucket names are Determined Cloud's choice, so the
//!   agent's statement keeps `"*"`. The IAM006 notes say this in general terms.
//! * The design has `"tiers": []`: the planner requires the field even without a VPC.
//! * The vendor's account and role names are literal strings: they are facts of Determined's
//!   deployment (the guide notes they change between deployments), not of the customer's
//!   account, so no reference applies.

use super::{Param, ParamKind, Params, PresetInfo, HARDENED};
use crate::design::network::Design;
use serde_json::{json, Value};

const VENDOR_ACCOUNT: Param = Param {
    key: "vendor_account",
    default: "544296492693",
    kind: ParamKind::AccountId,
    help: "Determined's AWS account (connect aws -a/--account-id)",
};
const XACCT_ROLE_NAME: Param = Param {
    key: "xacct_role_name",
    default: "det-cloud-customer-xacct-mgmt",
    kind: ParamKind::Name,
    help: "the cross-account role Determined Cloud assumes (--xacct-role-name)",
};
const MASTER_PROFILE_NAME: Param = Param {
    key: "master_instance_profile_name",
    default: "det-cloud-customer-master",
    kind: ParamKind::Name,
    help: "the master's instance profile and role (--master-instance-profile-name)",
};
const AGENT_PROFILE_NAME: Param = Param {
    key: "agent_instance_profile_name",
    default: "det-cloud-customer-agent",
    kind: ParamKind::Name,
    help: "the agents' instance profile and role (--agent-instance-profile-name)",
};
const EXTERNAL_ID: Param = Param {
    key: "external_id",
    default: "det-cloud-customer",
    kind: ParamKind::Name,
    help: "the sts:ExternalId the hardened trust policy requires (hardened only)",
};

pub(super) const INFO: PresetInfo = PresetInfo {
    name: "determined",
    summary: "Determined Cloud, bring your own AWS: the cross-account role and the master and agent instance profiles of `detcloud connect aws`",
    params: &[
        super::region("us-west-2"),
        VENDOR_ACCOUNT,
        XACCT_ROLE_NAME,
        MASTER_PROFILE_NAME,
        AGENT_PROFILE_NAME,
        EXTERNAL_ID,
        HARDENED,
    ],
};

/// The vendor's management roles the cross-account role trusts.
const VENDOR_ROLES: [&str; 2] = [
    "det-cloud-internal-global-mgmt-role",
    "det-cloud-internal-aws-us-west-2-mgmt-role",
];

/// `DetCrossAccountAccess`, in the guide's order.
const XACCT_ACTIONS: &[&str] = &[
    "cloudwatch:GetMetricData",
    "ec2:AllocateAddress",
    "ec2:AssociateAddress",
    "ec2:AssociateRouteTable",
    "ec2:AttachInternetGateway",
    "ec2:AuthorizeSecurityGroupEgress",
    "ec2:AuthorizeSecurityGroupIngress",
    "ec2:CreateInternetGateway",
    "ec2:CreateNatGateway",
    "ec2:CreateNetworkInterface",
    "ec2:CreateRoute",
    "ec2:CreateRouteTable",
    "ec2:CreateSubnet",
    "ec2:CreateTags",
    "ec2:CreateVpc",
    "ec2:DeleteInternetGateway",
    "ec2:DeleteKeyPair",
    "ec2:DeleteNatGateway",
    "ec2:DeleteNetworkInterface",
    "ec2:DeleteRouteTable",
    "ec2:DeleteSubnet",
    "ec2:DeleteVpc",
    "ec2:DescribeAddresses",
    "ec2:DescribeAvailabilityZones",
    "ec2:DescribeInstanceStatus",
    "ec2:DescribeInstanceTypes",
    "ec2:DescribeInstances",
    "ec2:DescribeInternetGateways",
    "ec2:DescribeKeyPairs",
    "ec2:DescribeNatGateways",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeRouteTables",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeSubnets",
    "ec2:DescribeVpcs",
    "ec2:DetachInternetGateway",
    "ec2:DisassociateRouteTable",
    "ec2:ImportKeyPair",
    "ec2:ReleaseAddress",
    "ec2:RunInstances",
    "ec2:TerminateInstances",
    "iam:AddRoleToInstanceProfile",
    "iam:AttachRolePolicy",
    "iam:CreateInstanceProfile",
    "iam:CreatePolicy",
    "iam:CreateRole",
    "iam:DeleteInstanceProfile",
    "iam:DeletePolicy",
    "iam:DeleteRole",
    "iam:DetachRolePolicy",
    "iam:GetInstanceProfile",
    "iam:ListPolicies",
    "iam:ListRoles",
    "iam:RemoveRoleFromInstanceProfile",
    "iam:SimulatePrincipalPolicy",
    "iam:TagInstanceProfile",
    "iam:TagPolicy",
    "iam:TagRole",
    "kms:CreateGrant",
    "kms:DescribeKey",
    "logs:CreateLogGroup",
    "logs:DeleteLogGroup",
    "logs:PutRetentionPolicy",
    "logs:TagResource",
    "rds:AddTagsToResource",
    "rds:CreateDBCluster",
    "rds:CreateDBSubnetGroup",
    "rds:DeleteDBCluster",
    "rds:DeleteDBSubnetGroup",
    "rds:DescribeDBClusters",
    "rds:ModifyDBCluster",
    "rds:RestoreDBClusterToPointInTime",
    "s3:CreateBucket",
    "s3:DeleteBucket",
    "s3:PutBucketPolicy",
    "s3:PutEncryptionConfiguration",
    "servicequotas:GetServiceQuota",
    "ssm:GetCommandInvocation",
    "ssm:SendCommand",
    "ssm:StartSession",
    "ssm:DeleteParameter",
    "ssm:PutParameter",
];

/// Hardened: the role writes, scoped to [`MANAGED_ROLES_PATH`].
const ROLE_WRITES: &[&str] = &[
    "iam:AttachRolePolicy",
    "iam:CreateRole",
    "iam:DeleteRole",
    "iam:DetachRolePolicy",
    "iam:TagRole",
];

/// Hardened: the IAM path of the roles Determined Cloud may create and manage.
const MANAGED_ROLES_PATH: &str = "/det-cloud/";

/// The master's first statement, in the guide's order.
const MASTER_ACTIONS: &[&str] = &[
    "ec2:DescribeInstances",
    "ec2:TerminateInstances",
    "ec2:CreateTags",
    "ec2:RunInstances",
    "ec2:CancelSpotInstanceRequests",
    "ec2:RequestSpotInstances",
    "ec2:DescribeSpotInstanceRequests",
    "logs:CreateLogStream",
    "logs:PutLogEvents",
];

/// Hardened: what replaces the agent's `s3:*` (Determined's S3 checkpoint storage).
const AGENT_S3_ACTIONS: &[&str] = &[
    "s3:ListBucket",
    "s3:GetObject",
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:AbortMultipartUpload",
];

/// The AWS managed policy the guide attaches to both instance roles.
const SSM_POLICY: &str = "arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy";

/// Builds the design.
///
/// # Panics
///
/// When two of the three role names are equal ignoring case: IAM refuses that, and a preset
/// has no way to return an error for a combination of valid parameters.
pub(super) fn design(p: &Params) -> Result<Design, String> {
    let hardened = p.bool("hardened");
    let xacct = p.str("xacct_role_name");
    let master = p.str("master_instance_profile_name");
    let agent = p.str("agent_instance_profile_name");
    let names = [xacct, master, agent].map(str::to_ascii_lowercase);
    if names[0] == names[1] || names[0] == names[2] || names[1] == names[2] {
        return Err(format!(
            "xacct_role_name, master_instance_profile_name and agent_instance_profile_name must differ, ignoring case (IAM role names are unique so); got {xacct}, {master}, {agent}"
        ));
    }

    let vendor = p.str("vendor_account");
    let external_id = p.str("external_id");
    let trust_statements: Vec<Value> = VENDOR_ROLES
        .iter()
        .map(|role| {
            let mut s = json!({
                "Effect": "Allow",
                "Principal": {"AWS": format!("arn:aws:iam::{vendor}:role/{role}")},
                "Action": "sts:AssumeRole",
            });
            if hardened {
                s["Condition"] = json!({"StringEquals": {"sts:ExternalId": external_id}});
            }
            s
        })
        .collect();

    let mut xacct_statements = vec![json!({
        "Sid": "DetCrossAccountAccess",
        "Effect": "Allow",
        "Action": XACCT_ACTIONS
            .iter()
            .filter(|a| !(hardened && ROLE_WRITES.contains(a)))
            .collect::<Vec<_>>(),
        "Resource": "*",
    })];
    if hardened {
        xacct_statements.push(json!({
            "Sid": "DetCrossManagedRoles",
            "Effect": "Allow",
            "Action": ROLE_WRITES,
            "Resource": {"join": [
                "arn:", {"ref": "partition"}, ":iam::", {"ref": "account_id"},
                format!(":role{MANAGED_ROLES_PATH}*"),
            ]},
        }));
    }
    xacct_statements.push(json!({
        "Sid": "DetCrossPassRole",
        "Effect": "Allow",
        "Action": "iam:PassRole",
        "Resource": {"ref": "role_arn", "role": master},
    }));

    let agent_actions: Vec<&str> = if hardened {
        AGENT_S3_ACTIONS.to_vec()
    } else {
        vec!["s3:*"]
    }
    .into_iter()
    .chain([
        "ec2:DescribeInstances",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
    ])
    .collect();

    let ec2_trust = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": "ec2.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }],
    });

    super::from_json(json!({
        "name": "determined",
        "region": p.str("region"),
        // No VPC, so no tiers; the field is required even then (see the module doc).
        "tiers": [],
        "iam": {
            "roles": [
                {
                    "name": xacct,
                    "trust_policy": {"Version": "2012-10-17", "Statement": trust_statements},
                    "inline_policies": [{
                        "name": "det-cloud-xacct-mgmt",
                        "document": {"Version": "2012-10-17", "Statement": xacct_statements},
                    }],
                },
                {
                    "name": master,
                    "trust_policy": ec2_trust,
                    "inline_policies": [{
                        "name": "det-cloud-master",
                        "document": {
                            "Version": "2012-10-17",
                            "Statement": [
                                {"Action": MASTER_ACTIONS, "Effect": "Allow", "Resource": "*"},
                                {
                                    "Action": "iam:PassRole",
                                    "Resource": {"ref": "role_arn", "role": agent},
                                    "Effect": "Allow",
                                },
                            ],
                        },
                    }],
                    "managed_policies": [SSM_POLICY],
                },
                {
                    "name": agent,
                    "trust_policy": ec2_trust,
                    "inline_policies": [{
                        "name": "det-cloud-agent",
                        "document": {
                            "Version": "2012-10-17",
                            "Statement": [
                                {"Action": agent_actions, "Effect": "Allow", "Resource": "*"},
                            ],
                        },
                    }],
                    "managed_policies": [SSM_POLICY],
                },
            ],
            "instance_profiles": [
                {"name": master, "role": master},
                {"name": agent, "role": agent},
            ],
        },
    }))
}
