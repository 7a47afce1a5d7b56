//! Policy documents as `jsonencode(…)` with typed references interpolated: apply-time values
//! become data sources or resource attributes, and every literal is escaped.

use std::collections::BTreeMap;

use super::error::{err, TerraformError};
use super::hcl::{Expr, Part};
use super::writer::{Data, Writer};
use crate::design::iam::document::PolicyDocument;
use crate::design::iam::reference::Reference;
use crate::ids;

/// Private-use characters that mark an interpolation inside a resolved document's strings.
pub(super) const OPEN: char = '\u{E000}';
pub(super) const CLOSE: char = '\u{E001}';

impl Writer<'_> {
    /// A policy document as `jsonencode({…})`, references interpolated. `own_role` is the
    /// role whose trust policy this is: a reference to its own ARN is spelled out from the
    /// partition, account, path and name, since a resource cannot refer to itself.
    pub(super) fn document(
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
