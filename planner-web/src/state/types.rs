//! The plain data the state holds: tabs, errors, drafts, notices, a design to load and a
//! question waiting for the user's answer.

use std::rc::Rc;

use planner_core::alloc::Allocation;
use serde_json::Value;

use crate::path;

/// The editor's tabs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tab {
    /// VPC, AZs, tiers, NAT.
    #[default]
    Network,
    /// Network ACLs: their tiers and numbered rules.
    NetworkAcls,
    /// Security groups, their graph and reachability.
    SecurityGroups,
    /// Roles, policies, instance profiles and the executor's policy.
    Iam,
    /// Instances: bastions, jump hosts, master nodes.
    Instances,
    /// The whole design as JSON.
    Json,
}

impl Tab {
    /// Every tab, in display order.
    pub const ALL: [Tab; 6] = [
        Tab::Network,
        Tab::NetworkAcls,
        Tab::SecurityGroups,
        Tab::Iam,
        Tab::Instances,
        Tab::Json,
    ];

    /// Its label.
    pub fn label(self) -> &'static str {
        match self {
            Tab::Network => "Network",
            Tab::NetworkAcls => "Network ACLs",
            Tab::SecurityGroups => "Security groups",
            Tab::Iam => "IAM",
            Tab::Instances => "Instances",
            Tab::Json => "Design JSON",
        }
    }

    /// The tab whose editor holds the field at `path`.
    pub fn for_path(path: &str) -> Tab {
        match path::steps(path).first() {
            Some(path::Step::Key(k)) if k == "network_acls" => Tab::NetworkAcls,
            Some(path::Step::Key(k)) if k == "security_groups" => Tab::SecurityGroups,
            Some(path::Step::Key(k)) if k == "iam" => Tab::Iam,
            Some(path::Step::Key(k)) if k == "instances" => Tab::Instances,
            _ => Tab::Network,
        }
    }
}

/// Why the current document has no plan, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// JSON path of the field, as in the core's errors; empty for the design as a whole.
    pub path: String,
    /// The core's message.
    pub message: String,
}

/// Text typed into a JSON editor that is not JSON yet: kept, with its error, until it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Draft {
    /// What the user typed.
    pub text: String,
    /// Why it is not accepted.
    pub error: String,
}

/// A message about something that happened outside an edit (an import, a share link).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// Whether it reports a failure.
    pub error: bool,
    /// One line.
    pub text: String,
}

impl Notice {
    /// A failure.
    pub fn error(text: impl Into<String>) -> Self {
        Notice {
            error: true,
            text: text.into(),
        }
    }

    /// News.
    pub fn info(text: impl Into<String>) -> Self {
        Notice {
            error: false,
            text: text.into(),
        }
    }
}

/// A request to bring a field into view and focus it; the nonce makes a repeat click count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Focus {
    /// Incremented per request.
    pub nonce: u32,
    /// The field's path.
    pub path: String,
}

/// A design to start from.
#[derive(Clone, Debug, PartialEq)]
pub struct Loaded {
    /// The design's JSON.
    pub doc: Value,
    /// The baseline: where a plan the user loaded or imported put the subnets, to keep them
    /// there (`executor plan --previous`).
    pub baseline: Option<Allocation>,
    /// Whether it holds changes never exported (an autosave of work in progress).
    pub unsaved: bool,
    /// What to tell the user.
    pub notice: Option<Notice>,
}

impl Loaded {
    /// A design with no baseline and nothing unsaved: a preset, a blank start.
    pub fn fresh(doc: Value, notice: Option<Notice>) -> Loaded {
        Loaded {
            doc,
            baseline: None,
            unsaved: false,
            notice,
        }
    }
}

/// When replacing the design needs the user's yes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ask {
    /// When the design has changes never exported (New…, an import).
    IfUnsaved,
    /// When the design differs from the one coming in (a share link).
    IfDifferent,
}

/// A replacement of the design waiting for the user's answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    /// What would replace the design.
    pub loaded: Box<Loaded>,
    /// The question, in the user's words.
    pub question: String,
}

/// The design as it was before a replacement or a removal, for [`Action::Undo`].
///
/// [`Action::Undo`]: super::Action::Undo
#[derive(Clone, Debug, PartialEq)]
pub struct Undo {
    /// The design.
    pub doc: Rc<Value>,
    /// Its baseline.
    pub baseline: Option<Rc<Allocation>>,
    /// Whether it had unsaved changes.
    pub unsaved: bool,
    /// What undoing undoes, e.g. `removing tier “app”`.
    pub what: String,
}
