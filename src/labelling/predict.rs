//! Labelling documents with a trained model: the theme (or `uncertain`),
//! confidence, runner-up and explanation of each paragraph, and the warning
//! for a document the model cannot read.

use rayon::prelude::*;

use crate::corpus::Document;
use crate::labelling::rows::LabelledRow;
use crate::model::{Prediction, Predictor};

/// How each paragraph is labelled.
#[derive(Debug, Clone, Copy, Default)]
pub struct LabelOptions {
    pub min_confidence: Option<f64>,
    pub explain: bool,
}

/// A paragraph's row fields (theme or `None` when uncertain, confidence,
/// runner-up, explanation) from its prediction.
pub fn decide(
    p: &Predictor,
    pred: &Prediction,
    text: &str,
    opts: LabelOptions,
) -> (
    Option<crate::Theme>,
    f64,
    Option<crate::Theme>,
    Option<String>,
) {
    let ranked = pred.ranked();
    let (top, conf) = ranked[0];
    let runner_up = ranked.get(1).filter(|(_, pr)| *pr > 0.0).map(|(t, _)| *t);
    let theme = match opts.min_confidence {
        Some(m) if conf < m => None,
        _ => Some(top),
    };
    let explain = opts.explain.then(|| {
        p.explain(text, top, 5)
            .iter()
            .map(|(t, s)| format!("{t}:{s:.3}"))
            .collect::<Vec<_>>()
            .join(";")
    });
    (theme, conf, runner_up, explain)
}

/// Below this share of its terms in the model's vocabulary, a document is
/// not text the model can read: traditional characters (about 40% on a
/// report's opening), another language, OCR noise. Held-out seed documents
/// are at 0.6 or more (`tests/seeds.rs`).
pub const MIN_COVERAGE: f64 = 0.5;

/// The characters of a document's opening that its coverage is judged on:
/// enough to tell, little enough to cost nothing beside labelling.
const COVERAGE_SAMPLE_CHARS: usize = 2000;
/// Fewer terms than this (a heading, a date) are too few to judge by.
const MIN_COVERAGE_TERMS: usize = 20;

/// A warning when too little of a document (its paragraphs' texts, in
/// order) is text the model can read.
pub fn coverage_warning<'a>(
    p: &Predictor,
    paragraphs: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let (mut sample, mut chars) = (String::new(), 0);
    for text in paragraphs {
        if chars >= COVERAGE_SAMPLE_CHARS {
            break;
        }
        sample.push_str(text);
        sample.push('\n');
        chars += text.chars().count();
    }
    let (known, total) = p.coverage(&sample);
    if total < MIN_COVERAGE_TERMS {
        // Too short to judge, unless there is text and none of it is Chinese.
        let text = sample.chars().filter(|c| !c.is_whitespace()).count();
        return (total == 0 && text >= MIN_COVERAGE_TERMS)
            .then(|| "no Chinese text the model can read: its labels mean nothing".to_string());
    }
    let share = known as f64 / total as f64;
    (share < MIN_COVERAGE).then(|| {
        format!(
            "only {:.0}% of its terms are in the model's vocabulary (below {:.0}%): \
             traditional characters, another language or garbled text? Its labels are unreliable",
            100.0 * share,
            100.0 * MIN_COVERAGE
        )
    })
}

/// Label every paragraph of some documents (paragraphs in parallel, order kept;
/// the document prior sees each document whole). Takes the documents so each
/// paragraph's text moves into its row uncopied.
pub fn label_documents(p: &Predictor, docs: Vec<Document>, opts: LabelOptions) -> Vec<LabelledRow> {
    docs.into_iter()
        .flat_map(|d| {
            let (region, year) = (d.meta.region, d.meta.year);
            let (code, province, prefecture) =
                (d.meta.region_code, d.meta.province, d.meta.prefecture);
            let kind = d.meta.kind.map(|k| k.id().to_string()).unwrap_or_default();
            // The model reads the simplified copy of traditional text.
            let texts: Vec<&str> = d.paragraphs.iter().map(|para| para.model_text()).collect();
            let preds = p.predict_document(&texts);
            d.paragraphs
                .into_par_iter()
                .zip(preds)
                .map(|(para, pred)| {
                    let (theme, confidence, secondary, explain) =
                        decide(p, &pred, para.model_text(), opts);
                    LabelledRow {
                        doc_id: para.doc_id,
                        para_id: para.para_id,
                        region: region.clone(),
                        region_code: code.clone(),
                        province: province.clone(),
                        prefecture: prefecture.clone(),
                        year,
                        kind: kind.clone(),
                        section: para.section.id().to_string(),
                        theme,
                        confidence,
                        secondary,
                        text: para.text,
                        explain,
                    }
                })
                .collect::<Vec<_>>()
        })
        .collect()
}
