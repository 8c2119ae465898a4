//! Layer 8: theme shares per group from labelled rows, their bootstrap
//! intervals, the adjustment for the classifier's confusions, the dictionary
//! measure and the drill-down into a cell.

pub(crate) mod adjust;
pub(crate) mod bootstrap;
pub(crate) mod dictionary;
pub(crate) mod drill;
pub(crate) mod kinds;
pub(crate) mod panel;
pub(crate) mod table;
mod weight;

pub use panel::panel_csv;
pub use table::{GroupBy, ShareTable};
pub use weight::Weight;
