//! A plan as Terraform configuration for the `hashicorp/aws` provider that builds the same
//! network with the same addresses: [`files`], file name → contents, the same bytes for the
//! same plan.
//!
//! - **Addresses come from plan ids** (`subnet.app.a` → `aws_subnet.app_a`; characters
//!   Terraform names cannot hold become `_`, a name starting with a digit gets a leading `_`),
//!   never `count` or `for_each` indexes, so adding a zone or a tier only adds addresses. Two
//!   ids that would share an address are an error naming both.
//! - **Every resource type is written by one exhaustive `match`** on [`ResourceKind`] with no
//!   wildcard arm, so a new type does not compile until it has its mapping; what cannot be
//!   expressed is an error naming the resource, never dropped.
//! - Subnets carry their planned blocks; an IPv6 /64 is `cidrsubnet` of the VPC's /56 at the
//!   plan's index. IAM documents are `jsonencode(…)` with typed references interpolated
//!   (`data.aws_caller_identity.current.account_id`, `aws_iam_role.x.arn`); literals are
//!   escaped so nothing from the plan is read as a template.
//! - Resources carry the tags the executor sets (`vpc-planner:plan`, `vpc-planner:id`, `Name`;
//!   IAM also `vpc-planner:region`).
//! - The provider removes the allow-all egress rule AWS gives a new security group; a group
//!   whose plan keeps it gets it back as an explicit `<group>_default_egress` rule.
//! - A default route to a NAT instance in an auto-scaling group is made by that instance at
//!   boot (its launch template's user data creates or replaces it in the route tables tagged
//!   with its zone), as the executor's plan has it take the route over; Terraform therefore
//!   holds no `aws_route` for it: the route table carries the zone tag, the group waits for
//!   the table, and a comment in `network.tf` names the route.

use std::collections::{BTreeMap, BTreeSet};

use crate::design::acl::{AclAction, AclBlock};
use crate::design::endpoint::EndpointKind;
use crate::design::iam::document::PolicyDocument;
use crate::design::iam::reference::Reference;
use crate::design::network::DefaultNetworkAcl;
use crate::design::sg::{PortRange, Protocol};
use crate::ids;
use crate::plan::Plan;
use crate::resource::iam::PolicyAttachment;
use crate::resource::{
    Ami, Destination, Direction, FlowLogTarget, Resource, ResourceKind, RouteTarget, RulePeer,
};

pub mod hcl;

use self::hcl::{Block, Expr, Part};

/// The `hashicorp/aws` provider versions the configuration is written for.
pub const PROVIDER_VERSION: &str = "~> 6.0";

/// Why a plan cannot be written as Terraform: the resource (plan id) and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{resource}: {message}")]
pub struct TerraformError {
    /// The plan id of the resource that cannot be expressed.
    pub resource: String,
    /// What is wrong.
    pub message: String,
}

fn err(resource: &str, message: impl Into<String>) -> TerraformError {
    TerraformError {
        resource: resource.to_owned(),
        message: message.into(),
    }
}

/// The files, by area. Every file is always written (a file a later plan no longer needs
/// would otherwise linger in the user's directory).
const FILES: [&str; 8] = [
    "versions.tf",
    "data.tf",
    "network.tf",
    "security.tf",
    "compute.tf",
    "iam.tf",
    "logging.tf",
    "outputs.tf",
];

/// The Terraform resource type of a plan resource type.
pub fn terraform_type(kind: &ResourceKind) -> &'static str {
    match kind {
        ResourceKind::Vpc { .. } => "aws_vpc",
        ResourceKind::VpcCidrBlock { .. } => "aws_vpc_ipv4_cidr_block_association",
        ResourceKind::Subnet { .. } => "aws_subnet",
        ResourceKind::InternetGateway { .. } => "aws_internet_gateway",
        ResourceKind::EgressOnlyInternetGateway { .. } => "aws_egress_only_internet_gateway",
        ResourceKind::ElasticIp { .. } => "aws_eip",
        ResourceKind::NatGateway { .. } => "aws_nat_gateway",
        ResourceKind::SecurityGroup { .. } => "aws_security_group",
        ResourceKind::SecurityGroupRule { direction, .. } => match direction {
            Direction::Ingress => "aws_vpc_security_group_ingress_rule",
            Direction::Egress => "aws_vpc_security_group_egress_rule",
        },
        ResourceKind::Instance { .. } => "aws_instance",
        ResourceKind::LaunchTemplate { .. } => "aws_launch_template",
        ResourceKind::AutoscalingGroup { .. } => "aws_autoscaling_group",
        ResourceKind::RouteTable { .. } => "aws_route_table",
        ResourceKind::Route { .. } => "aws_route",
        ResourceKind::RouteTableAssociation { .. } => "aws_route_table_association",
        ResourceKind::NetworkAcl { .. } => "aws_network_acl",
        ResourceKind::NetworkAclEntry { .. } => "aws_network_acl_rule",
        ResourceKind::NetworkAclAssociation { .. } => "aws_network_acl_association",
        ResourceKind::VpcEndpoint { .. } => "aws_vpc_endpoint",
        ResourceKind::LogGroup { .. } => "aws_cloudwatch_log_group",
        ResourceKind::FlowLog { .. } => "aws_flow_log",
        ResourceKind::IamPolicy(_) => "aws_iam_policy",
        ResourceKind::IamRole(_) => "aws_iam_role",
        ResourceKind::IamInstanceProfile(_) => "aws_iam_instance_profile",
    }
}

/// A Terraform name from any text: characters other than letters, digits, `_` and `-`
/// become `_`, and a leading `_` is added when the first is not a letter or `_`.
///
/// ```
/// use planner_core::export::terraform::tf_name;
/// assert_eq!(tf_name("app.a"), "app_a");
/// assert_eq!(tf_name("10-1-0-0-16"), "_10-1-0-0-16");
/// ```
pub fn tf_name(text: &str) -> String {
    let mut s: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        s.insert(0, '_');
    }
    s
}

/// Whether a route is made by the NAT instance of an auto-scaling group rather than by
/// Terraform.
fn made_by_instance(kind: &ResourceKind) -> bool {
    matches!(
        kind,
        ResourceKind::Route {
            target: RouteTarget::AutoscalingGroup(_),
            ..
        }
    )
}

/// The Terraform address of every plan resource that has one, by plan id.
///
/// ```
/// let design = planner_core::presets::build("titus", &[]).unwrap();
/// let plan = planner_core::plan(&design, None).unwrap().plan;
/// let addrs = planner_core::export::terraform::addresses(&plan).unwrap();
/// assert_eq!(addrs["subnet.public.a"], "aws_subnet.public_a");
/// ```
pub fn addresses(plan: &Plan) -> Result<BTreeMap<String, String>, TerraformError> {
    let mut by_id = BTreeMap::new();
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    let mut claim = |address: String, id: &str| -> Result<(), TerraformError> {
        if let Some(other) = taken.insert(address.clone(), id.to_owned()) {
            return Err(err(
                id,
                format!("its Terraform address {address} is also {other}'s; rename one"),
            ));
        }
        Ok(())
    };
    for r in &plan.resources {
        if made_by_instance(&r.kind) {
            continue;
        }
        let address = format!("{}.{}", terraform_type(&r.kind), tf_name(ids::key(&r.id)));
        claim(address.clone(), &r.id)?;
        // The extra resources a plan resource becomes take addresses too.
        for extra in extras(r) {
            claim(extra, &r.id)?;
        }
        by_id.insert(r.id.clone(), address);
    }
    Ok(by_id)
}

/// The addresses beyond its own a plan resource is written as.
fn extras(r: &Resource) -> Vec<String> {
    let name = tf_name(ids::key(&r.id));
    match &r.kind {
        ResourceKind::SecurityGroup {
            revoke_default_egress: false,
            ..
        } => vec![format!(
            "aws_vpc_security_group_egress_rule.{name}_default_egress"
        )],
        ResourceKind::IamRole(role) => role
            .inline_policies
            .iter()
            .map(|p| format!("aws_iam_role_policy.{}", inline_name(&name, &p.name)))
            .chain(role.managed_policies.iter().map(|m| {
                format!(
                    "aws_iam_role_policy_attachment.{}",
                    attachment_name(&name, m)
                )
            }))
            .collect(),
        ResourceKind::Vpc {
            restrict_default_security_group,
            default_network_acl,
            ..
        } => {
            let mut v = Vec::new();
            if *restrict_default_security_group {
                v.push(format!("aws_default_security_group.{name}"));
            }
            if default_network_acl.is_some() {
                v.push(format!("aws_default_network_acl.{name}"));
            }
            v
        }
        _ => vec![],
    }
}

fn inline_name(role: &str, policy: &str) -> String {
    format!("{role}_{}", tf_name(policy).trim_start_matches('_'))
}

fn attachment_name(role: &str, m: &PolicyAttachment) -> String {
    match m {
        PolicyAttachment::Policy(id) => {
            format!("{role}_{}", tf_name(ids::key(id)).trim_start_matches('_'))
        }
        PolicyAttachment::Arn(arn) => {
            let last = arn.rsplit('/').next().unwrap_or(arn);
            format!("{role}_{}", tf_name(last).trim_start_matches('_'))
        }
    }
}

/// The data sources a configuration reads.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Data {
    CallerIdentity,
    Partition,
    Region,
    Ssm(String),
}

/// Private-use characters that mark an interpolation inside a resolved document's strings.
const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

struct Writer<'a> {
    plan: &'a Plan,
    addrs: BTreeMap<String, String>,
    data: BTreeSet<Data>,
    /// Plan ids the resource being written refers to in its attributes.
    referenced: BTreeSet<String>,
    /// Chunks of text by file.
    out: BTreeMap<&'static str, Vec<String>>,
}

/// The plan as Terraform configuration: file name → contents.
///
/// ```
/// let design = planner_core::presets::build("titus", &[]).unwrap();
/// let plan = planner_core::plan(&design, None).unwrap().plan;
/// let files = planner_core::export::terraform::files(&plan).unwrap();
/// assert!(files["network.tf"].contains("resource \"aws_subnet\" \"public_a\""));
/// assert!(files["versions.tf"].contains("hashicorp/aws"));
/// ```
pub fn files(plan: &Plan) -> Result<BTreeMap<String, String>, TerraformError> {
    let mut w = Writer {
        plan,
        addrs: addresses(plan)?,
        data: BTreeSet::new(),
        referenced: BTreeSet::new(),
        out: BTreeMap::new(),
    };
    for r in &plan.resources {
        w.resource(r)?;
    }
    w.outputs()?;
    let mut ssm: BTreeMap<String, &String> = BTreeMap::new();
    for d in &w.data {
        if let Data::Ssm(p) = d {
            if let Some(other) = ssm.insert(ssm_name(p), p) {
                return Err(err(
                    p,
                    format!("SSM parameters {other} and {p} would share one data source name"),
                ));
            }
        }
    }
    w.versions_and_data();
    let header = format!(
        "# Generated by vpc-planner from plan \"{}\". Addresses follow the plan's ids; export\n# again rather than edit.\n",
        plan.design.name.replace(['\n', '\r'], " ")
    );
    Ok(FILES
        .iter()
        .map(|f| {
            let mut text = header.clone();
            for chunk in w.out.get(f).into_iter().flatten() {
                text.push('\n');
                text.push_str(chunk);
            }
            ((*f).to_owned(), text)
        })
        .collect())
}

impl Writer<'_> {
    fn push(&mut self, file: &'static str, chunk: String) {
        self.out.entry(file).or_default().push(chunk);
    }

    /// `<address>.<attr>` of plan resource `id`, recorded as referenced.
    fn r(&mut self, from: &str, id: &str, attr: &str) -> Result<Expr, TerraformError> {
        Ok(Expr::raw(self.reference(from, id, attr)?))
    }

    fn reference(&mut self, from: &str, id: &str, attr: &str) -> Result<String, TerraformError> {
        let address = self.addrs.get(id).ok_or_else(|| {
            err(
                from,
                format!("refers to {id}, which has no Terraform resource"),
            )
        })?;
        self.referenced.insert(id.to_owned());
        Ok(format!("{address}.{attr}"))
    }

    fn list_of(&mut self, from: &str, ids: &[String], attr: &str) -> Result<Expr, TerraformError> {
        Ok(Expr::List(
            ids.iter()
                .map(|id| self.r(from, id, attr))
                .collect::<Result<_, _>>()?,
        ))
    }

    /// The tags the executor sets on `r`.
    fn tags(&self, r: &Resource, name: Option<&str>) -> Expr {
        let mut t = BTreeMap::new();
        t.insert(ids::PLAN_TAG.to_owned(), self.plan.design.name.clone());
        t.insert(ids::ID_TAG.to_owned(), r.id.clone());
        if let Some(n) = name {
            t.insert("Name".to_owned(), n.to_owned());
        }
        if let ResourceKind::RouteTable { tags, .. } = &r.kind {
            t.extend(tags.clone());
        }
        tag_object(t)
    }

    /// The tags the executor sets on an IAM resource: the plan's, its region, and a role's own.
    fn iam_tags(&self, r: &Resource, own: &BTreeMap<String, String>) -> Expr {
        let mut t = BTreeMap::new();
        t.insert(ids::PLAN_TAG.to_owned(), self.plan.design.name.clone());
        t.insert(ids::ID_TAG.to_owned(), r.id.clone());
        t.insert(ids::REGION_TAG.to_owned(), self.plan.design.region.clone());
        for (k, v) in own {
            t.entry(k.clone()).or_insert_with(|| v.clone());
        }
        tag_object(t)
    }

    fn data_ref(&mut self, d: Data) -> String {
        let s = match &d {
            Data::CallerIdentity => "data.aws_caller_identity.current.account_id".to_owned(),
            Data::Partition => "data.aws_partition.current.partition".to_owned(),
            Data::Region => "data.aws_region.current.region".to_owned(),
            Data::Ssm(p) => format!("data.aws_ssm_parameter.{}.insecure_value", ssm_name(p)),
        };
        self.data.insert(d);
        s
    }

    fn ami(&mut self, ami: &Ami) -> Expr {
        match ami {
            Ami::Id(id) => Expr::lit(id.clone()),
            Ami::SsmParameter(p) => Expr::raw(self.data_ref(Data::Ssm(p.clone()))),
        }
    }

    /// A policy document as `jsonencode({…})`, references interpolated. `own_role` is the
    /// role whose trust policy this is: a reference to its own ARN is spelled out from the
    /// partition, account, path and name, since a resource cannot refer to itself.
    fn document(
        &mut self,
        from: &str,
        doc: &PolicyDocument,
        own_role: Option<(&str, &str)>,
    ) -> Result<Expr, TerraformError> {
        let mut exprs: BTreeMap<String, String> = BTreeMap::new();
        for r in doc.references() {
            let e = match r {
                Reference::AccountId => self.data_ref(Data::CallerIdentity),
                Reference::Region => self.data_ref(Data::Region),
                Reference::Partition => self.data_ref(Data::Partition),
                Reference::VpcId => self.reference(from, ids::VPC_ID, "id")?,
                Reference::VpcArn => self.reference(from, ids::VPC_ID, "arn")?,
                Reference::RoleArn { role } => match own_role {
                    Some((name, path)) if name == role => {
                        let partition = self.data_ref(Data::Partition);
                        let account = self.data_ref(Data::CallerIdentity);
                        format!("\"arn:${{{partition}}}:iam::${{{account}}}:role{path}{name}\"")
                    }
                    _ => self.reference(from, &ids::role_id(role), "arn")?,
                },
                Reference::PolicyArn { policy } => {
                    self.reference(from, &ids::policy_id(policy), "arn")?
                }
                Reference::InstanceProfileArn { instance_profile } => {
                    self.reference(from, &ids::instance_profile_id(instance_profile), "arn")?
                }
            };
            exprs.insert(r.to_string(), e);
        }
        let resolved = doc
            .resolve(&|r| {
                exprs
                    .get(&r.to_string())
                    .map(|e| format!("{OPEN}{e}{CLOSE}"))
            })
            .map_err(|u| err(from, format!("no Terraform value for {}", u.0)))?;
        let json = serde_json::to_value(&resolved).expect("a policy document always serializes");
        Ok(Expr::Call("jsonencode", Box::new(json_expr(from, &json)?)))
    }

    fn resource(&mut self, r: &Resource) -> Result<(), TerraformError> {
        self.referenced.clear();
        let id = r.id.as_str();
        let name = tf_name(ids::key(id));
        let ty = terraform_type(&r.kind);
        let mut b = Block::new("resource", &[ty, &name]);
        let mut after: Vec<Block> = Vec::new();
        let file: &'static str;
        match &r.kind {
            ResourceKind::Vpc {
                name: tag_name,
                cidr_block,
                amazon_provided_ipv6,
                enable_dns_support,
                enable_dns_hostnames,
                restrict_default_security_group,
                default_network_acl,
            } => {
                file = "network.tf";
                b.attr("cidr_block", Expr::lit(cidr_block.to_string()))
                    .attr(
                        "assign_generated_ipv6_cidr_block",
                        Expr::Bool(*amazon_provided_ipv6),
                    )
                    .attr("enable_dns_support", Expr::Bool(*enable_dns_support))
                    .attr("enable_dns_hostnames", Expr::Bool(*enable_dns_hostnames))
                    .attr("tags", self.tags(r, Some(tag_name)));
                if *restrict_default_security_group {
                    let mut d = Block::new("resource", &["aws_default_security_group", &name]);
                    d.comment("The VPC's default group with every rule removed: the provider removes the\nrules of a default group it adopts and adds only those written here (none).");
                    d.attr("vpc_id", Expr::raw(format!("aws_vpc.{name}.id")));
                    self.push("security.tf", d.render());
                }
                if let Some(acl) = default_network_acl {
                    let mut d = Block::new("resource", &["aws_default_network_acl", &name]);
                    d.comment(match acl {
                        DefaultNetworkAcl::AllowAll => {
                            "The VPC's default network ACL kept at AWS's rules: allow everything."
                        }
                        DefaultNetworkAcl::DenyAll => {
                            "The VPC's default network ACL with no rules but AWS's final deny."
                        }
                    });
                    d.attr(
                        "default_network_acl_id",
                        Expr::raw(format!("aws_vpc.{name}.default_network_acl_id")),
                    );
                    if *acl == DefaultNetworkAcl::AllowAll {
                        for dir in ["ingress", "egress"] {
                            let mut blocks = vec![("rule_no", 100, "cidr_block", "0.0.0.0/0")];
                            if *amazon_provided_ipv6 {
                                blocks.push(("rule_no", 101, "ipv6_cidr_block", "::/0"));
                            }
                            for (_, no, key, block) in blocks {
                                let mut e = Block::new(dir, &[]);
                                e.attr("protocol", Expr::lit("-1"))
                                    .attr("rule_no", Expr::raw(no.to_string()))
                                    .attr("action", Expr::lit("allow"))
                                    .attr(key, Expr::lit(block))
                                    .attr("from_port", Expr::raw("0"))
                                    .attr("to_port", Expr::raw("0"));
                                d.block(e);
                            }
                        }
                    }
                    let mut lc = Block::new("lifecycle", &[]);
                    lc.attr("ignore_changes", Expr::List(vec![Expr::raw("subnet_ids")]));
                    d.block(lc);
                    self.push("security.tf", d.render());
                }
            }
            ResourceKind::VpcCidrBlock { vpc, cidr_block } => {
                file = "network.tf";
                let v = self.r(id, vpc, "id")?;
                b.attr("vpc_id", v)
                    .attr("cidr_block", Expr::lit(cidr_block.to_string()));
            }
            ResourceKind::Subnet {
                name: tag_name,
                vpc,
                tier: _,
                availability_zone,
                cidr_block,
                ipv6_cidr_block,
                map_public_ip_on_launch,
                assign_ipv6_address_on_creation,
            } => {
                file = "network.tf";
                let v = self.r(id, vpc, "id")?;
                b.attr("vpc_id", v)
                    .attr("availability_zone", Expr::lit(availability_zone.clone()))
                    .attr("cidr_block", Expr::lit(cidr_block.to_string()));
                if let Some(v6) = ipv6_cidr_block {
                    if v6.prefix_len != 64 {
                        return Err(err(
                            id,
                            format!("an IPv6 /{} (only /64s are written)", v6.prefix_len),
                        ));
                    }
                    let block = self.reference(id, &v6.vpc, "ipv6_cidr_block")?;
                    b.attr(
                        "ipv6_cidr_block",
                        Expr::raw(format!("cidrsubnet({block}, 8, {})", v6.index)),
                    );
                }
                b.attr(
                    "map_public_ip_on_launch",
                    Expr::Bool(*map_public_ip_on_launch),
                )
                .attr(
                    "assign_ipv6_address_on_creation",
                    Expr::Bool(*assign_ipv6_address_on_creation),
                )
                .attr("tags", self.tags(r, Some(tag_name)));
            }
            ResourceKind::InternetGateway {
                name: tag_name,
                vpc,
            }
            | ResourceKind::EgressOnlyInternetGateway {
                name: tag_name,
                vpc,
            } => {
                file = "network.tf";
                let v = self.r(id, vpc, "id")?;
                b.attr("vpc_id", v)
                    .attr("tags", self.tags(r, Some(tag_name)));
            }
            ResourceKind::ElasticIp { name: tag_name } => {
                file = "network.tf";
                b.attr("domain", Expr::lit("vpc"))
                    .attr("tags", self.tags(r, Some(tag_name)));
            }
            ResourceKind::NatGateway {
                name: tag_name,
                subnet,
                elastic_ip,
                availability_zone: _,
            } => {
                file = "network.tf";
                let eip = self.r(id, elastic_ip, "id")?;
                let s = self.r(id, subnet, "id")?;
                b.attr("allocation_id", eip)
                    .attr("subnet_id", s)
                    .attr("tags", self.tags(r, Some(tag_name)));
            }
            ResourceKind::SecurityGroup {
                name: group_name,
                description,
                vpc,
                revoke_default_egress,
            } => {
                file = "security.tf";
                let v = self.r(id, vpc, "id")?;
                b.attr("name", Expr::lit(group_name.clone()))
                    .attr("description", Expr::lit(description.clone()))
                    .attr("vpc_id", v)
                    .attr("tags", self.tags(r, Some(group_name)));
                if !revoke_default_egress {
                    // The provider removes AWS's allow-all egress rule from every group it
                    // creates; this plan keeps it, so it is written back.
                    let mut e = Block::new(
                        "resource",
                        &[
                            "aws_vpc_security_group_egress_rule",
                            &format!("{name}_default_egress"),
                        ],
                    );
                    e.comment("AWS's allow-all egress rule, which the plan keeps: the provider removes it\nfrom every group it creates.");
                    e.attr(
                        "security_group_id",
                        Expr::raw(format!("aws_security_group.{name}.id")),
                    )
                    .attr("ip_protocol", Expr::lit("-1"))
                    .attr("cidr_ipv4", Expr::lit("0.0.0.0/0"));
                    after.push(e);
                }
            }
            ResourceKind::SecurityGroupRule {
                group,
                direction: _,
                protocol,
                ports,
                peer,
                description,
            } => {
                file = "security.tf";
                let g = self.r(id, group, "id")?;
                b.attr("security_group_id", g);
                if !description.is_empty() {
                    b.attr("description", Expr::lit(description.clone()));
                }
                b.attr("ip_protocol", Expr::lit(protocol.aws_ip_protocol()));
                if let Some((from, to)) = sg_ports(id, *protocol, *ports)? {
                    b.attr("from_port", Expr::raw(from.to_string()))
                        .attr("to_port", Expr::raw(to.to_string()));
                }
                match peer {
                    RulePeer::CidrIpv4(c) => {
                        b.attr("cidr_ipv4", Expr::lit(c.to_string()));
                    }
                    RulePeer::CidrIpv6(c) => {
                        b.attr("cidr_ipv6", Expr::lit(c.to_string()));
                    }
                    RulePeer::SecurityGroup(other) => {
                        let o = self.r(id, other, "id")?;
                        b.attr("referenced_security_group_id", o);
                    }
                }
                b.attr("tags", self.tags(r, None));
            }
            ResourceKind::Instance {
                name: tag_name,
                role: _,
                subnet,
                availability_zone: _,
                ami,
                instance_type,
                security_groups,
                associate_public_ip_address,
                source_dest_check,
                iam_instance_profile,
                key_name,
                user_data,
            } => {
                file = "compute.tf";
                let image = self.ami(ami);
                let s = self.r(id, subnet, "id")?;
                let groups = self.list_of(id, security_groups, "id")?;
                b.attr("ami", image)
                    .attr("instance_type", Expr::lit(instance_type.clone()))
                    .attr("subnet_id", s)
                    .attr("vpc_security_group_ids", groups)
                    .attr(
                        "associate_public_ip_address",
                        Expr::Bool(*associate_public_ip_address),
                    )
                    .attr("source_dest_check", Expr::Bool(*source_dest_check));
                if let Some(p) = iam_instance_profile {
                    let p = self.r(id, p, "name")?;
                    b.attr("iam_instance_profile", p);
                }
                if let Some(k) = key_name {
                    b.attr("key_name", Expr::lit(k.clone()));
                }
                if let Some(u) = user_data {
                    b.attr("user_data", Expr::lit(u.clone()));
                }
                b.attr("tags", self.tags(r, Some(tag_name)));
            }
            ResourceKind::LaunchTemplate {
                name: template_name,
                ami,
                instance_type,
                security_groups,
                associate_public_ip_address,
                iam_instance_profile,
                user_data,
            } => {
                file = "compute.tf";
                let image = self.ami(ami);
                b.attr("name", Expr::lit(template_name.clone()))
                    .attr("image_id", image)
                    .attr("instance_type", Expr::lit(instance_type.clone()));
                if let Some(u) = user_data {
                    b.attr(
                        "user_data",
                        Expr::Call("base64encode", Box::new(Expr::lit(u.clone()))),
                    );
                }
                if let Some(p) = iam_instance_profile {
                    let mut pb = Block::new("iam_instance_profile", &[]);
                    pb.attr("name", self.r(id, p, "name")?);
                    b.block(pb);
                }
                let mut nic = Block::new("network_interfaces", &[]);
                nic.attr("device_index", Expr::raw("0"))
                    .attr(
                        "associate_public_ip_address",
                        Expr::Bool(*associate_public_ip_address),
                    )
                    .attr("security_groups", self.list_of(id, security_groups, "id")?)
                    .attr("delete_on_termination", Expr::Bool(true));
                b.block(nic);
                // What the group launches carries the plan's tag (the id and Name come from
                // the group, propagated at launch).
                for kind in ["instance", "volume", "network-interface"] {
                    let mut ts = Block::new("tag_specifications", &[]);
                    ts.attr("resource_type", Expr::lit(kind)).attr(
                        "tags",
                        tag_object(BTreeMap::from([(
                            ids::PLAN_TAG.to_owned(),
                            self.plan.design.name.clone(),
                        )])),
                    );
                    b.block(ts);
                }
                b.attr("tags", self.tags(r, Some(template_name)));
            }
            ResourceKind::AutoscalingGroup {
                name: group_name,
                launch_template,
                subnet,
                availability_zone: _,
                size,
            } => {
                file = "compute.tf";
                let s = self.r(id, subnet, "id")?;
                b.attr("name", Expr::lit(group_name.clone()))
                    .attr("min_size", Expr::raw(size.to_string()))
                    .attr("max_size", Expr::raw(size.to_string()))
                    .attr("desired_capacity", Expr::raw(size.to_string()))
                    .attr("vpc_zone_identifier", Expr::List(vec![s]));
                let mut lt = Block::new("launch_template", &[]);
                lt.attr("id", self.r(id, launch_template, "id")?)
                    .attr("version", Expr::lit("$Latest"));
                b.block(lt);
                let mut tags = BTreeMap::new();
                tags.insert(ids::PLAN_TAG.to_owned(), self.plan.design.name.clone());
                tags.insert(ids::ID_TAG.to_owned(), r.id.clone());
                tags.insert("Name".to_owned(), group_name.clone());
                for (k, v) in tags {
                    let mut t = Block::new("tag", &[]);
                    t.attr("key", Expr::lit(k))
                        .attr("value", Expr::lit(v))
                        .attr("propagate_at_launch", Expr::Bool(true));
                    b.block(t);
                }
            }
            ResourceKind::RouteTable {
                name: tag_name,
                vpc,
                tier: _,
                availability_zone: _,
                tags: _,
            } => {
                file = "network.tf";
                let v = self.r(id, vpc, "id")?;
                b.attr("vpc_id", v)
                    .attr("tags", self.tags(r, Some(tag_name)));
            }
            ResourceKind::Route {
                route_table,
                destination,
                target,
            } => {
                file = "network.tf";
                if let RouteTarget::AutoscalingGroup(group) = target {
                    let table = self.reference(id, route_table, "id")?;
                    let group_address = self.reference(id, group, "name")?;
                    let group_address = group_address.trim_end_matches(".name");
                    let dest = match destination {
                        Destination::Ipv4(c) => c.to_string(),
                        Destination::Ipv6(c) => c.clone(),
                    };
                    self.push(
                        file,
                        format!(
                            "# {id}: {dest} in {} goes to the NAT instance of {group_address},\n# which creates or replaces this route itself at boot (its launch template's user\n# data), in the route tables tagged {} with its zone.\n",
                            table.trim_end_matches(".id"),
                            ids::NAT_ZONE_TAG
                        ),
                    );
                    return Ok(());
                }
                let t = self.r(id, route_table, "id")?;
                b.attr("route_table_id", t);
                match destination {
                    Destination::Ipv4(c) => {
                        b.attr("destination_cidr_block", Expr::lit(c.to_string()))
                    }
                    Destination::Ipv6(c) => {
                        b.attr("destination_ipv6_cidr_block", Expr::lit(c.clone()))
                    }
                };
                let (key, value) = match target {
                    RouteTarget::InternetGateway(g) => ("gateway_id", self.r(id, g, "id")?),
                    RouteTarget::EgressOnlyInternetGateway(g) => {
                        ("egress_only_gateway_id", self.r(id, g, "id")?)
                    }
                    RouteTarget::NatGateway(g) => ("nat_gateway_id", self.r(id, g, "id")?),
                    RouteTarget::Instance(i) => (
                        "network_interface_id",
                        self.r(id, i, "primary_network_interface_id")?,
                    ),
                    RouteTarget::AutoscalingGroup(g) => {
                        return Err(err(id, format!("a route to {g} is made by its instance")))
                    }
                };
                b.attr(key, value);
            }
            ResourceKind::RouteTableAssociation {
                route_table,
                subnet,
            } => {
                file = "network.tf";
                let s = self.r(id, subnet, "id")?;
                let t = self.r(id, route_table, "id")?;
                b.attr("subnet_id", s).attr("route_table_id", t);
            }
            ResourceKind::NetworkAcl {
                name: tag_name,
                vpc,
            } => {
                file = "security.tf";
                let v = self.r(id, vpc, "id")?;
                b.attr("vpc_id", v)
                    .attr("tags", self.tags(r, Some(tag_name)));
            }
            ResourceKind::NetworkAclEntry {
                network_acl,
                direction,
                rule_number,
                action,
                protocol,
                ports,
                block,
                description,
            } => {
                file = "security.tf";
                if !description.is_empty() {
                    b.comment(description);
                }
                let a = self.r(id, network_acl, "id")?;
                b.attr("network_acl_id", a)
                    .attr("rule_number", Expr::raw(rule_number.to_string()))
                    .attr("egress", Expr::Bool(*direction == Direction::Egress))
                    .attr("protocol", Expr::lit(acl_protocol(*protocol)))
                    .attr(
                        "rule_action",
                        Expr::lit(match action {
                            AclAction::Allow => "allow",
                            AclAction::Deny => "deny",
                        }),
                    );
                match block {
                    AclBlock::Ipv4(c) => b.attr("cidr_block", Expr::lit(c.to_string())),
                    AclBlock::Ipv6(c) => b.attr("ipv6_cidr_block", Expr::lit(c.to_string())),
                };
                match protocol {
                    Protocol::Tcp | Protocol::Udp => {
                        let p = ports.unwrap_or(PortRange::ALL);
                        b.attr("from_port", Expr::raw(p.from.to_string()))
                            .attr("to_port", Expr::raw(p.to.to_string()));
                    }
                    Protocol::Icmp | Protocol::Icmpv6 => {
                        let t = ports.map_or(-1, |p| i32::from(p.from));
                        b.attr("icmp_type", Expr::raw(t.to_string()))
                            .attr("icmp_code", Expr::raw("-1"));
                    }
                    Protocol::All => {}
                }
            }
            ResourceKind::NetworkAclAssociation {
                network_acl,
                subnet,
            } => {
                file = "security.tf";
                let a = self.r(id, network_acl, "id")?;
                let s = self.r(id, subnet, "id")?;
                b.attr("network_acl_id", a).attr("subnet_id", s);
            }
            ResourceKind::VpcEndpoint {
                name: tag_name,
                vpc,
                service_name,
                endpoint_type,
                route_tables,
                subnets,
                security_groups,
                private_dns,
                policy,
            } => {
                file = "network.tf";
                let v = self.r(id, vpc, "id")?;
                b.attr("vpc_id", v)
                    .attr("service_name", Expr::lit(service_name.clone()))
                    .attr(
                        "vpc_endpoint_type",
                        Expr::lit(match endpoint_type {
                            EndpointKind::Gateway => "Gateway",
                            EndpointKind::Interface => "Interface",
                        }),
                    );
                if !route_tables.is_empty() {
                    let l = self.list_of(id, route_tables, "id")?;
                    b.attr("route_table_ids", l);
                }
                if !subnets.is_empty() {
                    let l = self.list_of(id, subnets, "id")?;
                    b.attr("subnet_ids", l);
                }
                if !security_groups.is_empty() {
                    let l = self.list_of(id, security_groups, "id")?;
                    b.attr("security_group_ids", l);
                }
                if *endpoint_type == EndpointKind::Interface {
                    b.attr("private_dns_enabled", Expr::Bool(*private_dns));
                }
                if let Some(doc) = policy {
                    let d = self.document(id, doc, None)?;
                    b.attr("policy", d);
                }
                b.attr("tags", self.tags(r, Some(tag_name)));
            }
            ResourceKind::LogGroup {
                name: group_name,
                retention_days,
            } => {
                file = "logging.tf";
                b.attr("name", Expr::lit(group_name.clone()))
                    .attr("retention_in_days", Expr::raw(retention_days.to_string()))
                    .attr("tags", self.tags(r, None));
            }
            ResourceKind::FlowLog {
                name: tag_name,
                vpc,
                traffic,
                destination,
            } => {
                file = "logging.tf";
                let v = self.r(id, vpc, "id")?;
                b.attr("vpc_id", v)
                    .attr("traffic_type", Expr::lit(traffic.aws()));
                match destination {
                    FlowLogTarget::CloudwatchLogs { log_group, role } => {
                        let g = self.r(id, log_group, "arn")?;
                        let ro = self.r(id, role, "arn")?;
                        b.attr("log_destination_type", Expr::lit("cloud-watch-logs"))
                            .attr("log_destination", g)
                            .attr("iam_role_arn", ro);
                    }
                    FlowLogTarget::S3 { bucket_arn } => {
                        b.attr("log_destination_type", Expr::lit("s3"))
                            .attr("log_destination", Expr::lit(bucket_arn.clone()));
                    }
                }
                b.attr("tags", self.tags(r, Some(tag_name)));
            }
            ResourceKind::IamPolicy(p) => {
                file = "iam.tf";
                b.attr("name", Expr::lit(p.name.clone()))
                    .attr("path", Expr::lit(p.path.clone()));
                if !p.description.is_empty() {
                    b.attr("description", Expr::lit(p.description.clone()));
                }
                let d = self.document(id, &p.document, None)?;
                b.attr("policy", d)
                    .attr("tags", self.iam_tags(r, &BTreeMap::new()));
            }
            ResourceKind::IamRole(role) => {
                file = "iam.tf";
                b.attr("name", Expr::lit(role.name.clone()))
                    .attr("path", Expr::lit(role.path.clone()));
                if !role.description.is_empty() {
                    b.attr("description", Expr::lit(role.description.clone()));
                }
                let trust =
                    self.document(id, &role.trust_policy, Some((&role.name, &role.path)))?;
                b.attr("assume_role_policy", trust);
                if let Some(s) = role.max_session_duration {
                    b.attr("max_session_duration", Expr::raw(s.to_string()));
                }
                b.attr("tags", self.iam_tags(r, &role.tags));
                let own = format!("aws_iam_role.{name}");
                for p in &role.inline_policies {
                    let mut ib = Block::new(
                        "resource",
                        &["aws_iam_role_policy", &inline_name(&name, &p.name)],
                    );
                    ib.attr("name", Expr::lit(p.name.clone()))
                        .attr("role", Expr::raw(format!("{own}.id")));
                    let d = self.document(id, &p.document, None)?;
                    ib.attr("policy", d);
                    after.push(ib);
                }
                for m in &role.managed_policies {
                    let mut ab = Block::new(
                        "resource",
                        &["aws_iam_role_policy_attachment", &attachment_name(&name, m)],
                    );
                    ab.attr("role", Expr::raw(format!("{own}.name")));
                    let arn = match m {
                        PolicyAttachment::Policy(p) => self.r(id, p, "arn")?,
                        PolicyAttachment::Arn(a) => Expr::lit(a.clone()),
                    };
                    ab.attr("policy_arn", arn);
                    after.push(ab);
                }
            }
            ResourceKind::IamInstanceProfile(p) => {
                file = "iam.tf";
                let role = self.r(id, &p.role, "name")?;
                b.attr("name", Expr::lit(p.name.clone()))
                    .attr("path", Expr::lit(p.path.clone()))
                    .attr("role", role)
                    .attr("tags", self.iam_tags(r, &BTreeMap::new()));
            }
        }
        // What the plan orders that no attribute implies.
        let mut extra_deps: Vec<Expr> = Vec::new();
        for dep in &r.depends_on {
            if self.referenced.contains(dep) {
                continue;
            }
            if let Some(address) = self.addrs.get(dep) {
                extra_deps.push(Expr::raw(address.clone()));
            }
        }
        // An instance uses its profile's role at boot: the role's policies come first (the
        // executor creates a role with them; Terraform makes them separate resources).
        if let ResourceKind::Instance {
            iam_instance_profile: Some(p),
            ..
        }
        | ResourceKind::LaunchTemplate {
            iam_instance_profile: Some(p),
            ..
        } = &r.kind
        {
            if let Some(ResourceKind::IamInstanceProfile(profile)) =
                self.plan.resource(p).map(|x| &x.kind)
            {
                if let Some(role) = self.plan.resource(&profile.role) {
                    for address in extras(role) {
                        extra_deps.push(Expr::raw(address));
                    }
                }
            }
        }
        // A NAT instance in an auto-scaling group looks for its zone's route tables at boot.
        if let ResourceKind::AutoscalingGroup { .. } = &r.kind {
            for other in &self.plan.resources {
                if let ResourceKind::Route {
                    route_table,
                    target: RouteTarget::AutoscalingGroup(g),
                    ..
                } = &other.kind
                {
                    if g == id {
                        if let Some(address) = self.addrs.get(route_table) {
                            let e = Expr::raw(address.clone());
                            if !extra_deps.contains(&e) {
                                extra_deps.push(e);
                            }
                        }
                    }
                }
            }
        }
        if !extra_deps.is_empty() {
            b.attr("depends_on", Expr::List(extra_deps));
        }
        self.push(file, b.render());
        for a in after {
            self.push(file, a.render());
        }
        Ok(())
    }

    fn outputs(&mut self) -> Result<(), TerraformError> {
        let mut chunks = Vec::new();
        for r in &self.plan.resources {
            let Some(address) = self.addrs.get(&r.id) else {
                continue;
            };
            let name = tf_name(ids::key(&r.id));
            let (output, attr, what) = match &r.kind {
                ResourceKind::Vpc { .. } => (format!("vpc_{name}_id"), "id", "The VPC's id"),
                ResourceKind::Subnet { .. } => {
                    (format!("subnet_{name}_id"), "id", "The subnet's id")
                }
                ResourceKind::IamRole(_) => {
                    (format!("iam_role_{name}_arn"), "arn", "The role's ARN")
                }
                ResourceKind::IamInstanceProfile(_) => (
                    format!("iam_instance_profile_{name}_arn"),
                    "arn",
                    "The instance profile's ARN",
                ),
                _ => continue,
            };
            let mut b = Block::new("output", &[&output]);
            b.attr("description", Expr::lit(format!("{what} ({}).", r.id)))
                .attr("value", Expr::raw(format!("{address}.{attr}")));
            chunks.push(b.render());
        }
        for c in chunks {
            self.push("outputs.tf", c);
        }
        Ok(())
    }

    fn versions_and_data(&mut self) {
        let mut t = Block::new("terraform", &[]);
        t.attr("required_version", Expr::lit(">= 1.5.0"));
        let mut rp = Block::new("required_providers", &[]);
        rp.attr(
            "aws",
            Expr::Object(vec![
                ("source".into(), Expr::lit("hashicorp/aws")),
                ("version".into(), Expr::lit(PROVIDER_VERSION)),
            ]),
        );
        t.block(rp);
        self.push("versions.tf", t.render());
        let mut p = Block::new("provider", &["aws"]);
        p.attr("region", Expr::lit(self.plan.design.region.clone()));
        self.push("versions.tf", p.render());
        let data = std::mem::take(&mut self.data);
        for d in &data {
            let b = match d {
                Data::CallerIdentity => Block::new("data", &["aws_caller_identity", "current"]),
                Data::Partition => Block::new("data", &["aws_partition", "current"]),
                Data::Region => Block::new("data", &["aws_region", "current"]),
                Data::Ssm(param) => {
                    let mut b = Block::new("data", &["aws_ssm_parameter", &ssm_name(param)]);
                    b.attr("name", Expr::lit(param.clone()));
                    b
                }
            };
            self.push("data.tf", b.render());
        }
    }
}

/// A rule's `from_port` and `to_port` as AWS takes them: a port range for TCP and UDP (every
/// port when the plan gives none), the ICMP type and every code for ICMP, none for all
/// protocols.
fn sg_ports(
    id: &str,
    protocol: Protocol,
    ports: Option<PortRange>,
) -> Result<Option<(i32, i32)>, TerraformError> {
    Ok(match protocol {
        Protocol::All => None,
        Protocol::Tcp | Protocol::Udp => {
            let p = ports.unwrap_or(PortRange::ALL);
            Some((i32::from(p.from), i32::from(p.to)))
        }
        Protocol::Icmp | Protocol::Icmpv6 => match ports {
            None => Some((-1, -1)),
            Some(p) if p.from == p.to => Some((i32::from(p.from), -1)),
            Some(p) => {
                return Err(err(
                    id,
                    format!("an {protocol} rule takes one ICMP type, not the range {p}"),
                ))
            }
        },
    })
}

/// The data source name of SSM parameter `p`: its path without the leading `/`.
fn ssm_name(p: &str) -> String {
    tf_name(p.trim_start_matches('/'))
}

/// A network ACL rule's protocol as AWS numbers it.
fn acl_protocol(p: Protocol) -> &'static str {
    match p {
        Protocol::Tcp => "6",
        Protocol::Udp => "17",
        Protocol::Icmp => "1",
        Protocol::Icmpv6 => "58",
        Protocol::All => "-1",
    }
}

fn tag_object(t: BTreeMap<String, String>) -> Expr {
    Expr::Object(t.into_iter().map(|(k, v)| (k, Expr::lit(v))).collect())
}

/// A resolved document's JSON as an HCL expression: strings split at the interpolation
/// markers, everything else literal.
fn json_expr(from: &str, v: &serde_json::Value) -> Result<Expr, TerraformError> {
    Ok(match v {
        serde_json::Value::Null => Expr::raw("null"),
        serde_json::Value::Bool(b) => Expr::Bool(*b),
        serde_json::Value::Number(n) => Expr::raw(n.to_string()),
        serde_json::Value::String(s) => Expr::Str(template(from, s)?),
        serde_json::Value::Array(items) => Expr::List(
            items
                .iter()
                .map(|i| json_expr(from, i))
                .collect::<Result<_, _>>()?,
        ),
        serde_json::Value::Object(m) => Expr::Object(
            m.iter()
                .map(|(k, v)| {
                    if k.contains([OPEN, CLOSE]) {
                        return Err(err(from, "a document key holds a private-use character"));
                    }
                    Ok((k.clone(), json_expr(from, v)?))
                })
                .collect::<Result<_, _>>()?,
        ),
    })
}

/// A string of a resolved document as template parts.
fn template(from: &str, s: &str) -> Result<Vec<Part>, TerraformError> {
    let mut parts = Vec::new();
    let mut rest = s;
    while let Some(open) = rest.find(OPEN) {
        if open > 0 {
            parts.push(Part::Lit(rest[..open].to_owned()));
        }
        let after = &rest[open + OPEN.len_utf8()..];
        let close = after
            .find(CLOSE)
            .ok_or_else(|| err(from, "a document string holds a private-use character"))?;
        let expr = &after[..close];
        // A spelled-out ARN is itself a template: its parts are inlined.
        if let Some(inner) = expr.strip_prefix('"').and_then(|e| e.strip_suffix('"')) {
            parts.extend(inline_template(inner));
        } else {
            parts.push(Part::Interp(expr.to_owned()));
        }
        rest = &after[close + CLOSE.len_utf8()..];
    }
    if rest.contains(CLOSE) {
        return Err(err(from, "a document string holds a private-use character"));
    }
    if !rest.is_empty() || parts.is_empty() {
        parts.push(Part::Lit(rest.to_owned()));
    }
    Ok(parts)
}

/// `arn:${a}:iam::${b}:role/x` as parts (only the form [`Writer::document`] writes).
fn inline_template(s: &str) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut rest = s;
    while let Some(open) = rest.find("${") {
        if open > 0 {
            parts.push(Part::Lit(rest[..open].to_owned()));
        }
        let after = &rest[open + 2..];
        let close = after.find('}').unwrap_or(after.len());
        parts.push(Part::Interp(after[..close].to_owned()));
        rest = after.get(close + 1..).unwrap_or("");
    }
    if !rest.is_empty() {
        parts.push(Part::Lit(rest.to_owned()));
    }
    parts
}

#[cfg(test)]
mod tests;
