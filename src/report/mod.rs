//! Stage 4: labelled rows, theme shares per group, tables.

pub mod rows;
pub mod shares;

pub use rows::{LabelledRow, RowWriter};
pub use shares::{GroupBy, ShareTable, Weight};
