//! TinyStacks, "The TinyStacks approach to networking" (`/work/shared/seeds/001_40d35a2f032d0fb4.txt`):
//! the VPC every TinyStacks stack gets.
//!
//! # What the guide describes, and how it is reproduced
//!
//! - **Three public subnets** (tier `public`, routed to the internet gateway) for the
//!   public-facing front end, and **three private or isolated subnets** for the ECS cluster
//!   instances and the database, one of each per AZ. With a NAT instance (the guide's default)
//!   the inner tier is `private` and named so; without one it is `isolated` and named so,
//!   the guide's words. The guide gives no sizes: the public tier takes a block 6 bits longer
//!   than the VPC's and the inner tier one 4 bits longer (a /22 and a /20 in the default /16,
//!   at most /28), which leaves room for all six AZs.
//! - **NAT instances in auto-scaling groups**, "to minimize AWS charges": design `nat` =
//!   `instance_per_az` with `nat_instances.autoscaling`, so each AZ gets an auto-scaling group
//!   of one NAT instance built from one launch template, and its private route table's default
//!   route follows whichever instance the group runs. The planner itself adds the NAT
//!   instances' group (`nat-instance`) and the role and instance profile
//!   (`tinystacks-nat-instance`) they use to take over the route; the preset adds neither.
//! - **Security groups** ("ECS cluster instances can only be accessed by your API Gateway or
//!   Application Load Balancer front ends at the specific port that you specify", "only the
//!   ECS cluster instances can talk to the database (unless you create a bastion host) … on a
//!   single dedicated port"):
//!   - `alb` (front_end=alb), attached as a `load_balancer` in tier `public`: HTTPS 443 and HTTP
//!     80 from the internet. The guide names exactly these ports for public web front ends
//!     ("ports 80 and 443 for Web apps"), so the default keeps plain HTTP (no check flags it;
//!     hardened drops it).
//!   - `vpc-link` (front_end=api_gateway), attached as `api_gateway` in tier `public`: the
//!     API Gateway VPC link's interfaces. API Gateway itself is outside the VPC, so there is no
//!     load balancer and nothing in the VPC is open to the internet; the link's group admits
//!     nothing and its only egress is the app port to `ecs` (AWS's allow-all egress revoked).
//!   - `ecs`, attached as `app` in the inner tier: the app port from the front end's group only.
//!   - `database`, attached as `database` in the inner tier: the database port from `ecs`, and
//!     from `bastion` when there is one.
//!   - `bastion` (bastion=true): SSH 22 from the internet, which is a bastion's purpose.
//! - **Bastion host** (bastion=true): an EC2 instance `tinystacks-bastion` (role `bastion`,
//!   Amazon Linux 2023 on a `t4g.micro`) in the first public subnet, with a public address and
//!   group `bastion`.
//!
//! # Parameters
//!
//! - `vpc_cidr` (10.0.0.0/16), `region` (us-east-1), `azs` (3, the guide's three; 1–6).
//! - `nat`: `instance` (default): NAT instances in auto-scaling groups and a `private` tier;
//!   `none` (the guide's "opting out of NAT"): no NAT, and the tier is `isolated`.
//! - `bastion`: `false` (default; the guide creates one only on request) or `true`.
//! - `front_end`: `alb` (default) or `api_gateway`.
//! - `app_port`: the port the ECS cluster instances serve (80, 3000, 8000, 8080; default 8080).
//! - `db_port`: the database's port (5432 PostgreSQL, 3306 MySQL, 1433 SQL Server, 1521 Oracle;
//!   default 5432).
//! - `endpoints`: `none` (default, as the guide: the ECS instances reach S3 and ECR through
//!   NAT), `s3` (a gateway endpoint for S3 in the inner tier's route tables: free, and image
//!   layers, which ECR serves from S3, stop passing through NAT) or `s3,ecr` (S3's gateway
//!   endpoint and ECR's two interface endpoints, `ecr.api` and `ecr.dkr`, in the inner tier,
//!   with private DNS and a group `endpoints` admitting HTTPS from `ecs`; with `nat=none` this
//!   is how the isolated ECS instances pull images at all).
//! - `hardened`: see below.
//!
//! The ports are a choice of common values because the framework has no port kind
//! (`ParamKind::Count` holds at most 255); a `Port` kind would let any port through.
//!
//! # Hardened
//!
//! The guide's own design raises no `SG…` or `IAM…` finding: the only internet-facing rules are
//! the front end's web ports and the bastion's SSH (a bastion's purpose), and the only IAM is the
//! planner's NAT role. `hardened=true` still removes what the guide leaves open that it does not
//! need:
//!
//! - `alb` drops HTTP 80: plain HTTP travels in clear text, so the front end serves HTTPS only
//!   (the load balancer needs a certificate on its 443 listener).
//! - `alb` has AWS's allow-all egress revoked: its only egress is the app port to `ecs` (its
//!   targets and their health checks), as the VPC link already has.
//! - `database` has AWS's allow-all egress revoked: a database answers connections and opens
//!   none.
//! - What every hardened preset adds (`presets/hardened.rs`): the VPC's default security
//!   group loses its rules (the `SG008` note: nothing the guide makes uses it), flow logs of
//!   all traffic go to CloudWatch Logs (the `NET015` note), and each tier gets a network ACL
//!   of its own that admits everything from the VPC, what its groups admit from anywhere (443
//!   to `public`, and 22 with the bastion) and the replies to its outbound connections, so
//!   the default network ACL is emptied (`deny_all`).
//!
//! `ecs` and `bastion` keep their egress (image pulls, the ECS agent, package updates), and the
//! bastion keeps SSH from anywhere.
//!
//! # Not expressible
//!
//! - The ECS cluster, its instances, the load balancer, API Gateway and its VPC link, and the
//!   database are not resources the planner creates: they appear as the members of their groups
//!   (`attached_to`), which is what reachability needs. Spreading ECS instances evenly across the
//!   AZs is the cluster's business.
//! - The guide's NAT auto-scaling groups "scale out" under load; here each holds exactly one
//!   instance (replaced when it fails), because an AZ's default route points at one instance and
//!   a second would carry nothing.
//! - The bastion's SSH key pair: the guide connects "using a cryptographic key", but a key pair
//!   is an existing EC2 resource and the preset has no parameter naming one, so `key_name` is
//!   left unset (add it to the design, or connect with EC2 Instance Connect).
//! - The TinyStacks console steps (the "Network Settings" dialog) are the `nat` parameter.

use serde_json::{json, Value};

use super::{Param, ParamKind, Params, PresetInfo, HARDENED, VPC_CIDR};
use crate::cidr::Cidr;
use crate::design::network::Design;

pub(super) const INFO: PresetInfo = PresetInfo {
    name: "tinystacks",
    summary: "TinyStacks: \"The TinyStacks approach to networking\" (NAT instances, ALB or API Gateway to ECS to database, optional bastion)",
    params: &[
        VPC_CIDR,
        super::region("us-east-1"),
        super::azs("3"),
        Param {
            key: "nat",
            default: "instance",
            kind: ParamKind::OneOf(&["instance", "none"]),
            help: "instance: a NAT instance per AZ in an auto-scaling group, private subnets; none: isolated subnets",
        },
        Param {
            key: "bastion",
            default: "false",
            kind: ParamKind::Bool,
            help: "a bastion host in the first public subnet that may reach the database",
        },
        Param {
            key: "front_end",
            default: "alb",
            kind: ParamKind::OneOf(&["alb", "api_gateway"]),
            help: "alb: an Application Load Balancer; api_gateway: API Gateway through a VPC link",
        },
        Param {
            key: "app_port",
            default: "8080",
            kind: ParamKind::OneOf(&["80", "3000", "8000", "8080"]),
            help: "the port the ECS cluster instances serve, open only to the front end",
        },
        Param {
            key: "db_port",
            default: "5432",
            kind: ParamKind::OneOf(&["5432", "3306", "1433", "1521"]),
            help: "the database's port, open only to ECS (and the bastion)",
        },
        Param {
            key: "endpoints",
            default: "none",
            kind: ParamKind::OneOf(&["none", "s3", "s3,ecr"]),
            help: "VPC endpoints for the inner tier: none (the guide's), an S3 gateway endpoint, or S3 plus ECR's interface endpoints",
        },
        HARDENED,
    ],
};

pub(super) fn design(p: &Params) -> Result<Design, String> {
    let nat = p.str("nat") == "instance";
    let bastion = p.bool("bastion");
    let alb = p.str("front_end") == "alb";
    let hardened = p.bool("hardened");
    let app_port: u16 = p.str("app_port").parse().expect("validated");
    let db_port: u16 = p.str("db_port").parse().expect("validated");
    let vpc: Cidr = p.str("vpc_cidr").parse().expect("validated");
    let size = |longer: u8| json!({"prefix": (vpc.prefix_len() + longer).min(28)});
    let inner = if nat { "private" } else { "isolated" };

    let mut groups: Vec<Value> = Vec::new();
    let front = if alb {
        let mut ingress = vec![
            json!({"protocol": "tcp", "ports": 443, "peer": "internet", "description": "HTTPS from anywhere"}),
        ];
        let mut alb = json!({
            "name": "alb",
            "description": "Application Load Balancer",
            "attached_to": [{"role": "load_balancer", "tier": "public", "name": "alb"}],
        });
        if hardened {
            alb["egress"] = json!([
                {"protocol": "tcp", "ports": app_port, "peer": {"group": "ecs"}, "description": "app port to the ECS cluster instances"},
            ]);
            alb["default_egress"] = json!(false);
        } else {
            ingress.push(
                json!({"protocol": "tcp", "ports": 80, "peer": "internet", "description": "HTTP from anywhere"}),
            );
        }
        alb["ingress"] = json!(ingress);
        groups.push(alb);
        "alb"
    } else {
        groups.push(json!({
            "name": "vpc-link",
            "description": "API Gateway VPC link",
            "attached_to": [{"role": "api_gateway", "tier": "public", "name": "vpc-link"}],
            "egress": [
                {"protocol": "tcp", "ports": app_port, "peer": {"group": "ecs"}, "description": "app port to the ECS cluster instances"},
            ],
            "default_egress": false,
        }));
        "vpc-link"
    };
    groups.push(json!({
        "name": "ecs",
        "description": "ECS cluster instances",
        "attached_to": [{"role": "app", "tier": inner, "name": "ecs"}],
        "ingress": [
            {"protocol": "tcp", "ports": app_port, "peer": {"group": front}, "description": "app port from the front end"},
        ],
    }));
    let mut db_ingress = vec![
        json!({"protocol": "tcp", "ports": db_port, "peer": {"group": "ecs"}, "description": "from the ECS cluster instances"}),
    ];
    if bastion {
        db_ingress.push(
            json!({"protocol": "tcp", "ports": db_port, "peer": {"group": "bastion"}, "description": "from the bastion host"}),
        );
    }
    groups.push(json!({
        "name": "database",
        "description": "Database",
        "attached_to": [{"role": "database", "tier": inner, "name": "database"}],
        "ingress": db_ingress,
        "default_egress": !hardened,
    }));

    let endpoints = p.str("endpoints");
    let mut endpoint_list: Vec<Value> = Vec::new();
    if endpoints.split(',').any(|e| e == "s3") {
        endpoint_list.push(json!({"service": "s3", "kind": "gateway", "tiers": [inner]}));
    }
    if endpoints.split(',').any(|e| e == "ecr") {
        groups.push(json!({
            "name": "endpoints",
            "description": "ECR interface endpoints",
            "attached_to": [{"role": "generic", "tier": inner, "name": "ecr-endpoints"}],
            "ingress": [
                {"protocol": "tcp", "ports": 443, "peer": {"group": "ecs"}, "description": "HTTPS from the ECS cluster instances"},
            ],
            "default_egress": false,
        }));
        for service in ["ecr.api", "ecr.dkr"] {
            endpoint_list.push(json!({
                "service": service, "kind": "interface", "tiers": [inner], "security_groups": ["endpoints"],
            }));
        }
    }

    let mut instances: Vec<Value> = Vec::new();
    if bastion {
        groups.push(json!({
            "name": "bastion",
            "description": "Bastion host for database access",
            "ingress": [
                {"protocol": "tcp", "ports": 22, "peer": "internet", "description": "SSH from anywhere"},
            ],
        }));
        instances.push(json!({
            "name": "tinystacks-bastion",
            "role": "bastion",
            "ami": {"alias": "al2023-arm64"},
            "instance_type": "t4g.micro",
            "tier": "public",
            "security_groups": ["bastion"],
        }));
    }

    let mut design = json!({
        "name": "tinystacks",
        "region": p.str("region"),
        "vpc": {"cidr": p.str("vpc_cidr"), "restrict_default_security_group": hardened},
        "availability_zones": p.count("azs"),
        "tiers": [
            {"name": "public", "kind": "public", "size": size(6)},
            {"name": inner, "kind": inner, "size": size(4)},
        ],
        "nat": if nat { "instance_per_az" } else { "none" },
        "security_groups": groups,
        "instances": instances,
    });
    if !endpoint_list.is_empty() {
        design["endpoints"] = json!(endpoint_list);
    }
    if nat {
        design["nat_instances"] = json!({"autoscaling": true});
    }
    super::from_json(design)
}
