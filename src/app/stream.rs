//! Labelling input files as a stream, in input order (`label`, `analyze`).

use std::io::Write;

use rayon::prelude::*;

use super::{inputs, Ui};
use crate::error::{Error, Result};
use crate::labelling::predict::{coverage_warning, label_documents, LabelOptions};
use crate::labelling::rows::{header, Format, RowWriter};
use crate::model::Predictor;

/// Label files, streaming: a batch of files is read and labelled in parallel,
/// written in input order, then dropped, so memory does not grow with input.
/// Writes the header first, then the rows of every file.
pub fn label_files<W: Write>(
    p: &Predictor,
    inputs: &inputs::Inputs,
    opts: LabelOptions,
    format: Format,
    out: &mut W,
    ui: Ui,
) -> Result<usize> {
    let io = |e: std::io::Error| Error::Other(format!("writing output: {e}"));
    if format == Format::Csv {
        ui.start_csv(out)?;
    }
    out.write_all(&header(format, opts.explain)?).map_err(io)?;
    let pb = ui.progress(inputs.total_bytes, "labelling");
    let batch = rayon::current_num_threads().max(1) * 2;
    let order: Vec<usize> = (0..inputs.len()).collect();
    let mut n = 0;
    for files in order.chunks(batch) {
        // Workers label and format their files; the main thread only appends
        // the bytes, in input order.
        let results: Vec<Result<(Vec<u8>, usize, u64)>> = files
            .par_iter()
            .map(|&i| {
                let docs = inputs.documents(i)?;
                for d in &docs {
                    let texts = d.paragraphs.iter().map(|para| para.model_text());
                    if let Some(w) = coverage_warning(p, texts) {
                        ui.warn(format!("{} ({}): {w}", d.doc_id, d.source.display()));
                    }
                }
                let size = inputs.size_of(i);
                let rows = label_documents(p, docs, opts);
                let mut w = RowWriter::body_only(Vec::new(), format, opts.explain)?;
                for row in &rows {
                    w.write(row, p.codebook())?;
                }
                Ok((w.finish()?, rows.len(), size))
            })
            .collect();
        for r in results {
            let (bytes, count, size) = r?;
            out.write_all(&bytes).map_err(io)?;
            n += count;
            pb.inc(size);
        }
    }
    pb.finish_and_clear();
    Ok(n)
}
