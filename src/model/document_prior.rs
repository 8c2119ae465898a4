//! A theme prior per document, fitted by EM on the document's own paragraphs.
//!
//! A classifier's probabilities carry the prior it was trained with (uniform
//! for the default, balanced model). A single report is not uniform: a
//! science plan is mostly `innovation`, a county report has little
//! `investment`. Saerens, Latinne & Decaestecker (2002, "Adjusting the outputs
//! of a classifier to new a priori probabilities") re-estimate the prior of a
//! new set of items by EM: reweight each item's probabilities by the ratio of
//! the new prior to the training prior, take the new prior as the mean of the
//! reweighted probabilities, repeat until it settles. Here the set is one
//! document, the mean is weighted by characters (as the shares are), and a
//! pseudo-count of `strength × the document's characters` per theme keeps
//! short documents from collapsing onto one theme.
//!
//! Grouped cross-validation chose it (README, "Model"): macro-F1 and share
//! error improve both by document and by region. Every paragraph's label then
//! depends on the rest of its document, but not on their order.

use serde::{Deserialize, Serialize};

use super::Prediction;
use crate::themes::Theme;

/// EM stops when no theme's prior moves by more than this.
const TOLERANCE: f64 = 1e-9;
/// And at the latest after this many rounds (the corpus's documents need 4–25).
const MAX_ROUNDS: usize = 1000;

/// How a model adapts its probabilities to each document: plain data, stored in the model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentPrior {
    /// Pseudo-count per theme, as a fraction of the document's characters.
    pub strength: f64,
    /// The prior the classifier's probabilities already carry, in
    /// `Model::themes` order (uniform for a balanced model).
    pub base: Vec<f64>,
}

impl DocumentPrior {
    /// The prior for a model trained on `themes` (one entry per training
    /// paragraph): uniform over `classes` when classes were weighed equally,
    /// else their frequencies.
    pub fn fitted(strength: f64, classes: &[Theme], themes: &[Theme], balanced: bool) -> Self {
        let base = if balanced || themes.is_empty() {
            vec![1.0 / classes.len() as f64; classes.len()]
        } else {
            classes
                .iter()
                .map(|c| themes.iter().filter(|t| *t == c).count() as f64 / themes.len() as f64)
                .collect()
        };
        DocumentPrior { strength, base }
    }

    /// Why a stored prior cannot be used with `n_classes` classes, if it cannot.
    pub fn invalid(&self, n_classes: usize) -> Option<String> {
        // Strength 0 lets a document's own mix take over completely: every
        // paragraph then gets confidence 1.
        let max = super::validate::MAX_MAGNITUDE;
        if !(self.strength.is_finite() && self.strength > 0.0 && self.strength <= max) {
            return Some(format!(
                "document prior strength {} is not a positive number up to {max}",
                self.strength
            ));
        }
        if self.base.len() != n_classes {
            return Some(format!(
                "document prior has {} themes, the model {n_classes}",
                self.base.len()
            ));
        }
        if self
            .base
            .iter()
            .any(|b| !(b.is_finite() && *b > 0.0 && *b <= 1.0))
        {
            return Some(
                "document prior has a theme whose base probability is not in (0, 1]".into(),
            );
        }
        None
    }

    /// Adapt the predictions of one document's paragraphs, in place.
    /// `weights` are the paragraphs' weights (characters); `classes` are the
    /// model's themes, in `base` order.
    pub fn apply(&self, classes: &[Theme], preds: &mut [Prediction], weights: &[f64]) {
        debug_assert_eq!(preds.len(), weights.len());
        debug_assert_eq!(classes.len(), self.base.len());
        let total: f64 = weights.iter().sum();
        let k = classes.len();
        if preds.is_empty() || total <= 0.0 || k == 0 {
            return;
        }
        let idx: Vec<usize> = classes.iter().map(|t| t.index()).collect();
        // The paragraphs' probabilities over the model's classes, row-major.
        let original: Vec<f64> = preds
            .iter()
            .flat_map(|p| idx.iter().map(|&i| p.probs[i]))
            .collect();
        let mut prior = self.base.clone();
        // prior / base: what each class's probability is multiplied by.
        let mut ratio = vec![1.0; k];
        let pseudo = self.strength * total;
        let mut mass = vec![0.0; k];
        for _ in 0..MAX_ROUNDS {
            // The new prior is the weighted mean of the reweighted
            // probabilities; they are not stored, only summed.
            mass.fill(pseudo);
            for (row, w) in original.chunks_exact(k).zip(weights) {
                let sum: f64 = row.iter().zip(&ratio).map(|(o, r)| o * r).sum();
                if sum > 0.0 && sum.is_finite() {
                    let scale = w / sum;
                    for ((m, o), r) in mass.iter_mut().zip(row).zip(&ratio) {
                        *m += o * r * scale;
                    }
                } else {
                    for (m, o) in mass.iter_mut().zip(row) {
                        *m += o * w;
                    }
                }
            }
            let sum: f64 = mass.iter().sum();
            let mut moved = 0.0f64;
            for ((p, m), (r, b)) in prior
                .iter_mut()
                .zip(&mass)
                .zip(ratio.iter_mut().zip(&self.base))
            {
                let new = m / sum;
                moved = moved.max((new - *p).abs());
                *p = new;
                *r = new / b;
            }
            if moved < TOLERANCE {
                break;
            }
        }
        for (p, row) in preds.iter_mut().zip(original.chunks_exact(k)) {
            let sum: f64 = row.iter().zip(&ratio).map(|(o, r)| o * r).sum();
            // A paragraph whose reweighted probabilities vanish keeps its own.
            if sum > 0.0 && sum.is_finite() {
                for ((&i, o), r) in idx.iter().zip(row).zip(&ratio) {
                    p.probs[i] = o * r / sum;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: [Theme; 3] = [Theme::Innovation, Theme::Ecology, Theme::Industry];

    fn pred(p: [f64; 3]) -> Prediction {
        let mut probs = vec![0.0; Theme::BUNDLED];
        for (t, x) in T.iter().zip(p) {
            probs[t.index()] = x;
        }
        Prediction { probs }
    }

    fn uniform(strength: f64) -> DocumentPrior {
        DocumentPrior::fitted(strength, &T, &[], true)
    }

    fn sums_to_one(p: &Prediction) -> bool {
        (p.probs.iter().sum::<f64>() - 1.0).abs() < 1e-12
    }

    #[test]
    fn a_document_mostly_about_one_theme_pulls_its_doubtful_paragraphs_to_it() {
        let mut preds = vec![
            pred([0.9, 0.05, 0.05]),
            pred([0.8, 0.1, 0.1]),
            pred([0.85, 0.1, 0.05]),
            pred([0.4, 0.45, 0.15]),
        ];
        uniform(0.1).apply(&T, &mut preds, &[100.0; 4]);
        assert_eq!(preds[3].top().0, Theme::Innovation, "{:?}", preds[3]);
        assert!(preds[0].probs[Theme::Innovation.index()] > 0.9);
        assert!(preds.iter().all(sums_to_one));
        // Themes the model does not know stay at 0.
        assert_eq!(preds[0].probs[Theme::Poverty.index()], 0.0);
    }

    #[test]
    fn a_strong_paragraph_keeps_its_theme_and_weights_count() {
        // The lone ecology paragraph is sure of itself: it stays ecology.
        let mut preds = vec![
            pred([0.7, 0.2, 0.1]),
            pred([0.7, 0.2, 0.1]),
            pred([0.01, 0.98, 0.01]),
        ];
        uniform(0.1).apply(&T, &mut preds, &[100.0; 3]);
        assert_eq!(preds[2].top().0, Theme::Ecology);
        // Weighted by characters: one long ecology paragraph outweighs two
        // short doubtful ones, which go ecology's way.
        let mut preds = vec![
            pred([0.45, 0.4, 0.15]),
            pred([0.45, 0.4, 0.15]),
            pred([0.05, 0.9, 0.05]),
        ];
        uniform(0.1).apply(&T, &mut preds, &[10.0, 10.0, 1000.0]);
        assert_eq!(preds[0].top().0, Theme::Ecology, "{:?}", preds[0]);
    }

    #[test]
    fn a_single_paragraph_keeps_its_top_theme_and_a_huge_pseudo_count_changes_nothing() {
        let mut one = vec![pred([0.5, 0.3, 0.2])];
        uniform(0.1).apply(&T, &mut one, &[50.0]);
        assert_eq!(one[0].top().0, Theme::Innovation);
        let before = vec![pred([0.4, 0.45, 0.15]), pred([0.9, 0.05, 0.05])];
        let mut after = before.clone();
        uniform(1e9).apply(&T, &mut after, &[100.0, 100.0]);
        for (a, b) in after.iter().zip(&before) {
            for (x, y) in a.probs.iter().zip(&b.probs) {
                assert!((x - y).abs() < 1e-6);
            }
        }
    }

    #[test]
    fn degenerate_inputs_leave_predictions_alone() {
        let before = vec![pred([0.4, 0.45, 0.15])];
        let mut p = before.clone();
        uniform(0.1).apply(&T, &mut p, &[0.0]);
        assert_eq!(p, before);
        uniform(0.1).apply(&T, &mut [], &[]);
        // Certain paragraphs (probability exactly 1) stay certain, no NaN.
        let mut p = vec![pred([1.0, 0.0, 0.0]), pred([0.0, 1.0, 0.0])];
        uniform(0.0).apply(&T, &mut p, &[10.0, 10.0]);
        assert!(p.iter().all(|x| x.probs.iter().all(|v| v.is_finite())));
        assert_eq!(p[1].top().0, Theme::Ecology);
    }

    #[test]
    fn the_base_prior_follows_balance_and_bad_stored_priors_are_named() {
        let themes = [
            Theme::Innovation,
            Theme::Innovation,
            Theme::Innovation,
            Theme::Ecology,
        ];
        let f = DocumentPrior::fitted(0.1, &T[..2], &themes, false);
        assert_eq!(f.base, vec![0.75, 0.25]);
        assert_eq!(
            DocumentPrior::fitted(0.1, &T[..2], &themes, true).base,
            vec![0.5, 0.5]
        );
        assert!(f.invalid(2).is_none());
        assert!(f.invalid(3).unwrap().contains("2 themes"));
        for bad in [
            DocumentPrior {
                strength: -1.0,
                ..f.clone()
            },
            DocumentPrior {
                strength: f64::NAN,
                ..f.clone()
            },
            DocumentPrior {
                strength: 0.0,
                ..f.clone()
            },
            DocumentPrior {
                base: vec![1.5, 0.5],
                ..f.clone()
            },
            DocumentPrior {
                base: vec![1.0, 0.0],
                ..f.clone()
            },
        ] {
            assert!(bad.invalid(2).is_some(), "{bad:?}");
        }
    }
}
