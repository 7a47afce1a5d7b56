//! A plan as one CloudFormation template (JSON) that builds the same network with the same
//! addresses.
//!
//! * **Logical ids** come from plan ids ([`names::logical_id`]: `subnet.app.a` →
//!   `SubnetAppA`), so an edit that adds a zone or a tier only adds logical ids. Two plan ids
//!   that would give the same logical id are an error, never a rename.
//! * **Every resource type** is mapped by one exhaustive `match` on `ResourceKind`
//!   (`resources.rs`), so a new type does not compile until it is handled. Dependencies are
//!   `Ref`/`Fn::GetAtt` where a property names another resource, and `DependsOn` for the
//!   plan's other `depends_on` (those already implied by a reference are left out).
//! * **IAM documents** (`iam.rs`): `account_id`, `region` and `partition` become the pseudo
//!   parameters, `vpc_id` a `Ref` to the VPC, `vpc_arn` an `Fn::Sub` over it, joins
//!   `Fn::Join`. Role, policy and instance-profile ARNs are `Fn::Sub` over the partition,
//!   the account and the fixed name and path, not `Fn::GetAtt`: a role's policy may name its
//!   own ARN or two roles each other's, which `GetAtt` would make a circular dependency, and
//!   named IAM resources keep their names (the stack needs `CAPABILITY_NAMED_IAM`). The plan's
//!   `depends_on` still orders roles that trust other roles.
//! * **Images**: an SSM parameter (or an alias of one) becomes a template parameter of type
//!   `AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>` defaulting to the parameter's path.
//! * **Addresses**: subnets carry their planned IPv4 blocks; an IPv6 /64 is the planned
//!   index of the VPC's Amazon-provided /56 (`Fn::Select` over `Fn::Cidr` over the VPC's
//!   `Ipv6CidrBlocks`), requested by an `AWS::EC2::VPCCidrBlock` named `<Vpc>Ipv6CidrBlock`.
//! * **Tags**: what the executor sets, `vpc-planner:plan`, `vpc-planner:id` and `Name` (IAM
//!   roles also `vpc-planner:region` and the design's tags). Types CloudFormation cannot tag
//!   (security group rules, managed policies, instance profiles) carry none.
//! * **What the executor does beyond creating** has an equivalent here:
//!   - a group with `revoke_default_egress` gets `SecurityGroupEgress` holding one rule that
//!     matches no packet (ICMP type 252 code 86 to `255.255.255.255/32`): CloudFormation
//!     removes AWS's allow-all egress rule from a group whose `SecurityGroupEgress` it
//!     manages, and the plan's egress rules stay separate `AWS::EC2::SecurityGroupEgress`
//!     resources, so groups naming each other form no cycle;
//!   - `default_network_acl: deny_all` adds deny-all entries numbered 1 (IPv4) and 2 (IPv6)
//!     in each direction to the VPC's default ACL (`Fn::GetAtt VPC.DefaultNetworkAcl`):
//!     AWS's allow rules 100 and 101 stay but are never reached, so it passes no packet, as
//!     the executor's empty ACL does; `allow_all` is what AWS makes and needs nothing;
//!   - `restrict_default_security_group` is a custom resource backed by an inline Lambda
//!     function that revokes every rule of the VPC's default group when the stack creates it
//!     (the way the AWS CDK does it); its role is unnamed;
//!   - a route whose target is an auto-scaling group of NAT instances is made by the
//!     instance at boot (its user data replaces or creates the route in its zone's tagged
//!     route tables), so it is no template resource: the route table lists it under
//!     `Metadata.vpc-planner:routes-made-at-boot` and the group waits for the route table.
//! * **Limits**: a template over CloudFormation's quotas (500 resources, 200 parameters, 200
//!   outputs) is an error naming the quota.

mod body;
mod compute;
mod iam;
mod logging;
pub mod names;
mod network;
mod resources;
mod security;
mod vpc_defaults;

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::ExportError;
use crate::plan::Plan;
use crate::resource::{ResourceKind, RouteTarget};

/// CloudFormation's quotas on one template.
const MAX_RESOURCES: usize = 500;
const MAX_PARAMETERS: usize = 200;
const MAX_OUTPUTS: usize = 200;

/// The plan as a CloudFormation template: pretty JSON with a trailing newline.
///
/// ```
/// let design = planner_core::presets::build("titus", &[]).unwrap();
/// let plan = planner_core::plan(&design, None).unwrap().plan;
/// let text = planner_core::export::cloudformation::template(&plan).unwrap();
/// let t: serde_json::Value = serde_json::from_str(&text).unwrap();
/// assert_eq!(t["Resources"]["VpcMain"]["Type"], "AWS::EC2::VPC");
/// ```
pub fn template(plan: &Plan) -> Result<String, ExportError> {
    let t = template_value(plan)?;
    for (what, max) in [
        ("Resources", MAX_RESOURCES),
        ("Parameters", MAX_PARAMETERS),
        ("Outputs", MAX_OUTPUTS),
    ] {
        let n = t.get(what).and_then(Value::as_object).map_or(0, Map::len);
        if n > max {
            return Err(ExportError::new(
                "template",
                format!(
                    "{n} {}: CloudFormation allows {max} in one template",
                    what.to_lowercase()
                ),
            ));
        }
    }
    let mut s = serde_json::to_string_pretty(&t)
        .map_err(|e| ExportError::new("template", e.to_string()))?;
    s.push('\n');
    Ok(s)
}

/// The template as a JSON value (keys sorted), whatever its size: [`template`] also refuses
/// one over CloudFormation's quotas.
pub fn template_value(plan: &Plan) -> Result<Value, ExportError> {
    let cx = Cx::new(plan)?;
    let mut out = Out::default();
    for r in &plan.resources {
        resources::emit(&cx, r, &mut out)?;
    }
    if let Some(vpc) = plan.resource(crate::ids::VPC_ID) {
        vpc_defaults::emit(&cx, vpc, &mut out)?;
    }
    outputs(&cx, &mut out);
    let d = &plan.design;
    let mut t = Map::new();
    t.insert("AWSTemplateFormatVersion".into(), json!("2010-09-09"));
    t.insert(
        "Description".into(),
        json!(format!(
            "vpc-planner plan {} in {}: the network the plan builds, with its addresses",
            d.name, d.region
        )),
    );
    if !out.parameters.is_empty() {
        t.insert("Parameters".into(), Value::Object(out.parameters));
    }
    t.insert(
        "Rules".into(),
        json!({"PlanRegion": {"Assertions": [{
            "Assert": {"Fn::Equals": [{"Ref": "AWS::Region"}, d.region]},
            "AssertDescription": format!("the plan's subnets are in {}'s zones", d.region),
        }]}}),
    );
    t.insert("Resources".into(), Value::Object(out.resources));
    if !out.outputs.is_empty() {
        t.insert("Outputs".into(), Value::Object(out.outputs));
    }
    Ok(Value::Object(t))
}

/// What every mapping reads: the plan and each plan id's logical id.
pub(super) struct Cx<'p> {
    pub plan: &'p Plan,
    /// Plan id → logical id; a route made at boot maps to its route table's.
    logical: BTreeMap<&'p str, String>,
    /// Route table id → the routes its NAT instance makes at boot: (route id, destination,
    /// auto-scaling group id).
    pub boot_routes: BTreeMap<&'p str, Vec<(&'p str, String, &'p str)>>,
    /// Auto-scaling group id → the route tables whose routes it makes.
    pub boot_tables: BTreeMap<&'p str, Vec<&'p str>>,
}

impl<'p> Cx<'p> {
    fn new(plan: &'p Plan) -> Result<Cx<'p>, ExportError> {
        let mut logical = BTreeMap::new();
        let mut owner: BTreeMap<String, &str> = BTreeMap::new();
        let mut boot_routes: BTreeMap<&str, Vec<_>> = BTreeMap::new();
        let mut boot_tables: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for r in &plan.resources {
            let l = names::logical_id(&r.id);
            if let Some(other) = owner.insert(l.clone(), &r.id) {
                return Err(ExportError::new(
                    &r.id,
                    format!("its CloudFormation logical id {l} is also {other}'s"),
                ));
            }
            logical.insert(r.id.as_str(), l);
            if let ResourceKind::Route {
                route_table,
                destination,
                target: RouteTarget::AutoscalingGroup(group),
            } = &r.kind
            {
                let dest = match destination {
                    crate::resource::Destination::Ipv4(c) => c.to_string(),
                    crate::resource::Destination::Ipv6(s) => s.clone(),
                };
                boot_routes.entry(route_table.as_str()).or_default().push((
                    r.id.as_str(),
                    dest,
                    group.as_str(),
                ));
                boot_tables
                    .entry(group.as_str())
                    .or_default()
                    .push(route_table.as_str());
            }
        }
        for routes in boot_routes.values() {
            for (route, _, _) in routes {
                let table = plan.resource(route).and_then(|r| match &r.kind {
                    ResourceKind::Route { route_table, .. } => logical.get(route_table.as_str()),
                    _ => None,
                });
                if let Some(t) = table.cloned() {
                    logical.insert(route, t);
                }
            }
        }
        Ok(Cx {
            plan,
            logical,
            boot_routes,
            boot_tables,
        })
    }

    /// The logical id of plan resource `id`, named by `from`.
    pub fn logical(&self, from: &str, id: &str) -> Result<&str, ExportError> {
        self.logical
            .get(id)
            .map(String::as_str)
            .ok_or_else(|| ExportError::new(from, format!("names {id}, which the plan lacks")))
    }

    /// `{"Ref": …}` to plan resource `id`.
    pub fn reference(&self, from: &str, id: &str) -> Result<Value, ExportError> {
        Ok(json!({ "Ref": self.logical(from, id)? }))
    }

    /// `{"Fn::GetAtt": [… , attr]}` of plan resource `id`.
    pub fn get_att(&self, from: &str, id: &str, attr: &str) -> Result<Value, ExportError> {
        Ok(json!({ "Fn::GetAtt": [self.logical(from, id)?, attr] }))
    }
}

/// The template being written.
#[derive(Default)]
pub(super) struct Out {
    pub resources: Map<String, Value>,
    pub parameters: Map<String, Value>,
    pub outputs: Map<String, Value>,
}

impl Out {
    /// Adds a resource; a logical id already taken is an error naming both.
    pub fn add(&mut self, from: &str, logical: String, body: Value) -> Result<(), ExportError> {
        if self.resources.contains_key(&logical) {
            return Err(ExportError::new(
                from,
                format!("its CloudFormation logical id {logical} is taken"),
            ));
        }
        self.resources.insert(logical, body);
        Ok(())
    }
}

/// The VPC, every subnet, and every role's and instance profile's ARN.
fn outputs(cx: &Cx, out: &mut Out) {
    for r in &cx.plan.resources {
        let Some(l) = cx.logical.get(r.id.as_str()) else {
            continue;
        };
        let (name, value) = match &r.kind {
            ResourceKind::Vpc { .. } | ResourceKind::Subnet { .. } => {
                (format!("{l}Id"), json!({ "Ref": l }))
            }
            ResourceKind::IamRole(_) | ResourceKind::IamInstanceProfile(_) => {
                (format!("{l}Arn"), json!({ "Fn::GetAtt": [l, "Arn"] }))
            }
            _ => continue,
        };
        out.outputs
            .insert(name, json!({ "Description": r.id, "Value": value }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource::Resource;

    fn titus() -> Plan {
        let design = crate::presets::build("titus", &[]).expect("the preset builds");
        crate::plan(&design, None).expect("it plans").plan
    }

    #[test]
    fn two_plan_ids_with_one_logical_id_are_refused_naming_both() {
        let mut plan = titus();
        let subnet = plan
            .resources
            .iter()
            .find(|r| r.id == "subnet.public.a")
            .expect("titus has a public subnet")
            .clone();
        plan.resources.push(Resource {
            id: "subnet.public-a".to_owned(),
            ..subnet
        });
        let e = template(&plan).expect_err("a collision");
        assert_eq!(e.id, "subnet.public-a");
        assert_eq!(
            e.message,
            "its CloudFormation logical id SubnetPublicA is also subnet.public.a's"
        );
    }

    #[test]
    fn the_same_plan_gives_the_same_bytes() {
        let plan = titus();
        assert_eq!(template(&plan), template(&plan.clone()));
    }
}
