//! Attribute maps: the strings drift compares.

use std::collections::BTreeMap;

use planner_core::resource::ResourceType;
use planner_core::Resource;

use crate::apply::model::ApplyError;

/// The id errors of discovery are reported under.
pub const DISCOVERY: &str = "discovery";

/// An attribute map from `(key, value)` pairs.
pub fn attrs<const N: usize>(pairs: [(&str, String); N]) -> BTreeMap<String, String> {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

/// A boolean attribute (`true` / `false`).
pub fn flag(v: bool) -> String {
    v.to_string()
}

/// The error of an operation handed a resource of another type (dispatch never does).
pub fn not_a(r: &Resource, ty: ResourceType) -> ApplyError {
    ApplyError::new(
        &r.id,
        format!("{} is not a {ty} resource", r.kind.type_name()),
    )
}
