//! Layer 6: how good a model is. The grouped cross-validation, its metrics,
//! the confusion the share adjustment corrects for, the learning curve and
//! the agreement of two coders (the ceiling the model is read against).

pub mod agreement;
pub mod confusion;
pub mod evaluate;
pub mod learning;
