//! How a fitted linfa-bayes `MultinomialNb` is stored in a model file: its
//! per-class counts and the smoothing, not its log probabilities.
//!
//! The log probabilities are as many numbers as the counts and follow from
//! them, so storing both made the file twice as large and parsing it most of
//! every `label` run's start-up. They are recomputed on load by linfa's own
//! code (`MultinomialNb::from_class_counts`, added in vendor/linfa-bayes), so
//! a loaded model equals the fitted one exactly (tested).

use linfa_bayes::MultinomialNb;
use ndarray::Array1;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A fitted multinomial naive Bayes with the smoothing it was fitted with.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredNb {
    pub alpha: f64,
    pub nb: MultinomialNb<f64, usize>,
}

#[derive(Serialize, Deserialize)]
struct File {
    alpha: f64,
    /// By class label, so the same model always writes the same file.
    classes: Vec<Class>,
}

#[derive(Serialize, Deserialize)]
struct Class {
    label: usize,
    /// Training rows of the class.
    rows: usize,
    prior: f64,
    /// Summed feature values of the class's rows.
    feature_count: Vec<f64>,
}

impl Serialize for StoredNb {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut classes: Vec<Class> = self
            .nb
            .class_counts()
            .map(|(&label, rows, prior, counts)| Class {
                label,
                rows,
                prior,
                feature_count: counts.to_vec(),
            })
            .collect();
        classes.sort_by_key(|c| c.label);
        File {
            alpha: self.alpha,
            classes,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for StoredNb {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let file = File::deserialize(d)?;
        if !(file.alpha.is_finite() && file.alpha > 0.0) {
            return Err(D::Error::custom(format!(
                "naive Bayes smoothing must be positive, got {}",
                file.alpha
            )));
        }
        let n = file.classes.first().map_or(0, |c| c.feature_count.len());
        let mut labels: Vec<usize> = file.classes.iter().map(|c| c.label).collect();
        labels.sort_unstable();
        labels.dedup();
        if labels.len() != file.classes.len()
            || file.classes.iter().any(|c| c.feature_count.len() != n)
        {
            return Err(D::Error::custom(
                "naive Bayes classes repeat a label or differ in feature count",
            ));
        }
        // Counts are sums of non-negative TF-IDF values; anything else would
        // turn into NaN scores rather than an error.
        let bad_number = |x: f64| !(x.is_finite() && x >= 0.0);
        if file.classes.iter().any(|c| {
            bad_number(c.prior) || c.prior > 1.0 || c.feature_count.iter().any(|&x| bad_number(x))
        }) {
            return Err(D::Error::custom(
                "naive Bayes priors must lie in 0..1 and counts be finite and non-negative",
            ));
        }
        let nb = MultinomialNb::from_class_counts(
            file.alpha,
            file.classes
                .into_iter()
                .map(|c| (c.label, c.rows, c.prior, Array1::from_vec(c.feature_count))),
        );
        Ok(StoredNb {
            alpha: file.alpha,
            nb,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::train::{fit, Example, Sources, TrainParams};
    use crate::model::Classifier;
    use crate::text::Tokenizer;

    fn fitted() -> StoredNb {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let set = crate::labelling::labels::LabelSet::read_strict(
            &root.join("labels"),
            &crate::codebook::Codebook::bundled().unwrap(),
        )
        .unwrap();
        let ex: Vec<Example> = set
            .rows
            .into_iter()
            .map(|r| Example {
                text: r.text,
                theme: r.theme,
                group: r.doc_id,
            })
            .collect();
        let params = TrainParams {
            classifier: crate::model::ClassifierKind::MultinomialNb { alpha: 0.03 },
            calibrate: false,
            ..TrainParams::default()
        };
        match fit(
            &ex,
            &params,
            &Tokenizer::bundled(),
            &crate::codebook::Codebook::bundled().unwrap(),
            Sources::default(),
        )
        .unwrap()
        .classifier
        {
            Classifier::MultinomialNb { nb, .. } => nb,
            other => panic!("asked for naive Bayes, got {other:?}"),
        }
    }

    #[test]
    fn a_stored_model_loads_back_exactly_as_fitted() {
        let nb = fitted();
        let json = serde_json::to_string(&nb).unwrap();
        let back: StoredNb = serde_json::from_str(&json).unwrap();
        // Every count, prior and recomputed log probability, bit for bit
        // (serde_json's `float_roundtrip` makes parsing exact).
        assert_eq!(back, nb);
        // The same model always writes the same bytes.
        assert_eq!(serde_json::to_string(&back).unwrap(), json);
        assert!(!json.contains("feature_log_prob"));
    }

    #[test]
    fn inconsistent_stored_models_are_refused() {
        let json = serde_json::to_string(&fitted()).unwrap();
        let cases = [
            ("\"alpha\":0.03", "\"alpha\":0.0", "positive"),
            (
                "\"feature_count\":[",
                "\"feature_count\":[1.0,",
                "feature count",
            ),
            (
                "\"feature_count\":[0.0",
                "\"feature_count\":[-1.0",
                "non-negative",
            ),
            ("\"label\":1,", "\"label\":0,", "repeat a label"),
        ];
        for (from, to, message) in cases {
            let bad = json.replacen(from, to, 1);
            assert_ne!(bad, json, "{from} is in the file");
            let e = serde_json::from_str::<StoredNb>(&bad).unwrap_err();
            assert!(e.to_string().contains(message), "{from} -> {to}: {e}");
        }
    }
}
