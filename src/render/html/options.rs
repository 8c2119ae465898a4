//! What the report shows besides the rows, built from the rows and from what
//! is known of the model: the [`ReportOptions`] that [`super::render`] takes.

use std::path::Path;

use super::{row_grouping, scales, Download, ModelFacts, ReportOptions, Validation};
use crate::codebook::Codebook;
use crate::error::Result;
use crate::eval::learning::CurvePoint;
use crate::labelling::rows::LabelledRow;
use crate::model::Model;
use crate::shares::dictionary::{DictTable, Dictionary};
use crate::shares::table::{Resampling, ShareTable, Weight};
use crate::text::Tokenizer;

/// The classifier as `kind (key=value, …)` and the features, in words.
fn classifier_and_features(m: &Model) -> (String, String) {
    let p = &m.provenance;
    // The classifier as `kind key=value …`, from its serialized form (robust to new kinds).
    let classifier = match serde_json::to_value(p.params.classifier) {
        Ok(serde_json::Value::Object(map)) => {
            let kind = map
                .get("kind")
                .and_then(|k| k.as_str())
                .unwrap_or("classifier")
                .to_string();
            let rest: Vec<String> = map
                .iter()
                .filter(|(k, _)| k.as_str() != "kind")
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            if rest.is_empty() {
                kind
            } else {
                format!("{kind} ({})", rest.join(", "))
            }
        }
        _ => "classifier".to_string(),
    };
    let f = &m.vectorizer.config;
    let features: Vec<&str> = [
        (f.words, "words"),
        (f.word_bigrams, "word bigrams"),
        (f.char_bigrams, "character bigrams"),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .map(|(_, name)| *name)
    .collect();
    (classifier, features.join(" + "))
}

/// One line naming a model (by its file name only: no path of the user's
/// machine) and what it was trained on.
fn describe_model(m: &Model, path: &Path) -> String {
    let p = &m.provenance;
    let (classifier, features) = classifier_and_features(m);
    let hash: String = p.labels_hash.chars().take(12).collect();
    // Labels depend on the rest of their document under a document prior:
    // a reader citing the shares should know.
    let prior = match &m.document_prior {
        Some(d) => format!(", document prior {}", d.strength),
        None => String::new(),
    };
    format!(
        "{}: {classifier} on {features}{prior}, trained on {} paragraphs of {} label file{} (SHA-256 {hash}…) with policy-themes {}",
        scales::base_name(&path.display().to_string()),
        p.n_train,
        p.label_files.len(),
        if p.label_files.len() == 1 { "" } else { "s" },
        p.tool_version
    )
}

/// What the report's methods section says about a model.
pub fn model_facts(m: &Model, path: &Path) -> ModelFacts {
    let (classifier, features) = classifier_and_features(m);
    let classifier = match &m.document_prior {
        Some(d) => format!("{classifier}, document prior {}", d.strength),
        None => classifier,
    };
    ModelFacts {
        summary: describe_model(m, path),
        classifier,
        features,
        labels_hash: m.provenance.labels_hash.clone(),
        n_train: m.provenance.n_train,
        label_files: m.provenance.label_files.len(),
        tool_version: m.provenance.tool_version.clone(),
    }
}

/// The cross-validation `analyze` left beside a labelled file, if it was
/// measured on the labels of the model that labelled it.
pub(crate) fn validation_beside(input: &Path, labels_hash: Option<&str>) -> Option<Validation> {
    let labels_hash = labels_hash?;
    let path = input
        .parent()
        .unwrap_or(Path::new(""))
        .join(VALIDATION_FILE);
    let bytes = std::fs::read(path).ok()?;
    let v: Validation = serde_json::from_slice(&bytes).ok()?;
    (v.labels_hash == labels_hash).then_some(v)
}

/// Where `analyze` caches its cross-validation, beside model.json.
pub(crate) const VALIDATION_FILE: &str = "validation.json";

/// Everything the report shows besides the rows: the dictionary measure,
/// the downloads, the model's facts and its validation.
pub struct Extras {
    pub source: String,
    pub model: Option<ModelFacts>,
    pub validation: Option<Validation>,
    pub curve: Option<Vec<CurvePoint>>,
    pub panel: Vec<u8>,
}

/// The report's options for `rows`.
pub fn report_options(
    rows: &[LabelledRow],
    codebook: &Codebook,
    weight: Weight,
    examples: usize,
    resampling: Resampling,
    extras: Extras,
) -> Result<ReportOptions> {
    let by = row_grouping();
    let mut table = ShareTable::compute(rows, &by, weight, codebook);
    table.annotate(rows, &by, weight, Some(resampling), None, codebook);
    let mut shares = Vec::new();
    table.write_csv(&mut shares, codebook)?;
    let dictionary = match Dictionary::of_codebook(codebook) {
        Ok(d) => Some(DictTable::compute(
            rows,
            &by,
            &d,
            &Tokenizer::bundled(),
            Some(resampling),
        )),
        // A codebook without keywords has no dictionary measure.
        Err(_) => None,
    };
    let mut downloads = vec![
        Download {
            name: "shares.csv".into(),
            what: "the heatmap: one row per region and kind, shares and 95% intervals per theme".into(),
            bytes: shares,
        },
        Download {
            name: "panel.csv".into(),
            what: "region × year × theme in long layout with division code, province, kind and intervals (as analyze's out/panel.csv)".into(),
            bytes: extras.panel,
        },
    ];
    if let Some(d) = &dictionary {
        let mut bytes = Vec::new();
        d.write_csv(&mut bytes, codebook)?;
        downloads.push(Download {
            name: "dictionary.csv".into(),
            what: "the keyword-dictionary measure per region and kind".into(),
            bytes,
        });
    }
    Ok(ReportOptions {
        source: extras.source,
        model: extras.model,
        weight,
        examples,
        resampling,
        validation: extras.validation,
        dictionary,
        downloads,
        curve: extras.curve,
        date: scales::today(),
    })
}
