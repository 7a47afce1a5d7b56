use super::snapshot::*;
use super::*;

fn tags(name: &str) -> BTreeMap<String, String> {
    [("Name".to_owned(), name.to_owned())].into()
}

fn subnet(id: &str, cidr: &str, az: &str, name: &str) -> LiveSubnet {
    LiveSubnet {
        id: id.into(),
        cidr: cidr.into(),
        availability_zone: az.into(),
        tags: tags(name),
        ..LiveSubnet::default()
    }
}

fn route(dest: &str, target: LiveTarget) -> LiveRoute {
    LiveRoute {
        destination: dest.into(),
        target,
    }
}

fn rule(id: &str, egress: bool, proto: &str, port: i32, peer: LivePeer) -> LiveRule {
    LiveRule {
        id: id.into(),
        egress,
        protocol: proto.into(),
        from: port,
        to: port,
        peer,
        description: String::new(),
    }
}

/// What the console's "VPC and more" wizard makes: two public and two private subnets, one
/// NAT gateway (in the second zone here), a public table and one private table per zone.
pub(super) fn wizard() -> Snapshot {
    let local = || route("10.0.0.0/16", LiveTarget::Local);
    let egress = |id: &str| rule(id, true, "-1", -1, LivePeer::Ipv4("0.0.0.0/0".into()));
    Snapshot {
        region: "us-east-1".into(),
        vpc: LiveVpc {
            id: "vpc-1".into(),
            cidr: "10.0.0.0/16".into(),
            dns_support: true,
            dns_hostnames: true,
            tags: tags("project-vpc"),
            ..LiveVpc::default()
        },
        subnets: vec![
            subnet("subnet-pa", "10.0.0.0/20", "us-east-1a", "project-subnet-public1-us-east-1a"),
            subnet("subnet-pb", "10.0.16.0/20", "us-east-1b", "project-subnet-public2-us-east-1b"),
            subnet("subnet-qa", "10.0.128.0/20", "us-east-1a", "project-subnet-private1-us-east-1a"),
            subnet("subnet-qb", "10.0.144.0/20", "us-east-1b", "project-subnet-private2-us-east-1b"),
        ],
        route_tables: vec![
            LiveRouteTable {
                id: "rtb-main".into(),
                main: true,
                routes: vec![local()],
                ..LiveRouteTable::default()
            },
            LiveRouteTable {
                id: "rtb-pub".into(),
                subnets: vec!["subnet-pa".into(), "subnet-pb".into()],
                routes: vec![local(), route("0.0.0.0/0", LiveTarget::InternetGateway("igw-1".into()))],
                ..LiveRouteTable::default()
            },
            LiveRouteTable {
                id: "rtb-qa".into(),
                subnets: vec!["subnet-qa".into()],
                routes: vec![
                    local(),
                    route("0.0.0.0/0", LiveTarget::NatGateway("nat-1".into())),
                    route("10.9.0.0/16", LiveTarget::Other("peering connection pcx-9".into())),
                ],
                ..LiveRouteTable::default()
            },
            LiveRouteTable {
                id: "rtb-qb".into(),
                subnets: vec!["subnet-qb".into()],
                routes: vec![local(), route("0.0.0.0/0", LiveTarget::NatGateway("nat-1".into()))],
                ..LiveRouteTable::default()
            },
        ],
        internet_gateway: Some("igw-1".into()),
        nat_gateways: vec![LiveNatGateway {
            id: "nat-1".into(),
            subnet: "subnet-pb".into(),
            allocation_id: Some("eipalloc-1".into()),
            private: false,
        }],
        security_groups: vec![
            LiveGroup {
                id: "sg-default".into(),
                name: "default".into(),
                rules: vec![egress("sgr-d1")],
                ..LiveGroup::default()
            },
            LiveGroup {
                id: "sg-web".into(),
                name: "web".into(),
                description: "load balancer".into(),
                rules: vec![
                    rule("sgr-w1", false, "tcp", 443, LivePeer::Ipv4("0.0.0.0/0".into())),
                    egress("sgr-w2"),
                ],
                ..LiveGroup::default()
            },
            LiveGroup {
                id: "sg-app".into(),
                name: "app".into(),
                description: "application".into(),
                rules: vec![
                    rule("sgr-a1", false, "tcp", 8080, LivePeer::Group("sg-web".into())),
                    rule("sgr-a2", false, "tcp", 22, LivePeer::Ipv4("10.0.0.0/20".into())),
                    rule("sgr-a3", false, "tcp", 22, LivePeer::Ipv4("10.0.16.0/20".into())),
                    rule("sgr-a4", false, "tcp", 443, LivePeer::PrefixList("pl-1".into())),
                    egress("sgr-a5"),
                ],
                ..LiveGroup::default()
            },
            LiveGroup {
                id: "sg-db".into(),
                name: "db".into(),
                description: "database".into(),
                rules: vec![rule("sgr-b1", false, "tcp", 5432, LivePeer::Group("sg-app".into()))],
                ..LiveGroup::default()
            },
        ],
        network_interfaces: vec![LiveInterface {
            id: "eni-lb".into(),
            subnet: "subnet-pa".into(),
            interface_type: "interface".into(),
            description: "ELB app/web/123".into(),
            groups: vec!["sg-web".into()],
            instance: None,
        }],
        roles: vec![LiveRole {
            name: "app".into(),
            path: "/".into(),
            trust_policy: r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#.into(),
            managed_policies: vec!["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore".into()],
            max_session_duration: Some(3600),
            ..LiveRole::default()
        }],
        instance_profiles: vec![LiveInstanceProfile {
            name: "app".into(),
            path: "/".into(),
            roles: vec!["app".into()],
        }],
        ..Snapshot::default()
    }
}

#[test]
fn the_wizards_vpc_imports_with_every_subnet_where_it_is() {
    let snap = wizard();
    let imported = import(&snap, "brown").unwrap();
    let plan = &imported.planned.plan;
    let d = &plan.design;
    let tiers: Vec<(&str, crate::TierKind)> =
        d.tiers.iter().map(|t| (t.name.as_str(), t.kind)).collect();
    assert_eq!(
        tiers,
        [
            ("public", crate::TierKind::Public),
            ("private", crate::TierKind::Private)
        ]
    );
    // The single NAT's zone comes first, where a design puts it.
    assert_eq!(d.az_names(), ["us-east-1b", "us-east-1a"]);
    assert_eq!(d.nat, crate::NatStrategy::SingleGateway);
    assert!(d.tiers[1].route_table_per_az && !d.tiers[0].route_table_per_az);
    // Both private tables route through the one NAT gateway, as they do live.
    for table in [
        "route.private.a.ipv4-default",
        "route.private.b.ipv4-default",
    ] {
        let r = plan
            .resource(table)
            .unwrap_or_else(|| panic!("{table} is not planned"));
        assert!(r.depends_on.contains(&"nat_gateway.b".to_owned()), "{r:?}");
    }
    for s in &snap.subnets {
        let planned = plan
            .allocation
            .subnets
            .iter()
            .find(|a| a.cidr.to_string() == s.cidr)
            .unwrap();
        assert_eq!(planned.availability_zone, s.availability_zone);
    }
    assert_eq!(imported.pinned_subnets, 4);
    let i = &d.imports;
    assert_eq!(i["vpc.main"], "vpc-1");
    assert_eq!(i["subnet.public.b"], "subnet-pb");
    assert_eq!(i["route_table.public"], "rtb-pub");
    assert_eq!(i["route_table.private.a"], "rtb-qa");
    assert_eq!(i["nat_gateway.b"], "nat-1");
    assert_eq!(i["elastic_ip.nat.b"], "eipalloc-1");
    assert_eq!(i["internet_gateway.main"], "igw-1");
    assert_eq!(i["security_group.db"], "sg-db");
    assert_eq!(i["iam_role.app"], "app");
    assert_eq!(i["iam_instance_profile.app"], "app");
    // Every rule the design holds is found again, the tier peer and the group peers included.
    let rules: Vec<&String> = i
        .iter()
        .filter(|(k, _)| k.starts_with("security_group_rule."))
        .map(|(_, v)| v)
        .collect();
    assert_eq!(rules.len(), 5, "{i:#?}");
    let app = d.security_groups.iter().find(|g| g.name == "app").unwrap();
    assert!(app
        .ingress
        .iter()
        .any(|r| r.peer == crate::design::sg::Peer::Tier("public".into())));
    // Nothing is to be created but what a design adds.
    assert!(imported.to_create.is_empty(), "{:?}", imported.to_create);
    let codes: Vec<(&str, &str)> = imported
        .notes
        .iter()
        .map(|n| (n.code, n.aws_id.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            ("IMP002", "rtb-qa"),
            ("IMP003", "eni-lb"),
            ("IMP004", "sgr-a4")
        ]
    );
    let web = d.security_groups.iter().find(|g| g.name == "web").unwrap();
    assert_eq!(web.attached_to.len(), 1);
}

#[test]
fn a_subnet_no_tier_can_hold_is_kept_as_an_unmanaged_block() {
    let mut snap = wizard();
    // A data subnet in the second zone only: a tier holds the first zones of the order.
    snap.subnets.push(subnet(
        "subnet-da",
        "10.0.200.0/24",
        "us-east-1a",
        "project-subnet-data1-us-east-1a",
    ));
    let imported = import(&snap, "brown").unwrap();
    let d = &imported.planned.plan.design;
    assert_eq!(d.unmanaged_blocks.len(), 1, "{:?}", d.unmanaged_blocks);
    assert_eq!(d.unmanaged_blocks[0].cidr.to_string(), "10.0.200.0/24");
    assert!(imported
        .notes
        .iter()
        .any(|n| n.code == "IMP001" && n.aws_id == "subnet-da"));
    assert!(!d.imports.values().any(|v| v == "subnet-da"));
    // A tier added later never takes its block.
    let mut grown = d.clone();
    grown.tiers.push(crate::Tier {
        name: "cache".into(),
        kind: crate::TierKind::Isolated,
        size: crate::SubnetSize::Prefix(24),
        max_azs: None,
        reserve: 0,
        ipv6_from_internet: false,
        route_table_per_az: false,
        public_ip_on_launch: None,
    });
    let plan = crate::plan(&grown, Some(&imported.planned.plan.allocation))
        .unwrap()
        .plan;
    let kept: crate::Cidr = "10.0.200.0/24".parse().unwrap();
    assert!(plan
        .allocation
        .subnets
        .iter()
        .all(|s| !s.cidr.overlaps(kept)));
}

#[test]
fn ipv6_blocks_keep_their_index() {
    let mut snap = wizard();
    snap.vpc.ipv6_cidr = Some("2600:1f18:aaaa:bb00::/56".into());
    for (i, s) in snap.subnets.iter_mut().enumerate() {
        s.ipv6_cidr = Some(format!("2600:1f18:aaaa:bb0{}::/64", i + 3));
        s.assign_ipv6_address_on_creation = true;
    }
    let imported = import(&snap, "brown").unwrap();
    let plan = &imported.planned.plan;
    assert!(plan.design.vpc.as_ref().unwrap().ipv6);
    for (i, s) in snap.subnets.iter().enumerate() {
        let a = plan
            .allocation
            .subnets
            .iter()
            .find(|a| a.cidr.to_string() == s.cidr)
            .unwrap();
        assert_eq!(a.ipv6_index, Some(u8::try_from(i + 3).unwrap()), "{}", s.id);
    }
}

#[test]
fn a_nat_gateway_per_zone_reads_as_gateway_per_az() {
    let mut snap = wizard();
    snap.nat_gateways = vec![
        LiveNatGateway {
            id: "nat-a".into(),
            subnet: "subnet-pa".into(),
            allocation_id: Some("eipalloc-a".into()),
            private: false,
        },
        LiveNatGateway {
            id: "nat-b".into(),
            subnet: "subnet-pb".into(),
            allocation_id: Some("eipalloc-b".into()),
            private: false,
        },
    ];
    snap.route_tables[2].routes[1].target = LiveTarget::NatGateway("nat-a".into());
    snap.route_tables[3].routes[1].target = LiveTarget::NatGateway("nat-b".into());
    let imported = import(&snap, "brown").unwrap();
    let d = &imported.planned.plan.design;
    assert_eq!(d.nat, crate::NatStrategy::GatewayPerAz);
    assert_eq!(d.az_names(), ["us-east-1a", "us-east-1b"]);
    assert_eq!(d.imports["nat_gateway.a"], "nat-a");
    assert_eq!(d.imports["elastic_ip.nat.b"], "eipalloc-b");
    assert!(imported.to_create.is_empty(), "{:?}", imported.to_create);
}

#[test]
fn a_group_a_design_cannot_name_is_kept_with_the_rules_that_refer_to_it() {
    let mut snap = wizard();
    snap.security_groups[1].name = "My Web SG".into();
    let imported = import(&snap, "brown").unwrap();
    let d = &imported.planned.plan.design;
    assert!(!d.security_groups.iter().any(|g| g.name == "My Web SG"));
    let kept: Vec<&str> = imported
        .notes
        .iter()
        .filter(|n| n.code == "IMP004")
        .map(|n| n.aws_id.as_str())
        .collect();
    // The group itself and app's rule from it (and the prefix-list rule).
    assert_eq!(kept, ["sg-web", "sgr-a1", "sgr-a4"]);
}

#[test]
fn endpoints_and_network_acls_on_whole_tiers_come_along() {
    let mut snap = wizard();
    snap.endpoints.push(LiveEndpoint {
        id: "vpce-s3".into(),
        service_name: "com.amazonaws.us-east-1.s3".into(),
        kind: "Gateway".into(),
        route_tables: vec!["rtb-qa".into(), "rtb-qb".into()],
        policy: Some(r#"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#.into()),
        ..LiveEndpoint::default()
    });
    let entry = |number: i32, egress: bool, allow: bool| LiveAclEntry {
        number,
        egress,
        protocol: if number == 32767 {
            "-1".into()
        } else {
            "6".into()
        },
        allow,
        cidr: Some("0.0.0.0/0".into()),
        ports: (number != 32767).then_some((443, 443)),
        ..LiveAclEntry::default()
    };
    snap.network_acls = vec![
        LiveAcl {
            id: "acl-default".into(),
            default: true,
            subnets: vec!["subnet-qa".into(), "subnet-qb".into()],
            entries: vec![
                LiveAclEntry {
                    number: 100,
                    protocol: "-1".into(),
                    allow: true,
                    cidr: Some("0.0.0.0/0".into()),
                    ..LiveAclEntry::default()
                },
                LiveAclEntry {
                    number: 100,
                    egress: true,
                    protocol: "-1".into(),
                    allow: true,
                    cidr: Some("0.0.0.0/0".into()),
                    ..LiveAclEntry::default()
                },
                entry(32767, false, false),
            ],
            ..LiveAcl::default()
        },
        LiveAcl {
            id: "acl-web".into(),
            subnets: vec!["subnet-pa".into(), "subnet-pb".into()],
            entries: vec![
                entry(100, false, true),
                entry(100, true, true),
                entry(32767, false, false),
            ],
            tags: tags("Project Web ACL"),
            ..LiveAcl::default()
        },
    ];
    let imported = import(&snap, "brown").unwrap();
    let d = &imported.planned.plan.design;
    assert_eq!(d.endpoints.len(), 1);
    assert_eq!(d.endpoints[0].tiers, ["private"]);
    assert_eq!(
        d.endpoints[0].policy, None,
        "AWS's full access reads as no policy"
    );
    assert_eq!(d.imports["vpc_endpoint.s3.gateway"], "vpce-s3");
    assert_eq!(d.network_acls.len(), 1);
    assert_eq!(d.network_acls[0].name, "project-web-acl");
    assert_eq!(d.network_acls[0].tiers, ["public"]);
    assert_eq!(d.imports["network_acl.project-web-acl"], "acl-web");
    assert_eq!(d.vpc.as_ref().unwrap().default_network_acl, None);
}
