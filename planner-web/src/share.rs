//! The design in a URL fragment or local storage: a snapshot of the document as edited and
//! where its subnets are, as JSON, deflated and base64url-encoded for URLs.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use planner_core::alloc::Allocation;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::state::{Loaded, Notice, State};

/// The local-storage key autosave writes the snapshot under.
pub const AUTOSAVE_KEY: &str = "vpc-planner:autosave";

/// What a share link, an embed link and autosave carry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The design as edited, valid or not (autosave keeps unfinished work).
    pub design: Value,
    /// The baseline: where a plan loaded, imported or exported put its subnets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocation: Option<Allocation>,
    /// Autosave only: the design has changes never exported.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unsaved: bool,
}

impl Snapshot {
    /// What a share link carries of an editor state: the design and its baseline.
    pub fn of(state: &State) -> Snapshot {
        Snapshot {
            design: (*state.doc).clone(),
            allocation: state.baseline.as_deref().cloned(),
            unsaved: false,
        }
    }

    /// What autosave keeps of an editor state: a share link's part and whether it is unsaved.
    pub fn autosave(state: &State) -> Snapshot {
        Snapshot {
            unsaved: state.unsaved,
            ..Snapshot::of(state)
        }
    }

    /// The state to load from it.
    pub fn into_loaded(self, notice: Option<Notice>) -> Loaded {
        Loaded {
            doc: self.design,
            baseline: self.allocation,
            unsaved: self.unsaved,
            notice,
        }
    }

    /// Compact JSON, for local storage.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a snapshot serializes")
    }

    /// JSON deflated and base64url-encoded, for a URL.
    pub fn encode(&self) -> String {
        let deflated = miniz_oxide::deflate::compress_to_vec(self.to_json().as_bytes(), 9);
        URL_SAFE_NO_PAD.encode(deflated)
    }

    /// Reads [`Snapshot::encode`]'s output.
    pub fn decode(text: &str) -> Result<Snapshot, String> {
        let deflated = URL_SAFE_NO_PAD
            .decode(text.trim())
            .map_err(|e| format!("the link is damaged (not base64url: {e})"))?;
        let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&deflated, 8 << 20)
            .map_err(|e| format!("the link is damaged (not deflate data: {e:?})"))?;
        serde_json::from_slice(&json).map_err(|e| format!("the link does not hold a design: {e}"))
    }
}

/// Reads an imported file: a `plan.json` (its design, with its subnets kept where they are)
/// or a design. The error is one line naming the file and the JSON path.
pub fn import(file_name: &str, text: &str) -> Result<Snapshot, String> {
    match planner_core::parse::parse_for_editing(text) {
        Ok((design, allocation)) => Ok(Snapshot {
            design: serde_json::to_value(&design).expect("a design serializes"),
            allocation,
            unsaved: false,
        }),
        Err(e) => Err(format!("{file_name}: {e}; your design is unchanged")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_round_trips() {
        let s = Snapshot {
            design: crate::state::blank(),
            allocation: None,
            unsaved: false,
        };
        let text = s.encode();
        assert!(text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_eq!(Snapshot::decode(&text).unwrap(), s);
        assert!(Snapshot::decode("not*base64").is_err());
        assert!(Snapshot::decode("AAAA").is_err());
    }

    #[test]
    fn import_names_the_file_and_path() {
        let e = import(
            "plan.json",
            r#"{"name": "x", "region": "us-east-1", "tiers": 3}"#,
        )
        .unwrap_err();
        assert!(e.starts_with("plan.json: at tiers"), "{e}");
        let e = import("plan.json", "{").unwrap_err();
        assert!(e.starts_with("plan.json: "), "{e}");
    }

    #[test]
    fn import_keeps_a_plans_allocation() {
        let design = planner_core::parse_design(&crate::state::blank().to_string()).unwrap();
        let planned = planner_core::plan(&design, None).unwrap();
        let s = import("plan.json", &planned.plan.to_json()).unwrap();
        assert_eq!(s.allocation.as_ref(), Some(&planned.plan.allocation));
    }
}
