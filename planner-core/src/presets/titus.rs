//! Netflix Titus, minimal install: the "Subnets", "Creating security groups" and "Creating IAM
//! Roles" pages of Titus's AWS install guide (`/work/shared/seeds/000_6fd36121033f63ea.txt`).
//!
//! What the guide describes, and what the preset builds:
//!
//! * **VPC**: what the console's VPC wizard makes, "a 'public' and 'private' subnet", with one
//!   NAT gateway for the private one (`nat: single_gateway`). All Titus infrastructure lives in
//!   the private tier, because Titus gives each container a secondary private IP of its
//!   agent's subnet, with no NAT and so no ingress otherwise. To scale, the guide copies the
//!   private subnet "one per availability zone": the private tier has a subnet in every AZ, the
//!   public tier only in the first (`max_azs: 1`). Private subnets are /20 (4,091 addresses,
//!   for the containers' IPs) and the public one /24 in a /16; in a smaller VPC both are an
//!   eighth of it at most, so six AZs always fit.
//! * **Bastion**: "an instance with the `titusmaster-mainvpc` and `titusbastion` security
//!   groups ... provisioned in the Public subnet", SSH'd into with `-A` (instance
//!   `titus-bastion`, Amazon Linux 2023, `t3.micro`).
//! * **Security groups**, with the guide's names and rules:
//!   * `titusbastion`: SSH (tcp 22) and all ICMP from anywhere;
//!   * `titusmaster-mainvpc` (the "infrastructure" group): all TCP and all ICMP from itself,
//!     SSH from anywhere, all traffic out. It is on the bastion, and on the Titus masters and
//!     agents, which the guide puts in the private subnet (`attached_to` `master_node`
//!     `titus-master` and `generic` `titus-agent` in the private tier);
//!   * `titusapp`: the containers' group (`attached_to` `app` in the private tier); its rules
//!     are "up to your application needs", so it has none besides AWS's default egress.
//! * **IAM roles**, each with an instance profile of the same name (the console makes one per
//!   EC2 role):
//!   * `titusmasterInstanceProfile`, trusted by EC2: "a wide open IAM role", modelled as the
//!     inline policy `titusmasterInstanceProfilePolicy` allowing `*` on `*` (the guide shows
//!     that policy only as a screenshot);
//!   * `titusappwiths3InstanceProfile` and `titusappnos3InstanceProfile`, trusted exactly as
//!     the guide's JSON says, by EC2 and by the master role, whose `ACCOUNTID` ARN is written
//!     `{"ref": "role_arn", "role": "titusmasterInstanceProfile"}`. The guide's apps get "S3
//!     read access" on one and nothing on the other: the AWS managed
//!     `AmazonS3ReadOnlyAccess` on the first, no policy on the second.
//!
//! # Parameters
//!
//! * `vpc_cidr` (`10.0.0.0/16`): the VPC's IPv4 block.
//! * `region` (`us-east-1`): the region.
//! * `azs` (`1`): availability zones; the private tier has one subnet in each, the public tier
//!   (with the bastion and the NAT gateway) only in the first.
//! * `ipv6` (`false`): the guide's "slightly more advanced version": the VPC gets an
//!   Amazon-provided IPv6 /56, and the private tier routes `::/0` through the internet gateway
//!   (`ipv6_from_internet`), so the Titus hosts are reachable over IPv6 for SSH. "All ICMP"
//!   then also means ICMPv6 (the bastion's from anywhere, the infrastructure group's from
//!   itself; IPv6 needs it for path MTU discovery), ICMPv4 stays IPv4-only, and
//!   `titusmaster-mainvpc`'s "all traffic" out includes `::/0` (AWS's default egress rule is
//!   IPv4 only).
//! * `hardened` (`false`): see below.
//!
//! # Hardened
//!
//! The guide's own choices that the checks flag, and what `hardened=true` does instead:
//!
//! * `SG001`: `titusmaster-mainvpc` admits SSH from anywhere, and it is on the masters and
//!   agents, not only the bastion. Hardened admits SSH to it only from the `titusbastion`
//!   group: the bastion is the one door, as the guide intends it to be. With `ipv6=true`, the
//!   private tier's `::/0` then goes out through an egress-only gateway instead of the
//!   internet gateway, since the only reason for the inbound route, SSH straight to the
//!   hosts' IPv6 addresses, is gone.
//! * `IAM007`, `IAM006`, `IAM005`: the master role may do anything (`*` on `*`), so it is an
//!   administrator, can rewrite its own policies and pass any role. Hardened replaces the
//!   inline policy with what a Titus master and its agents do: describe EC2 and auto-scaling
//!   (which only accept `*`); create, attach and delete the agents' network interfaces and
//!   assign their secondary IPv4 and IPv6 addresses (the container networking above), on the
//!   region's interfaces, instances, subnets and security groups of the account, and tag
//!   network interfaces only; scale and shrink the region's auto-scaling groups (the agent
//!   pools); and `sts:AssumeRole` on the two app roles only, which the agents hand to
//!   containers. No `iam:` action at all, so no `iam:PassRole`. Deployment-specific additions
//!   (a log bucket, an image registry) are left to the operator. The hardened variant has no
//!   `SG` or `IAM` finding at all, not even an `IAM004` note.
//! * `SG008` and `NET015` (notes): the VPC's default security group keeps AWS's rules, and
//!   there are no flow logs. Hardened does what every hardened preset does
//!   (`presets/hardened.rs`): it removes the default group's rules, sends flow logs of all
//!   traffic to CloudWatch Logs, and puts each tier in a network ACL of its own (everything
//!   from the VPC, what the tier's groups admit from anywhere, replies to its outbound
//!   connections), so the default network ACL is emptied (`deny_all`).
//!
//! Left as they are, since they are the guide's design rather than a risk the checks flag:
//! the bastion's SSH and ICMP from anywhere (a bastion exists for that), and one NAT gateway
//! for every AZ (`NET007` when `azs` > 1: the wizard makes one, and the guide scales only the
//! private subnets).
//!
//! # Not expressed
//!
//! * With `ipv6=true` every subnet gets a /64, the public one too: the planner gives IPv6 to
//!   all tiers of an IPv6 VPC, where the guide mentions only the private subnet.
//! * The guide's screenshots (the groups' console views, the master role's policy, the
//!   architecture pictures) are not in the text; the preset follows their captions.
//! * The masters and agents themselves (their instances or auto-scaling groups) are not in
//!   this part of the guide; they appear as group attachments, not instances.
//! * The bastion has no EC2 key pair: the guide SSHes in with `-A` but names none, and a
//!   parameter cannot default to "none". Set `key_name` on the instance, or use EC2 Instance
//!   Connect, which Amazon Linux 2023 supports.

use serde_json::{json, Value};

use super::{Param, ParamKind, Params, PresetInfo, HARDENED, VPC_CIDR};
use crate::cidr::Cidr;
use crate::design::network::Design;

/// `ipv6=true`: the guide's IPv6 variant.
const IPV6: Param = Param {
    key: "ipv6",
    default: "false",
    kind: ParamKind::Bool,
    help: "an IPv6 /56; the private subnets route ::/0 to the internet gateway for SSH to Titus hosts (egress-only when hardened)",
};

pub(super) const INFO: PresetInfo = PresetInfo {
    name: "titus",
    summary: "Netflix Titus minimal install: public and private subnets, bastion, titus* security groups and IAM roles",
    params: &[
        VPC_CIDR,
        super::region("us-east-1"),
        super::azs("1"),
        IPV6,
        HARDENED,
    ],
};

/// The master role's name (the guide names roles after their instance profiles).
const MASTER: &str = "titusmasterInstanceProfile";
/// The app role with S3 read access.
const APP_S3: &str = "titusappwiths3InstanceProfile";
/// The app role without.
const APP_NO_S3: &str = "titusappnos3InstanceProfile";

pub(super) fn design(p: &Params) -> Result<Design, String> {
    let ipv6 = p.bool("ipv6");
    let hardened = p.bool("hardened");
    let vpc: Cidr = p.str("vpc_cidr").parse().expect("validated");
    // An eighth of the VPC at most, so the public subnet and six private ones always fit.
    let eighth = vpc.prefix_len().saturating_add(3);
    let private_prefix = eighth.max(20);
    let public_prefix = eighth.max(24);

    super::from_json(json!({
        "name": "titus",
        "region": p.str("region"),
        "vpc": {"cidr": p.str("vpc_cidr"), "ipv6": ipv6, "restrict_default_security_group": hardened},
        "availability_zones": p.count("azs"),
        "tiers": [
            {"name": "public", "kind": "public", "size": {"prefix": public_prefix}, "max_azs": 1},
            {"name": "private", "kind": "private", "size": {"prefix": private_prefix},
             "ipv6_from_internet": ipv6 && !hardened}
        ],
        "nat": "single_gateway",
        "security_groups": security_groups(ipv6, hardened),
        "instances": [{
            "name": "titus-bastion",
            "role": "bastion",
            "ami": {"alias": "al2023-x86_64"},
            "instance_type": "t3.micro",
            "tier": "public",
            "security_groups": ["titusmaster-mainvpc", "titusbastion"]
        }],
        "iam": iam(hardened)
    }))
}

/// "All ICMP" from `peer_v4` (and, in an IPv6 VPC, ICMPv6 from `peer_v6`); `from` ends the
/// descriptions.
fn all_icmp(ipv6: bool, peer_v4: Value, peer_v6: Value, from: &str) -> Vec<Value> {
    let mut rules = vec![
        json!({"protocol": "icmp", "peer": peer_v4, "description": format!("all ICMP from {from}")}),
    ];
    if ipv6 {
        rules.push(json!({"protocol": "icmpv6", "peer": peer_v6, "description": format!("all ICMPv6 from {from}")}));
    }
    rules
}

fn security_groups(ipv6: bool, hardened: bool) -> Value {
    // In an IPv6 VPC "internet" is also ::/0, which means nothing to ICMPv4: name the families.
    let anywhere_v4 = if ipv6 {
        json!({"cidr": "0.0.0.0/0"})
    } else {
        json!("internet")
    };
    let mut bastion_in = vec![
        json!({"protocol": "tcp", "ports": 22, "peer": "internet", "description": "SSH from anywhere"}),
    ];
    bastion_in.extend(all_icmp(
        ipv6,
        anywhere_v4,
        json!({"ipv6_cidr": "::/0"}),
        "anywhere",
    ));

    let mut master_in = vec![
        json!({"protocol": "tcp", "peer": "self", "description": "all TCP from titusmaster-mainvpc"}),
    ];
    master_in.extend(all_icmp(
        ipv6,
        json!("self"),
        json!("self"),
        "titusmaster-mainvpc",
    ));
    master_in.push(if hardened {
        json!({"protocol": "tcp", "ports": 22, "peer": {"group": "titusbastion"}, "description": "SSH from the bastion"})
    } else {
        json!({"protocol": "tcp", "ports": 22, "peer": "internet", "description": "SSH from anywhere"})
    });
    let master_out: Vec<Value> = if ipv6 {
        vec![
            json!({"protocol": "all", "peer": {"ipv6_cidr": "::/0"}, "description": "all traffic (IPv6)"}),
        ]
    } else {
        Vec::new()
    };

    json!([
        {
            "name": "titusbastion",
            "description": "Titus bastion: SSH and ICMP from anywhere",
            "ingress": bastion_in
        },
        {
            "name": "titusmaster-mainvpc",
            "description": "Titus infrastructure: masters, agents and the bastion",
            "attached_to": [
                {"role": "master_node", "tier": "private", "name": "titus-master"},
                {"role": "generic", "tier": "private", "name": "titus-agent"}
            ],
            "ingress": master_in,
            "egress": master_out
        },
        {
            "name": "titusapp",
            "description": "Titus application containers",
            "attached_to": [{"role": "app", "tier": "private", "name": "titus-containers"}]
        }
    ])
}

/// The master role's policy: the guide's wide open one, or what Titus uses.
fn master_policy(hardened: bool) -> Value {
    if !hardened {
        return json!({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]
        });
    }
    let ec2 = |kind: &str| json!({"join": ["arn:", {"ref": "partition"}, ":ec2:", {"ref": "region"}, ":", {"ref": "account_id"}, format!(":{kind}/*")]});
    json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Describe",
                "Effect": "Allow",
                "Action": [
                    "ec2:DescribeAvailabilityZones",
                    "ec2:DescribeInstances",
                    "ec2:DescribeNetworkInterfaces",
                    "ec2:DescribeSecurityGroups",
                    "ec2:DescribeSubnets",
                    "ec2:DescribeVpcs",
                    "autoscaling:DescribeAutoScalingGroups",
                    "autoscaling:DescribeAutoScalingInstances"
                ],
                "Resource": "*"
            },
            {
                "Sid": "ContainerNetworkInterfaces",
                "Effect": "Allow",
                "Action": [
                    "ec2:CreateNetworkInterface",
                    "ec2:AttachNetworkInterface",
                    "ec2:DetachNetworkInterface",
                    "ec2:DeleteNetworkInterface",
                    "ec2:ModifyNetworkInterfaceAttribute",
                    "ec2:AssignPrivateIpAddresses",
                    "ec2:UnassignPrivateIpAddresses",
                    "ec2:AssignIpv6Addresses",
                    "ec2:UnassignIpv6Addresses"
                ],
                "Resource": [
                    ec2("network-interface"),
                    ec2("instance"),
                    ec2("subnet"),
                    ec2("security-group")
                ]
            },
            {
                "Sid": "TagContainerNetworkInterfaces",
                "Effect": "Allow",
                "Action": "ec2:CreateTags",
                "Resource": ec2("network-interface")
            },
            {
                "Sid": "ScaleAgentGroups",
                "Effect": "Allow",
                "Action": [
                    "autoscaling:SetDesiredCapacity",
                    "autoscaling:TerminateInstanceInAutoScalingGroup",
                    "autoscaling:UpdateAutoScalingGroup"
                ],
                "Resource": {"join": ["arn:", {"ref": "partition"}, ":autoscaling:", {"ref": "region"}, ":", {"ref": "account_id"}, ":autoScalingGroup:*:autoScalingGroupName/*"]}
            },
            {
                "Sid": "AssumeAppRoles",
                "Effect": "Allow",
                "Action": "sts:AssumeRole",
                "Resource": [
                    {"ref": "role_arn", "role": APP_S3},
                    {"ref": "role_arn", "role": APP_NO_S3}
                ]
            }
        ]
    })
}

fn iam(hardened: bool) -> Value {
    let ec2_trust = json!({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]
    });
    // The guide's trust relationship, ACCOUNTID and all, as a reference to the master role.
    let app_trust = json!({
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"},
            {"Effect": "Allow", "Principal": {"AWS": {"ref": "role_arn", "role": MASTER}}, "Action": "sts:AssumeRole"}
        ]
    });
    json!({
        "roles": [
            {
                "name": MASTER,
                "description": "Titus masters and agents",
                "trust_policy": ec2_trust,
                "inline_policies": [{"name": "titusmasterInstanceProfilePolicy", "document": master_policy(hardened)}]
            },
            {
                "name": APP_S3,
                "description": "Titus containers with S3 read access; assumed by the Titus agents",
                "trust_policy": app_trust,
                "managed_policies": ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]
            },
            {
                "name": APP_NO_S3,
                "description": "Titus containers without AWS permissions; assumed by the Titus agents",
                "trust_policy": app_trust
            }
        ],
        "instance_profiles": [
            {"name": MASTER, "role": MASTER},
            {"name": APP_S3, "role": APP_S3},
            {"name": APP_NO_S3, "role": APP_NO_S3}
        ]
    })
}
