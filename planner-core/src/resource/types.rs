//! The type of a resource without its attributes, and its snake_case name in plan.json.

/// The type of a resource, without its attributes: what the executor dispatches on. Adding a
/// variant to [`ResourceKind`](super::ResourceKind) means adding one here, and every
/// exhaustive `match` on it (the executor's operations, its policy) then fails to compile
/// until it handles the new type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ResourceType {
    /// `vpc`.
    Vpc,
    /// `vpc_cidr_block`.
    VpcCidrBlock,
    /// `subnet`.
    Subnet,
    /// `internet_gateway`.
    InternetGateway,
    /// `egress_only_internet_gateway`.
    EgressOnlyInternetGateway,
    /// `elastic_ip`.
    ElasticIp,
    /// `nat_gateway`.
    NatGateway,
    /// `security_group`.
    SecurityGroup,
    /// `security_group_rule`.
    SecurityGroupRule,
    /// `instance`.
    Instance,
    /// `launch_template`.
    LaunchTemplate,
    /// `autoscaling_group`.
    AutoscalingGroup,
    /// `route_table`.
    RouteTable,
    /// `route`.
    Route,
    /// `route_table_association`.
    RouteTableAssociation,
    /// `network_acl`.
    NetworkAcl,
    /// `network_acl_entry`.
    NetworkAclEntry,
    /// `network_acl_association`.
    NetworkAclAssociation,
    /// `vpc_endpoint`.
    VpcEndpoint,
    /// `log_group`.
    LogGroup,
    /// `flow_log`.
    FlowLog,
    /// `iam_policy`.
    IamPolicy,
    /// `iam_role`.
    IamRole,
    /// `iam_instance_profile`.
    IamInstanceProfile,
}

impl ResourceType {
    /// Every type, in the order of [`ResourceKind`](super::ResourceKind)'s variants.
    pub const ALL: [ResourceType; 24] = [
        ResourceType::Vpc,
        ResourceType::VpcCidrBlock,
        ResourceType::Subnet,
        ResourceType::InternetGateway,
        ResourceType::EgressOnlyInternetGateway,
        ResourceType::ElasticIp,
        ResourceType::NatGateway,
        ResourceType::SecurityGroup,
        ResourceType::SecurityGroupRule,
        ResourceType::Instance,
        ResourceType::LaunchTemplate,
        ResourceType::AutoscalingGroup,
        ResourceType::RouteTable,
        ResourceType::Route,
        ResourceType::RouteTableAssociation,
        ResourceType::NetworkAcl,
        ResourceType::NetworkAclEntry,
        ResourceType::NetworkAclAssociation,
        ResourceType::VpcEndpoint,
        ResourceType::LogGroup,
        ResourceType::FlowLog,
        ResourceType::IamPolicy,
        ResourceType::IamRole,
        ResourceType::IamInstanceProfile,
    ];

    /// The snake_case name used in plan.json (`security_group_rule`).
    ///
    /// ```
    /// use planner_core::resource::ResourceType;
    /// assert_eq!(ResourceType::SecurityGroupRule.name(), "security_group_rule");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            ResourceType::Vpc => "vpc",
            ResourceType::VpcCidrBlock => "vpc_cidr_block",
            ResourceType::Subnet => "subnet",
            ResourceType::InternetGateway => "internet_gateway",
            ResourceType::EgressOnlyInternetGateway => "egress_only_internet_gateway",
            ResourceType::ElasticIp => "elastic_ip",
            ResourceType::NatGateway => "nat_gateway",
            ResourceType::SecurityGroup => "security_group",
            ResourceType::SecurityGroupRule => "security_group_rule",
            ResourceType::Instance => "instance",
            ResourceType::LaunchTemplate => "launch_template",
            ResourceType::AutoscalingGroup => "autoscaling_group",
            ResourceType::RouteTable => "route_table",
            ResourceType::Route => "route",
            ResourceType::RouteTableAssociation => "route_table_association",
            ResourceType::NetworkAcl => "network_acl",
            ResourceType::NetworkAclEntry => "network_acl_entry",
            ResourceType::NetworkAclAssociation => "network_acl_association",
            ResourceType::VpcEndpoint => "vpc_endpoint",
            ResourceType::LogGroup => "log_group",
            ResourceType::FlowLog => "flow_log",
            ResourceType::IamPolicy => "iam_policy",
            ResourceType::IamRole => "iam_role",
            ResourceType::IamInstanceProfile => "iam_instance_profile",
        }
    }

    /// The type a plan.json name stands for.
    ///
    /// ```
    /// use planner_core::resource::ResourceType;
    /// assert_eq!(ResourceType::from_name("nat_gateway"), Some(ResourceType::NatGateway));
    /// assert_eq!(ResourceType::from_name("nat"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<ResourceType> {
        ResourceType::ALL.into_iter().find(|t| t.name() == name)
    }
}

impl std::fmt::Display for ResourceType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
