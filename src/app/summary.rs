//! `summary`: theme shares per group, from labelled rows or from the gold labels.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::Ui;
use crate::cli::SummaryArgs;
use crate::corpus::Document;
use crate::error::{Error, Result};
use crate::labels::LabelSet;
use crate::output::{write_atomic, Sink};
use crate::report::rows::{read_labelled, LabelledRow};
use crate::report::shares::{GroupBy, ShareTable};

/// Gold labels as labelled rows, with metadata from the segmented corpus.
pub fn gold_rows(labels: &Path, docs: &[Document]) -> Result<Vec<LabelledRow>> {
    let set = LabelSet::read_strict(labels)?;
    let by_id: HashMap<&str, &Document> = docs.iter().map(|d| (d.doc_id.as_str(), d)).collect();
    let mut rows = Vec::with_capacity(set.rows.len());
    for r in &set.rows {
        let d = by_id.get(r.doc_id.as_str()).ok_or_else(|| {
            Error::line(
                &r.file,
                r.line,
                format!("document `{}` is not in the corpus", r.doc_id),
            )
        })?;
        let section = d
            .paragraphs
            .get(r.para_id)
            .map(|p| p.section.id().to_string())
            .unwrap_or_default();
        rows.push(LabelledRow {
            doc_id: r.doc_id.clone(),
            para_id: r.para_id,
            region: d.meta.region.clone(),
            year: d.meta.year,
            kind: d.meta.kind.map(|k| k.id().to_string()).unwrap_or_default(),
            section,
            theme: Some(r.theme),
            confidence: 1.0,
            secondary: r.secondary,
            text: r.text.clone(),
            explain: None,
        });
    }
    Ok(rows)
}

/// `policy-themes summary`.
pub fn run(args: &SummaryArgs, ui: Ui) -> Result<i32> {
    let by: GroupBy = args.by.parse().map_err(Error::Other)?;
    let rows = if args.gold {
        let docs = super::inputs::read_documents(std::slice::from_ref(&args.corpus), ui)?;
        gold_rows(&args.labels, &docs)?
    } else {
        let input: &PathBuf = args
            .input
            .as_ref()
            .ok_or_else(|| Error::Other("give a labelled CSV or --gold".into()))?;
        read_labelled(input)?
    };
    let table = ShareTable::compute(&rows, &by, args.weight);
    if let Some(out) = &args.output {
        write_atomic(out, |w| table.write_csv(w))?;
    }
    if args.csv {
        let mut sink = Sink::create(None)?;
        table.write_csv(&mut sink)?;
        sink.finish()?;
    } else {
        print!("{}", table.render());
    }
    Ok(0)
}
