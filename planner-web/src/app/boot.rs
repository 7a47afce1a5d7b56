//! The page's first state: the design of a share link, else the autosaved one, else a blank
//! design with the start dialog open.

use crate::browser;
use crate::share::{Snapshot, AUTOSAVE_KEY};
use crate::state::{self, Loaded, Notice, State};

/// The first state, and whether to open the start dialog.
pub fn boot() -> (State, bool) {
    let mut notice = None;
    if let Some(encoded) = browser::fragment().strip_prefix("design=") {
        // A reload after edits must show the edits (autosave), not the link again.
        browser::replace_fragment("");
        match Snapshot::decode(encoded) {
            Ok(s) => {
                let n = Notice::info("Loaded the design from the link.");
                return (State::loaded(s.into_loaded(Some(n))), false);
            }
            Err(e) => notice = Some(Notice::error(e)),
        }
    }
    if let Some(saved) = browser::load(AUTOSAVE_KEY) {
        match serde_json::from_str::<Snapshot>(&saved) {
            Ok(s) => {
                let n = notice.or_else(|| Some(Notice::info("Restored your autosaved design.")));
                return (State::loaded(s.into_loaded(n)), false);
            }
            Err(e) => web_sys::console::warn_1(&format!("ignoring a damaged autosave: {e}").into()),
        }
    }
    let loaded = Loaded {
        doc: state::blank(),
        pin: None,
        notice,
    };
    (State::loaded(loaded), true)
}
