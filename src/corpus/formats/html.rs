//! Saved web pages: decode the page's charset, find the main content with
//! readability (`dom_smoothie`), and write one line per block (paragraph,
//! heading, list item, table row).
//!
//! Readability finds where the article is, but on report pages it leaves
//! out the report's own title, meeting line and speaker line when they sit
//! in a header block above the article body (they are short and score low).
//! So the page's visible text is kept from the line holding the title (the
//! `<h1>` or `<title>`) or the first line readability kept, whichever comes
//! first, to the last line readability kept: the navigation above and the
//! footer below go, and what furniture is left between (share buttons,
//! date/source lines) goes to the same chrome rules as text.

use dom_query::{Document, NodeRef};
use dom_smoothie::{Config, Readability};
use encoding_rs::{Encoding as Charset, GB18030, UTF_16BE, UTF_16LE, UTF_8};

use super::{Extracted, Format};
use crate::io::decode::Encoding;

/// Whether a file's first bytes (lowercased, whitespace skipped) open an HTML document.
pub fn looks_like_html(head: &[u8]) -> bool {
    const OPENERS: [&[u8]; 6] = [
        b"<!doctype html",
        b"<html",
        b"<head",
        b"<meta",
        b"<body",
        b"<title",
    ];
    if OPENERS.iter().any(|o| head.starts_with(o)) {
        return true;
    }
    // XHTML, or a page opening with a comment: the <html> tag comes later.
    (head.starts_with(b"<?xml") || head.starts_with(b"<!--")) && find(head, b"<html").is_some()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The charset a page declares in its first 4 KB (`<meta charset=gbk>` or
/// `<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`).
fn declared_charset(bytes: &[u8]) -> Option<&'static Charset> {
    let head: Vec<u8> = bytes
        .iter()
        .take(4096)
        .map(u8::to_ascii_lowercase)
        .collect();
    let mut from = 0;
    while let Some(i) = find(&head[from..], b"charset") {
        let mut j = from + i + b"charset".len();
        while head.get(j).is_some_and(|c| c.is_ascii_whitespace()) {
            j += 1;
        }
        if head.get(j) == Some(&b'=') {
            j += 1;
            while head
                .get(j)
                .is_some_and(|c| c.is_ascii_whitespace() || *c == b'"' || *c == b'\'')
            {
                j += 1;
            }
            let end = head[j..]
                .iter()
                .position(|c| !(c.is_ascii_alphanumeric() || b"-_.:".contains(c)))
                .map_or(head.len(), |k| j + k);
            if let Some(cs) = Charset::for_label(&head[j..end]) {
                return Some(cs);
            }
        }
        from = j;
    }
    None
}

/// Decode a page: a byte-order mark first, then the declared charset, then
/// UTF-8 if the bytes are valid UTF-8, else GB18030 (a superset of GBK and
/// GB2312, which Chinese sites declare or leave undeclared).
fn decode_page(bytes: &[u8], notes: &mut Vec<String>) -> Result<(String, Encoding), String> {
    let (charset, rest, tag) = if let Some(r) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        (UTF_8, r, Encoding::Utf8Bom)
    } else if let Some(r) = bytes.strip_prefix(b"\xFF\xFE") {
        (UTF_16LE, r, Encoding::Utf16Le)
    } else if let Some(r) = bytes.strip_prefix(b"\xFE\xFF") {
        (UTF_16BE, r, Encoding::Utf16Be)
    } else {
        let valid_utf8 = simdutf8::basic::from_utf8(bytes).is_ok();
        let charset = match declared_charset(bytes) {
            // Pages declare GBK and are saved as UTF-8 by the browser, and
            // the other way round: trust the bytes when they disagree.
            Some(cs) if cs == UTF_8 && !valid_utf8 => {
                notes.push("the page declares UTF-8 but is not; read as GBK".into());
                GB18030
            }
            Some(cs) if cs != UTF_8 && valid_utf8 && !bytes.is_ascii() => {
                notes.push(format!(
                    "the page declares {} but is UTF-8 (saved by a browser?); read as UTF-8",
                    cs.name()
                ));
                UTF_8
            }
            Some(cs) => cs,
            None if valid_utf8 => UTF_8,
            None => GB18030,
        };
        let tag = if charset == UTF_8 {
            Encoding::Utf8
        } else {
            Encoding::Gb18030
        };
        (charset, bytes, tag)
    };
    // GBK and GB2312 labels decode as GB18030 (its superset) in encoding_rs.
    let charset = if charset == encoding_rs::GBK {
        GB18030
    } else {
        charset
    };
    let (text, had_errors) = charset.decode_without_bom_handling(rest);
    if had_errors {
        let bad = text.chars().filter(|&c| c == '\u{FFFD}').count();
        let all = text.chars().count().max(1);
        if bad * 100 > all {
            return Err(format!(
                "a web page that is not valid {} text ({bad} undecodable characters): \
                 save it again from the browser (Save As → Web Page, HTML only)",
                charset.name()
            ));
        }
        notes.push(format!(
            "{bad} undecodable characters in the page replaced by �"
        ));
    }
    Ok((text.into_owned(), tag))
}

/// Elements whose content is not shown as text.
fn is_hidden_element(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "head"
            | "title"
            | "iframe"
            | "svg"
            | "select"
            | "object"
            | "canvas"
            | "textarea"
    )
}

/// Elements that start a new line.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "table"
            | "tbody"
            | "thead"
            | "tfoot"
            | "tr"
            | "caption"
            | "blockquote"
            | "pre"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "nav"
            | "aside"
            | "main"
            | "form"
            | "fieldset"
            | "figure"
            | "figcaption"
            | "address"
            | "center"
            | "hr"
            | "body"
            | "html"
    )
}

fn hidden_by_attributes(node: &NodeRef) -> bool {
    if node.has_attr("hidden") {
        return true;
    }
    node.attr("style").is_some_and(|s| {
        let s: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect();
        s.contains("display:none") || s.contains("visibility:hidden")
    })
}

/// Builds lines from text pieces: HTML collapses runs of ASCII whitespace
/// (not U+3000, which Chinese text uses for indentation) into one space.
#[derive(Default)]
struct Lines {
    done: Vec<String>,
    current: String,
    /// Cells of the table row being built.
    cells: Option<Vec<String>>,
}

impl Lines {
    fn push_text(&mut self, t: &str) {
        for c in t.chars() {
            let c = if c == '\u{A0}' { ' ' } else { c };
            if c.is_ascii_whitespace() {
                if !self.current.is_empty() && !self.current.ends_with(' ') {
                    self.current.push(' ');
                }
            } else {
                self.current.push(c);
            }
        }
    }

    fn end_line(&mut self) {
        let line = self.current.trim();
        if !line.is_empty() {
            match self.cells.as_mut() {
                Some(cells) => match cells.last_mut() {
                    Some(cell) if !cell.is_empty() => {
                        cell.push(' ');
                        cell.push_str(line);
                    }
                    Some(cell) => cell.push_str(line),
                    None => cells.push(line.to_string()),
                },
                None => self.done.push(line.to_string()),
            }
        }
        self.current.clear();
    }

    fn start_cell(&mut self) {
        self.end_line();
        if let Some(cells) = self.cells.as_mut() {
            cells.push(String::new());
        }
    }

    fn start_row(&mut self) {
        self.end_row();
        self.cells = Some(Vec::new());
    }

    /// A table row is one line, `| a | b |`, which the segmenter keeps with
    /// the rest of its table.
    fn end_row(&mut self) {
        self.end_line();
        if let Some(cells) = self.cells.take() {
            let cells: Vec<&str> = cells.iter().map(|c| c.trim()).collect();
            if cells.iter().any(|c| !c.is_empty()) {
                self.done.push(format!("| {} |", cells.join(" | ")));
            }
        }
    }
}

/// The visible text under `root`, one line per block, in document order.
///
/// Walks with an explicit stack: a page nested thousands of elements deep
/// must not overflow the call stack.
fn block_lines(root: &NodeRef) -> Vec<String> {
    enum Op<'a> {
        Open(NodeRef<'a>),
        Close(String),
    }
    let mut out = Lines::default();
    let mut stack: Vec<Op> = root.children_it(true).map(Op::Open).collect();
    while let Some(op) = stack.pop() {
        match op {
            Op::Open(node) => {
                if node.is_text() {
                    out.push_text(&node.text());
                    continue;
                }
                if !node.is_element() {
                    continue;
                }
                let name = node
                    .node_name()
                    .map(|n| n.to_ascii_lowercase())
                    .unwrap_or_default();
                if is_hidden_element(&name) || hidden_by_attributes(&node) {
                    continue;
                }
                match name.as_str() {
                    "br" => {
                        out.end_line();
                        continue;
                    }
                    "tr" => out.start_row(),
                    "td" | "th" => out.start_cell(),
                    n if is_block(n) => out.end_line(),
                    _ => {}
                }
                stack.push(Op::Close(name));
                stack.extend(node.children_it(true).map(Op::Open));
            }
            Op::Close(name) => match name.as_str() {
                "tr" => out.end_row(),
                "table" => {
                    out.end_row();
                }
                "td" | "th" => out.end_line(),
                n if is_block(n) => out.end_line(),
                _ => {}
            },
        }
    }
    out.end_row();
    out.done
}

/// The page's `<title>` and first `<h1>`, trimmed.
fn page_titles(doc: &Document) -> (Option<String>, Option<String>) {
    let clean = |s: &str| {
        let t = s.split_whitespace().collect::<Vec<_>>().join(" ");
        (!t.is_empty()).then_some(t)
    };
    let title = clean(&doc.select("title").text());
    let h1 = doc
        .select("h1")
        .iter()
        .next()
        .and_then(|n| clean(&n.text()));
    (title, h1)
}

/// Which lines of the full page to keep: from the page's title line (or the
/// first line readability kept, if that comes first) to the last line
/// readability kept. `None` when readability's lines cannot be found in the
/// page's text.
fn main_span(full: &[String], kept: &[String], titles: &[&str]) -> Option<(usize, usize)> {
    let first = kept.iter().find_map(|k| full.iter().position(|f| f == k))?;
    let last = kept
        .iter()
        .rev()
        .find_map(|k| full.iter().rposition(|f| f == k))?;
    if last < first {
        return None;
    }
    // The report's title line above the article body: the last line before
    // it that holds the page's <h1> or <title> (without the site's suffix).
    // A line that is only part of the title must hold at least half of it,
    // so a navigation item such as `工作报告` does not pass for it.
    let title_line = full[..first].iter().rposition(|l| {
        let l = l.trim();
        let n = l.chars().count();
        n >= 4
            && titles
                .iter()
                .any(|t| l.contains(t) || (t.contains(l) && 2 * n >= t.chars().count()))
    });
    Some((title_line.unwrap_or(first).min(first), last))
}

/// A site title's first part: `2022年某市政府工作报告_某市人民政府` → the report title.
fn title_stem(title: &str) -> &str {
    title
        .split(['_', '|', '-', '—', '–'])
        .map(str::trim)
        .find(|p| p.chars().count() >= 4)
        .unwrap_or(title)
}

/// Read a saved web page.
pub fn extract(bytes: &[u8]) -> Result<Extracted, String> {
    let mut notes = Vec::new();
    let (html, encoding) = decode_page(bytes, &mut notes)?;
    let page = Document::from(html.as_str());
    let (title, h1) = page_titles(&page);
    let full = match page.body() {
        Some(body) => block_lines(&body),
        None => block_lines(&page.root()),
    };
    if full.is_empty() {
        return Err(
            "a web page with no visible text (a frame set, or text drawn by scripts?): \
             open it in a browser and save it as text, and read that"
                .into(),
        );
    }
    let config = Config {
        // Keep going on big pages; the readability pass is cheap next to segmentation.
        max_elements_to_parse: 0,
        ..Config::default()
    };
    let readable = Readability::with_document(Document::from(html.as_str()), None, Some(config))
        .ok()
        .and_then(|mut r| r.parse().ok());
    let (lines, article_title) = match readable {
        Some(article) => {
            let content = Document::from(article.content.as_ref());
            let kept = match content.body() {
                Some(b) => block_lines(&b),
                None => block_lines(&content.root()),
            };
            let stems: Vec<&str> = [
                title.as_deref(),
                h1.as_deref(),
                Some(article.title.as_str()),
            ]
            .into_iter()
            .flatten()
            .map(title_stem)
            .filter(|t| !t.is_empty())
            .collect();
            match main_span(&full, &kept, &stems) {
                Some((a, b)) => (full[a..=b].to_vec(), Some(article.title)),
                None => {
                    notes.push(
                        "the main content could not be placed on the page; read all its visible text"
                            .into(),
                    );
                    (full, Some(article.title))
                }
            }
        }
        None => {
            notes.push("no main content block found; read all the page's visible text".into());
            (full, None)
        }
    };
    // The first of the headline, readability's title and the <title> (less
    // the site's name) that names a report; else the first there is.
    let candidates: Vec<String> = [h1, article_title, title]
        .into_iter()
        .flatten()
        .map(|t| title_stem(&t).to_string())
        .filter(|t| !t.is_empty())
        .collect();
    let title = candidates
        .iter()
        .find(|t| t.contains("报告"))
        .or(candidates.first())
        .cloned();
    let mut x = Extracted::new(lines.join("\n"), Format::Html);
    x.title = title;
    x.encoding = Some(encoding);
    x.notes = notes;
    Ok(x)
}

/// A text file whose non-empty lines are mostly HTML markup (a page's source
/// pasted or captured as text): each line with its tags removed and its
/// entities decoded, line numbers kept. `None` for ordinary text, which is
/// left exactly as it is (a report may mention `<p>` in passing).
pub fn strip_markup_lines(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let non_empty = lines.iter().filter(|l| !l.trim().is_empty()).count();
    let markup = lines.iter().filter(|l| is_markup_line(l)).count();
    if non_empty == 0 || markup * 2 < non_empty || markup < 2 {
        return None;
    }
    let out: Vec<String> = lines.iter().map(|l| strip_line(l)).collect();
    Some(out.join("\n"))
}

/// A line that opens or closes with an HTML tag (`<p style=…>`, `</p>`).
fn is_markup_line(line: &str) -> bool {
    let t = line.trim();
    let opens = t.starts_with('<')
        && t[1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!');
    let closes = t.ends_with('>') && t.rfind("</").is_some();
    opens || closes
}

/// One line without its tags, entities decoded, whitespace as a browser shows it.
fn strip_line(line: &str) -> String {
    let mut text = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(i) = rest.find('<') {
        text.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let is_tag = after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!');
        match after.find('>') {
            Some(j) if is_tag => rest = &after[j + 1..],
            _ => {
                text.push('<');
                rest = after;
            }
        }
    }
    text.push_str(rest);
    let decoded = html_escape::decode_html_entities(&text);
    let mut out = Lines::default();
    out.push_text(&decoded);
    out.current.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(body: &str) -> String {
        format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>2022年某市政府工作报告_某市人民政府</title></head><body>{body}</body></html>"
        )
    }

    #[test]
    fn blocks_become_lines_and_inline_text_stays_together() {
        let html = page(
            "<div><h1>2022年某市政府工作报告</h1><p>各位<b>代表</b>:</p>\
             <p>第一段。<br>第二行。</p><ul><li>一项</li><li>二项</li></ul>\
             <table><tr><td>指标</td><td>增长</td></tr><tr><td>GDP</td><td>6%</td></tr></table>\
             <script>var x = '不是正文';</script><div style=\"display: none\">隐藏</div></div>",
        );
        let doc = Document::from(html.as_str());
        let lines = block_lines(&doc.body().unwrap());
        assert_eq!(
            lines,
            [
                "2022年某市政府工作报告",
                "各位代表:",
                "第一段。",
                "第二行。",
                "一项",
                "二项",
                "| 指标 | 增长 |",
                "| GDP | 6% |"
            ]
        );
    }

    #[test]
    fn whitespace_collapses_like_a_browser_but_ideographic_space_stays() {
        let html = page("<p>  市长\n   某某 </p><p>各位\u{3000}代表:&nbsp;</p>");
        let doc = Document::from(html.as_str());
        assert_eq!(
            block_lines(&doc.body().unwrap()),
            ["市长 某某", "各位\u{3000}代表:"]
        );
    }

    #[test]
    fn charset_from_meta_bom_or_bytes() {
        let body = "<p>各位代表:现在,我代表市人民政府向大会报告工作。</p>";
        let html = format!("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body>{body}</body></html>");
        let (gbk, _, _) = GB18030.encode(&html);
        let mut notes = Vec::new();
        let (text, enc) = decode_page(&gbk, &mut notes).unwrap();
        assert_eq!((text.as_str(), enc), (html.as_str(), Encoding::Gb18030));
        // Undeclared GBK is recognised by not being UTF-8.
        let bare = format!("<html><body>{body}</body></html>");
        let (gbk, _, _) = GB18030.encode(&bare);
        assert_eq!(decode_page(&gbk, &mut notes).unwrap().0, bare);
        // Declared GBK but saved as UTF-8 by a browser.
        let (text, enc) = decode_page(html.as_bytes(), &mut notes).unwrap();
        assert_eq!((text.as_str(), enc), (html.as_str(), Encoding::Utf8));
        assert!(
            notes.iter().any(|n| n.contains("but is UTF-8")),
            "{notes:?}"
        );
        assert_eq!(
            declared_charset(b"<meta charset='GBK'>"),
            Some(encoding_rs::GBK)
        );
        assert_eq!(declared_charset(b"<meta name=x>"), None);
    }

    #[test]
    fn markup_lines_in_text_are_stripped_and_ordinary_text_is_not() {
        let text = "当前位置: 首页\n<p style=\"text-align: center\">政 府 工 作 报 告</font></p>\n<p>&nbsp;</p>\n<p>  实现了&ldquo;十一五&rdquo;时期的良好开局&mdash;&mdash;</p>";
        let out = strip_markup_lines(text).unwrap();
        assert_eq!(
            out.lines().collect::<Vec<_>>(),
            [
                "当前位置: 首页",
                "政 府 工 作 报 告",
                "",
                "实现了“十一五”时期的良好开局——"
            ]
        );
        let report = "各位代表:\n网页中的<p>标签与正文无关。\n一、工作回顾\n";
        assert_eq!(strip_markup_lines(report), None);
        assert_eq!(strip_line("a < b 与 <i>c</i>"), "a < b 与 c");
    }

    #[test]
    fn html_is_recognised_by_how_it_starts() {
        for head in [
            "<!doctype html>",
            "<html lang=zh>",
            "<?xml version=\"1.0\"?><html xmlns=",
            "<!-- saved --><html>",
            "<meta charset=gbk>",
        ] {
            assert!(looks_like_html(head.as_bytes()), "{head}");
        }
        for head in ["<?xml version=\"1.0\"?><w:document>", "各位代表", "<p>"] {
            assert!(!looks_like_html(head.as_bytes()), "{head}");
        }
    }

    #[test]
    fn span_starts_at_the_title_line_above_the_article() {
        let full: Vec<String> = [
            "首页",
            "新闻",
            "2022年某市政府工作报告",
            "——在某市人民代表大会上",
            "各位代表:",
            "正文。",
            "版权所有",
        ]
        .map(String::from)
        .to_vec();
        let kept: Vec<String> = ["各位代表:", "正文。"].map(String::from).to_vec();
        assert_eq!(
            main_span(&full, &kept, &["2022年某市政府工作报告"]),
            Some((2, 5))
        );
        assert_eq!(main_span(&full, &kept, &["别的标题"]), Some((4, 5)));
        // A navigation item inside the title is not the title line.
        let nav: Vec<String> = ["首页", "工作报告", "各位代表:", "正文。"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            main_span(&nav, &kept, &["2022年某市政府工作报告"]),
            Some((2, 3))
        );
        assert_eq!(
            title_stem("2022年某市政府工作报告_某市人民政府"),
            "2022年某市政府工作报告"
        );
    }
}
