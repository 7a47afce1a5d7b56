//! What every IAM check reads: the design, its documents with their paths, and stand-ins for
//! apply-time values.

use crate::design::iam::reference::{Reference, Value};
use crate::design::iam::values::ApplyValues;
use crate::design::iam::walk::{documents, Doc};
use crate::design::network::Design;

/// What every IAM check reads.
pub(crate) struct Context<'a> {
    /// The design.
    pub design: &'a Design,
    /// Its documents with their paths.
    pub docs: Vec<Doc<'a>>,
    /// Stand-ins for apply-time values.
    pub stand_in: ApplyValues,
}

impl<'a> Context<'a> {
    /// The context of `design`.
    pub fn new(design: &'a Design) -> Self {
        Context {
            design,
            docs: documents(&design.iam),
            stand_in: ApplyValues::stand_in(design),
        }
    }

    /// A value as AWS would receive it, with stand-ins for apply-time values.
    pub fn render(&self, v: &Value) -> Option<String> {
        v.resolve(&|r: &Reference| self.stand_in.resolve(self.design, r))
    }
}

/// Up to `n` items joined with ", ", and how many more.
pub(crate) fn list(items: &[String], n: usize) -> String {
    let mut s = items[..items.len().min(n)].join(", ");
    if items.len() > n {
        s.push_str(&format!(" and {} more", items.len() - n));
    }
    s
}
