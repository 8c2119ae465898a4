//! `analyze`: the main job in one command.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::stream::label_files;
use super::{inputs, Ui};
use crate::cli::AnalyzeArgs;
use crate::codebook::Codebook;
use crate::error::{Error, Result};
use crate::eval::evaluate::{cross_validate, report as eval_report, EvalItem};
use crate::io::output::{commit_all, print_stdout, Sink};
use crate::labelling::labels::{label_files as list_label_files, LabelSet};
use crate::labelling::predict::LabelOptions;
use crate::labelling::rows::{read_labelled, Format};
use crate::labelling::train_on;
use crate::model::{persist, Model, Predictor, TrainParams};
use crate::render::html::{
    model_facts, report_options, validation_beside, CvFigures, Extras, Validation, VALIDATION_FILE,
};
use crate::shares::bootstrap::{DEFAULT_SAMPLES, DEFAULT_SEED};
use crate::shares::table::{GroupBy, Resampling, ShareTable, Weight};
use crate::shares::{kinds, panel_csv};
use crate::text::Tokenizer;

fn modified(p: &Path) -> Option<SystemTime> {
    std::fs::metadata(p).and_then(|m| m.modified()).ok()
}

/// The cached model, if it is newer than every label file and was trained on these labels.
fn cached_model(path: &Path, labels: &Path, codebook: &Codebook, ui: Ui) -> Result<Option<Model>> {
    let Some(model_time) = modified(path) else {
        return Ok(None);
    };
    let files = list_label_files(labels)?;
    if files
        .iter()
        .any(|f| modified(f).is_none_or(|t| t > model_time))
    {
        return Ok(None);
    }
    match persist::load(path) {
        Ok(m) => {
            let set = LabelSet::read(labels, codebook)?;
            Ok((m.provenance.labels_hash == set.hash
                && m.provenance.params == TrainParams::default()
                && m.codebook == *codebook)
                .then_some(m))
        }
        Err(e) => {
            ui.warn(format!("{e}; retraining"));
            Ok(None)
        }
    }
}

/// Folds of the cross-validation `analyze` measures.
const FOLDS: usize = 5;

/// The default recipe's grouped cross-validation on `labels`, by document
/// and by region (regions from the labelled corpus `rows`; a labelled
/// document not in them is its own group), for the report's methods.
fn validate(
    labels: &Path,
    codebook: &Codebook,
    rows: &[crate::labelling::rows::LabelledRow],
) -> Result<Validation> {
    let set = LabelSet::read(labels, codebook)?;
    let tokenizer = Tokenizer::bundled();
    let params = TrainParams::default();
    let by_doc: Vec<EvalItem> = set.rows.iter().map(EvalItem::by_document).collect();
    let regions: std::collections::HashMap<&str, String> = rows
        .iter()
        .map(|r| (r.doc_id.as_str(), r.region_key()))
        .collect();
    let by_region: Vec<EvalItem> = by_doc
        .iter()
        .map(|it| EvalItem {
            group: regions
                .get(it.doc_id.as_str())
                .cloned()
                .unwrap_or_else(|| it.doc_id.clone()),
            ..it.clone()
        })
        .collect();
    let figures = |items: &[EvalItem]| -> Result<CvFigures> {
        let preds = cross_validate(items, FOLDS, &params, &tokenizer, codebook)?;
        let r = eval_report(items, &preds, codebook);
        let groups: std::collections::BTreeSet<&str> =
            items.iter().map(|it| it.group.as_str()).collect();
        Ok(CvFigures {
            groups: groups.len(),
            paragraphs: r.paragraphs,
            documents: r.documents,
            accuracy: r.accuracy,
            macro_f1: r.macro_f1,
            share_mae_pp: r.share_mae_pp,
            share_mae_worst_pp: r.share_mae_worst_pp,
        })
    };
    Ok(Validation {
        labels_hash: set.hash.clone(),
        folds: FOLDS,
        by_document: figures(&by_doc)?,
        by_region: Some(figures(&by_region)?),
    })
}

/// `policy-themes analyze`.
pub fn run(args: &AnalyzeArgs, ui: Ui) -> Result<i32> {
    if let [only] = args.inputs.as_slice() {
        super::need_default(
            only,
            super::DEFAULT_CORPUS,
            "pass the reports to analyze: analyze FILES|DIRS",
        )?;
    }
    super::need_default(&args.labels, super::DEFAULT_LABELS, super::HINT_LABELS)?;
    std::fs::create_dir_all(&args.out).map_err(|e| Error::io(&args.out, e))?;
    let model_path = args.out.join("model.json");
    let codebook = args.codebook.load()?;
    let inputs = inputs::open(&args.inputs, false, ui)?;
    let cached = if args.retrain {
        None
    } else {
        cached_model(&model_path, &args.labels, &codebook, ui)?
    };
    // Every output is written to a temporary file first and all are renamed
    // into place together at the end: a run that fails midway leaves out/
    // as it was, never new tables beside an old report.
    let mut prepared = Vec::new();
    let model = match cached {
        Some(m) => {
            ui.info(format!("using cached model {}", model_path.display()));
            m
        }
        None => {
            ui.info(format!(
                "training the default model on {}",
                args.labels.display()
            ));
            let set = LabelSet::read_strict(&args.labels, &codebook)?;
            super::note_unlabelled(&set, &args.labels);
            let m = train_on(
                &set,
                &TrainParams::default(),
                &Tokenizer::bundled(),
                &codebook,
            )?;
            let mut sink = Sink::create(Some(&model_path))?;
            persist::write(&m, &model_path, &mut sink)?;
            prepared.extend(sink.prepare()?);
            m
        }
    };
    let model_facts = model_facts(&model, &model_path);
    let labels_hash = model.provenance.labels_hash.clone();
    let predictor = Predictor::new(model)?;
    let paragraphs: PathBuf = args.out.join("paragraphs.csv");
    let labelled = {
        let mut sink = Sink::create(Some(&paragraphs))?;
        let mut buf = std::io::BufWriter::new(&mut sink);
        label_files(
            &predictor,
            &inputs,
            LabelOptions::default(),
            Format::Csv,
            &mut buf,
            ui,
        )?;
        std::io::Write::flush(&mut buf).map_err(|e| Error::write(&paragraphs, e))?;
        drop(buf);
        sink.prepare()?
    };
    let rows = match &labelled {
        Some(p) => read_labelled(p.temp_path(), &codebook)?,
        None => read_labelled(&paragraphs, &codebook)?,
    };
    prepared.extend(labelled);
    let labelled_count = rows.len();
    // The tables and the report: one kind (--kind), or every kind kept apart
    // unless --pool-kinds.
    let rows = kinds::only(rows, args.kinds.kind.as_deref(), &paragraphs)?;
    let grouping = |fields: &str| -> Result<GroupBy> {
        let by: GroupBy = fields.parse().map_err(Error::Other)?;
        Ok(kinds::grouping(by, &rows, args.kinds.pool_kinds))
    };
    if args.kinds.pool_kinds {
        if let Some(note) = kinds::grouping_note(&rows, false) {
            ui.info(note);
        }
    }
    let by = grouping("region")?;
    let table = ShareTable::compute(&rows, &by, Weight::Chars, &codebook);
    let shares = args.out.join("shares.csv");
    let mut sink = Sink::create(Some(&shares))?;
    {
        let mut w = std::io::BufWriter::new(&mut sink);
        ui.start_csv(&mut w)?;
        table.write_csv(&mut w, &codebook)?;
        std::io::Write::flush(&mut w).map_err(|e| Error::write(&shares, e))?;
    }
    prepared.extend(sink.prepare()?);
    // The panel: region × year × theme, long, with 95% intervals, for
    // merging with yearbook data.
    let panel = args.out.join("panel.csv");
    let panel_bytes = panel_csv(&rows, &codebook, args.kinds.pool_kinds)?;
    {
        let mut sink = Sink::create(Some(&panel))?;
        {
            let mut w = std::io::BufWriter::new(&mut sink);
            ui.start_csv(&mut w)?;
            std::io::Write::write_all(&mut w, &panel_bytes).map_err(|e| Error::write(&panel, e))?;
            std::io::Write::flush(&mut w).map_err(|e| Error::write(&panel, e))?;
        }
        prepared.extend(sink.prepare()?);
    }
    // The model's cross-validated error for the report's methods: measured
    // once per set of labels and kept beside the model.
    let validation_path = args.out.join(VALIDATION_FILE);
    let validation = match validation_beside(&paragraphs, Some(&labels_hash)) {
        Some(v) => v,
        None => {
            ui.info(format!(
                "cross-validating the model by document and by region ({FOLDS} folds each, once per set of labels)…"
            ));
            let v = validate(&args.labels, &codebook, &rows)?;
            let mut sink = Sink::create(Some(&validation_path))?;
            let json = serde_json::to_vec_pretty(&v).map_err(|e| Error::Other(e.to_string()))?;
            std::io::Write::write_all(&mut sink, &json)
                .map_err(|e| Error::write(&validation_path, e))?;
            prepared.extend(sink.prepare()?);
            v
        }
    };
    let report = args.out.join("report.html");
    let resampling = Resampling {
        samples: DEFAULT_SAMPLES,
        seed: DEFAULT_SEED,
    };
    // The report's bootstrap intervals take a while: say what is being done.
    ui.info(format!(
        "writing {} ({DEFAULT_SAMPLES} bootstrap resamples per row)…",
        report.display()
    ));
    let extras = Extras {
        source: "paragraphs.csv".into(),
        model: Some(model_facts),
        validation: Some(validation),
        curve: None,
        panel: panel_bytes,
    };
    let opts = report_options(&rows, &codebook, Weight::Chars, 3, resampling, extras)?;
    let mut sink = Sink::create(Some(&report))?;
    std::io::Write::write_all(
        &mut sink,
        crate::render::html::render(&rows, &opts, &codebook).as_bytes(),
    )
    .map_err(|e| Error::write(&report, e))?;
    prepared.extend(sink.prepare()?);
    commit_all(prepared)?;
    print_stdout(&table.render(&codebook))?;
    ui.info(format!(
        "wrote {} ({} paragraphs), {}, {} and {}",
        paragraphs.display(),
        labelled_count,
        shares.display(),
        panel.display(),
        report.display()
    ));
    Ok(0)
}
