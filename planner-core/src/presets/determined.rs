//! Being written: see the preset's issue.

use super::{Params, PresetInfo, HARDENED, VPC_CIDR};
use crate::design::Design;

pub(super) const INFO: PresetInfo = PresetInfo {
    name: "determined",
    summary: "",
    params: &[
        VPC_CIDR,
        super::region("us-east-1"),
        super::azs("1"),
        HARDENED,
    ],
};

pub(super) fn design(p: &Params) -> Design {
    super::from_json(serde_json::json!({"name": "determined", "region": p.str("region")}))
}
