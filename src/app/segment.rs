//! `segment`: the paragraphs of reports as a CSV (or JSON Lines, or a table),
//! and optionally the lines dropped as page furniture.

use std::io::Write;
use std::path::PathBuf;

use super::{inputs, Ui};
use crate::cli::{OutputFormat, SegmentArgs};
use crate::corpus::csv_out;
use crate::error::{Error, Result};
use crate::io::output::{commit_all, Prepared, Sink};
use crate::render::format::{csv_to_jsonl, csv_to_table};

/// `policy-themes segment`.
pub fn run(args: &SegmentArgs, ui: Ui) -> Result<i32> {
    let format = ui.format(&args.format, OutputFormat::Csv);
    let inputs = inputs::open(&args.input.inputs, args.input.keep_going, ui)?;
    let mut sink = Sink::create(args.output.as_deref())?;
    let mut dropped = match &args.dropped {
        Some(p) => {
            let mut d = Sink::create(Some(p))?;
            ui.start_csv(&mut d)?;
            Some(csv_out::dropped_writer(d)?)
        }
        None => None,
    };
    let header = {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(csv_out::SEGMENT_COLUMNS)
            .map_err(|e| Error::Other(e.to_string()))?;
        w.into_inner().map_err(|e| Error::Other(e.to_string()))?
    };
    let out_err = |e: std::io::Error| Error::write(sink_name(args), e);
    // JSON Lines are converted file by file; a table is aligned over all rows.
    let mut table_csv = header.clone();
    if format == OutputFormat::Csv {
        ui.start_csv(&mut sink)?;
        sink.write_all(&header).map_err(out_err)?;
    }
    for i in 0..inputs.len() {
        let docs = inputs.documents(i)?;
        for d in docs.iter().filter(|d| !d.dropped.is_empty()) {
            ui.info(format!(
                "{} ({}): {}",
                d.doc_id,
                d.source.display(),
                csv_out::dropped_summary(d)
            ));
        }
        if let Some(w) = dropped.as_mut() {
            csv_out::write_dropped(&docs, w)?;
        }
        match format {
            OutputFormat::Csv => csv_out::write_segments_no_header(&docs, &mut sink)?,
            OutputFormat::Jsonl => {
                let mut part = header.clone();
                csv_out::write_segments_no_header(&docs, &mut part)?;
                sink.write_all(&csv_to_jsonl(&part)?).map_err(out_err)?;
            }
            OutputFormat::Table => csv_out::write_segments_no_header(&docs, &mut table_csv)?,
        }
    }
    if format == OutputFormat::Table {
        sink.write_all(csv_to_table(&table_csv)?.as_bytes())
            .map_err(out_err)?;
    }
    // Both outputs are written out before either replaces an old one, so a
    // failure leaves the paragraphs and the dropped lines of the same run.
    let mut prepared: Vec<Prepared> = sink.prepare()?.into_iter().collect();
    if let Some(w) = dropped {
        let d = w
            .into_inner()
            .map_err(|e| Error::Other(format!("writing CSV: {e}")))?;
        prepared.extend(d.prepare()?);
    }
    commit_all(prepared)?;
    inputs.report_skipped(ui);
    Ok(inputs.exit_code())
}

fn sink_name(args: &SegmentArgs) -> PathBuf {
    args.output
        .clone()
        .unwrap_or_else(|| PathBuf::from(crate::io::output::STDOUT_NAME))
}
