//! Paragraph segmentation and section tracking.
//!
//! A line of a report is a paragraph. A line too long to be one (a scraped
//! body holding the whole report on one line) is split at section markers and
//! sentence ends, and its sentences are grouped into paragraphs of about
//! [`MIN_CHARS`]–[`MAX_CHARS`] characters that never cross a marker. Nothing
//! but whitespace at paragraph edges is ever dropped.

use std::sync::OnceLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

/// A paragraph shorter than this is not closed early for length.
pub const MIN_CHARS: usize = 80;
/// A paragraph is closed at the first sentence end past this length: about
/// the size of one item of a report, so one paragraph mostly holds one topic.
pub const TARGET_CHARS: usize = 150;
/// A paragraph is closed before it would grow past this.
pub const MAX_CHARS: usize = 400;
/// Lines up to this long are kept whole as one paragraph.
pub const LINE_PARAGRAPH_MAX: usize = 600;

/// Where in a report a paragraph sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Section {
    /// Review of past work (过去一年/五年工作回顾, 计划执行情况).
    Review,
    /// Plans and targets (今后工作, 年度重点工作, 预期目标, 计划草案).
    Plan,
    /// Opening, government self-building, closing, glossary; all of an article.
    Other,
}

impl Section {
    pub fn id(self) -> &'static str {
        match self {
            Section::Review => "review",
            Section::Plan => "plan",
            Section::Other => "other",
        }
    }
    pub fn parse(s: &str) -> Option<Section> {
        [Section::Review, Section::Plan, Section::Other]
            .into_iter()
            .find(|k| k.id() == s.trim())
    }
}

/// How a piece of text opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Opening {
    Plain,
    /// `一、` — may open a part of the report.
    TopMarker,
    /// `(一)`, `一是`, `第一,`, `1、` — a sub-point.
    SubMarker,
    /// An unnumbered heading such as `“十三五”时期经济社会发展和2020年工作回顾`.
    Heading,
}

// The patterns are constants of this file, exercised by its tests: a bad one
// is a programming error, not a user-data error.
#[allow(clippy::expect_used)]
fn re(cell: &'static OnceLock<Regex>, pattern: impl FnOnce() -> String) -> &'static Regex {
    cell.get_or_init(|| Regex::new(&pattern()).expect("static regex is valid"))
}

const NUM: &str = "[一二三四五六七八九十]";

fn top_marker() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, || format!(r"^{NUM}{{1,3}}、"))
}

fn sub_marker() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, || {
        format!(
            r"^(?:[（(](?:{NUM}{{1,3}}|\d{{1,2}})[）)]|{NUM}{{1,2}}是|第{NUM}{{1,3}}[,，、]|\d{{1,2}}、|\d{{1,2}}[.．][^\d])"
        )
    })
}

/// Unnumbered headings inside running text must name a period (a year,
/// 时期, 五年) before the heading word, so ordinary sentences such as
/// `重点工作扎实推进` do not switch sections.
fn unnumbered_heading() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, || {
        r"^(?:[^,，。:：;；!！?？]{0,24}?(?:\d{4}年|时期|五年|一年)[^,，。:：;；!！?？]{0,12}?(?:工作回顾|计划执行情况|工作安排|重点工作|主要任务|目标任务|计划草案|工作重点)|名词解释)".to_string()
    })
}

fn section_of_heading(text: &str) -> Option<Section> {
    static REVIEW: OnceLock<Regex> = OnceLock::new();
    static PLAN: OnceLock<Regex> = OnceLock::new();
    static OTHER: OnceLock<Regex> = OnceLock::new();
    let lead = r"^(?:[一二三四五六七八九十]{1,3}、)?\s*[^,，。:：;；!！?？]{0,24}?";
    let other = re(&OTHER, || {
        format!("{lead}(?:政府自身建设|自身建设|人民满意政府|名词解释)")
    });
    let review = re(&REVIEW, || {
        format!("{lead}(?:工作回顾|执行情况|工作总结|回顾)")
    });
    let plan = re(&PLAN, || {
        format!("{lead}(?:工作安排|重点工作|主要工作|目标任务|主要任务|奋斗目标|总体要求|总体安排|总体思路|工作任务|计划草案|主要目标|工作重点|发展计划|今后)")
    });
    if other.is_match(text) {
        Some(Section::Other)
    } else if review.is_match(text) {
        Some(Section::Review)
    } else if plan.is_match(text) {
        Some(Section::Plan)
    } else {
        None
    }
}

fn opening_of(text: &str) -> Opening {
    let t = text.trim_start();
    // Cheap prefilters keep the regexes off the vast majority of sentences.
    let first = t.chars().next().unwrap_or(' ');
    let may_mark = "一二三四五六七八九十（(第".contains(first) || first.is_ascii_digit();
    if t.starts_with("——") {
        // A lead-in item (`——五年来,…`) or the meeting line: in a body held
        // on one line it opens a paragraph of its own.
        Opening::SubMarker
    } else if may_mark && top_marker().is_match(t) {
        Opening::TopMarker
    } else if may_mark && sub_marker().is_match(t) {
        Opening::SubMarker
    } else if may_be_heading(t) && unnumbered_heading().is_match(t) {
        Opening::Heading
    } else {
        Opening::Plain
    }
}

/// Whether a line opens with a section marker (`一、`, `(三)`, `二是`, `4.`)
/// or is an unnumbered heading: it starts a paragraph wherever it stands.
pub fn opens_section(text: &str) -> bool {
    opening_of(text) != Opening::Plain
}

/// An unnumbered heading names a period (年, 时期) early on, or is 名词解释.
fn may_be_heading(t: &str) -> bool {
    t.starts_with("名词解释") || t.chars().take(40).any(|c| c == '年' || c == '期')
}

/// A line of a flattened table: starts or ends with `|`.
fn is_table_cell(line: &str) -> bool {
    line.starts_with('|') || line.ends_with('|')
}

fn is_terminator(c: char) -> bool {
    matches!(c, '。' | '!' | '?' | ';' | '！' | '？' | '；')
}

fn is_closer(c: char) -> bool {
    matches!(
        c,
        '”' | '’' | '"' | '\'' | '』' | '」' | ')' | '）' | '】' | '》'
    ) || is_terminator(c)
}

/// Split running text into units: sentences, plus breaks after a colon when
/// a marker follows it (`重点做好以下工作: 一、…`). Units cover the text exactly.
fn split_units(text: &str) -> Vec<&str> {
    let mut units = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let mut end = i + c.len_utf8();
        if is_terminator(c) {
            while let Some(&(j, d)) = chars.peek() {
                if is_closer(d) {
                    end = j + d.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
        } else if matches!(c, ':' | '：') {
            let rest = text[end..].trim_start();
            if !(top_marker().is_match(rest)
                || sub_marker().is_match(rest)
                || rest.starts_with("——"))
            {
                continue;
            }
        } else {
            continue;
        }
        units.push(&text[start..end]);
        start = end;
    }
    if start < text.len() {
        units.push(&text[start..]);
    }
    units
}

/// Cut a unit longer than [`MAX_CHARS`] at commas, or hard at the limit when
/// it has none (a 10 MB line with no punctuation must still segment).
fn split_long(unit: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut count = 0;
    let mut last_comma: Option<(usize, usize)> = None; // (byte end, chars up to it)
    for (i, c) in unit.char_indices() {
        count += 1;
        let end = i + c.len_utf8();
        if matches!(c, ',' | '，' | '、' | ':' | '：') {
            last_comma = Some((end, count));
        }
        if count >= MAX_CHARS {
            match last_comma {
                Some((cut, n)) if n >= MIN_CHARS => {
                    pieces.push(&unit[start..cut]);
                    start = cut;
                    count -= n;
                }
                _ => {
                    pieces.push(&unit[start..end]);
                    start = end;
                    count = 0;
                }
            }
            last_comma = None;
        }
    }
    if start < unit.len() {
        pieces.push(&unit[start..]);
    }
    pieces
}

/// One segmented paragraph, before it is given ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub text: String,
    pub section: Section,
    /// 1-based line of the source file the paragraph starts on.
    pub line: usize,
}

/// Stateful segmenter: the section carries over from one line to the next.
#[derive(Debug, Clone)]
pub struct Segmenter {
    section: Section,
    track_sections: bool,
    /// Cells of a table flattened to one cell per line (`指标名称 |`), kept
    /// together: a lone cell is not a paragraph anyone could label.
    table: Vec<(usize, String)>,
    /// Headings count only after the opening (title, meeting line, salutation):
    /// a title such as `…2020年…计划执行情况…的报告` is not the review part.
    opened: bool,
}

impl Segmenter {
    /// `track_sections` is false for articles, which have no review/plan parts.
    pub fn new(track_sections: bool) -> Self {
        Segmenter {
            section: Section::Other,
            track_sections,
            table: Vec::new(),
            opened: false,
        }
    }

    fn enter(&mut self, text: &str, opening: Opening) -> Section {
        let text = text.trim_start();
        if opening == Opening::TopMarker || text.starts_with("各位代表") {
            self.opened = true;
        }
        let heading = matches!(opening, Opening::TopMarker | Opening::Heading);
        if self.opened && self.track_sections && heading {
            if let Some(s) = section_of_heading(text) {
                self.section = s;
            }
        }
        self.note_salutation(text);
        self.section
    }

    /// Running text opens with the salutation mid-paragraph.
    fn note_salutation(&mut self, text: &str) {
        if !self.opened && text.contains("各位代表") {
            self.opened = true;
        }
    }

    /// Segment one line of the source.
    pub fn push_line(&mut self, line: &str, line_no: usize, out: &mut Vec<Segment>) {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            return;
        }
        if is_table_cell(trimmed) && trimmed.chars().count() <= LINE_PARAGRAPH_MAX {
            self.table.push((line_no, trimmed.to_string()));
            return;
        }
        self.flush_table(out);
        if trimmed.chars().count() <= LINE_PARAGRAPH_MAX {
            let opening = opening_of(trimmed);
            let section = self.enter(trimmed, opening);
            out.push(Segment {
                text: trimmed.to_string(),
                section,
                line: line_no,
            });
            return;
        }
        self.push_running(trimmed, line_no, out);
    }

    /// Emit pending table cells as paragraphs of at most [`MAX_CHARS`].
    pub fn flush_table(&mut self, out: &mut Vec<Segment>) {
        let mut text = String::new();
        let mut len = 0;
        let mut first_line = 0;
        for (n, cell) in std::mem::take(&mut self.table) {
            let c = cell.chars().count();
            if len > 0 && len + 1 + c > MAX_CHARS {
                out.push(Segment {
                    text: std::mem::take(&mut text),
                    section: self.section,
                    line: first_line,
                });
                len = 0;
            }
            if len == 0 {
                first_line = n;
            } else {
                text.push(' ');
                len += 1;
            }
            text.push_str(&cell);
            len += c;
        }
        if len > 0 {
            out.push(Segment {
                text,
                section: self.section,
                line: first_line,
            });
        }
    }

    fn push_running(&mut self, text: &str, line_no: usize, out: &mut Vec<Segment>) {
        let mut current = String::new();
        let mut current_len = 0usize;
        let mut section = self.section;
        let flush =
            |current: &mut String, len: &mut usize, section: Section, out: &mut Vec<Segment>| {
                let t = current.trim();
                if !t.is_empty() {
                    out.push(Segment {
                        text: t.to_string(),
                        section,
                        line: line_no,
                    });
                }
                current.clear();
                *len = 0;
            };
        for unit in split_units(text) {
            let opening = opening_of(unit);
            let boundary = opening != Opening::Plain;
            let len = unit.chars().count();
            let too_long = current_len >= MIN_CHARS && current_len + len > MAX_CHARS;
            if boundary || too_long || current_len >= TARGET_CHARS {
                flush(&mut current, &mut current_len, section, out);
            }
            if current_len == 0 {
                section = self.enter(unit, opening);
            } else {
                self.note_salutation(unit);
            }
            if len > MAX_CHARS {
                for piece in split_long(unit) {
                    let n = piece.chars().count();
                    if current_len > 0 && current_len + n > MAX_CHARS {
                        flush(&mut current, &mut current_len, section, out);
                    }
                    current.push_str(piece);
                    current_len += n;
                }
            } else {
                current.push_str(unit);
                current_len += len;
            }
        }
        flush(&mut current, &mut current_len, section, out);
    }
}

/// Segment the lines of one document.
pub fn segment_lines<'a>(
    lines: impl IntoIterator<Item = (usize, &'a str)>,
    track_sections: bool,
) -> Vec<Segment> {
    let mut seg = Segmenter::new(track_sections);
    let mut out = Vec::new();
    for (n, line) in lines {
        seg.push_line(line, n, &mut out);
    }
    seg.flush_table(&mut out);
    out
}

/// Segment a plain report (not a record of a scraped listing page).
///
/// A report pasted as one line is first cut back into the paragraphs its
/// lines were ([`one_line_paragraphs`]); each is then segmented as a line of
/// a multi-line report would be, so one line or many give the same report.
/// Records of a listing page keep [`segment_lines`]: their bodies always come
/// on one line and the bundled labels were made on that segmentation.
pub fn segment_plain(lines: &[(usize, &str)], track_sections: bool) -> Vec<Segment> {
    let Some(long) = one_line_body(lines) else {
        return segment_lines(lines.iter().copied(), track_sections);
    };
    let mut seg = Segmenter::new(track_sections);
    let mut out = Vec::new();
    for (i, (n, line)) in lines.iter().enumerate() {
        if i == long {
            for piece in one_line_paragraphs(line) {
                seg.push_line(piece, *n, &mut out);
            }
        } else {
            seg.push_line(line, *n, &mut out);
        }
    }
    seg.flush_table(&mut out);
    out
}

/// The index of the line holding (nearly) the whole report, when there is one:
/// a multi-line report spreads its text over many lines.
fn one_line_body(lines: &[(usize, &str)]) -> Option<usize> {
    let len = |l: &str| l.chars().count();
    let total: usize = lines.iter().map(|(_, l)| len(l)).sum();
    let (i, longest) = lines
        .iter()
        .enumerate()
        .map(|(i, (_, l))| (i, len(l)))
        .max_by_key(|&(_, n)| n)?;
    (longest > LINE_PARAGRAPH_MAX && longest * 10 >= total * 9).then_some(i)
}

/// A general opening of an unnumbered paragraph: the salutation, a period
/// (`五年来,`, `过去一年,`, `今后五年,`), a year (`2023年,`, `2022年是`).
fn paragraph_opening() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, || {
        r"^(?:各位代表[,，:：]|(?:过去|今后|近)?[一二三四五六七八九十两]{1,2}年(?:来|里|间|中)?[,，]|(?:19|20)\d{2}年(?:是|[,，]))".to_string()
    })
}

/// Where the opening lines of a report end inside one line: after the title
/// (`…报告` before a space, a date or `——`), after the meeting line (`…会议上`), and
/// after the salutation (`各位代表:`).
fn opening_cut() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, || {
        r"报告(?:\s|——|(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月|[(（])|会议上|各位代表[:：]".to_string()
    })
}

/// Whether text opens like an unnumbered paragraph ([`paragraph_opening`]).
pub fn opens_paragraph(text: &str) -> bool {
    paragraph_opening().is_match(text)
}

fn ends_sentence(s: &str) -> bool {
    s.trim_end()
        .chars()
        .last()
        .is_some_and(|c| is_closer(c) || matches!(c, ':' | '：'))
}

/// A heading held on one line with the paragraph after it: a marker and a
/// few words without a sentence end.
fn heading_so_far(s: &str) -> bool {
    let t = s.trim();
    // A flattened table's cells are cut after each `|` instead.
    let short = !t.is_empty()
        && t.chars().count() <= 40
        && !t.chars().any(|c| is_terminator(c) || c == '|');
    // A title, meeting or attachment line has not even a comma; a numbered
    // heading may have one (`(一)巩固实体经济,产业稳中有进`).
    short
        && (!t.chars().any(|c| matches!(c, ',' | '，'))
            || (opening_of(t) != Opening::Plain && !t.starts_with("——")))
}

/// The lowest-level item markers (`一是`, `第二,`): a report writes its items
/// on lines of their own or runs them into the paragraph of their heading.
fn weak_marker() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, || format!(r"^(?:{NUM}{{1,2}}是|第{NUM}{{1,3}}[,，、])"))
}

/// Whether a paragraph opens with a marker above `一是` and has run past its
/// first sentence (`(一)疫情防控有序推进。一是…`): its items stay in it.
fn holds_items(piece: &str) -> bool {
    let t = piece.trim_start();
    !weak_marker().is_match(t)
        && !t.starts_with("——")
        && matches!(opening_of(t), Opening::TopMarker | Opening::SubMarker)
        && t.chars().any(is_terminator)
}

/// Words an item's lead sentence (`深入实施创新驱动。`) or heading opens
/// with in government reports: the verbs and adverbs of their imperative
/// style. Where a heading runs into a lead sentence, the last of them is
/// where the sentence starts.
fn lead_word() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, || {
        "^(?:深入|精准|着力|坚决|持续|大力|促进|实施|繁荣|健全|强化|提高|推进|建设|提升|坚持|加快|加强|全面|扎实|积极|统筹|优化|巩固|完善|推动|深化|壮大|聚焦|全力|聚力|切实|狠抓|打造|构建|培育|维护|做好|高质量|高标准|高品质|高效能|高水平)".to_string()
    })
}

/// A lead sentence is a few words, one clause, ended by `。`.
const LEAD_MIN_CHARS: usize = 7;
const LEAD_MAX_CHARS: usize = 15;

/// Whether `clause` (without its `。`) reads as an item's lead sentence.
fn lead_clause(clause: &str) -> bool {
    let n = clause.chars().count();
    (LEAD_MIN_CHARS..=LEAD_MAX_CHARS).contains(&n)
        && lead_word().is_match(clause)
        && !clause.chars().any(|c| {
            c.is_ascii_digit()
                || is_terminator(c)
                || matches!(
                    c,
                    ',' | '，' | ':' | '：' | '、' | '“' | '”' | '"' | '(' | '（' | '%' | '|'
                )
        })
}

/// Whether a unit is a lead sentence (`着力发展现代服务业。`).
fn is_lead_sentence(unit: &str) -> bool {
    unit.trim_end()
        .strip_suffix('。')
        .is_some_and(|c| lead_clause(c.trim_start()))
}

/// Headings end with these; the words never run on into a longer name.
const HEADING_ENDS: [&str; 6] = [
    "回顾",
    "执行情况",
    "自身建设",
    "主要目标",
    "工作安排",
    "奋斗目标",
];

/// Spaces after sentence ends in a one-line body that show it was pasted
/// with its line breaks turned into spaces.
const SPACED_MIN: usize = 3;

/// Where a part heading held on one line with its paragraph ends (byte
/// offset into `t`): after a heading word (`一、过去四年工作回顾区…`).
fn part_heading_end(t: &str) -> Option<usize> {
    let marker = top_marker().find(t)?.end();
    let body = &t[marker..];
    let continues = |rest: &str| {
        rest.is_empty()
            || rest.starts_with(|c: char| "和及与的、,，:：(（".contains(c) || is_closer(c))
    };
    body.char_indices()
        .map(|(i, _)| i)
        .take_while(|&i| !body[..i].ends_with(is_terminator))
        .skip(HEADING_MIN_CHARS)
        .take(HEADING_MAX_CHARS)
        .find(|&i| HEADING_ENDS.iter().any(|w| body[..i].ends_with(w)) && !continues(&body[i..]))
        .map(|i| marker + i)
}

/// Where an item heading held on one line runs into its lead sentence
/// (`(一)全力推动经济高质量发展深入实施创新驱动。`): the heading's sentence
/// ends in a clause that reads as a lead sentence; the last such start.
fn lead_run_in(t: &str, opening: Opening) -> Option<usize> {
    if weak_marker().is_match(t) {
        return None;
    }
    let marker = match opening {
        Opening::TopMarker => top_marker().find(t),
        _ => sub_marker().find(t),
    }?
    .end();
    let body = &t[marker..];
    let sentence_end = body.find(is_terminator)?;
    if !body[sentence_end..].starts_with('。') {
        return None;
    }
    let positions: Vec<usize> = body[..sentence_end]
        .char_indices()
        .map(|(i, _)| i)
        .skip(HEADING_MIN_CHARS)
        .take(HEADING_MAX_CHARS)
        .collect();
    positions
        .into_iter()
        .rev()
        .find(|&i| lead_clause(&body[i..sentence_end]))
        .map(|i| marker + i)
}

const HEADING_MIN_CHARS: usize = 6;
const HEADING_MAX_CHARS: usize = 40;

/// Cut a report held on one line into the paragraphs its lines were. The
/// cuts are structural: a marker or lead-in (`一、`, `(三)`, `——`) or an
/// unnumbered heading; a general opening (`各位代表,`, `五年来,`, `2023年,`)
/// after a sentence end or right after a heading; whitespace after a sentence
/// end, before an opening or after a heading; and the ends of the title,
/// meeting line and salutation at the start. `一是` items stay in a paragraph
/// that runs them in after its heading sentence. The pieces cover the text.
pub fn one_line_paragraphs(text: &str) -> Vec<&str> {
    let mut cuts: Vec<usize> = vec![0];
    // The opening lines stand in the first few hundred characters.
    let head_end = text.char_indices().nth(200).map_or(text.len(), |(i, _)| i);
    let mut from = 0;
    while let Some(m) = opening_cut().find_at(&text[..head_end], from) {
        if m.as_str().starts_with("报告") {
            cuts.push(m.start() + "报告".len());
        } else if m.as_str().starts_with("各位代表") {
            // The speaker line before the salutation is a line of its own.
            cuts.push(m.start());
            cuts.push(m.end());
            break;
        } else {
            cuts.push(m.end());
        }
        from = m.end();
    }
    let head = cuts.clone();
    // A paste that kept its line breaks as spaces shows where paragraphs
    // end; the shape of lead sentences is a cue only where it did not.
    let spaced = text
        .char_indices()
        .filter(|&(i, c)| c.is_whitespace() && ends_sentence(&text[..i]))
        .take(SPACED_MIN)
        .count()
        >= SPACED_MIN;
    let mut cuts: Vec<usize> = vec![0];
    let mut prev_unit = "";
    for unit in split_units(text) {
        let at = unit.as_ptr() as usize - text.as_ptr() as usize;
        let mut here: Vec<usize> = Vec::new();
        let t = unit.trim_start();
        let lead = at + (unit.len() - t.len());
        let last_before = |pos: usize, body: &[usize]| {
            let h = head.iter().copied().filter(|&h| h <= pos).max();
            body.last().copied().max(h).unwrap_or(0)
        };
        let last = last_before(lead, &cuts);
        let opening = opening_of(t);
        let strong = opening != Opening::Plain && !weak_marker().is_match(t);
        let weak = weak_marker().is_match(t) && !holds_items(&text[last..lead]);
        // An opening after a sentence end starts a paragraph, unless the
        // paragraph so far holds items (`(三)…突破。一是…。2020年,…`).
        let opens = ends_sentence(prev_unit)
            && paragraph_opening().is_match(t)
            && !holds_items(&text[last..lead]);
        // A short lead sentence (`精准扩大有效投资。`) after a paragraph's
        // worth of running text opens the next item.
        let leads = !spaced
            && ends_sentence(prev_unit)
            && is_lead_sentence(t)
            && !is_lead_sentence(prev_unit.trim_start())
            && text[last..lead].chars().count() >= MIN_CHARS;
        if strong || weak || opens || leads {
            here.push(lead);
        }
        // A heading run into its paragraph: `三、2022年工作安排2022年是…`,
        // `(一)巩固实体经济,产业稳中有进一是…`, `一、过去四年工作回顾区…`,
        // `(一)全力推动经济高质量发展深入实施创新驱动。`.
        if opening != Opening::Plain && !t.starts_with("——") {
            let part_end = (opening == Opening::TopMarker)
                .then(|| part_heading_end(t))
                .flatten();
            let run_in = part_end.or_else(|| {
                t.char_indices()
                    .skip(3)
                    .take(40)
                    .take_while(|&(_, c)| !is_terminator(c))
                    .map(|(i, _)| i)
                    .find(|&i| {
                        let rest = &t[i..];
                        let after_word = !t[..i].ends_with(|c: char| c.is_ascii_digit());
                        paragraph_opening().is_match(rest)
                            || (after_word && sub_marker().is_match(rest))
                    })
            });
            let run_in = run_in.or_else(|| (!spaced).then(|| lead_run_in(t, opening)).flatten());
            if let Some(i) = run_in {
                here.push(lead + i);
            }
        }
        // Whitespace inside the unit: a paste keeps paragraph breaks as spaces.
        for (i, c) in unit.char_indices() {
            if !c.is_whitespace() {
                continue;
            }
            let next = unit[i..].trim_start();
            if next.is_empty() {
                continue;
            }
            let cut = at + unit.len() - next.len();
            let start = here
                .iter()
                .copied()
                .filter(|&h| h <= at + i)
                .max()
                .unwrap_or(0)
                .max(last_before(at + i, &cuts));
            if ends_sentence(&text[..at + i])
                || text[..at + i].ends_with('|')
                || opening_of(next) != Opening::Plain
                || paragraph_opening().is_match(next)
                || (!next.starts_with('|') && heading_so_far(&text[start.min(at + i)..at + i]))
            {
                here.push(cut);
            }
        }
        here.sort_unstable();
        for h in here {
            if h > cuts.last().copied().unwrap_or(0) {
                cuts.push(h);
            }
        }
        prev_unit = unit;
    }
    cuts.extend(head);
    cuts.sort_unstable();
    cuts.dedup();
    cuts.push(text.len());
    cuts.windows(2)
        .map(|w| &text[w[0]..w[1]])
        .filter(|p| !p.trim().is_empty())
        .collect()
}

/// Text with all whitespace removed: what the no-loss property compares.
pub fn without_whitespace(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn running(text: &str) -> Vec<Segment> {
        segment_lines([(1, text)], true)
    }

    #[test]
    fn short_lines_are_paragraphs_and_headings_switch_sections() {
        let lines = [
            "各位代表:",
            "2020年计划执行情况的报告",
            "一、过去四年工作回顾",
            "四年来,我们做了很多工作。",
            "二、今后五年工作总体思路和主要目标",
            "今后五年的目标是……",
            "四、全面加强政府自身建设",
            "名词解释",
        ];
        let segs = segment_lines(lines.iter().enumerate().map(|(i, l)| (i + 1, *l)), true);
        let sections: Vec<Section> = segs.iter().map(|s| s.section).collect();
        use Section::*;
        assert_eq!(
            sections,
            vec![Other, Review, Review, Review, Plan, Plan, Other, Other]
        );
        assert_eq!(segs[2].line, 3);
        // Before the salutation nothing is a heading: a title is not the review.
        let titled = segment_lines(
            [(1, "昆都仑区2020年计划执行情况的报告"), (2, "各位代表:")],
            true,
        );
        assert_eq!(titled[0].section, Section::Other);
    }

    #[test]
    fn running_text_splits_at_markers_and_keeps_everything() {
        let body = "各位代表:现在,我代表市人民政府作报告。 一、过去五年工作回顾过去五年,我们取得了成绩。".to_string()
            + &"经济持续增长,结构不断优化。".repeat(40)
            + "主要做了以下工作: 一、聚焦项目投资,基础不断夯实。二、2022年重点工作今年要做好以下工作。一是稳增长。二是促改革。保护第 一、全民共享。";
        let segs = running(&body);
        let joined: String = segs.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(without_whitespace(&joined), without_whitespace(&body));
        assert!(
            segs.iter().all(|s| s.text.chars().count() <= 480),
            "{segs:#?}"
        );
        assert_eq!(segs[0].section, Section::Other);
        assert!(segs[1].text.starts_with("一、过去五年工作回顾"));
        assert_eq!(segs[1].section, Section::Review);
        let after_colon = segs
            .iter()
            .find(|s| s.text.starts_with("一、聚焦"))
            .unwrap();
        assert_eq!(after_colon.section, Section::Review);
        let plan = segs
            .iter()
            .find(|s| s.text.starts_with("二、2022年重点工作"))
            .unwrap();
        assert_eq!(plan.section, Section::Plan);
        // `一是`/`二是` are markers; `第 一、` after a space mid-sentence is not.
        assert!(segs.iter().any(|s| s.text == "一是稳增长。"));
        assert!(segs
            .iter()
            .any(|s| s.text.starts_with("二是促改革。保护第 一、全民共享")));
    }

    #[test]
    fn unnumbered_heading_opens_a_section() {
        let body = "各位代表:现在,我代表区人民政府向大会报告工作。“十三五”时期经济社会发展和2020年工作回顾“十三五”时期,我们坚持稳中求进。重点工作扎实推进,成效明显。";
        let mut long = body.to_string();
        long.push_str(&"补充说明。".repeat(150));
        let segs = running(&long);
        assert_eq!(segs[0].section, Section::Other);
        assert!(segs[1].text.starts_with("“十三五”时期"));
        assert_eq!(segs[1].section, Section::Review);
        assert!(segs.iter().all(|s| s.section != Section::Plan));
    }

    #[test]
    fn table_cells_are_grouped_not_split_one_per_line() {
        let lines = [
            "附件",
            "指标名称 |",
            "2023年(%) |",
            "|",
            "地区生产总值 |",
            "8左右 |",
            "结束。",
        ];
        let segs = segment_lines(lines.iter().enumerate().map(|(i, l)| (i + 1, *l)), true);
        let texts: Vec<&str> = segs.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "附件",
                "指标名称 | 2023年(%) | | 地区生产总值 | 8左右 |",
                "结束。"
            ]
        );
        assert_eq!(segs[1].line, 2);
    }

    #[test]
    fn lead_in_items_open_paragraphs_in_one_line_bodies() {
        let item = "经济持续增长,结构不断优化,质量效益稳步提升。";
        let body = format!(
            "过去五年取得了显著成效:——综合实力显著增强。{}——城乡面貌显著改善。{}",
            item.repeat(3),
            item.repeat(3)
        ) + &"补充说明。".repeat(120);
        let segs = running(&body);
        assert!(
            segs.iter().any(|s| s.text.starts_with("——综合实力")),
            "{segs:#?}"
        );
        assert!(
            segs.iter().any(|s| s.text.starts_with("——城乡面貌")),
            "{segs:#?}"
        );
        let joined: String = segs.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(joined, body);
    }

    #[test]
    fn a_report_on_one_line_is_cut_where_its_lines_were() {
        let lines = [
            "某区2021年政府工作报告",
            "——2021年1月8日在某区第一届人民代表大会第一次会议上",
            "区长某某",
            "各位代表:",
            "现在,我代表区人民政府向大会报告工作。",
            "一、2020年工作回顾",
            "2020年,我们做了很多工作。经济增长。",
            "五年来,城乡面貌显著改善。",
            "(一)稳增长成效明显。一是投资增长。二是消费回升。",
            "(二)改革不断深化,活力增强",
            "一是放管服改革。",
            "二是国企改革。",
            "附件",
            "指标名称 |",
            "|",
            "8左右 |",
        ];
        let joined = lines.join(" ");
        let pieces: Vec<&str> = one_line_paragraphs(&joined)
            .into_iter()
            .map(str::trim)
            .collect();
        assert_eq!(pieces[..13], lines[..13], "{pieces:#?}");
        assert_eq!(pieces[13..], ["指标名称 |", "|", "8左右 |"]);
        let glued = lines[..12].join("");
        let pieces: Vec<&str> = one_line_paragraphs(&glued);
        assert_eq!(pieces.concat(), glued);
        // Without spaces the opening lines, the year opening after a heading,
        // the period opening and the markers still cut.
        for l in [
            "某区2021年政府工作报告",
            "各位代表:",
            "一、2020年工作回顾",
            "五年来,城乡面貌显著改善。",
            "(一)稳增长成效明显。一是投资增长。二是消费回升。",
            "(二)改革不断深化,活力增强",
            "一是放管服改革。",
        ] {
            assert!(pieces.contains(&l), "{l}: {pieces:#?}");
        }
    }

    #[test]
    fn glued_headings_and_lead_sentences_are_cut_where_lines_were() {
        let item = "把创新作为发展的核心,实施重点项目五个,推动创新主体增量,培育一批高新技术企业。";
        let lead = |l: &str| format!("{l}{}", item.repeat(2));
        let (first, second) = (lead("深入实施创新驱动。"), lead("精准扩大有效投资。"));
        let lines = [
            "一、过去四年工作回顾",
            "区十七届人大一次会议以来的四年,是极不平凡的四年。",
            "(一)全力推动经济高质量发展",
            first.as_str(),
            second.as_str(),
            "(二)项目建设全面突破。一是重点项目扎实有效。2020年,共实施重点项目七十六个。",
        ];
        let glued = lines.concat();
        assert_eq!(one_line_paragraphs(&glued), lines);
        // Pasted with spaces, the spaces tell: a lead sentence inside a line
        // (`壮大电子商务产业。`) stays in it.
        let inner = format!("建设消费中心区。{}壮大电子商务产业。{item}", item.repeat(2));
        let spaced_lines = [lines[0], lines[1], lines[2], lines[3], &inner, lines[5]];
        let spaced = spaced_lines.join(" ");
        let pieces: Vec<&str> = one_line_paragraphs(&spaced)
            .into_iter()
            .map(str::trim)
            .collect();
        assert_eq!(pieces, spaced_lines);
        // A heading sentence that is all heading is not cut (`持续加强` is too
        // short for a lead sentence).
        let own = "(五)生态文明建设持续加强。".to_string() + &item.repeat(3);
        assert_eq!(one_line_paragraphs(&own), [own.as_str()]);
    }

    #[test]
    fn only_a_plain_report_on_one_line_is_cut_back_into_its_lines() {
        let body = "各位代表:现在报告工作。".to_string() + &"经济增长,结构优化。".repeat(80);
        let one = [(1, body.as_str())];
        assert_ne!(segment_plain(&one, true), segment_lines(one, true));
        // A multi-line report is segmented line by line as before.
        let many = [
            (1, "各位代表:"),
            (2, body.as_str()),
            (3, "谢谢。"),
            (4, body.as_str()),
        ];
        assert_eq!(segment_plain(&many, true), segment_lines(many, true));
    }

    #[test]
    fn long_text_without_sentence_ends_is_cut_to_size() {
        let body = "无标点".repeat(5000);
        let segs = running(&body);
        assert!(segs.iter().all(|s| s.text.chars().count() <= MAX_CHARS));
        let joined: String = segs.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(joined, body);
    }

    #[test]
    fn articles_do_not_track_sections() {
        let body = "一、2020年工作回顾".to_string() + &"内容。".repeat(300);
        let segs = segment_lines([(1, body.as_str())], false);
        assert!(segs.iter().all(|s| s.section == Section::Other));
    }
}
