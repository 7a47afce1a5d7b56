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
use planner_core::{Design, PlanError, Planned};
use serde_json::Value;
use yew::Reducible;

use crate::path;

/// The editor's tabs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tab {
    /// VPC, AZs, tiers, NAT.
    #[default]
    Network,
    /// Security groups, their graph and reachability.
    SecurityGroups,
    /// Roles, policies, instance profiles and the executor's policy.
    Iam,
    /// The whole design as JSON (instances and everything else).
    Json,
}

impl Tab {
    /// Every tab, in display order.
    pub const ALL: [Tab; 4] = [Tab::Network, Tab::SecurityGroups, Tab::Iam, Tab::Json];

    /// Its label.
    pub fn label(self) -> &'static str {
        match self {
            Tab::Network => "Network",
            Tab::SecurityGroups => "Security groups",
            Tab::Iam => "IAM",
            Tab::Json => "Design JSON",
        }
    }

    /// The tab whose editor holds the field at `path`.
    pub fn for_path(path: &str) -> Tab {
        match path::steps(path).first() {
            Some(path::Step::Key(k)) if k == "security_groups" => Tab::SecurityGroups,
            Some(path::Step::Key(k)) if k == "iam" => Tab::Iam,
            Some(path::Step::Key(k)) if k == "instances" || k == "nat_instances" => Tab::Json,
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
    /// Where its subnets already are (from an imported plan), to keep them there.
    pub pin: Option<Allocation>,
    /// What to tell the user.
    pub notice: Option<Notice>,
}

/// Everything the user can do to the state.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Replace the design (start blank, a preset, an import, a share link).
    Load(Box<Loaded>),
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
    /// The allocation of the plan before `planned`, to show which subnets stayed put.
    pub before: Option<Rc<Allocation>>,
    /// Where subnets are to stay on the next plan.
    pub pin: Option<Rc<Allocation>>,
    /// The tab shown.
    pub tab: Tab,
    /// The field to focus.
    pub focus: Option<Focus>,
    /// The current notice.
    pub notice: Option<Notice>,
    /// Incremented on every change to `doc`, for effects that follow it.
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
                let Loaded { doc, pin, notice } = *loaded;
                self.doc = Rc::new(doc);
                self.pin = pin.map(Rc::new);
                self.planned = None;
                self.design = None;
                self.before = None;
                self.drafts.clear();
                self.notice = notice;
                true
            }
            Action::Set { path, value } => {
                self.drafts.retain(|p, _| !path::is_within(p, &path));
                path::set(Rc::make_mut(&mut self.doc), &path, value)
            }
            Action::Insert { path, index, value } => {
                self.drop_drafts_within(&path);
                path::insert(Rc::make_mut(&mut self.doc), &path, index, value)
            }
            Action::Remove { path } => {
                // Removing an element shifts the ones after it: their drafts no longer match.
                self.drop_drafts_within(path::parent(&path).unwrap_or_default());
                path::remove(Rc::make_mut(&mut self.doc), &path)
            }
            Action::Move { path, from, to } => {
                self.drop_drafts_within(&path);
                path::move_item(Rc::make_mut(&mut self.doc), &path, from, to)
            }
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
        };
        if edited {
            self.revision = self.revision.wrapping_add(1);
            self.replan();
        }
        self
    }

    /// Forgets unparsed text under `path` (whose elements are about to change places); drafts
    /// elsewhere, and the whole-design draft, are kept.
    fn drop_drafts_within(&mut self, path: &str) {
        self.drafts
            .retain(|p, _| p.is_empty() || !path::is_within(p, path));
    }

    /// Parses and plans `doc`, keeping subnets where `pin` has them.
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
        match planner_core::plan(&design, self.pin.as_deref()) {
            Ok(planned) => {
                self.error = None;
                let allocation = Rc::new(planned.plan.allocation.clone());
                self.before = self.pin.replace(allocation);
                self.planned = Some(Rc::new(planned));
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
        "nat": "none"
    })
}

/// A preset's design as JSON.
pub fn preset(name: &str, params: &[(&str, &str)]) -> Result<Value, String> {
    let design = planner_core::presets::build(name, params).map_err(|e| e.to_string())?;
    serde_json::to_value(&design).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn start() -> State {
        State::loaded(Loaded {
            doc: blank(),
            pin: None,
            notice: None,
        })
    }

    #[test]
    fn an_invalid_field_keeps_its_value_and_the_last_plan() {
        let s = start();
        let good = s.planned.clone().expect("the blank design plans");
        let s = s.apply(Action::Set {
            path: "vpc.cidr".into(),
            value: json!("10.0.0.0/33"),
        });
        assert_eq!(s.text("vpc.cidr"), "10.0.0.0/33");
        assert!(s.error_at("vpc.cidr").is_some(), "{:?}", s.error);
        assert!(s.error_at("vpc").is_some());
        assert!(s.error_at("tiers").is_none());
        assert!(s.is_stale());
        assert!(Rc::ptr_eq(s.planned.as_ref().unwrap(), &good));
    }

    #[test]
    fn subnets_stay_put_when_a_tier_is_added_first() {
        let s = start();
        let before = s.planned.clone().unwrap().plan.allocation.subnets.clone();
        let s = s.apply(Action::Insert {
            path: "tiers".into(),
            index: 0,
            value: json!({"name": "db", "kind": "isolated", "size": {"prefix": 20}}),
        });
        assert!(s.error.is_none(), "{:?}", s.error);
        let after = &s.planned.as_ref().unwrap().plan.allocation.subnets;
        for old in &before {
            assert!(after.contains(old), "{old:?} moved");
        }
        assert_eq!(s.before.as_ref().unwrap().subnets, before);
    }

    #[test]
    fn plan_errors_point_at_a_field() {
        let s = start().apply(Action::Set {
            path: "vpc.cidr".into(),
            value: json!("10.0.0.0/24"),
        });
        let e = s.error.expect("two /22s do not fit a /24");
        assert_eq!(e.path, "vpc.cidr");
        assert!(e.message.contains("does not fit"), "{}", e.message);
        let s = start().apply(Action::Set {
            path: "tiers[1].name".into(),
            value: json!("public"),
        });
        assert!(s.error_at("tiers[1].name").is_some(), "{:?}", s.error);
    }

    #[test]
    fn drafts_elsewhere_survive_list_edits() {
        let draft = |path: &str| Action::Draft {
            path: path.into(),
            text: "{".into(),
            error: "not JSON".into(),
        };
        let s = start()
            .apply(draft("iam.roles[0].trust_policy"))
            .apply(draft("tiers[1].size"))
            .apply(Action::Insert {
                path: "cidrs_in_use".into(),
                index: 0,
                value: json!({"cidr": "192.168.0.0/16"}),
            })
            .apply(Action::Remove {
                path: "tiers[0]".into(),
            });
        assert_eq!(
            s.drafts.keys().collect::<Vec<_>>(),
            ["iam.roles[0].trust_policy"]
        );
    }

    #[test]
    fn focus_switches_to_the_fields_tab() {
        let s = start().apply(Action::Focus("iam.roles[0].trust".into()));
        assert_eq!(s.tab, Tab::Iam);
        assert_eq!(s.focus.as_ref().unwrap().nonce, 1);
        let s = s.apply(Action::Focus("tiers[0]".into()));
        assert_eq!((s.tab, s.focus.unwrap().nonce), (Tab::Network, 2));
    }

    #[test]
    fn every_preset_loads_without_errors() {
        for info in planner_core::presets::list() {
            let s = State::loaded(Loaded {
                doc: preset(info.name, &[]).unwrap(),
                pin: None,
                notice: None,
            });
            assert!(s.error.is_none(), "{}: {:?}", info.name, s.error);
        }
    }
}
