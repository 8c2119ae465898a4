//! `summary`: theme shares per group, from labelled rows or from the gold labels.

use std::path::Path;

use super::emit::emit;
use super::inputs::load_rows;
use super::Ui;

use crate::cli::{MethodArg, OutputFormat, SummaryArgs};
use crate::codebook::Codebook;
use crate::error::{Error, Result};
use crate::eval::evaluate::EvalItem;
use crate::labelling::labels::LabelSet;
use crate::model::TrainParams;
use crate::shares::adjust::{Adjuster, FOLDS};
use crate::shares::dictionary::{DictTable, Dictionary};
use crate::shares::kinds;
use crate::shares::table::{GroupBy, ShareTable, Weight};
use crate::text::Tokenizer;

/// The classifier's confusions, measured by grouped cross-validation of the
/// default model on the gold labels, for `--adjust`.
pub fn measure_adjuster(
    labels: &Path,
    weight: Weight,
    codebook: &Codebook,
    ui: Ui,
) -> Result<Adjuster> {
    super::need_default(labels, super::DEFAULT_LABELS, super::HINT_LABELS)?;
    let set = LabelSet::read_strict(labels, codebook)?;
    let items: Vec<EvalItem> = set.rows.iter().map(EvalItem::by_document).collect();
    ui.info(format!(
        "measuring the default model's confusions: {FOLDS}-fold cross-validation grouped by document on {} ({} paragraphs)",
        labels.display(),
        items.len()
    ));
    Adjuster::measure(
        &items,
        &TrainParams::default(),
        &Tokenizer::bundled(),
        codebook,
        weight,
    )
}

/// Warn about groups shown without shares, naming the first few.
fn warn_empty(ui: Ui, groups: &[String], why: &str) {
    if groups.is_empty() {
        return;
    }
    const SHOWN: usize = 10;
    let more = if groups.len() > SHOWN { ", …" } else { "" };
    ui.warn(format!(
        "{why} {} group(s): {}{more}; their shares are left empty",
        groups.len(),
        groups[..groups.len().min(SHOWN)].join(", ")
    ));
}

/// `policy-themes summary`.
pub fn run(args: &SummaryArgs, ui: Ui) -> Result<i32> {
    let format = ui.format(&args.format.rows(), OutputFormat::Table);
    let long = args.format.is_long();
    let by: GroupBy = args.by.parse().map_err(Error::Other)?;
    let ci = if args.ci {
        Some(args.bootstrap.resampling())
    } else {
        None
    };
    if args.method == MethodArg::Dictionary && args.adjust {
        return Err(Error::Other(
            "--adjust corrects the model's shares; it does not apply to --method dictionary".into(),
        ));
    }
    if args.method == MethodArg::Dictionary && long {
        return Err(Error::Other(
            "--format long is the model's shares in panel layout; the dictionary measure has \
             its own columns: use --format csv"
                .into(),
        ));
    }
    if args.method == MethodArg::Model && args.dictionary.is_some() {
        return Err(Error::Other(
            "--dictionary is used by --method dictionary; add --method dictionary".into(),
        ));
    }
    let codebook = args.codebook.load()?;
    // Read the dictionary before the (slower) input, so a bad dictionary fails fast.
    let dict = match (args.method, &args.dictionary) {
        (MethodArg::Dictionary, Some(p)) => Some(Dictionary::read(p, &codebook)?),
        (MethodArg::Dictionary, None) => Some(Dictionary::of_codebook(&codebook)?),
        (MethodArg::Model, _) => None,
    };
    let rows = load_rows(
        args.input.as_deref(),
        args.source.gold,
        &args.source.labels,
        &args.source.corpus,
        &codebook,
        ui,
    )?;
    let source = args
        .input
        .clone()
        .unwrap_or_else(|| args.source.labels.clone());
    let rows = kinds::only(rows, args.kinds.kind.as_deref(), &source)?;
    let by = kinds::grouping(by, &rows, args.kinds.pool_kinds);
    // The table says it in a note of its own.
    let table_note = format == OutputFormat::Table && !long && dict.is_none();
    if (by.keeps_kinds_apart() && !table_note) || !by.has_kind() {
        if let Some(note) = kinds::grouping_note(&rows, by.keeps_kinds_apart()) {
            ui.info(note);
        }
    }
    if let Some(dict) = dict {
        let table = DictTable::compute(&rows, &by, &dict, &Tokenizer::bundled(), ci);
        warn_empty(
            ui,
            &table.empty_rows(),
            "no keyword of the dictionary occurs in the text of",
        );
        emit(
            args.output.as_ref(),
            format,
            ui,
            |w| table.write_csv(w, &codebook),
            || table.render(&codebook),
        )?;
        return Ok(0);
    }
    let mut table = ShareTable::compute(&rows, &by, args.weight, &codebook);
    warn_empty(
        ui,
        &table.empty_rows(),
        "no labelled text (every paragraph `uncertain`, or no characters) in",
    );
    let adjuster = if args.adjust {
        Some(measure_adjuster(
            &args.source.labels,
            args.weight,
            &codebook,
            ui,
        )?)
    } else {
        None
    };
    if ci.is_some() || adjuster.is_some() {
        table.annotate(&rows, &by, args.weight, ci, adjuster.as_ref(), &codebook);
    }
    if long {
        // The panel is CSV on stdout and in -o alike.
        emit(
            args.output.as_ref(),
            OutputFormat::Csv,
            ui,
            |w| table.write_long_csv(w, &rows, &by, &codebook),
            String::new,
        )?;
        return Ok(0);
    }
    emit(
        args.output.as_ref(),
        format,
        ui,
        |w| table.write_csv(w, &codebook),
        || table.render(&codebook),
    )?;
    Ok(0)
}
