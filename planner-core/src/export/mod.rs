//! A plan in other tools' formats, computed purely from the plan.

pub mod archive;
pub mod terraform;
