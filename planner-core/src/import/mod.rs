//! An existing VPC as a design: `executor import` reads the account into a [`Snapshot`] and
//! [`import`] turns it into a plan whose design reproduces it, every subnet pinned to its
//! live block, and whose `imports` name the live resource of each plan id (what `executor
//! adopt` tags).
//!
//! **Invariant: importing never moves a subnet.** Every subnet a tier holds is in the
//! allocation at its live block and zone, and [`import`] refuses to return a plan where one
//! differs. What a design cannot say is never dropped silently: it is kept (an unmanaged
//! block, a route or rule run leaves alone) or reported as something run would change, each
//! as a [`Note`] with a stable code and the resource's AWS id:
//!
//! | code | what |
//! | --- | --- |
//! | `IMP001` | a subnet no tier can hold (kept as an unmanaged block) |
//! | `IMP002` | a route to a target a design does not make: peering, transit gateway… (kept) |
//! | `IMP003` | a network interface nothing of the design owns (kept) |
//! | `IMP004` | a security group rule a design cannot say: prefix lists, other VPCs' groups (kept) |
//! | `IMP005` | a route table shared by tiers, or the main table used implicitly (changes) |
//! | `IMP006` | a NAT a design does not make: NAT instances, private NAT gateways |
//! | `IMP007` | subnet attributes a tier cannot hold (changes) |
//! | `IMP008` | a network ACL whose subnets are not whole tiers (kept) |
//! | `IMP009` | a VPC endpoint a design cannot say (kept) |
//! | `IMP010` | a flow log (kept: a design's writes where the plan puts it) |
//! | `IMP011` | an instance a design cannot hold (kept) |
//! | `IMP012` | an IAM document or profile a design cannot read (kept) |

mod extras;
mod iam;
mod network;
mod security;
pub mod snapshot;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Serialize;

pub use snapshot::Snapshot;

use crate::cidr::Cidr;
use crate::design::network::{AvailabilityZones, Design, Vpc};
use crate::error::PlanError;
use crate::ids;
use crate::plan::Planned;
use crate::resource::{Direction, ResourceKind, RulePeer};

/// What happens to something a design cannot say.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    /// It stays as it is, outside the plan; run leaves it alone.
    Kept,
    /// Once adopted, run changes it to what the design says.
    Changes,
    /// The design cannot say it and nothing keeps it.
    NotExpressible,
}

/// One thing the design does not reproduce as it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Note {
    /// `IMP001`…
    pub code: &'static str,
    /// Kept, changed, or not expressible.
    pub kind: NoteKind,
    /// The AWS id (or IAM name) it is about.
    pub aws_id: String,
    /// What it is and what happens to it.
    pub message: String,
}

impl Note {
    fn new(code: &'static str, kind: NoteKind, aws_id: &str, message: String) -> Note {
        Note {
            code,
            kind,
            aws_id: aws_id.to_owned(),
            message,
        }
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.code, self.aws_id, self.message)
    }
}

/// An imported VPC.
#[derive(Debug)]
pub struct Imported {
    /// The plan, its design's `imports` naming the live resource of each plan id.
    pub planned: Planned,
    /// What the design does not reproduce as it is.
    pub notes: Vec<Note>,
    /// Plan ids with no live resource: what `run` creates after `adopt`.
    pub to_create: Vec<String>,
    /// Subnets pinned at their live blocks.
    pub pinned_subnets: usize,
}

/// Turns `snap` into a plan named `name` that reproduces it.
pub fn import(snap: &Snapshot, name: &str) -> Result<Imported, PlanError> {
    let mut notes = Vec::new();
    let bad_vpc = |what: String| PlanError::Input(crate::error::InputError::at("vpc", what));
    let cidr: Cidr = snap.vpc.cidr.parse().map_err(|_| {
        bad_vpc(format!(
            "the VPC's block {:?} is not one the planner reads",
            snap.vpc.cidr
        ))
    })?;
    for b in &snap.vpc.other_ipv6 {
        notes.push(Note::new(
            "IMP007",
            NoteKind::Kept,
            &snap.vpc.id,
            format!("IPv6 block {b} is not Amazon-provided; a design asks for one, so this one is left alone"),
        ));
    }
    let net = network::network(snap, &mut notes);
    let mut vpc = Vpc::new(cidr);
    vpc.secondary_cidrs = snap
        .vpc
        .secondary_cidrs
        .iter()
        .filter_map(|(c, _)| c.parse().ok())
        .collect();
    vpc.ipv6 = snap.vpc.ipv6_cidr.is_some();
    vpc.dns_support = snap.vpc.dns_support;
    vpc.dns_hostnames = snap.vpc.dns_hostnames;
    let groups = security::groups(snap, &net.allocation, &mut notes);
    vpc.restrict_default_security_group = groups.default_restricted;
    let (default_acl, acls) = extras::acls(snap, &net.allocation, &mut notes);
    vpc.default_network_acl = default_acl;
    let group_names: BTreeSet<String> = groups.groups.iter().map(|g| g.name.clone()).collect();
    let iam = iam::iam(snap, &mut notes);
    let nat_targets: BTreeSet<String> = snap
        .route_tables
        .iter()
        .flat_map(|t| &t.routes)
        .filter_map(|r| match &r.target {
            snapshot::LiveTarget::Instance(i) => Some(i.clone()),
            _ => None,
        })
        .collect();
    let instances = extras::instances(
        snap,
        &net.allocation,
        &net.tiers,
        &group_names,
        &iam,
        &nat_targets,
        &mut notes,
    );
    let imported_instances: BTreeSet<String> = instances.iter().map(|(id, _)| id.clone()).collect();
    extras::interfaces(snap, &imported_instances, &mut notes);
    let endpoints = extras::endpoints(snap, &net.tables, &net.allocation, &group_names, &mut notes);
    extras::flow_logs(snap, &mut notes);

    let design = Design {
        name: name.to_owned(),
        region: snap.region.clone(),
        vpc: Some(vpc),
        availability_zones: (!net.azs.is_empty())
            .then(|| AvailabilityZones::Names(net.azs.clone())),
        reserved_az_slots: 0,
        tiers: net.tiers.clone(),
        nat: net.nat,
        cidrs_in_use: Vec::new(),
        unmanaged_blocks: net.unmanaged.clone(),
        network_acls: acls.iter().map(|(_, a)| a.clone()).collect(),
        endpoints: endpoints.iter().map(|(_, e)| e.clone()).collect(),
        flow_logs: None,
        security_groups: groups.groups,
        iam,
        instances: instances.iter().map(|(_, i)| i.clone()).collect(),
        nat_instances: Default::default(),
        traffic: Default::default(),
        imports: BTreeMap::new(),
    };
    let design = if design.availability_zones.is_none() {
        // A VPC without subnets still needs a zone to be a design.
        Design {
            availability_zones: Some(AvailabilityZones::Count(1)),
            ..design
        }
    } else {
        design
    };
    let planned = match crate::plan(&design, Some(&net.allocation)) {
        Ok(p) => p,
        // A NAT gateway where a design cannot put one (not in a public subnet of the first
        // zone with private subnets): the design has none, and says what run would change.
        Err(PlanError::NatWithoutPublicSubnet { .. }) => {
            for n in snap.nat_gateways.iter().filter(|n| !n.private) {
                notes.push(Note::new(
                    "IMP006",
                    NoteKind::Changes,
                    &n.id,
                    format!(
                        "a NAT gateway in {} where a design cannot put one (a public subnet of the first zone with private subnets); the design has no NAT, so once adopted run would remove the private tables' default route to it",
                        n.subnet
                    ),
                ));
            }
            let design = Design {
                nat: crate::design::network::NatStrategy::None,
                ..design
            };
            crate::plan(&design, Some(&net.allocation))?
        }
        Err(e) => return Err(e),
    };
    // The invariant: no subnet moved.
    for a in &net.allocation.subnets {
        let now = planned
            .plan
            .allocation
            .subnets
            .iter()
            .find(|s| s.tier == a.tier && s.availability_zone == a.availability_zone);
        if now.map(|s| s.cidr) != Some(a.cidr) {
            return Err(PlanError::Input(crate::error::InputError::at(
                "tiers",
                format!(
                    "subnet {} of tier {} in {} would move; nothing was written",
                    a.cidr, a.tier, a.availability_zone
                ),
            )));
        }
    }
    let (imports, to_create) = live_ids(snap, &net, &planned, &acls, &endpoints, &instances);
    let design = Design {
        imports,
        ..planned.plan.design.clone()
    };
    let planned = crate::plan(&design, Some(&net.allocation))?;
    attribute_notes(snap, &planned, &mut notes);
    notes.sort_by(|a, b| (a.code, &a.aws_id).cmp(&(b.code, &b.aws_id)));
    Ok(Imported {
        planned,
        notes,
        to_create,
        pinned_subnets: net.allocation.subnets.len(),
    })
}

/// Subnet attributes the plan sets otherwise than they are (a tier holds one value for all
/// its subnets): what `run` changes once they are adopted.
fn attribute_notes(snap: &Snapshot, planned: &Planned, notes: &mut Vec<Note>) {
    let imports = &planned.plan.design.imports;
    for r in &planned.plan.resources {
        let ResourceKind::Subnet {
            map_public_ip_on_launch,
            assign_ipv6_address_on_creation,
            ipv6_cidr_block,
            ..
        } = &r.kind
        else {
            continue;
        };
        let Some(live) = imports
            .get(&r.id)
            .and_then(|id| snap.subnets.iter().find(|s| s.id == *id))
        else {
            continue;
        };
        let mut differ = Vec::new();
        if live.map_public_ip_on_launch != *map_public_ip_on_launch {
            differ.push(format!(
                "MapPublicIpOnLaunch {} → {map_public_ip_on_launch}",
                live.map_public_ip_on_launch
            ));
        }
        if live.assign_ipv6_address_on_creation != *assign_ipv6_address_on_creation {
            differ.push(format!(
                "AssignIpv6AddressOnCreation {} → {assign_ipv6_address_on_creation}",
                live.assign_ipv6_address_on_creation
            ));
        }
        if live.ipv6_cidr.is_none() && ipv6_cidr_block.is_some() {
            differ.push("no IPv6 block → a /64 of the VPC's".to_owned());
        }
        if !differ.is_empty() {
            notes.push(Note::new(
                "IMP007",
                NoteKind::Changes,
                &live.id,
                format!(
                    "{}: its tier sets {}; once adopted, run changes it",
                    r.id,
                    differ.join(", ")
                ),
            ));
        }
    }
}

/// The live resource of each plan id, and the plan ids that have none.
fn live_ids(
    snap: &Snapshot,
    net: &network::Network,
    planned: &Planned,
    acls: &[(String, crate::design::acl::NetworkAcl)],
    endpoints: &[(String, crate::design::endpoint::Endpoint)],
    instances: &[(String, crate::design::instances::Instance)],
) -> (BTreeMap<String, String>, Vec<String>) {
    let plan = &planned.plan;
    let subnet_of = |plan_subnet: &str| -> Option<String> {
        let ResourceKind::Subnet {
            tier,
            availability_zone,
            ..
        } = &plan.resource(plan_subnet)?.kind
        else {
            return None;
        };
        net.subnet_tier
            .iter()
            .find(|(_, (t, a))| t == tier && a == availability_zone)
            .map(|(id, _)| id.clone())
    };
    let group_of = |plan_group: &str| -> Option<&snapshot::LiveGroup> {
        let ResourceKind::SecurityGroup { name, .. } = &plan.resource(plan_group)?.kind else {
            return None;
        };
        snap.security_groups.iter().find(|g| g.name == *name)
    };
    let nat_in = |plan_subnet: &str| {
        let live = subnet_of(plan_subnet)?;
        snap.nat_gateways
            .iter()
            .find(|n| n.subnet == live && !n.private)
    };
    let mut out = BTreeMap::new();
    let mut create = Vec::new();
    for r in &plan.resources {
        let live: Option<String> = match &r.kind {
            ResourceKind::Vpc { .. } => Some(snap.vpc.id.clone()),
            ResourceKind::VpcCidrBlock { cidr_block, .. } => snap
                .vpc
                .secondary_cidrs
                .iter()
                .find(|(c, _)| c.parse::<Cidr>().ok() == Some(*cidr_block))
                .map(|(_, a)| a.clone()),
            ResourceKind::Subnet { .. } => subnet_of(&r.id),
            ResourceKind::InternetGateway { .. } => snap.internet_gateway.clone(),
            ResourceKind::EgressOnlyInternetGateway { .. } => {
                snap.egress_only_internet_gateway.clone()
            }
            ResourceKind::NatGateway { subnet, .. } => nat_in(subnet).map(|n| n.id.clone()),
            ResourceKind::ElasticIp { .. } => plan.resources.iter().find_map(|n| match &n.kind {
                ResourceKind::NatGateway {
                    subnet, elastic_ip, ..
                } if *elastic_ip == r.id => nat_in(subnet).and_then(|n| n.allocation_id.clone()),
                _ => None,
            }),
            ResourceKind::RouteTable {
                tier,
                availability_zone,
                ..
            } => net
                .tables
                .iter()
                .find(|(_, (t, az))| t == tier && az == availability_zone)
                .map(|(id, _)| id.clone()),
            ResourceKind::SecurityGroup { .. } => group_of(&r.id).map(|g| g.id.clone()),
            ResourceKind::SecurityGroupRule {
                group,
                direction,
                protocol,
                ports,
                peer,
                ..
            } => group_of(group).and_then(|g| {
                let peer_id = match peer {
                    RulePeer::SecurityGroup(p) => group_of(p).map(|x| x.id.clone()),
                    _ => None,
                };
                rule_of(g, *direction, *protocol, *ports, peer, peer_id.as_deref())
            }),
            ResourceKind::NetworkAcl { .. } => acls
                .iter()
                .find(|(_, a)| ids::network_acl_id(&a.name) == r.id)
                .map(|(id, _)| id.clone()),
            ResourceKind::VpcEndpoint { .. } => endpoints
                .iter()
                .find(|(_, e)| ids::vpc_endpoint_id(&e.service, e.kind.as_str()) == r.id)
                .map(|(id, _)| id.clone()),
            ResourceKind::Instance { .. } => instances
                .iter()
                .find(|(_, i)| ids::instance_id(&i.name) == r.id)
                .map(|(id, _)| id.clone()),
            ResourceKind::IamRole(role) => snap
                .roles
                .iter()
                .any(|x| x.name == role.name)
                .then(|| role.name.clone()),
            ResourceKind::IamPolicy(p) => snap
                .policies
                .iter()
                .any(|x| x.name == p.name)
                .then(|| p.name.clone()),
            ResourceKind::IamInstanceProfile(p) => snap
                .instance_profiles
                .iter()
                .any(|x| x.name == p.name)
                .then(|| p.name.clone()),
            // Found through their parents once those are the plan's.
            ResourceKind::Route { .. }
            | ResourceKind::RouteTableAssociation { .. }
            | ResourceKind::NetworkAclEntry { .. }
            | ResourceKind::NetworkAclAssociation { .. } => continue,
            ResourceKind::LaunchTemplate { .. }
            | ResourceKind::AutoscalingGroup { .. }
            | ResourceKind::LogGroup { .. }
            | ResourceKind::FlowLog { .. } => None,
        };
        match live {
            Some(id) => {
                out.insert(r.id.clone(), id);
            }
            None => create.push(r.id.clone()),
        }
    }
    (out, create)
}

/// The live rule of group `g` with this content.
fn rule_of(
    g: &snapshot::LiveGroup,
    direction: Direction,
    protocol: crate::design::sg::Protocol,
    ports: Option<crate::design::sg::PortRange>,
    peer: &RulePeer,
    peer_group: Option<&str>,
) -> Option<String> {
    use crate::design::sg::{PortRange, Protocol};
    let (from, to) = match protocol {
        Protocol::All => (-1, -1),
        Protocol::Tcp | Protocol::Udp => {
            let p = ports.unwrap_or(PortRange::ALL);
            (i32::from(p.from), i32::from(p.to))
        }
        Protocol::Icmp | Protocol::Icmpv6 => ports.map_or((-1, -1), |p| (i32::from(p.from), -1)),
    };
    let proto = |p: &str| match p.to_ascii_lowercase().as_str() {
        "6" | "tcp" => "tcp",
        "17" | "udp" => "udp",
        "1" | "icmp" => "icmp",
        "58" | "icmpv6" => "58",
        _ => "-1",
    };
    g.rules
        .iter()
        .find(|r| {
            r.egress == (direction == Direction::Egress)
                && proto(&r.protocol) == protocol.aws_ip_protocol()
                && (protocol == Protocol::All || (r.from, r.to) == (from, to))
                && match (peer, &r.peer) {
                    (RulePeer::CidrIpv4(c), snapshot::LivePeer::Ipv4(l)) => {
                        l.parse::<Cidr>().ok() == Some(*c)
                    }
                    (RulePeer::CidrIpv6(b), snapshot::LivePeer::Ipv6(l)) => {
                        l.parse::<ipnet::Ipv6Net>().ok() == Some(b.0)
                    }
                    (RulePeer::SecurityGroup(_), snapshot::LivePeer::Group(l)) => {
                        peer_group == Some(l.as_str())
                    }
                    _ => false,
                }
        })
        .map(|r| r.id.clone())
}

#[cfg(test)]
mod tests;
