//! The `segment` output: one CSV row per paragraph.

use std::io::Write;

use serde::Serialize;

use super::Document;
use crate::error::{Error, Result};

/// The columns of `policy-themes segment`, in order: [`SegmentRow`]'s fields.
/// `label` writes the same ones with its theme columns before `text`.
pub const SEGMENT_COLUMNS: [&str; 10] = [
    "doc_id",
    "para_id",
    "region",
    "region_code",
    "province",
    "prefecture",
    "year",
    "kind",
    "section",
    "text",
];

/// A row of `policy-themes segment` ([`SEGMENT_COLUMNS`]).
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
#[cfg(test)]
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

/// A row of `segment --dropped`: one line (or part of a line) taken out as site chrome.
#[derive(Debug, Serialize)]
pub struct DroppedRow<'a> {
    pub doc_id: &'a str,
    pub line: usize,
    pub text: &'a str,
    pub reason: &'a str,
}

/// A CSV writer for [`write_dropped`], its header `doc_id,line,text,reason`
/// written (so a run that drops nothing still gives a readable file).
pub fn dropped_writer<W: Write>(out: W) -> Result<csv::Writer<W>> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(out);
    w.write_record(["doc_id", "line", "text", "reason"])
        .map_err(|e| Error::Other(format!("writing CSV: {e}")))?;
    Ok(w)
}

/// Write documents' dropped lines, one row per line or part of a line.
pub fn write_dropped<'a, W: Write>(
    docs: impl IntoIterator<Item = &'a Document>,
    w: &mut csv::Writer<W>,
) -> Result<()> {
    for d in docs {
        for x in &d.dropped {
            w.serialize(DroppedRow {
                doc_id: &d.doc_id,
                line: x.line,
                text: &x.text,
                reason: x.reason,
            })
            .map_err(|e| Error::Other(format!("writing CSV: {e}")))?;
        }
    }
    w.flush()
        .map_err(|e| Error::Other(format!("writing CSV: {e}")))?;
    Ok(())
}

/// What a document lost to chrome, for stderr: `dropped 7 lines of site
/// chrome (see --dropped)`, with `and parts of N lines` when chrome was cut
/// out of lines that are kept.
pub fn dropped_summary(d: &Document) -> String {
    let mut whole: Vec<usize> = d
        .dropped
        .iter()
        .filter(|x| x.whole_line)
        .map(|x| x.line)
        .collect();
    let mut parts: Vec<usize> = d
        .dropped
        .iter()
        .filter(|x| !x.whole_line)
        .map(|x| x.line)
        .collect();
    whole.dedup();
    parts.dedup();
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let mut s = format!(
        "dropped {} line{} of site chrome",
        whole.len(),
        plural(whole.len())
    );
    if !parts.is_empty() {
        s.push_str(&format!(
            " and parts of {} line{}",
            parts.len(),
            plural(parts.len())
        ));
    }
    s.push_str(" (see --dropped)");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_columns_are_the_row_fields() {
        let docs = crate::corpus::parse_file(
            std::path::Path::new("a.txt"),
            "2022年某某县政府工作报告\n各位代表:\n我们坚持乡村振兴。\n".as_bytes(),
            None,
        )
        .unwrap();
        let mut out = Vec::new();
        write_segments(&docs, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let header = text.lines().next().unwrap();
        assert_eq!(header, SEGMENT_COLUMNS.join(","));
    }
}
