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
