//! Labelled paragraphs: the `label` output, read back by `summary`.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::codebook::Codebook;
use crate::corpus::csv_out::SEGMENT_COLUMNS;
use crate::corpus::Document;
use crate::error::{Error, Result};
use crate::io::csv_input::CsvInput;
use crate::labelling::labels::LabelSet;
use crate::themes::Theme;

/// One labelled paragraph.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelledRow {
    pub doc_id: String,
    pub para_id: usize,
    pub region: String,
    /// GB/T 2260 code, province and prefecture of the region (empty when unknown).
    pub region_code: String,
    pub province: String,
    pub prefecture: String,
    pub year: Option<u16>,
    pub kind: String,
    pub section: String,
    /// The chosen theme, or `None` when below `--min-confidence` (written as `uncertain`).
    pub theme: Option<Theme>,
    pub confidence: f64,
    /// Runner-up theme.
    pub secondary: Option<Theme>,
    pub text: String,
    /// Top contributing terms (`label --explain`), `term:score` separated by `;`.
    pub explain: Option<String>,
}

/// A [`LabelledRow`] as JSON Lines write it, themes by their ids.
#[derive(Serialize)]
struct RowJson<'a> {
    doc_id: &'a str,
    para_id: usize,
    region: &'a str,
    region_code: &'a str,
    province: &'a str,
    prefecture: &'a str,
    year: Option<u16>,
    kind: &'a str,
    section: &'a str,
    theme: &'a str,
    confidence: f64,
    /// `null` when there is none, as CSV leaves it empty.
    secondary: Option<&'a str>,
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    explain: Option<&'a str>,
}

/// The group a document's region stands for: the region, or for a document
/// without one `(unknown: DOC_ID)`, its own group. Documents whose region is
/// unknown are never pooled: five unrelated reports are not one place.
pub fn region_key(region: &str, doc_id: &str) -> String {
    if region.is_empty() {
        format!("{UNKNOWN_PREFIX}{doc_id})")
    } else {
        region.to_string()
    }
}

/// How the group of a document without a region starts.
pub const UNKNOWN_PREFIX: &str = "(unknown: ";

impl LabelledRow {
    /// The region this row is grouped under; see [`region_key`].
    pub fn region_key(&self) -> String {
        region_key(&self.region, &self.doc_id)
    }
}

/// What a paragraph below the confidence threshold is labelled.
pub const UNCERTAIN: &str = "uncertain";

/// Output format of `label`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Csv,
    Jsonl,
}

/// Writes labelled rows as CSV (with header) or JSON Lines.
pub struct RowWriter<W: Write> {
    format: Format,
    csv: Option<csv::Writer<W>>,
    raw: Option<W>,
    explain: bool,
}

impl<W: Write> RowWriter<W> {
    /// A writer that starts with the CSV header (JSON Lines has none).
    pub fn new(out: W, format: Format, explain: bool) -> Result<RowWriter<W>> {
        Self::with_header(out, format, explain, true)
    }

    /// A writer for rows only: workers format rows in parallel and the bytes
    /// are appended after [`header`] in input order.
    pub fn body_only(out: W, format: Format, explain: bool) -> Result<RowWriter<W>> {
        Self::with_header(out, format, explain, false)
    }

    fn with_header(out: W, format: Format, explain: bool, header: bool) -> Result<RowWriter<W>> {
        match format {
            Format::Csv => {
                let mut w = csv::WriterBuilder::new()
                    .has_headers(false)
                    .from_writer(out);
                if !header {
                    return Ok(RowWriter {
                        format,
                        csv: Some(w),
                        raw: None,
                        explain,
                    });
                }
                // The segment columns, with the theme columns before `text`.
                let (meta, text) = SEGMENT_COLUMNS.split_at(SEGMENT_COLUMNS.len() - 1);
                let mut header = meta.to_vec();
                header.extend(["theme", "confidence", "secondary"]);
                header.extend(text);
                if explain {
                    header.push("explain");
                }
                w.write_record(&header).map_err(csv_err)?;
                Ok(RowWriter {
                    format,
                    csv: Some(w),
                    raw: None,
                    explain,
                })
            }
            Format::Jsonl => Ok(RowWriter {
                format,
                csv: None,
                raw: Some(out),
                explain,
            }),
        }
    }

    /// Write one row; its themes belong to `codebook`.
    pub fn write(&mut self, row: &LabelledRow, codebook: &Codebook) -> Result<()> {
        let theme = row.theme.map(|t| codebook.id(t)).unwrap_or(UNCERTAIN);
        let sec = row.secondary.map(|t| codebook.id(t)).unwrap_or(UNCERTAIN);
        match self.format {
            Format::Csv => {
                let w = self
                    .csv
                    .as_mut()
                    .ok_or_else(|| Error::Other("writer closed".into()))?;
                let year = row.year.map(|y| y.to_string()).unwrap_or_default();
                let conf = format!("{:.4}", row.confidence);
                let para = row.para_id.to_string();
                let sec = if row.secondary.is_some() { sec } else { "" };
                let mut rec = vec![
                    row.doc_id.as_str(),
                    &para,
                    &row.region,
                    &row.region_code,
                    &row.province,
                    &row.prefecture,
                    &year,
                    &row.kind,
                    &row.section,
                    theme,
                    &conf,
                    sec,
                    &row.text,
                ];
                if self.explain {
                    rec.push(row.explain.as_deref().unwrap_or(""));
                }
                w.write_record(&rec).map_err(csv_err)
            }
            Format::Jsonl => {
                let w = self
                    .raw
                    .as_mut()
                    .ok_or_else(|| Error::Other("writer closed".into()))?;
                let json = RowJson {
                    doc_id: &row.doc_id,
                    para_id: row.para_id,
                    region: &row.region,
                    region_code: &row.region_code,
                    province: &row.province,
                    prefecture: &row.prefecture,
                    year: row.year,
                    kind: &row.kind,
                    section: &row.section,
                    theme,
                    confidence: row.confidence,
                    secondary: row.secondary.map(|t| codebook.id(t)),
                    text: &row.text,
                    explain: row.explain.as_deref(),
                };
                serde_json::to_writer(&mut *w, &json).map_err(|e| Error::Other(e.to_string()))?;
                w.write_all(b"\n").map_err(|e| Error::Other(e.to_string()))
            }
        }
    }

    pub fn finish(self) -> Result<W> {
        match (self.csv, self.raw) {
            (Some(w), _) => w.into_inner().map_err(|e| Error::Other(e.to_string())),
            (None, Some(mut w)) => {
                w.flush().map_err(|e| Error::Other(e.to_string()))?;
                Ok(w)
            }
            _ => Err(Error::Other("writer closed".into())),
        }
    }
}

fn csv_err(e: csv::Error) -> Error {
    Error::Other(format!("writing CSV: {e}"))
}

/// The bytes that start a labelled-rows output: the CSV header, or nothing for JSON Lines.
pub fn header(format: Format, explain: bool) -> Result<Vec<u8>> {
    RowWriter::new(Vec::new(), format, explain)?.finish()
}

/// Read a labelled CSV (the `label` output; any file with at least
/// `doc_id,theme,text`). Rows labelled `uncertain` are kept with `theme: None`.
pub fn read_labelled(path: &Path, codebook: &Codebook) -> Result<Vec<LabelledRow>> {
    let mut input = CsvInput::open(path)?;
    let name = input.name().to_path_buf();
    let path = name.as_path();
    let col = |n: &str| input.col(n);
    let need = |n: &str| input.need(n, "");
    let (c_doc, c_theme, c_text) = (need("doc_id")?, need("theme")?, need("text")?);
    let (c_code, c_province, c_prefecture) =
        (col("region_code"), col("province"), col("prefecture"));
    let (c_para, c_region, c_year, c_kind, c_section, c_conf, c_sec) = (
        col("para_id"),
        col("region"),
        col("year"),
        col("kind"),
        col("section"),
        col("confidence"),
        col("secondary"),
    );
    let mut rows = Vec::new();
    for (i, row) in input.rows().enumerate() {
        let (line, rec) = row?;
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("").trim();
        let theme_s = get(Some(c_theme));
        let theme = if theme_s == UNCERTAIN {
            None
        } else {
            Some(
                codebook
                    .parse(theme_s)
                    .map_err(|e| Error::line(path, line, e.to_string()))?,
            )
        };
        let para_id = match get(c_para) {
            "" => i,
            s => s
                .parse()
                .map_err(|_| Error::line(path, line, format!("bad para_id `{s}`")))?,
        };
        let year = match get(c_year) {
            "" => None,
            s => Some(
                s.parse()
                    .map_err(|_| Error::line(path, line, format!("bad year `{s}`")))?,
            ),
        };
        let confidence = match get(c_conf) {
            "" => 1.0,
            s => s
                .parse()
                .map_err(|_| Error::line(path, line, format!("bad confidence `{s}`")))?,
        };
        let secondary = match get(c_sec) {
            "" => None,
            s => codebook.parse(s).ok(),
        };
        rows.push(LabelledRow {
            doc_id: get(Some(c_doc)).to_string(),
            para_id,
            region: get(c_region).to_string(),
            region_code: get(c_code).to_string(),
            province: get(c_province).to_string(),
            prefecture: get(c_prefecture).to_string(),
            year,
            kind: get(c_kind).to_string(),
            section: get(c_section).to_string(),
            theme,
            confidence,
            secondary,
            text: rec.get(c_text).unwrap_or("").to_string(),
            explain: None,
        });
    }
    if rows.is_empty() {
        return Err(Error::input(path, "no labelled rows"));
    }
    Ok(rows)
}

/// The rows of a paragraphs CSV, unlabelled, and the name of the file for messages.
pub struct ParagraphFile {
    pub name: PathBuf,
    pub rows: Vec<LabelledRow>,
}

/// Read the rows of a paragraphs CSV (`doc_id,para_id,text` at least; `-`
/// is standard input). Any bad row is an error naming its line.
pub fn read_paragraph_file(path: &Path) -> Result<ParagraphFile> {
    let mut input = CsvInput::open(path)?;
    let name = input.name().to_path_buf();
    let path = name.as_path();
    let hint = " (need at least doc_id,para_id,text)";
    let (c_doc, c_para, c_text) = (
        input.need("doc_id", hint)?,
        input.need("para_id", hint)?,
        input.need("text", hint)?,
    );
    let (c_code, c_province, c_prefecture) = (
        input.col("region_code"),
        input.col("province"),
        input.col("prefecture"),
    );
    let (c_region, c_year, c_kind, c_section) = (
        input.col("region"),
        input.col("year"),
        input.col("kind"),
        input.col("section"),
    );
    let mut rows = Vec::new();
    for row in input.rows() {
        let (line, rec) = row?;
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("").trim().to_string();
        let para_id = get(Some(c_para))
            .parse::<usize>()
            .map_err(|_| Error::line(path, line, format!("bad para_id `{}`", get(Some(c_para)))))?;
        let text = rec.get(c_text).unwrap_or("").to_string();
        if text.trim().is_empty() {
            return Err(Error::line(path, line, "empty text"));
        }
        let year = match get(c_year).as_str() {
            "" => None,
            y => Some(
                y.parse::<u16>()
                    .map_err(|_| Error::line(path, line, format!("bad year `{y}`")))?,
            ),
        };
        rows.push(LabelledRow {
            doc_id: get(Some(c_doc)),
            para_id,
            region: get(c_region),
            region_code: get(c_code),
            province: get(c_province),
            prefecture: get(c_prefecture),
            year,
            kind: get(c_kind),
            section: get(c_section),
            theme: None,
            confidence: 0.0,
            secondary: None,
            text,
            explain: None,
        });
    }
    Ok(ParagraphFile { name, rows })
}

/// Gold labels as labelled rows, with metadata from the segmented corpus.
pub fn gold_rows(
    labels: &Path,
    docs: &[Document],
    codebook: &Codebook,
) -> Result<Vec<LabelledRow>> {
    let set = LabelSet::read_strict(labels, codebook)?;
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
            region_code: d.meta.region_code.clone(),
            province: d.meta.province.clone(),
            prefecture: d.meta.prefecture.clone(),
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
