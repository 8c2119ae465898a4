//! Training parameters from the model flags (`train`, `eval`).

use crate::cli::{ClassifierArg, ModelArgs};
use crate::model::{self, ClassifierKind, TrainParams};

/// Training parameters: the default model with the flags given applied.
pub fn params_from(args: &ModelArgs) -> TrainParams {
    let mut p = TrainParams::default();
    if let Some(c) = args.classifier {
        p.classifier = match c {
            ClassifierArg::Nb => ClassifierKind::MultinomialNb { alpha: 0.03 },
            ClassifierArg::Cnb => ClassifierKind::ComplementNb { alpha: 0.3 },
            ClassifierArg::Logistic => ClassifierKind::Logistic {
                alpha: 0.001,
                max_iterations: 100,
            },
            ClassifierArg::SparseLogistic => ClassifierKind::SparseLogistic {
                alpha: 0.03,
                max_iterations: model::train::SPARSE_LOGISTIC_MAX_ITERATIONS,
            },
        };
    }
    if let Some(a) = args.alpha {
        p.classifier = match p.classifier {
            ClassifierKind::MultinomialNb { .. } => ClassifierKind::MultinomialNb { alpha: a },
            ClassifierKind::ComplementNb { .. } => ClassifierKind::ComplementNb { alpha: a },
            ClassifierKind::Logistic { max_iterations, .. } => ClassifierKind::Logistic {
                alpha: a,
                max_iterations,
            },
            ClassifierKind::SparseLogistic { max_iterations, .. } => {
                ClassifierKind::SparseLogistic {
                    alpha: a,
                    max_iterations,
                }
            }
        };
    }
    if let Some(b) = args.words {
        p.features.words = b;
    }
    if let Some(b) = args.word_bigrams {
        p.features.word_bigrams = b;
    }
    if let Some(b) = args.char_bigrams {
        p.features.char_bigrams = b;
    }
    if let Some(k) = args.chi2 {
        p.chi2_features = Some(k);
    }
    if let Some(b) = args.balanced {
        p.balanced = b;
    }
    if let Some(m) = args.min_df {
        p.features.min_df = m;
    }
    if let Some(d) = args.document_prior {
        p.document_prior = d.strength();
    }
    p
}
