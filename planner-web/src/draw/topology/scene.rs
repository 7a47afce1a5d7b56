//! What the topology diagram shows, read from a plan's resources: each subnet with its route
//! table's default routes and gateway endpoints' routes, its network ACL, and the NATs,
//! instances and interface endpoints that sit in it, and the gateways.

use std::collections::BTreeMap;

use planner_core::alloc::SubnetAllocation;
use planner_core::design::endpoint::EndpointKind;
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
    /// What it is.
    pub kind: ThingKind,
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
    /// Lines under its CIDR; `true` marks a route.
    pub lines: Vec<(String, bool)>,
    /// What sits in it.
    pub things: Vec<Thing>,
    /// The network ACL it uses.
    pub acl: SubnetAcl,
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
        Scene {
            azs,
            tiers,
            grid,
            gateways,
            marks,
        }
    }
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
                        kind: ThingKind::Nat,
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
                        kind: if nat {
                            ThingKind::Nat
                        } else {
                            ThingKind::Instance
                        },
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
                        kind: if nat {
                            ThingKind::Nat
                        } else {
                            ThingKind::Instance
                        },
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
                                    kind: ThingKind::Endpoint,
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
        let mut lines = Vec::new();
        if let Some(i) = subnet.ipv6_index {
            lines.push((format!("IPv6 /64 #{i} of the VPC's /56"), false));
        }
        match self.table_of.get(id.as_str()) {
            Some(&table) => {
                let routes = self.routes.get(table).map_or(&[][..], Vec::as_slice);
                let name = planner_core::ids::key(table);
                lines.push((format!("route table {name}"), false));
                for (dest, target) in routes {
                    let dest = match dest {
                        Destination::Ipv4(c) => c.to_string(),
                        Destination::Ipv6(s) => s.clone(),
                    };
                    lines.push((format!("{dest} → {}", self.target(target)), true));
                }
                let endpoints = self
                    .gateway_endpoints
                    .get(table)
                    .map_or(&[][..], Vec::as_slice);
                for service in endpoints {
                    lines.push((format!("{service} → gateway endpoint"), true));
                }
                if routes.is_empty() && endpoints.is_empty() {
                    lines.push(("local routes only".to_owned(), true));
                }
            }
            None => lines.push(("no route table".to_owned(), false)),
        }
        Cell {
            subnet,
            name: self.name_of(&id).unwrap_or(&id).to_owned(),
            kind: tier_kind(&self.plan.design, &subnet.tier),
            lines,
            things: self.things.remove(id.as_str()).unwrap_or_default(),
            acl,
        }
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
