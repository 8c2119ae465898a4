//! Reading a user's CSV: UTF-8 (BOM tolerated) or GBK, columns found by
//! name, errors that name the file and line. JSON Lines (what `--format
//! jsonl` writes) are read as the same table: keys are columns.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// An open CSV (or JSON Lines) file with its header.
pub struct CsvInput {
    source: Source,
    headers: csv::StringRecord,
    path: PathBuf,
}

enum Source {
    Csv(csv::Reader<std::io::Cursor<Vec<u8>>>),
    /// JSON Lines, parsed up front into records with their line numbers.
    Jsonl(Vec<(u64, csv::StringRecord)>),
}

/// Whether input is JSON Lines: named `.jsonl`, or its first non-blank byte
/// opens an object (no CSV header starts with `{`).
pub fn is_jsonl(path: &Path, text: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("jsonl") || e.eq_ignore_ascii_case("ndjson"))
        || text
            .trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n'])
            .starts_with('{')
}

/// JSON Lines as a table: columns are the keys (sorted by serde_json);
/// strings as they are, numbers and booleans as written, `null` as empty.
/// A line that is not a JSON object is an error naming it.
fn read_jsonl(
    path: &Path,
    text: &str,
) -> Result<(csv::StringRecord, Vec<(u64, csv::StringRecord)>)> {
    let mut columns: Vec<String> = Vec::new();
    let mut objects = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i as u64 + 1;
        let line = line.trim_start_matches('\u{feff}').trim();
        if line.is_empty() {
            continue;
        }
        let value: serde_json::Value = serde_json::from_str(line)
            .map_err(|e| Error::line(path, n, format!("bad JSON Lines: {e}")))?;
        let serde_json::Value::Object(map) = value else {
            return Err(Error::line(
                path,
                n,
                "bad JSON Lines: every line must be one JSON object (`{...}`)",
            ));
        };
        for k in map.keys() {
            if !columns.iter().any(|c| c == k) {
                columns.push(k.clone());
            }
        }
        objects.push((n, map));
    }
    let records = objects
        .into_iter()
        .map(|(n, map)| {
            let cells = columns.iter().map(|c| match map.get(c) {
                None | Some(serde_json::Value::Null) => String::new(),
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(v) => v.to_string(),
            });
            (n, csv::StringRecord::from_iter(cells))
        })
        .collect();
    Ok((csv::StringRecord::from_iter(&columns), records))
}

impl CsvInput {
    /// Read the file (through [`text`]: UTF-8 or GBK, no open quote) and its
    /// header.
    /// `-` reads standard input, named `stdin` in messages, so commands pipe
    /// together.
    pub fn open(path: &Path) -> Result<CsvInput> {
        let (path, bytes) = if crate::io::is_stdin(path) {
            let name = Path::new(crate::io::STDIN_NAME);
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| Error::io(name, e))?;
            (name, bytes)
        } else {
            (path, crate::io::output::read_input(path)?)
        };
        let text = decode(path, &bytes)?;
        if is_jsonl(path, &text) {
            let (headers, records) = read_jsonl(path, &text)?;
            return Ok(CsvInput {
                source: Source::Jsonl(records),
                headers,
                path: path.to_path_buf(),
            });
        }
        check_quotes(path, text.as_bytes())?;
        let mut reader = csv::Reader::from_reader(std::io::Cursor::new(text.into_bytes()));
        let headers = reader
            .headers()
            .map_err(|e| Error::line(path, 1, format!("bad header: {e}")))?
            .clone();
        Ok(CsvInput {
            source: Source::Csv(reader),
            headers,
            path: path.to_path_buf(),
        })
    }

    /// The name the input goes by in messages: its path, or `stdin`.
    pub fn name(&self) -> &Path {
        &self.path
    }

    /// The data rows with their line numbers; a malformed row is an error naming its line.
    /// Rows whose every cell is empty (`,,,,` as spreadsheets leave them at
    /// the end of a sheet) are skipped.
    pub fn rows(&mut self) -> Box<dyn Iterator<Item = Result<(u64, csv::StringRecord)>> + '_> {
        let CsvInput { source, path, .. } = self;
        let reader = match source {
            Source::Jsonl(records) => {
                return Box::new(
                    std::mem::take(records)
                        .into_iter()
                        .filter(|(_, r)| !is_blank(r))
                        .map(Ok),
                )
            }
            Source::Csv(reader) => reader,
        };
        Box::new(reader.records().filter_map(move |rec| match rec {
            Ok(r) if is_blank(&r) => None,
            Ok(r) => Some(Ok((r.position().map(|p| p.line()).unwrap_or(0), r))),
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                Some(Err(Error::line(
                    &*path,
                    line,
                    format!("malformed CSV: {e}"),
                )))
            }
        }))
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

/// Whether every cell of a record is empty or blank: a spreadsheet's empty
/// row, not data.
pub fn is_blank(record: &csv::StringRecord) -> bool {
    record.iter().all(|cell| cell.trim().is_empty())
}

/// A CSV file's text, decoded as reports are (UTF-8 with or without BOM,
/// UTF-16 with BOM, GB18030/GBK) and checked by [`check_quotes`]: what every
/// CSV reader of the crate starts from.
pub fn text(path: &Path, bytes: &[u8]) -> Result<String> {
    let text = decode(path, bytes)?;
    check_quotes(path, text.as_bytes())?;
    Ok(text)
}

/// Spreadsheets on Chinese Windows save CSV in GBK, so CSV is decoded as
/// reports are; binary files, and documents such as .xlsx, are refused by name.
fn decode(path: &Path, bytes: &[u8]) -> Result<String> {
    use crate::io::decode::DecodeError;
    crate::io::decode::decode(bytes)
        .map(|(text, _)| text)
        .map_err(|e| match e {
            // The report-oriented advice (extract the text) does not fit a table.
            DecodeError::Document(kind, _) | DecodeError::Markup(kind) => Error::input(
                path,
                format!(
                    "not CSV text: {kind}. A workbook (.xlsx, .xls) must be saved as CSV \
                     (UTF-8 or GBK) first"
                ),
            ),
            e => Error::input(path, e.to_string()),
        })
}

/// Fail when a quoted field is never closed.
///
/// The csv crate ends such a field at the end of the file without an error,
/// so one stray `"` silently merges every later row into a single cell.
/// This follows the reader's grammar (RFC 4180 quoting, `""` inside quotes)
/// and names the line where the unclosed field opens.
pub fn check_quotes(path: &Path, bytes: &[u8]) -> Result<()> {
    match unclosed_quote_line(bytes) {
        None => Ok(()),
        Some(line) => Err(Error::line(
            path,
            line,
            "a quoted field opens here and is never closed (a stray `\"`?); \
             every later line would have been read into it",
        )),
    }
}

/// Line (1-based) where a never-closed quoted field opens, if there is one.
fn unclosed_quote_line(bytes: &[u8]) -> Option<u64> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let mut state = State::FieldStart;
    let mut line = 1u64;
    let mut opened_at = 0u64;
    for &b in bytes {
        state = match (state, b) {
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::Quoted, _) => State::Quoted,
            // `""` is a quote inside the field.
            (State::QuoteInQuoted, b'"') => State::Quoted,
            (State::FieldStart, b'"') => {
                opened_at = line;
                State::Quoted
            }
            (_, b',' | b'\n' | b'\r') => State::FieldStart,
            // Text after a closing quote is kept by the reader, as in an unquoted field.
            _ => State::Unquoted,
        };
        if b == b'\n' {
            line += 1;
        }
    }
    (state == State::Quoted).then_some(opened_at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_lines_read_as_a_table_with_their_line_numbers() {
        let text = "{\"doc_id\":\"a\",\"para_id\":0,\"year\":null}\n\n{\"doc_id\":\"b\",\"text\":\"x\",\"ok\":true}\n";
        assert!(is_jsonl(Path::new("x.csv"), text));
        assert!(is_jsonl(Path::new("x.jsonl"), "doc_id"));
        assert!(!is_jsonl(Path::new("x.csv"), "doc_id,text\n"));
        let (h, rows) = read_jsonl(Path::new("x"), text).unwrap();
        // Column order is not promised (serde_json sorts keys); columns are found by name.
        let mut cols: Vec<&str> = h.iter().collect();
        cols.sort_unstable();
        assert_eq!(cols, ["doc_id", "ok", "para_id", "text", "year"]);
        let cell = |r: usize, c: &str| {
            let i = h.iter().position(|x| x == c).unwrap();
            rows[r].1.get(i).unwrap().to_string()
        };
        assert_eq!(rows[0].0, 1);
        assert_eq!(
            [
                cell(0, "doc_id"),
                cell(0, "para_id"),
                cell(0, "year"),
                cell(0, "text")
            ],
            ["a", "0", "", ""]
        );
        assert_eq!(rows[1].0, 3);
        assert_eq!(
            [cell(1, "doc_id"), cell(1, "ok"), cell(1, "text")],
            ["b", "true", "x"]
        );
        let e = read_jsonl(Path::new("p.jsonl"), "{\"a\":1}\n[1]\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("p.jsonl") && e.contains('2'), "{e}");
        let e = read_jsonl(Path::new("p.jsonl"), "{\"a\":1}\n{\"a\":\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("p.jsonl") && e.contains("bad JSON"), "{e}");
    }

    #[test]
    fn well_formed_quoting_passes() {
        for ok in [
            &b"a,b\n1,2\n"[..],
            b"a,b\n\"x,\ny\",2\n",
            b"a,b\n\"say \"\"hi\"\"\",2",
            b"a,b\n\"x\"tail,2\r\n",
            b"a,b\nin\"side,2\n",
            b"",
        ] {
            assert_eq!(
                unclosed_quote_line(ok),
                None,
                "{}",
                String::from_utf8_lossy(ok)
            );
        }
    }

    #[test]
    fn unclosed_quote_is_found_at_its_line() {
        assert_eq!(unclosed_quote_line(b"a,b\n1,\"x\n2,y\n3,z\n"), Some(2));
        assert_eq!(unclosed_quote_line(b"a,b\n\"x\ny\",2\n3,\"never"), Some(4));
        // An escaped quote does not close the field.
        assert_eq!(unclosed_quote_line(b"a\n\"x\"\""), Some(2));
    }

    #[test]
    fn the_csv_reader_agrees_where_the_check_passes() {
        // The grammar here must match the reader's: same fields on a tricky file.
        let text = "a,b\n\"x,\n\"\"y\"\"\",in\"side\n\"q\"tail,3\n";
        assert_eq!(unclosed_quote_line(text.as_bytes()), None);
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let rows: Vec<Vec<String>> = r
            .records()
            .map(|x| x.unwrap().iter().map(str::to_string).collect())
            .collect();
        assert_eq!(
            rows,
            vec![
                vec!["x,\n\"y\"".to_string(), "in\"side".to_string()],
                vec!["qtail".to_string(), "3".to_string()],
            ]
        );
    }
}
