//! `manifest.csv`: per-document metadata overrides.
//!
//! Columns `doc_id,region,year,kind,title`; an empty cell keeps what was detected.

use std::collections::HashMap;
use std::path::Path;

use super::metadata::{Kind, Metadata};
use crate::error::{Error, Result};
use crate::io::csv_input::CsvInput;

/// One row of overrides.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Override {
    pub region: Option<String>,
    pub year: Option<u16>,
    pub kind: Option<Kind>,
    pub title: Option<String>,
}

impl Override {
    pub fn apply(&self, meta: &mut Metadata) {
        if let Some(r) = &self.region {
            meta.region = r.clone();
        }
        if let Some(y) = self.year {
            meta.year = Some(y);
        }
        if let Some(k) = self.kind {
            meta.kind = Some(k);
        }
        if let Some(t) = &self.title {
            meta.title = t.clone();
        }
    }
}

/// Extensions of report files a manifest row may name a document by
/// (`r.txt` for the document `r`): what `segment` reads from a directory,
/// and the plain-text names files given by name usually have.
const FILE_EXTENSIONS: [&str; 3] = ["txt", "text", "md"];

/// The document a manifest row's `doc_id` cell names: the cell, or its stem
/// when it is a file name such as `r.txt`.
fn document_of(cell: &str) -> &str {
    match cell.rsplit_once('.') {
        Some((stem, ext))
            if !stem.is_empty() && FILE_EXTENSIONS.iter().any(|e| ext.eq_ignore_ascii_case(e)) =>
        {
            stem
        }
        _ => cell,
    }
}

/// All overrides, by doc_id.
#[derive(Debug, Clone, Default)]
pub struct Manifest {
    rows: HashMap<String, Override>,
}

impl Manifest {
    /// The overrides of a document, whether its row names it (`r`) or its
    /// file (`r.txt`).
    pub fn get(&self, doc_id: &str) -> Option<&Override> {
        self.rows.get(doc_id)
    }

    pub fn read(path: &Path) -> Result<Manifest> {
        let mut input = CsvInput::open(path)?;
        let id_col = input.need("doc_id", " (doc_id,region,year,kind,title)")?;
        let (region, year, kind, title) = (
            input.col("region"),
            input.col("year"),
            input.col("kind"),
            input.col("title"),
        );
        let mut rows = HashMap::new();
        // Line of the row that set each document: a second row for it is
        // refused rather than silently winning.
        let mut first_line: HashMap<String, (u64, String)> = HashMap::new();
        for row in input.rows() {
            let (line, rec) = row?;
            let cell = |c: Option<usize>| {
                c.and_then(|c| rec.get(c))
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
            };
            let cell_id =
                cell(Some(id_col)).ok_or_else(|| Error::line(path, line, "empty doc_id"))?;
            let id = document_of(&cell_id).to_string();
            if let Some((first, first_cell)) = first_line.get(&id) {
                let named = if *first_cell == cell_id {
                    String::new()
                } else {
                    format!(" (as `{first_cell}`)")
                };
                return Err(Error::line(
                    path,
                    line,
                    format!(
                        "a second row for document `{id}`; line {first} already sets it{named}. \
                         Keep one row per document"
                    ),
                ));
            }
            first_line.insert(id.clone(), (line, cell_id.clone()));
            let year = match cell(year) {
                Some(y) => Some(
                    y.parse::<u16>()
                        .map_err(|_| Error::line(path, line, format!("bad year `{y}`")))?,
                ),
                None => None,
            };
            let kind = match cell(kind) {
                Some(k) => Some(Kind::parse(&k).ok_or_else(|| {
                    Error::line(
                        path,
                        line,
                        format!("bad kind `{k}` (work_report, plan_report or article)"),
                    )
                })?),
                None => None,
            };
            rows.insert(
                id,
                Override {
                    region: cell(region),
                    year,
                    kind,
                    title: cell(title),
                },
            );
        }
        Ok(Manifest { rows })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Manifest> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("manifest.csv");
        std::fs::write(&p, text).unwrap();
        Manifest::read(&p)
    }

    #[test]
    fn a_row_may_name_the_document_or_its_file() {
        let m = read("doc_id,region,year\nr.txt,甲市,2021\ns,乙县,\nt.TXT,,2020\nv1.2,丙县,\n,,\n")
            .unwrap();
        assert_eq!(m.get("r").unwrap().region.as_deref(), Some("甲市"));
        assert_eq!(m.get("s").unwrap().region.as_deref(), Some("乙县"));
        assert_eq!(m.get("t").unwrap().year, Some(2020));
        // Only file extensions are stripped: `v1.2` is a document id.
        assert!(m.get("v1.2").is_some());
        assert!(m.get("v1").is_none());
        assert!(m.get("r.txt").is_none());
    }

    #[test]
    fn two_rows_for_one_document_are_refused_with_both_lines() {
        let e = read("doc_id,region\na,甲市\nb,乙县\na,丙县\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("manifest.csv:4: a second row for document `a`"),
            "{e}"
        );
        assert!(e.contains("line 2 already sets it"), "{e}");
        let e = read("doc_id,region\nr,甲市\nr.txt,乙县\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("manifest.csv:3: a second row for document `r`; line 2"),
            "{e}"
        );
    }
}
