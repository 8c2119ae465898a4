//! The labelling loop: which paragraphs a researcher labels next, with the
//! model's suggestion beside each. Above `model` (it fits and runs one) and
//! below `shares`.

pub(crate) mod annotate;
pub(crate) mod labels;
pub(crate) mod predict;
pub(crate) mod rows;
pub(crate) mod select;

use std::collections::HashSet;

use crate::codebook::Codebook;
use crate::error::Result;
use crate::model::train::{fit, Example, Sources};
use crate::model::{Model, Predictor, TrainParams};
use crate::text::Tokenizer;
use crate::themes::Theme;
pub use labels::{LabelRow, LabelSet};
pub use predict::{coverage_warning, label_documents, LabelOptions, MIN_COVERAGE};
pub use rows::{Format, LabelledRow, RowWriter};
pub use select::{stable_key, Candidate, Pick, Reason, SelectParams};

/// A paragraph that can be proposed for labelling.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    pub doc_id: String,
    pub para_id: usize,
    pub region: String,
    pub year: Option<u16>,
    pub section: String,
    pub text: String,
}

impl Unit {
    /// A label row's paragraph as a unit: a label file holds no region, year
    /// or section, so those are left unknown.
    pub fn of_label(r: &LabelRow) -> Unit {
        Unit {
            doc_id: r.doc_id.clone(),
            para_id: r.para_id,
            region: String::new(),
            year: None,
            section: String::new(),
            text: r.text.clone(),
        }
    }
}

/// One proposed paragraph with the model's suggestion (never an answer).
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    pub unit: Unit,
    /// The model's most probable theme and its calibrated probability.
    pub suggestion: Option<(Theme, f64)>,
    pub reason: Reason,
}

/// Labels needed (and at least two themes among them) before a model is
/// fitted to guide the choice: below this, a fitted model's probabilities
/// say more about the few labels than about the paragraphs.
pub const MIN_LABELS_FOR_MODEL: usize = 30;

/// The model that guides the choice: `given`, or one fitted on `labels`
/// with the default parameters when there are enough of them, or none
/// (cold start).
pub fn guide(
    labels: &[LabelRow],
    given: Option<Predictor>,
    codebook: &Codebook,
) -> Result<Option<Predictor>> {
    if given.is_some() {
        return Ok(given);
    }
    let themes: HashSet<Theme> = labels.iter().map(|r| r.theme).collect();
    if labels.len() < MIN_LABELS_FOR_MODEL || themes.len() < 2 {
        return Ok(None);
    }
    fit_on(labels, codebook).map(Some)
}

/// The default model fitted on `labels` (about a second): what guides the
/// choice once there are enough labels.
pub fn fit_on<'a>(
    labels: impl IntoIterator<Item = &'a LabelRow>,
    codebook: &Codebook,
) -> Result<Predictor> {
    let examples: Vec<Example> = labels.into_iter().map(Example::of_label).collect();
    let model = fit(
        &examples,
        &TrainParams::default(),
        &Tokenizer::bundled(),
        codebook,
        Sources::default(),
    )?;
    Predictor::new(model)
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
    fit(&set.examples(), params, tokenizer, codebook, sources)
}

/// Choose the next `params.n` paragraphs of `units` to label, skipping
/// those `labels` already hold: spread at a cold start, most informative
/// once `model` exists.
pub fn propose(
    units: &[Unit],
    labels: &[LabelRow],
    model: Option<&Predictor>,
    params: &SelectParams,
) -> Vec<Proposal> {
    let cands: Vec<Candidate> = units
        .iter()
        .map(|u| Candidate {
            doc_id: &u.doc_id,
            para_id: u.para_id,
            region: &u.region,
            year: u.year,
            section: &u.section,
            text: &u.text,
        })
        .collect();
    let labelled: HashSet<(&str, usize)> = labels
        .iter()
        .map(|r| (r.doc_id.as_str(), r.para_id))
        .collect();
    let Some(model) = model else {
        return select::spread(&cands, &labelled, params)
            .into_iter()
            .map(|p| Proposal {
                unit: units[p.index].clone(),
                suggestion: None,
                reason: p.reason,
            })
            .collect();
    };
    let texts: Vec<&str> = units.iter().map(|u| u.text.as_str()).collect();
    let docs: Vec<&str> = units.iter().map(|u| u.doc_id.as_str()).collect();
    let preds = model.predict_documents(&texts, &docs);
    let probs: Vec<Vec<f64>> = preds.iter().map(|p| p.probs.to_vec()).collect();
    let mut counts = vec![0usize; model.codebook().len()];
    for r in labels {
        counts[r.theme.index()] += 1;
    }
    select::informative(&cands, &probs, &counts, &labelled, params)
        .into_iter()
        .map(|p| Proposal {
            unit: units[p.index].clone(),
            suggestion: Some(preds[p.index].top()),
            reason: p.reason,
        })
        .collect()
}
