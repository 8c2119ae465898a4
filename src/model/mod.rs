//! Stage 3: train, predict, persist.
//!
//! Fitting ([`train::fit`]) and predicting ([`Predictor`]) are separate steps
//! with typed parameters ([`TrainParams`]). A [`Model`] is plain data that
//! serializes with a format version; prediction runs on a sparse linear
//! scorer compiled from the fitted classifier, touching only a paragraph's
//! non-zero terms.

pub(crate) mod document_prior;
pub(crate) mod linear;
pub mod persist;
pub(crate) mod predict;
pub(crate) mod sparse_logistic;
pub(crate) mod stored_nb;
pub(crate) mod train;
pub(crate) mod validate;

use serde::{Deserialize, Serialize};

pub use document_prior::DocumentPrior;
pub use linear::LinearScorer;
pub use predict::{PredictScratch, Prediction, Predictor};
pub use train::{assign_folds_by, fit, ClassifierKind, Example, TrainParams};

use crate::codebook::Codebook;
use crate::text::Vectorizer;
use crate::themes::Theme;

/// Bumped whenever the model file layout changes; other versions are refused.
/// 3 added the document prior: older builds must not read a model whose labels
/// depend on it. 4 added the sparse logistic regression. 5 added the codebook
/// (older files are read with the bundled one, the only one they could use).
pub const FORMAT_VERSION: u32 = 5;
/// The first version that carries its codebook.
pub const CODEBOOK_FORMAT_VERSION: u32 = 5;
/// The oldest version still read: 2 differs only in having no document prior.
pub const OLDEST_FORMAT_VERSION: u32 = 2;

/// The fitted classifier, stored as the library that fitted it keeps it.
///
/// Externally tagged on purpose: internally tagged enums buffer their content,
/// which breaks linfa-bayes' integer-keyed class map on reading.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Classifier {
    /// linfa-bayes `MultinomialNb`, classes are indices into [`Model::themes`].
    MultinomialNb {
        /// Stored as its counts; see [`stored_nb`].
        nb: stored_nb::StoredNb,
        /// Uniform priors instead of class frequencies (class weighting).
        uniform_prior: bool,
    },
    /// Complement naive Bayes weights (Rennie et al. 2003), `n_features × n_classes`.
    ComplementNb { weights: ndarray::Array2<f64> },
    /// linfa-logistic multinomial logistic regression.
    Logistic {
        lr: linfa_logistic::MultiFittedLogisticRegression<f64, usize>,
    },
    /// Multinomial logistic regression fitted on sparse rows
    /// ([`sparse_logistic`]): `n_features × n_classes` weights and one
    /// intercept per class.
    SparseLogistic {
        weights: ndarray::Array2<f64>,
        bias: Vec<f64>,
    },
}

/// What a model was made from, so a result can be traced back.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Provenance {
    pub tool_version: String,
    /// SHA-256 of the user dictionary and stop words.
    pub dictionary_hash: String,
    /// SHA-256 of the label files (names and bytes).
    pub labels_hash: String,
    pub label_files: Vec<String>,
    /// SHA-256 of each label file's bytes, in `label_files` order, so `eval`
    /// can tell a test file that was trained on, renamed or not (absent
    /// from models trained before it was recorded).
    #[serde(default)]
    pub label_file_hashes: Vec<String>,
    pub n_train: usize,
    pub params: TrainParams,
}

/// A trained model: plain data.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Model {
    pub format_version: u32,
    /// Classes in scorer column order (themes present in the training labels),
    /// as indices into `codebook`; the file stores them as `theme_ids`.
    #[serde(skip)]
    pub themes: Vec<Theme>,
    /// `themes` as the codebook's ids, as the file stores them.
    #[serde(rename = "themes")]
    pub theme_ids: Vec<String>,
    pub vectorizer: Vectorizer,
    pub classifier: Classifier,
    /// The tokenizer's user dictionary and stop words, so the model is self-contained.
    pub user_dict: String,
    pub stop_words: String,
    /// Temperature applied to the scores before softmax, fitted for calibration (1 = none).
    pub temperature: f64,
    /// Adapts each document's probabilities to its own theme mix (`None` in
    /// version-2 files and for `train --document-prior off`).
    #[serde(default)]
    pub document_prior: Option<DocumentPrior>,
    pub provenance: Provenance,
    /// The codebook the labels were made with: what the model's themes mean.
    /// Empty when read from a file older than version 5 until
    /// [`persist`] puts the bundled one in.
    #[serde(default = "Codebook::missing")]
    pub codebook: Codebook,
}
