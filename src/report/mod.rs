//! Stage 4: labelled rows, theme shares per group, intervals, corrections,
//! the dictionary measure (the HTML report is in `render::html`).

pub mod adjust;
pub mod bootstrap;
pub mod dictionary;
pub mod drill;
pub mod format;
pub mod rows;
pub mod shares;

pub use rows::{LabelledRow, RowWriter};
pub use shares::{GroupBy, ShareTable, Weight};
