//! Stage 4: labelled rows, theme shares per group, intervals, corrections,
//! the dictionary measure and the HTML report.

pub mod adjust;
pub mod bootstrap;
pub mod dictionary;
pub mod drill;
pub mod format;
pub mod html;
pub mod kinds;
pub mod rows;
pub mod shares;

pub use rows::{LabelledRow, RowWriter};
pub use shares::{GroupBy, ShareTable, Weight};
