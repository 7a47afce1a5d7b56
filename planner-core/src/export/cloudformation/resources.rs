//! One plan resource as template resources: the one exhaustive `match` on `ResourceKind`,
//! sending each type to its area's writer, then `DependsOn`.

use serde_json::{json, Map, Value};

use super::body::Body;
use super::names::attachment;
use super::{compute, iam, logging, network, security, Cx, Out};
use crate::export::ExportError;
use crate::ids::IGW_ID;
use crate::resource::{Resource, ResourceKind};

/// Adds the template resources of `r`, with `DependsOn` for what the plan orders and no
/// property already references. No wildcard arm: a new resource type does not compile until
/// it is mapped here.
#[deny(clippy::wildcard_enum_match_arm)]
pub fn emit(cx: &Cx, r: &Resource, out: &mut Out) -> Result<(), ExportError> {
    let id = r.id.as_str();
    let me = cx.logical(id, id)?.to_owned();
    let mut parts = Body::default();
    let ty = match &r.kind {
        ResourceKind::Vpc { .. }
        | ResourceKind::VpcCidrBlock { .. }
        | ResourceKind::Subnet { .. }
        | ResourceKind::InternetGateway { .. }
        | ResourceKind::EgressOnlyInternetGateway { .. }
        | ResourceKind::ElasticIp { .. }
        | ResourceKind::NatGateway { .. }
        | ResourceKind::RouteTable { .. }
        | ResourceKind::Route { .. }
        | ResourceKind::RouteTableAssociation { .. }
        | ResourceKind::VpcEndpoint { .. } => match network::emit(cx, r, &me, out, &mut parts)? {
            Some(ty) => ty,
            // Made by the NAT instance at boot: listed on its route table.
            None => return Ok(()),
        },
        ResourceKind::SecurityGroup { .. }
        | ResourceKind::SecurityGroupRule { .. }
        | ResourceKind::NetworkAcl { .. }
        | ResourceKind::NetworkAclEntry { .. }
        | ResourceKind::NetworkAclAssociation { .. } => security::emit(cx, r, &mut parts.props)?,
        ResourceKind::Instance { .. }
        | ResourceKind::LaunchTemplate { .. }
        | ResourceKind::AutoscalingGroup { .. } => compute::emit(cx, r, out, &mut parts)?,
        ResourceKind::LogGroup { .. } | ResourceKind::FlowLog { .. } => {
            logging::emit(cx, r, &mut parts.props)?
        }
        ResourceKind::IamPolicy(_)
        | ResourceKind::IamRole(_)
        | ResourceKind::IamInstanceProfile(_) => iam::emit(cx, r, &mut parts.props)?,
    };
    let Body {
        props,
        metadata,
        extra_depends,
    } = parts;
    let props = Value::Object(props);
    let mut body = Map::new();
    body.insert("Type".into(), json!(ty));
    let depends = depends_on(cx, r, &me, &props, extra_depends)?;
    if !depends.is_empty() {
        body.insert("DependsOn".into(), json!(depends));
    }
    if let Some(m) = metadata {
        body.insert("Metadata".into(), m);
    }
    body.insert("Properties".into(), props);
    out.add(id, me, Value::Object(body))
}

/// The plan's `depends_on` (with the internet gateway's attachment for what waits for the
/// gateway) and `extra`, less what the properties already reference; sorted.
fn depends_on(
    cx: &Cx,
    r: &Resource,
    me: &str,
    props: &Value,
    extra: Vec<String>,
) -> Result<Vec<String>, ExportError> {
    let mut referenced = std::collections::BTreeSet::new();
    references(props, &mut referenced);
    let mut all = std::collections::BTreeSet::new();
    for d in &r.depends_on {
        let l = cx.logical(&r.id, d)?.to_owned();
        if d == IGW_ID {
            all.insert(attachment(&l));
        }
        all.insert(l);
    }
    all.extend(extra);
    all.remove(me);
    Ok(all
        .into_iter()
        .filter(|l| !referenced.contains(l))
        .collect())
}

/// Every logical id a `Ref`, `Fn::GetAtt` or `Fn::Sub` in `v` names.
pub fn references(v: &Value, out: &mut std::collections::BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(s)) = m.get("Ref") {
                out.insert(s.clone());
            }
            if let Some(Value::Array(a)) = m.get("Fn::GetAtt") {
                if let Some(Value::String(s)) = a.first() {
                    out.insert(s.clone());
                }
            }
            if let Some(Value::String(s)) = m.get("Fn::Sub") {
                for part in s.split("${").skip(1) {
                    if let Some(name) = part.split('}').next() {
                        out.insert(name.split('.').next().unwrap_or(name).to_owned());
                    }
                }
            }
            m.values().for_each(|v| references(v, out));
        }
        Value::Array(a) => a.iter().for_each(|v| references(v, out)),
        _ => {}
    }
}
