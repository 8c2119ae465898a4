//! Fitting: tokenize, fit TF-IDF, optionally select features, fit the classifier.

use linfa::prelude::*;
use linfa::DatasetBase;
use linfa_bayes::{MultinomialNb, MultinomialNbParams};
use linfa_logistic::MultiLogisticRegression;
use ndarray::{Array1, Array2};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::document_prior::DocumentPrior;
use super::linear::LinearScorer;
use super::stored_nb::StoredNb;
use super::{Classifier, Model, Provenance, FORMAT_VERSION};
use crate::codebook::Codebook;
use crate::error::{Error, Result};
use crate::text::tfidf::Scratch;
use crate::text::{FeatureConfig, SparseVec, Tokenizer, Vectorizer};
use crate::themes::Theme;

/// Which classifier to fit, with its hyper-parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ClassifierKind {
    /// linfa-bayes MultinomialNb with additive smoothing `alpha`.
    MultinomialNb { alpha: f64 },
    /// Complement naive Bayes with smoothing `alpha`, weights normalised per class.
    ComplementNb { alpha: f64 },
    /// linfa-logistic multinomial logistic regression with L2 penalty `alpha`.
    Logistic { alpha: f64, max_iterations: u64 },
    /// Multinomial logistic regression on the sparse rows with L2 penalty
    /// `alpha` (linfa-logistic's loss), class-weighted when `balanced`.
    SparseLogistic { alpha: f64, max_iterations: u64 },
}

/// L-BFGS iterations allowed to the sparse logistic regression; it stops at
/// 40–60 on the bundled labels.
pub const SPARSE_LOGISTIC_MAX_ITERATIONS: u64 = 500;

/// Everything that decides how a model is fitted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainParams {
    pub classifier: ClassifierKind,
    pub features: FeatureConfig,
    /// Keep only the `k` features with the highest chi-square score against the themes.
    pub chi2_features: Option<usize>,
    /// Weigh classes equally (uniform priors for naive Bayes).
    pub balanced: bool,
    /// Rows per dense batch when fitting naive Bayes (bounds training memory).
    pub batch_rows: usize,
    /// Fit a softmax temperature on out-of-fold scores (folds grouped by document)
    /// so that confidence means what it says.
    pub calibrate: bool,
    /// Fit a theme prior on each document's own paragraphs when labelling,
    /// with this pseudo-count per theme (a fraction of the document's
    /// characters); `None` labels every paragraph on its own. See
    /// [`super::document_prior`]. Absent from models trained before it existed.
    #[serde(default)]
    pub document_prior: Option<f64>,
}

impl Default for TrainParams {
    /// The default chosen by grouped cross-validation (README, "Model"):
    /// sparse logistic regression, L2 penalty 0.03, themes weighed equally,
    /// character bigrams without jieba's words (labelling never runs jieba),
    /// calibrated, each paragraph labelled on its own (no document prior).
    fn default() -> Self {
        TrainParams {
            classifier: ClassifierKind::SparseLogistic {
                alpha: 0.03,
                max_iterations: SPARSE_LOGISTIC_MAX_ITERATIONS,
            },
            features: FeatureConfig {
                words: false,
                char_bigrams: true,
                ..FeatureConfig::default()
            },
            chi2_features: None,
            balanced: true,
            batch_rows: 256,
            calibrate: true,
            document_prior: None,
        }
    }
}

impl TrainParams {
    /// The alpha of the classifier, whatever its kind.
    pub fn alpha(&self) -> f64 {
        match self.classifier {
            ClassifierKind::MultinomialNb { alpha }
            | ClassifierKind::ComplementNb { alpha }
            | ClassifierKind::Logistic { alpha, .. }
            | ClassifierKind::SparseLogistic { alpha, .. } => alpha,
        }
    }

    /// Why these parameters cannot fit a usable model, naming the flag that
    /// sets them; checked before any work, since a zero or NaN smoothing,
    /// say, fits a model whose every score is NaN.
    pub fn validate(&self) -> Result<()> {
        let bad = |m: String| Err(Error::Other(m));
        let alpha = self.alpha();
        if !(alpha.is_finite() && alpha > 0.0 && alpha <= super::validate::MAX_MAGNITUDE) {
            return bad(format!(
                "--alpha must be a positive number up to {}, got {alpha}",
                super::validate::MAX_MAGNITUDE
            ));
        }
        if let ClassifierKind::Logistic { max_iterations, .. }
        | ClassifierKind::SparseLogistic { max_iterations, .. } = self.classifier
        {
            if max_iterations == 0 {
                return bad("logistic regression needs at least one iteration".into());
            }
        }
        let f = &self.features;
        if !(f.words || f.word_bigrams || f.char_bigrams) {
            return bad(
                "no features to train on: --char-bigrams=false turns off the only feature family \
                 in use; add --words or --word-bigrams, or keep --char-bigrams"
                    .into(),
            );
        }
        if self.chi2_features == Some(0) {
            return bad("--chi2 must keep at least 1 term".into());
        }
        if let Some(s) = self.document_prior {
            let max = super::validate::MAX_MAGNITUDE;
            if !(s.is_finite() && s > 0.0 && s <= max) {
                return bad(format!(
                    "--document-prior must be `off` or a positive number up to {max}, got {s}"
                ));
            }
        }
        if self.batch_rows == 0 {
            return bad("naive Bayes batches need at least one row".into());
        }
        Ok(())
    }
}

/// One training paragraph.
#[derive(Debug, Clone)]
pub struct Example {
    pub text: String,
    pub theme: Theme,
    /// The document it comes from: calibration folds never split a document.
    pub group: String,
}

impl Example {
    /// A labelled paragraph as a training example, grouped by its document.
    pub fn of_label(r: &crate::corpus::LabelRow) -> Example {
        Example {
            text: r.text.clone(),
            theme: r.theme,
            group: r.doc_id.clone(),
        }
    }
}

/// Vectorise already tokenized paragraphs with a fitted vectorizer, in
/// parallel, order kept.
pub fn vectorize(vectorizer: &Vectorizer, tokens: &[Vec<&str>], texts: &[&str]) -> Vec<SparseVec> {
    tokens
        .par_iter()
        .zip(texts.par_iter())
        .map_init(Scratch::default, |scratch, (toks, text)| {
            vectorizer.transform(toks, text, scratch)
        })
        .collect()
}

/// Chi-square score of each feature against the classes (as scikit-learn's
/// `chi2` on non-negative features), used to keep the most informative terms.
pub fn chi2_scores(
    rows: &[SparseVec],
    y: &[usize],
    n_classes: usize,
    n_features: usize,
) -> Vec<f64> {
    let mut observed = vec![0.0f64; n_features * n_classes];
    let mut class_count = vec![0.0f64; n_classes];
    let mut feature_total = vec![0.0f64; n_features];
    for (x, &c) in rows.iter().zip(y) {
        class_count[c] += 1.0;
        for (t, v) in x.iter() {
            observed[t * n_classes + c] += f64::from(v);
            feature_total[t] += f64::from(v);
        }
    }
    let n: f64 = class_count.iter().sum();
    (0..n_features)
        .map(|t| {
            (0..n_classes)
                .map(|c| {
                    let expected = feature_total[t] * class_count[c] / n;
                    if expected > 0.0 {
                        let d = observed[t * n_classes + c] - expected;
                        d * d / expected
                    } else {
                        0.0
                    }
                })
                .sum()
        })
        .collect()
}

fn dense(rows: &[SparseVec], n_features: usize) -> Array2<f64> {
    let mut m = Array2::zeros((rows.len(), n_features));
    for (i, x) in rows.iter().enumerate() {
        for (t, v) in x.iter() {
            m[[i, t]] = f64::from(v);
        }
    }
    m
}

/// Fit MultinomialNb in dense batches with `fit_with`: the result equals one
/// `fit` on all rows, while peak memory is bounded by the batch size.
pub fn fit_multinomial_nb(
    rows: &[SparseVec],
    y: &[usize],
    n_features: usize,
    alpha: f64,
    batch_rows: usize,
) -> Result<MultinomialNb<f64, usize>> {
    let params = MultinomialNbParams::new()
        .alpha(alpha)
        .check()
        .map_err(|e| Error::Other(format!("naive Bayes parameters: {e}")))?;
    let mut model: Option<MultinomialNb<f64, usize>> = None;
    for (xs, ys) in rows
        .chunks(batch_rows.max(1))
        .zip(y.chunks(batch_rows.max(1)))
    {
        let ds = DatasetBase::new(dense(xs, n_features), Array1::from(ys.to_vec()));
        model = Some(
            params
                .fit_with(model, &ds)
                .map_err(|e| Error::Other(format!("fitting naive Bayes: {e}")))?,
        );
    }
    model.ok_or_else(|| Error::Other("no training rows".into()))
}

/// Complement NB (Rennie et al. 2003, as scikit-learn's `ComplementNB(norm=True)`):
/// each class is scored by how unlike the *other* classes the paragraph is,
/// which copes better with uneven class sizes than multinomial NB.
pub fn fit_complement_nb(
    rows: &[SparseVec],
    y: &[usize],
    n_classes: usize,
    n_features: usize,
    alpha: f64,
) -> Array2<f64> {
    let mut counts = Array2::<f64>::zeros((n_features, n_classes));
    for (x, &c) in rows.iter().zip(y) {
        for (t, v) in x.iter() {
            counts[[t, c]] += f64::from(v);
        }
    }
    let total: Vec<f64> = counts.rows().into_iter().map(|r| r.sum()).collect();
    let mut w = Array2::<f64>::zeros((n_features, n_classes));
    for c in 0..n_classes {
        let comp: Vec<f64> = (0..n_features)
            .map(|t| total[t] - counts[[t, c]] + alpha)
            .collect();
        let sum: f64 = comp.iter().sum();
        let logs: Vec<f64> = comp.iter().map(|x| (x / sum).ln()).collect();
        let norm: f64 = logs.iter().map(|x| x.abs()).sum();
        for t in 0..n_features {
            // Negated so that a larger score means the class is more likely.
            w[[t, c]] = -logs[t] / norm;
        }
    }
    w
}

/// Per-class log prior and log feature probabilities from a fitted MultinomialNb.
///
/// Read through `class_parameters`, which vendor/linfa-bayes adds (upstream
/// keeps them private; going through serde cost ~20 ms of every model load).
pub fn nb_parameters(
    nb: &MultinomialNb<f64, usize>,
    n_classes: usize,
) -> Result<(Vec<f64>, Array2<f64>)> {
    let n_features = nb
        .class_parameters()
        .map(|(_, _, p)| p.len())
        .next()
        .unwrap_or(0);
    let mut w = Array2::zeros((n_features, n_classes));
    let mut log_prior = vec![f64::NEG_INFINITY; n_classes];
    for (&c, prior, log_prob) in nb.class_parameters() {
        if c >= n_classes || log_prob.len() != n_features {
            return Err(Error::Other("inconsistent naive Bayes parameters".into()));
        }
        log_prior[c] = prior.ln();
        w.column_mut(c).assign(&log_prob);
    }
    Ok((log_prior, w))
}

/// Compile the sparse scorer for a classifier.
pub fn compile(classifier: &Classifier, n_classes: usize) -> Result<LinearScorer> {
    match classifier {
        Classifier::MultinomialNb { nb, uniform_prior } => {
            let (mut prior, w) = nb_parameters(&nb.nb, n_classes)?;
            if *uniform_prior {
                prior.iter_mut().for_each(|p| *p = -(n_classes as f64).ln());
            }
            LinearScorer::new(&w, prior)
        }
        Classifier::ComplementNb { weights } => LinearScorer::new(weights, vec![0.0; n_classes]),
        Classifier::Logistic { lr } => {
            // Columns follow `lr.classes()`, which are our class indices in order.
            let classes = lr.classes();
            let mut w = Array2::zeros((lr.params().nrows(), n_classes));
            let mut b = vec![-1e9; n_classes];
            for (j, &c) in classes.iter().enumerate() {
                w.column_mut(c).assign(&lr.params().column(j));
                b[c] = lr.intercept()[j];
            }
            LinearScorer::new(&w, b)
        }
        Classifier::SparseLogistic { weights, bias } => {
            if weights.ncols() != n_classes {
                return Err(Error::Other(format!(
                    "model is inconsistent: {n_classes} themes, logistic weights for {}",
                    weights.ncols()
                )));
            }
            LinearScorer::new(weights, bias.clone())
        }
    }
}

/// Inputs recorded in the model's provenance.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub labels_hash: String,
    pub label_files: Vec<String>,
    /// SHA-256 of each label file's bytes, in `label_files` order.
    pub label_file_hashes: Vec<String>,
}

/// Fit a model on labelled paragraphs.
pub fn fit(
    examples: &[Example],
    params: &TrainParams,
    tokenizer: &Tokenizer,
    codebook: &Codebook,
    sources: Sources,
) -> Result<Model> {
    params.validate()?;
    if examples.is_empty() {
        return Err(Error::Other("no labelled paragraphs to train on".into()));
    }
    let themes: Vec<Theme> = {
        let mut t: Vec<Theme> = examples.iter().map(|e| e.theme).collect();
        t.sort();
        t.dedup();
        t
    };
    if themes.len() < 2 {
        return Err(Error::Other(
            "training needs paragraphs of at least two themes".into(),
        ));
    }
    if themes.iter().any(|t| t.index() >= codebook.len()) {
        return Err(Error::Other(
            "a training theme is not in the codebook".into(),
        ));
    }
    let y: Vec<usize> = examples
        .iter()
        .map(|e| themes.binary_search(&e.theme).unwrap_or(0))
        .collect();
    let texts: Vec<&str> = examples.iter().map(|e| e.text.as_str()).collect();
    let tokens: Vec<Vec<&str>> = if params.features.uses_words() {
        texts.par_iter().map(|t| tokenizer.tokens(t)).collect()
    } else {
        vec![Vec::new(); texts.len()]
    };
    let mut vectorizer = Vectorizer::fit(
        params.features,
        tokens.iter().zip(&texts).map(|(t, s)| (t.as_slice(), *s)),
    );
    // Tokenize once: fitting the vocabulary and vectorizing use the same tokens.
    let mut rows = vectorize(&vectorizer, &tokens, &texts);
    if let Some(k) = params
        .chi2_features
        .filter(|&k| k < vectorizer.n_features())
    {
        let scores = chi2_scores(&rows, &y, themes.len(), vectorizer.n_features());
        let mut order: Vec<usize> = (0..scores.len()).collect();
        order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
        let mut keep: Vec<usize> = order[..k].to_vec();
        keep.sort_unstable();
        vectorizer = Vectorizer::from_parts(
            vectorizer.config,
            keep.iter().map(|&i| vectorizer.terms[i].clone()).collect(),
            keep.iter().map(|&i| vectorizer.idf[i]).collect(),
        );
        rows = vectorize(&vectorizer, &tokens, &texts);
    }
    let n_features = vectorizer.n_features();
    if n_features == 0 {
        return Err(Error::Other(format!(
            "no features: no term occurs in {} or more training paragraphs (--min-df); \
             too few labels?",
            params.features.min_df.max(1)
        )));
    }
    let classifier = match params.classifier {
        ClassifierKind::MultinomialNb { alpha } => Classifier::MultinomialNb {
            nb: StoredNb {
                alpha,
                nb: fit_multinomial_nb(&rows, &y, n_features, alpha, params.batch_rows)?,
            },
            uniform_prior: params.balanced,
        },
        ClassifierKind::ComplementNb { alpha } => Classifier::ComplementNb {
            weights: fit_complement_nb(&rows, &y, themes.len(), n_features, alpha),
        },
        ClassifierKind::Logistic {
            alpha,
            max_iterations,
        } => {
            let ds = DatasetBase::new(dense(&rows, n_features), Array1::from(y.clone()));
            let lr = MultiLogisticRegression::default()
                .alpha(alpha)
                .max_iterations(max_iterations)
                .fit(&ds)
                .map_err(|e| Error::Other(format!("fitting logistic regression: {e}")))?;
            Classifier::Logistic { lr }
        }
        ClassifierKind::SparseLogistic {
            alpha,
            max_iterations,
        } => {
            let f = super::sparse_logistic::fit(
                &rows,
                &y,
                themes.len(),
                n_features,
                alpha,
                params.balanced,
                max_iterations,
            )?;
            Classifier::SparseLogistic {
                weights: f.weights,
                bias: f.bias,
            }
        }
    };
    // The prior the classifier's probabilities carry: uniform for balanced
    // naive Bayes and for complement NB (which has none), the label
    // frequencies for the rest.
    let uniform = match params.classifier {
        ClassifierKind::MultinomialNb { .. } => params.balanced,
        ClassifierKind::ComplementNb { .. } => true,
        ClassifierKind::Logistic { .. } => false,
        ClassifierKind::SparseLogistic { .. } => params.balanced,
    };
    let document_prior = params.document_prior.map(|strength| {
        let trained: Vec<Theme> = examples.iter().map(|e| e.theme).collect();
        DocumentPrior::fitted(strength, &themes, &trained, uniform)
    });
    let mut model = Model {
        format_version: FORMAT_VERSION,
        theme_ids: themes.iter().map(|&t| codebook.id(t).to_string()).collect(),
        themes,
        vectorizer,
        classifier,
        user_dict: String::new(),
        stop_words: String::new(),
        temperature: 1.0,
        document_prior,
        provenance: Provenance {
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            dictionary_hash: tokenizer.dictionary_hash().to_string(),
            labels_hash: sources.labels_hash,
            label_files: sources.label_files,
            label_file_hashes: sources.label_file_hashes,
            n_train: examples.len(),
            params: params.clone(),
        },
        codebook: codebook.clone(),
    };
    let (d, s) = tokenizer.sources();
    model.user_dict = d.to_string();
    model.stop_words = s.to_string();
    if params.calibrate {
        if let Some(t) = fit_temperature(examples, params, tokenizer, codebook)? {
            model.temperature = t;
        }
    }
    Ok(model)
}

/// Assign groups to `k` folds: largest first, each to the fold with the fewest
/// items so far (ties to the lower fold). Deterministic; never splits a group.
pub fn assign_folds_by<S: AsRef<str>>(groups: &[S], k: usize) -> Vec<usize> {
    let mut sizes: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for g in groups {
        *sizes.entry(g.as_ref()).or_default() += 1;
    }
    let k = k.clamp(1, sizes.len().max(1));
    let mut order: Vec<(&str, usize)> = sizes.into_iter().collect();
    order.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut load = vec![0usize; k];
    let mut fold_of = std::collections::BTreeMap::new();
    for (g, n) in order {
        let f = (0..k).min_by_key(|&f| (load[f], f)).unwrap_or(0);
        load[f] += n;
        fold_of.insert(g, f);
    }
    groups
        .iter()
        .map(|g| fold_of.get(g.as_ref()).copied().unwrap_or(0))
        .collect()
}

/// Out-of-fold raw scores over a fold model's classes, with the index of the gold class.
type FoldScores = Vec<(Vec<f64>, usize)>;

/// The softmax temperature minimising the negative log-likelihood of
/// out-of-fold scores (5 folds grouped by document). `None` when there are too
/// few documents to hold any out.
pub fn fit_temperature(
    examples: &[Example],
    params: &TrainParams,
    tokenizer: &Tokenizer,
    codebook: &Codebook,
) -> Result<Option<f64>> {
    let groups: Vec<&str> = examples.iter().map(|e| e.group.as_str()).collect();
    let folds = assign_folds_by(&groups, 5);
    let k = folds.iter().copied().max().map_or(0, |m| m + 1);
    if k < 3 {
        return Ok(None);
    }
    let inner = TrainParams {
        calibrate: false,
        ..params.clone()
    };
    // (raw scores over the fold model's classes, index of the gold class among
    // them). Folds are fitted in parallel: calibration is most of training time.
    let per_fold: Vec<Result<FoldScores>> = (0..k)
        .into_par_iter()
        .map(|f| {
            let train: Vec<Example> = examples
                .iter()
                .zip(&folds)
                .filter(|(_, &g)| g != f)
                .map(|(e, _)| e.clone())
                .collect();
            let model = fit(&train, &inner, tokenizer, codebook, Sources::default())?;
            // Score with the caller's tokenizer: a Predictor would rebuild
            // it (jieba's dictionary, ~20 ms) for every fold.
            let scorer = compile(&model.classifier, model.themes.len())?;
            let mut scratch = Scratch::default();
            let mut toks = Vec::new();
            Ok(examples
                .iter()
                .zip(&folds)
                .filter(|(_, &g)| g == f)
                .filter_map(|(e, _)| {
                    let gold = model.themes.iter().position(|t| *t == e.theme)?;
                    if model.vectorizer.config.uses_words() {
                        tokenizer.tokens_into(&e.text, &mut toks);
                    }
                    let x = model.vectorizer.transform(&toks, &e.text, &mut scratch);
                    let mut out = Vec::new();
                    scorer.scores_into(&x, &mut out);
                    Some((out, gold))
                })
                .collect())
        })
        .collect();
    let mut scored: FoldScores = Vec::new();
    for fold in per_fold {
        scored.extend(fold?);
    }
    if scored.is_empty() {
        return Ok(None);
    }
    let nll = |t: f64| -> f64 {
        scored
            .iter()
            .map(|(s, g)| {
                let mut v = s.clone();
                super::linear::log_softmax(&mut v, t);
                -v[*g]
            })
            .sum()
    };
    // Log-spaced grid from 1e-8 to 100 (complement NB scores are tiny), then a
    // finer grid around the best point.
    let grid = |lo: f64, hi: f64, n: usize| -> (f64, f64) {
        (0..=n)
            .map(|i| (lo.ln() + (hi.ln() - lo.ln()) * i as f64 / n as f64).exp())
            .map(|t| (t, nll(t)))
            .fold(
                (1.0, f64::INFINITY),
                |best, (t, l)| if l < best.1 { (t, l) } else { best },
            )
    };
    let (t0, _) = grid(1e-8, 100.0, 200);
    let (t, _) = grid(t0 / 1.15, t0 * 1.15, 20);
    Ok(Some(t))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::linear::log_softmax;
    use linfa_bayes::NaiveBayes;

    /// Deterministic pseudo-random sparse rows with 4 classes.
    fn data(n: usize, d: usize) -> (Vec<SparseVec>, Vec<usize>) {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut rows = Vec::new();
        let mut y = Vec::new();
        for i in 0..n {
            let c = i % 4;
            let mut idx: Vec<u32> = (0..6).map(|_| (next() % d as u64) as u32).collect();
            // Class-typical terms make the classes learnable.
            idx.push((c * 3) as u32);
            idx.sort_unstable();
            idx.dedup();
            let val = idx
                .iter()
                .map(|_| (next() % 1000) as f32 / 1000.0 + 0.01)
                .collect();
            rows.push(SparseVec { idx, val });
            y.push(c);
        }
        (rows, y)
    }

    #[test]
    fn sparse_scorer_equals_linfa_nb_log_proba_and_batches_equal_one_fit() {
        let (rows, y) = data(300, 40);
        let nb = fit_multinomial_nb(&rows, &y, 40, 0.1, 64).unwrap();
        let whole = fit_multinomial_nb(&rows, &y, 40, 0.1, 10_000).unwrap();
        let scorer = compile(
            &Classifier::MultinomialNb {
                nb: StoredNb {
                    alpha: 0.1,
                    nb: nb.clone(),
                },
                uniform_prior: false,
            },
            4,
        )
        .unwrap();
        let x = dense(&rows, 40);
        let (linfa_lp, classes) = nb.predict_log_proba(x.view());
        assert_eq!(classes, vec![&0, &1, &2, &3]);
        let (whole_lp, _) = whole.predict_log_proba(x.view());
        let mut out = Vec::new();
        for (i, r) in rows.iter().enumerate() {
            scorer.scores_into(r, &mut out);
            log_softmax(&mut out, 1.0);
            for c in 0..4 {
                // f32 weights: agree to 1e-4 in log-probability.
                assert!(
                    (out[c] - linfa_lp[[i, c]]).abs() < 1e-4,
                    "{} vs {}",
                    out[c],
                    linfa_lp[[i, c]]
                );
                assert!((linfa_lp[[i, c]] - whole_lp[[i, c]]).abs() < 1e-9);
            }
        }
    }

    #[test]
    fn sparse_scorer_equals_linfa_logistic_probabilities() {
        let (rows, y) = data(200, 30);
        let ds = DatasetBase::new(dense(&rows, 30), Array1::from(y.clone()));
        let lr = MultiLogisticRegression::default()
            .alpha(0.01)
            .max_iterations(50)
            .fit(&ds)
            .unwrap();
        let probs = lr.predict_probabilities(&dense(&rows, 30));
        let scorer = compile(&Classifier::Logistic { lr }, 4).unwrap();
        let mut out = Vec::new();
        for (i, r) in rows.iter().enumerate() {
            scorer.scores_into(r, &mut out);
            log_softmax(&mut out, 1.0);
            for c in 0..4 {
                assert!((out[c].exp() - probs[[i, c]]).abs() < 1e-4);
            }
        }
    }

    #[test]
    fn sparse_scorer_equals_the_sparse_logistic_fit() {
        let (rows, y) = data(200, 30);
        let f = super::super::sparse_logistic::fit(&rows, &y, 4, 30, 0.1, true, 200).unwrap();
        let scorer = compile(
            &Classifier::SparseLogistic {
                weights: f.weights.clone(),
                bias: f.bias.clone(),
            },
            4,
        )
        .unwrap();
        let mut out = Vec::new();
        for r in &rows {
            scorer.scores_into(r, &mut out);
            for (c, &scored) in out.iter().enumerate() {
                let z = f.bias[c]
                    + r.iter()
                        .map(|(t, v)| f64::from(v) * f.weights[[t, c]])
                        .sum::<f64>();
                // f32 weights in the scorer.
                assert!((scored - z).abs() < 1e-4, "{scored} vs {z}");
            }
        }
    }

    #[test]
    fn chi2_ranks_the_class_typical_term_first() {
        let (rows, y) = data(400, 40);
        let s = chi2_scores(&rows, &y, 4, 40);
        let best = (0..40).max_by(|&a, &b| s[a].total_cmp(&s[b])).unwrap();
        assert!([0, 3, 6, 9].contains(&best), "{best}");
    }

    #[test]
    fn temperature_is_fitted_and_folds_keep_groups_whole() {
        let f = assign_folds_by(&["a", "b", "a", "c", "d", "b"], 3);
        assert_eq!(f[0], f[2]);
        assert_eq!(f[1], f[5]);
        let mut ex = Vec::new();
        let texts = [
            (Theme::Rural, "乡村振兴 高标准农田 粮食安全 农业产业"),
            (Theme::Investment, "招商引资 签约项目 到位资金 外资外贸"),
            (Theme::Ecology, "污染防治 蓝天保卫战 生态修复 碳达峰"),
        ];
        for d in 0..6 {
            for (t, s) in texts {
                ex.push(Example {
                    text: format!("{s} 第{d}份报告"),
                    theme: t,
                    group: format!("doc{d}"),
                });
            }
        }
        let cb = crate::codebook::Codebook::bundled().unwrap();
        let t = fit_temperature(&ex, &TrainParams::default(), &Tokenizer::bundled(), &cb)
            .unwrap()
            .unwrap();
        assert!(t > 0.0 && t.is_finite());
    }
}
