//! The vendor guides as presets: each reproduces its guide's network, security groups, IAM and
//! instances, with the guide's own choices as parameters. Where a guide's choice is risky, the
//! preset keeps it (the checks flag it) and `hardened=true` removes each finding it can.
//!
//! Shipped in the core so the web editor and `executor preset` offer the same ones.

use std::collections::BTreeMap;
use std::fmt;

use crate::cidr::Cidr;
use crate::design::network::Design;

mod determined;
mod hardened;
mod informatica;
mod tinystacks;
mod titus;

/// A preset's name, summary and parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PresetInfo {
    /// `titus`, `tinystacks`, `determined`, `informatica`.
    pub name: &'static str,
    /// One line: the guide it reproduces.
    pub summary: &'static str,
    /// Its parameters, common ones first.
    pub params: &'static [Param],
}

/// One parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Param {
    /// The key given as `--set key=value`.
    pub key: &'static str,
    /// The value when not set.
    pub default: &'static str,
    /// What values it takes.
    pub kind: ParamKind,
    /// One line of help.
    pub help: &'static str,
}

/// What values a parameter takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamKind {
    /// `true` or `false`.
    Bool,
    /// One of these words.
    OneOf(&'static [&'static str]),
    /// An IPv4 CIDR block.
    Cidr,
    /// A whole number in a range.
    Count {
        /// Smallest.
        min: u8,
        /// Largest.
        max: u8,
    },
    /// An AWS region such as `us-east-1`.
    Region,
    /// A 12-digit AWS account id.
    AccountId,
    /// A name of letters, digits and `+=,.@_-` (IAM's rule).
    Name,
}

impl ParamKind {
    /// Checks `value`; the error says what was expected.
    fn check(self, value: &str) -> Result<(), String> {
        let ok = match self {
            ParamKind::Bool => matches!(value, "true" | "false"),
            ParamKind::OneOf(words) => words.contains(&value),
            ParamKind::Cidr => value.parse::<Cidr>().is_ok(),
            ParamKind::Count { min, max } => {
                value.parse::<u8>().is_ok_and(|n| (min..=max).contains(&n))
            }
            ParamKind::Region => {
                let parts: Vec<&str> = value.split('-').collect();
                parts.len() >= 3
                    && parts
                        .last()
                        .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            }
            ParamKind::AccountId => value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()),
            ParamKind::Name => {
                (1..=64).contains(&value.len())
                    && value
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c))
            }
        };
        if ok {
            return Ok(());
        }
        Err(match self {
            ParamKind::Bool => "true or false".to_owned(),
            ParamKind::OneOf(words) => format!("one of {}", words.join(", ")),
            ParamKind::Cidr => "an IPv4 CIDR block such as 10.0.0.0/16".to_owned(),
            ParamKind::Count { min, max } => format!("a number from {min} to {max}"),
            ParamKind::Region => "an AWS region such as us-east-1".to_owned(),
            ParamKind::AccountId => "a 12-digit AWS account id".to_owned(),
            ParamKind::Name => "1-64 letters, digits or +=,.@_-".to_owned(),
        })
    }
}

/// The parameters every preset takes.
pub const VPC_CIDR: Param = Param {
    key: "vpc_cidr",
    default: "10.0.0.0/16",
    kind: ParamKind::Cidr,
    help: "the VPC's IPv4 block",
};
/// The region parameter (each preset sets its own default).
pub const fn region(default: &'static str) -> Param {
    Param {
        key: "region",
        default,
        kind: ParamKind::Region,
        help: "the AWS region",
    }
}
/// The AZ count parameter (each preset sets its own default).
pub const fn azs(default: &'static str) -> Param {
    Param {
        key: "azs",
        default,
        kind: ParamKind::Count { min: 1, max: 6 },
        help: "how many availability zones",
    }
}
/// `hardened=true`: remove each finding the guide's own choices cause, where that is possible.
pub const HARDENED: Param = Param {
    key: "hardened",
    default: "false",
    kind: ParamKind::Bool,
    help: "remove the findings the guide's risky choices cause",
};

/// Validated parameter values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Params {
    values: BTreeMap<&'static str, String>,
}

impl Params {
    /// A parameter's value as given or defaulted.
    pub fn str(&self, key: &str) -> &str {
        self.values
            .get(key)
            .map(String::as_str)
            .unwrap_or_else(|| panic!("preset reads undeclared parameter {key}"))
    }

    /// A `Bool` parameter.
    pub fn bool(&self, key: &str) -> bool {
        self.str(key) == "true"
    }

    /// A `Count` parameter.
    pub fn count(&self, key: &str) -> u8 {
        self.str(key).parse().expect("validated")
    }
}

/// Why a preset could not be built.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PresetError {
    /// No such preset.
    #[error("no preset named {name:?}: the presets are {}", known.join(", "))]
    UnknownPreset {
        /// What was asked for.
        name: String,
        /// What exists.
        known: Vec<&'static str>,
    },
    /// A key the preset does not take.
    #[error("preset {preset} has no parameter {key:?}: its parameters are {}", valid.join(", "))]
    UnknownKey {
        /// The preset.
        preset: &'static str,
        /// The key given.
        key: String,
        /// The keys it takes.
        valid: Vec<&'static str>,
    },
    /// Parameters that are each valid but together are not.
    #[error("preset {preset}: these parameters do not go together: {reason}")]
    Invalid {
        /// The preset.
        preset: &'static str,
        /// Why.
        reason: String,
    },
    /// A value of the wrong kind.
    #[error("preset {preset}: {key}={value:?} is not valid: expected {expected}")]
    BadValue {
        /// The preset.
        preset: &'static str,
        /// The key.
        key: &'static str,
        /// The value given.
        value: String,
        /// What it takes.
        expected: String,
    },
}

struct Preset {
    info: PresetInfo,
    design: fn(&Params) -> Result<Design, String>,
}

const PRESETS: [Preset; 4] = [
    Preset {
        info: titus::INFO,
        design: titus::design,
    },
    Preset {
        info: tinystacks::INFO,
        design: tinystacks::design,
    },
    Preset {
        info: determined::INFO,
        design: determined::design,
    },
    Preset {
        info: informatica::INFO,
        design: informatica::design,
    },
];

/// Every preset.
pub fn list() -> Vec<PresetInfo> {
    PRESETS.iter().map(|p| p.info).collect()
}

/// Builds preset `name` with `set` overriding defaults.
///
/// ```
/// let d = planner_core::presets::build("tinystacks", &[("nat", "none")]).unwrap();
/// assert_eq!(d.nat, planner_core::NatStrategy::None);
/// let e = planner_core::presets::build("tinystacks", &[("nat", "gateway")]).unwrap_err();
/// assert_eq!(e.to_string(), "preset tinystacks: nat=\"gateway\" is not valid: expected one of instance, none");
/// ```
pub fn build(name: &str, set: &[(&str, &str)]) -> Result<Design, PresetError> {
    let preset = PRESETS
        .iter()
        .find(|p| p.info.name == name)
        .ok_or_else(|| PresetError::UnknownPreset {
            name: name.to_owned(),
            known: PRESETS.iter().map(|p| p.info.name).collect(),
        })?;
    let info = preset.info;
    let mut values: BTreeMap<&'static str, String> = info
        .params
        .iter()
        .map(|p| (p.key, p.default.to_owned()))
        .collect();
    for (key, value) in set {
        let Some(param) = info.params.iter().find(|p| p.key == *key) else {
            return Err(PresetError::UnknownKey {
                preset: info.name,
                key: (*key).to_owned(),
                valid: info.params.iter().map(|p| p.key).collect(),
            });
        };
        param
            .kind
            .check(value)
            .map_err(|expected| PresetError::BadValue {
                preset: info.name,
                key: param.key,
                value: (*value).to_owned(),
                expected,
            })?;
        values.insert(param.key, (*value).to_owned());
    }
    let hardened = values.get(HARDENED.key).is_some_and(|v| v == "true");
    let invalid = |reason| PresetError::Invalid {
        preset: info.name,
        reason,
    };
    let mut design = (preset.design)(&Params { values }).map_err(invalid)?;
    if hardened {
        hardened::network(&mut design);
        design.check().map_err(|e| invalid(e.to_string()))?;
    }
    Ok(design)
}

/// Builds a design from JSON written in a preset. A combination of parameters the design
/// rules refuse (two role names equal ignoring case, say) comes back as the reason.
pub(crate) fn from_json(value: serde_json::Value) -> Result<Design, String> {
    crate::parse::parse_design(&value.to_string()).map_err(|e| e.to_string())
}

impl fmt::Display for PresetInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:<12} {}", self.name, self.summary)
    }
}
