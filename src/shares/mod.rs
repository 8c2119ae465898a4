//! Layer 8: theme shares per group from labelled rows, their bootstrap
//! intervals, the adjustment for the classifier's confusions, the dictionary
//! measure and the drill-down into a cell.

pub mod adjust;
pub mod bootstrap;
pub mod dictionary;
pub mod drill;
pub mod table;
mod weight;

pub use table::{GroupBy, ShareTable};
pub use weight::Weight;
