//! What the executor knows about the live account, and what it plans to change.

use std::collections::BTreeMap;
use std::fmt;

use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use planner_core::resource::ResourceType;

/// The tag keys every owned resource carries.
pub use planner_core::ids::{ID_TAG, PLAN_TAG, REGION_TAG};

/// A plan resource as it exists in AWS.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LiveRes {
    /// The AWS id (`vpc-…`, `subnet-…`, a role name…).
    pub aws_id: String,
    /// The ARN, where AWS gives one.
    pub arn: Option<String>,
    /// Comparable attributes, normalised to strings, for drift.
    pub attrs: BTreeMap<String, String>,
    /// Its tags.
    pub tags: BTreeMap<String, String>,
}

/// A resource carrying the plan's tag whose id the plan no longer has (or a second copy of
/// one it has).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Orphan {
    /// Its plan id, from its `vpc-planner:id` tag.
    pub id: String,
    /// Its plan type.
    pub kind: ResourceType,
    /// The AWS id.
    pub aws_id: String,
    /// What discovery saw of it (its ARN and attributes, for deleting it and for telling
    /// whether a create conflicts with it).
    pub live: LiveRes,
}

impl Orphan {
    /// An orphan of type `kind` under plan id `id`.
    pub fn new(id: impl Into<String>, kind: ResourceType, live: LiveRes) -> Orphan {
        Orphan {
            id: id.into(),
            kind,
            aws_id: live.aws_id.clone(),
            live,
        }
    }
}

/// A resource under one of the plan's names that is not the plan's (no `vpc-planner:plan`
/// tag, or another plan's). It is never adopted, changed or deleted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Foreign {
    /// The plan id whose name it has.
    pub id: String,
    /// Why it is not the plan's, and what to do.
    pub message: String,
}

impl fmt::Display for Foreign {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.id, self.message)
    }
}

/// Everything of the plan found in the account.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Live {
    /// By plan id.
    pub found: BTreeMap<String, LiveRes>,
    /// Owned resources not in the plan.
    pub orphans: Vec<Orphan>,
    /// Second (third…) resources carrying the plan's tag and the id of one in `found`, as two
    /// runs at once leave behind.
    pub duplicates: Vec<Orphan>,
    /// Resources under the plan's names that are someone else's.
    pub foreign: Vec<Foreign>,
}

/// One difference between the plan and the account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Drift {
    /// What differs, e.g. `tag Name` or `map_public_ip_on_launch`.
    pub what: String,
    /// The live value (`-` when absent).
    pub live: String,
    /// The plan's value (`-` when absent).
    pub plan: String,
    /// Whether `run` can repair it in place.
    pub repairable: bool,
    /// Whether the repair must wait until the walk and the deletes are done: it takes away
    /// something that dependents or orphans still use (the VPC's IPv6 block, which AWS keeps
    /// while a subnet holds one of its /64s).
    pub late: bool,
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} is {} (plan: {})", self.what, self.live, self.plan)?;
        if !self.repairable {
            f.write_str(" and cannot be changed in place")?;
        }
        Ok(())
    }
}

/// What `run` will do to one resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// It does not exist: create it.
    Create,
    /// It exists and differs.
    Update(Vec<Drift>),
    /// It exists as planned.
    InSync,
    /// It carries the plan's tag but the plan no longer has it: delete it.
    Delete,
}

/// A failure with the resource it is about.
#[derive(Debug)]
pub struct ApplyError {
    /// The plan id.
    pub resource: String,
    /// What went wrong.
    pub message: String,
    /// Set when the resource was left in place on purpose (something outside the plan still
    /// holds it): not a failure, the rest of the walk goes on.
    pub kept: bool,
}

impl ApplyError {
    /// An error about `resource`.
    pub fn new(resource: &str, message: impl Into<String>) -> Self {
        ApplyError {
            resource: resource.to_owned(),
            message: message.into(),
            kept: false,
        }
    }

    /// `resource` is not deleted because something outside the plan holds it (`message` says
    /// what): reported, and the rest of the destroy goes on.
    pub fn kept(resource: &str, message: impl Into<String>) -> Self {
        ApplyError {
            kept: true,
            ..ApplyError::new(resource, message)
        }
    }

    /// An SDK error about `resource`, in one line: operation, error code and message.
    pub fn sdk<E: ProvideErrorMetadata + std::error::Error>(resource: &str, e: E) -> Self {
        ApplyError::new(resource, crate::aws_error::one_line(&e))
    }
}

impl fmt::Display for ApplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.resource, self.message)
    }
}

impl std::error::Error for ApplyError {}

/// The expected tags of a resource: ownership, `Name`, and any the plan adds.
pub fn expected_tags(plan: &str, id: &str, name: Option<&str>) -> BTreeMap<String, String> {
    let mut t = BTreeMap::new();
    t.insert(PLAN_TAG.to_owned(), plan.to_owned());
    t.insert(ID_TAG.to_owned(), id.to_owned());
    if let Some(n) = name {
        t.insert("Name".to_owned(), n.to_owned());
    }
    t
}

/// Drift between expected and live tags (only keys the plan sets are compared).
pub fn tag_drift(
    expected: &BTreeMap<String, String>,
    live: &BTreeMap<String, String>,
) -> Vec<Drift> {
    expected
        .iter()
        .filter(|(k, v)| live.get(*k) != Some(v))
        .map(|(k, v)| Drift {
            what: format!("tag {k}"),
            live: live.get(k).cloned().unwrap_or_else(|| "-".to_owned()),
            plan: v.clone(),
            repairable: true,
            late: false,
        })
        .collect()
}

/// Drift between expected and live attributes; `fixed` lists those `run` can repair.
pub fn attr_drift(
    expected: &BTreeMap<String, String>,
    live: &BTreeMap<String, String>,
    repairable: &[&str],
) -> Vec<Drift> {
    expected
        .iter()
        .filter(|(k, v)| live.get(*k) != Some(v))
        .map(|(k, v)| Drift {
            what: k.clone(),
            live: live.get(k).cloned().unwrap_or_else(|| "-".to_owned()),
            plan: v.clone(),
            repairable: repairable.contains(&k.as_str()),
            late: false,
        })
        .collect()
}
