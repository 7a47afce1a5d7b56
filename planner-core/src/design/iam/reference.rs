//! Typed references: values of a policy document known only at apply time (the account id,
//! the partition, the VPC's id, a role's ARN), instead of hand-edited `{{account-id}}`
//! placeholders.
//!
//! Wherever a document takes an ARN or a condition value, the JSON may hold a plain string,
//! `{"ref": "account_id"}` (also `region`, `partition`, `vpc_id`, `vpc_arn`),
//! `{"ref": "role_arn", "role": "<role>"}`, `{"ref": "policy_arn", "policy": "<policy>"}`,
//! `{"ref": "instance_profile_arn", "instance_profile": "<profile>"}`, or
//! `{"join": [<value>, …]}`, the concatenation of its parts:
//!
//! ```
//! use planner_core::design::iam::{Reference, Value};
//! let v: Value = serde_json::from_str(
//!     r#"{"join": ["arn:", {"ref": "partition"}, ":ec2:*:", {"ref": "account_id"}, ":subnet/*"]}"#,
//! ).unwrap();
//! let resolved = v.resolve(&|r: &Reference| match r {
//!     Reference::Partition => Some("aws".to_owned()),
//!     Reference::AccountId => Some("123456789012".to_owned()),
//!     _ => None,
//! });
//! assert_eq!(resolved.as_deref(), Some("arn:aws:ec2:*:123456789012:subnet/*"));
//! ```

use std::fmt;

use schemars::JsonSchema;
use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A string of a policy document: literal, a reference, or a concatenation.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, JsonSchema)]
#[schemars(untagged)]
pub enum Value {
    /// A literal string, e.g. `"*"` or an ARN.
    Literal(String),
    /// A value known at apply time.
    Ref(Reference),
    /// The concatenation of its parts: `{"join": [...]}`.
    Join(#[schemars(with = "JoinForm")] Vec<Value>),
}

/// A concatenation: `{"join": [...]}`.
#[derive(JsonSchema)]
#[schemars(rename = "Join", deny_unknown_fields)]
#[allow(dead_code)]
struct JoinForm {
    /// The parts, concatenated in order.
    join: Vec<Value>,
}

/// A value only known at apply time, resolved by the executor.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, JsonSchema)]
#[schemars(tag = "ref", rename_all = "snake_case", deny_unknown_fields)]
pub enum Reference {
    /// The account's 12-digit id.
    AccountId,
    /// The design's region.
    Region,
    /// The partition: `aws`, `aws-cn` or `aws-us-gov`.
    Partition,
    /// The VPC's id (`vpc-…`).
    VpcId,
    /// The VPC's ARN.
    VpcArn,
    /// The ARN of a role of the design.
    RoleArn {
        /// The role's name.
        role: String,
    },
    /// The ARN of a customer managed policy of the design.
    PolicyArn {
        /// The policy's name.
        policy: String,
    },
    /// The ARN of an instance profile of the design.
    InstanceProfileArn {
        /// The instance profile's name.
        instance_profile: String,
    },
}

impl Reference {
    /// The `ref` spelling, e.g. `role_arn`.
    pub fn kind(&self) -> &'static str {
        match self {
            Reference::AccountId => "account_id",
            Reference::Region => "region",
            Reference::Partition => "partition",
            Reference::VpcId => "vpc_id",
            Reference::VpcArn => "vpc_arn",
            Reference::RoleArn { .. } => "role_arn",
            Reference::PolicyArn { .. } => "policy_arn",
            Reference::InstanceProfileArn { .. } => "instance_profile_arn",
        }
    }

    /// The key and design name it refers to, e.g. `("role", "app")`.
    pub fn target(&self) -> Option<(&'static str, &str)> {
        match self {
            Reference::RoleArn { role } => Some(("role", role)),
            Reference::PolicyArn { policy } => Some(("policy", policy)),
            Reference::InstanceProfileArn { instance_profile } => {
                Some(("instance_profile", instance_profile))
            }
            _ => None,
        }
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.target() {
            Some((key, name)) => write!(f, "{}({key} {name})", self.kind()),
            None => f.write_str(self.kind()),
        }
    }
}

impl Value {
    /// The value with every reference replaced by what `ctx` gives; `None` when `ctx` has no
    /// value for one of them.
    pub fn resolve(&self, ctx: &dyn Fn(&Reference) -> Option<String>) -> Option<String> {
        match self {
            Value::Literal(s) => Some(s.clone()),
            Value::Ref(r) => ctx(r),
            Value::Join(parts) => parts.iter().map(|p| p.resolve(ctx)).collect(),
        }
    }

    /// The string, when it is a literal.
    pub fn as_literal(&self) -> Option<&str> {
        match self {
            Value::Literal(s) => Some(s),
            _ => None,
        }
    }

    /// Every reference in the value, with its JSON path relative to the value.
    pub fn references(&self) -> Vec<(String, &Reference)> {
        let mut out = Vec::new();
        self.collect_references(String::new(), &mut out);
        out
    }

    fn collect_references<'a>(&'a self, path: String, out: &mut Vec<(String, &'a Reference)>) {
        match self {
            Value::Literal(_) => {}
            Value::Ref(r) => out.push((path, r)),
            Value::Join(parts) => {
                for (i, p) in parts.iter().enumerate() {
                    p.collect_references(format!("{path}.join[{i}]"), out);
                }
            }
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Literal(s.to_owned())
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Literal(v) => s.serialize_str(v),
            Value::Ref(r) => r.serialize(s),
            Value::Join(parts) => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry("join", parts)?;
                m.end()
            }
        }
    }
}

impl Serialize for Reference {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let target = self.target();
        let mut m = s.serialize_map(Some(1 + usize::from(target.is_some())))?;
        m.serialize_entry("ref", self.kind())?;
        if let Some((key, name)) = target {
            m.serialize_entry(key, name)?;
        }
        m.end()
    }
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum Field {
    Ref,
    Role,
    Policy,
    InstanceProfile,
    Join,
}

#[derive(Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum RefKind {
    AccountId,
    Region,
    Partition,
    VpcId,
    VpcArn,
    RoleArn,
    PolicyArn,
    InstanceProfileArn,
}

const EXPECTING: &str =
    "a string, {\"ref\": ...} (account_id, region, partition, vpc_id, vpc_arn, role_arn, policy_arn, instance_profile_arn) or {\"join\": [...]}";

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

impl<'de> Deserialize<'de> for Reference {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::Ref(r) => Ok(r),
            _ => Err(de::Error::custom("expected {\"ref\": ...}")),
        }
    }
}

/// Reads a [`Value`]; also used by condition values, which take booleans and numbers too.
pub(super) struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(EXPECTING)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Literal(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::Literal(v))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut kind: Option<RefKind> = None;
        let mut role: Option<String> = None;
        let mut policy: Option<String> = None;
        let mut profile: Option<String> = None;
        let mut join: Option<Vec<Value>> = None;
        fn put<T, E: de::Error>(slot: &mut Option<T>, v: T, name: &'static str) -> Result<(), E> {
            if slot.is_some() {
                return Err(E::duplicate_field(name));
            }
            *slot = Some(v);
            Ok(())
        }
        while let Some(key) = map.next_key::<Field>()? {
            match key {
                Field::Ref => put(&mut kind, map.next_value()?, "ref")?,
                Field::Role => put(&mut role, map.next_value()?, "role")?,
                Field::Policy => put(&mut policy, map.next_value()?, "policy")?,
                Field::InstanceProfile => put(&mut profile, map.next_value()?, "instance_profile")?,
                Field::Join => put(&mut join, map.next_value()?, "join")?,
            }
        }
        let named = [
            ("role", role.is_some()),
            ("policy", policy.is_some()),
            ("instance_profile", profile.is_some()),
        ];
        let is_join = join.is_some();
        let extra = move |allowed: Option<&str>| -> Result<(), A::Error> {
            for (key, present) in named {
                if present && allowed != Some(key) {
                    let with = match allowed {
                        Some(k) => format!("only `{k}`"),
                        None => "no other key".to_owned(),
                    };
                    return Err(de::Error::custom(format!(
                        "unexpected key `{key}`: this {} takes {with}",
                        if is_join { "join" } else { "ref" }
                    )));
                }
            }
            Ok(())
        };
        if let Some(parts) = join {
            if kind.is_some() {
                return Err(de::Error::custom(
                    "a value is either {\"ref\": ...} or {\"join\": [...]}, not both",
                ));
            }
            extra(None)?;
            return Ok(Value::Join(parts));
        }
        let Some(kind) = kind else {
            return Err(de::Error::custom(format!("expected {EXPECTING}")));
        };
        let needs = |slot: Option<String>, key: &'static str| {
            slot.ok_or_else(|| {
                de::Error::custom(format!(
                    "missing `{key}`: the name of the {} in this design",
                    key.replace('_', " ")
                ))
            })
        };
        let r = match kind {
            RefKind::AccountId => Reference::AccountId,
            RefKind::Region => Reference::Region,
            RefKind::Partition => Reference::Partition,
            RefKind::VpcId => Reference::VpcId,
            RefKind::VpcArn => Reference::VpcArn,
            RefKind::RoleArn => {
                extra(Some("role"))?;
                Reference::RoleArn {
                    role: needs(role, "role")?,
                }
            }
            RefKind::PolicyArn => {
                extra(Some("policy"))?;
                Reference::PolicyArn {
                    policy: needs(policy, "policy")?,
                }
            }
            RefKind::InstanceProfileArn => {
                extra(Some("instance_profile"))?;
                Reference::InstanceProfileArn {
                    instance_profile: needs(profile, "instance_profile")?,
                }
            }
        };
        if r.target().is_none() {
            extra(None)?;
        }
        Ok(Value::Ref(r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<Value, String> {
        let mut de = serde_json::Deserializer::from_str(json);
        serde_path_to_error::deserialize(&mut de)
            .map_err(|e| format!("{}: {}", e.path(), e.inner()))
    }

    #[test]
    fn forms_round_trip() {
        for json in [
            r#""arn:aws:s3:::bucket/*""#,
            r#"{"ref":"account_id"}"#,
            r#"{"ref":"role_arn","role":"app"}"#,
            r#"{"ref":"instance_profile_arn","instance_profile":"p"}"#,
            r#"{"join":["arn:",{"ref":"partition"},":iam::",{"ref":"account_id"},":root"]}"#,
        ] {
            let v = parse(json).unwrap();
            assert_eq!(serde_json::to_string(&v).unwrap(), json);
        }
    }

    #[test]
    fn errors_name_the_key() {
        let e = parse(r#"{"join": ["a", {"ref": "acount_id"}]}"#).unwrap_err();
        assert!(
            e.starts_with("join[1].ref: unknown variant `acount_id`"),
            "{e}"
        );
        let e = parse(r#"{"ref": "role_arn"}"#).unwrap_err();
        assert!(e.contains("missing `role`"), "{e}");
        let e = parse(r#"{"ref": "account_id", "role": "x"}"#).unwrap_err();
        assert!(e.contains("unexpected key `role`"), "{e}");
        let e = parse(r#"{"rfe": "account_id"}"#).unwrap_err();
        assert!(e.starts_with("rfe: unknown field `rfe`"), "{e}");
        assert!(parse("12").is_err());
    }
}
