//! The classifier's confusions, measured by grouped cross-validation: what
//! `shares::adjust` corrects the shares for.

use rayon::prelude::*;

use crate::codebook::Codebook;
use crate::error::Result;
use crate::eval::evaluate::{cross_validate, EvalItem};
use crate::model::TrainParams;
use crate::text::Tokenizer;
use crate::themes::Theme;

/// Folds of the cross-validation that measures the confusion.
pub const FOLDS: usize = 5;

/// A square matrix of weighted counts or probabilities, `[gold][pred]`.
pub type Confusion = Vec<Vec<f64>>;

/// A `n × n` matrix of zeros.
pub fn zeros(n: usize) -> Confusion {
    vec![vec![0.0; n]; n]
}

/// Weighted out-of-fold counts `[gold][pred]`, in all and per document
/// (in the order documents first appear in the items).
#[derive(Debug, Clone, PartialEq)]
pub struct Measured {
    pub counts: Confusion,
    pub documents: Vec<Confusion>,
}

/// Cross-validate a model with `params` on `items` (grouped as the items
/// say) and count each item's gold theme against its out-of-fold prediction,
/// weighted by `weigh`.
pub fn measure(
    items: &[EvalItem],
    params: &TrainParams,
    tokenizer: &Tokenizer,
    codebook: &Codebook,
    weigh: impl Fn(&EvalItem) -> f64,
) -> Result<Measured> {
    let preds = cross_validate(items, FOLDS, params, tokenizer, codebook)?;
    let tops: Vec<Theme> = preds.par_iter().map(|p| p.top().0).collect();
    let n = codebook.len();
    let mut counts = zeros(n);
    let mut documents: Vec<Confusion> = Vec::new();
    let mut slot: std::collections::HashMap<&str, usize> = Default::default();
    for (it, pred) in items.iter().zip(&tops) {
        let w = weigh(it);
        counts[it.gold.index()][pred.index()] += w;
        let i = *slot.entry(it.doc_id.as_str()).or_insert_with(|| {
            documents.push(zeros(n));
            documents.len() - 1
        });
        documents[i][it.gold.index()][pred.index()] += w;
    }
    Ok(Measured { counts, documents })
}
