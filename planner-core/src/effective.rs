//! The effective design: the design plus what the planner adds to it, computed once, so every
//! builder sees exactly what will be applied.
//!
//! With NAT instances serving private tiers the planner adds the NAT instances' security group
//! ([`NAT_GROUP`]: all traffic from the VPC in, everything out); when those instances run in
//! auto-scaling groups it also adds the role and instance profile they take over their AZ's
//! default route with ([`nat_role_name`]). A flow log to CloudWatch Logs adds the role that
//! delivers its records ([`flow_log_role_name`]), allowed to write to the plan's log group
//! only. The plan keeps the design as written; builders and the security-group graph read the
//! effective one.

use std::borrow::Cow;
use std::ops::Deref;

use crate::design::flow_logs::FlowLogDestination;
use crate::design::iam::model::{InlinePolicy, InstanceProfile, Role};
use crate::design::network::{Design, TierKind};
use crate::design::sg::{Attachment, MemberRole, Peer, Protocol, Rule, SecurityGroup};
use crate::ids::{flow_log_group_name, flow_log_role_name, nat_role_name, NAT_GROUP, PLAN_TAG};

/// A design with the security group and IAM the planner adds; it derefs to the [`Design`].
#[derive(Clone, Debug)]
pub struct Effective<'a> {
    design: Cow<'a, Design>,
    /// How many roles the design as written has; the ones after it are the planner's.
    written_roles: usize,
    /// For each role the planner added, in order, the design field it exists because of.
    added_roles: Vec<&'static str>,
    /// How many instance profiles the design as written has.
    written_profiles: usize,
}

impl<'a> Effective<'a> {
    /// The effective form of `design`: borrowed when the planner adds nothing.
    pub fn of(design: &'a Design) -> Self {
        let written_roles = design.iam.roles.len();
        let written_profiles = design.iam.instance_profiles.len();
        let mut design = Cow::Borrowed(design);
        let mut added_roles = Vec::new();
        if let Some(group) = nat_group(&design) {
            design.to_mut().security_groups.push(group);
        }
        if let Some((role, profile)) = nat_role(&design) {
            let iam = &mut design.to_mut().iam;
            iam.roles.push(role);
            iam.instance_profiles.push(profile);
            added_roles.push("nat_instances.autoscaling");
        }
        if let Some(role) = flow_log_role(&design) {
            design.to_mut().iam.roles.push(role);
            added_roles.push("flow_logs.destination");
        }
        Effective {
            design,
            written_roles,
            added_roles,
            written_profiles,
        }
    }

    /// Where a finding at `path`, a path in the effective design, belongs in the design as
    /// written: `path` itself; `nat_instances.autoscaling` for a finding about the NAT role
    /// or profile, which exist because NAT instances run in auto-scaling groups;
    /// `flow_logs.destination` for one about the flow log's delivery role.
    ///
    /// ```
    /// let design = planner_core::parse_design(r#"{
    ///     "name": "demo", "region": "us-east-1", "vpc": {"cidr": "10.0.0.0/16"},
    ///     "availability_zones": 2, "nat": "instance_per_az", "nat_instances": {"autoscaling": true},
    ///     "tiers": [{"name": "web", "kind": "public", "size": {"prefix": 24}},
    ///               {"name": "app", "kind": "private", "size": {"prefix": 22}}]
    /// }"#).unwrap();
    /// let effective = planner_core::effective::Effective::of(&design);
    /// assert_eq!(effective.iam.roles[0].name, "demo-nat-instance");
    /// assert_eq!(effective.written_path("iam.roles[0].name"), "nat_instances.autoscaling");
    /// assert_eq!(effective.written_path("tiers[1].size"), "tiers[1].size");
    /// ```
    pub fn written_path(&self, path: &str) -> String {
        let added = |prefix: &str, written: usize| {
            let index = path.strip_prefix(prefix)?.split(']').next()?;
            index.parse::<usize>().ok()?.checked_sub(written)
        };
        if let Some(n) = added("iam.roles[", self.written_roles) {
            if let Some(field) = self.added_roles.get(n) {
                return (*field).to_owned();
            }
        }
        if added("iam.instance_profiles[", self.written_profiles).is_some() {
            return "nat_instances.autoscaling".to_owned();
        }
        path.to_owned()
    }
}

impl Deref for Effective<'_> {
    type Target = Design;

    fn deref(&self) -> &Design {
        &self.design
    }
}

/// The NAT instances' group, when NAT instances serve private tiers.
fn nat_group(design: &Design) -> Option<SecurityGroup> {
    if !design.nat.uses_instances() || !design.tiers.iter().any(|t| t.kind == TierKind::Private) {
        return None;
    }
    let public = design.tiers.iter().find(|t| t.kind == TierKind::Public);
    Some(SecurityGroup {
        name: NAT_GROUP.to_owned(),
        description: "NAT instances: all traffic from the VPC, all traffic out".to_owned(),
        attached_to: public
            .map(|t| Attachment {
                role: MemberRole::NatInstance,
                tier: t.name.clone(),
                name: Some("nat".to_owned()),
                public_address: Some(true),
            })
            .into_iter()
            .collect(),
        ingress: vec![Rule {
            protocol: Protocol::All,
            ports: None,
            peer: Peer::Vpc,
            description: "traffic from the VPC to forward".to_owned(),
        }],
        egress: Vec::new(),
        default_egress: true,
    })
}

/// The role that delivers the flow log's records to its log group, for a flow log to
/// CloudWatch Logs: trusted by the flow-logs service for this account only, and allowed to
/// write to the plan's log group only.
fn flow_log_role(design: &Design) -> Option<Role> {
    let f = design.flow_logs.as_ref().filter(|_| design.vpc.is_some())?;
    if f.destination != FlowLogDestination::CloudwatchLogs {
        return None;
    }
    let group = flow_log_group_name(&design.name);
    let document = |v: serde_json::Value| {
        crate::error::from_value(&v).expect("the flow-log role's documents follow the IAM grammar")
    };
    let group_arn = |suffix: &str| serde_json::json!({"join": ["arn:", {"ref": "partition"}, ":logs:", {"ref": "region"}, ":", {"ref": "account_id"}, format!(":log-group:{group}{suffix}")]});
    Some(Role {
        name: flow_log_role_name(&design.name),
        path: "/".to_owned(),
        description: "VPC flow logs: deliver records to the plan's log group".to_owned(),
        trust_policy: document(serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Principal": {"Service": "vpc-flow-logs.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"aws:SourceAccount": {"ref": "account_id"}}}
            }]
        })),
        inline_policies: vec![InlinePolicy {
            name: "deliver-flow-logs".to_owned(),
            document: document(serde_json::json!({
                "Version": "2012-10-17",
                "Statement": [
                    {"Sid": "WriteFlowLogRecords", "Effect": "Allow",
                     "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                     "Resource": [group_arn(""), group_arn(":*")]},
                    {"Sid": "CheckLogGroup", "Effect": "Allow", "Action": "logs:DescribeLogGroups",
                     "Resource": "*"}
                ]
            })),
        }],
        managed_policies: Vec::new(),
        max_session_duration: None,
        tags: Default::default(),
    })
}

/// The role and instance profile of NAT instances in auto-scaling groups, which take over
/// their AZ's default route at boot.
fn nat_role(design: &Design) -> Option<(Role, InstanceProfile)> {
    let uses = design.vpc.is_some()
        && design.nat.uses_instances()
        && design.nat_instances.autoscaling
        && design.tiers.iter().any(|t| t.kind == TierKind::Private);
    if !uses {
        return None;
    }
    let name = nat_role_name(&design.name);
    let arn = |kind: &str| serde_json::json!({"join": ["arn:", {"ref": "partition"}, ":ec2:", {"ref": "region"}, ":", {"ref": "account_id"}, format!(":{kind}/*")]});
    let owned =
        serde_json::json!({"StringEquals": {format!("aws:ResourceTag/{PLAN_TAG}"): design.name}});
    let document = |v: serde_json::Value| {
        crate::error::from_value(&v).expect("the NAT role's documents follow the IAM grammar")
    };
    let role = Role {
        name: name.clone(),
        path: "/".to_owned(),
        description: "NAT instances: take over their AZ's default route".to_owned(),
        trust_policy: document(serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]
        })),
        inline_policies: vec![InlinePolicy {
            name: "take-over-default-route".to_owned(),
            document: document(serde_json::json!({
                "Version": "2012-10-17",
                "Statement": [
                    {"Sid": "FindRouteTables", "Effect": "Allow", "Action": "ec2:DescribeRouteTables", "Resource": "*"},
                    {"Sid": "TakeOverDefaultRoute", "Effect": "Allow", "Action": ["ec2:CreateRoute", "ec2:ReplaceRoute"],
                     "Resource": arn("route-table"), "Condition": owned},
                    {"Sid": "DisableSourceDestCheck", "Effect": "Allow", "Action": "ec2:ModifyInstanceAttribute",
                     "Resource": arn("instance"), "Condition": owned}
                ]
            })),
        }],
        managed_policies: Vec::new(),
        max_session_duration: None,
        tags: Default::default(),
    };
    let profile = InstanceProfile {
        name: name.clone(),
        path: "/".to_owned(),
        role: name,
    };
    Some((role, profile))
}
