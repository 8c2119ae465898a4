//! The three shapes a table of rows is written in (`--format csv|jsonl|table`).
//!
//! Commands build their rows as CSV (the shape they always wrote); JSON Lines
//! and the aligned terminal table are derived from it here, so every command
//! writes the same columns whatever the format.

use crate::error::{Error, Result};

/// Columns that hold names or codes, never quantities: kept as JSON strings
/// even when they look like numbers (a doc_id `2022`, a region code).
const TEXT_COLUMNS: &[&str] = &[
    "doc_id",
    "region",
    "region_code",
    "province",
    "prefecture",
    "kind",
    "section",
    "theme",
    "gold_theme",
    "secondary",
    "name",
    "a",
    "b",
    "group",
    "text",
    "explain",
];

fn parse_err(e: csv::Error) -> Error {
    Error::Other(format!("reading back CSV written by this tool: {e}"))
}

/// One JSON object per CSV row, keys in column order: empty cells are
/// `null`, numbers are numbers (except in [`TEXT_COLUMNS`]).
pub fn csv_to_jsonl(csv: &[u8]) -> Result<Vec<u8>> {
    let mut r = csv::ReaderBuilder::new().from_reader(csv);
    let header: Vec<String> = r
        .headers()
        .map_err(parse_err)?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    let keys: Vec<String> = header
        .iter()
        .map(|h| serde_json::to_string(h).map_err(|e| Error::Other(e.to_string())))
        .collect::<Result<_>>()?;
    let text: Vec<bool> = header
        .iter()
        .map(|h| TEXT_COLUMNS.contains(&h.as_str()))
        .collect();
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(parse_err)?;
        out.push(b'{');
        for (i, cell) in rec.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            let key = keys.get(i).map(String::as_str).unwrap_or("\"\"");
            out.extend_from_slice(key.as_bytes());
            out.push(b':');
            out.extend_from_slice(
                json_value(cell, text.get(i).copied().unwrap_or(true))?.as_bytes(),
            );
        }
        out.extend_from_slice(b"}\n");
    }
    Ok(out)
}

fn json_value(cell: &str, text: bool) -> Result<String> {
    if cell.is_empty() {
        return Ok("null".into());
    }
    if !text && looks_numeric(cell) {
        if let Ok(x) = cell.parse::<f64>() {
            if x.is_finite() {
                return Ok(cell.to_string());
            }
        }
    }
    serde_json::to_string(cell).map_err(|e| Error::Other(e.to_string()))
}

/// Whether a cell is written the way JSON writes a number (`inf`, `+1`,
/// `.5` or `007` parse as floats in Rust but are not JSON numbers).
fn looks_numeric(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let bytes = digits.as_bytes();
    match bytes {
        [] => false,
        [b'0', b'0'..=b'9', ..] => false,
        [first, ..] if first.is_ascii_digit() => bytes
            .iter()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+')),
        _ => false,
    }
}

/// CSV as an aligned terminal table: columns padded to their display width
/// (CJK characters take two cells), numbers right-aligned, the last column
/// (usually the text) left as it is so long paragraphs are shown whole.
pub fn csv_to_table(csv: &[u8]) -> Result<String> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv);
    let rows: Vec<Vec<String>> = r
        .records()
        .map(|rec| {
            rec.map(|rec| {
                rec.iter()
                    .map(|c| c.trim_start_matches('\u{feff}').replace(['\n', '\r'], " "))
                    .collect()
            })
        })
        .collect::<std::result::Result<_, _>>()
        .map_err(parse_err)?;
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut width = vec![0usize; cols];
    let mut numeric = vec![true; cols];
    for (n, row) in rows.iter().enumerate() {
        for (i, cell) in row.iter().enumerate() {
            width[i] = width[i].max(display_width(cell));
            if n > 0 && !cell.is_empty() && !looks_numeric(cell) {
                numeric[i] = false;
            }
        }
    }
    let mut out = String::new();
    for row in &rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            let fill = " ".repeat(width[i].saturating_sub(display_width(cell)));
            if i + 1 == row.len() && !numeric[i] {
                line.push_str(cell);
            } else if numeric[i] {
                line.push_str(&fill);
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&fill);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    Ok(out)
}

/// Terminal columns a string takes (East Asian wide characters take two).
pub fn display_width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonl_keeps_column_order_types_and_text_columns() {
        let csv = "doc_id,region,year,share,text,note\n2022,甲市,2022,0.25,\"a,\"\"b\"\"\",\n";
        let out = String::from_utf8(csv_to_jsonl(csv.as_bytes()).unwrap()).unwrap();
        assert_eq!(
            out,
            "{\"doc_id\":\"2022\",\"region\":\"甲市\",\"year\":2022,\"share\":0.25,\"text\":\"a,\\\"b\\\"\",\"note\":null}\n"
        );
        let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(v["year"], 2022);
    }

    #[test]
    fn numbers_json_would_not_read_stay_strings() {
        for s in ["007", "inf", "+1", ".5", "1-2"] {
            let out = json_value(s, false).unwrap();
            if s == "1-2" {
                // Looks numeric by bytes but does not parse: a string.
                assert_eq!(out, "\"1-2\"");
            } else {
                assert_eq!(out, format!("\"{s}\""), "{s}");
            }
        }
        assert_eq!(json_value("-0.5", false).unwrap(), "-0.5");
    }

    #[test]
    fn table_aligns_cjk_and_right_aligns_numbers() {
        let csv = "region,year,n,text\n九原区,2022,5,长文本\nab,2023,12,x\n";
        let t = csv_to_table(csv.as_bytes()).unwrap();
        let lines: Vec<&str> = t.lines().collect();
        // The year column starts at the same display column on every row.
        let col = |l: &str| display_width(&l[..l.find("20").unwrap()]);
        assert_eq!(col(lines[1]), col(lines[2]));
        assert!(lines[1].contains("  5  长文本"), "{t}");
        assert!(lines[2].contains(" 12  x"), "{t}");
    }
}
