//! The editor context: the handle on the one [`State`] that the app provides and every
//! component reads, the click handler that dispatches an [`Action`], and the key that makes a
//! memo run once per plan.

use std::rc::Rc;

use planner_core::Planned;
use yew::prelude::*;

use crate::state::{Action, State};

/// The editor: the state and its dispatcher, provided to every component by the app.
pub type Editor = UseReducerHandle<State>;

/// A click handler that dispatches `action`: add, remove and move buttons.
pub fn on_click(editor: &Editor, action: Action) -> Callback<MouseEvent> {
    let editor = editor.clone();
    Callback::from(move |_| editor.dispatch(action.clone()))
}

/// The editor from context.
#[hook]
pub fn use_editor() -> Editor {
    use_context::<Editor>().expect("components render inside the app's editor context")
}

/// A plan compared by identity (a new plan is a new `Rc`): the key of a memo computed once per
/// plan, such as the security-group graph or the executor's policy.
#[derive(Clone)]
pub struct SamePlan(pub Option<Rc<Planned>>);

impl PartialEq for SamePlan {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        }
    }
}
