//! Prediction with a loaded model.

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;

use super::linear::{log_softmax, LinearScorer};
use super::train::compile;
use super::{persist, Model};
use crate::error::{Error, Result};
use crate::text::tfidf::Scratch;
use crate::text::{SparseVec, Tokenizer};
use crate::themes::Theme;

/// Probabilities for one paragraph.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// Probability per theme of the model's codebook, in codebook order (0
    /// for themes the model never saw).
    pub probs: Vec<f64>,
}

impl Prediction {
    /// Themes ranked by probability, highest first (ties: codebook order).
    pub fn ranked(&self) -> Vec<(Theme, f64)> {
        let mut r: Vec<(Theme, f64)> = self
            .probs
            .iter()
            .enumerate()
            .map(|(i, &p)| (Theme::from_index(i), p))
            .collect();
        r.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        r
    }

    /// The first of [`Prediction::ranked`], without sorting.
    pub fn top(&self) -> (Theme, f64) {
        let mut best = (Theme::from_index(0), f64::NEG_INFINITY);
        for (i, &p) in self.probs.iter().enumerate() {
            if i == 0 || p.total_cmp(&best.1).is_gt() {
                best = (Theme::from_index(i), p);
            }
        }
        best
    }
}

/// A model ready to label text: tokenizer and sparse scorer built once.
pub struct Predictor {
    pub model: Model,
    /// jieba with the model's user dictionary and stop words; `None` for a
    /// model that reads no words, which never needs it.
    tokenizer: Option<Tokenizer>,
    pub scorer: LinearScorer,
    /// Every vocabulary term is a content word and no feature depends on
    /// which words sit next to each other, so looking jieba's words up in the
    /// vocabulary directly counts exactly what the content-word filter would
    /// have passed, without running the filter.
    skip_word_filter: bool,
}

/// Per-thread buffers for [`Predictor::predict_with`].
#[derive(Default)]
pub struct PredictScratch {
    tfidf: Scratch,
    scores: Vec<f64>,
}

impl Predictor {
    /// Build the tokenizer and compile the scorer. jieba's dictionary (~15 ms
    /// to restore) is built only for a model that reads words: the default
    /// model does not.
    pub fn new(model: Model) -> Result<Predictor> {
        // Building the tokenizer and compiling the scorer are independent:
        // do them at the same time.
        let uses_words = model.vectorizer.config.uses_words();
        let (tokenizer, scorer) = std::thread::scope(|s| {
            let tok = s.spawn(|| {
                uses_words
                    .then(|| Tokenizer::with_dictionary(&model.user_dict, &model.stop_words))
                    .transpose()
            });
            let scorer = compile(&model.classifier, model.themes.len());
            let tokenizer = tok
                .join()
                .unwrap_or_else(|_| Err(Error::Other("tokenizer construction failed".into())));
            (tokenizer, scorer)
        });
        let (tokenizer, scorer) = (tokenizer?, scorer?);
        if scorer.n_features() != model.vectorizer.n_features() {
            return Err(Error::Other(format!(
                "model is inconsistent: classifier has {} features, vocabulary {}",
                scorer.n_features(),
                model.vectorizer.n_features()
            )));
        }
        let skip_word_filter = tokenizer.as_ref().is_some_and(|tokenizer| {
            !model.vectorizer.config.word_bigrams
                && model
                    .vectorizer
                    .terms
                    .iter()
                    .all(|t| tokenizer.is_content_word(t))
        });
        Ok(Predictor {
            model,
            tokenizer,
            scorer,
            skip_word_filter,
        })
    }

    /// Read a model file and build its predictor; for the default model the
    /// parse is most of it (~8 ms).
    pub fn load(path: &Path) -> Result<Predictor> {
        // A model that parses but does not fit together (themes, weights and
        // vocabulary of different sizes) is a bad file too: name it.
        Predictor::new(persist::load(path)?).map_err(|e| match e {
            Error::Other(message) => Error::Model {
                path: path.to_path_buf(),
                message,
            },
            other => other,
        })
    }

    /// The codebook the model's themes belong to.
    pub fn codebook(&self) -> &crate::codebook::Codebook {
        &self.model.codebook
    }

    /// The tokenizer, for a model that reads words.
    pub fn tokenizer(&self) -> Option<&Tokenizer> {
        self.tokenizer.as_ref()
    }

    /// TF-IDF vector of a paragraph.
    pub fn vectorize(&self, text: &str, scratch: &mut PredictScratch) -> SparseVec {
        let mut toks = Vec::new();
        match &self.tokenizer {
            // A model that reads no words has no tokenizer.
            None => {}
            Some(t) if self.skip_word_filter => t.words_into(text, &mut toks),
            Some(t) => t.tokens_into(text, &mut toks),
        }
        self.model
            .vectorizer
            .transform(&toks, text, &mut scratch.tfidf)
    }

    /// Term occurrences of `text` in the model's vocabulary, and all of them
    /// (see [`crate::text::tfidf::Vectorizer::coverage`]).
    pub fn coverage(&self, text: &str) -> (usize, usize) {
        let mut toks = Vec::new();
        if let Some(t) = &self.tokenizer {
            t.tokens_into(text, &mut toks);
        }
        self.model.vectorizer.coverage(&toks, text)
    }

    /// Whether [`Predictor::vectorize`] skips the content-word filter (see the field).
    pub fn skips_word_filter(&self) -> bool {
        self.skip_word_filter
    }

    /// Log-probabilities over the model's classes (`model.themes` order).
    pub fn log_proba(&self, x: &SparseVec, scratch: &mut PredictScratch) -> Vec<f64> {
        self.scorer.scores_into(x, &mut scratch.scores);
        let mut s = scratch.scores.clone();
        log_softmax(&mut s, self.model.temperature);
        s
    }

    /// One paragraph on its own. The model's document prior needs the rest of
    /// the document: label a document with [`Predictor::predict_document`]
    /// (several with [`Predictor::predict_documents`]) to get what `label` gives.
    pub fn predict_with(&self, text: &str, scratch: &mut PredictScratch) -> Prediction {
        let x = self.vectorize(text, scratch);
        let lp = self.log_proba(&x, scratch);
        let mut probs = vec![0.0; self.model.codebook.len()];
        for (t, l) in self.model.themes.iter().zip(lp) {
            probs[t.index()] = l.exp();
        }
        Prediction { probs }
    }

    /// [`Predictor::predict_with`] with fresh buffers.
    pub fn predict(&self, text: &str) -> Prediction {
        self.predict_with(text, &mut PredictScratch::default())
    }

    /// Apply the model's document prior, if it has one, to the predictions
    /// of one document's paragraphs (`texts`, any order).
    pub fn adapt_to_document<S: AsRef<str>>(&self, preds: &mut [Prediction], texts: &[S]) {
        if let Some(prior) = &self.model.document_prior {
            let weights: Vec<f64> = texts
                .iter()
                .map(|t| t.as_ref().chars().count() as f64)
                .collect();
            prior.apply(&self.model.themes, preds, &weights);
        }
    }

    /// Predict one document's paragraphs, in parallel, order kept, with the
    /// model's document prior applied: what `label` gives.
    pub fn predict_document<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Vec<Prediction> {
        let mut preds: Vec<Prediction> = texts
            .par_iter()
            .map_init(PredictScratch::default, |s, t| {
                self.predict_with(t.as_ref(), s)
            })
            .collect();
        self.adapt_to_document(&mut preds, texts);
        preds
    }

    /// Predict paragraphs of one or more documents, order kept: `doc_of[i]`
    /// names paragraph `i`'s document, so [`Predictor::predict_document`] sees
    /// each document whole wherever its paragraphs are. Documents are
    /// predicted in parallel, and so are their paragraphs.
    pub fn predict_documents<S, D>(&self, texts: &[S], doc_of: &[D]) -> Vec<Prediction>
    where
        S: AsRef<str> + Sync,
        D: Eq + std::hash::Hash + Sync,
    {
        assert_eq!(
            texts.len(),
            doc_of.len(),
            "predict_documents: one document key per text"
        );
        let mut members: HashMap<&D, Vec<usize>> = HashMap::new();
        for (i, d) in doc_of.iter().enumerate() {
            members.entry(d).or_default().push(i);
        }
        let documents: Vec<Vec<usize>> = members.into_values().collect();
        let predicted: Vec<Vec<Prediction>> = documents
            .par_iter()
            .map(|idx| {
                let doc_texts: Vec<&str> = idx.iter().map(|&i| texts[i].as_ref()).collect();
                self.predict_document(&doc_texts)
            })
            .collect();
        // Every paragraph is in exactly one document, so every slot is filled.
        let mut preds = vec![Prediction { probs: Vec::new() }; texts.len()];
        for (idx, doc) in documents.iter().zip(predicted) {
            for (&i, p) in idx.iter().zip(doc) {
                preds[i] = p;
            }
        }
        preds
    }

    /// The terms of a paragraph that push it most towards `theme`, with their
    /// contribution relative to the average over the model's classes.
    pub fn explain(&self, text: &str, theme: Theme, top: usize) -> Vec<(String, f64)> {
        let Some(c) = self.model.themes.iter().position(|t| *t == theme) else {
            return Vec::new();
        };
        let x = self.vectorize(text, &mut PredictScratch::default());
        let n = self.scorer.n_classes() as f64;
        let mut contrib: Vec<(String, f64)> = x
            .iter()
            .map(|(t, v)| {
                let mean: f64 = (0..self.scorer.n_classes())
                    .map(|k| f64::from(self.scorer.weight(t, k)))
                    .sum::<f64>()
                    / n;
                let w = f64::from(self.scorer.weight(t, c)) - mean;
                (self.model.vectorizer.terms[t].clone(), f64::from(v) * w)
            })
            .filter(|(_, s)| *s > 0.0)
            .collect();
        contrib.sort_by(|a, b| b.1.total_cmp(&a.1));
        contrib.truncate(top);
        contrib
    }

    /// Terms that weigh most for a theme in the model as a whole.
    pub fn top_terms(&self, theme: Theme, top: usize) -> Vec<(String, f64)> {
        let Some(c) = self.model.themes.iter().position(|t| *t == theme) else {
            return Vec::new();
        };
        let n = self.scorer.n_classes() as f64;
        let mut w: Vec<(usize, f64)> = (0..self.scorer.n_features())
            .map(|t| {
                let mean: f64 = (0..self.scorer.n_classes())
                    .map(|k| f64::from(self.scorer.weight(t, k)))
                    .sum::<f64>()
                    / n;
                // Weight relative to other classes, scaled by idf: what a typical occurrence adds.
                let rel = f64::from(self.scorer.weight(t, c)) - mean;
                (t, rel * f64::from(self.model.vectorizer.idf[t]))
            })
            .collect();
        w.sort_by(|a, b| b.1.total_cmp(&a.1));
        w.into_iter()
            .take(top)
            .map(|(t, s)| (self.model.vectorizer.terms[t].clone(), s))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::train::{fit, Example, Sources, TrainParams};

    fn examples() -> Vec<Example> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let set = crate::labelling::labels::LabelSet::read_strict(
            &root.join("labels"),
            &crate::codebook::Codebook::bundled().unwrap(),
        )
        .unwrap();
        set.rows
            .into_iter()
            .map(|r| Example {
                text: r.text,
                theme: r.theme,
                group: r.doc_id,
            })
            .collect()
    }

    #[test]
    fn skipping_the_word_filter_gives_the_same_vectors() {
        let ex = examples();
        let tok = Tokenizer::bundled();
        let mut words = TrainParams::default();
        words.features.words = true;
        let cb = crate::codebook::Codebook::bundled().unwrap();
        let model = fit(&ex, &words, &tok, &cb, Sources::default()).unwrap();
        let mut p = Predictor::new(model).unwrap();
        assert!(p.tokenizer().is_some());
        assert!(p.skips_word_filter());
        let mut s = PredictScratch::default();
        let fast: Vec<SparseVec> = ex.iter().map(|e| p.vectorize(&e.text, &mut s)).collect();
        p.skip_word_filter = false;
        for (e, f) in ex.iter().zip(&fast) {
            assert_eq!(&p.vectorize(&e.text, &mut s), f, "{}", e.text);
        }
        // Word bigrams depend on which words are dropped: never skipped.
        let mut params = words;
        params.features.word_bigrams = true;
        params.calibrate = false;
        let model = fit(&ex[..300], &params, &tok, &cb, Sources::default()).unwrap();
        assert!(!Predictor::new(model).unwrap().skips_word_filter());
    }

    #[test]
    fn a_character_bigram_model_reads_no_words() {
        let ex = examples();
        let tok = Tokenizer::bundled();
        let params = TrainParams {
            calibrate: false,
            ..TrainParams::default()
        };
        assert!(!params.features.uses_words());
        let cb = crate::codebook::Codebook::bundled().unwrap();
        let model = fit(&ex, &params, &tok, &cb, Sources::default()).unwrap();
        assert!(model.vectorizer.terms.iter().all(|t| t.starts_with('#')));
        let p = Predictor::new(model).unwrap();
        assert!(
            p.tokenizer().is_none(),
            "no jieba for a model without words"
        );
        let mut s = PredictScratch::default();
        let mut t = crate::text::tfidf::Scratch::default();
        for e in &ex {
            let no_words = p.model.vectorizer.transform(&[], &e.text, &mut t);
            assert_eq!(p.vectorize(&e.text, &mut s), no_words, "{}", e.text);
        }
    }
}
