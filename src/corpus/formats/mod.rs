//! Input formats: saved web pages, PDFs with a text layer and Word `.docx`
//! files become text lines (one block or paragraph per line) before records,
//! metadata and segmentation; plain text is decoded as before.
//!
//! The format is told by the file's first bytes, then by its extension: a
//! report saved as `.doc` that is really a web page (as Word's "save as web
//! page" and many portals produce) is read as the web page it is.

pub(crate) mod docx;
pub(crate) mod html;
pub(crate) mod pdf;

use std::path::Path;

use crate::error::{Error, Result};
use crate::io::decode::{decode_text, Encoding};

/// What a file was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    /// A `.txt` whose lines are mostly HTML markup: tags stripped, entities decoded.
    TextMarkup,
    Html,
    Pdf,
    Docx,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::TextMarkup => "text with HTML markup",
            Format::Html => "HTML",
            Format::Pdf => "PDF",
            Format::Docx => "Word .docx",
        }
    }
}

/// A line the extraction left out of the text, and why (so it can be shown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropped {
    /// 1-based page of a PDF, or 0 where the format has no pages.
    pub page: usize,
    /// 1-based line of the file (text holding markup), or 0 where it stood
    /// on no line of the extracted text (a PDF's running header).
    pub line: usize,
    pub text: String,
    pub reason: String,
}

/// The text of one input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    /// The text, one block (paragraph, heading, list item, table row) per
    /// line, lines joined by `\n`. Plain text is exactly as decoded.
    pub text: String,
    /// The title the file declares apart from its body (HTML `<title>`, docx
    /// core title, PDF Info Title), for metadata; `None` for plain text.
    pub title: Option<String>,
    pub format: Format,
    /// The character encoding of text and HTML; `None` for PDF and docx.
    pub encoding: Option<Encoding>,
    /// Things worth telling the user about how the text was obtained.
    pub notes: Vec<String>,
    /// Lines left out by the extraction (PDF running headers and footers).
    pub dropped: Vec<Dropped>,
}

impl Extracted {
    fn new(text: String, format: Format) -> Self {
        Extracted {
            text,
            title: None,
            format,
            encoding: None,
            notes: Vec::new(),
            dropped: Vec::new(),
        }
    }

    /// The text's lines.
    pub fn lines(&self) -> std::str::Lines<'_> {
        self.text.lines()
    }
}

/// How to get a format this tool cannot read into one it can.
const CONVERT: &str = "open it in Word or WPS and save it as .docx (or export it to PDF or \
                       plain text), or run `libreoffice --headless --convert-to docx FILE`, \
                       and read that";

/// Read one file's bytes as text lines, whatever its format.
///
/// Errors name the file and say what to do.
pub fn extract(path: &Path, bytes: &[u8]) -> Result<Extracted> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let fail = |msg: String| Error::input(path, msg);
    if pdf::is_pdf(bytes) {
        return pdf::extract(bytes).map_err(fail);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return docx::extract(bytes).map_err(fail);
    }
    if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        let kind = match ext.as_str() {
            "wps" => "a WPS document (.wps)",
            "xls" | "et" => "a spreadsheet (.xls), not a report",
            _ => "an old Word document (.doc)",
        };
        return Err(fail(format!("{kind} cannot be read: {CONVERT}")));
    }
    let head = sniff_head(bytes);
    if head.starts_with(b"{\\rtf") {
        return Err(fail(format!("an RTF document cannot be read: {CONVERT}")));
    }
    if html::looks_like_html(&head)
        || (matches!(ext.as_str(), "html" | "htm" | "xhtml" | "shtml") && head.starts_with(b"<"))
    {
        return html::extract(bytes).map_err(fail);
    }
    match ext.as_str() {
        "pdf" => {
            return Err(fail(
                "named .pdf but not a PDF file (no %PDF header): the download may have failed \
                 or saved an error page; download it again"
                    .into(),
            ))
        }
        "docx" => {
            return Err(fail(
                "named .docx but not a Word .docx (not a ZIP archive): it may be an old .doc \
                 renamed; "
                    .to_string()
                    + CONVERT,
            ))
        }
        "doc" | "wps" | "rtf" => {
            return Err(fail(format!("a .{ext} document cannot be read: {CONVERT}")))
        }
        _ => {}
    }
    let (text, encoding) = decode_text(bytes).map_err(|e| fail(e.to_string()))?;
    let mut out = match html::strip_markup_lines(&text) {
        Some(stripped) => {
            // Lines that held nothing but markup (`<p>&nbsp;</p>`) are
            // accounted for as dropped, like site chrome.
            let emptied: Vec<Dropped> = text
                .lines()
                .zip(stripped.lines())
                .enumerate()
                .filter(|(_, (was, now))| !was.trim().is_empty() && now.trim().is_empty())
                .map(|(i, (was, _))| Dropped {
                    page: 0,
                    line: i + 1,
                    text: was.trim().to_string(),
                    reason: "markup".into(),
                })
                .collect();
            let mut x = Extracted::new(stripped, Format::TextMarkup);
            x.notes.push(
                "most lines are HTML markup (a page's source saved as text): tags removed and \
                 entities such as &ldquo; decoded"
                    .into(),
            );
            x.dropped = emptied;
            x
        }
        None => Extracted::new(text, Format::Text),
    };
    out.encoding = Some(encoding);
    Ok(out)
}

/// The first bytes after a byte-order mark and leading whitespace, lowercased
/// (ASCII; enough to tell markup by how it starts).
fn sniff_head(bytes: &[u8]) -> Vec<u8> {
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    b[start..]
        .iter()
        .take(512)
        .map(u8::to_ascii_lowercase)
        .collect()
}

/// Run `f`, turning a panic inside a format crate into an error: the crates
/// reading PDF assert things about their input, and a damaged file must give
/// a message, not a crash. The default panic message is silenced for panics
/// raised inside `f` on this thread only.
pub(crate) fn catch_panics<T>(f: impl FnOnce() -> T) -> std::result::Result<T, String> {
    use std::cell::Cell;
    use std::panic;
    thread_local! {
        static QUIET: Cell<bool> = const { Cell::new(false) };
    }
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let result = panic::catch_unwind(panic::AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown error".into())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_decoded_as_before() {
        let text = "各位代表:\n现在,我代表市人民政府向大会报告工作。\n";
        let x = extract(Path::new("a.txt"), text.as_bytes()).unwrap();
        assert_eq!((x.text.as_str(), x.format), (text, Format::Text));
        assert_eq!(x.title, None);
    }

    #[test]
    fn old_word_wps_and_rtf_say_how_to_convert() {
        let ole = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0";
        for (name, bytes, kind) in [
            ("r.doc", &ole[..], ".doc"),
            ("r.wps", &ole[..], ".wps"),
            ("r.rtf", &b"{\\rtf1\\ansi \\'b8\\'f7}"[..], "RTF"),
            ("r.doc", &b"\xff\xfe\x00garbage"[..], ".doc"),
        ] {
            let e = extract(Path::new(name), bytes).unwrap_err().to_string();
            assert!(e.starts_with(&format!("{name}: ")), "{e}");
            assert!(
                e.contains(kind) && e.contains("libreoffice --headless --convert-to docx"),
                "{e}"
            );
        }
    }

    #[test]
    fn misnamed_files_are_told_apart() {
        let e = extract(
            Path::new("r.pdf"),
            "<html><body><p>错误页</p></body></html>".as_bytes(),
        );
        // A web page saved as .pdf is a web page.
        assert_eq!(e.unwrap().format, Format::Html);
        let e = extract(Path::new("r.pdf"), "404 not found".as_bytes()).unwrap_err();
        assert!(e.to_string().contains("not a PDF file"), "{e}");
        let e = extract(Path::new("r.docx"), "各位代表".as_bytes()).unwrap_err();
        assert!(e.to_string().contains("not a Word .docx"), "{e}");
    }

    #[test]
    fn panics_become_errors() {
        let r: std::result::Result<(), String> = catch_panics(|| panic!("bad xref"));
        assert_eq!(r, Err("bad xref".to_string()));
        assert_eq!(catch_panics(|| 3), Ok(3));
    }
}
