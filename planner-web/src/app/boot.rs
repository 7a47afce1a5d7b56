//! The page's first state: the autosaved design, else a blank one with the start dialog open;
//! a share link in the URL is then offered over it (asked about when it differs). A link
//! pasted into the open tab later arrives the same way ([`link_in_url`]).

use crate::browser;
use crate::share::{Snapshot, AUTOSAVE_KEY};
use crate::state::{self, Action, Ask, Loaded, Notice, State};

/// The first state, and whether to open the start dialog.
pub fn boot() -> (State, bool) {
    let (link, notice) = match link_in_url() {
        Some(Action::Notice(notice)) => (None, notice),
        link => (link, None),
    };
    let saved = browser::load(AUTOSAVE_KEY).and_then(|saved| {
        serde_json::from_str::<Snapshot>(&saved)
            .map_err(|e| {
                web_sys::console::warn_1(&format!("ignoring a damaged autosave: {e}").into())
            })
            .ok()
    });
    let restored = notice
        .clone()
        .or_else(|| Some(Notice::info("Restored your autosaved design.")));
    match (saved, link) {
        // With no work of the user's here, the link's design opens without a question.
        (None, Some(action)) => (State::default().apply(action), false),
        (Some(saved), Some(action)) => {
            let state = State::loaded(saved.into_loaded(restored));
            (state.apply(action), false)
        }
        (Some(saved), None) => (State::loaded(saved.into_loaded(restored)), false),
        (None, None) => (State::loaded(Loaded::fresh(state::blank(), notice)), true),
    }
}

/// The action for a share link (`#design=…`) in the URL, if there is one: opening its design,
/// asked about when it differs from the user's, or a notice saying why the link is damaged.
/// The link leaves the URL so that a reload shows the work (autosaved), not the link again.
pub fn link_in_url() -> Option<Action> {
    let fragment = browser::fragment();
    let encoded = fragment.strip_prefix("design=")?;
    browser::replace_fragment("");
    Some(match Snapshot::decode(encoded) {
        Ok(s) => {
            let n = Notice::info("Loaded the design from the link.");
            Action::Replace(Box::new(s.into_loaded(Some(n))), Ask::IfDifferent)
        }
        Err(e) => Action::Notice(Some(Notice::error(e))),
    })
}
