//! Rejoin paragraphs that a PDF export or a fixed-width text dump broke into lines.
//!
//! The segmenter takes a short line for a paragraph of its own. Text copied
//! out of a PDF (or `pdftotext` output) breaks every paragraph into lines of
//! one width, so each line of about 35 characters would become a "paragraph"
//! that ends mid-word. Such a document is recognised by its lines: most of
//! them have (nearly) the same display width, which is also the widest, and
//! most of those do not end a sentence. Its lines are then joined back: a
//! line as wide as the wrap width continues on the next line, unless a blank
//! line comes between them or the next line is indented or opens a section
//! (`二、`, `(三)`, `一是`).
//!
//! Where paragraphs are indented, indentation alone says where they start.
//! Where they are not, a full line that ends a sentence may end a paragraph
//! or not; see `Joined::split`. A document of one paragraph per line, like
//! every seed, has lines of every width and is left exactly as it is.

use unicode_width::UnicodeWidthChar;

use super::segment::{opens_section, LINE_PARAGRAPH_MAX};

/// How line length is measured. PDF typesetting fills lines to one physical
/// width, which display columns measure (a Chinese character is two columns,
/// a digit or an ASCII comma one); a fixed-width dump cuts every line after
/// the same number of characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    Columns,
    Chars,
}

impl Measure {
    /// The length of a line, counted up to just past [`MAX_MEASURED`]: no
    /// wrap is that wide, and a 10 MB line need not be counted to the end.
    fn of(self, line: &str) -> usize {
        let (columns, chars) = lengths(line);
        match self {
            Measure::Columns => columns,
            Measure::Chars => chars,
        }
    }

    /// How much shorter than the wrap width a full line may be: typesetting
    /// may end a line a character early (a character that may not start a
    /// line moves down with its neighbour), and a line of a PDF holding
    /// digits is a column or two narrower.
    fn slack(self) -> usize {
        match self {
            Measure::Columns => 4,
            Measure::Chars => 2,
        }
    }

    /// Lines shorter than this are headings or paragraph ends and say nothing about a wrap width.
    fn min_len(self) -> usize {
        match self {
            Measure::Columns => 16,
            Measure::Chars => 8,
        }
    }

    /// Unit for messages.
    pub fn unit(self) -> &'static str {
        match self {
            Measure::Columns => "columns",
            Measure::Chars => "characters",
        }
    }
}

/// The width a document's lines were wrapped at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wrap {
    pub measure: Measure,
    pub width: usize,
}

impl Wrap {
    fn is_full(self, line: &str) -> bool {
        self.measure.of(line) + self.measure.slack() >= self.width
    }
}

/// Lines are measured up to this many columns (100 Chinese characters, far
/// wider than any page); a longer one counts as "longer than the wrap".
const MAX_MEASURED: usize = 200;
/// Whether a document is wrapped is judged on its first this many lines.
const SAMPLE_LINES: usize = 2000;
/// At least this many lines at the wrap width before a document counts as wrapped.
const MIN_FULL_LINES: usize = 8;
/// At most this many lines above the first full one are a header block
/// (title, meeting line, a site's file facts), wider than the wrap or not.
const HEADER_LINES: usize = 12;
/// A document with this many indented lines marks its paragraphs by indentation.
const MIN_INDENTED: usize = 3;

/// Display columns and characters of a line, in one pass, counted up to
/// just past [`MAX_MEASURED`] columns.
fn lengths(line: &str) -> (usize, usize) {
    // Every character but a zero-width one takes at least a column per two
    // bytes of UTF-8, so a line of many bytes is long without counting.
    let line = line.trim_end();
    if line.len() > 2 * MAX_MEASURED + 2 {
        return (MAX_MEASURED + 1, MAX_MEASURED + 1);
    }
    let (mut columns, mut chars) = (0, 0);
    for c in line.chars() {
        columns += c.width_cjk().unwrap_or(0);
        chars += 1;
        if columns > MAX_MEASURED {
            break;
        }
    }
    (columns, chars)
}

fn ends_sentence(line: &str) -> bool {
    line.trim_end()
        .ends_with(['。', '!', '?', '!', '?', '”', '…'])
}

/// How far a line is indented: its leading whitespace, in characters.
/// `pdftotext` puts a form feed before each page's first line; that is a
/// page break, not indentation.
fn indent(line: &str) -> usize {
    line.trim_start_matches('\u{c}')
        .chars()
        .take_while(|c| c.is_whitespace())
        .count()
}

/// A page number between pages (`- 3 -`, `— 12 —`, `第3页`), which a PDF
/// export leaves in the middle of a paragraph.
pub fn is_page_number(line: &str) -> bool {
    let t = line
        .trim()
        .trim_matches(|c: char| c.is_whitespace() || "-—–－".contains(c));
    let t = t.strip_prefix('第').unwrap_or(t);
    let t = t.strip_suffix('页').unwrap_or(t).trim();
    !t.is_empty() && t.len() <= 3 && t.bytes().all(|b| b.is_ascii_digit())
}

/// How a document's lines were wrapped, or `None` when they were not.
pub fn wrap_width(lines: &[(usize, String)]) -> Option<Wrap> {
    let sample: Vec<(&str, (usize, usize))> = lines
        .iter()
        .take(SAMPLE_LINES)
        .filter(|(_, l)| !is_page_number(l))
        .map(|(_, l)| (l.as_str(), lengths(l)))
        .collect();
    // The measure that finds more full lines; columns on a tie (`max_by_key` keeps the last).
    [Measure::Chars, Measure::Columns]
        .into_iter()
        .filter_map(|m| {
            let sample: Vec<(&str, usize)> = sample
                .iter()
                .map(|&(l, (columns, chars))| {
                    // A line cut short at MAX_MEASURED columns is as long for both.
                    let long = columns > MAX_MEASURED;
                    let n = match m {
                        Measure::Columns => columns,
                        Measure::Chars if long => MAX_MEASURED + 1,
                        Measure::Chars => chars,
                    };
                    (l, n)
                })
                .collect();
            wrapped_by(&sample, m)
        })
        .max_by_key(|(_, full)| *full)
        .map(|(wrap, _)| wrap)
}

/// The wrap width by one measure and how many lines are full at it, from
/// the first lines' lengths by that measure.
fn wrapped_by(sample: &[(&str, usize)], measure: Measure) -> Option<(Wrap, usize)> {
    let slack = measure.slack();
    let mut long: Vec<usize> = sample
        .iter()
        .map(|&(_, n)| n)
        .filter(|&n| n >= measure.min_len() && n <= MAX_MEASURED)
        .collect();
    if long.len() < MIN_FULL_LINES {
        return None;
    }
    long.sort_unstable();
    // The window [w - slack, w] holding the most lines: the wrap width is its top.
    let (mut best_count, mut width) = (0, 0);
    let mut lo = 0;
    for hi in 0..long.len() {
        while long[hi] - long[lo] > slack {
            lo += 1;
        }
        if hi - lo + 1 >= best_count {
            best_count = hi - lo + 1;
            width = long[hi];
        }
    }
    let full: Vec<&str> = sample
        .iter()
        .filter(|&&(_, n)| n.abs_diff(width) <= slack && n <= MAX_MEASURED)
        .map(|&(l, _)| l)
        .collect();
    // Lines wider than the wrap: too many of them mean lines of every width
    // (one paragraph per line). A title block or a site's header above the
    // text, and running headers repeated between pages, are set apart from
    // the body and do not count.
    let mut seen = std::collections::HashMap::<&str, usize>::new();
    for &(l, _) in sample {
        *seen.entry(l.trim()).or_default() += 1;
    }
    let first_full = sample
        .iter()
        .position(|&(_, n)| n.abs_diff(width) <= slack && n <= MAX_MEASURED)
        .unwrap_or(0);
    let longer = sample
        .iter()
        .enumerate()
        .filter(|&(i, &(l, n))| {
            let header =
                i < first_full.min(HEADER_LINES) || seen.get(l.trim()).is_some_and(|&c| c > 1);
            !header && (n > width + slack || n > MAX_MEASURED)
        })
        .count();
    let sentence_ends = full.iter().filter(|l| ends_sentence(l)).count();
    // Most lines are full, almost none is longer, and full lines mostly break
    // mid-sentence; a paragraph-per-line text fails all three.
    let wrapped = full.len() >= MIN_FULL_LINES
        && full.len() * 2 >= sample.len()
        && longer * 20 <= sample.len()
        && sentence_ends * 2 < full.len();
    wrapped.then_some((Wrap { measure, width }, full.len()))
}

/// Lines of a hard-wrapped document joined back into paragraphs, each with
/// the number of its first line; `None` (keep the lines) when the document is
/// not wrapped. Page numbers between pages are dropped.
#[cfg(test)]
pub fn unwrap_lines(lines: &[(usize, String)]) -> Option<(Wrap, Vec<(usize, String)>)> {
    unwrap_lines_around(lines, &[])
}

/// Like [`unwrap_lines`] for lines out of which `removed` (sorted line
/// numbers: site chrome, running headers) were taken: a gap where a removed
/// line stood is a page break, not a blank line between paragraphs.
pub fn unwrap_lines_around(
    lines: &[(usize, String)],
    removed: &[usize],
) -> Option<(Wrap, Vec<(usize, String)>)> {
    let wrap = wrap_width(lines)?;
    let removed_between = |after: usize, before: usize| {
        let i = removed.partition_point(|&r| r <= after);
        removed.get(i).is_some_and(|&r| r < before)
    };
    // Where paragraphs are indented, indentation alone marks their starts; a
    // wrapped line may then begin with `二是` in the middle of an enumeration.
    // Indentation is counted from the left margin that every line shares
    // (`pdftotext -layout` keeps the page's).
    let margin = lines.iter().map(|(_, l)| indent(l)).min().unwrap_or(0);
    let indented = |line: &str| indent(line) > margin;
    let uses_indent = lines.iter().filter(|(_, l)| indented(l)).count() >= MIN_INDENTED;
    let mut joined: Vec<Joined> = Vec::new();
    // Whether the last line kept was full, whether it ended a sentence, its
    // number, and whether a page number came after it.
    let (mut full, mut sentence_end, mut last_line, mut page_break) = (false, false, 0, false);
    for (n, line) in lines {
        if is_page_number(line) {
            page_break = true;
            continue;
        }
        let text = line.trim();
        // Blank lines around a page number are the page break, not a paragraph end.
        let blank_between = *n > last_line + 1 && !page_break && !removed_between(last_line, *n);
        match joined.last_mut() {
            Some(j)
                if full
                    && !indented(line)
                    && !blank_between
                    && (uses_indent || !opens_section(text)) =>
            {
                if sentence_end && !uses_indent {
                    j.maybe_ends.push((j.text.len(), *n));
                }
                // No space at the seam: Chinese has none, and a number or a
                // Latin word cut at the wrap was one token before it.
                j.text.push_str(text);
            }
            _ => joined.push(Joined {
                line: *n,
                text: text.to_string(),
                maybe_ends: Vec::new(),
            }),
        }
        full = wrap.is_full(line);
        sentence_end = ends_sentence(line);
        last_line = *n;
        page_break = false;
    }
    Some((wrap, joined.into_iter().flat_map(Joined::split).collect()))
}

/// Lines joined into one paragraph, and where it may end early: after a full
/// line that ends a sentence, in a document without indentation.
struct Joined {
    line: usize,
    text: String,
    /// Byte offset in `text` and line number of each line that may start a paragraph.
    maybe_ends: Vec<(usize, usize)>,
}

impl Joined {
    /// A paragraph whose last line happens to be full cannot be told from
    /// one that goes on. Cutting at every full line that ends a sentence cuts
    /// a paragraph in two now and then; joining merges two, which moves theme
    /// shares more (`benches/experiments/wrapped.py`). So a paragraph of
    /// paragraph size is cut there. A longer one is left whole: it is running
    /// text (a web page's body on one line, rewrapped), and the segmenter
    /// splits it at section markers and sentence ends anyway.
    fn split(self) -> Vec<(usize, String)> {
        if self.maybe_ends.is_empty() || self.text.chars().count() > LINE_PARAGRAPH_MAX {
            return vec![(self.line, self.text)];
        }
        let mut out = Vec::with_capacity(self.maybe_ends.len() + 1);
        let (mut start, mut line) = (0, self.line);
        for (offset, next_line) in self.maybe_ends {
            out.push((line, self.text[start..offset].to_string()));
            (start, line) = (offset, next_line);
        }
        out.push((line, self.text[start..].to_string()));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbered(lines: &[&str]) -> Vec<(usize, String)> {
        lines
            .iter()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| (i + 1, l.to_string()))
            .collect()
    }

    /// Break each paragraph into lines of `chars` characters; an indented
    /// first line starts with an ideographic space in place of a character.
    fn wrap(paragraphs: &[&str], chars: usize, indent: bool) -> Vec<String> {
        let mut out = Vec::new();
        for p in paragraphs {
            let mut rest: Vec<char> = p.chars().collect();
            if indent {
                rest.insert(0, '\u{3000}');
            }
            for piece in rest.chunks(chars) {
                out.push(piece.iter().collect());
            }
        }
        out
    }

    const PARAS: [&str; 5] = [
        "一、过去一年工作回顾",
        "过去一年,我们坚持稳中求进工作总基调,全力以赴稳增长、促改革、调结构、惠民生、防风险,经济社会发展主要目标任务较好完成,地区生产总值增长百分之六点五,一般公共预算收入增长百分之八。",
        "坚定不移推进招商引资,全年引进亿元以上项目四十二个,到位资金一百八十亿元,新签约产业链项目十六个,外贸进出口总额增长百分之十二,开放型经济水平持续提升。",
        "持续打好污染防治攻坚战,空气质量优良天数比例达到百分之八十五,主要河流断面水质全部达标,完成营造林十万亩,单位生产总值能耗下降百分之三,生态环境持续改善。",
        "扎实办好民生实事,城镇新增就业一万二千人,城乡居民人均可支配收入分别增长百分之五和百分之七,新建改扩建幼儿园和中小学十二所,养老服务设施覆盖全部社区。",
    ];

    #[test]
    fn paragraph_per_line_text_is_not_wrapped() {
        let lines: Vec<&str> = PARAS.iter().chain(PARAS.iter()).copied().collect();
        assert_eq!(wrap_width(&numbered(&lines)), None);
        assert_eq!(unwrap_lines(&numbered(&lines)), None);
    }

    /// Break each paragraph into lines of at most `columns` display columns,
    /// as a PDF sets them.
    fn wrap_columns(paragraphs: &[&str], columns: usize) -> Vec<String> {
        let mut out = Vec::new();
        for p in paragraphs {
            let mut line = String::new();
            for c in p.chars() {
                if Measure::Columns.of(&format!("{line}{c}")) > columns {
                    out.push(std::mem::take(&mut line));
                }
                line.push(c);
            }
            out.push(line);
        }
        out
    }

    /// The paragraphs `unwrap_lines` makes of `lines`, which must look wrapped.
    fn unwrapped(lines: &[String]) -> Vec<String> {
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let (_, out) = unwrap_lines(&numbered(&refs)).expect("wrapped");
        out.into_iter().map(|(_, t)| t).collect()
    }

    fn texts(out: &[(usize, String)]) -> Vec<&str> {
        out.iter().map(|(_, t)| t.as_str()).collect()
    }

    /// The paragraphs with figures in digits, as most reports write them: a
    /// full line of a PDF then holds a varying number of characters, and a
    /// line of a fixed number of characters has a varying width.
    fn with_digits() -> Vec<String> {
        PARAS
            .iter()
            .map(|p| {
                p.replace("百分之八十五", "85%")
                    .replace("百分之八", "8.3%")
                    .replace("百分之六点五", "6.5%")
                    .replace("四十二", "42")
                    .replace("一百八十亿", "180亿")
                    .replace("一万二千", "12000")
                    .replace("十二所", "12所")
            })
            .collect()
    }

    #[test]
    fn paragraphs_wrapped_at_a_character_count_are_joined_back() {
        let paras = with_digits();
        let paras: Vec<&str> = paras.iter().map(String::as_str).collect();
        for chars in [20, 27, 35] {
            let lines = wrap(&paras, chars, false);
            let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
            let (w, out) = unwrap_lines(&numbered(&refs)).expect("wrapped");
            assert_eq!(
                w,
                Wrap {
                    measure: Measure::Chars,
                    width: chars
                }
            );
            assert_eq!(texts(&out), paras, "{chars}");
            assert_eq!(out[0].0, 1);
            assert_eq!(out[2].0, 1 + 1 + paras[1].chars().count().div_ceil(chars));
        }
    }

    #[test]
    fn paragraphs_wrapped_at_a_display_width_are_joined_back() {
        let paras = with_digits();
        let paras: Vec<&str> = paras.iter().map(String::as_str).collect();
        for columns in [40, 54, 64, 70] {
            let lines = wrap_columns(&paras, columns);
            let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
            let (w, out) = unwrap_lines(&numbered(&refs)).expect("wrapped");
            assert_eq!(w.measure, Measure::Columns, "{columns}");
            assert!(
                (columns - 4..=columns).contains(&w.width),
                "{columns}: {w:?}"
            );
            assert_eq!(texts(&out), paras, "{columns}");
        }
    }

    #[test]
    fn indentation_and_blank_lines_start_paragraphs() {
        // Every paragraph is cut to exactly two full lines, so width alone
        // would join them all: indentation or a blank line must separate them.
        let cut: Vec<String> = PARAS[1..]
            .iter()
            .map(|p| p.chars().take(40).collect())
            .collect();
        let cut: Vec<&str> = cut.iter().map(String::as_str).collect();
        assert_eq!(unwrapped(&wrap(&cut, 20, true)), cut);

        // With neither, nothing tells them apart: they run on into one
        // (each is cut mid-sentence here).
        let lines = wrap(&cut, 20, false);
        assert_eq!(unwrapped(&lines), [cut.concat()]);

        let mut blank_separated = Vec::new();
        for pair in lines.chunks(2) {
            blank_separated.extend(pair.iter().map(String::as_str));
            blank_separated.push("");
        }
        let (_, out) = unwrap_lines(&numbered(&blank_separated)).expect("wrapped");
        assert_eq!(texts(&out), cut);
    }

    #[test]
    fn a_full_line_that_ends_a_sentence_ends_an_unindented_paragraph() {
        // Each paragraph is three full lines, the third ending its last sentence.
        let paras = [
            "过去一年我们坚持稳中求进工作总基调全力以赴稳增长促改革调结构惠民生防风险经济运行总。",
            "持续打好污染防治攻坚战空气质量优良天数比例持续上升主要河流断面水质全部达标生态环境。",
        ];
        let mut paras: Vec<&str> = paras.repeat(5);
        paras.insert(
            3,
            "坚定不移推进招商引资全年引进亿元以上项目四十二个到位资金一百八十亿元外贸进出口总额。",
        );
        let lines = wrap(&paras, 14, false);
        assert!(lines.iter().all(|l| l.chars().count() == 14));
        assert_eq!(unwrapped(&lines), paras);
        // Indented, the same line runs on unless the next is indented.
        assert_eq!(unwrapped(&wrap(&paras, 14, true)).len(), paras.len());
    }

    #[test]
    fn page_numbers_inside_a_paragraph_are_dropped() {
        let mut lines = wrap(&PARAS, 20, false);
        lines.insert(5, String::new());
        lines.insert(6, "— 2 —".to_string());
        lines.insert(7, String::new());
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let (_, out) = unwrap_lines(&numbered(&refs)).expect("wrapped");
        assert_eq!(texts(&out), PARAS);
        // pdftotext marks a new page with a form feed before its first line.
        let mut lines = wrap(&PARAS, 20, true);
        lines[5].insert(0, '\u{c}');
        assert_eq!(unwrapped(&lines), PARAS);
        // With -layout, every line keeps the page's left margin.
        let mut lines: Vec<String> = wrap(&PARAS, 20, true)
            .iter()
            .map(|l| format!("    {l}"))
            .collect();
        lines[5].insert(0, '\u{c}');
        assert_eq!(unwrapped(&lines), PARAS);
    }

    #[test]
    fn page_numbers() {
        for yes in ["- 3 -", "— 12 —", "第3页", "7", " －15－ "] {
            assert!(is_page_number(yes), "{yes}");
        }
        for no in ["2022", "一、", "3月", "-", "12345", "第三页"] {
            assert!(!is_page_number(no), "{no}");
        }
    }

    #[test]
    fn wider_header_lines_and_running_headers_do_not_defeat_detection() {
        let paras = with_digits();
        let paras: Vec<&str> = paras.iter().map(String::as_str).collect();
        let mut lines: Vec<String> = [
            "关于某某区二〇二二年国民经济和社会发展计划执行情况与二〇二三年计划草案的报告",
            "——2023年1月10日在某某区第十届人民代表大会第二次会议上的报告全文",
            "某某区发展和改革委员会主任在会上作说明并请各位代表审议本报告的全部内容",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let body = wrap(&paras, 20, false);
        for (i, l) in body.iter().enumerate() {
            if i > 0 && i % 9 == 0 {
                lines.push("某某区二〇二三年国民经济和社会发展计划草案的报告(送审稿)".to_string());
            }
            lines.push(l.clone());
        }
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let (w, _) = unwrap_lines(&numbered(&refs)).expect("wrapped despite headers");
        assert_eq!(w.width, 20);
        // Paragraph-per-line text under the same header is still not wrapped.
        let plain: Vec<&str> = refs[..3]
            .iter()
            .copied()
            .chain(PARAS.iter().chain(PARAS.iter()).copied())
            .collect();
        assert_eq!(wrap_width(&numbered(&plain)), None);
    }
}
