//! `train`: fit a model on label files and save it.

use std::path::Path;

use super::Ui;
use crate::cli::{ClassifierArg, ModelArgs, TrainArgs};
use crate::codebook::Codebook;
use crate::error::{Error, Result};
use crate::labelling::labels::LabelSet;
use crate::model::train::Sources;
use crate::model::{self, persist, ClassifierKind, Model, TrainParams};
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

/// Read labels strictly (checked against `codebook`) and fit a model that carries it.
pub fn train_from(
    labels: &Path,
    params: &TrainParams,
    tokenizer: &Tokenizer,
    codebook: &Codebook,
) -> Result<Model> {
    let set = LabelSet::read_strict(labels, codebook)?;
    super::note_unlabelled(&set, labels);
    train_on(&set, params, tokenizer, codebook)
}

/// Fit a model on labels already read, recording them as its sources.
pub fn train_on(
    set: &LabelSet,
    params: &TrainParams,
    tokenizer: &Tokenizer,
    codebook: &Codebook,
) -> Result<Model> {
    let sources = Sources {
        labels_hash: set.hash.clone(),
        label_files: set
            .files
            .iter()
            .map(|f| {
                f.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            })
            .collect(),
        label_file_hashes: set.file_hashes.clone(),
    };
    model::fit(&set.examples(), params, tokenizer, codebook, sources)
}

/// `policy-themes train`.
pub fn run(args: &TrainArgs, ui: Ui) -> Result<i32> {
    super::need_default(&args.labels, super::DEFAULT_LABELS, super::HINT_LABELS)?;
    let params = params_from(&args.model);
    let tokenizer = Tokenizer::bundled();
    let started = std::time::Instant::now();
    params.validate()?;
    let codebook = args.codebook.load()?;
    let model = train_from(&args.labels, &params, &tokenizer, &codebook)?;
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
