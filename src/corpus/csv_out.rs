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
    pub region_code: &'a str,
    pub province: &'a str,
    pub prefecture: &'a str,
    pub year: Option<u16>,
    pub kind: &'a str,
    pub section: &'a str,
    pub text: &'a str,
}

/// Write documents' paragraphs as CSV
/// `doc_id,para_id,region,region_code,province,prefecture,year,kind,section,text`.
pub fn write_segments<'a, W: Write>(
    docs: impl IntoIterator<Item = &'a Document>,
    out: W,
) -> Result<()> {
    write_rows(docs, csv::Writer::from_writer(out))
}

/// Like [`write_segments`] without the header: for appending documents as they are read.
pub fn write_segments_no_header<'a, W: Write>(
    docs: impl IntoIterator<Item = &'a Document>,
    out: W,
) -> Result<()> {
    write_rows(
        docs,
        csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(out),
    )
}

fn write_rows<'a, W: Write>(
    docs: impl IntoIterator<Item = &'a Document>,
    mut w: csv::Writer<W>,
) -> Result<()> {
    for d in docs {
        for p in &d.paragraphs {
            w.serialize(SegmentRow {
                doc_id: &d.doc_id,
                para_id: p.para_id,
                region: &d.meta.region,
                region_code: &d.meta.region_code,
                province: &d.meta.province,
                prefecture: &d.meta.prefecture,
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
