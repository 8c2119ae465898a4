//! Split a decoded file into documents.
//!
//! Two shapes exist in the wild: a plain report (the whole file is one
//! document, one paragraph per line) and a scraped listing page holding several
//! records, each introduced by a line holding only `-`, then a title line, the
//! body, and a `YYYY-MM-DD` date line, followed at the end of the page by site
//! chrome (`点我投稿`, `- 联系我们` …) that is not content.

use super::chrome::{self, Dropped};

/// One document's raw parts, before metadata and segmentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawDocument {
    /// 1-based record number within a scraped page; `None` for a plain report.
    pub record: Option<usize>,
    /// Title line of a scraped record, or the leading title lines of a report.
    pub title: String,
    /// Scrape date of a record (not the report's date).
    pub date: Option<String>,
    /// Body lines with their 1-based line numbers in the file.
    pub lines: Vec<(usize, String)>,
    /// Site chrome taken out of the file's lines for this document.
    pub dropped: Vec<Dropped>,
}

fn is_separator(line: &str) -> bool {
    line.trim() == "-"
}

fn is_date_line(line: &str) -> bool {
    let b = line.trim().as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Navigation and call-to-action lines that scraped pages append after the records.
pub fn is_site_chrome(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() {
        return true;
    }
    const MARKERS: [&str; 8] = [
        "点我投稿",
        "有想补充的信息",
        "联系我们",
        "企业入驻",
        "关于我们",
        "返回顶部",
        "版权所有",
        "免责声明",
    ];
    // Navigation links look like `- 联系我们`: a dash and a few characters.
    let nav_link = t.starts_with("- ") && t.chars().count() <= 12;
    nav_link || (t.chars().count() <= 40 && MARKERS.iter().any(|m| t.contains(m)))
}

/// True when the text looks like a scraped listing page.
pub fn is_scraped_page(text: &str) -> bool {
    text.lines()
        .find(|l| !l.trim().is_empty())
        .is_some_and(is_separator)
}

/// Split a decoded file into raw documents.
pub fn split_records(text: &str) -> Vec<RawDocument> {
    if is_scraped_page(text) {
        split_scraped(text)
    } else {
        vec![plain_document(text)]
    }
}

fn numbered_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().map(|(i, l)| (i + 1, l))
}

fn plain_document(text: &str) -> RawDocument {
    let lines: Vec<(usize, String)> = numbered_lines(text)
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| (n, l.to_string()))
        .collect();
    // The title is read after the chrome is gone: a page's first line is
    // often its navigation.
    let (lines, dropped) = chrome::strip(lines);
    let mut title = plain_title(&lines);
    // A page whose report has no title of its own: the site's headline
    // (dropped as chrome) still says what the document is.
    if !chrome::title_like(&title) {
        if let Some(h) = dropped.iter().find(|d| {
            matches!(d.reason, "headline" | "site-title" | "repeated")
                && chrome::title_like(&d.text)
        }) {
            title = h.text.clone();
        }
    }
    RawDocument {
        record: None,
        title,
        date: None,
        lines,
        dropped,
    }
}

/// A plain report's title is its leading lines, up to the first line that is
/// clearly not title (the meeting line, the salutation, a sentence).
fn plain_title(lines: &[(usize, String)]) -> String {
    let mut title = String::new();
    for (_, l) in lines.iter().take(3) {
        let t = l.trim();
        let not_title = t.starts_with("——")
            || t.starts_with("各位代表")
            || t.contains("人民代表大会")
            || t.ends_with('。')
            || t.ends_with(':')
            || t.ends_with(':')
            || t.chars().count() > 60;
        if not_title {
            break;
        }
        title.push_str(t);
    }
    if title.is_empty() {
        lines
            .first()
            .map(|(_, l)| l.trim().chars().take(60).collect())
            .unwrap_or_default()
    } else {
        title
    }
}

/// Where a title ends on a line that runs on into the report (a record
/// pasted as one line): where the title is repeated; after `…报告` before a
/// space, `——` or a date; else at a space before an opening (`2021年,`,
/// `一、`); else, before the first sentence end, at an opening or where the
/// headline's subject is named again; else at the first space before the
/// first sentence end; else before a paragraph opening. `None` for a line
/// that is only a title.
pub fn title_end(line: &str) -> Option<usize> {
    const HEAD_CHARS: usize = 80;
    // Shorter than this is no headline.
    const TITLE_MIN_CHARS: usize = 8;
    // A title printed twice (`政府工作报告政府工作报告…`).
    const REPEATED_MIN_CHARS: usize = 4;
    // A place or body named at a headline's start (`呼和浩特`, `国务院`).
    const SUBJECT_CHARS: usize = 3;
    if line.chars().count() <= 60 {
        return None;
    }
    let head_end = line
        .char_indices()
        .nth(HEAD_CHARS)
        .map_or(line.len(), |(i, _)| i);
    let head = &line[..head_end];
    // A body that opens by repeating the title (`X报告X报告2022年…`, as some
    // sites print it): the title is the first copy.
    let starts: Vec<usize> = head.char_indices().map(|(i, _)| i).collect();
    if let Some(&k) = starts
        .iter()
        .skip(REPEATED_MIN_CHARS)
        .take_while(|&&k| k * 2 <= head.len())
        .find(|&&k| line[k..].starts_with(&line[..k]))
    {
        return Some(k);
    }
    let mut from = 0;
    while let Some(i) = head[from..].find("报告").map(|i| i + from) {
        let after = i + "报告".len();
        let rest = &line[after..];
        let date_follows = rest.trim_start().split_once('年').is_some_and(|(y, r)| {
            y.trim().len() == 4
                && y.trim().chars().all(|c| c.is_ascii_digit())
                && r.trim_start().starts_with(|c: char| c.is_ascii_digit())
        });
        if rest.starts_with(char::is_whitespace)
            || rest.starts_with("——")
            || rest.starts_with(['(', '（'])
            || date_follows
        {
            return Some(after);
        }
        from = after;
    }
    let opens = |t: &str| super::segment::opens_paragraph(t) || super::segment::opens_section(t);
    // A space before an opening, else the first space before the first sentence end.
    let spaces: Vec<usize> = head
        .char_indices()
        .filter(|(_, c)| c.is_whitespace())
        .map(|(i, _)| i)
        .collect();
    if let Some(&i) = spaces.iter().find(|&&i| opens(line[i..].trim_start())) {
        return Some(i);
    }
    let end = head
        .char_indices()
        .find(|(_, c)| "。;；!！?？".contains(*c))
        .map_or(head.len(), |(i, _)| i);
    // Pasted with nothing between title and body: a paragraph opening
    // (`2021年,`) after a title's length, before the first sentence end.
    if let Some(&i) = starts
        .iter()
        .skip(TITLE_MIN_CHARS)
        .take_while(|&&i| i < end)
        .find(|&&i| super::segment::opens_paragraph(&line[i..]))
    {
        return Some(i);
    }
    // A news body names its subject again, as the headline did after its
    // `【…】` tag (`【某市招商】某市获评…某市成功获批…`): the body starts there.
    let subject_at = head
        .strip_prefix('【')
        .and_then(|h| h.find('】'))
        .map_or(0, |i| i + '【'.len_utf8() + '】'.len_utf8());
    let subject: String = head[subject_at..].chars().take(SUBJECT_CHARS).collect();
    if subject.chars().count() == SUBJECT_CHARS && !subject.contains(char::is_whitespace) {
        let from = head[subject_at..]
            .char_indices()
            .nth(TITLE_MIN_CHARS)
            .map_or(head.len(), |(i, _)| subject_at + i);
        if let Some(i) = head[from..end.max(from)].find(&subject) {
            return Some(from + i);
        }
    }
    if let Some(&i) = spaces.iter().find(|&&i| i < end) {
        return Some(i);
    }
    let comma = head
        .char_indices()
        .find(|(_, c)| ",，:：".contains(*c))
        .map_or(end, |(i, _)| i);
    (1..comma)
        .filter(|&i| head.is_char_boundary(i))
        .find(|&i| super::segment::opens_paragraph(&head[i..]))
}

fn split_scraped(text: &str) -> Vec<RawDocument> {
    let mut docs: Vec<RawDocument> = Vec::new();
    let mut current: Option<RawDocument> = None;
    // Lines after a record's date and before the next `-`: chrome unless proven otherwise.
    let mut pending: Vec<(usize, String)> = Vec::new();
    for (n, line) in numbered_lines(text) {
        if is_separator(line) {
            if let Some(doc) = current.take() {
                docs.push(doc);
            }
            keep_non_chrome(&mut pending, &mut docs);
            current = Some(RawDocument {
                record: Some(docs.len() + 1),
                title: String::new(),
                date: None,
                lines: Vec::new(),
                dropped: Vec::new(),
            });
            continue;
        }
        match current.as_mut() {
            Some(doc) if doc.date.is_none() => {
                if line.trim().is_empty() {
                    continue;
                }
                if doc.title.is_empty() && doc.lines.is_empty() {
                    // A record pasted with its body on the title line.
                    let t = line.trim();
                    match title_end(t) {
                        Some(at) => {
                            doc.title = t[..at].trim().to_string();
                            doc.lines.push((n, t[at..].trim_start().to_string()));
                        }
                        // Too long to be only a title: it is the body as well.
                        None if !chrome::title_like(t) && t.chars().count() > 60 => {
                            doc.title = t.to_string();
                            doc.lines.push((n, t.to_string()));
                        }
                        None => doc.title = t.to_string(),
                    }
                } else if is_date_line(line) {
                    doc.date = Some(line.trim().to_string());
                    if let Some(done) = current.take() {
                        docs.push(done);
                    }
                } else {
                    doc.lines.push((n, line.to_string()));
                }
            }
            _ => {
                if !line.trim().is_empty() {
                    pending.push((n, line.to_string()));
                }
            }
        }
    }
    if let Some(doc) = current.take() {
        docs.push(doc);
    }
    keep_non_chrome(&mut pending, &mut docs);
    docs.retain(|d| !d.lines.is_empty() || !d.title.is_empty());
    for d in &mut docs {
        let (lines, dropped) = chrome::strip(std::mem::take(&mut d.lines));
        d.lines = lines;
        d.dropped.extend(dropped);
        d.dropped.sort_by_key(|x| x.line);
    }
    for (i, d) in docs.iter_mut().enumerate() {
        d.record = Some(i + 1);
    }
    docs
}

/// Text between records that is not site chrome belongs to the record before
/// it: never drop content we cannot recognise as chrome.
fn keep_non_chrome(pending: &mut Vec<(usize, String)>, docs: &mut [RawDocument]) {
    let (chrome, kept): (Vec<_>, Vec<_>) = pending.drain(..).partition(|(_, l)| is_site_chrome(l));
    if let Some(last) = docs.last_mut() {
        last.dropped
            .extend(chrome.into_iter().map(|(line, text)| Dropped {
                line,
                text: text.trim().to_string(),
                reason: "navigation",
                whole_line: true,
            }));
        last.lines.extend(kept);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "-\n2022年咸阳市政府工作报告\n正文一。正文二。\n2025-07-02\n-\n【新城区招商】2021年新城区政府工作报告\n正文三。\n2025-07-08\n有想补充的信息?点我投稿\n\n- 联系我们\n- 企业入驻\n";

    #[test]
    fn scraped_page_splits_into_records_and_drops_chrome() {
        let docs = split_records(PAGE);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].title, "2022年咸阳市政府工作报告");
        assert_eq!(docs[0].lines, vec![(3, "正文一。正文二。".to_string())]);
        assert_eq!(docs[0].date.as_deref(), Some("2025-07-02"));
        assert_eq!(docs[1].record, Some(2));
        assert_eq!(docs[1].lines.len(), 1);
        assert!(docs
            .iter()
            .all(|d| d.lines.iter().all(|(_, l)| !l.contains("点我投稿"))));
    }

    #[test]
    fn unknown_trailing_text_is_kept_not_dropped() {
        let page = "-\n标题\n正文。\n2025-07-02\n这是一段不属于网站导航的较长正文内容,必须保留下来,不能丢失任何内容。\n- 联系我们\n";
        let docs = split_records(page);
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].lines.len(), 2);
    }

    #[test]
    fn plain_report_is_one_document_with_title() {
        let text = "昆都仑区2020年计划执行情况的报告\n——2021年3月8日在昆都仑区第十六届人民代表大会\n各位代表:\n\n正文。\n";
        let docs = split_records(text);
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].title, "昆都仑区2020年计划执行情况的报告");
        assert_eq!(docs[0].lines.len(), 4);
        assert_eq!(docs[0].record, None);
    }

    #[test]
    fn a_record_pasted_on_its_title_line_gets_its_title_split_off() {
        let body = "2021年2月7日在某区第一届人民代表大会第一次会议上各位代表:现在,我代表区人民政府向大会报告工作。";
        let docs = split_records(&format!("-\n2021年某区政府工作报告{body}\n2025-01-01\n"));
        assert_eq!(docs[0].title, "2021年某区政府工作报告");
        assert_eq!(docs[0].lines, vec![(2, body.to_string())]);
        // An article: the space before its first paragraph ends the title.
        let art = "某市招商成果显著 2021年,某市举行招商引资重点项目集中签约活动,共签约项目四十个,总投资一千亿元,涵盖新能源、新材料等产业。";
        assert_eq!(title_end(art), art.find(" 2021"));
        // No cue: the whole line is the body, never dropped.
        let docs = split_records(&format!(
            "-\n{}\n2025-01-01\n",
            "全区经济社会发展取得了新的成绩,人民生活水平持续提高。".repeat(3)
        ));
        assert_eq!(docs[0].lines.len(), 1);
        assert_eq!(title_end("2021年某区政府工作报告"), None);
    }

    #[test]
    fn a_title_glued_to_its_body_ends_at_a_cue() {
        let body = "2021年,某市举行招商引资重点项目集中签约仪式,共签约项目四十个,总投资一千亿元,涵盖新能源、新材料等产业。";
        // The title printed twice before the body.
        let twice = format!("政府工作报告政府工作报告{body}");
        assert_eq!(title_end(&twice), Some("政府工作报告".len()));
        // An opening after a title's length, before the first sentence end.
        let title = "【某市招商】某市集中签约 重大项目构建多元产业发展新格局";
        let glued = format!("{title}{body}");
        assert_eq!(title_end(&glued), Some(title.len()));
        // The headline's subject named again where the body starts.
        let title = "【某某新区招商】某某新区获评首批国家千兆城市助推招商引资";
        let news = "某某新区成功获批国家首批千兆城市,彰显在新型基础设施建设领域的重要突破,直接助力招商引资进程。";
        assert_eq!(title_end(&format!("{title}{news}")), Some(title.len()));
    }

    #[test]
    fn record_without_date_still_ends_at_next_separator() {
        let docs = split_records("-\n标题一\n正文一。\n-\n标题二\n正文二。\n2025-01-01\n");
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].lines, vec![(3, "正文一。".to_string())]);
    }
}
