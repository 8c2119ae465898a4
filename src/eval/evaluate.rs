//! Grouped cross-validation and the metrics users need to trust the shares.

use std::collections::HashMap;

use serde::Serialize;

use crate::codebook::Codebook;
use crate::error::{Error, Result};
use crate::eval::agreement::AgreementReport;
use crate::model::train::{fit, Example, Sources, TrainParams};
use crate::model::{Prediction, Predictor};
use crate::text::Tokenizer;
use crate::themes::{ShareTally, Theme};

/// One labelled paragraph for evaluation.
#[derive(Debug, Clone)]
pub struct EvalItem {
    pub doc_id: String,
    /// What a fold leaves out together (document or region).
    pub group: String,
    pub text: String,
    pub gold: Theme,
}

impl EvalItem {
    /// A labelled paragraph, with its document as its group.
    pub fn by_document(r: &crate::corpus::LabelRow) -> EvalItem {
        EvalItem {
            doc_id: r.doc_id.clone(),
            group: r.doc_id.clone(),
            text: r.text.clone(),
            gold: r.theme,
        }
    }
}

/// Assign groups to `k` folds: largest groups first, each to the fold with the
/// fewest paragraphs so far. Deterministic.
pub fn assign_folds(items: &[EvalItem], k: usize) -> Vec<usize> {
    let groups: Vec<&str> = items.iter().map(|it| it.group.as_str()).collect();
    crate::model::train::assign_folds_by(&groups, k)
}

/// Out-of-fold predictions for every item.
pub fn cross_validate(
    items: &[EvalItem],
    folds: usize,
    params: &TrainParams,
    tokenizer: &Tokenizer,
    codebook: &Codebook,
) -> Result<Vec<Prediction>> {
    cross_validate_with(items, folds, params, tokenizer, codebook, |_| true)
}

/// [`cross_validate`] training each fold's model only on the training items
/// `train_on(i)` accepts (the learning curve's labelled fraction); every
/// item is still predicted by the model of the fold that leaves it out.
pub fn cross_validate_with(
    items: &[EvalItem],
    folds: usize,
    params: &TrainParams,
    tokenizer: &Tokenizer,
    codebook: &Codebook,
    train_on: impl Fn(usize) -> bool,
) -> Result<Vec<Prediction>> {
    if folds < 2 {
        return Err(Error::Other(format!(
            "cross-validation needs at least 2 folds, got {folds}"
        )));
    }
    let fold_of = assign_folds(items, folds);
    let k = fold_of.iter().copied().max().map_or(0, |m| m + 1);
    if k < 2 {
        return Err(Error::Other(
            "cross-validation needs labels from at least two documents (or regions with --group region)".into(),
        ));
    }
    let mut preds: Vec<Option<Prediction>> = vec![None; items.len()];
    for f in 0..k {
        let train: Vec<Example> = (0..items.len())
            .filter(|&i| fold_of[i] != f && train_on(i))
            .map(|i| Example {
                text: items[i].text.clone(),
                theme: items[i].gold,
                group: items[i].doc_id.clone(),
            })
            .collect();
        let model = fit(&train, params, tokenizer, codebook, Sources::default())?;
        let predictor = Predictor::new(model)?;
        let test: Vec<usize> = (0..items.len()).filter(|&i| fold_of[i] == f).collect();
        let texts: Vec<&str> = test.iter().map(|&i| items[i].text.as_str()).collect();
        let docs: Vec<&str> = test.iter().map(|&i| items[i].doc_id.as_str()).collect();
        for (&i, p) in test.iter().zip(predictor.predict_documents(&texts, &docs)) {
            preds[i] = Some(p);
        }
    }
    preds
        .into_iter()
        .map(|p| p.ok_or_else(|| Error::Other("an item was never in a test fold".into())))
        .collect()
}

/// Precision, recall and F1 of one theme.
#[derive(Debug, Clone, Serialize)]
pub struct ThemeScore {
    /// The theme's id.
    pub theme: String,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub support: usize,
}

/// How far one document's predicted shares are from its gold shares.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentShareError {
    pub doc_id: String,
    pub paragraphs: usize,
    /// Mean absolute error of the character-weighted shares (over the
    /// codebook's themes), in percentage points.
    pub share_mae_pp: f64,
    /// The largest single-theme error, in percentage points.
    pub max_error_pp: f64,
    /// How far two coders' shares of this document are apart (the same
    /// measure), when a second coder's labels were given; `None` otherwise or
    /// when the second coder did not label this document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coders_share_mae_pp: Option<f64>,
}

/// Everything `eval` reports.
#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    pub paragraphs: usize,
    pub documents: usize,
    pub accuracy: f64,
    /// Mean F1 over the themes present in the gold labels.
    pub macro_f1: f64,
    pub per_theme: Vec<ThemeScore>,
    /// `confusion[gold][predicted]` in codebook order.
    pub confusion: Vec<Vec<usize>>,
    /// The codebook's column heads, for the confusion table.
    #[serde(skip)]
    pub short: Vec<String>,
    /// Mean over documents of the mean absolute error of the character-weighted shares, in percentage points.
    pub share_mae_pp: f64,
    /// The same for the worst document.
    pub share_mae_worst_pp: f64,
    /// Mean over documents of the largest single-theme share error, in percentage points.
    pub share_max_error_pp: f64,
    /// Every document's share error, worst first.
    pub per_document: Vec<DocumentShareError>,
    /// Expected calibration error of the top probability (10 bins).
    pub ece: f64,
    /// The gold labels against a second coder's (`eval --second-coder`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub second_coder: Option<AgreementReport>,
}

/// Metrics of predictions against gold labels.
pub fn report(items: &[EvalItem], preds: &[Prediction], codebook: &Codebook) -> EvalReport {
    let n = items.len();
    let k = codebook.len();
    let mut confusion = vec![vec![0usize; k]; k];
    let mut correct = 0;
    let tops: Vec<(Theme, f64)> = preds.iter().map(|p| p.top()).collect();
    for (it, (t, _)) in items.iter().zip(&tops) {
        confusion[it.gold.index()][t.index()] += 1;
        correct += usize::from(it.gold == *t);
    }
    let mut per_theme = Vec::new();
    for t in codebook.all() {
        let i = t.index();
        let tp = confusion[i][i] as f64;
        let support: usize = confusion[i].iter().sum();
        let predicted: usize = confusion.iter().map(|r| r[i]).sum();
        let precision = if predicted > 0 {
            tp / predicted as f64
        } else {
            0.0
        };
        let recall = if support > 0 {
            tp / support as f64
        } else {
            0.0
        };
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        per_theme.push(ThemeScore {
            theme: codebook.id(t).to_string(),
            precision,
            recall,
            f1,
            support,
        });
    }
    let present: Vec<&ThemeScore> = per_theme.iter().filter(|s| s.support > 0).collect();
    let macro_f1 = present.iter().map(|s| s.f1).sum::<f64>() / present.len().max(1) as f64;

    // Character-weighted shares per document.
    let mut tally = ShareTally::new(k);
    for (it, (t, _)) in items.iter().zip(&tops) {
        tally.add(&it.doc_id, it.text.chars().count() as f64, it.gold, *t);
    }
    let shares = tally.finish();
    let per_document: Vec<DocumentShareError> = shares
        .per_document
        .iter()
        .map(|d| DocumentShareError {
            doc_id: d.doc_id.to_string(),
            paragraphs: d.paragraphs,
            share_mae_pp: d.mean_pp,
            max_error_pp: d.max_pp,
            coders_share_mae_pp: None,
        })
        .collect();

    EvalReport {
        paragraphs: n,
        documents: per_document.len(),
        accuracy: correct as f64 / n.max(1) as f64,
        macro_f1,
        per_theme,
        confusion,
        short: codebook
            .all()
            .map(|t| codebook.short(t).to_string())
            .collect(),
        share_mae_pp: shares.mean_pp,
        share_mae_worst_pp: shares.worst_pp,
        share_max_error_pp: shares.mean_max_pp,
        per_document,
        ece: ece(items, &tops, 10),
        second_coder: None,
    }
}

/// Expected calibration error: |accuracy − confidence| per bin, weighted by bin size.
pub fn ece(items: &[EvalItem], tops: &[(Theme, f64)], bins: usize) -> f64 {
    let mut acc = vec![(0.0f64, 0.0f64, 0usize); bins];
    for (it, (t, p)) in items.iter().zip(tops) {
        let b = ((p * bins as f64) as usize).min(bins - 1);
        acc[b].0 += f64::from(u8::from(it.gold == *t));
        acc[b].1 += p;
        acc[b].2 += 1;
    }
    let n = items.len().max(1) as f64;
    acc.iter()
        .filter(|b| b.2 > 0)
        .map(|(c, p, k)| (c / *k as f64 - p / *k as f64).abs() * *k as f64 / n)
        .sum()
}

impl EvalReport {
    /// Set each document's error beside how far two coders' shares of it are
    /// apart: the gold labels against `coders`, a second coder's labels.
    pub fn with_second_coder(mut self, coders: AgreementReport) -> EvalReport {
        let by_doc: HashMap<&str, f64> = coders
            .per_document
            .iter()
            .map(|d| (d.doc_id.as_str(), d.share_mae_pp))
            .collect();
        for d in &mut self.per_document {
            d.coders_share_mae_pp = by_doc.get(d.doc_id.as_str()).copied();
        }
        self.second_coder = Some(coders);
        self
    }

    /// A readable report.
    pub fn render(&self) -> String {
        let mut s = String::new();
        s.push_str(&format!(
            "paragraphs {}  documents {}\naccuracy {:.3}  macro-F1 {:.3}  ECE {:.3}\nshare error per document (character-weighted, percentage points): mean abs {:.2}, worst document {:.2}, mean largest-theme error {:.2}\n\n",
            self.paragraphs, self.documents, self.accuracy, self.macro_f1, self.ece, self.share_mae_pp, self.share_mae_worst_pp, self.share_max_error_pp
        ));
        s.push_str("theme        precision recall     f1 support\n");
        for t in &self.per_theme {
            s.push_str(&format!(
                "{:<12} {:>9.3} {:>6.3} {:>6.3} {:>7}\n",
                t.theme, t.precision, t.recall, t.f1, t.support
            ));
        }
        s.push_str("\nconfusion (rows gold, columns predicted)\n");
        s.push_str(&format!("{:<7}", ""));
        for short in &self.short {
            s.push_str(&format!("{short:>7}"));
        }
        s.push('\n');
        for (short, row) in self.short.iter().zip(&self.confusion) {
            s.push_str(&format!("{short:<7}"));
            for c in row {
                s.push_str(&format!("{c:>7}"));
            }
            s.push('\n');
        }
        if let Some(c) = &self.second_coder {
            let kappa = crate::eval::agreement::statistic(c.cohen_kappa);
            s.push_str(&format!(
                "\ngold labels against the second coder ({} paragraphs): agreement {:.3}, Cohen's kappa {kappa}, share difference per document mean abs {:.2}, worst {:.2}\n",
                c.paragraphs, c.agreement, c.share_mae_pp, c.share_mae_worst_pp
            ));
        }
        s.push_str(&self.render_documents(DOCUMENTS_SHOWN));
        s
    }

    /// The share error of the `shown` worst documents, and how many more there are.
    fn render_documents(&self, shown: usize) -> String {
        let coders = self.second_coder.is_some();
        let mut s = String::from(
            "\nshare error by document, worst first (percentage points)\ndocument                     paras  mean abs  largest theme",
        );
        s.push_str(if coders { "  two coders\n" } else { "\n" });
        for d in self.per_document.iter().take(shown) {
            s.push_str(&format!(
                "{:<28} {:>5} {:>9.2} {:>14.2}",
                d.doc_id, d.paragraphs, d.share_mae_pp, d.max_error_pp
            ));
            if coders {
                match d.coders_share_mae_pp {
                    Some(c) => s.push_str(&format!(" {c:>11.2}\n")),
                    None => s.push_str(&format!(" {:>11}\n", "-")),
                }
            } else {
                s.push('\n');
            }
        }
        let more = self.per_document.len().saturating_sub(shown);
        if more > 0 {
            s.push_str(&format!("… {more} more documents (all with --json)\n"));
        }
        s
    }
}

/// Documents listed in the text report (all of them are in the JSON).
const DOCUMENTS_SHOWN: usize = 25;

#[cfg(test)]
mod tests {
    use super::*;

    fn item(doc: &str, gold: Theme, text: &str) -> EvalItem {
        EvalItem {
            doc_id: doc.into(),
            group: doc.into(),
            text: text.into(),
            gold,
        }
    }

    #[test]
    fn folds_never_split_a_group() {
        let items: Vec<EvalItem> = (0..30)
            .map(|i| item(&format!("d{}", i % 7), Theme::Rural, "x"))
            .collect();
        let f = assign_folds(&items, 3);
        for a in 0..items.len() {
            for b in 0..items.len() {
                if items[a].group == items[b].group {
                    assert_eq!(f[a], f[b]);
                }
            }
        }
        assert_eq!(f.iter().max(), Some(&2));
    }

    #[test]
    fn second_coder_column_sits_beside_each_document() {
        use crate::corpus::LabelRow;
        use crate::eval::agreement as agree;
        let items = vec![
            item("a", Theme::Rural, "一二"),
            item("b", Theme::Rural, "三"),
        ];
        let mut probs = vec![0.0; Theme::BUNDLED];
        probs[Theme::Rural.index()] = 1.0;
        let p = Prediction { probs };
        let cb = Codebook::bundled().unwrap();
        let r = report(&items, &[p.clone(), p], &cb);
        assert!(!r.render().contains("two coders"));
        // The second coder labelled only document a, and differently.
        let row = |theme| LabelRow {
            doc_id: "a".into(),
            para_id: 0,
            text: "一二".into(),
            theme,
            secondary: None,
            file: "x.csv".into(),
            line: 2,
        };
        let coders = agree::compare(&[row(Theme::Rural)], &[row(Theme::Urban)], &cb).unwrap();
        let r = r.with_second_coder(coders);
        let a = r.per_document.iter().find(|d| d.doc_id == "a").unwrap();
        assert!((a.coders_share_mae_pp.unwrap() - 200.0 / 13.0).abs() < 1e-9);
        let b = r.per_document.iter().find(|d| d.doc_id == "b").unwrap();
        assert_eq!(b.coders_share_mae_pp, None);
        let text = r.render();
        assert!(text.contains("largest theme  two coders"), "{text}");
        assert!(text.contains("agreement 0.000"), "{text}");
        assert!(text.contains("       15.38\n"), "{text}");
        assert!(
            text.lines()
                .any(|l| l.starts_with("b ") && l.ends_with(" -")),
            "{text}"
        );
    }

    #[test]
    fn metrics_of_known_predictions() {
        let items = vec![
            item("a", Theme::Rural, "一二"),
            item("a", Theme::Ecology, "一二"),
            item("b", Theme::Rural, "一二三四"),
        ];
        let mk = |t: Theme, p: f64| {
            let mut probs = vec![0.0; Theme::BUNDLED];
            probs[t.index()] = p;
            probs[Theme::Overview.index()] = 1.0 - p;
            Prediction { probs }
        };
        let preds = vec![
            mk(Theme::Rural, 0.9),
            mk(Theme::Rural, 0.8),
            mk(Theme::Rural, 0.7),
        ];
        let r = report(&items, &preds, &Codebook::bundled().unwrap());
        assert!((r.accuracy - 2.0 / 3.0).abs() < 1e-9);
        // rural: P = 2/3, R = 1, F1 = 0.8; ecology: 0. Macro over present themes = 0.4.
        assert!((r.macro_f1 - 0.4).abs() < 1e-9);
        // Doc a: gold 50/50 rural/ecology, predicted 100 rural → errors 50 + 50 over 13 themes.
        assert!((r.share_mae_worst_pp - 100.0 / 13.0).abs() < 1e-9);
        assert_eq!(r.confusion[Theme::Ecology.index()][Theme::Rural.index()], 1);
        // Per document, worst first: a (two paragraphs, 50 pp off on two themes), then b.
        let docs: Vec<(&str, usize)> = r
            .per_document
            .iter()
            .map(|d| (d.doc_id.as_str(), d.paragraphs))
            .collect();
        assert_eq!(docs, [("a", 2), ("b", 1)]);
        assert!((r.per_document[0].max_error_pp - 50.0).abs() < 1e-9);
        assert_eq!(r.per_document[1].share_mae_pp, 0.0);
        let text = r.render_documents(1);
        assert!(text.contains("\na ") && !text.contains("\nb "), "{text}");
        assert!(text.contains("1 more documents"), "{text}");
        assert!(r.ece > 0.0);
    }
}
