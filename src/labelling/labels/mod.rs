//! Label files in the codebook's format: `doc_id,para_id,text,theme,secondary`.

pub(crate) mod check;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::codebook::Codebook;
use crate::error::{Error, Result};
use crate::eval::agreement::{self, AgreementReport};
use crate::text::tokenize::sha256_hex;

pub use crate::corpus::LabelRow;

/// The label files a path stands for: a file, or a directory's `*.csv` (not recursive).
pub fn label_files(path: &Path) -> Result<Vec<PathBuf>> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if !meta.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(path).map_err(|e| Error::io(path, e))? {
        let p = entry.map_err(|e| Error::io(path, e))?.path();
        if p.is_file() && p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) {
            files.push(p);
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(Error::input(path, "no label files (*.csv) here"));
    }
    Ok(files)
}

/// Which columns a label file must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Columns {
    /// The codebook format: `doc_id,para_id,text,theme,secondary`.
    Codebook,
    /// A coder's judgements only: `doc_id,para_id,theme`, with `text` and
    /// `secondary` read when present (a second coder's file for `labels agree`).
    Judgements,
}

/// Label rows and every problem found, so `labels check` can list them all.
#[derive(Debug, Default)]
pub struct LabelSet {
    pub rows: Vec<LabelRow>,
    pub problems: Vec<Error>,
    /// SHA-256 over the files' names and bytes, in order: what a model was trained on.
    pub hash: String,
    pub files: Vec<PathBuf>,
    /// SHA-256 of each file's bytes, in `files` order.
    pub file_hashes: Vec<String>,
    /// Rows with no theme yet (a `sample` file partly filled in): skipped.
    pub unlabelled: usize,
}

impl LabelSet {
    /// Read every file of a path, collecting problems instead of stopping at
    /// the first; themes are checked against `codebook`.
    pub fn read(path: &Path, codebook: &Codebook) -> Result<LabelSet> {
        LabelSet::read_columns(path, Columns::Codebook, codebook)
    }

    /// [`LabelSet::read`] with the given column requirements.
    pub fn read_columns(path: &Path, columns: Columns, codebook: &Codebook) -> Result<LabelSet> {
        let files = label_files(path)?;
        let mut contents = Vec::with_capacity(files.len());
        for f in files {
            let bytes = crate::io::output::read_input(&f)?;
            contents.push((f, bytes));
        }
        let borrowed: Vec<(PathBuf, &[u8])> = contents
            .iter()
            .map(|(f, b)| (f.clone(), b.as_slice()))
            .collect();
        Ok(LabelSet::from_contents(&borrowed, columns, codebook))
    }

    /// Label files already read (name, bytes), in the order of
    /// [`label_files`]: the same set, hash included, as reading them from disk.
    pub fn from_contents(
        files: &[(PathBuf, &[u8])],
        columns: Columns,
        codebook: &Codebook,
    ) -> LabelSet {
        let mut set = LabelSet::default();
        let mut hashed = Vec::new();
        for (f, bytes) in files {
            let (f, bytes) = (f.as_path(), *bytes);
            hashed.extend_from_slice(f.file_name().map(|n| n.as_encoded_bytes()).unwrap_or(b""));
            hashed.push(0);
            hashed.extend_from_slice(bytes);
            set.file_hashes.push(sha256_hex(bytes));
            read_rows(
                f,
                bytes,
                columns,
                codebook,
                &mut set.rows,
                &mut set.problems,
                &mut set.unlabelled,
            );
        }
        let mut seen: HashMap<(String, usize), (PathBuf, u64)> = HashMap::new();
        for r in &set.rows {
            if let Some((f, l)) =
                seen.insert((r.doc_id.clone(), r.para_id), (r.file.clone(), r.line))
            {
                set.problems.push(Error::line(
                    &r.file,
                    r.line,
                    format!(
                        "duplicate label for ({}, {}); first at {}:{l}",
                        r.doc_id,
                        r.para_id,
                        f.display()
                    ),
                ));
            }
        }
        set.hash = sha256_hex(&hashed);
        set.files = files.iter().map(|(f, _)| f.clone()).collect();
        set
    }

    /// Read and fail on any problem, listing all of them.
    pub fn read_strict(path: &Path, codebook: &Codebook) -> Result<LabelSet> {
        LabelSet::read(path, codebook)?.into_strict()
    }

    /// The rows as training examples, each grouped by its document.
    pub fn examples(&self) -> Vec<crate::model::Example> {
        self.rows
            .iter()
            .map(crate::model::Example::of_label)
            .collect()
    }

    /// Fail on any problem found while reading, listing all of them.
    pub fn into_strict(self) -> Result<LabelSet> {
        if self.problems.is_empty() {
            Ok(self)
        } else {
            Err(problems_error("in labels", &self.problems))
        }
    }
}

/// One error listing problems (the first 20): `N problem(s) WHERE:` then one per line.
pub fn problems_error(place: &str, problems: &[Error]) -> Error {
    let shown: Vec<String> = problems.iter().take(20).map(|e| e.to_string()).collect();
    Error::Other(format!(
        "{} problem(s) {place}:\n  {}{}",
        problems.len(),
        shown.join("\n  "),
        if problems.len() > 20 { "\n  …" } else { "" }
    ))
}

/// Read a second coder's label files (`doc_id,para_id,theme` at least) and
/// compare them with `first`; every problem is listed in the error.
pub fn compare_coders(
    first: &LabelSet,
    second: &[PathBuf],
    codebook: &Codebook,
) -> Result<AgreementReport> {
    let mut rows = Vec::new();
    for path in second {
        rows.extend(
            LabelSet::read_columns(path, Columns::Judgements, codebook)?
                .into_strict()?
                .rows,
        );
    }
    agreement::compare(&first.rows, &rows, codebook)
        .map_err(|problems| problems_error("comparing the labels", &problems))
}

const COLUMNS: [&str; 5] = ["doc_id", "para_id", "text", "theme", "secondary"];

fn read_rows(
    path: &Path,
    bytes: &[u8],
    columns: Columns,
    codebook: &Codebook,
    rows: &mut Vec<LabelRow>,
    problems: &mut Vec<Error>,
    unlabelled: &mut usize,
) {
    let text = match crate::io::csv_input::text(path, bytes) {
        Ok(t) => t,
        Err(e) => {
            problems.push(e);
            return;
        }
    };
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            problems.push(Error::line(path, 1, format!("bad header: {e}")));
            return;
        }
    };
    // Column index per COLUMNS entry; None for an optional column that is absent.
    let mut col = [None; 5];
    for (k, name) in COLUMNS.iter().enumerate() {
        col[k] = headers.iter().position(|h| h.trim() == *name);
        // Two columns of one name: which one holds the labels is a guess.
        let at: Vec<usize> = (headers.iter().enumerate())
            .filter(|(_, h)| h.trim() == *name)
            .map(|(i, _)| i + 1)
            .collect();
        if at.len() > 1 {
            problems.push(Error::line(
                path,
                1,
                format!(
                    "column `{name}` appears {} times in the header (columns {}); keep one",
                    at.len(),
                    at.iter()
                        .map(|i| i.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
            return;
        }
        let optional = columns == Columns::Judgements && matches!(*name, "text" | "secondary");
        if col[k].is_none() && !optional {
            let header = match columns {
                Columns::Codebook => "header must be doc_id,para_id,text,theme,secondary",
                Columns::Judgements => {
                    "header needs doc_id,para_id,theme (text, secondary optional)"
                }
            };
            problems.push(Error::line(
                path,
                1,
                format!("missing column `{name}` ({header})"),
            ));
            return;
        }
    }
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                problems.push(Error::line(path, line, format!("malformed CSV: {e}")));
                // A quoting error desynchronises the reader: stop this file.
                if matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. }) {
                    continue;
                }
                return;
            }
        };
        // `,,,,` rows, as spreadsheets leave them at the end of a sheet.
        if crate::io::csv_input::is_blank(&rec) {
            continue;
        }
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let get = |k: usize| col[k].and_then(|i| rec.get(i)).unwrap_or("");
        let mut bad = |m: String| problems.push(Error::line(path, line, m));
        let doc_id = get(0).trim().to_string();
        if doc_id.is_empty() {
            bad("empty doc_id".into());
            continue;
        }
        let Ok(para_id) = get(1).trim().parse::<usize>() else {
            bad(format!(
                "para_id `{}` is not a non-negative integer",
                get(1)
            ));
            continue;
        };
        let text = get(2).to_string();
        if col[2].is_some() && text.trim().is_empty() {
            bad(format!("empty text for ({doc_id}, {para_id})"));
            continue;
        }
        // Not labelled yet: the rows `sample` proposes arrive with `theme`
        // empty and are filled in over several sittings.
        if get(3).trim().is_empty() && get(4).trim().is_empty() {
            *unlabelled += 1;
            continue;
        }
        let theme = match codebook.parse(get(3)) {
            Ok(t) => t,
            Err(e) => {
                bad(e.to_string());
                continue;
            }
        };
        let secondary = match get(4).trim() {
            "" => None,
            s => match codebook.parse(s) {
                Ok(t) if t == theme => {
                    bad(format!("secondary `{s}` repeats the primary theme"));
                    continue;
                }
                Ok(t) => Some(t),
                Err(e) => {
                    bad(format!("secondary: {e}"));
                    continue;
                }
            },
        };
        rows.push(LabelRow {
            doc_id,
            para_id,
            text,
            theme,
            secondary,
            file: path.to_path_buf(),
            line,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::themes::Theme;

    fn read_str(s: &str) -> (Vec<LabelRow>, Vec<Error>) {
        let mut rows = Vec::new();
        let mut problems = Vec::new();
        read_rows(
            Path::new("l.csv"),
            s.as_bytes(),
            Columns::Codebook,
            &Codebook::bundled().unwrap(),
            &mut rows,
            &mut problems,
            &mut 0,
        );
        (rows, problems)
    }

    #[test]
    fn rows_without_a_theme_are_counted_not_refused() {
        let mut rows = Vec::new();
        let mut problems = Vec::new();
        let mut unlabelled = 0;
        let csv = "doc_id,para_id,text,theme,secondary,suggested\nd,0,招商引资,,,investment\nd,1,x,social,,\nd,2,y,,livelihood,\n";
        read_rows(
            Path::new("s.csv"),
            csv.as_bytes(),
            Columns::Codebook,
            &Codebook::bundled().unwrap(),
            &mut rows,
            &mut problems,
            &mut unlabelled,
        );
        assert_eq!(unlabelled, 1);
        assert_eq!(rows.len(), 1);
        // A secondary without a primary is a mistake, not a row left for later.
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].to_string().starts_with("s.csv:4:"),
            "{problems:?}"
        );
    }

    #[test]
    fn good_rows_parse() {
        let (rows, p) = read_str("doc_id,para_id,text,theme,secondary\nd,0,招商引资,investment,\nd,1,\"a,b\",social,livelihood\n");
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].secondary, Some(Theme::Livelihood));
        assert_eq!(rows[1].line, 3);
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line() {
        let (rows, p) = read_str("doc_id,para_id,text,theme,secondary\nd,0,x,invest,\nd,1,,social,\nd,x,t,social,\nd,3,t,social,social\nd,4,t,social,\n");
        assert_eq!(rows.len(), 1);
        let msgs: Vec<String> = p.iter().map(|e| e.to_string()).collect();
        assert_eq!(msgs.len(), 4, "{msgs:?}");
        assert!(
            msgs[0].starts_with("l.csv:2: unknown theme id `invest`"),
            "{msgs:?}"
        );
        assert!(msgs[1].starts_with("l.csv:3: empty text"));
        assert!(msgs[2].starts_with("l.csv:4: para_id"));
        assert!(msgs[3].starts_with("l.csv:5: secondary"));
    }

    #[test]
    fn judgements_need_no_text_or_secondary() {
        let mut rows = Vec::new();
        let mut problems = Vec::new();
        let csv = "doc_id,para_id,theme\nd,0,social\nd,1,socal\n";
        read_rows(
            Path::new("j.csv"),
            csv.as_bytes(),
            Columns::Judgements,
            &Codebook::bundled().unwrap(),
            &mut rows,
            &mut problems,
            &mut 0,
        );
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].text, "");
        assert_eq!(rows[0].secondary, None);
        assert_eq!(problems.len(), 1);
        assert!(problems[0]
            .to_string()
            .starts_with("j.csv:3: unknown theme id"));
        // The codebook format still requires every column.
        let (_, p) = read_str("doc_id,para_id,theme\nd,0,social\n");
        assert!(p[0].to_string().contains("missing column `text`"), "{p:?}");
        // Without `theme` even a judgements file is refused.
        problems.clear();
        read_rows(
            Path::new("j.csv"),
            b"doc_id,para_id,text\nd,0,x\n",
            Columns::Judgements,
            &Codebook::bundled().unwrap(),
            &mut rows,
            &mut problems,
            &mut 0,
        );
        assert!(problems[0].to_string().contains("missing column `theme`"));
    }

    #[test]
    fn empty_rows_a_spreadsheet_leaves_are_skipped() {
        let (rows, p) = read_str(
            "doc_id,para_id,text,theme,secondary\r\nd,0,招商引资,investment,\r\n,,,,\r\n , ,,,\r\n,,,,\r\n",
        );
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(rows.len(), 1);
        // A row with something in it is still checked.
        let (_, p) =
            read_str("doc_id,para_id,text,theme,secondary\nd,0,x,investment,\n,,,social,\n");
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].to_string().contains("l.csv:3: empty doc_id"));
    }

    #[test]
    fn a_column_named_twice_is_refused() {
        let (rows, p) =
            read_str("doc_id,para_id,text,theme,secondary,theme\nd,0,x,social,,rural\n");
        assert!(rows.is_empty());
        assert!(
            p[0].to_string().starts_with(
                "l.csv:1: column `theme` appears 2 times in the header (columns 4, 6)"
            ),
            "{p:?}"
        );
    }

    #[test]
    fn missing_column_and_bad_quoting() {
        let (_, p) = read_str("doc_id,para_id,text,theme\nd,0,x,social\n");
        assert!(p[0].to_string().contains("missing column `secondary`"));
        let (_, p) = read_str("doc_id,para_id,text,theme,secondary\nd,0,\"unclosed,social,\n");
        assert!(!p.is_empty());
    }
}
