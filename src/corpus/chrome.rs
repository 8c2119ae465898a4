//! Site chrome: the page furniture a saved or copied web page carries around a report.
//!
//! Lines are judged by their shape and content, as boilerplate removers
//! (jusText, trafilatura) judge blocks, never by a list of any site's strings:
//!
//! 1. Sure chrome by content: markup with no visible text, breadcrumbs,
//!    date/source lines, share/print buttons and navigation words, lists of
//!    short tokens, page-fact bullets (`发布日期:…`), document-site notices,
//!    site addresses, e-paper jump markers, page numbers.
//! 2. Sure report text by structure, never dropped: headings and numbered
//!    items, the greeting, the meeting line, the speaker line, the title,
//!    a signature date, a document number, table rows, sentences.
//! 3. Position: the report opens at its first structural or running-text
//!    line; a complete title line above the report's own title is a site
//!    headline; a short line between chrome lines is chrome, and one next to
//!    report text is kept.
//! 4. Repetition: a short line repeated in one document (headlines, running
//!    headers) is chrome, except the copy that is the report's title; a run
//!    of one phrase repeated three times and more inside a line is dropped
//!    from it, and so are jump markers and omission notes inside a line.
//!
//! Every dropped line, or part of a line, is returned with a reason code.

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;

use super::segment::opens_section;
use super::unwrap;

/// A line, or part of a line, taken out as site chrome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropped {
    /// 1-based line in the source file.
    pub line: usize,
    /// The dropped text (the whole line, trimmed, or the part taken out of it).
    pub text: String,
    /// Short code: why it was dropped (`breadcrumb`, `date-source`, …).
    pub reason: &'static str,
    /// Whether the whole line went (not only a part cut out of it).
    pub whole_line: bool,
}

/// Lines longer than this (visible characters) are never judged chrome by
/// shape: furniture is short.
const SHORT: usize = 40;
/// Notices and teasers may run longer than a button, but not like a body line.
const NOTICE_MAX: usize = 160;
/// Lines longer than this are not searched for repeated runs (a body held on
/// one line may be megabytes long).
const RUN_SEARCH_MAX: usize = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Chrome(&'static str),
    /// Report structure or running text: kept.
    Report,
    /// A title-like line: kept, unless it is a second copy or a site headline.
    Title,
    /// Short and without sentence punctuation: decided by its neighbours.
    Unsure,
}

// The patterns are constants of this file, exercised by its tests: a bad one
// is a programming error, not a user-data error.
#[allow(clippy::expect_used)]
fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("static regex is valid"))
}

/// The text a reader sees: HTML tags and entities left in copied text removed.
fn visible(line: &str) -> String {
    static TAG: OnceLock<Regex> = OnceLock::new();
    static ENTITY: OnceLock<Regex> = OnceLock::new();
    let t = re(&TAG, r"</?[a-zA-Z][^<>]{0,400}>").replace_all(line, "");
    let t = re(&ENTITY, r"&(?:[a-zA-Z]{2,8}|#\d{2,6});").replace_all(&t, " ");
    t.trim().to_string()
}

fn squeeze(s: &str) -> String {
    // Copied a stretch at a time, not a character at a time: most lines are
    // long runs without spaces. (U+00A0 and U+3000 are whitespace too.)
    let mut out = String::with_capacity(s.len());
    for part in s.split(char::is_whitespace) {
        out.push_str(part);
    }
    out
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
}

fn has_sentence_end(s: &str) -> bool {
    s.contains(['。', '!', '?', ';', '！', '？', '；'])
}

/// Words of page furniture: buttons, navigation, account and sharing links.
/// General vocabulary of web pages, as boilerplate removers keep one.
const FURNITURE: &[&str] = &[
    "首页",
    "当前位置",
    "您的位置",
    "所在位置",
    "打印",
    "分享到",
    "分享",
    "收藏",
    "字号",
    "关闭窗口",
    "关闭",
    "纠错",
    "登录",
    "注册",
    "退出",
    "返回顶部",
    "返回",
    "顶部",
    "上一篇",
    "下一篇",
    "上一页",
    "下一页",
    "责任编辑",
    "编辑",
    "来源",
    "发布时间",
    "浏览次数",
    "浏览",
    "阅读",
    "下载",
    "举报",
    "评论",
    "点赞",
    "转发",
    "复制链接",
    "微信",
    "微博",
    "扫一扫",
    "二维码",
    "手机版",
    "无障碍",
    "长者模式",
    "繁体",
    "简体",
    "繁體",
    "搜索",
    "网站地图",
    "联系我们",
    "关于我们",
    "点我投稿",
    "投稿",
    "企业入驻",
    "设为首页",
    "版权所有",
    "免责声明",
    "隐私政策",
    "意见反馈",
    "帮助",
    "客服",
    "会员",
    "充值",
    "VIP",
    "专免",
    "侵权投诉",
    "更多",
    "默认",
    "合集",
    "全文",
    "English",
    "导航",
    "站群",
    "链接",
    "相关阅读",
    "推荐",
    "热点",
    "专题",
    "栏目",
    "频道",
    "订阅",
    "加入",
    "保存",
    "发送",
];

/// Words of document-sharing and download sites' notices.
const NOTICE: &[&str] = &[
    "文档",
    "下载",
    "预览",
    "退款",
    "侵权",
    "侵犯",
    "客服",
    "会员",
    "上传",
    "在线阅读",
    "免费",
    "版权",
    "VIP",
    "温馨提示",
    "投诉",
    "付费",
    "积分",
    "原创",
    "文库",
    "举报",
    "浏览器",
];

/// Keys of page-fact lines (`发布日期:2018.03.30`).
const FACT_KEYS: &[&str] = &[
    "发布",
    "部门",
    "文号",
    "字号",
    "日期",
    "时间",
    "来源",
    "作者",
    "编辑",
    "大小",
    "页数",
    "格式",
    "类别",
    "分类",
    "级别",
    "时效",
    "效力",
    "浏览",
    "点击",
    "下载",
    "上传",
    "贡献",
    "索引",
    "主题",
    "关键词",
    "标签",
    "栏目",
    "摘要",
    "描述",
    "字数",
    "价格",
    "评分",
    "版权",
    "ID",
    "id",
];

/// Share of a line's non-punctuation characters covered by furniture words.
fn furniture_share(s: &str) -> f64 {
    let chars: Vec<char> = s.chars().filter(|c| c.is_alphanumeric()).collect();
    if chars.is_empty() {
        return 0.0;
    }
    let text: String = chars.iter().collect();
    let mut covered = vec![false; chars.len()];
    let mut i = 0;
    let idx: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    while i < chars.len() {
        let rest = &text[idx[i]..];
        match FURNITURE
            .iter()
            .filter(|w| rest.starts_with(*w))
            .max_by_key(|w| w.len())
        {
            Some(w) => {
                let n = w.chars().count();
                covered[i..i + n].iter_mut().for_each(|c| *c = true);
                i += n;
            }
            None => i += 1,
        }
    }
    covered.iter().filter(|c| **c).count() as f64 / chars.len() as f64
}

fn count_words(s: &str, words: &[&str]) -> usize {
    words.iter().filter(|w| s.contains(*w)).count()
}

fn breadcrumb(v: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    // Both kinds are short: the length is checked before the scans.
    if v.chars().count() > 100 {
        return false;
    }
    let seps = v.matches(['>', '›', '»', '＞', '→']).count();
    (seps >= 2 && !has_sentence_end(v))
        || re(&R, r"^(?:您)?(?:当前|现在|所在)?的?位置|^当前页面|^面包屑").is_match(v)
}

/// A date/source line: an ISO date or time, or a source/date key with a value.
fn date_source(v: &str) -> bool {
    static ISO: OnceLock<Regex> = OnceLock::new();
    static KEY: OnceLock<Regex> = OnceLock::new();
    static WIRE: OnceLock<Regex> = OnceLock::new();
    if v.chars().count() > 100 || has_sentence_end(v) {
        return false;
    }
    let iso = re(
        &ISO,
        r"(?:^|[^\d])(?:19|20)\d{2}[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])(?:$|[^\d])|\b\d{1,2}:\d{2}(?::\d{2})?\b",
    );
    let key = re(
        &KEY,
        r"(?:来源|發布|发布时间|发布日期|日期|时间|作者|责任编辑|编辑|浏览次数|浏览|点击数|阅读数|访问量)\s*[:：]",
    );
    // A wire-service dateline: `某某社某地3月13日电`.
    let wire = re(
        &WIRE,
        r"^\p{Han}{1,8}社\p{Han}{1,6}\d{1,2}月\d{1,2}日[电電]",
    );
    // A masthead date: `2022年1月10日 星期一`.
    let weekday = v.contains("日")
        && ["星期", "周", "週"].iter().any(|w| {
            v.split(w)
                .nth(1)
                .is_some_and(|r| r.starts_with(['一', '二', '三', '四', '五', '六', '日', '天']))
        });
    iso.is_match(v) || key.is_match(v) || wire.is_match(v) || weekday
}

/// `发布部门: 某某`, `• 大小:44.50 KB`: a bulleted or keyed page fact.
fn page_fact(v: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &R,
        r"^[•·●▪◆■□\-*]?\s*([\p{Han}A-Za-z]{1,8})(?:\([a-z]{1,4}\))?\s*[:：]\s*(.*)$",
    );
    let Some(c) = r.captures(v) else {
        return false;
    };
    let key = c.get(1).map_or("", |m| m.as_str());
    let value = c.get(2).map_or("", |m| m.as_str());
    v.chars().count() <= SHORT
        && !has_sentence_end(value)
        && FACT_KEYS.iter().any(|k| key.contains(k))
}

/// `- 3 -`, `第3页`, `3/21`, `7`, `第 3 页 共 21 页`.
fn page_number(v: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    static EDITION: OnceLock<Regex> = OnceLock::new();
    // A newspaper's edition label: `第3版`, `第3版:要闻`.
    if re(
        &EDITION,
        r"^第\s*[\d一二三四五六七八九十]{1,3}\s*版(?:\s*[:：].{0,12})?$",
    )
    .is_match(v)
    {
        return true;
    }
    // The plain forms (`- 3 -`, `第3页`, `7`) are what joining wrapped lines
    // skips as page numbers; that check also takes a lone `第3` or `3页`,
    // which are not page furniture here.
    if unwrap::is_page_number(v) {
        return v.contains('第') == v.contains('页');
    }
    // The rest: `第 3 页 共 21 页`, `3/21`, `Page 3`, four digits.
    re(
        &R,
        r"^[-—–－\s]*(?:第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,3}(?:\s*/\s*\d{1,4})?|[Pp]age\s*\d{1,4})[-—–－\s]*$",
    )
    .is_match(v)
}

/// `…_第1页`: a document site's page thumbnails.
fn thumbnail(v: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"[_\-—]\s*第\s*\d{1,4}\s*页$").is_match(v)
}

/// A page title with the site's name after a separator (`标题-某某日报`, `标题_某网`).
fn site_title(v: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = re(&R, r"^(\S.{2,40}?)\s*(?:[-_|｜]|--)\s*(\p{Han}{2,10})$");
    r.captures(v).is_some_and(|c| {
        let left = c.get(1).map_or("", |m| m.as_str());
        left.chars().any(is_han) && !has_sentence_end(v) && !left.starts_with('—')
    })
}

fn site_url(v: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    v.chars().count() <= 80
        && re(
            &R,
            r"(?i)https?://|www\.|\.(?:com|cn|net|org|gov\.cn)(?:\b|/)",
        )
        .is_match(v)
}

/// `篇一:`: the numbered pieces of a collection of sample texts.
fn collection_header(v: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"^篇[一二三四五六七八九十\d]{1,3}\s*[:：]").is_match(v)
}

/// Three or more short tokens side by side, most of them Chinese: a row of links.
fn link_row(v: &str) -> bool {
    let tokens: Vec<&str> = v
        .split(|c: char| c.is_whitespace() || "|｜/·•".contains(c))
        .filter(|t| !t.is_empty())
        .collect();
    tokens.len() >= 3
        && tokens.iter().all(|t| t.chars().count() <= 8)
        && tokens.iter().filter(|t| t.chars().any(is_han)).count() >= 2
        && tokens.iter().filter(|t| t.chars().count() >= 2).count() * 2 >= tokens.len()
        && !has_sentence_end(v)
}

/// Report structure that is never dropped.
fn structure(v: &str, s: &str) -> bool {
    static MEETING: OnceLock<Regex> = OnceLock::new();
    static SPEAKER: OnceLock<Regex> = OnceLock::new();
    static AUTHOR: OnceLock<Regex> = OnceLock::new();
    static DATE: OnceLock<Regex> = OnceLock::new();
    static DOCNO: OnceLock<Regex> = OnceLock::new();
    let n = s.chars().count();
    if opens_section(v) {
        return true;
    }
    let greeting = s.starts_with("各位代表")
        || s.starts_with("各位委员")
        || (n <= SHORT
            && s.ends_with([':', '：', '!', '！'])
            && [
                "代表",
                "委员",
                "主任",
                "同志",
                "单位",
                "部门",
                "政府",
                "代表們",
                "委員",
            ]
            .iter()
            .any(|w| s.contains(w)));
    let meeting = n <= 70
        && re(
            &MEETING,
            r"^(?:[—\-－]{1,2}|[(（])?\s*(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年.{0,20}(?:届|屆|会议|會議)|在.{0,30}(?:会议|會議)|(?:人民代表大会|人民代表大會|常务委员会|常務委員會|会议上|會議上)",
        )
        .is_match(s);
    let keyed = s.contains([':', '：']);
    let speaker = n <= 30
        && !keyed
        && re(
            &SPEAKER,
            r"(?:长|長|主席|主任|总理|總理|书记|書記|委员|委員|部长|部長)[\p{Han}X*＊]{1,4}$",
        )
        .is_match(s)
        && v.chars().count() <= 36;
    let author = n <= 20
        && !keyed
        && re(
            &AUTHOR,
            r"(?:委员会|委員會|人民政府|政府|办公室|辦公室|局|厅|廳)$",
        )
        .is_match(s);
    let signature_date = re(
        &DATE,
        r"^(?:\d{4}|[〇○零一二三四五六七八九]{4})年(?:\d{1,2}|[一二三四五六七八九十]{1,3})?月(?:\d{1,2}|[一二三四五六七八九十]{1,3})?日$",
    )
    .is_match(s);
    let docno = re(
        &DOCNO,
        r"^[(（]?\p{Han}{1,8}[〔\[［(（]\d{4}[〕\]］)）]\d{1,4}号[)）]?$",
    )
    .is_match(s);
    let english = !v.chars().any(is_han)
        && v.split_whitespace()
            .filter(|w| w.chars().filter(char::is_ascii_alphabetic).count() >= 2)
            .count()
            >= 3;
    greeting || meeting || speaker || author || signature_date || docno || english
}

/// A title: short, no sentence end, naming a document kind.
pub fn title_like(s: &str) -> bool {
    // Counted in Chinese characters: mirror sites gloss titles with pinyin.
    // The length first: most lines tested are long paragraphs.
    s.len() <= 4 * 160
        && s.chars().count() <= 160
        && !has_sentence_end(s)
        && [
            "报告", "報告", "计划", "計劃", "通知", "规划", "規劃", "草案", "决议", "決議",
        ]
        .iter()
        .any(|w| s.contains(w))
        && (5..=60).contains(&s.chars().filter(|c| is_han(*c)).count())
}

/// A piece of a report's title: the words report titles are made of, no
/// sentence end.
fn title_fragment(s: &str) -> bool {
    let han = s.chars().filter(|c| is_han(*c)).count();
    han >= 5
        && !has_sentence_end(s)
        && [
            "国民经济和社会发展",
            "政府工作",
            "工作报告",
            "计划执行",
            "計劃執行",
            "國民經濟",
        ]
        .iter()
        .any(|w| s.contains(w))
}

/// A title that is complete on its own line (ends with the document kind),
/// as opposed to the first lines of a title wrapped over several.
fn complete_title(s: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r"(?:报告|報告|通知|计划|計劃|草案|规划|規劃|决议|決議)(?:[(（][\p{Han}]{1,4}[)）])?[A-Za-z]{0,4}$",
    )
    .is_match(s)
}

fn classify(raw: &str, v: &str, s: &str) -> Class {
    let n = s.chars().count();
    if s.is_empty() {
        return if raw.trim().is_empty() {
            Class::Report
        } else {
            Class::Chrome("markup")
        };
    }
    if n <= NOTICE_MAX && count_words(s, NOTICE) >= 2 && !s.starts_with("各位") {
        return Class::Chrome("site-notice");
    }
    if n <= SHORT && thumbnail(v) {
        return Class::Chrome("page-number");
    }
    if site_url(v) {
        return Class::Chrome("site-url");
    }
    if breadcrumb(v) {
        return Class::Chrome("breadcrumb");
    }
    if date_source(v) && !structure(v, s) {
        return Class::Chrome("date-source");
    }
    if structure(v, s) {
        return Class::Report;
    }
    if n <= SHORT {
        if page_number(v) {
            return Class::Chrome("page-number");
        }
        if collection_header(v) {
            return Class::Chrome("collection-header");
        }
        if page_fact(v) {
            return Class::Chrome("page-fact");
        }
        if site_title(v) {
            return Class::Chrome("site-title");
        }
        if furniture_share(s) >= 0.6 {
            return Class::Chrome("navigation");
        }
        if link_row(v) {
            return Class::Chrome("link-row");
        }
    }
    if title_like(s) {
        return Class::Title;
    }
    // A comma inside the line makes it a piece of prose (a wrapped line of a
    // PDF), not a link: navigation items carry none.
    let inner = s.char_indices().next_back().map_or("", |(i, _)| &s[..i]);
    let prose = inner.contains([',', '，', '、', ':', '：']);
    if n <= SHORT && !has_sentence_end(s) && !prose {
        return Class::Unsure;
    }
    Class::Report
}

fn is_table_row(raw: &str) -> bool {
    let t = raw.trim();
    t.starts_with('|') || t.ends_with('|')
}

/// Parts of a line that are chrome inside report text: e-paper jump markers,
/// omission notes, click prompts, a phrase repeated three times and more.
fn inline_chrome(line: &str) -> Vec<(std::ops::Range<usize>, &'static str)> {
    static JUMP: OnceLock<Regex> = OnceLock::new();
    static OMIT: OnceLock<Regex> = OnceLock::new();
    static CLICK: OnceLock<Regex> = OnceLock::new();
    let mut out = Vec::new();
    let jump = || {
        re(
            &JUMP,
            r"[(（]\s*(?:下转|上接|转下|接上|转第|接第)\s*第?\s*[\d一二三四五六七八九十]{1,3}\s*版\s*[)）]",
        )
    };
    let omit = || {
        re(
            &OMIT,
            r"[.…]{2,}\s*(?:此处)?(?:省略|略去|隐藏)\s*\d{1,7}\s*字\s*[.…]{0,}",
        )
    };
    let click = || re(&CLICK, r"[(（【\[]\s*点击[^()（）【】\[\]]{0,20}[)）】\]]");
    // Each pattern holds a word most lines lack: looked for first, the
    // regex (and its compilation) only where it can match.
    for (r, reason) in [
        (line.contains('版').then(jump), "jump-marker"),
        (
            (line.contains('略') || line.contains("隐藏")).then(omit),
            "omitted-text",
        ),
        (line.contains("点击").then(click), "link"),
    ] {
        for m in r.into_iter().flat_map(|r| r.find_iter(line)) {
            out.push((m.range(), reason));
        }
    }
    if line.len() <= RUN_SEARCH_MAX * 3 {
        if let Some(r) = repeated_run(line) {
            out.push((r, "repeated"));
        }
    }
    out.sort_by_key(|(r, _)| r.start);
    // Overlapping finds: keep the first.
    let mut kept: Vec<(std::ops::Range<usize>, &'static str)> = Vec::new();
    for (r, reason) in out {
        if kept.last().is_none_or(|(k, _)| k.end <= r.start) {
            kept.push((r, reason));
        }
    }
    kept
}

/// The longest stretch where one phrase of 4–30 characters without a
/// sentence end repeats back to back three times or more.
fn repeated_run(line: &str) -> Option<std::ops::Range<usize>> {
    let chars: Vec<char> = line.chars().collect();
    let n = chars.len();
    // Inside running text a phrase may repeat (`X高速、X高速、…`); a pasted
    // headline run stands at the start of a line or in a line of no sentences.
    let limit = if has_sentence_end(line) { n.min(8) } else { n };
    // Units start before `limit` and are at most 30 characters: the flags
    // they are judged by, as running counts over that stretch, computed once
    // (not again for every start and length).
    let reach = n.min(limit + 30);
    let mut not_alnum = vec![0u32; reach + 1];
    let mut han = vec![0u32; reach + 1];
    for (i, &c) in chars.iter().take(reach).enumerate() {
        let h = is_han(c);
        // Han characters are alphanumeric: the Unicode lookup only for the rest.
        not_alnum[i + 1] = not_alnum[i] + u32::from(!(h || c.is_alphanumeric()));
        han[i + 1] = han[i] + u32::from(h);
    }
    let mut best: Option<(usize, usize)> = None; // char start, char end
    let mut i = 0;
    while i < limit {
        let mut found = None;
        for len in 4..=30usize {
            if i + 3 * len > n {
                break;
            }
            if not_alnum[i + len] > not_alnum[i] || han[i + len] - han[i] < 3 {
                continue;
            }
            let unit = &chars[i..i + len];
            let mut reps = 1;
            while i + (reps + 1) * len <= n && &chars[i + reps * len..i + (reps + 1) * len] == unit
            {
                reps += 1;
            }
            if reps >= 3 {
                found = Some((i, i + reps * len));
                break;
            }
        }
        if let Some((s, e)) = found {
            if best.is_none_or(|(bs, be)| e - s > be - bs) {
                best = Some((s, e));
            }
            i = e;
        } else {
            i += 1;
        }
    }
    let byte = |k: usize| line.char_indices().nth(k).map_or(line.len(), |(b, _)| b);
    best.map(|(s, e)| byte(s)..byte(e))
}

/// Drop the site chrome of one document's lines. Returns the lines kept (a
/// line with chrome inside it is kept with that part taken out) and what was
/// dropped, in line order.
pub fn strip(lines: Vec<(usize, String)>) -> (Vec<(usize, String)>, Vec<Dropped>) {
    let mut dropped = Vec::new();
    // Chrome inside lines first: what is left of a line is judged as a line.
    let lines: Vec<(usize, String)> = lines
        .into_iter()
        .filter_map(|(n, line)| {
            if line.len() > RUN_SEARCH_MAX * 3 && !line.contains(['版', '略', '击']) {
                return Some((n, line));
            }
            let parts = inline_chrome(&line);
            if parts.is_empty() {
                return Some((n, line));
            }
            let mut kept = String::with_capacity(line.len());
            let mut at = 0;
            let first = dropped.len();
            for (r, reason) in parts {
                kept.push_str(&line[at..r.start]);
                dropped.push(Dropped {
                    line: n,
                    text: line[r.clone()].trim().to_string(),
                    reason,
                    whole_line: false,
                });
                at = r.end;
            }
            kept.push_str(&line[at..]);
            if kept.trim().is_empty() {
                dropped[first..]
                    .iter_mut()
                    .for_each(|d| d.whole_line = true);
                return None;
            }
            Some((n, kept))
        })
        .collect();
    let vis: Vec<String> = lines.iter().map(|(_, l)| visible(l)).collect();
    let sq: Vec<String> = vis.iter().map(|v| squeeze(v)).collect();
    let mut class: Vec<Class> = lines
        .iter()
        .zip(vis.iter().zip(&sq))
        .map(|((_, raw), (v, s))| classify(raw, v, s))
        .collect();
    // A table row is a line of cells next to another, or one of several
    // cells: a lone `| 标签 |` is a category tag.
    for i in 0..lines.len() {
        let row = |j: usize| lines.get(j).is_some_and(|(_, l)| is_table_row(l));
        if row(i) {
            let cells = lines[i]
                .1
                .split('|')
                .filter(|c| !c.trim().is_empty())
                .count();
            let next_to = (i > 0 && row(i - 1)) || row(i + 1);
            if cells >= 2 || next_to {
                class[i] = Class::Report;
            }
        }
    }

    // A line without a sentence end holding another line of the page whole
    // (a teaser, a headline glued to a snippet): a copy, not the report.
    for i in 0..lines.len() {
        if !matches!(class[i], Class::Unsure | Class::Title | Class::Report)
            || has_sentence_end(&sq[i])
            || sq[i].chars().count() > NOTICE_MAX
            || structure(&vis[i], &sq[i])
        {
            continue;
        }
        // Two other lines of the page in one line: a teaser or snippet, not
        // a title that names the document it issues (`关于印发…的通知`).
        let mut held: Vec<&str> = sq
            .iter()
            .enumerate()
            .filter(|&(j, o)| {
                j != i
                    && o.chars().count() >= 8
                    && o.len() < sq[i].len()
                    && sq[i].contains(o.as_str())
            })
            .map(|(_, o)| o.as_str())
            .collect();
        held.sort_unstable();
        held.dedup();
        let holds_other = held.len() >= 2;
        if holds_other {
            class[i] = Class::Chrome("repeated");
        }
    }

    // The report opens at its first structural or running-text line; its
    // title is the last title line above that, with the wrapped lines of
    // the title just above it. Complete titles above the title are headlines.
    let anchor = class.iter().position(|c| *c == Class::Report);
    let title = anchor.and_then(|a| (0..a).rev().find(|&i| class[i] == Class::Title));
    if let Some(t) = title {
        for i in 0..t {
            if class[i] == Class::Title && complete_title(&sq[i]) {
                class[i] = Class::Chrome("headline");
            }
        }
    }

    // A short line repeated in the document (headline copies, running
    // headers), except the copy that is the title.
    let mut groups: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, s) in sq.iter().enumerate() {
        let short = s.chars().count() >= 4 && s.chars().count() <= SHORT && !has_sentence_end(s);
        if short && matches!(class[i], Class::Title | Class::Unsure) {
            groups.entry(s.as_str()).or_default().push(i);
        }
    }
    for (_, group) in groups {
        if group.len() < 2 {
            continue;
        }
        for i in group {
            if Some(i) != title {
                class[i] = Class::Chrome("repeated");
            }
        }
    }

    // A title the page's furniture repeats in three lines and more
    // (thumbnails, blurbs) is the site's label for the file, not the report's.
    if let Some(t) = title {
        let echoes = (0..lines.len())
            .filter(|&j| {
                j != t && matches!(class[j], Class::Chrome(_)) && sq[j].contains(sq[t].as_str())
            })
            .count();
        if echoes >= 3 {
            class[t] = Class::Chrome("repeated");
        }
    }

    // Short lines between chrome (or a page edge) and chrome are chrome; next
    // to report text they are kept.
    let settled: Vec<Option<bool>> = class
        .iter()
        .map(|c| match c {
            Class::Chrome(_) => Some(true),
            Class::Unsure => None,
            _ => Some(false),
        })
        .collect();
    for (i, c) in class.iter_mut().enumerate() {
        // The first line of a title wrapped over several, parted from the
        // rest by a page's date or share line, is still the report's.
        if *c != Class::Unsure || title_fragment(&sq[i]) {
            continue;
        }
        let above = settled[..i].iter().rev().find_map(|s| *s);
        let below = settled[i + 1..].iter().find_map(|s| *s);
        let chrome = match (above, below) {
            (Some(a), Some(b)) => a && b,
            (None, Some(b)) => b,
            (Some(a), None) => a,
            (None, None) => false,
        };
        if chrome {
            *c = Class::Chrome("between-chrome");
        }
    }

    let mut kept = Vec::with_capacity(lines.len());
    for ((n, line), c) in lines.into_iter().zip(class) {
        match c {
            Class::Chrome(reason) => dropped.push(Dropped {
                line: n,
                text: line.trim().to_string(),
                reason,
                whole_line: true,
            }),
            _ => kept.push((n, line)),
        }
    }
    dropped.sort_by_key(|d| d.line);
    (kept, dropped)
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

    fn dropped_lines(lines: &[&str]) -> Vec<usize> {
        let (_, d) = strip(numbered(lines));
        d.iter().map(|d| d.line).collect()
    }

    const BODY: &str = "过去一年,我们坚持稳中求进工作总基调,经济社会发展主要目标任务较好完成。";

    #[test]
    fn report_structure_is_never_dropped() {
        let lines = [
            "政 府 工 作 报 告",
            "——2022年1月8日在某某市第十届人民代表大会第一次会议上",
            "市长 张三",
            "各位代表:",
            BODY,
            "一、过去一年工作回顾",
            "(三)加快乡村振兴",
            "1.粮食生产",
            "区发展和改革委员会",
            "2022年3月30日",
            "指标名称 |",
            "8左右 |",
            BODY,
        ];
        assert_eq!(dropped_lines(&lines), Vec::<usize>::new());
    }

    #[test]
    fn furniture_by_shape() {
        let lines = [
            "登录 | 注册 | 无障碍",
            "首页 政务公开 新闻中心 办事服务 互动交流",
            "当前位置: 首页 > 政务公开 > 规划计划",
            "某某市政府工作报告",
            "发布时间:2022-01-20 来源:市政府办公室",
            "【字号: 大 中 小】 打印 分享",
            "某某市政府工作报告",
            "——2022年1月8日在某某市第十届人民代表大会第一次会议上",
            "各位代表:",
            BODY,
            "(下转第四版)",
            BODY,
            "- 3 -",
            BODY,
            "返回顶部",
            "网站地图 联系我们",
        ];
        assert_eq!(
            dropped_lines(&lines),
            vec![1, 2, 3, 4, 5, 6, 11, 13, 15, 16]
        );
    }

    #[test]
    fn short_lines_follow_their_neighbours() {
        let lines = [
            "关闭",
            "政务公开",
            "办事服务",
            "当前位置:首页 > 报告",
            BODY,
            "工作纪要",
            BODY,
        ];
        assert_eq!(dropped_lines(&lines), vec![1, 2, 3, 4]);
    }

    #[test]
    fn inline_markers_and_runs_are_cut_out() {
        let line = format!("{BODY}(下转第二版)");
        let (kept, d) = strip(numbered(&[line.as_str()]));
        assert_eq!(kept[0].1, BODY);
        assert_eq!(d[0].reason, "jump-marker");
        let run = format!(
            "{}——2022年1月8日在某某市第十届人民代表大会第一次会议上",
            "某某镇政府工作报告".repeat(5)
        );
        let (kept, d) = strip(numbered(&[run.as_str(), BODY]));
        assert!(kept[0].1.starts_with("——2022年"), "{kept:?}");
        assert_eq!(d[0].text, "某某镇政府工作报告".repeat(5));
    }

    #[test]
    fn keyed_footer() {
        let l = "版权所有:某某区人民政府办公室";
        let v = visible(l);
        let s = squeeze(&v);
        assert!(page_fact(&v), "{v}");
        assert_eq!(classify(l, &v, &s), Class::Chrome("page-fact"));
    }

    #[test]
    fn page_numbers_are_judged_as_by_the_pattern_alone() {
        let whole = Regex::new(
            r"^[-—–－\s]*(?:第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,3}(?:\s*/\s*\d{1,4})?|[Pp]age\s*\d{1,4})[-—–－\s]*$",
        )
        .unwrap();
        let pieces = [
            "第", "页", "3", "12", "4567", " ", "-", "—", "／", "/", "共", "Page", "３", "版", "x",
        ];
        let mut x = 0x853C_49E6_748F_EA9Bu64;
        let mut yes = 0;
        for _ in 0..20_000 {
            let mut v = String::new();
            x = x.rotate_left(13) ^ 0x9E37_79B9;
            for _ in 0..(x % 7) {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                v.push_str(pieces[(x >> 33) as usize % pieces.len()]);
            }
            let edition = v.contains('版');
            let want = whole.is_match(&v);
            yes += usize::from(want);
            if !edition {
                assert_eq!(page_number(&v), want, "{v:?}");
            }
        }
        assert!(yes > 500, "{yes}");
    }

    #[test]
    fn squeeze_drops_every_space() {
        let s = " 各位\u{3000}代表\u{a0}:\t\n 2022 年\u{2028}x ";
        let want: String = s
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{3000}')
            .collect();
        assert_eq!(squeeze(s), want);
        assert_eq!(squeeze(s), "各位代表:2022年x");
    }

    #[test]
    fn han_characters_are_alphanumeric() {
        // repeated_run skips the Unicode lookup for them on this ground.
        for c in ('\u{4e00}'..='\u{9fff}').chain('\u{3400}'..='\u{4dbf}') {
            assert!(c.is_alphanumeric(), "{c:?}");
        }
    }

    /// [`repeated_run`] as first written: every unit judged afresh.
    fn repeated_run_simple(line: &str) -> Option<std::ops::Range<usize>> {
        let idx: Vec<usize> = line
            .char_indices()
            .map(|(b, _)| b)
            .chain(std::iter::once(line.len()))
            .collect();
        let chars: Vec<char> = line.chars().collect();
        let n = chars.len();
        let mut best: Option<(usize, usize)> = None;
        let limit = if has_sentence_end(line) { n.min(8) } else { n };
        let mut i = 0;
        while i < limit {
            let mut found = None;
            for len in 4..=30usize {
                if i + 3 * len > n {
                    break;
                }
                let unit = &chars[i..i + len];
                if unit.iter().any(|c| !c.is_alphanumeric())
                    || unit.iter().filter(|c| is_han(**c)).count() < 3
                {
                    continue;
                }
                let mut reps = 1;
                while i + (reps + 1) * len <= n
                    && &chars[i + reps * len..i + (reps + 1) * len] == unit
                {
                    reps += 1;
                }
                if reps >= 3 {
                    found = Some((i, i + reps * len));
                    break;
                }
            }
            if let Some((s, e)) = found {
                if best.is_none_or(|(bs, be)| e - s > be - bs) {
                    best = Some((s, e));
                }
                i = e;
            } else {
                i += 1;
            }
        }
        best.map(|(s, e)| idx[s]..idx[e])
    }

    #[test]
    fn repeated_run_agrees_with_the_simple_search() {
        let pieces = [
            "某某",
            "镇政府",
            "工作报告",
            "某某镇政府",
            "报告",
            "、",
            " ",
            "ab1",
            "——",
            "某",
        ];
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let mut runs = 0;
        for _ in 0..3_000 {
            let mut line = String::new();
            x = x.rotate_left(17) ^ 0x9E37_79B9;
            for _ in 0..(x % 30) {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let p = pieces[(x >> 33) as usize % pieces.len()];
                // Repeats, so that runs occur.
                let times = 1 + (x >> 40) as usize % 5;
                line.push_str(&p.repeat(times));
            }
            // A sentence end: runs count only at the start then.
            if x.is_multiple_of(3) {
                line.push('。');
            }
            let got = repeated_run(&line);
            runs += usize::from(got.is_some());
            assert_eq!(got, repeated_run_simple(&line), "{line:?}");
        }
        assert!(runs > 300, "{runs}");
    }

    #[test]
    fn furniture_share_counts_words() {
        assert!(furniture_share("打印打印") > 0.99);
        assert!(furniture_share("经济发展") < 0.1);
    }
}
