//! `manifest.csv`: per-document metadata overrides.
//!
//! Columns `doc_id,region,year,kind,title`; an empty cell keeps what was detected.

use std::collections::HashMap;
use std::path::Path;

use super::metadata::{Kind, Metadata};
use crate::csv_input::CsvInput;
use crate::error::{Error, Result};

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

/// All overrides, by doc_id.
#[derive(Debug, Clone, Default)]
pub struct Manifest {
    rows: HashMap<String, Override>,
}

impl Manifest {
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
        for row in input.rows() {
            let (line, rec) = row?;
            let cell = |c: Option<usize>| {
                c.and_then(|c| rec.get(c))
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
            };
            let id = cell(Some(id_col)).ok_or_else(|| Error::line(path, line, "empty doc_id"))?;
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
