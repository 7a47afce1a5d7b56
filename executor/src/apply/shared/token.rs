//! FNV-1a digests: idempotency tokens and short fingerprints.

use crate::apply::context::Cx;

/// FNV-1a over `bytes`.
fn fnv64(bytes: impl IntoIterator<Item = u8>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        h ^= u64::from(byte);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A short, stable digest of `data` (16 hex digits).
pub fn fnv(data: &[u8]) -> String {
    format!("{:016x}", fnv64(data.iter().copied()))
}

/// A deterministic idempotency token: a retry after a crash returns the same resource.
pub fn client_token(cx: &Cx, id: &str) -> String {
    // Over plan name and id; AWS accepts up to 64 ASCII characters.
    let h = fnv64(cx.plan.design.name.bytes().chain([0]).chain(id.bytes()));
    format!("vpc-planner-{h:016x}")
}
