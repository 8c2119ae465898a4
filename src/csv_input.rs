//! Reading a user's CSV: BOM tolerated, columns found by name, errors that
//! name the file and line.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// An open CSV file with its header.
pub struct CsvInput {
    pub reader: csv::Reader<std::io::Cursor<Vec<u8>>>,
    headers: csv::StringRecord,
    path: PathBuf,
}

impl CsvInput {
    /// Read the file and its header (a UTF-8 BOM is skipped).
    pub fn open(path: &Path) -> Result<CsvInput> {
        let mut bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        if bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes.drain(..3);
        }
        let mut reader = csv::Reader::from_reader(std::io::Cursor::new(bytes));
        let headers = reader
            .headers()
            .map_err(|e| Error::line(path, 1, format!("bad header: {e}")))?
            .clone();
        Ok(CsvInput {
            reader,
            headers,
            path: path.to_path_buf(),
        })
    }

    /// Index of a column, if present.
    pub fn col(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h.trim() == name)
    }

    /// Index of a required column; `hint` says what the file needs.
    pub fn need(&self, name: &str, hint: &str) -> Result<usize> {
        self.col(name)
            .ok_or_else(|| Error::line(&self.path, 1, format!("missing column `{name}`{hint}")))
    }
}
