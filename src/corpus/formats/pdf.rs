//! PDFs with a text layer, read with `pdf-extract` (which decodes CJK fonts
//! through their ToUnicode CMaps, Identity-H included).
//!
//! pdf-extract hands over each character with its position; the lines are
//! rebuilt here rather than with its plain-text writer, which puts a blank
//! line wherever the line pitch exceeds 1.5 em (every line of a
//! double-spaced Chinese report) and so would end a paragraph at every line.
//! Rebuilt lines keep their indentation (so the PDF-unwrap logic can see
//! where paragraphs start), a blank line marks a paragraph gap, and running
//! headers and footers (the same line at the top or bottom of most pages)
//! are dropped and listed. Page numbers are left to the unwrap logic.
//!
//! pdf-extract panics on some malformed or unusual files (`expect`,
//! `todo!` on unsupported CMaps), so it runs under [`super::catch_panics`].

use pdf_extract::{Document, MediaBox, Object, OutputDev, OutputError, Transform};

use super::{catch_panics, Dropped, Extracted, Format};

/// Whether bytes hold a PDF: `%PDF-` within the first KB (the format allows junk before it).
pub fn is_pdf(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .take(1024 + 5)
        .collect::<Vec<_>>()
        .windows(5)
        .any(|w| w.iter().copied().eq(b"%PDF-".iter()))
}

/// One character as placed on a page (PDF user space: y grows upwards).
#[derive(Debug, Clone)]
struct Glyph {
    x: f64,
    y: f64,
    size: f64,
    advance: f64,
    text: String,
}

#[derive(Default)]
struct Collector {
    pages: Vec<Vec<Glyph>>,
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        _page_num: u32,
        _media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.pages.push(Vec::new());
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        let scale = (trm.m11 * trm.m22 - trm.m12 * trm.m21).abs().sqrt();
        let size = font_size * scale;
        if let Some(page) = self.pages.last_mut() {
            page.push(Glyph {
                x: trm.m31,
                y: trm.m32,
                size,
                advance: width * size,
                text: char.to_string(),
            });
        }
        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// A rebuilt line of one page.
#[derive(Debug, Clone)]
struct Line {
    x: f64,
    y: f64,
    size: f64,
    text: String,
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

/// The glyphs of one page as lines, in the order the page draws them: a
/// glyph more than half an em off the current line's baseline starts a new one.
fn page_lines(glyphs: &[Glyph]) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    let mut end = f64::NEG_INFINITY;
    for g in glyphs {
        let size = if g.size > 0.0 { g.size } else { 1.0 };
        let same_line = lines
            .last()
            .is_some_and(|l| (l.y - g.y).abs() <= 0.5 * size.max(l.size) && g.x >= end - size);
        if !same_line {
            lines.push(Line {
                x: g.x,
                y: g.y,
                size,
                text: String::new(),
            });
        } else if let Some(l) = lines.last_mut() {
            // A gap wider than a third of an em is a space, unless it sits
            // between Chinese characters spread out by justification.
            let gap = g.x - end;
            let prev = l.text.chars().last();
            let next = g.text.chars().next();
            let cjk_pair = prev.is_some_and(is_cjk) && next.is_some_and(is_cjk);
            let threshold = if cjk_pair { 0.9 } else { 0.3 };
            if gap > threshold * size && !l.text.ends_with(' ') && !g.text.starts_with(' ') {
                l.text.push(' ');
            }
        }
        if let Some(l) = lines.last_mut() {
            l.text.push_str(&g.text);
            l.size = l.size.max(size);
        }
        end = g.x + g.advance;
    }
    lines.retain(|l| !l.text.trim().is_empty());
    lines
}

/// A line with digits masked, so `第 3 页 共 9 页` on every page compares equal.
fn shape(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Lines to drop as running headers and footers: among the first two and
/// last two lines of each page, those whose shape recurs there on at least
/// half the pages (and on two pages at least). Pure page numbers are left
/// to the unwrap logic, which already knows them.
fn running_lines(pages: &[Vec<Line>]) -> Vec<Vec<bool>> {
    use std::collections::HashMap;
    let edge = |lines: &[Line]| -> Vec<usize> {
        let n = lines.len();
        let mut idx: Vec<usize> = (0..n.min(2)).chain(n.saturating_sub(2)..n).collect();
        idx.dedup();
        idx
    };
    let mut count: HashMap<String, usize> = HashMap::new();
    for lines in pages {
        let mut seen: Vec<String> = edge(lines).iter().map(|&i| shape(&lines[i].text)).collect();
        seen.sort();
        seen.dedup();
        for s in seen {
            *count.entry(s).or_default() += 1;
        }
    }
    let min = (pages.len() / 2).max(2);
    pages
        .iter()
        .map(|lines| {
            let mut drop = vec![false; lines.len()];
            for i in edge(lines) {
                let s = shape(&lines[i].text);
                let page_number = s.chars().all(|c| c == '#' || "-—–第页/共Page".contains(c));
                if !page_number && count.get(&s).copied().unwrap_or(0) >= min {
                    drop[i] = true;
                }
            }
            drop
        })
        .collect()
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied()
}

/// Pages of lines as text: indented lines (more than one em right of the
/// page's left margin) keep two spaces of indentation, and a vertical gap
/// of more than 1.6 times the page's usual line pitch gives a blank line.
fn render(pages: &[Vec<Line>], drop: &[Vec<bool>], dropped: &mut Vec<Dropped>) -> String {
    let mut out: Vec<String> = Vec::new();
    for (p, (lines, drop)) in pages.iter().zip(drop).enumerate() {
        let kept: Vec<&Line> = lines
            .iter()
            .zip(drop)
            .filter_map(|(l, &d)| {
                if d {
                    dropped.push(Dropped {
                        page: p + 1,
                        line: 0,
                        text: l.text.trim().to_string(),
                        reason: "running header or footer (repeated on most pages)".into(),
                    });
                }
                (!d).then_some(l)
            })
            .collect();
        let margin = kept.iter().map(|l| l.x).fold(f64::INFINITY, f64::min);
        let pitch = median(
            kept.windows(2)
                .map(|w| (w[0].y - w[1].y).abs())
                .filter(|d| *d > 0.0)
                .collect(),
        );
        for (i, l) in kept.iter().enumerate() {
            if let (Some(pitch), Some(prev)) = (pitch, i.checked_sub(1).map(|j| kept[j])) {
                if (prev.y - l.y).abs() > 1.6 * pitch {
                    out.push(String::new());
                }
            }
            let indent = if l.x > margin + l.size { "  " } else { "" };
            out.push(format!("{indent}{}", l.text.trim_end()));
        }
    }
    out.join("\n")
}

/// A PDF text string: UTF-16BE with a byte-order mark, UTF-8 with one, or
/// PDFDocEncoding (Latin-1 for the characters titles use).
fn text_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        bytes.iter().map(|&b| b as char).collect()
    }
}

fn info_title(doc: &Document) -> Option<String> {
    let info = doc.trailer.get(b"Info").ok()?;
    let info = match info {
        Object::Reference(id) => doc.get_object(*id).ok()?,
        o => o,
    };
    let title = info.as_dict().ok()?.get(b"Title").ok()?;
    let title = match title {
        Object::Reference(id) => doc.get_object(*id).ok()?,
        o => o,
    };
    match title {
        Object::String(bytes, _) => {
            let t = text_string(bytes).trim().to_string();
            (!t.is_empty()).then_some(t)
        }
        _ => None,
    }
}

/// The share of characters that are not text: private-use code points and
/// replacement characters, which a font without a Unicode map yields.
fn unreadable_share(text: &str) -> f64 {
    let (mut bad, mut all) = (0usize, 0usize);
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        all += 1;
        let u = c as u32;
        if c == '\u{FFFD}' || (0xE000..=0xF8FF).contains(&u) || c.is_control() {
            bad += 1;
        }
    }
    if all == 0 {
        0.0
    } else {
        bad as f64 / all as f64
    }
}

const OCR: &str = "this PDF has no text layer (scanned?): run OCR (e.g. ocrmypdf) first";

/// Read a PDF's text layer.
pub fn extract(bytes: &[u8]) -> Result<Extracted, String> {
    let damaged = |e: &dyn std::fmt::Display| {
        format!(
            "cannot read this PDF ({e}): it may be damaged or cut short; download it again, \
             or extract its text with `pdftotext -enc UTF-8 FILE` and read that"
        )
    };
    let run = catch_panics(|| -> Result<(Vec<Vec<Glyph>>, Option<String>), String> {
        let mut doc = Document::load_mem(bytes).map_err(|e| damaged(&e))?;
        if doc.is_encrypted() {
            // Many PDFs are encrypted with an empty password only to forbid copying.
            doc.decrypt("").map_err(|_| {
                "this PDF is encrypted with a password: open it with the password and save an \
                 unprotected copy (or print it to PDF), and read that"
                    .to_string()
            })?;
        }
        let title = info_title(&doc);
        let mut collector = Collector::default();
        pdf_extract::output_doc(&doc, &mut collector).map_err(|e| damaged(&e))?;
        Ok((collector.pages, title))
    });
    let (glyph_pages, title) = match run {
        Ok(r) => r?,
        Err(panic) => {
            return Err(format!(
                "cannot read this PDF: the PDF reader failed on it ({panic}); extract its text \
                 with `pdftotext -enc UTF-8 FILE` and read that"
            ))
        }
    };
    let pages: Vec<Vec<Line>> = glyph_pages.iter().map(|g| page_lines(g)).collect();
    let chars: usize = pages
        .iter()
        .flatten()
        .map(|l| l.text.chars().filter(|c| !c.is_whitespace()).count())
        .sum();
    // A scanned page may still carry a page number or a stamp as text.
    if chars < 5 * pages.len().max(1) {
        return Err(OCR.into());
    }
    let drop = running_lines(&pages);
    let mut dropped = Vec::new();
    let text = render(&pages, &drop, &mut dropped);
    let bad = unreadable_share(&text);
    if bad > 0.2 {
        return Err(format!(
            "this PDF's text layer cannot be decoded ({:.0}% of its characters have no \
             Unicode mapping in their fonts): run OCR (e.g. ocrmypdf --force-ocr) first",
            bad * 100.0
        ));
    }
    let mut x = Extracted::new(text, Format::Pdf);
    x.title = title;
    if !dropped.is_empty() {
        x.notes.push(format!(
            "dropped {} running header/footer lines repeated across pages",
            dropped.len()
        ));
    }
    x.dropped = dropped;
    Ok(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyphs(line: &str, x: f64, y: f64, size: f64) -> Vec<Glyph> {
        line.chars()
            .enumerate()
            .map(|(i, c)| Glyph {
                x: x + i as f64 * size,
                y,
                size,
                advance: size,
                text: c.to_string(),
            })
            .collect()
    }

    #[test]
    fn glyphs_become_lines_with_spaces_only_at_real_gaps() {
        let mut g = glyphs("各位代表", 72.0, 700.0, 12.0);
        g.extend(glyphs("GDP", 72.0 + 4.0 * 12.0 + 6.0, 700.0, 12.0));
        g.extend(glyphs("现在", 96.0, 680.0, 12.0));
        let lines = page_lines(&g);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["各位代表 GDP", "现在"]);
    }

    #[test]
    fn running_headers_are_dropped_and_page_numbers_kept() {
        let page = |n: usize, body: &str| {
            let mut g = glyphs("某市人民政府工作报告", 200.0, 800.0, 9.0);
            g.extend(glyphs(body, 72.0, 700.0, 12.0));
            g.extend(glyphs(&format!("- {n} -"), 280.0, 40.0, 9.0));
            page_lines(&g)
        };
        let bodies = [
            "过去一年的工作。",
            "今年的主要目标。",
            "重点抓好五件事。",
            "加强政府建设。",
        ];
        let pages: Vec<Vec<Line>> = (1..=4).map(|n| page(n, bodies[n - 1])).collect();
        let drop = running_lines(&pages);
        let mut dropped = Vec::new();
        let text = render(&pages, &drop, &mut dropped);
        assert_eq!(dropped.len(), 4);
        assert!(!text.contains("某市人民政府工作报告"), "{text}");
        assert!(
            text.contains("- 3 -") && text.contains("重点抓好五件事。"),
            "{text}"
        );
    }

    #[test]
    fn damaged_and_empty_pdfs_are_errors_not_panics() {
        for bytes in [
            &b"%PDF-1.4\n"[..],
            b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
        ] {
            let e = extract(bytes).unwrap_err();
            assert!(e.contains("PDF"), "{e}");
        }
        assert!(is_pdf(b"junk\n%PDF-1.4"));
        assert!(!is_pdf("PDF文件说明".as_bytes()));
    }

    #[test]
    fn pdf_text_strings() {
        assert_eq!(text_string(b"\xFE\xFF\x5E\x74\x62\xA5"), "年报");
        assert_eq!(text_string(b"Report"), "Report");
    }
}
