//! Traditional characters: detect a document written in them and give the
//! rest of the tool a simplified copy to read, with OpenCC's tables (the
//! `ferrous-opencc` crate, Apache-2.0). The text written out stays as the
//! user wrote it; only metadata, section markers and the model read the copy.
//!
//! The copy keeps every line's character count, so a paragraph cut from the
//! copy is mapped back to the same characters of the original.

use std::collections::HashMap;
use std::sync::OnceLock;

use ferrous_opencc::config::BuiltinConfig;
use ferrous_opencc::OpenCC;

/// Characters of a document sampled to decide its script.
const SAMPLE_CHARS: usize = 2000;
/// A document is traditional when conversion changes at least this share of
/// its Han characters: simplified text loses a handful to variants (乾, 著),
/// traditional text a quarter or more.
const MIN_CHANGED_SHARE: f64 = 0.05;
const MIN_CHANGED: usize = 8;

fn converter(
    cell: &'static OnceLock<Option<OpenCC>>,
    config: BuiltinConfig,
) -> Option<&'static OpenCC> {
    cell.get_or_init(|| OpenCC::from_config(config).ok())
        .as_ref()
}

fn t2s() -> Option<&'static OpenCC> {
    static C: OnceLock<Option<OpenCC>> = OnceLock::new();
    converter(&C, BuiltinConfig::T2s)
}

fn s2t_converter() -> Option<&'static OpenCC> {
    static C: OnceLock<Option<OpenCC>> = OnceLock::new();
    converter(&C, BuiltinConfig::S2t)
}

fn is_han(c: char) -> bool {
    HAN_RANGES.iter().any(|r| r.contains(&c))
}

/// Simplified copy of `text`, same number of characters (phrase conversion
/// where it keeps the length, character by character where it would not).
pub fn to_simplified(text: &str) -> String {
    convert_keeping_length(t2s(), text)
}

/// Traditional copy of simplified text: what tests build fixtures with.
pub fn to_traditional(text: &str) -> String {
    convert_keeping_length(s2t_converter(), text)
}

fn convert_keeping_length(c: Option<&OpenCC>, text: &str) -> String {
    let Some(c) = c else {
        return text.to_string();
    };
    let whole = c.convert(text);
    if whole.chars().count() == text.chars().count() {
        return whole;
    }
    let mut out = String::with_capacity(text.len());
    let mut buf = [0u8; 4];
    for ch in text.chars() {
        let one = c.convert(ch.encode_utf8(&mut buf));
        let mut it = one.chars();
        match (it.next(), it.next()) {
            (Some(s), None) => out.push(s),
            _ => out.push(ch),
        }
    }
    out
}

/// Whether text (its first few thousand characters) is in traditional characters.
pub fn is_traditional<'a>(lines: impl IntoIterator<Item = &'a str>) -> bool {
    let mut n = 0;
    let mut changed = 0;
    for l in lines {
        for c in l.chars().filter(|&c| is_han(c)) {
            n += 1;
            changed += usize::from(converts(c));
        }
        if n >= SAMPLE_CHARS {
            break;
        }
    }
    n > 0 && changed >= MIN_CHANGED && changed as f64 >= MIN_CHANGED_SHARE * n as f64
}

/// Whether OpenCC turns the Han character `c` into another one on its own.
/// Looked up in a table built once from the converter, because converting
/// every document's sample through OpenCC's dictionaries was half the time
/// of `segment`.
fn converts(c: char) -> bool {
    static TABLE: OnceLock<Vec<bool>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let chars: Vec<char> = HAN_RANGES.iter().flat_map(|r| r.clone()).collect();
        // One character a line, so no two neighbours convert as a phrase.
        let joined: String = chars.iter().flat_map(|&c| [c, '\n']).collect();
        let converted = match t2s() {
            Some(t) => t.convert(&joined),
            None => joined.clone(),
        };
        let mut table = vec![false; 0x10000];
        for (a, b) in joined.lines().zip(converted.lines()) {
            if a != b {
                if let Some(c) = a.chars().next() {
                    table[c as usize] = true;
                }
            }
        }
        table
    });
    table.get(c as usize).copied().unwrap_or(false)
}

const HAN_RANGES: [std::ops::RangeInclusive<char>; 3] = [
    '\u{4E00}'..='\u{9FFF}',
    '\u{3400}'..='\u{4DBF}',
    '\u{F900}'..='\u{FAFF}',
];

/// The simplified copy of a traditional document's lines, or `None` when
/// the document is not in traditional characters.
pub fn simplified_lines(lines: &[(usize, String)]) -> Option<Vec<(usize, String)>> {
    if !is_traditional(lines.iter().map(|(_, l)| l.as_str())) {
        return None;
    }
    Some(lines.iter().map(|(n, l)| (*n, to_simplified(l))).collect())
}

/// Maps paragraphs cut from the simplified copy back to the original text.
pub struct Restorer<'a> {
    copy: &'a [(usize, String)],
    original: &'a [(usize, String)],
    index: HashMap<usize, usize>,
    /// Byte offset in each copied line up to which paragraphs were mapped.
    cursor: Vec<usize>,
}

impl<'a> Restorer<'a> {
    pub fn new(copy: &'a [(usize, String)], original: &'a [(usize, String)]) -> Restorer<'a> {
        let index = copy.iter().enumerate().map(|(i, (n, _))| (*n, i)).collect();
        Restorer {
            copy,
            original,
            index,
            cursor: vec![0; copy.len()],
        }
    }

    /// The original characters of a paragraph cut from the copy, starting at
    /// source line `line`; `None` if it cannot be found (never expected).
    pub fn original(&mut self, text: &str, line: usize) -> Option<String> {
        let i = *self.index.get(&line)?;
        let copy = self.copy.get(i)?.1.as_str();
        let orig = self.original.get(i)?.1.as_str();
        let from = self.cursor[i];
        if let Some(at) = copy.get(from..).and_then(|rest| rest.find(text)) {
            let start = from + at;
            let skip = copy[..start].chars().count();
            let len = text.chars().count();
            self.cursor[i] = start + text.len();
            return Some(orig.chars().skip(skip).take(len).collect());
        }
        // A table: trimmed lines joined by single spaces.
        let mut rest = text;
        let mut out = String::new();
        let mut j = i;
        while !rest.is_empty() {
            let (c, o) = (self.copy.get(j)?.1.trim(), self.original.get(j)?.1.trim());
            j += 1;
            if c.is_empty() {
                continue;
            }
            rest = rest.strip_prefix(c)?;
            out.push_str(o);
            if let Some(r) = rest.strip_prefix(' ') {
                rest = r;
                out.push(' ');
            }
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_both_ways_keeping_length() {
        let t = "二〇二一年政府工作報告:過去一年工作回顧";
        let s = to_simplified(t);
        assert_eq!(s, "二〇二一年政府工作报告:过去一年工作回顾");
        assert_eq!(s.chars().count(), t.chars().count());
        assert_eq!(to_traditional("发展和改革"), "發展和改革");
    }

    #[test]
    fn detects_traditional_documents_only() {
        let simp = "现在,我代表市人民政府向大会报告工作,请予审议。过去一年,全市经济运行稳中有进。";
        assert!(!is_traditional([simp]));
        let trad = to_traditional(simp);
        assert_ne!(trad, simp);
        assert!(is_traditional([trad.as_str()]));
    }

    #[test]
    fn restores_original_text_of_lines_pieces_and_tables() {
        let orig: Vec<(usize, String)> = vec![
            (1, "  過去一年。經濟發展。".into()),
            (2, "指標 |".into()),
            (3, "數值 |".into()),
        ];
        let copy: Vec<(usize, String)> = orig.iter().map(|(n, l)| (*n, to_simplified(l))).collect();
        let mut r = Restorer::new(&copy, &orig);
        assert_eq!(r.original("过去一年。", 1).as_deref(), Some("過去一年。"));
        assert_eq!(r.original("经济发展。", 1).as_deref(), Some("經濟發展。"));
        assert_eq!(
            r.original("指标 | 数值 |", 2).as_deref(),
            Some("指標 | 數值 |")
        );
        assert_eq!(r.original("不在这里", 1), None);
    }
}
