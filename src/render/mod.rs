//! Layer 9: writing results for people and programs. The shapes of a table
//! (CSV, JSON Lines, an aligned terminal table) and the HTML report.

pub(crate) mod format;
pub mod html;
