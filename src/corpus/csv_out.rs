//! The `segment` output: one CSV row per paragraph.

use std::io::Write;

use serde::Serialize;

use super::Document;
use crate::error::{Error, Result};

/// A row of `policy-themes segment`.
#[derive(Debug, Serialize)]
pub struct SegmentRow<'a> {
    pub doc_id: &'a str,
    pub para_id: usize,
    pub region: &'a str,
    pub year: Option<u16>,
    pub kind: &'a str,
    pub section: &'a str,
    pub text: &'a str,
}

/// Write documents' paragraphs as CSV `doc_id,para_id,region,year,kind,section,text`.
pub fn write_segments<'a, W: Write>(
    docs: impl IntoIterator<Item = &'a Document>,
    out: W,
) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    for d in docs {
        for p in &d.paragraphs {
            w.serialize(SegmentRow {
                doc_id: &d.doc_id,
                para_id: p.para_id,
                region: &d.meta.region,
                year: d.meta.year,
                kind: d.meta.kind.map(|k| k.id()).unwrap_or(""),
                section: p.section.id(),
                text: &p.text,
            })
            .map_err(|e| Error::Other(format!("writing CSV: {e}")))?;
        }
    }
    w.flush()
        .map_err(|e| Error::Other(format!("writing CSV: {e}")))?;
    Ok(())
}
