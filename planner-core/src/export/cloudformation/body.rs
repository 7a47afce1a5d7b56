//! A template resource's body as the area writers fill it in, and the executor's tags.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::Cx;
use crate::export::ExportError;
use crate::ids::{ID_TAG, PLAN_TAG};
use crate::resource::Resource;

/// What one template resource holds besides its type.
#[derive(Default)]
pub struct Body {
    /// Its `Properties`.
    pub props: Map<String, Value>,
    /// Its `Metadata`, if any.
    pub metadata: Option<Value>,
    /// Logical ids it waits for beyond the plan's `depends_on`.
    pub extra_depends: Vec<String>,
}

/// The executor's tags of `r`: the plan's, the id, `Name` when the resource has one, then
/// `extra`; as CloudFormation's `[{Key, Value}]`, sorted by key.
pub fn tags(cx: &Cx, r: &Resource, name: Option<&str>, extra: &BTreeMap<String, String>) -> Value {
    let mut t = BTreeMap::new();
    t.insert(PLAN_TAG.to_owned(), cx.plan.design.name.clone());
    t.insert(ID_TAG.to_owned(), r.id.clone());
    if let Some(n) = name {
        t.insert("Name".to_owned(), n.to_owned());
    }
    for (k, v) in extra {
        t.entry(k.clone()).or_insert_with(|| v.clone());
    }
    Value::Array(
        t.into_iter()
            .map(|(k, v)| json!({"Key": k, "Value": v}))
            .collect(),
    )
}

/// The error an area's writer gives a resource of another area; the one dispatch in
/// `resources.rs` never sends it one.
pub fn not_in_area(r: &Resource, area: &str) -> ExportError {
    ExportError::new(
        r.id.as_str(),
        format!("a {} is not a {area} resource", r.kind.type_name()),
    )
}
