//! `label`: stream documents through the model, in parallel, in input order.

use std::io::Write;
use std::path::Path;

use rayon::prelude::*;

use super::stream::label_files;
use super::{inputs, Ui};
use crate::cli::{LabelArgs, OutputFormat};

use crate::error::{Error, Result};
use crate::io::output::Sink;
use crate::labelling::predict::{coverage_warning, decide, LabelOptions};
use crate::labelling::rows::{read_paragraph_file, Format, ParagraphFile, RowWriter};
use crate::model::Predictor;

/// Label the rows of a paragraphs CSV read by [`read_paragraph_file`].
pub fn label_paragraph_file<W: Write>(
    p: &Predictor,
    file: ParagraphFile,
    opts: LabelOptions,
    writer: &mut RowWriter<W>,
    ui: Ui,
) -> Result<usize> {
    let ParagraphFile { name, mut rows } = file;
    // Each document's paragraphs, documents in order of first appearance.
    let mut by_doc: Vec<(&str, Vec<&str>)> = Vec::new();
    let mut slot: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for r in &rows {
        let i = *slot.entry(r.doc_id.as_str()).or_insert_with(|| {
            by_doc.push((r.doc_id.as_str(), Vec::new()));
            by_doc.len() - 1
        });
        by_doc[i].1.push(r.text.as_str());
    }
    // The model reads the simplified copy of a traditional-character document.
    let traditional: std::collections::HashSet<&str> = by_doc
        .iter()
        .filter(|(_, ps)| crate::corpus::script::is_traditional(ps.iter().copied()))
        .map(|(d, _)| *d)
        .collect();
    for d in &traditional {
        ui.warn(format!(
            "{d} ({}): in traditional characters: the model reads it as simplified",
            name.display()
        ));
    }
    let copies: Vec<Option<String>> = rows
        .iter()
        .map(|r| {
            traditional
                .contains(r.doc_id.as_str())
                .then(|| crate::corpus::script::to_simplified(&r.text))
        })
        .collect();
    let texts: Vec<&str> = rows
        .iter()
        .zip(&copies)
        .map(|(r, c)| c.as_deref().unwrap_or(&r.text))
        .collect();
    // A document's paragraphs are adapted together wherever they sit in the file.
    let docs: Vec<&str> = rows.iter().map(|r| r.doc_id.as_str()).collect();
    let mut by_doc: Vec<(&str, Vec<&str>)> = Vec::new();
    let mut slot: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (&doc, &text) in docs.iter().zip(&texts) {
        let i = *slot.entry(doc).or_insert_with(|| {
            by_doc.push((doc, Vec::new()));
            by_doc.len() - 1
        });
        by_doc[i].1.push(text);
    }
    for (doc, paragraphs) in &by_doc {
        if let Some(w) = coverage_warning(p, paragraphs.iter().copied()) {
            ui.warn(format!("{doc} ({}): {w}", name.display()));
        }
    }
    let preds = p.predict_documents(&texts, &docs);
    let decided: Vec<_> = texts
        .par_iter()
        .zip(preds)
        .map(|(text, pred)| decide(p, &pred, text, opts))
        .collect();
    for (r, (theme, conf, sec, explain)) in rows.iter_mut().zip(decided) {
        r.theme = theme;
        r.confidence = conf;
        r.secondary = sec;
        r.explain = explain;
    }
    for r in &rows {
        writer.write(r, p.codebook())?;
    }
    Ok(rows.len())
}

/// `policy-themes label`.
pub fn run(args: &LabelArgs, ui: Ui) -> Result<i32> {
    if let Some(m) = args.min_confidence {
        if !(0.0..=1.0).contains(&m) {
            return Err(Error::Other(format!(
                "--min-confidence must be within 0..1, got {m}"
            )));
        }
    }
    // Load the model while the inputs are checked.
    let (predictor, inputs, paragraphs) = std::thread::scope(|s| {
        let loading = s.spawn(|| super::default_model::resolve(args.model.as_deref(), ui));
        let (inputs, paragraphs) = match &args.paragraphs {
            Some(path) => (Ok(None), read_paragraph_file(path).map(Some)),
            None => (
                inputs::open(&args.inputs, args.keep_going, ui).map(Some),
                Ok(None),
            ),
        };
        let predictor = loading
            .join()
            .unwrap_or_else(|_| Err(Error::Other("model loading failed".into())));
        (predictor, inputs, paragraphs)
    });
    let (predictor, model_name) = predictor?;
    args.codebook
        .check_model(predictor.codebook(), &model_name)?;
    let inputs = inputs?;
    let paragraphs = paragraphs?;
    let opts = LabelOptions {
        min_confidence: args.min_confidence,
        explain: args.explain,
    };
    let chosen = ui.format(&args.format, OutputFormat::Csv);
    let format = match chosen {
        OutputFormat::Jsonl => Format::Jsonl,
        OutputFormat::Csv | OutputFormat::Table => Format::Csv,
    };
    // Every input was checked above, before the output is created.
    let mut sink = Sink::create(args.output.as_deref())?;
    let out_name = args.output.as_deref().unwrap_or(Path::new("<stdout>"));
    // A table is aligned over all rows, so it is built from the whole CSV.
    let mut table_csv: Vec<u8> = Vec::new();
    let n = {
        let mut buf: Box<dyn Write + '_> = if chosen == OutputFormat::Table {
            Box::new(&mut table_csv)
        } else {
            Box::new(std::io::BufWriter::new(&mut sink))
        };
        let n = match (paragraphs, &inputs) {
            (Some(file), _) => {
                if format == Format::Csv {
                    ui.start_csv(&mut buf)?;
                }
                let mut writer = RowWriter::new(&mut buf, format, args.explain)?;
                let n = label_paragraph_file(&predictor, file, opts, &mut writer, ui)?;
                writer.finish()?;
                n
            }
            (None, Some(inp)) => label_files(&predictor, inp, opts, format, &mut buf, ui)?,
            (None, None) => 0,
        };
        buf.flush().map_err(|e| Error::io(out_name, e))?;
        n
    };
    if chosen == OutputFormat::Table {
        let table = crate::render::format::csv_to_table(&table_csv)?;
        sink.write_all(table.as_bytes())
            .map_err(|e| Error::write(out_name, e))?;
    }
    sink.finish()?;
    ui.info(format!("labelled {n} paragraphs"));
    if let Some(inp) = &inputs {
        inp.report_skipped(ui);
    }
    Ok(inputs.map(|i| i.exit_code()).unwrap_or(0))
}
