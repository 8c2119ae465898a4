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
use crate::render::html::{
    self, model_facts, report_options, scales, validation_beside, Extras, ModelFacts, ReportOptions,
};
use crate::shares::panel_csv;

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
    let resampling = args.bootstrap.resampling();
    ui.info(format!(
        "writing {} ({} bootstrap resamples per row)…",
        args.output.display(),
        args.bootstrap.samples
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
