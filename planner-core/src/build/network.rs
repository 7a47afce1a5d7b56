//! From an allocation to resources: the VPC, subnets, gateways and route tables, with the
//! security groups ([`super::sg`]) and NAT ([`super::nat`]) in between.
//!
//! Public tiers route to the internet gateway; private tiers route IPv4 to the NAT of their
//! own AZ (or the single NAT) and IPv6 to an egress-only gateway (or, with
//! `ipv6_from_internet`, to the internet gateway); isolated tiers keep local routes only. Route tables are per tier, and per AZ only where the
//! targets differ. Every subnet is associated with its route table explicitly.

use std::collections::BTreeMap;

use crate::alloc::Allocation;
use crate::cidr::Cidr;
use crate::design::network::{Design, NatStrategy, Tier, TierKind};
use crate::error::PlanError;
use crate::ids::{
    az_suffix, default_route_id, route_table_association_id, route_table_id, subnet_id,
    tier_az_key, vpc_cidr_block_id, EIGW_ID, IGW_ID, NAT_ZONE_TAG, VPC_ID,
};
use crate::resource::{Destination, Ipv6SubnetBlock, Resource, ResourceKind, RouteTarget};

struct Builder<'a> {
    design: &'a Design,
    out: Vec<Resource>,
}

impl Builder<'_> {
    fn push(&mut self, id: impl Into<String>, kind: ResourceKind, deps: &[&str]) {
        self.out.push(Resource::new(id, kind, deps.iter().copied()));
    }

    fn name(&self, what: &str) -> String {
        format!("{}-{what}", self.design.name)
    }

    fn route(&mut self, table: &str, destination: Destination, target: RouteTarget) {
        let id = default_route_id(table, matches!(destination, Destination::Ipv6(_)));
        let target_id = target.id().to_owned();
        self.push(
            id,
            ResourceKind::Route {
                route_table: table.to_owned(),
                destination,
                target,
            },
            &[table, &target_id],
        );
    }
}

/// Builds the network resources of `design` over `allocation`.
pub(crate) fn resources(
    design: &Design,
    azs: &[String],
    allocation: &Allocation,
) -> Result<Vec<Resource>, PlanError> {
    let region = design.region.as_str();
    let ipv6 = design.vpc().ipv6;
    let has = |kind: TierKind| design.tiers.iter().any(|t| t.kind == kind);
    let mut b = Builder {
        design,
        out: Vec::new(),
    };

    b.push(
        VPC_ID,
        ResourceKind::Vpc {
            name: b.name("vpc"),
            cidr_block: design.vpc().cidr,
            amazon_provided_ipv6: ipv6,
            enable_dns_support: design.vpc().dns_support,
            enable_dns_hostnames: design.vpc().dns_hostnames,
            restrict_default_security_group: design.vpc().restrict_default_security_group,
            default_network_acl: design.vpc().default_network_acl,
        },
        &[],
    );
    let secondary: Vec<(Cidr, String)> = design
        .vpc()
        .secondary_cidrs
        .iter()
        .map(|&c| (c, vpc_cidr_block_id(&c.to_string())))
        .collect();
    for (cidr, id) in &secondary {
        b.push(
            id.clone(),
            ResourceKind::VpcCidrBlock {
                vpc: VPC_ID.to_owned(),
                cidr_block: *cidr,
            },
            &[VPC_ID],
        );
    }
    let inbound_v6 = |t: &Tier| ipv6 && t.ipv6_from_internet;
    if has(TierKind::Public) || design.tiers.iter().any(inbound_v6) {
        b.push(
            IGW_ID,
            ResourceKind::InternetGateway {
                name: b.name("igw"),
                vpc: VPC_ID.to_owned(),
            },
            &[VPC_ID],
        );
    }
    let has_private = has(TierKind::Private);
    let egress_only = design
        .tiers
        .iter()
        .any(|t| t.kind == TierKind::Private && !t.ipv6_from_internet);
    if ipv6 && egress_only {
        b.push(
            EIGW_ID,
            ResourceKind::EgressOnlyInternetGateway {
                name: b.name("eigw"),
                vpc: VPC_ID.to_owned(),
            },
            &[VPC_ID],
        );
    }

    for s in &allocation.subnets {
        let tier = design
            .tiers
            .iter()
            .find(|t| t.name == s.tier)
            .expect("allocation comes from this design");
        let id = subnet_id(region, &s.tier, &s.availability_zone);
        let mut deps = vec![VPC_ID];
        // A subnet in a secondary block waits for that block's association.
        if !design.vpc().cidr.contains(s.cidr) {
            if let Some((_, block_id)) = secondary.iter().find(|(c, _)| c.contains(s.cidr)) {
                deps.push(block_id);
            }
        }
        b.push(
            id,
            ResourceKind::Subnet {
                name: b.name(&format!(
                    "{}-{}",
                    s.tier,
                    az_suffix(region, &s.availability_zone)
                )),
                vpc: VPC_ID.to_owned(),
                tier: s.tier.clone(),
                availability_zone: s.availability_zone.clone(),
                cidr_block: s.cidr,
                ipv6_cidr_block: s.ipv6_index.map(|index| Ipv6SubnetBlock {
                    vpc: VPC_ID.to_owned(),
                    prefix_len: 64,
                    index,
                }),
                map_public_ip_on_launch: tier
                    .public_ip_on_launch
                    .unwrap_or(tier.kind == TierKind::Public),
                assign_ipv6_address_on_creation: ipv6 && tier.kind != TierKind::Isolated,
            },
            &deps,
        );
    }

    super::acl::resources(design, allocation, &mut b.out);
    super::sg::resources(design, allocation, &mut b.out);

    // NAT: one per AZ that has private subnets, or one in the first AZ.
    let nat_targets = if design.nat == NatStrategy::None || !has_private {
        Vec::new()
    } else {
        super::nat::nat(design, azs, allocation, &mut b.out)?
    };

    let mut route_tables: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for tier in &design.tiers {
        let tier_azs = design.tier_azs(tier, azs);
        let per_az =
            tier.route_table_per_az || (tier.kind == TierKind::Private && nat_targets.len() > 1);
        let tables: Vec<(String, Option<&String>)> = if per_az {
            tier_azs
                .iter()
                .map(|az| (tier_az_key(region, &tier.name, az), Some(az)))
                .collect()
        } else {
            vec![(tier.name.clone(), None)]
        };
        for (table_name, az) in &tables {
            let rt = route_table_id(table_name);
            route_tables
                .entry(tier.name.as_str())
                .or_default()
                .push(rt.clone());
            let nat = match (tier.kind, az) {
                // A table per zone uses its zone's NAT, or the single one.
                (TierKind::Private, Some(az)) => nat_targets
                    .iter()
                    .find(|(a, _)| a == *az)
                    .or_else(|| nat_targets.first()),
                (TierKind::Private, None) => nat_targets.first(),
                _ => None,
            };
            // A NAT instance in an auto-scaling group finds the tables it serves by this tag.
            let tags = match nat {
                Some((nat_az, RouteTarget::AutoscalingGroup(_))) => {
                    [(NAT_ZONE_TAG.to_owned(), nat_az.clone())].into()
                }
                _ => Default::default(),
            };
            b.push(
                rt.clone(),
                ResourceKind::RouteTable {
                    name: b.name(&table_name.replace('.', "-")),
                    vpc: VPC_ID.to_owned(),
                    tier: tier.name.clone(),
                    availability_zone: az.cloned(),
                    tags,
                },
                &[VPC_ID],
            );
            let any_v4 = Destination::Ipv4("0.0.0.0/0".parse().expect("valid"));
            let any_v6 = || Destination::Ipv6("::/0".to_owned());
            match tier.kind {
                TierKind::Public => {
                    b.route(&rt, any_v4, RouteTarget::InternetGateway(IGW_ID.to_owned()));
                    if ipv6 {
                        b.route(
                            &rt,
                            any_v6(),
                            RouteTarget::InternetGateway(IGW_ID.to_owned()),
                        );
                    }
                }
                TierKind::Private => {
                    if let Some((_, target)) = nat {
                        b.route(&rt, any_v4, target.clone());
                    }
                    if ipv6 {
                        let target = if tier.ipv6_from_internet {
                            RouteTarget::InternetGateway(IGW_ID.to_owned())
                        } else {
                            RouteTarget::EgressOnlyInternetGateway(EIGW_ID.to_owned())
                        };
                        b.route(&rt, any_v6(), target);
                    }
                }
                TierKind::Isolated => {}
            }
        }
        for az in tier_azs {
            let subnet = subnet_id(region, &tier.name, az);
            let table = match tables.iter().find(|(_, a)| *a == Some(az)) {
                Some((name, _)) => name,
                None => &tables[0].0,
            };
            let rt = route_table_id(table);
            b.push(
                route_table_association_id(region, &tier.name, az),
                ResourceKind::RouteTableAssociation {
                    route_table: rt.clone(),
                    subnet: subnet.clone(),
                },
                &[&rt, &subnet],
            );
        }
    }
    super::endpoint::endpoints(design, allocation, &route_tables, &mut b.out);
    super::endpoint::flow_log(design, &mut b.out);
    Ok(b.out)
}
