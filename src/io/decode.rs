//! Bytes to text: UTF-8 (with or without BOM), UTF-16 (with or without BOM),
//! GB18030/GBK, Big5.
//!
//! Scrapers hand us whatever the site served. We accept the encodings Chinese
//! sites actually use and refuse anything else with a clear error instead of
//! guessing and producing mojibake. Where bytes are valid in several legacy
//! encodings (GBK decodes almost anything), each strict decode is scored by
//! how plausible its characters are as Chinese text ([`plausibility`]).

use std::sync::OnceLock;

use encoding_rs::{BIG5, GB18030, UTF_16BE, UTF_16LE};

/// The encoding a file was decoded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    /// UTF-16 without a byte-order mark, recognised by its characters.
    Utf16LeNoBom,
    Utf16BeNoBom,
    Gb18030,
    /// Big5 (traditional characters, Taiwan and Hong Kong sites).
    Big5,
}

impl Encoding {
    /// What to tell the user about a file read in this encoding: the ones
    /// recognised by their content rather than declared, where a wrong guess
    /// is possible.
    pub fn warning(self) -> Option<&'static str> {
        match self {
            Encoding::Big5 => Some(
                "read as Big5 (traditional characters); if the text looks garbled, \
                 save the file as UTF-8 and read that",
            ),
            Encoding::Utf16LeNoBom => {
                Some("read as UTF-16 (little-endian) without a byte-order mark")
            }
            Encoding::Utf16BeNoBom => Some("read as UTF-16 (big-endian) without a byte-order mark"),
            _ => None,
        }
    }
}

/// Why bytes could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("empty file")]
    Empty,
    #[error("binary data, not text (NUL or control bytes at byte {0})")]
    Binary(usize),
    #[error("invalid UTF-16 text")]
    BadUtf16,
    #[error(
        "not UTF-8, UTF-16, GB18030/GBK or Big5 text (first bad byte at {0}); \
         save it as UTF-8 and read that"
    )]
    Unknown(usize),
    #[error(
        "{0}, not plain text: its tags would be read as report text; save it as text first \
         (a browser's Save As → Text, or `pandoc -t plain`) and read that"
    )]
    Markup(&'static str),
    #[error(
        "looks like Big5 (traditional characters) but holds bytes Big5 cannot decode \
         (damaged, or another encoding mixed in); save it as UTF-8 and read that"
    )]
    DamagedBig5,
    #[error("{0}, not plain text: extract its text first ({1}) and read that")]
    Document(&'static str, &'static str),
}

/// Documents people keep reports in, by their first bytes, and how to get
/// their text out.
const DOCUMENTS: [(&[u8], &str, &str); 3] = [
    (
        b"%PDF-",
        "a PDF file",
        "`pdftotext -enc UTF-8 report.pdf`; wrapped lines are joined back",
    ),
    (
        b"PK\x03\x04",
        "a ZIP archive such as a Word .docx",
        "Save As → Plain Text, or `pandoc -t plain report.docx`",
    ),
    (
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
        "an old Word .doc or Excel file",
        "Save As → Plain Text",
    ),
];

/// Decode a whole file's bytes.
///
/// UTF-8 is validated with simdutf8 (std-compatible errors): std's
/// validator goes byte by byte through CJK text, which is most of ours.
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    if let Some((_, kind, how)) = DOCUMENTS
        .iter()
        .find(|(magic, _, _)| bytes.starts_with(magic))
    {
        return Err(DecodeError::Document(kind, how));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return simdutf8::compat::from_utf8(rest)
            .map_err(|e| DecodeError::Unknown(e.valid_up_to() + 3))
            .and_then(|s| check_text(s).map(|_| (s.to_string(), Encoding::Utf8Bom)));
    }
    for (bom, enc, tag) in [
        (&b"\xFF\xFE"[..], UTF_16LE, Encoding::Utf16Le),
        (&b"\xFE\xFF"[..], UTF_16BE, Encoding::Utf16Be),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let (text, had_errors) = enc.decode_without_bom_handling(rest);
            if had_errors {
                return Err(DecodeError::BadUtf16);
            }
            check_text(&text)?;
            return Ok((text.into_owned(), tag));
        }
    }
    match simdutf8::compat::from_utf8(bytes) {
        Ok(s) => {
            check_text(s)?;
            Ok((s.to_string(), Encoding::Utf8))
        }
        Err(utf8_err) => decode_legacy(bytes, utf8_err.valid_up_to()),
    }
}

/// A strict decode must reach this plausibility to be taken instead of GBK
/// (or at all, for UTF-16 without a BOM). Chinese text in its own encoding
/// scores 0.95 or more; text read in the wrong one 0.6 or less.
const PLAUSIBLE: f64 = 0.85;

/// Bytes that are not UTF-8 (`bad` is the first invalid byte, for the error).
///
/// GBK decodes as today whenever its text is plausible: no other decode is
/// tried then, so GBK files read exactly as before. Otherwise Big5 and UTF-16
/// without a BOM are tried, and the most plausible strict decode wins.
fn decode_legacy(bytes: &[u8], bad: usize) -> Result<(String, Encoding), DecodeError> {
    let nul = bytes.iter().position(|&b| b == 0);
    let mut gbk_score = None;
    let mut gbk = None;
    if nul.is_none() {
        if let Some(text) = GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
            let score = plausibility(&text);
            if score >= PLAUSIBLE {
                check_text(&text)?;
                return Ok((text.into_owned(), Encoding::Gb18030));
            }
            gbk_score = Some(score);
            gbk = Some(text);
        }
    }
    let mut best: Option<(f64, String, Encoding)> = None;
    let mut consider = |text: String, enc: Encoding| {
        let score = plausibility(&text);
        if score >= PLAUSIBLE
            && check_text(&text).is_ok()
            && best.as_ref().is_none_or(|(b, _, _)| score > *b)
        {
            best = Some((score, text, enc));
        }
    };
    if bytes.len().is_multiple_of(2) {
        for (enc, tag) in [
            (UTF_16LE, Encoding::Utf16LeNoBom),
            (UTF_16BE, Encoding::Utf16BeNoBom),
        ] {
            if let Some(text) = enc.decode_without_bom_handling_and_without_replacement(bytes) {
                consider(text.into_owned(), tag);
            }
        }
    }
    if nul.is_none() {
        if let Some(text) = BIG5.decode_without_bom_handling_and_without_replacement(bytes) {
            consider(text.into_owned(), Encoding::Big5);
        }
    }
    // Big5 with a few bad bytes reads as GBK nonsense: refuse it instead.
    if best.is_none() && gbk_score.is_some_and(|g| g < 0.6) {
        let (text, _) = BIG5.decode_without_bom_handling(bytes);
        if plausibility(&text) >= PLAUSIBLE {
            return Err(DecodeError::DamagedBig5);
        }
    }
    // A clearly better reading wins over GBK; otherwise GBK, as before.
    match (best, gbk, gbk_score) {
        (Some((score, text, enc)), _, g) if g.is_none_or(|g| score > g + 0.1) => Ok((text, enc)),
        (_, Some(text), _) => {
            check_text(&text)?;
            Ok((text.into_owned(), Encoding::Gb18030))
        }
        _ => match nul {
            Some(p) => Err(DecodeError::Binary(p)),
            None => Err(DecodeError::Unknown(bad)),
        },
    }
}

/// Decode a report's bytes ([`decode`]) and make every line break `\n` or
/// `\r\n`: a lone CR (old Mac files, some exports) ends a line too.
pub fn decode_text(bytes: &[u8]) -> Result<(String, Encoding), DecodeError> {
    let (text, enc) = decode(bytes)?;
    Ok((lone_cr_to_lf(text), enc))
}

/// `\r` not followed by `\n` becomes `\n`; text without lone CRs is returned as is.
fn lone_cr_to_lf(text: String) -> String {
    // Most files have no CR, or CRs only before LFs: checked at memchr speed.
    let b = text.as_bytes();
    let lone = text
        .match_indices('\r')
        .any(|(i, _)| b.get(i + 1) != Some(&b'\n'));
    if !lone {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(i) = rest.find('\r') {
        out.push_str(&rest[..i]);
        if rest[i + 1..].starts_with('\n') {
            out.push('\r');
        } else {
            out.push('\n');
        }
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
    out
}

/// Characters of a text that look damaged: replacement characters, `?`
/// standing for lost characters, and characters rare in Chinese text (what
/// text read with the wrong encoding is made of, e.g. UTF-8 read as GBK).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Damage {
    pub damaged: usize,
    /// Characters other than whitespace.
    pub chars: usize,
}

impl Damage {
    pub fn share(&self) -> f64 {
        if self.chars == 0 {
            0.0
        } else {
            self.damaged as f64 / self.chars as f64
        }
    }
}

/// Count the damaged characters of a text ([`Damage`]). An ASCII `?` counts
/// when it stands beside a non-ASCII character or another `?` (Chinese text
/// uses the full-width `？`; a `?` in a URL does not count).
pub fn damage(text: &str) -> Damage {
    let table = common_hanzi();
    let mut d = Damage::default();
    let mut prev: Option<char> = None;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        // ASCII other than `?`, and common hanzi, are most of the text: they
        // are told apart before the (slower) whitespace test of other characters.
        if c.is_ascii() {
            if matches!(c, ' ' | '\t'..='\r') {
                continue;
            }
            d.chars += 1;
            if c != '?' {
                prev = Some(c);
                continue;
            }
        } else if let Some(i) = (c as usize)
            .checked_sub(0x4E00)
            .filter(|&i| i <= 0x9FFF - 0x4E00)
        {
            d.chars += 1;
            d.damaged += usize::from(table[i / 64] >> (i % 64) & 1 == 0);
            prev = Some(c);
            continue;
        } else if c.is_whitespace() {
            continue;
        } else {
            d.chars += 1;
        }
        let bad = match c {
            '?' | '？' => {
                // The next character other than whitespace.
                let next = chars.clone().find(|c| !c.is_whitespace());
                let beside = |x: Option<char>| x.is_some_and(|x| !x.is_ascii() || x == '?');
                c == '?' && (beside(prev) || beside(next))
                    || c == '？' && (prev == Some('？') || next == Some('？'))
            }
            c => !is_common(c),
        };
        d.damaged += usize::from(bad);
        prev = Some(c);
    }
    d
}

/// From this share of damaged characters a document is flagged. The seed
/// documents are at 0.3% or less; text read with the wrong encoding at 40%
/// or more, a few garbled lines in a long report at a few percent.
pub const DAMAGE_WARN_SHARE: f64 = 0.01;
/// Fewer damaged characters than this are not flagged (a rare name or two).
const DAMAGE_WARN_MIN: usize = 5;

/// A warning for a document whose text looks damaged, with the share.
pub fn damage_warning(text: &str) -> Option<String> {
    let d = damage(text);
    (d.damaged >= DAMAGE_WARN_MIN && d.share() >= DAMAGE_WARN_SHARE).then(|| {
        format!(
            "{:.1}% of characters look damaged (mojibake or replacement characters): \
             was the file saved in another encoding, or garbled before it was saved?",
            100.0 * d.share()
        )
    })
}

/// Characters scored by [`plausibility`]: enough to tell, cheap on big files.
const SAMPLE_CHARS: usize = 20_000;

/// Share of the non-ASCII characters (in the first [`SAMPLE_CHARS`]) that
/// are common in Chinese text ([`is_common`]): how likely a decode is right.
/// Text without non-ASCII characters scores 1.
pub fn plausibility(text: &str) -> f64 {
    let (mut common, mut total) = (0usize, 0usize);
    for c in text.chars().take(SAMPLE_CHARS).filter(|c| !c.is_ascii()) {
        total += 1;
        common += usize::from(is_common(c));
    }
    if total == 0 {
        1.0
    } else {
        common as f64 / total as f64
    }
}

/// Whether a character is common in Chinese text, simplified or traditional:
/// ASCII, Latin-1 and general punctuation, letter-like symbols, number
/// forms, mathematical operators, circled numbers, geometric shapes, CJK and full-width punctuation, and the hanzi of the first
/// levels of GB2312 (3,755) and of Big5 (5,401), the frequent characters of
/// each. Rare hanzi, kana, bopomofo, box drawing, Cyrillic, private use and
/// replacement characters are not: text decoded with the wrong encoding is
/// full of them, real text has few.
#[inline]
pub fn is_common(c: char) -> bool {
    let u = c as u32;
    match u {
        0..=0xFF => true,
        0x2000..=0x206F | 0x2100..=0x218F | 0x2200..=0x22FF | 0x2460..=0x24FF => true,
        0x25A0..=0x25FF | 0x3000..=0x303F | 0xFE30..=0xFE6F => true,
        0xFF01..=0xFF5E | 0xFFE0..=0xFFE6 => true,
        0x4E00..=0x9FFF => {
            let i = (u - 0x4E00) as usize;
            common_hanzi()[i / 64] >> (i % 64) & 1 == 1
        }
        _ => false,
    }
}

/// Bit per hanzi of U+4E00–U+9FFF: set for the common ones ([`is_common`]):
/// the hanzi GB18030 encodes in GB2312 level 1 (lead bytes B0–D7) or Big5
/// in its level 1 (A440–C67E). Built once by decoding those byte pairs, not
/// by encoding every hanzi: encoding_rs's encoders search their tables, and
/// 21,000 encodes took most of a short run.
fn common_hanzi() -> &'static [u64] {
    static TABLE: OnceLock<Vec<u64>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut bits = vec![0u64; HANZI_WORDS];
        let mut set = |enc: &'static encoding_rs::Encoding, pair: [u8; 2]| {
            let Some(s) = enc.decode_without_bom_handling_and_without_replacement(&pair) else {
                return;
            };
            let mut it = s.chars();
            if let (Some(c), None) = (it.next(), it.next()) {
                let i = (c as usize).wrapping_sub(0x4E00);
                if i < 0x9FFF - 0x4E00 + 1 {
                    bits[i / 64] |= 1 << (i % 64);
                }
            }
        };
        for lead in 0xB0..=0xD7u8 {
            for trail in 0xA1..=0xFEu8 {
                set(GB18030, [lead, trail]);
            }
        }
        for lead in 0xA4..=0xC6u8 {
            for trail in (0x40..=0x7Eu8).chain(0xA1..=0xFE) {
                if lead < 0xC6 || trail <= 0x7E {
                    set(BIG5, [lead, trail]);
                }
            }
        }
        bits
    })
}

const HANZI_WORDS: usize = (0x9FFF - 0x4E00 + 1) / 64 + 1;

/// Text files hold no NULs and almost no control characters; a file that
/// does is binary even when it happens to be valid in some encoding.
///
/// Scans bytes, not chars: C0 controls and DEL are single bytes, and C1
/// controls (U+0080–U+009F) are `C2 80`–`C2 9F` in UTF-8.
fn check_text(s: &str) -> Result<(), DecodeError> {
    let b = s.as_bytes();
    let mut controls = 0usize;
    let mut start = 0;
    // Almost every 32-byte stretch of text holds no byte below 0x20, no DEL
    // and no C2 lead byte: test that with comparisons the compiler turns
    // into vector instructions, and look byte by byte only where one does.
    for chunk in b.chunks(32) {
        let suspect = chunk
            .iter()
            .fold(false, |a, &c| a | (c < 0x20) | (c == 0x7F) | (c == 0xC2));
        if suspect {
            for (i, &c) in b.iter().enumerate().skip(start).take(chunk.len()) {
                if let Some(e) = control_byte(b, i, c, &mut controls) {
                    return Err(e);
                }
            }
        }
        start += chunk.len();
    }
    if s.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    if let Some(kind) = markup_kind(s) {
        return Err(DecodeError::Markup(kind));
    }
    Ok(())
}

/// A saved web page or an RTF/XML document is text too, but its markup is
/// not report text: recognised by how it starts, so a report that merely
/// mentions `<p>` is not refused.
fn markup_kind(s: &str) -> Option<&'static str> {
    let head: String = s
        .trim_start()
        .chars()
        .take(16)
        .flat_map(char::to_lowercase)
        .collect();
    if head.starts_with("<!doctype html") || head.starts_with("<html") {
        Some("an HTML page")
    } else if head.starts_with("<?xml") {
        Some("an XML document")
    } else if head.starts_with("{\\rtf") {
        Some("an RTF document")
    } else {
        None
    }
}

/// Byte `c` at `i` of `b`: a NUL is binary at once; control characters
/// count, and too many of them make the text binary.
#[inline]
fn control_byte(b: &[u8], i: usize, c: u8, controls: &mut usize) -> Option<DecodeError> {
    let control = match c {
        0 => return Some(DecodeError::Binary(i)),
        b'\n' | b'\r' | b'\t' | 0x0C => false,
        0x01..=0x1F | 0x7F => true,
        0xC2 => matches!(b.get(i + 1), Some(0x80..=0x9F)),
        _ => false,
    };
    if control {
        *controls += 1;
        // Compare with the characters seen so far (bytes overcount CJK,
        // which only makes the test more lenient on real text).
        if *controls > 8 && *controls * 100 > i + 1 {
            return Some(DecodeError::Binary(i));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "各位代表:\n现在,我代表区人民政府向大会报告工作。\n";

    #[test]
    fn utf8_plain_and_bom() {
        assert_eq!(
            decode(TEXT.as_bytes()).unwrap(),
            (TEXT.into(), Encoding::Utf8)
        );
        let mut b = b"\xEF\xBB\xBF".to_vec();
        b.extend_from_slice(TEXT.as_bytes());
        assert_eq!(decode(&b).unwrap(), (TEXT.into(), Encoding::Utf8Bom));
    }

    #[test]
    fn gbk_and_utf16() {
        let (gbk, _, _) = GB18030.encode(TEXT);
        assert_eq!(decode(&gbk).unwrap(), (TEXT.into(), Encoding::Gb18030));
        let mut le = vec![0xFF, 0xFE];
        for u in TEXT.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&le).unwrap(), (TEXT.into(), Encoding::Utf16Le));
        let mut be = vec![0xFE, 0xFF];
        for u in TEXT.encode_utf16() {
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode(&be).unwrap(), (TEXT.into(), Encoding::Utf16Be));
    }

    #[test]
    fn pdf_and_office_files_are_refused_with_how_to_get_their_text() {
        let pdf = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj";
        match decode(pdf) {
            Err(e @ DecodeError::Document("a PDF file", _)) => {
                assert!(e.to_string().contains("pdftotext"), "{e}")
            }
            other => panic!("{other:?}"),
        }
        let docx = b"PK\x03\x04\x14\x00\x06\x00word/document.xml";
        assert!(matches!(decode(docx), Err(DecodeError::Document(k, _)) if k.contains(".docx")));
        // Text that happens to start with the letters is text.
        assert!(decode("PDF文件说明\n各位代表:".as_bytes()).is_ok());
    }

    #[test]
    fn saved_web_pages_and_documents_are_refused() {
        for (page, kind) in [
            (
                "\n  <!DOCTYPE html>\n<html><body><p>各位代表:</p>",
                "an HTML page",
            ),
            ("<HTML lang=\"zh\"><p>各位代表:</p>", "an HTML page"),
            ("<?xml version=\"1.0\"?><w:document>", "an XML document"),
            ("{\\rtf1\\ansi 各位代表}", "an RTF document"),
        ] {
            assert_eq!(
                decode(page.as_bytes()),
                Err(DecodeError::Markup(kind)),
                "{page}"
            );
        }
        let (gbk, _, _) = GB18030.encode("<html><body>各位代表:</body></html>");
        assert_eq!(decode(&gbk), Err(DecodeError::Markup("an HTML page")));
        // A report that mentions markup further in is text.
        let text = "各位代表:\n网页中的<html>标签与{\\rtf}无关。\n";
        assert!(decode(text.as_bytes()).is_ok());
    }

    /// The byte-by-byte check the chunked one must agree with.
    fn check_text_bytewise(s: &str) -> Result<(), DecodeError> {
        let b = s.as_bytes();
        let mut controls = 0;
        for (i, &c) in b.iter().enumerate() {
            if let Some(e) = control_byte(b, i, c, &mut controls) {
                return Err(e);
            }
        }
        if s.trim().is_empty() {
            return Err(DecodeError::Empty);
        }
        Ok(())
    }

    #[test]
    fn chunked_check_agrees_with_bytewise() {
        let pieces = [
            "各位代表",
            "\n",
            "\r\n",
            "\t",
            "\u{1}",
            "\u{7f}",
            "\u{85}",
            "\u{a0}",
            "é",
            "abc",
            " ",
            "\u{0}",
            "。",
            "\u{1f}",
        ];
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut disagree = 0;
        let mut binary = 0;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 120) as usize;
            let mut text = String::new();
            let mut x = state;
            for _ in 0..len {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                // Mostly text, sometimes a control character.
                let k = (x >> 33) as usize % 64;
                text.push_str(pieces.get(k).copied().unwrap_or("各位代表"));
            }
            let (fast, slow) = (check_text(&text), check_text_bytewise(&text));
            binary += usize::from(matches!(slow, Err(DecodeError::Binary(_))));
            disagree += usize::from(fast != slow);
        }
        assert_eq!(disagree, 0);
        // The generator reaches both outcomes.
        assert!(binary > 100 && binary < 19_000, "{binary}");
    }

    #[test]
    fn refuses_empty_and_binary() {
        assert_eq!(decode(b""), Err(DecodeError::Empty));
        assert_eq!(decode(b"  \n "), Err(DecodeError::Empty));
        assert!(matches!(
            decode(b"\x7fELF\x02\x01\x01\x00\x00\x00\xff\xfe\x80"),
            Err(DecodeError::Binary(_))
        ));
        let noise: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
        assert!(decode(&noise).is_err());
    }

    /// A seed-like text: simplified, with headings, punctuation and digits.
    const REPORT: &str = "2022年某某县政府工作报告\n——2022年1月8日在某某县第十八届人民代表大会第一次会议上\n各位代表:\n一、过去一年工作回顾\n过去一年,我们坚持稳中求进工作总基调,全力以赴稳增长、促改革、调结构、惠民生、防风险,经济社会发展主要目标任务较好完成。\n坚定不移推进招商引资,全年引进亿元以上项目四十二个,到位资金一百八十亿元。\n二、2022年工作安排\n大力推进乡村振兴,建设高标准农田十万亩,农村居民人均可支配收入增长百分之八。\n";

    /// The characters of a text that Big5 can encode, encoded.
    fn big5_subset(text: &str) -> (String, Vec<u8>) {
        let mut buf = [0u8; 4];
        let kept: String = text
            .chars()
            .filter(|c| !BIG5.encode(c.encode_utf8(&mut buf)).2)
            .collect();
        let bytes = BIG5.encode(&kept).0.into_owned();
        (kept, bytes)
    }

    #[test]
    fn big5_is_read_as_big5_not_gbk_mojibake() {
        let (kept, bytes) = big5_subset(REPORT);
        assert!(kept.chars().count() * 10 > REPORT.chars().count() * 6);
        // GBK decodes these bytes too, as nonsense.
        assert!(GB18030
            .decode_without_bom_handling_and_without_replacement(&bytes)
            .is_some());
        let (text, enc) = decode(&bytes).unwrap();
        assert_eq!(enc, Encoding::Big5);
        assert_eq!(text, kept);
        assert!(enc.warning().unwrap().contains("Big5"));
        // With a byte pair Big5 cannot decode (GBK can), refused, not mojibake.
        let mut damaged = bytes.clone();
        damaged.splice(10..10, [0xA4, 0x80]);
        assert!(GB18030
            .decode_without_bom_handling_and_without_replacement(&damaged)
            .is_some());
        assert_eq!(decode(&damaged), Err(DecodeError::DamagedBig5));
    }

    #[test]
    fn utf16_without_bom_is_recognised_with_or_without_newlines() {
        let one_line: String = REPORT.chars().filter(|&c| c != '\n').collect();
        for text in [REPORT, one_line.as_str()] {
            let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
            let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
            assert_eq!(decode(&le).unwrap(), (text.into(), Encoding::Utf16LeNoBom));
            assert_eq!(decode(&be).unwrap(), (text.into(), Encoding::Utf16BeNoBom));
        }
        // Binary data holding NULs is still binary.
        let png = [0x89, b'P', b'N', b'G', 0, 0, 0, 13, 0xff, 0xfe, 0, 1];
        assert!(matches!(decode(&png), Err(DecodeError::Binary(_))));
    }

    #[test]
    fn gbk_text_is_decoded_as_before_even_when_big5_could_read_it() {
        // Every character of GB2312 level 1, in GBK: valid Big5 bytes too for
        // the most part, and still GBK.
        let mut level1 = String::new();
        for lead in 0xB0u8..=0xD7 {
            for trail in 0xA1u8..=0xFE {
                if let Some(s) =
                    GB18030.decode_without_bom_handling_and_without_replacement(&[lead, trail])
                {
                    level1.push_str(&s);
                }
            }
            level1.push('\n');
        }
        for text in [REPORT, level1.as_str()] {
            let (gbk, _, _) = GB18030.encode(text);
            assert_eq!(decode(&gbk).unwrap(), (text.into(), Encoding::Gb18030));
        }
    }

    #[test]
    fn plausibility_separates_right_and_wrong_decodes() {
        assert!(plausibility(REPORT) > 0.99);
        let (gbk, _, _) = GB18030.encode(REPORT);
        let (as_big5, _, _) = BIG5.decode(&gbk);
        assert!(plausibility(&as_big5) < 0.7, "{}", plausibility(&as_big5));
        let (_, big5) = big5_subset(REPORT);
        let (as_gbk, _, _) = GB18030.decode(&big5);
        assert!(plausibility(&as_gbk) < 0.5, "{}", plausibility(&as_gbk));
        assert_eq!(plausibility("plain ASCII"), 1.0);
    }

    #[test]
    fn lone_carriage_returns_end_lines() {
        let mac = REPORT.replace('\n', "\r");
        assert_eq!(decode_text(mac.as_bytes()).unwrap().0, REPORT);
        let windows = REPORT.replace('\n', "\r\n");
        assert_eq!(decode_text(windows.as_bytes()).unwrap().0, windows);
        assert_eq!(lone_cr_to_lf("a\r\nb\rc\r".into()), "a\r\nb\nc\n");
    }

    /// [`common_hanzi`] by its definition: every hanzi encoded.
    fn common_hanzi_by_encoding() -> Vec<u64> {
        let mut bits = vec![0u64; HANZI_WORDS];
        let mut buf = [0u8; 4];
        for (i, c) in (0x4E00u32..=0x9FFF).filter_map(char::from_u32).enumerate() {
            let s: &str = c.encode_utf8(&mut buf);
            let (gb, _, gb_err) = GB18030.encode(s);
            let gb2312_level1 =
                !gb_err && gb.len() == 2 && (0xB0..=0xD7).contains(&gb[0]) && gb[1] >= 0xA1;
            let (b5, _, b5_err) = BIG5.encode(s);
            let big5_level1 = !b5_err
                && b5.len() == 2
                && (0xA4..=0xC6).contains(&b5[0])
                && (b5[0] < 0xC6 || b5[1] <= 0x7E);
            if gb2312_level1 || big5_level1 {
                bits[i / 64] |= 1 << (i % 64);
            }
        }
        bits
    }

    #[test]
    fn common_hanzi_table_is_its_definition() {
        let want = common_hanzi_by_encoding();
        assert_eq!(common_hanzi(), want.as_slice());
        // GB2312 level 1 and Big5 level 1 overlap: fewer than their sum.
        let n: u32 = want.iter().map(|w| w.count_ones()).sum();
        assert!(n > 5401 && n < 3755 + 5401, "{n}");
    }

    /// [`damage`] as first written: whitespace filtered out, then judged.
    fn damage_simple(text: &str) -> Damage {
        let mut d = Damage::default();
        let mut prev: Option<char> = None;
        let mut chars = text.chars().filter(|c| !c.is_whitespace()).peekable();
        while let Some(c) = chars.next() {
            d.chars += 1;
            let bad = match c {
                '?' | '？' => {
                    let next = chars.peek().copied();
                    let beside = |x: Option<char>| x.is_some_and(|x| !x.is_ascii() || x == '?');
                    c == '?' && (beside(prev) || beside(next))
                        || c == '？' && (prev == Some('？') || next == Some('？'))
                }
                c => !is_common(c),
            };
            d.damaged += usize::from(bad);
            prev = Some(c);
        }
        d
    }

    #[test]
    fn damage_agrees_with_the_simple_count() {
        let pieces = [
            "各位代表",
            "報告",
            "?",
            "？",
            " ",
            "\n",
            "\u{3000}",
            "\u{a0}",
            "\u{b}",
            "\u{85}",
            "\u{FFFD}",
            "ã",
            "й",
            "a",
            "?",
            "㈠",
            "ｱ",
            "鍚",
            "\t",
            "\u{2028}",
        ];
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..5_000 {
            let mut text = String::new();
            for _ in 0..(x % 40) {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(pieces[(x >> 33) as usize % pieces.len()]);
            }
            assert_eq!(damage(&text), damage_simple(&text), "{text:?}");
            x = x.rotate_left(7) ^ 0x2545_F491;
        }
    }

    #[test]
    fn damage_counts_mojibake_replacement_characters_and_lost_characters() {
        assert_eq!(damage(REPORT).damaged, 0);
        assert!(damage_warning(REPORT).is_none());
        // UTF-8 bytes read as GBK.
        let (mojibake, _, _) = encoding_rs::GBK.decode(REPORT.as_bytes());
        let d = damage(&mojibake);
        assert!(d.share() > 0.4, "{d:?}");
        let w = damage_warning(&mojibake).unwrap();
        assert!(w.contains("% of characters look damaged"), "{w}");
        // Characters lost to `?` and to U+FFFD, a tenth of the text.
        let lost: String = REPORT
            .chars()
            .enumerate()
            .map(|(i, c)| match i % 10 {
                0 if !c.is_whitespace() && !c.is_ascii() => '?',
                5 if !c.is_whitespace() && !c.is_ascii() => '\u{FFFD}',
                _ => c,
            })
            .collect();
        let d = damage(&lost);
        assert!(d.share() > 0.1 && d.share() < 0.3, "{d:?}");
        // A `?` in a URL or an English question is not damage.
        assert_eq!(
            damage("见 http://x.gov.cn/a.php?id=3 ,Why? Because.").damaged,
            0
        );
        // Traditional characters are not damage either.
        assert_eq!(
            damage("各位代表:現在,我代表區人民政府向大會報告工作。").damaged,
            0
        );
    }
}
