//! `report`: the self-contained HTML report of a labelled CSV.

use std::path::Path;

use super::Ui;
use crate::cli::ReportArgs;
use crate::codebook::Codebook;
use crate::error::{Error, Result};
use crate::eval::learning::CurvePoint;
use crate::io::output::write_atomic;
use crate::labelling::rows::{read_labelled, LabelledRow};
use crate::model::{persist, Model};
use crate::render::html::{self, scales, Download, ModelFacts, ReportOptions, Validation};
use crate::shares::bootstrap::{DEFAULT_SAMPLES, DEFAULT_SEED};
use crate::shares::dictionary::{DictTable, Dictionary};
use crate::shares::table::{GroupBy, Resampling, ShareTable, Weight};
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
pub fn describe_model(m: &Model, path: &Path) -> String {
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

/// The panel `analyze` writes as out/panel.csv (and `summary --by
/// region,year --format long --ci`): region × year × theme, long, with 95%
/// intervals.
pub fn panel_csv(rows: &[LabelledRow], codebook: &Codebook, pool_kinds: bool) -> Result<Vec<u8>> {
    let by: GroupBy = "region,year".parse().map_err(Error::Other)?;
    let by = crate::shares::kinds::grouping(by, rows, pool_kinds);
    let mut t = ShareTable::compute(rows, &by, Weight::Chars, codebook);
    let rs = Resampling {
        samples: DEFAULT_SAMPLES,
        seed: DEFAULT_SEED,
    };
    t.annotate(rows, &by, Weight::Chars, Some(rs), None, codebook);
    let mut out = Vec::new();
    t.write_long_csv(&mut out, rows, &by, codebook)?;
    Ok(out)
}

/// The cross-validation `analyze` left beside the input, if it was
/// measured on the labels of the model that labelled it.
pub fn validation_beside(input: &Path, labels_hash: Option<&str>) -> Option<Validation> {
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
pub const VALIDATION_FILE: &str = "validation.json";

/// `eval --learning-curve --format csv`'s output, read back.
pub fn read_curve(path: &Path) -> Result<Vec<CurvePoint>> {
    let mut r = csv::Reader::from_path(path).map_err(|e| match e.into_kind() {
        csv::ErrorKind::Io(io) => Error::io(path, io),
        other => Error::Other(format!("{}: {other:?}", path.display())),
    })?;
    let mut points = Vec::new();
    for (i, rec) in r.deserialize::<CurvePoint>().enumerate() {
        let p = rec.map_err(|e| {
            Error::line(
                path,
                e.position().map_or(i as u64 + 2, |p| p.line()),
                format!("not a learning-curve row (eval --learning-curve --format csv writes them): {e}"),
            )
        })?;
        points.push(p);
    }
    if points.is_empty() {
        return Err(Error::Other(format!(
            "{}: no learning-curve steps (eval --learning-curve --format csv writes them)",
            path.display()
        )));
    }
    Ok(points)
}

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
    let by = html::row_grouping();
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

/// The model to name for an input: the one given, or a `model.json` beside the
/// input that is not newer than it (what `analyze` leaves behind), with the
/// line naming it.
fn find_model(input: &Path, given: Option<&Path>, ui: Ui) -> Result<Option<(Model, ModelFacts)>> {
    if let Some(p) = given {
        let m = persist::load(p)?;
        let facts = model_facts(&m, p);
        return Ok(Some((m, facts)));
    }
    let dir = input.parent().unwrap_or(Path::new(""));
    let beside = dir.join("model.json");
    let mtime = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    match (mtime(&beside), mtime(input)) {
        (Some(m), Some(i)) if m <= i => match persist::load(&beside) {
            Ok(model) => {
                let mut facts = model_facts(&model, &beside);
                facts.summary.push_str(" (found beside the input)");
                Ok(Some((model, facts)))
            }
            Err(e) => {
                ui.warn(format!("not naming the model: {e}"));
                Ok(None)
            }
        },
        _ => Ok(None),
    }
}

/// Write the HTML report of `rows` (themes of `codebook`) to `path` atomically.
pub fn write_report(
    path: &Path,
    rows: &[LabelledRow],
    opts: &ReportOptions,
    codebook: &Codebook,
) -> Result<()> {
    let page = html::render(rows, opts, codebook);
    write_atomic(path, |w| {
        w.write_all(page.as_bytes()).map_err(|e| Error::io(path, e))
    })
}

/// `policy-themes report`.
pub fn run(args: &ReportArgs, ui: Ui) -> Result<i32> {
    if args.samples == 0 {
        return Err(Error::Other("--samples must be at least 1".into()));
    }
    super::need_default(
        &args.input,
        super::DEFAULT_PARAGRAPHS,
        super::HINT_PARAGRAPHS,
    )?;
    let curve = args.learning_curve.as_deref().map(read_curve).transpose()?;
    let model = find_model(&args.input, args.model.as_deref(), ui)?;
    // The themes: --codebook, else those of the model that labelled the
    // input, else the bundled ones.
    let (codebook, model) = match (&args.codebook.codebook, model) {
        (None, Some((m, facts))) => (m.codebook.clone(), Some((m, facts))),
        (_, model) => {
            let cb = args.codebook.load()?;
            if let (Some(p), Some((m, _))) = (&args.model, &model) {
                m.codebook.check_matches(&cb, p)?;
            }
            (cb, model)
        }
    };
    let rows = read_labelled(&args.input, &codebook)?;
    let rows = crate::shares::kinds::only(rows, args.kind.as_deref(), &args.input)?;
    let resampling = Resampling {
        samples: args.samples,
        seed: args.seed,
    };
    ui.info(format!(
        "writing {} ({} bootstrap resamples per row)…",
        args.output.display(),
        args.samples
    ));
    let validation = validation_beside(
        &args.input,
        model
            .as_ref()
            .map(|(m, _)| m.provenance.labels_hash.as_str()),
    );
    let extras = Extras {
        source: scales::base_name(&args.input.display().to_string()),
        model: model.map(|(_, facts)| facts),
        validation,
        curve,
        panel: panel_csv(&rows, &codebook, false)?,
    };
    let opts = report_options(
        &rows,
        &codebook,
        args.weight,
        args.examples,
        resampling,
        extras,
    )?;
    write_report(&args.output, &rows, &opts, &codebook)?;
    ui.info(format!(
        "wrote {} ({} paragraphs)",
        args.output.display(),
        rows.len()
    ));
    Ok(0)
}
