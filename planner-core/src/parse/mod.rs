//! Reading designs and plans from JSON text, with errors that name the JSON path.
//!
//! The caller owns the file name; an [`InputError`] carries the path inside the document,
//! what was expected, and the line and column when serde knows them.

use std::fmt;

use serde::Deserialize;

use crate::alloc::Allocation;
use crate::design::network::Design;
pub(crate) use crate::error::from_json;
use crate::error::InputError;
use crate::plan::{Plan, SCHEMA_VERSION};

/// A document that is either a design or a plan (which carries its design).
// One per file read: boxing the design too would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// A bare design.
    Design(Design),
    /// A plan with its design and allocation record.
    Plan(Box<Plan>),
}

impl Input {
    /// The design, wherever it came from.
    pub fn design(&self) -> &Design {
        match self {
            Input::Design(d) => d,
            Input::Plan(p) => &p.design,
        }
    }
}

/// Parses a design and checks the rules serde cannot express.
///
/// ```
/// let err = planner_core::parse_design(r#"{"name": "x", "region": 1}"#).unwrap_err();
/// assert_eq!(err.path, "region");
/// assert!(err.message.contains("expected a string"), "{}", err.message);
/// ```
pub fn parse_design(json: &str) -> Result<Design, InputError> {
    let design: Design = from_json(json)?;
    design.check()?;
    Ok(design)
}

/// Parses a plan of a schema version this crate reads.
pub fn parse_plan(json: &str) -> Result<Plan, InputError> {
    match parse_input(json)? {
        Input::Plan(p) => Ok(*p),
        Input::Design(_) => Err(InputError::at(
            "schema_version",
            "expected a plan (with schema_version), got a design",
        )),
    }
}

/// Parses a design or a plan, telling them apart by `schema_version`.
///
/// ```
/// use planner_core::parse_input;
/// let err = parse_input(r#"{"schema_version": 99}"#).unwrap_err();
/// assert!(err.message.contains("version 1"), "{}", err.message);
/// ```
pub fn parse_input(json: &str) -> Result<Input, InputError> {
    let peek: Peek = from_json(json)?;
    match peek.schema_version {
        None if peek.plan_fields => Err(missing_version()),
        None => parse_design(json).map(Input::Design),
        Some(v) if v == serde_json::json!(SCHEMA_VERSION) => {
            let plan: Plan = from_json(json)?;
            plan.design.check().map_err(|e| e.under("design"))?;
            Ok(Input::Plan(Box::new(plan)))
        }
        Some(v) => Err(unsupported(&v)),
    }
}

/// A design, or the design and allocation of a plan: what an editor needs to carry on from a
/// file. A plan's resources are checked to be there but not read, since re-planning remakes
/// them; this keeps their deserializers out of the browser bundle.
///
/// ```
/// use planner_core::parse::parse_for_editing;
/// let err = parse_for_editing(r#"{"schema_version": 1, "design": {"name": 7}}"#).unwrap_err();
/// assert_eq!(err.path, "design.name");
/// ```
pub fn parse_for_editing(json: &str) -> Result<(Design, Option<Allocation>), InputError> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct PlanHead {
        #[allow(dead_code)]
        schema_version: u32,
        design: Design,
        allocation: Allocation,
        #[allow(dead_code)]
        resources: serde::de::IgnoredAny,
    }
    let peek: Peek = from_json(json)?;
    match peek.schema_version {
        None if peek.plan_fields => Err(missing_version()),
        None => Ok((parse_design(json)?, None)),
        Some(v) if v == serde_json::json!(SCHEMA_VERSION) => {
            let head: PlanHead = from_json(json)?;
            head.design.check().map_err(|e| e.under("design"))?;
            Ok((head.design, Some(head.allocation)))
        }
        Some(v) => Err(unsupported(&v)),
    }
}

fn unsupported(v: &serde_json::Value) -> InputError {
    InputError::at(
        "schema_version",
        format!(
            "unsupported schema_version {v}: this version reads schema_version {SCHEMA_VERSION}"
        ),
    )
}

/// A plan's fields without its version: said as such, rather than as the first field a design
/// does not have (`at design: unknown field`).
fn missing_version() -> InputError {
    InputError::at(
        "schema_version",
        format!("missing: expected \"schema_version\": {SCHEMA_VERSION} beside the plan's design, allocation and resources"),
    )
}

/// The fields that tell a plan from a design: only plans have these.
const PLAN_FIELDS: [&str; 3] = ["design", "allocation", "resources"];

/// What tells a top-level object's kind: its `schema_version`, if it has one, and whether it
/// has any of a plan's other fields. Anything but an object fails.
struct Peek {
    schema_version: Option<serde_json::Value>,
    plan_fields: bool,
}

impl<'de> Deserialize<'de> for Peek {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Peek;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a design or plan object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Peek, A::Error> {
                let mut peek = Peek {
                    schema_version: None,
                    plan_fields: false,
                };
                while let Some(key) = map.next_key::<String>()? {
                    if key == "schema_version" {
                        peek.schema_version = Some(map.next_value()?);
                    } else {
                        peek.plan_fields |= PLAN_FIELDS.contains(&key.as_str());
                        map.next_value::<serde::de::IgnoredAny>()?;
                    }
                }
                Ok(peek)
            }
        }
        d.deserialize_map(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{
        "name": "demo", "region": "us-east-1",
        "vpc": {"cidr": "10.0.0.0/16"},
        "availability_zones": 2,
        "tiers": [{"name": "web", "kind": "public", "size": {"prefix": 24}}],
        "nat": "none"
    }"#;

    fn err(json: &str) -> InputError {
        parse_design(json).unwrap_err()
    }

    #[test]
    fn good_design_parses() {
        let d = parse_design(GOOD).unwrap();
        assert_eq!(d.az_names(), ["us-east-1a", "us-east-1b"]);
    }

    #[test]
    fn bad_cidr_names_the_path() {
        let e = err(&GOOD.replace("10.0.0.0/16", "10.0.0.0/33"));
        assert_eq!(e.path, "vpc.cidr");
        assert!(e.message.contains("IPv4 CIDR"), "{e}");
        assert!(e.position.is_some());
    }

    #[test]
    fn unknown_field_names_the_path() {
        let e = err(&GOOD.replace(r#""kind""#, r#""kinds""#));
        assert_eq!(e.path, "tiers[0].kinds");
        assert!(e.message.contains(r#"unknown field "kinds""#), "{e}");
    }

    #[test]
    fn string_for_number() {
        let e = err(&GOOD.replace(r#""prefix": 24"#, r#""prefix": "24""#));
        assert_eq!(e.path, "tiers[0].size.prefix");
        assert_eq!(
            e.message,
            r#"expected a prefix length from 16 to 28, got "24""#
        );
    }

    #[test]
    fn az_count_out_of_range() {
        let e = err(&GOOD.replace(r#""availability_zones": 2"#, r#""availability_zones": 7"#));
        assert_eq!(e.path, "availability_zones");
        assert!(e.message.contains("1 to 6"), "{e}");
    }

    #[test]
    fn syntax_error_has_a_position() {
        let e = err("{\"name\": ");
        assert!(e.message.starts_with("unexpected end of input"), "{e}");
        assert!(e.position.is_some());
    }

    #[test]
    fn duplicate_tier() {
        let dup = GOOD.replace(
            r#""tiers": ["#,
            r#""tiers": [{"name": "web", "kind": "private", "size": {"hosts": 10}},"#,
        );
        let e = err(&dup);
        assert_eq!(e.path, "tiers[1].name");
    }

    #[test]
    fn ipv6_from_internet_is_for_private_tiers() {
        let e = err(&GOOD.replace(
            r#""kind": "public","#,
            r#""kind": "public", "ipv6_from_internet": true,"#,
        ));
        assert_eq!(e.path, "tiers[0].ipv6_from_internet");
    }

    #[test]
    fn icmp_takes_one_type() {
        let groups = r#""nat": "none", "security_groups": [{"name": "g", "description": "g",
            "ingress": [{"protocol": "icmp", "ports": "3-4", "peer": "vpc"}]}]"#;
        let e = err(&GOOD.replace(r#""nat": "none""#, groups));
        assert_eq!(e.path, "security_groups[0].ingress[0].ports");
    }

    #[test]
    fn a_plan_without_schema_version_says_so() {
        let plan = crate::plan(&parse_design(GOOD).unwrap(), None)
            .unwrap()
            .plan;
        let mut json: serde_json::Value = serde_json::from_str(&plan.to_json()).unwrap();
        json.as_object_mut().unwrap().remove("schema_version");
        let json = json.to_string();
        for e in [
            parse_plan(&json).unwrap_err(),
            parse_input(&json).unwrap_err(),
            parse_for_editing(&json).unwrap_err(),
        ] {
            assert_eq!(e.path, "schema_version");
            assert!(
                e.message
                    .starts_with("missing: expected \"schema_version\": 1"),
                "{e}"
            );
        }
        // A design is still read as a design, and its own errors still name their paths.
        assert!(parse_input(GOOD).is_ok());
        assert_eq!(parse_plan(GOOD).unwrap_err().path, "schema_version");
        assert_eq!(
            err(&GOOD.replace(r#""nat""#, r#""resource""#)).path,
            "resource"
        );
    }

    #[test]
    fn trailing_garbage() {
        let e = err(&format!("{GOOD} x"));
        assert!(e.message.contains("trailing"), "{e}");
    }
}
