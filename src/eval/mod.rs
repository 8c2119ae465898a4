//! Layer 6: how good a model is. The grouped cross-validation, its metrics,
//! the confusion the share adjustment corrects for, the learning curve and
//! the agreement of two coders (the ceiling the model is read against).

pub(crate) mod agreement;
pub(crate) mod confusion;
pub(crate) mod evaluate;
pub(crate) mod learning;

pub use evaluate::{cross_validate, report, EvalItem, EvalReport};
