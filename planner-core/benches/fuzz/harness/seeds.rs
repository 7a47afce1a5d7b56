//! What mutation starts from: the repository's fixture designs, the golden plans of every
//! preset (and the designs inside them), the inputs that must be refused, and the presets built
//! with their defaults. Embedded, so the harness reads no file.

use serde_json::Value;

macro_rules! fixtures {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../../../../tests/fixtures/", $path)))),*]
    };
}

/// Every fixture, by its path under `tests/fixtures/`.
pub const FIXTURES: &[(&str, &str)] = fixtures![
    "designs/determined-byoc.json",
    "designs/endpoints-flow-logs.json",
    "designs/informatica-iam.json",
    "designs/informatica-like.json",
    "designs/network-acls.json",
    "designs/secondary-cidr.json",
    "designs/three-tier.json",
    "designs/tinystacks-like.json",
    "designs/tinystacks-sg.json",
    "designs/titus-ipv6.json",
    "designs/vpc-defaults.json",
    "presets/determined-hardened.plan.json",
    "presets/determined.plan.json",
    "presets/informatica-hardened.plan.json",
    "presets/informatica.plan.json",
    "presets/tinystacks-api-gateway.plan.json",
    "presets/tinystacks-bastion.plan.json",
    "presets/tinystacks-hardened.plan.json",
    "presets/tinystacks-no-nat.plan.json",
    "presets/tinystacks.plan.json",
    "presets/titus-hardened.plan.json",
    "presets/titus-ipv6.plan.json",
    "presets/titus-three-azs.plan.json",
    "presets/titus.plan.json",
    "bad/cidr-host-bits.json",
    "bad/cidr-prefix-33.json",
    "bad/dns-hostnames-without-support.json",
    "bad/duplicate-tier.json",
    "bad/not-an-object.json",
    "bad/plan-without-schema-version.json",
    "bad/string-for-number.json",
    "bad/tier-hosts-2e9.json",
    "bad/tier-prefix-1.json",
    "bad/too-many-azs.json",
    "bad/truncated.json",
    "bad/unknown-field.json",
    "bad/unknown-schema-version.json",
    "bad/unknown-variant.json",
];

/// The seed corpus: raw texts (some not JSON at all) and the JSON values mutation works on.
pub struct Seeds {
    /// Every seed as text, for byte-level mutation.
    pub texts: Vec<String>,
    /// Every seed that is JSON, for structure-aware mutation.
    pub values: Vec<Value>,
}

/// The seeds, in a fixed order.
pub fn seeds() -> Seeds {
    let mut texts: Vec<String> = FIXTURES.iter().map(|(_, t)| (*t).to_owned()).collect();
    for info in planner_core::presets::list() {
        if let Ok(d) = planner_core::presets::build(info.name, &[]) {
            texts.push(serde_json::to_string(&d).expect("a design serializes"));
        }
    }
    let mut values: Vec<Value> = texts
        .iter()
        .filter_map(|t| serde_json::from_str(t).ok())
        .collect();
    // The design inside each plan, alone.
    let designs: Vec<Value> = values
        .iter()
        .filter_map(|v| v.get("design").cloned())
        .collect();
    values.extend(designs);
    Seeds { texts, values }
}
