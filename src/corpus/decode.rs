//! Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK.
//!
//! Scrapers hand us whatever the site served. We accept the encodings Chinese
//! government sites actually use and refuse anything else with a clear error
//! instead of guessing and producing mojibake.

use encoding_rs::{GB18030, UTF_16BE, UTF_16LE};

/// The encoding a file was decoded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Gb18030,
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
    #[error("not UTF-8, UTF-16 (with BOM) or GB18030/GBK text (first bad byte at {0})")]
    Unknown(usize),
    #[error(
        "{0}, not plain text: its tags would be read as report text; save it as text first \
         (a browser's Save As → Text, or `pandoc -t plain`) and read that"
    )]
    Markup(&'static str),
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
        Err(utf8_err) => {
            if let Some(p) = bytes.iter().position(|&b| b == 0) {
                return Err(DecodeError::Binary(p));
            }
            match GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
                Some(text) => {
                    check_text(&text)?;
                    Ok((text.into_owned(), Encoding::Gb18030))
                }
                None => Err(DecodeError::Unknown(utf8_err.valid_up_to())),
            }
        }
    }
}

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
}
