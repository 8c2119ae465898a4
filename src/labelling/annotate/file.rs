//! The label file `annotate` writes: read whole, kept whole (every row and
//! column the user had), and replaced whole, atomically, after each decision.
//!
//! The file is replaced by renaming a finished temporary file in its own
//! directory over it, so a reader (or a crash, or a kill) sees the old file
//! or the new one, never half of one. Before each write the file on disk is
//! compared (SHA-256) with what this process last read or wrote: when
//! someone edited it elsewhere in the meantime, the write is refused, so
//! neither their edit nor the label is silently lost.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{Decision, Key};
use crate::codebook::Codebook;
use crate::error::{Error, Result};
use crate::labelling::labels::{LabelRow, LabelSet};
use crate::text::tokenize::sha256_hex;

/// The columns of a new label file: the codebook format, then the coder's note.
pub const NEW_COLUMNS: [&str; 6] = ["doc_id", "para_id", "text", "theme", "secondary", "note"];

/// Column indices of the cells `annotate` reads and writes.
#[derive(Debug, Clone, Copy)]
struct Cols {
    doc: usize,
    para: usize,
    text: usize,
    theme: usize,
    secondary: usize,
    note: usize,
}

/// A label file held in memory as the rows of a table.
#[derive(Debug)]
pub struct LabelFile {
    /// The name the user gave, for messages.
    path: PathBuf,
    /// Where the file is written: `path` with symlinks followed.
    target: PathBuf,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    /// Whether the file started with a UTF-8 byte-order mark (kept).
    bom: bool,
    /// SHA-256 of the bytes last read or written; `None` while the file does not exist.
    seen: Option<String>,
    cols: Cols,
}

/// A message for a file changed behind our back.
fn changed_elsewhere(path: &Path) -> Error {
    Error::input(
        path,
        "changed on disk since annotate last read or wrote it (edited elsewhere?); \
         this decision was NOT written and the file was left as it is. Close the other \
         editor and restart annotate, which reads the file again and resumes",
    )
}

impl LabelFile {
    /// Read `path` (a label file in the codebook format, or nothing yet),
    /// checking every row against `codebook`: a bad file is an error naming
    /// its lines.
    pub fn open(path: &Path, codebook: &Codebook) -> Result<LabelFile> {
        let target = match std::fs::canonicalize(path) {
            Ok(t) => t,
            Err(_) => path.to_path_buf(),
        };
        let meta = match std::fs::metadata(&target) {
            Ok(m) => Some(m),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(Error::io(path, e)),
        };
        let Some(meta) = meta else {
            let parent = match target.parent() {
                Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                _ => PathBuf::from("."),
            };
            if !parent.is_dir() {
                return Err(Error::input(
                    path,
                    format!("the directory {} does not exist", parent.display()),
                ));
            }
            return Ok(LabelFile {
                path: path.to_path_buf(),
                target,
                header: NEW_COLUMNS.iter().map(|s| s.to_string()).collect(),
                rows: Vec::new(),
                bom: false,
                seen: None,
                cols: Cols {
                    doc: 0,
                    para: 1,
                    text: 2,
                    theme: 3,
                    secondary: 4,
                    note: 5,
                },
            });
        };
        if meta.is_dir() {
            return Err(Error::input(
                path,
                "is a directory; annotate writes one label file (e.g. mylabels/round1.csv)",
            ));
        }
        // The checks every label reader makes (columns, themes, duplicates), by line.
        let set = LabelSet::read_strict(path, codebook)?;
        let bytes = std::fs::read(&target).map_err(|e| Error::io(path, e))?;
        let hash = sha256_hex(&bytes);
        if set.file_hashes.first() != Some(&hash) {
            return Err(Error::input(path, "changed while it was being read"));
        }
        let text = crate::io::csv_input::text(path, &bytes)?;
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut header: Vec<String> = rdr
            .headers()
            .map_err(|e| Error::line(path, 1, format!("bad header: {e}")))?
            .iter()
            .map(|h| h.to_string())
            .collect();
        let mut rows = Vec::new();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| Error::input(path, format!("malformed CSV: {e}")))?;
            rows.push(rec.iter().map(|c| c.to_string()).collect::<Vec<_>>());
        }
        let find = |name: &str| header.iter().position(|h| h.trim() == name);
        let need = |name: &str| {
            find(name).ok_or_else(|| Error::line(path, 1, format!("missing column `{name}`")))
        };
        let (doc, para, text_col, theme, secondary) = (
            need("doc_id")?,
            need("para_id")?,
            need("text")?,
            need("theme")?,
            need("secondary")?,
        );
        // A file without a note column gets one; every other column stays.
        let note = match find("note") {
            Some(i) => i,
            None => {
                header.push("note".into());
                header.len() - 1
            }
        };
        for r in &mut rows {
            r.resize(r.len().max(header.len()), String::new());
        }
        Ok(LabelFile {
            path: path.to_path_buf(),
            target,
            header,
            rows,
            bom: bytes.starts_with(crate::io::output::UTF8_BOM),
            seen: Some(hash),
            cols: Cols {
                doc,
                para,
                text: text_col,
                theme,
                secondary,
                note,
            },
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn key_of(&self, row: &[String]) -> Option<Key> {
        let doc = row.get(self.cols.doc)?.trim();
        let para = row.get(self.cols.para)?.trim().parse::<usize>().ok()?;
        (!doc.is_empty()).then(|| (doc.to_string(), para))
    }

    fn position(&self, key: &Key) -> Option<usize> {
        self.rows
            .iter()
            .position(|r| self.key_of(r).as_ref() == Some(key))
    }

    /// The row of a paragraph, as it is in the file.
    pub fn row(&self, key: &Key) -> Option<Vec<String>> {
        self.position(key).map(|i| self.rows[i].clone())
    }

    fn cell(row: &[String], i: usize) -> &str {
        row.get(i).map(String::as_str).unwrap_or("").trim()
    }

    /// The decision a row holds; `None` when its theme is still empty.
    fn decision_of(&self, row: &[String], codebook: &Codebook) -> Option<Decision> {
        let theme = codebook.parse(Self::cell(row, self.cols.theme)).ok()?;
        let secondary = match Self::cell(row, self.cols.secondary) {
            "" => None,
            s => codebook.parse(s).ok(),
        };
        Some(Decision {
            theme,
            secondary,
            note: Self::cell(row, self.cols.note).to_string(),
        })
    }

    /// The paragraph's label in the file, if it has one.
    pub fn decision(&self, key: &Key, codebook: &Codebook) -> Option<Decision> {
        let i = self.position(key)?;
        self.decision_of(&self.rows[i], codebook)
    }

    /// Every labelled row, as the label reader gives them (for fitting).
    pub fn label_rows(&self, codebook: &Codebook) -> Vec<LabelRow> {
        self.rows
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                let key = self.key_of(r)?;
                let d = self.decision_of(r, codebook)?;
                Some(LabelRow {
                    doc_id: key.0,
                    para_id: key.1,
                    text: Self::cell(r, self.cols.text).to_string(),
                    theme: d.theme,
                    secondary: d.secondary,
                    file: self.path.clone(),
                    line: i as u64 + 2,
                })
            })
            .collect()
    }

    /// Rows with a key but no theme yet (a `sample` file being filled in),
    /// with the values of the named extra columns.
    pub fn unlabelled(
        &self,
        codebook: &Codebook,
        extra: &[&str],
    ) -> Vec<(Key, String, Vec<String>)> {
        let idx: Vec<Option<usize>> = extra
            .iter()
            .map(|n| self.header.iter().position(|h| h.trim() == *n))
            .collect();
        self.rows
            .iter()
            .filter(|r| self.decision_of(r, codebook).is_none())
            .filter_map(|r| {
                let key = self.key_of(r)?;
                let vals = idx
                    .iter()
                    .map(|i| i.map(|i| Self::cell(r, i).to_string()).unwrap_or_default())
                    .collect();
                Some((key, Self::cell(r, self.cols.text).to_string(), vals))
            })
            .collect()
    }

    /// The row for `key` holding `d`: the file's row with its theme,
    /// secondary and note replaced (other columns kept), or a new row.
    pub fn labelled_row(
        &self,
        key: &Key,
        text: &str,
        d: &Decision,
        codebook: &Codebook,
    ) -> Vec<String> {
        let mut row = self
            .row(key)
            .unwrap_or_else(|| vec![String::new(); self.header.len()]);
        row.resize(row.len().max(self.header.len()), String::new());
        if row[self.cols.doc].trim().is_empty() {
            row[self.cols.doc] = key.0.clone();
            row[self.cols.para] = key.1.to_string();
        }
        if row[self.cols.text].trim().is_empty() {
            row[self.cols.text] = text.to_string();
        }
        row[self.cols.theme] = codebook.id(d.theme).to_string();
        row[self.cols.secondary] = d
            .secondary
            .map(|t| codebook.id(t).to_string())
            .unwrap_or_default();
        row[self.cols.note] = d.note.clone();
        row
    }

    fn put(&mut self, key: &Key, row: Option<Vec<String>>) {
        match (self.position(key), row) {
            (Some(i), Some(r)) => self.rows[i] = r,
            (Some(i), None) => {
                self.rows.remove(i);
            }
            (None, Some(r)) => self.rows.push(r),
            (None, None) => {}
        }
    }

    /// Set the row of `key` (`None` removes it) and write the file; on any
    /// failure the file on disk and in memory stay as they were. Returns the
    /// row as it was, for undo.
    pub fn commit(&mut self, key: &Key, row: Option<Vec<String>>) -> Result<Option<Vec<String>>> {
        let old = self.row(key);
        self.put(key, row);
        if let Err(e) = self.save() {
            self.put(key, old);
            return Err(e);
        }
        Ok(old)
    }

    /// Whether the file has no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Add or replace several rows and write the file once; on failure
    /// nothing changes.
    pub fn commit_many(&mut self, rows: Vec<(Key, Vec<String>)>) -> Result<()> {
        let before = self.rows.clone();
        for (k, r) in rows {
            self.put(&k, Some(r));
        }
        if let Err(e) = self.save() {
            self.rows = before;
            return Err(e);
        }
        Ok(())
    }

    /// Whether the file on disk is what this process last read or wrote.
    pub fn check_unchanged(&self) -> Result<()> {
        let now = match std::fs::read(&self.target) {
            Ok(b) => Some(sha256_hex(&b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(Error::io(&self.path, e)),
        };
        if now != self.seen {
            return Err(changed_elsewhere(&self.path));
        }
        Ok(())
    }

    fn bytes(&self) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        if self.bom {
            out.extend_from_slice(crate::io::output::UTF8_BOM);
        }
        let mut w = csv::Writer::from_writer(&mut out);
        let werr = |e: csv::Error| Error::Other(format!("{}: {e}", self.path.display()));
        w.write_record(&self.header).map_err(werr)?;
        for r in &self.rows {
            w.write_record(r).map_err(werr)?;
        }
        w.flush().map_err(|e| Error::write(&self.path, e))?;
        drop(w);
        Ok(out)
    }

    /// Replace the file whole: a temporary file in the same directory,
    /// synced, given the old file's permissions, renamed over it.
    fn save(&mut self) -> Result<()> {
        self.check_unchanged()?;
        let bytes = self.bytes()?;
        let dir = match self.target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let werr = |e: std::io::Error| Error::write(&self.path, e);
        let mut tmp = tempfile::Builder::new()
            .prefix(".policy-themes-annotate-")
            .tempfile_in(&dir)
            .map_err(|e| werr(std::io::Error::from(e.kind())))?;
        tmp.write_all(&bytes).map_err(werr)?;
        tmp.as_file().sync_all().map_err(werr)?;
        if let Some(p) = crate::io::output::replacement_permissions(&self.target) {
            tmp.as_file().set_permissions(p).map_err(werr)?;
        }
        tmp.persist(&self.target).map_err(|e| werr(e.error))?;
        self.seen = Some(sha256_hex(&bytes));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cb() -> Codebook {
        Codebook::bundled().unwrap()
    }

    fn d(cb: &Codebook, t: &str) -> Decision {
        Decision {
            theme: cb.parse(t).unwrap(),
            secondary: None,
            note: String::new(),
        }
    }

    #[test]
    fn a_new_file_is_created_and_written_whole_on_each_commit() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("l.csv");
        let cb = cb();
        let mut f = LabelFile::open(&p, &cb).unwrap();
        assert!(!p.exists());
        let k = ("d".to_string(), 3);
        let row = f.labelled_row(&k, "招商引资，项目落地。", &d(&cb, "investment"), &cb);
        assert_eq!(f.commit(&k, Some(row)).unwrap(), None);
        let text = std::fs::read_to_string(&p).unwrap();
        assert_eq!(
            text,
            "doc_id,para_id,text,theme,secondary,note\nd,3,招商引资，项目落地。,investment,,\n"
        );
        // It reads back as labels.
        let set = LabelSet::read_strict(&p, &cb).unwrap();
        assert_eq!(set.rows.len(), 1);
        // Removing the row (undo) writes the file without it.
        f.commit(&k, None).unwrap();
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            "doc_id,para_id,text,theme,secondary,note\n"
        );
    }

    #[test]
    fn the_users_rows_and_columns_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("round1.csv");
        let cb = cb();
        std::fs::write(
            &p,
            "\u{feff}doc_id,para_id,text,theme,secondary,suggested,reason\n\
             a,0,乡村振兴。,rural,,rural,spread\n\
             a,1,\"营商环境,优化。\",,,reform,spread\n",
        )
        .unwrap();
        let mut f = LabelFile::open(&p, &cb).unwrap();
        let k = ("a".to_string(), 1);
        assert!(f.decision(&k, &cb).is_none());
        let un = f.unlabelled(&cb, &["reason"]);
        assert_eq!(
            un,
            vec![(
                k.clone(),
                "营商环境,优化。".to_string(),
                vec!["spread".to_string()]
            )]
        );
        let mut dec = d(&cb, "reform");
        dec.note = "a \"hard\" one, with a comma".into();
        dec.secondary = cb.parse("investment").ok();
        let row = f.labelled_row(&k, "ignored: the row has its text", &dec, &cb);
        f.commit(&k, Some(row)).unwrap();
        let bytes = std::fs::read(&p).unwrap();
        assert!(bytes.starts_with(crate::io::output::UTF8_BOM));
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert_eq!(
            text,
            "doc_id,para_id,text,theme,secondary,suggested,reason,note\n\
             a,0,乡村振兴。,rural,,rural,spread,\n\
             a,1,\"营商环境,优化。\",reform,investment,reform,spread,\"a \"\"hard\"\" one, with a comma\"\n"
        );
        assert_eq!(f.decision(&k, &cb), Some(dec));
        // Undo puts the row back as it was (theme empty again), not removed.
        let before = f.commit(&k, None).unwrap();
        assert!(before.is_some());
        let f2 = LabelFile::open(&p, &cb).unwrap();
        assert_eq!(f2.rows.len(), 1);
    }

    #[test]
    fn a_file_changed_elsewhere_is_not_written() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("l.csv");
        let cb = cb();
        std::fs::write(&p, "doc_id,para_id,text,theme,secondary\nd,0,x,social,\n").unwrap();
        let mut f = LabelFile::open(&p, &cb).unwrap();
        let edited = "doc_id,para_id,text,theme,secondary\nd,0,x,livelihood,\n";
        std::fs::write(&p, edited).unwrap();
        let k = ("d".to_string(), 1);
        let row = f.labelled_row(&k, "y", &d(&cb, "rural"), &cb);
        let err = f.commit(&k, Some(row)).unwrap_err().to_string();
        assert!(
            err.contains("l.csv: changed on disk since annotate"),
            "{err}"
        );
        assert_eq!(std::fs::read_to_string(&p).unwrap(), edited);
        // Nothing changed in memory either.
        assert_eq!(f.row(&k), None);
        // A file deleted behind our back is refused too.
        std::fs::remove_file(&p).unwrap();
        assert!(f.check_unchanged().is_err());
    }

    #[test]
    fn a_bad_file_is_an_error_naming_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("l.csv");
        std::fs::write(
            &p,
            "doc_id,para_id,text,theme,secondary\nd,0,x,social,\nd,1,y,socal,\n",
        )
        .unwrap();
        let err = LabelFile::open(&p, &cb()).unwrap_err().to_string();
        assert!(err.contains("l.csv:3: unknown theme id `socal`"), "{err}");
        let err = LabelFile::open(dir.path(), &cb()).unwrap_err().to_string();
        assert!(err.contains("is a directory"), "{err}");
        let err = LabelFile::open(&dir.path().join("no/l.csv"), &cb())
            .unwrap_err()
            .to_string();
        assert!(err.contains("does not exist"), "{err}");
    }

    #[test]
    fn the_write_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("l.csv");
        let cb = cb();
        let mut f = LabelFile::open(&p, &cb).unwrap();
        for i in 0..5 {
            let k = ("d".to_string(), i);
            let row = f.labelled_row(&k, "文本", &d(&cb, "social"), &cb);
            f.commit(&k, Some(row)).unwrap();
        }
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("l.csv")]);
        assert_eq!(LabelSet::read_strict(&p, &cb).unwrap().rows.len(), 5);
    }
}
