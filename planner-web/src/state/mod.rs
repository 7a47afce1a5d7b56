//! The editor's one state: the design as edited, and the plan made from it.
//!
//! Every change is an [`Action`] applied by [`State::apply`], a pure function: no browser, no
//! clock. The design is kept as JSON (`doc`) because that is what the user edits, field by
//! field, and an invalid value must stay visible at its field with the core's message rather
//! than be dropped. After each edit the document is parsed and planned again; while it is
//! invalid, the last good plan stays on screen, marked stale.

use std::collections::BTreeMap;
use std::rc::Rc;

use planner_core::alloc::Allocation;
use planner_core::{Design, Diagnostic, PlanError, Planned, Severity};
use serde_json::Value;
use yew::Reducible;

use crate::path;

mod drawn;
mod replace;
mod tiers;
mod types;

use drawn::same_drawing;
use replace::{question, removal, shortened, Current};
use tiers::place_tier;
pub use types::{Ask, Draft, FieldError, Focus, Loaded, Notice, Pending, Tab, Undo};

/// Everything the user can do to the state.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Replace the design now (the first state; an answered question).
    Load(Box<Loaded>),
    /// Replace the design, asking first when that would lose work (see [`Ask`]).
    Replace(Box<Loaded>, Ask),
    /// Answer the pending question: `true` replaces the design, `false` keeps it.
    Answer(bool),
    /// Put back the design as it was before the last replacement or removal.
    Undo,
    /// The plan on screen was exported: it becomes the baseline.
    Exported,
    /// Set the value at a path (`null` removes an object member).
    Set {
        /// The field.
        path: String,
        /// Its new value.
        value: Value,
    },
    /// Insert into the array at a path.
    Insert {
        /// The array.
        path: String,
        /// Where; past the end appends.
        index: usize,
        /// The new element.
        value: Value,
    },
    /// Remove the element or member at a path.
    Remove {
        /// What to remove.
        path: String,
    },
    /// Move an element within the array at a path.
    Move {
        /// The array.
        path: String,
        /// From this index.
        from: usize,
        /// To this index.
        to: usize,
    },
    /// Put a tier in the network ACL `network_acls[acl]`, taking it out of any other (a tier
    /// is in one ACL at most); `None` takes it out of every ACL, back to the VPC's default.
    PlaceTier {
        /// The tier's name.
        tier: String,
        /// The index of the ACL in `network_acls`.
        acl: Option<usize>,
    },
    /// Keep text that does not parse yet at a path.
    Draft {
        /// The field.
        path: String,
        /// Its text.
        text: String,
        /// Why it does not parse.
        error: String,
    },
    /// Show a tab.
    Tab(Tab),
    /// Show and focus the field at a path.
    Focus(String),
    /// Show or clear the notice.
    Notice(Option<Notice>),
    /// Plan the same design again: the IAM catalogue's details arrived after the first
    /// drawing, and the findings they allow should show.
    Replan,
}

/// The editor's state.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct State {
    /// The design as edited.
    pub doc: Rc<Value>,
    /// Unparsed text per path.
    pub drafts: BTreeMap<String, Draft>,
    /// Why `doc` has no plan, when it has none.
    pub error: Option<FieldError>,
    /// The last good plan: of `doc` when `error` is `None`, else of an earlier version.
    pub planned: Option<Rc<Planned>>,
    /// The design of `planned`.
    pub design: Option<Rc<Design>>,
    /// The plan the drawings show: `planned`, or the one before it while the two draw the same
    /// (they differ only in IAM, see [`same_drawing`]), so the drawings' props stay equal and
    /// they are neither computed nor patched again.
    pub drawn: Option<Rc<Planned>>,
    /// Where the last plan the user loaded, imported or exported put the subnets: every plan
    /// keeps them there, and nothing else pins a subnet, so the same design always gives the
    /// same plan.
    pub baseline: Option<Rc<Allocation>>,
    /// Whether `doc` has changes never exported since it was loaded.
    pub unsaved: bool,
    /// A replacement waiting for the user's answer.
    pub pending: Option<Rc<Pending>>,
    /// What [`Action::Undo`] puts back.
    pub undo: Option<Rc<Undo>>,
    /// The tab shown.
    pub tab: Tab,
    /// The field to focus.
    pub focus: Option<Focus>,
    /// The current notice.
    pub notice: Option<Notice>,
    /// Incremented on every change to `doc` or the baseline, for effects that follow them
    /// (autosave).
    pub revision: u32,
}

impl State {
    /// A state holding `loaded`, planned.
    pub fn loaded(loaded: Loaded) -> State {
        State::default().apply(Action::Load(Box::new(loaded)))
    }

    /// Applies one action. Pure: the same state and action give the same state.
    pub fn apply(mut self, action: Action) -> State {
        let edited = match action {
            Action::Load(loaded) => {
                self.load(*loaded);
                true
            }
            Action::Replace(loaded, ask) => match question(&self.current(), &loaded, ask) {
                Some(question) => {
                    self.pending = Some(Rc::new(Pending { loaded, question }));
                    false
                }
                None => {
                    self.load(*loaded);
                    true
                }
            },
            Action::Answer(replace) => match self.pending.take() {
                Some(p) if replace => {
                    self.load(*Rc::unwrap_or_clone(p).loaded);
                    true
                }
                _ => false,
            },
            Action::Undo => match self.undo.take() {
                Some(u) => {
                    let u = Rc::unwrap_or_clone(u);
                    self.doc = u.doc;
                    self.baseline = u.baseline;
                    self.unsaved = u.unsaved;
                    self.drafts.clear();
                    self.notice = Some(Notice::info(format!("Undone: {}.", u.what)));
                    true
                }
                None => false,
            },
            Action::Exported => match &self.planned {
                Some(p) if self.export_blocked().is_none() => {
                    self.baseline = Some(Rc::new(p.plan.allocation.clone()));
                    self.unsaved = false;
                    true
                }
                _ => false,
            },
            Action::Set { path, value } => {
                self.drafts.retain(|p, _| !path::is_within(p, &path));
                let before = self.snapshot(String::new());
                let changed = self.edit(|doc| path::set(doc, &path, value));
                // The JSON tab removes instances (and anything else) by replacing a value.
                if let Some(what) = changed.then(|| shortened(&before.doc, &self.doc)).flatten() {
                    self.undo = Some(Rc::new(Undo { what, ..before }));
                }
                changed
            }
            Action::Insert { path, index, value } => {
                self.drop_drafts_within(&path);
                self.edit(|doc| path::insert(doc, &path, index, value))
            }
            Action::Remove { path } => {
                let undo = self.snapshot(removal(&self.doc, &path));
                // Removing an element shifts the ones after it: their drafts no longer match.
                self.drop_drafts_within(path::parent(&path).unwrap_or_default());
                let removed = self.edit(|doc| path::remove(doc, &path));
                if removed {
                    self.undo = Some(Rc::new(undo));
                }
                removed
            }
            Action::Move { path, from, to } => {
                self.drop_drafts_within(&path);
                self.edit(|doc| path::move_item(doc, &path, from, to))
            }
            Action::PlaceTier { tier, acl } => self.edit(|doc| place_tier(doc, &tier, acl)),
            Action::Draft { path, text, error } => {
                self.drafts.insert(path, Draft { text, error });
                false
            }
            Action::Tab(tab) => {
                self.tab = tab;
                false
            }
            Action::Focus(path) => {
                self.tab = Tab::for_path(&path);
                let nonce = self.focus.as_ref().map_or(1, |f| f.nonce.wrapping_add(1));
                self.focus = Some(Focus { nonce, path });
                false
            }
            Action::Notice(notice) => {
                self.notice = notice;
                false
            }
            Action::Replan => {
                self.replan();
                false
            }
        };
        if edited {
            self.revision = self.revision.wrapping_add(1);
            self.replan();
        }
        self
    }

    /// Replaces the design, keeping the one replaced for [`Action::Undo`] (unless there was
    /// none yet).
    fn load(&mut self, loaded: Loaded) {
        let Loaded {
            doc,
            baseline,
            unsaved,
            notice,
        } = loaded;
        self.undo = (!self.doc.is_null()).then(|| {
            let name = self.doc["name"].as_str().unwrap_or_default();
            Rc::new(self.snapshot(format!("replacing the design “{name}”")))
        });
        self.doc = Rc::new(doc);
        self.baseline = baseline.map(Rc::new);
        self.unsaved = unsaved;
        self.pending = None;
        self.planned = None;
        self.design = None;
        self.drafts.clear();
        self.notice = notice;
    }

    /// An edit of the design in place: it is unsaved, and the last replacement or removal can
    /// no longer be undone (putting the design back would drop this edit).
    fn edit(&mut self, change: impl FnOnce(&mut Value) -> bool) -> bool {
        let changed = change(Rc::make_mut(&mut self.doc));
        if changed {
            self.unsaved = true;
            self.undo = None;
        }
        changed
    }

    /// The design as it is now, for [`question`].
    fn current(&self) -> Current<'_> {
        Current {
            doc: &self.doc,
            baseline: self.baseline.as_deref(),
            unsaved: self.unsaved,
        }
    }

    /// What [`Action::Undo`] needs to put the design back as it is now.
    fn snapshot(&self, what: String) -> Undo {
        Undo {
            doc: Rc::clone(&self.doc),
            baseline: self.baseline.clone(),
            unsaved: self.unsaved,
            what,
        }
    }

    /// Forgets unparsed text under `path` (whose elements are about to change places); drafts
    /// elsewhere, and the whole-design draft, are kept.
    fn drop_drafts_within(&mut self, path: &str) {
        self.drafts
            .retain(|p, _| p.is_empty() || !path::is_within(p, path));
    }

    /// Parses and plans `doc` against the baseline, as `executor plan --previous` does.
    fn replan(&mut self) {
        let design = match planner_core::parse_design(&self.doc.to_string()) {
            Ok(design) => design,
            Err(e) => {
                self.error = Some(FieldError {
                    path: e.path,
                    message: e.message,
                });
                return;
            }
        };
        match planner_core::plan(&design, self.baseline.as_deref()) {
            Ok(planned) => {
                let planned = Rc::new(planned);
                self.drawn = match self.drawn.take() {
                    Some(drawn) if same_drawing(&drawn, &planned) => Some(drawn),
                    _ => Some(Rc::clone(&planned)),
                };
                self.error = None;
                self.planned = Some(planned);
                self.design = Some(Rc::new(design));
            }
            Err(e) => self.error = Some(plan_error(e)),
        }
    }

    /// The message for the field at `path`: its draft's error, or the current error when it is
    /// about this field or something inside it.
    pub fn error_at(&self, path: &str) -> Option<&str> {
        if let Some(d) = self.drafts.get(path) {
            return Some(&d.error);
        }
        self.error
            .as_ref()
            .filter(|e| !path.is_empty() && path::is_within(&e.path, path))
            .map(|e| e.message.as_str())
    }

    /// The value at `path` in the design as edited.
    pub fn value(&self, path: &str) -> Option<&Value> {
        path::get(&self.doc, path)
    }

    /// The value at `path` as text for an input: strings bare, other values as JSON.
    pub fn text(&self, path: &str) -> String {
        if let Some(d) = self.drafts.get(path) {
            return d.text.clone();
        }
        match self.value(path) {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(v) => v.to_string(),
        }
    }

    /// Whether the plan on screen is of an earlier version of the design.
    pub fn is_stale(&self) -> bool {
        self.error.is_some() || !self.drafts.is_empty()
    }

    /// Why the plan cannot be exported now, in a sentence; `None` when it can. A plan with
    /// error findings is refused as `executor run` and `executor validate` refuse it.
    pub fn export_blocked(&self) -> Option<String> {
        if let Some(e) = &self.error {
            let at = if e.path.is_empty() { "$" } else { &e.path };
            return Some(format!("Fix the error at {at} first."));
        }
        if let Some(path) = self.drafts.keys().next() {
            let at = if path.is_empty() { "$" } else { path };
            return Some(format!("Fix the unfinished JSON at {at} first."));
        }
        let planned = self.planned.as_ref()?;
        let errors: Vec<&Diagnostic> = planned
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        let first = errors.first()?;
        let at = if first.path.is_empty() {
            String::new()
        } else {
            format!(" at {}", first.path)
        };
        let (what, more) = match errors.len() {
            1 => ("an error finding", String::new()),
            n => ("error findings", format!(" and {} more", n - 1)),
        };
        Some(format!(
            "Export is off: the plan has {what} ({}{at}{more}), and executor run refuses such a plan.",
            first.code
        ))
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(Rc::unwrap_or_clone(self).apply(action))
    }
}

/// A plan error as a message at a field.
fn plan_error(e: PlanError) -> FieldError {
    let (path, message) = match e {
        PlanError::Input(e) => (e.path, e.message),
        PlanError::DoesNotFit(message) => ("vpc.cidr".to_owned(), message),
        e @ PlanError::NatWithoutPublicSubnet { .. } => ("nat".to_owned(), e.to_string()),
    };
    FieldError { path, message }
}

/// The design a new user starts from: a VPC over two AZs, one public and one private tier.
pub fn blank() -> Value {
    serde_json::json!({
        "name": "my-network",
        "region": "us-east-1",
        "vpc": {"cidr": "10.0.0.0/16"},
        "availability_zones": 2,
        "tiers": [
            {"name": "public", "kind": "public", "size": {"prefix": 24}},
            {"name": "private", "kind": "private", "size": {"prefix": 22}}
        ],
        "nat": "gateway_per_az"
    })
}

/// A preset's design as JSON.
pub fn preset(name: &str, params: &[(&str, &str)]) -> Result<Value, String> {
    let design = planner_core::presets::build(name, params).map_err(|e| e.to_string())?;
    serde_json::to_value(&design).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests;
