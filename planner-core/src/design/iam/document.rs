//! Policy documents, typed to the IAM JSON policy grammar.
//!
//! Field names are exactly IAM's (`Version`, `Statement`, `Effect`, …). A single value and a
//! one-element array are kept apart ([`OneOrMany`]), so a document serializes back to what was
//! written. Unknown keys and wrong types are parse errors with a JSON path; rules the types do
//! not express (no `Action`, `Principal` in an identity policy, …) are finding `IAM001`.
//!
//! ```
//! use planner_core::design::iam::PolicyDocument;
//! let json = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}}"#;
//! let doc: PolicyDocument = serde_json::from_str(json).unwrap();
//! assert_eq!(serde_json::to_string(&doc).unwrap(), json);
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use schemars::JsonSchema;
use serde::de::value::MapAccessDeserializer;
use serde::de::{self, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::reference::{Reference, Value, ValueVisitor};

/// An IAM policy document: an identity policy or a role's trust policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyDocument {
    /// The policy language version: `2012-10-17` (current) or `2008-10-17`.
    #[serde(rename = "Version", default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// An optional identifier.
    #[serde(rename = "Id", default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// One statement or an array of them.
    #[serde(rename = "Statement")]
    pub statement: OneOrMany<Statement>,
}

/// One statement of a policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    /// Statement id, unique in its policy.
    #[serde(rename = "Sid", default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// Allow or deny.
    #[serde(rename = "Effect")]
    pub effect: Effect,
    /// Who the statement applies to (trust and resource policies only).
    #[serde(rename = "Principal", default, skip_serializing_if = "Option::is_none")]
    pub principal: Option<Principal>,
    /// Everyone but these (trust and resource policies only).
    #[serde(
        rename = "NotPrincipal",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub not_principal: Option<Principal>,
    /// Actions such as `ec2:RunInstances`, `s3:Get*` or `*`.
    #[serde(rename = "Action", default, skip_serializing_if = "Option::is_none")]
    pub action: Option<OneOrMany<String>>,
    /// Every action but these.
    #[serde(rename = "NotAction", default, skip_serializing_if = "Option::is_none")]
    pub not_action: Option<OneOrMany<String>>,
    /// Resource ARNs (or `*`).
    #[serde(rename = "Resource", default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<OneOrMany<Value>>,
    /// Every resource but these.
    #[serde(
        rename = "NotResource",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub not_resource: Option<OneOrMany<Value>>,
    /// Operator → condition key → value or values.
    #[serde(rename = "Condition", default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
}

/// Condition operator (`StringEquals`) → condition key (`sts:ExternalId`) → value(s).
pub type Condition = BTreeMap<String, BTreeMap<String, OneOrMany<ConditionValue>>>;

/// A statement's effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum Effect {
    /// Grants.
    Allow,
    /// Denies, overriding any allow.
    Deny,
}

/// A statement's principal: `"*"` (everyone) or principals by kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Principal {
    /// `"*"`: anyone, including anonymous users.
    Any,
    /// Principals by kind.
    Map(PrincipalMap),
}

/// Principals by kind, each one value or an array.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PrincipalMap {
    /// Accounts, roles and users: ARNs, 12-digit account ids or `*`.
    #[serde(rename = "AWS", default, skip_serializing_if = "Option::is_none")]
    pub aws: Option<OneOrMany<Value>>,
    /// AWS services, e.g. `ec2.amazonaws.com`.
    #[serde(rename = "Service", default, skip_serializing_if = "Option::is_none")]
    pub service: Option<OneOrMany<String>>,
    /// Identity providers: an OIDC or SAML provider ARN, or e.g. `accounts.google.com`.
    #[serde(rename = "Federated", default, skip_serializing_if = "Option::is_none")]
    pub federated: Option<OneOrMany<Value>>,
    /// S3 canonical user ids.
    #[serde(
        rename = "CanonicalUser",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub canonical_user: Option<OneOrMany<String>>,
}

/// A condition value: a string (or reference), a boolean or a number, as written.
#[derive(Clone, Debug, PartialEq, Eq, JsonSchema)]
#[schemars(untagged)]
pub enum ConditionValue {
    /// A string, reference or join.
    Value(Value),
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(serde_json::Number),
}

/// One value or an array of them, kept as written.
#[derive(Clone, Debug, PartialEq, Eq, JsonSchema)]
#[schemars(untagged, rename = "OneOrMany_{T}")]
pub enum OneOrMany<T> {
    /// A single value.
    One(T),
    /// An array (possibly of one).
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    /// The values.
    pub fn as_slice(&self) -> &[T] {
        match self {
            OneOrMany::One(x) => std::slice::from_ref(x),
            OneOrMany::Many(v) => v,
        }
    }

    /// The values with their JSON paths: `base` for a single value, `base[i]` in an array.
    pub fn with_paths(&self, base: &str) -> Vec<(String, &T)> {
        match self {
            OneOrMany::One(x) => vec![(base.to_owned(), x)],
            OneOrMany::Many(v) => v
                .iter()
                .enumerate()
                .map(|(i, x)| (format!("{base}[{i}]"), x))
                .collect(),
        }
    }

    /// The same shape with every value mapped.
    pub fn try_map<U, E>(&self, mut f: impl FnMut(&T) -> Result<U, E>) -> Result<OneOrMany<U>, E> {
        Ok(match self {
            OneOrMany::One(x) => OneOrMany::One(f(x)?),
            OneOrMany::Many(v) => OneOrMany::Many(v.iter().map(f).collect::<Result<_, _>>()?),
        })
    }
}

impl<T: Serialize> Serialize for OneOrMany<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            OneOrMany::One(x) => x.serialize(s),
            OneOrMany::Many(v) => v.serialize(s),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = OneOrMany<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a value or an array of values")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = seq.next_element()? {
                    v.push(x);
                }
                Ok(OneOrMany::Many(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(OneOrMany::One)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                T::deserialize(v.into_deserializer()).map(OneOrMany::One)
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                T::deserialize(v.into_deserializer()).map(OneOrMany::One)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                T::deserialize(v.into_deserializer()).map(OneOrMany::One)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                T::deserialize(v.into_deserializer()).map(OneOrMany::One)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                T::deserialize(v.into_deserializer()).map(OneOrMany::One)
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

impl Serialize for Principal {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Principal::Any => s.serialize_str("*"),
            Principal::Map(m) => m.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Principal {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Principal;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("\"*\" or an object with AWS, Service, Federated or CanonicalUser")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Principal, E> {
                if v == "*" {
                    Ok(Principal::Any)
                } else {
                    Err(E::invalid_value(de::Unexpected::Str(v), &self))
                }
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Principal, A::Error> {
                PrincipalMap::deserialize(MapAccessDeserializer::new(map)).map(Principal::Map)
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for Principal {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Principal".into()
    }

    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let map = g.subschema_for::<PrincipalMap>();
        schemars::json_schema!({
            "description": "`\"*\"` (anyone) or principals by kind.",
            "anyOf": [{"const": "*"}, map]
        })
    }
}

impl Serialize for ConditionValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            ConditionValue::Value(v) => v.serialize(s),
            ConditionValue::Bool(b) => s.serialize_bool(*b),
            ConditionValue::Number(n) => n.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for ConditionValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ConditionValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string, boolean, number, {\"ref\": ...} or {\"join\": [...]}")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<ConditionValue, E> {
                Ok(ConditionValue::Bool(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ConditionValue, E> {
                Ok(ConditionValue::Number(v.into()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ConditionValue, E> {
                Ok(ConditionValue::Number(v.into()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<ConditionValue, E> {
                serde_json::Number::from_f64(v)
                    .map(ConditionValue::Number)
                    .ok_or_else(|| E::custom("expected a finite number"))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ConditionValue, E> {
                Ok(ConditionValue::Value(Value::Literal(v.to_owned())))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ConditionValue, A::Error> {
                ValueVisitor.visit_map(map).map(ConditionValue::Value)
            }
        }
        d.deserialize_any(V)
    }
}

/// A reference with no value: what [`PolicyDocument::render`] could not resolve.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("no value for reference {0}")]
pub struct Unresolved(pub Reference);

impl PolicyDocument {
    /// The statements.
    pub fn statements(&self) -> &[Statement] {
        self.statement.as_slice()
    }

    /// The document with every reference replaced by what `ctx` gives.
    pub fn resolve(
        &self,
        ctx: &dyn Fn(&Reference) -> Option<String>,
    ) -> Result<PolicyDocument, Unresolved> {
        let value = |v: &Value| -> Result<Value, Unresolved> {
            v.resolve(ctx).map(Value::Literal).ok_or_else(|| {
                let r = v.references().into_iter().find(|(_, r)| ctx(r).is_none());
                Unresolved(r.map_or(Reference::AccountId, |(_, r)| r.clone()))
            })
        };
        let values =
            |v: &Option<OneOrMany<Value>>| v.as_ref().map(|v| v.try_map(value)).transpose();
        let principal = |p: &Option<Principal>| -> Result<Option<Principal>, Unresolved> {
            Ok(match p {
                None => None,
                Some(Principal::Any) => Some(Principal::Any),
                Some(Principal::Map(m)) => Some(Principal::Map(PrincipalMap {
                    aws: values(&m.aws)?,
                    federated: values(&m.federated)?,
                    ..m.clone()
                })),
            })
        };
        let statement = |s: &Statement| -> Result<Statement, Unresolved> {
            let condition = match &s.condition {
                None => None,
                Some(c) => {
                    let mut out = Condition::new();
                    for (op, keys) in c {
                        let mut m = BTreeMap::new();
                        for (key, vals) in keys {
                            let vals = vals.try_map(|cv| match cv {
                                ConditionValue::Value(v) => value(v).map(ConditionValue::Value),
                                other => Ok(other.clone()),
                            })?;
                            m.insert(key.clone(), vals);
                        }
                        out.insert(op.clone(), m);
                    }
                    Some(out)
                }
            };
            Ok(Statement {
                principal: principal(&s.principal)?,
                not_principal: principal(&s.not_principal)?,
                resource: values(&s.resource)?,
                not_resource: values(&s.not_resource)?,
                condition,
                ..s.clone()
            })
        };
        Ok(PolicyDocument {
            statement: self.statement.try_map(statement)?,
            ..self.clone()
        })
    }

    /// The exact JSON text AWS receives (compact, fields in IAM's order), with every
    /// reference resolved by `ctx`.
    ///
    /// ```
    /// use planner_core::design::iam::{PolicyDocument, Reference};
    /// let doc: PolicyDocument = serde_json::from_str(r#"{"Version": "2012-10-17",
    ///     "Statement": [{"Effect": "Allow", "Action": "iam:PassRole",
    ///                    "Resource": {"ref": "role_arn", "role": "agent"}}]}"#).unwrap();
    /// let text = doc.render(&|r| match r {
    ///     Reference::RoleArn { role } => Some(format!("arn:aws:iam::123456789012:role/{role}")),
    ///     _ => None,
    /// }).unwrap();
    /// assert_eq!(text, r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::123456789012:role/agent"}]}"#);
    /// ```
    pub fn render(&self, ctx: &dyn Fn(&Reference) -> Option<String>) -> Result<String, Unresolved> {
        let doc = self.resolve(ctx)?;
        Ok(serde_json::to_string(&doc).expect("a policy document always serializes"))
    }

    /// Every reference in the document.
    pub fn references(&self) -> Vec<&Reference> {
        let mut out = Vec::new();
        for s in self.statements() {
            for (_, v) in s.values("") {
                out.extend(v.references().into_iter().map(|(_, r)| r));
            }
        }
        out
    }
}

impl Statement {
    /// Every string value that may hold references (resources, AWS and federated principals,
    /// condition values), with JSON paths under `base`.
    pub fn values(&self, base: &str) -> Vec<(String, &Value)> {
        fn add<'a>(
            out: &mut Vec<(String, &'a Value)>,
            path: String,
            v: &'a Option<OneOrMany<Value>>,
        ) {
            if let Some(v) = v {
                out.extend(v.with_paths(&path));
            }
        }
        let mut out = Vec::new();
        add(&mut out, format!("{base}.Resource"), &self.resource);
        add(&mut out, format!("{base}.NotResource"), &self.not_resource);
        for (name, p) in [
            ("Principal", &self.principal),
            ("NotPrincipal", &self.not_principal),
        ] {
            if let Some(Principal::Map(m)) = p {
                add(&mut out, format!("{base}.{name}.AWS"), &m.aws);
                add(&mut out, format!("{base}.{name}.Federated"), &m.federated);
            }
        }
        for (op, keys) in self.condition.iter().flatten() {
            for (key, vals) in keys {
                for (path, cv) in vals.with_paths(&format!("{base}.Condition.{op}.{key}")) {
                    if let ConditionValue::Value(v) = cv {
                        out.push((path, v));
                    }
                }
            }
        }
        out
    }
}
