//! What the topology diagram shows, read from a plan's resources: each subnet with its route
//! table, its routes and gateway endpoints' routes, where its default route goes, its network
//! ACL, and the NATs, instances and interface endpoints that sit in it; the gateways; and what
//! the design's security groups are attached to in each tier (the front end, app hosts,
//! databases, bastions).

use std::collections::BTreeMap;

use planner_core::alloc::SubnetAllocation;
use planner_core::design::endpoint::EndpointKind;
use planner_core::design::sg::MemberRole;
use planner_core::resource::{Destination, InstanceRole, RouteTarget};
use planner_core::{Plan, Resource, ResourceKind, TierKind};

use crate::draw::labels::{tier_kind, Acls, SubnetAcl};

/// What a [`Thing`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ThingKind {
    /// A NAT gateway, instance or group.
    Nat,
    /// An instance or an auto-scaling group.
    Instance,
    /// An interface endpoint's network interface.
    Endpoint,
}

/// Something drawn inside a subnet: a NAT, an instance or an interface endpoint.
pub(super) struct Thing {
    /// The plan id of what it is (a default route's target names it).
    pub id: String,
    /// What it is.
    pub kind: ThingKind,
    /// An instance's role (`bastion`, `jump_host`, …), for its class.
    pub role: Option<InstanceRole>,
    /// What and which, e.g. `NAT gateway nat-a`.
    pub title: String,
    /// One line about it, e.g. its instance type.
    pub detail: String,
    /// Its availability zone.
    pub az: String,
}

/// A subnet's box: its allocation, name, route lines and contents.
pub(super) struct Cell<'a> {
    /// The subnet.
    pub subnet: &'a SubnetAllocation,
    /// Its `Name`.
    pub name: String,
    /// Its tier's kind.
    pub kind: Option<TierKind>,
    /// Lines under its CIDR, such as its IPv6 block.
    pub notes: Vec<String>,
    /// Its route table's name, if it has one.
    pub table: Option<String>,
    /// Its routes (`0.0.0.0/0 → igw`), each a line.
    pub routes: Vec<String>,
    /// Where its IPv4 default route goes.
    pub default: Option<RouteTo>,
    /// What sits in it.
    pub things: Vec<Thing>,
    /// The network ACL it uses.
    pub acl: SubnetAcl,
}

/// Where a subnet's IPv4 default route goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum RouteTo {
    /// The internet gateway.
    Igw,
    /// A NAT gateway, instance or group: its plan id.
    Nat(String),
}

/// Something a security group is attached to in a tier, as the design says: a load balancer,
/// API Gateway's VPC link, app hosts, a database, a bastion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Member {
    /// What it is.
    pub role: MemberRole,
    /// Its label (the attachment's name, or its role).
    pub name: String,
    /// The groups attached to it, in the design's order.
    pub groups: Vec<String>,
}

impl Member {
    /// Whether it is the design's front end: a load balancer or API Gateway's VPC link.
    pub(super) fn front_end(&self) -> bool {
        matches!(self.role, MemberRole::LoadBalancer | MemberRole::ApiGateway)
    }

    /// What it is in words: `load balancer`, `API Gateway VPC link`; empty for `generic`.
    pub(super) fn what(&self) -> &'static str {
        match self.role {
            MemberRole::LoadBalancer => "load balancer",
            MemberRole::ApiGateway => "API Gateway VPC link",
            MemberRole::App => "app",
            MemberRole::Database => "database",
            MemberRole::Cache => "cache",
            MemberRole::Bastion => "bastion",
            MemberRole::JumpHost => "jump host",
            MemberRole::MasterNode => "master node",
            MemberRole::NatInstance => "NAT instance",
            MemberRole::Generic => "",
        }
    }
}

/// A gateway on the VPC's edge.
pub(super) struct Gateway {
    /// `igw` or `eigw`.
    pub class: &'static str,
    /// What it is, in words.
    pub what: &'static str,
    /// Its `Name`.
    pub name: String,
}

/// What the diagram of a plan with a VPC shows, before any geometry.
pub(super) struct Scene<'a> {
    /// Column headings: the design's AZs, then any only the allocation names.
    pub azs: Vec<String>,
    /// Row headings: the design's tiers, then any only the allocation names.
    pub tiers: Vec<&'a str>,
    /// `grid[tier][az]`: the subnet of that tier in that AZ.
    pub grid: Vec<Vec<Option<Cell<'a>>>>,
    /// The internet and egress-only gateways.
    pub gateways: Vec<Gateway>,
    /// `members[tier]`: what the design's security groups are attached to in that tier.
    pub members: Vec<Vec<Member>>,
    /// Whether any subnet is in a network ACL, and whether any is on a default ACL that denies
    /// everything (for the legend).
    pub marks: (bool, bool),
}

impl<'a> Scene<'a> {
    /// The scene of `plan`.
    pub(super) fn new(plan: &'a Plan) -> Self {
        let mut index = Index::new(plan);
        let acls = Acls::of(plan);
        let mut azs = plan.design.az_names();
        let mut tiers: Vec<&str> = plan.design.tiers.iter().map(|t| t.name.as_str()).collect();
        for s in &plan.allocation.subnets {
            if !azs.contains(&s.availability_zone) {
                azs.push(s.availability_zone.clone());
            }
            if !tiers.contains(&s.tier.as_str()) {
                tiers.push(&s.tier);
            }
        }
        let grid: Vec<Vec<Option<Cell>>> = tiers
            .iter()
            .map(|tier| {
                azs.iter()
                    .map(|az| {
                        let s = plan
                            .allocation
                            .subnets
                            .iter()
                            .find(|s| s.tier == *tier && s.availability_zone == *az)?;
                        Some(index.cell(s, acls.of_subnet(plan, s)))
                    })
                    .collect()
            })
            .collect();
        let gateways = plan
            .resources
            .iter()
            .filter_map(|r| {
                let (class, what, name) = match &r.kind {
                    ResourceKind::InternetGateway { name, .. } => ("igw", "internet gateway", name),
                    ResourceKind::EgressOnlyInternetGateway { name, .. } => {
                        ("eigw", "egress-only internet gateway", name)
                    }
                    _ => return None,
                };
                let name = name.clone();
                Some(Gateway { class, what, name })
            })
            .collect();
        let cells = || grid.iter().flatten().flatten();
        let marks = (
            cells().any(|c| matches!(c.acl, SubnetAcl::Named(_))),
            cells().any(|c| c.acl == SubnetAcl::DenyAll),
        );
        let members = tiers.iter().map(|t| members(plan, t)).collect();
        Scene {
            azs,
            tiers,
            grid,
            gateways,
            members,
            marks,
        }
    }
}

/// What the design's security groups are attached to in `tier`, each once with its groups
/// (NAT instances are drawn as NATs).
fn members(plan: &Plan, tier: &str) -> Vec<Member> {
    let mut out: Vec<Member> = Vec::new();
    for g in &plan.design.security_groups {
        for a in g.attached_to.iter().filter(|a| a.tier == tier) {
            if a.role == MemberRole::NatInstance {
                continue;
            }
            let name = a.name.as_deref().unwrap_or(a.role.as_str());
            match out.iter_mut().find(|m| m.role == a.role && m.name == name) {
                Some(m) if !m.groups.contains(&g.name) => m.groups.push(g.name.clone()),
                Some(_) => {}
                None => out.push(Member {
                    role: a.role,
                    name: name.to_owned(),
                    groups: vec![g.name.clone()],
                }),
            }
        }
    }
    out
}

/// The plan's resources, indexed for drawing.
struct Index<'a> {
    plan: &'a Plan,
    by_id: BTreeMap<&'a str, &'a Resource>,
    table_of: BTreeMap<&'a str, &'a str>,
    routes: BTreeMap<&'a str, Vec<(&'a Destination, &'a RouteTarget)>>,
    gateway_endpoints: BTreeMap<&'a str, Vec<&'a str>>,
    things: BTreeMap<&'a str, Vec<Thing>>,
}

impl<'a> Index<'a> {
    fn new(plan: &'a Plan) -> Self {
        let mut index = Index {
            plan,
            by_id: plan.resources.iter().map(|r| (r.id.as_str(), r)).collect(),
            table_of: BTreeMap::new(),
            routes: BTreeMap::new(),
            gateway_endpoints: BTreeMap::new(),
            things: BTreeMap::new(),
        };
        let nat_targets: Vec<&str> = plan
            .resources
            .iter()
            .filter_map(|r| match &r.kind {
                ResourceKind::Route { target, .. } => Some(target.id()),
                _ => None,
            })
            .collect();
        for r in &plan.resources {
            match &r.kind {
                ResourceKind::RouteTableAssociation {
                    route_table,
                    subnet,
                } => {
                    index.table_of.insert(subnet, route_table);
                }
                ResourceKind::Route {
                    route_table,
                    destination,
                    target,
                } => index
                    .routes
                    .entry(route_table)
                    .or_default()
                    .push((destination, target)),
                ResourceKind::NatGateway {
                    name,
                    subnet,
                    elastic_ip,
                    availability_zone,
                } => {
                    let eip = index.name_of(elastic_ip).unwrap_or(elastic_ip.as_str());
                    let thing = Thing {
                        id: r.id.clone(),
                        kind: ThingKind::Nat,
                        role: None,
                        title: format!("NAT gateway {}", index.short(name)),
                        detail: format!("elastic IP {}", index.short(eip)),
                        az: availability_zone.clone(),
                    };
                    index.things.entry(subnet).or_default().push(thing);
                }
                ResourceKind::Instance {
                    name,
                    role,
                    subnet,
                    availability_zone,
                    instance_type,
                    associate_public_ip_address,
                    ..
                } => {
                    let nat = *role == InstanceRole::NatInstance;
                    let public = if *associate_public_ip_address {
                        " · public IP"
                    } else {
                        ""
                    };
                    let thing = Thing {
                        id: r.id.clone(),
                        kind: if nat {
                            ThingKind::Nat
                        } else {
                            ThingKind::Instance
                        },
                        role: Some(*role),
                        // Only the planner's own NAT instances carry the plan's name in front.
                        title: format!(
                            "{} {}",
                            role_name(*role),
                            if nat { index.short(name) } else { name }
                        ),
                        detail: format!("{instance_type}{public}"),
                        az: availability_zone.clone(),
                    };
                    index.things.entry(subnet).or_default().push(thing);
                }
                ResourceKind::AutoscalingGroup {
                    name,
                    launch_template,
                    subnet,
                    availability_zone,
                    size,
                } => {
                    let nat = nat_targets.contains(&r.id.as_str());
                    let instance_type = match index.by_id.get(launch_template.as_str()) {
                        Some(Resource {
                            kind: ResourceKind::LaunchTemplate { instance_type, .. },
                            ..
                        }) => format!(" · {instance_type}"),
                        _ => String::new(),
                    };
                    let thing = Thing {
                        id: r.id.clone(),
                        kind: if nat {
                            ThingKind::Nat
                        } else {
                            ThingKind::Instance
                        },
                        role: None,
                        title: format!(
                            "{} {}",
                            if nat { "NAT group" } else { "group" },
                            index.short(name)
                        ),
                        detail: format!("ASG of {size}{instance_type}"),
                        az: availability_zone.clone(),
                    };
                    index.things.entry(subnet).or_default().push(thing);
                }
                ResourceKind::VpcEndpoint {
                    service_name,
                    endpoint_type,
                    route_tables,
                    subnets,
                    private_dns,
                    ..
                } => {
                    let service = service(service_name);
                    match endpoint_type {
                        EndpointKind::Gateway => {
                            for t in route_tables {
                                index.gateway_endpoints.entry(t).or_default().push(service);
                            }
                        }
                        EndpointKind::Interface => {
                            for s in subnets {
                                let az = match index.by_id.get(s.as_str()).map(|r| &r.kind) {
                                    Some(ResourceKind::Subnet {
                                        availability_zone, ..
                                    }) => availability_zone.clone(),
                                    _ => String::new(),
                                };
                                let thing = Thing {
                                    id: r.id.clone(),
                                    kind: ThingKind::Endpoint,
                                    role: None,
                                    title: format!("endpoint {service}"),
                                    detail: if *private_dns {
                                        "interface · private DNS".to_owned()
                                    } else {
                                        "interface".to_owned()
                                    },
                                    az,
                                };
                                index.things.entry(s).or_default().push(thing);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        index
    }

    /// A name without the plan's name in front: `titus-nat-a` → `nat-a`.
    fn short<'s>(&self, name: &'s str) -> &'s str {
        name.strip_prefix(self.plan.design.name.as_str())
            .and_then(|n| n.strip_prefix('-'))
            .filter(|n| !n.is_empty())
            .unwrap_or(name)
    }

    /// The `Name` of the resource `id`.
    fn name_of(&self, id: &str) -> Option<&'a str> {
        let r: &'a Resource = self.by_id.get(id).copied()?;
        match &r.kind {
            ResourceKind::Vpc { name, .. }
            | ResourceKind::Subnet { name, .. }
            | ResourceKind::InternetGateway { name, .. }
            | ResourceKind::EgressOnlyInternetGateway { name, .. }
            | ResourceKind::ElasticIp { name }
            | ResourceKind::NatGateway { name, .. }
            | ResourceKind::Instance { name, .. }
            | ResourceKind::AutoscalingGroup { name, .. }
            | ResourceKind::RouteTable { name, .. } => Some(name.as_str()),
            _ => None,
        }
    }

    /// Where a route goes, in a word: `igw`, `eigw`, `nat-a`.
    fn target(&self, target: &RouteTarget) -> String {
        match target {
            RouteTarget::InternetGateway(_) => "igw".to_owned(),
            RouteTarget::EgressOnlyInternetGateway(_) => "eigw".to_owned(),
            RouteTarget::NatGateway(id)
            | RouteTarget::Instance(id)
            | RouteTarget::AutoscalingGroup(id) => self
                .name_of(id)
                .map_or_else(|| id.clone(), |n| self.short(n).to_owned()),
        }
    }

    fn cell(&mut self, subnet: &'a SubnetAllocation, acl: SubnetAcl) -> Cell<'a> {
        let region = &self.plan.design.region;
        let id = planner_core::ids::subnet_id(region, &subnet.tier, &subnet.availability_zone);
        let notes = subnet
            .ipv6_index
            .map(|i| format!("IPv6 /64 #{i} of the /56"))
            .into_iter()
            .collect();
        let (mut table, mut lines, mut default) = (None, Vec::new(), None);
        if let Some(&t) = self.table_of.get(id.as_str()) {
            let routes = self.routes.get(t).map_or(&[][..], Vec::as_slice);
            table = Some(planner_core::ids::key(t).to_owned());
            for (dest, target) in routes {
                let dest = match dest {
                    Destination::Ipv4(c) => {
                        if c.prefix_len() == 0 {
                            default = Some(match target {
                                RouteTarget::InternetGateway(_) => RouteTo::Igw,
                                other => RouteTo::Nat(other.id().to_owned()),
                            });
                        }
                        c.to_string()
                    }
                    Destination::Ipv6(s) => s.clone(),
                };
                lines.push(format!("{dest} → {}", self.target(target)));
            }
            let endpoints = self.gateway_endpoints.get(t).map_or(&[][..], Vec::as_slice);
            for service in endpoints {
                lines.push(format!("{service} → gateway endpoint"));
            }
            if lines.is_empty() {
                lines.push("local routes only".to_owned());
            }
        }
        // Only a route to the internet gateway or to a NAT is drawn as an arrow.
        let default = default.filter(|d| match d {
            RouteTo::Nat(id) => self.is_nat(id),
            RouteTo::Igw => true,
        });
        Cell {
            subnet,
            name: self.name_of(&id).unwrap_or(&id).to_owned(),
            kind: tier_kind(&self.plan.design, &subnet.tier),
            notes,
            table,
            routes: lines,
            default,
            things: self.things.remove(id.as_str()).unwrap_or_default(),
            acl,
        }
    }

    /// Whether `id` is a NAT gateway, a NAT instance or an auto-scaling group.
    fn is_nat(&self, id: &str) -> bool {
        matches!(
            self.by_id.get(id).map(|r| &r.kind),
            Some(ResourceKind::NatGateway { .. } | ResourceKind::AutoscalingGroup { .. })
                | Some(ResourceKind::Instance {
                    role: InstanceRole::NatInstance,
                    ..
                })
        )
    }
}

/// The service of an endpoint's service name: `com.amazonaws.us-east-1.ecr.api` → `ecr.api`.
fn service(service_name: &str) -> &str {
    service_name
        .strip_prefix("com.amazonaws.")
        .and_then(|rest| rest.split_once('.'))
        .map_or(service_name, |(_, service)| service)
}

/// An instance role in words.
fn role_name(role: InstanceRole) -> &'static str {
    match role {
        InstanceRole::Bastion => "bastion",
        InstanceRole::JumpHost => "jump host",
        InstanceRole::MasterNode => "master node",
        InstanceRole::NatInstance => "NAT instance",
        InstanceRole::Generic => "instance",
    }
}
