//! `train`: fit a model on label files and save it.

use super::Ui;
use crate::cli::{ClassifierArg, ModelArgs, TrainArgs};
use crate::error::{Error, Result};
use crate::labelling::labels::LabelSet;
use crate::labelling::train_on;
use crate::model::{self, persist, ClassifierKind, TrainParams};
use crate::text::Tokenizer;

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

/// `policy-themes train`.
pub fn run(args: &TrainArgs, ui: Ui) -> Result<i32> {
    super::need_default(&args.labels, super::DEFAULT_LABELS, super::HINT_LABELS)?;
    let params = params_from(&args.model);
    let tokenizer = Tokenizer::bundled();
    let started = std::time::Instant::now();
    params.validate()?;
    let codebook = args.codebook.load()?;
    let set = LabelSet::read_strict(&args.labels, &codebook)?;
    super::note_unlabelled(&set, &args.labels);
    let model = train_on(&set, &params, &tokenizer, &codebook)?;
    // Never write a model that `label` would refuse.
    if let Some(why) = model::validate::problem(&model) {
        return Err(Error::Other(format!(
            "the fitted model is unusable ({why}); {} was not written; try other settings",
            args.output.display()
        )));
    }
    persist::save(&model, &args.output)?;
    ui.info(format!(
        "trained on {} paragraphs, {} themes, {} terms in {:.2}s → {}",
        model.provenance.n_train,
        model.themes.len(),
        model.vectorizer.n_features(),
        started.elapsed().as_secs_f64(),
        args.output.display()
    ));
    Ok(0)
}
