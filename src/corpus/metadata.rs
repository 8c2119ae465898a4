//! Document metadata found in the title and opening lines: region, year, kind.
//!
//! Detection only reads what the document says about itself. A region it
//! cannot find stays empty (and the caller warns); it is never guessed.

use std::sync::OnceLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::divisions::{self, Division, Level, Resolution};

/// What kind of document this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// 政府工作报告
    WorkReport,
    /// 国民经济和社会发展计划执行情况与计划草案的报告
    PlanReport,
    /// Anything else: news items, articles.
    Article,
}

impl Kind {
    pub fn id(self) -> &'static str {
        match self {
            Kind::WorkReport => "work_report",
            Kind::PlanReport => "plan_report",
            Kind::Article => "article",
        }
    }
    pub fn parse(s: &str) -> Option<Kind> {
        [Kind::WorkReport, Kind::PlanReport, Kind::Article]
            .into_iter()
            .find(|k| k.id() == s.trim())
    }
}

/// Region, year and kind of one document.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Metadata {
    /// Most specific administrative unit, e.g. `九原区`, `咸阳市`, `青海省`;
    /// `全国` for a national report; empty when unknown.
    pub region: String,
    /// The region's administrative-division code (GB/T 2260); empty when the
    /// region is unknown, national, ambiguous or not in the division table.
    #[serde(default)]
    pub region_code: String,
    /// Province-level unit the region belongs to (itself for a province).
    #[serde(default)]
    pub province: String,
    /// Prefecture-level unit the region belongs to (itself for a prefecture,
    /// the municipality for its districts); empty for a province.
    #[serde(default)]
    pub prefecture: String,
    /// The year the report is for (the session year); `None` when unknown.
    pub year: Option<u16>,
    pub kind: Option<Kind>,
    pub title: String,
}

/// The region of national reports (国务院).
pub const NATIONAL: &str = "全国";

const ADMIN: &str = "(?:特别行政区|自治区|自治州|自治县|自治旗|新区|省|市|区|县|旗|盟|州)";

// The patterns are constants of this file, exercised by its tests: a bad one
// is a programming error, not a user-data error.
#[allow(clippy::expect_used)]
fn re(cell: &'static OnceLock<Regex>, pattern: impl FnOnce() -> String) -> &'static Regex {
    cell.get_or_init(|| Regex::new(&pattern()).expect("static regex is valid"))
}

fn meeting_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, || {
        format!(r"在([\p{{Han}}]{{2,14}}?{ADMIN})第[〇一二三四五六七八九十\d]+届\s*人民代表大会")
    })
}

/// A session named without `在` (`已经天津市第十七届人民代表大会…审查批准`).
fn session_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, || {
        format!(r"([\p{{Han}}]{{2,14}}?{ADMIN})第[〇一二三四五六七八九十\d]+届\s*人民代表大会")
    })
}

/// A national report: the National People's Congress, or the State Council speaking.
fn national_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, || {
        r"第[〇一二三四五六七八九十\d]+届\s*全国人民代表大会第|国务院总理|我代表国务院|受国务院委托"
            .to_string()
    })
}

fn title_region_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, || {
        format!(r"(?:\d{{4}}\s*年)?([\p{{Han}}]{{2,14}}?{ADMIN})(?:人民)?政府工作报告")
    })
}

fn plan_region_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, || {
        format!(r"^(?:关于)?([\p{{Han}}]{{2,14}}?{ADMIN})\d{{4}}年(?:国民)?经济和社会发展")
    })
}

/// A plan named inside a longer title (`…关于印发天津市2018年国民经济和社会发展计划的通知`).
fn plan_in_title_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, || {
        format!(r"([\p{{Han}}]{{2,14}}?{ADMIN})\s*\d{{4}}\s*年(?:上半年)?(?:国民)?经济和社会发展")
    })
}

/// The speaker line: `咸阳市人民政府代市长 …`, `九原区代区长 …`.
fn speaker_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, || {
        format!(
            r"([\p{{Han}}]{{2,14}}?{ADMIN})(?:人民政府)?[代副]?(?:省长|市长|区长|县长|旗长|州长|盟长|主席)"
        )
    })
}

/// The opening sentence: `我代表九原区人民政府…`.
fn on_behalf_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, || {
        format!(r"我代表([\p{{Han}}]{{2,14}}?{ADMIN})人民政府")
    })
}

fn tag_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, || {
        r"^【([\p{Han}]{2,10}?)(?:招商|新闻|动态|资讯)?】".to_string()
    })
}

const YEAR4: &str = r"[12]\d{3}|[〇○零一二三四五六七八九]{4}";
const MONTH: &str = r"\d{1,2}|[一二三四五六七八九十]{1,3}";

/// The meeting date before `在…会议上`; `年` and `月` may be spaces in text
/// copied from a PDF (`2020 1 7 日`).
fn date_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, || {
        format!(r"({YEAR4})(?:\s*年\s*|\s+)({MONTH})(?:\s*月|\s+)[^\n]{{0,14}}?在")
    })
}

/// The meeting date written after `在` (`——在2008年1月19日…镇第十一届人民代表大会`).
fn date_after_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, || {
        format!(r"在\s*({YEAR4})(?:\s*年\s*|\s+)({MONTH})(?:\s*月|\s+)[^\n]{{0,30}}?人民代表大会")
    })
}

fn year_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, || r"((?:19|20)\d{2})\s*年".to_string())
}

fn plan_year_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, || {
        r"((?:19|20)\d{2})年(?:国民经济和社会发展)?计划(?:草案)?".to_string()
    })
}

/// `2020年工作回顾` (also `一、2020年工作回顾`, `过去五年及2011年政府工作回顾`):
/// a report reviewing that year is for the next one.
fn review_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, || {
        r"((?:19|20)\d{2})\s*年(?:政府)?(?:工作)?回顾".to_string()
    })
}

/// Pinyin glosses some mirror sites put after characters (`報(bào)告`).
fn gloss_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, || {
        r"[(（][a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,8}[)）]".to_string()
    })
}

/// The text metadata patterns read: pinyin glosses dropped, and spaces next
/// to a Chinese character removed (`政 府 工 作 报 告`, `2021 年`), but not
/// between two digits, where they may stand for a lost `年`/`月`.
pub fn metadata_view(text: &str) -> String {
    let text = gloss_re().replace_all(text, "");
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' || c == '\u{3000}' || c == '\u{a0}' || c == '\t' {
            let prev = out.chars().last();
            let next = chars[i + 1..]
                .iter()
                .copied()
                .find(|c| !matches!(c, ' ' | '\u{3000}' | '\u{a0}' | '\t'));
            let han = |c: Option<char>| c.is_some_and(|c| c > '\u{2E80}' && !c.is_whitespace());
            if han(prev) || han(next) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// Keep the most specific unit: `天津市蓟州区` → `蓟州区`, `包头市九原区` → `九原区`.
///
/// Splits only after a container unit (省, 市, 盟, 自治区) and only when what
/// follows is itself a unit of three or more characters, so `市中区` stays whole.
pub fn most_specific_region(region: &str) -> String {
    let is_unit_end = |s: &str| s.ends_with(['区', '县', '市', '旗', '州', '盟', '省']);
    let mut best = region;
    for (i, c) in region.char_indices() {
        let end = i + c.len_utf8();
        let container = matches!(c, '省' | '市' | '盟') || region[..end].ends_with("自治区");
        let rest = &region[end..];
        if container && rest.chars().count() >= 3 && is_unit_end(rest) {
            best = rest;
        }
    }
    best.to_string()
}

/// The first `stem` + administrative suffix in `text` (`呼和浩特` → `呼和浩特市`).
/// A plain search: compiling a regex per document cost more than labelling it.
fn unit_after(text: &str, stem: &str) -> Option<String> {
    const SUFFIXES: &[&str] = &[
        "特别行政区",
        "自治区",
        "自治州",
        "自治县",
        "自治旗",
        "新区",
        "省",
        "市",
        "区",
        "县",
        "旗",
        "盟",
        "州",
    ];
    text.match_indices(stem).find_map(|(i, _)| {
        let rest = &text[i + stem.len()..];
        SUFFIXES
            .iter()
            .find(|s| rest.starts_with(*s))
            .map(|s| format!("{stem}{s}"))
    })
}

fn chinese_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '○' | '零' => 0,
        '一' => 1,
        '二' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        '十' => 10,
        _ => return None,
    })
}

/// `2019` or `二〇一九` → 2019.
fn parse_year(s: &str) -> Option<u16> {
    if let Ok(y) = s.parse() {
        return Some(y);
    }
    s.chars()
        .try_fold(0u32, |acc, c| {
            chinese_digit(c).filter(|&d| d < 10).map(|d| acc * 10 + d)
        })
        .and_then(|y| u16::try_from(y).ok())
}

/// `3`, `12`, `十二` → month number.
fn parse_month(s: &str) -> Option<u32> {
    if let Ok(m) = s.parse() {
        return Some(m);
    }
    let digits: Vec<u32> = s.chars().map(chinese_digit).collect::<Option<_>>()?;
    match digits.as_slice() {
        [d] => Some(*d),
        [10, d] => Some(10 + d),
        _ => None,
    }
}

/// Detect metadata from a title and the first part of the body.
///
/// Returns the metadata and warnings worth showing the user.
#[cfg(test)]
pub fn detect(title: &str, opening: &str) -> (Metadata, Vec<String>) {
    detect_in(title, opening, opening)
}

/// Characters of the body searched for the meeting, speaker and opening
/// lines when the first few hundred (`opening`) do not hold them: page
/// furniture can come first.
const LONG_OPENING: usize = 1500;

/// Characters of the body callers pass as `context` to [`detect_in`].
pub const CONTEXT_CHARS: usize = 3000;

/// [`detect`], with more of the body (`context`) for what the opening lacks:
/// the meeting and speaker lines further down, a region named only in the
/// body (`我县`, `全市` beside the name), context for ambiguous names.
pub fn detect_in(title: &str, opening: &str, context: &str) -> (Metadata, Vec<String>) {
    let mut warnings = Vec::new();
    let title = metadata_view(title);
    let opening = metadata_view(opening);
    let context = metadata_view(context);
    let (title, opening) = (title.as_str(), opening.as_str());
    let head: String = format!("{title}\n{opening}");
    let long: String = context.chars().take(LONG_OPENING).collect();
    let long_head = format!("{title}\n{long}");
    let kind = if head.contains("计划执行情况")
        || head.contains("计划草案")
        || title.contains("国民经济和社会发展计划")
        // A plan issued by a notice (`关于印发…国民经济和社会发展计划的通知`).
        || head.contains("国民经济和社会发展计划的通知")
    {
        Kind::PlanReport
    } else if title.contains("政府工作报告")
        || (!title.starts_with('【') || title.contains("工作报告"))
            && (opening.contains("报告工作")
                || opening.contains("作工作报告")
                || opening.contains("报告政府工作"))
        || (title.contains("工作报告") && head.contains("人民代表大会"))
    {
        Kind::WorkReport
    } else if long_head.contains("政府工作报告")
        && (long.contains("报告工作")
            || long.contains("作工作报告")
            || long.contains("政府工作报告"))
        && long.contains("各位代表")
    {
        // Furniture before the report pushed its opening lines down.
        Kind::WorkReport
    } else {
        Kind::Article
    };

    let cap = |r: &Regex, t: &str| r.captures(t).map(|c| c[1].to_string());
    // Where the report names itself, in order of trust. The first two are
    // taken as found; the others only when they name a known division, since
    // they also match prose (`…日在县第十八届…`).
    let known =
        |raw: &String| divisions::tail_of(raw).is_some() || !divisions::short_named(raw).is_empty();
    let raw = cap(title_region_re(), title)
        .or_else(|| cap(plan_region_re(), title))
        .or_else(|| cap(meeting_re(), &head))
        .or_else(|| cap(plan_region_re(), opening.trim_start()))
        .or_else(|| {
            // Scraped articles carry a site tag such as `【呼和浩特招商】`; accept it
            // only when the text names the full unit (`呼和浩特市`).
            tag_re()
                .captures(title)
                .and_then(|c| unit_after(&head, &c[1]))
        })
        .or_else(|| {
            [
                (plan_in_title_re(), title),
                (meeting_re(), long_head.as_str()),
                (session_re(), long_head.as_str()),
                (speaker_re(), long_head.as_str()),
                (on_behalf_re(), long_head.as_str()),
            ]
            .into_iter()
            .find_map(|(r, t)| r.captures_iter(t).map(|c| c[1].to_string()).find(known))
        });
    let national = raw.is_none() && national_re().is_match(&long_head);
    let mut meta = Metadata {
        kind: Some(kind),
        title: title.trim().to_string(),
        ..Metadata::default()
    };
    let full_context = format!("{title}\n{context}");
    match raw {
        Some(raw) => set_region(&mut meta, &raw, &full_context, &mut warnings),
        None if national => meta.region = NATIONAL.to_string(),
        None => {
            if let Some(raw) = body_region(&full_context) {
                set_region(&mut meta, &raw, &full_context, &mut warnings);
            }
        }
    }

    let title_year = cap(year_re(), title).and_then(|y| y.parse::<u16>().ok());
    let date_year = |t: &str| {
        date_re()
            .captures(t)
            .or_else(|| date_after_re().captures(t))
            .and_then(|c| {
                let y = parse_year(&c[1])?;
                let m = parse_month(&c[2])?;
                // A report given in December opens the next year's session.
                Some(if m == 12 { y + 1 } else { y })
            })
    };
    let meeting_year = date_year(&head).or_else(|| date_year(&long_head));
    let review_year = cap(review_re(), &long_head)
        .and_then(|y| y.parse::<u16>().ok())
        .map(|y| y + 1);
    let plan_year = if kind == Kind::PlanReport {
        // The plan's year: the latest in the title, or in the opening's
        // `…执行情况与2021年国民经济和社会发展计划草案` when the title is cut.
        year_re()
            .captures_iter(title)
            .chain(plan_year_re().captures_iter(&long_head))
            .filter_map(|c| c[1].parse::<u16>().ok())
            .max()
    } else {
        None
    };
    let year = match (kind, meeting_year, plan_year, title_year) {
        (Kind::PlanReport, _, Some(p), _) => Some(p),
        (_, Some(m), _, t) => {
            if let Some(t) = t.filter(|&t| t != m) {
                warnings.push(format!(
                    "title says {t} but the report was delivered for {m}; using {m}"
                ));
            } else if let Some(r) = review_year.filter(|&r| r != m) {
                warnings.push(format!(
                    "the review heading is of {} (a report for {r}) but the meeting date \
                     gives {m}; using {m}",
                    r - 1
                ));
            }
            Some(m)
        }
        (_, None, _, Some(t)) => {
            if let Some(r) = review_year.filter(|&r| r != t) {
                warnings.push(format!(
                    "title says {t} but the review heading is of {} (a report for {r}); using {t}",
                    r - 1
                ));
            }
            Some(t)
        }
        _ => review_year.or_else(|| cap(year_re(), opening).and_then(|y| y.parse::<u16>().ok())),
    };
    meta.year = year;
    (meta, warnings)
}

/// Set the region from a name as found (`天津市蓟州区`, `年平度市`, `咸阳`):
/// the most specific division it ends with, resolved among namesakes from
/// `context`, with its code, province and prefecture. A name that is not in
/// the division table is kept as found, without a code; an ambiguous one
/// keeps its name, without a code, and warns.
pub fn set_region(meta: &mut Metadata, raw: &str, context: &str, warnings: &mut Vec<String>) {
    meta.region_code.clear();
    meta.province.clear();
    meta.prefecture.clear();
    let raw = raw.trim();
    if raw == NATIONAL || raw.is_empty() {
        meta.region = raw.to_string();
        return;
    }
    let (before, candidates) = match divisions::tail_of(raw) {
        Some((before, c)) => (before.to_string(), c),
        None => match divisions::short_named(raw).as_slice() {
            [] => {
                meta.region = most_specific_region(raw);
                warnings.push(format!(
                    "region `{}` is not in the division table (GB/T 2260, 2021): \
                     no region_code, province or prefecture",
                    meta.region
                ));
                return;
            }
            c => (String::new(), c.to_vec()),
        },
    };
    let context = format!("{before}\n{context}");
    match divisions::resolve(&candidates, &context) {
        Resolution::One(d) => {
            meta.region = d.name.to_string();
            meta.region_code = d.code.to_string();
            meta.province = d.province().map(|p| p.name.to_string()).unwrap_or_default();
            meta.prefecture = d
                .prefecture()
                .map(|p| p.name.to_string())
                .unwrap_or_default();
        }
        Resolution::Ambiguous(c) => {
            let name = c.first().map(|d| d.name).unwrap_or(raw);
            meta.region = name.to_string();
            let list: Vec<String> = c
                .iter()
                .map(|d| {
                    let up: Vec<&str> = [d.province(), d.prefecture().filter(|p| p != d)]
                        .into_iter()
                        .flatten()
                        .map(|p| p.name)
                        .collect();
                    format!("{} {}{}", d.code, up.join(""), d.name)
                })
                .collect();
            warnings.push(format!(
                "region `{name}` is the name of {} divisions ({}) and the text does not say \
                 which; left without a code (give the city in manifest.csv, e.g. `…市{name}`)",
                c.len(),
                list.join(", ")
            ));
        }
        Resolution::Unknown => meta.region = most_specific_region(raw),
    }
}

/// A region named only in the body: the unit the report speaks for
/// (`我县`, `全县`, `县委`: a county) named beside it, in full or by its
/// short name (`正定` with `全县` → 正定县). `None` when the body does not
/// single one out.
fn body_region(text: &str) -> Option<String> {
    // Which kind of unit the report speaks for.
    const UNITS: [char; 6] = ['县', '市', '区', '旗', '州', '盟'];
    let cue = |u: char| {
        let n = ["我", "全", "本"]
            .iter()
            .map(|p| text.matches(&format!("{p}{u}")).count())
            .sum::<usize>()
            + text.matches(&format!("{u}委")).count()
            + text.matches(&format!("{u}人民政府")).count();
        // 自治区党委/自治区人民政府 speak of the province above.
        let above = if u == '区' {
            text.matches("自治区委").count() + text.matches("自治区人民政府").count()
        } else {
            0
        };
        n.saturating_sub(above)
    };
    let (unit, n) = UNITS.iter().map(|&u| (u, cue(u))).max_by_key(|&(_, n)| n)?;
    if n == 0 {
        return None;
    }
    let mut best: Vec<(usize, Division)> = Vec::new();
    for d in divisions::all() {
        if !d.name.ends_with(unit) || d.level() == Level::Province {
            continue;
        }
        let full = if d.name.chars().count() >= 3 {
            text.matches(d.name).count()
        } else {
            0
        };
        // A short name is often a word too (`合作`, `资源`): it counts only
        // when the text also names the province or prefecture above.
        let above = |p: Option<Division>| {
            p.filter(|p| p != d).is_some_and(|p| {
                text.contains(p.name) || p.short_name().is_some_and(|s| text.contains(s))
            })
        };
        let confirmed = above(d.province())
            || above(d.prefecture())
            || (d.in_autonomous_region() && text.contains("自治区"));
        let short = d
            .short_name()
            .filter(|_| confirmed)
            .map(|s| text.matches(s).count().saturating_sub(full))
            .unwrap_or(0);
        let score = 2 * full + short;
        if score > 0 {
            best.push((score, *d));
        }
    }
    let top = best.iter().map(|(s, _)| *s).max()?;
    let mut names: Vec<&str> = best
        .iter()
        .filter(|(s, _)| *s == top)
        .map(|(_, d)| d.name)
        .collect();
    names.dedup();
    match names.as_slice() {
        [one] => Some(one.to_string()),
        _ => None,
    }
}

/// Warnings for a region or year still missing once the manifest applied,
/// each with the `manifest.csv` line that fills it in.
pub fn missing_warnings(doc_id: &str, meta: &Metadata) -> Vec<String> {
    let mut w = Vec::new();
    if !meta.region.is_empty() && meta.year.is_some() {
        return w;
    }
    let region = if meta.region.is_empty() {
        "<region>".to_string()
    } else {
        meta.region.clone()
    };
    let year = meta
        .year
        .map(|y| y.to_string())
        .unwrap_or_else(|| "<year>".to_string());
    let line = format!("add to manifest.csv: {doc_id},{region},{year},,");
    let what = match (meta.region.is_empty(), meta.year.is_none()) {
        (true, true) => "region not found, year",
        (true, false) => "region",
        _ => "year",
    };
    w.push(format!(
        "{what} not found (title, meeting line, speaker line, review heading or body); \
         left empty: {line}"
    ));
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_report_from_title() {
        let (m, w) = detect(
            "2022年咸阳市政府工作报告",
            "2022年咸阳市政府工作报告2022年3月28日在咸阳市第九届人民代表大会第一次会议上咸阳市代市长 冷劲松各位代表:现在,我代表市人民政府,向大会作工作报告",
        );
        assert_eq!(m.region, "咸阳市");
        assert_eq!(m.year, Some(2022));
        assert_eq!(m.kind, Some(Kind::WorkReport));
        assert!(w.is_empty(), "{w:?}");
    }

    #[test]
    fn december_session_counts_for_next_year_and_region_is_most_specific() {
        let (m, _) = detect(
            "2022年蓟州区政府工作报告",
            "2021年12月12日在天津市蓟州区第二届人民代表大会第一次会议上代区长张建宇各位代表:现在,我代表区人民政府,向大会作政府工作报告",
        );
        assert_eq!(m.region, "蓟州区");
        assert_eq!(m.year, Some(2022));
    }

    #[test]
    fn mislabelled_title_year_loses_to_the_meeting_date() {
        let (m, w) = detect(
            "2022年厦门市政府工作报告",
            "2022年厦门市政府工作报告二〇一九年一月九日在厦门市第十五届人民代表大会第三次会议上",
        );
        assert_eq!(m.year, Some(2019));
        assert_eq!(w.len(), 1);
    }

    #[test]
    fn report_without_title_uses_meeting_line() {
        let (m, _) = detect(
            "——2022年1月8日在九原区第十八届人民代表大会第一次会议上",
            "区人民政府代区长刘小平\n各位代表:\n现在,我代表区人民政府向大会报告工作,请予审议",
        );
        assert_eq!(m.region, "九原区");
        assert_eq!(m.year, Some(2022));
        assert_eq!(m.kind, Some(Kind::WorkReport));
    }

    #[test]
    fn plan_report_year_is_the_plan_year() {
        let (m, _) = detect(
            "包头市九原区2023年国民经济和社会发展计划执行情况与2024年国民经济和社会发展计划草案的报告",
            "区发展和改革委员会\n各位代表:",
        );
        assert_eq!(m.region, "九原区");
        assert_eq!(m.year, Some(2024));
        assert_eq!(m.kind, Some(Kind::PlanReport));
    }

    #[test]
    fn article_region_from_site_tag_only_when_text_names_the_unit() {
        let (m, _) = detect(
            "【呼和浩特招商】呼和浩特科高端碳化硅材料迈向产业化",
            "呼和浩特科创中心推动高端碳化硅招商引资促产业化创新 在呼和浩特市",
        );
        assert_eq!(m.kind, Some(Kind::Article));
        assert_eq!(m.region, "呼和浩特市");
        let (m, _) = detect("【某地招商】一条新闻", "没有地名的正文。");
        assert_eq!(m.region, "");
        let w = missing_warnings("d1", &m);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(
            w[0].contains("add to manifest.csv: d1,<region>,,,") || w[0].contains("d1,<region>"),
            "{w:?}"
        );
    }

    #[test]
    fn review_heading_gives_the_next_year_and_disagreement_warns() {
        let (m, w) = detect("", "各位代表:\n一、2020年工作回顾\n过去一年");
        assert_eq!(m.year, Some(2021));
        assert!(w.is_empty(), "{w:?}");
        let (m, w) = detect(
            "",
            "2021年1月8日在九原区第十八届人民代表大会第一次会议上\n一、2018年工作回顾",
        );
        assert_eq!(m.year, Some(2021));
        assert_eq!(w.len(), 1, "{w:?}");
    }

    #[test]
    fn speaker_line_national_reports_and_glosses() {
        let (m, _) = detect("", "咸阳市人民政府代市长 某某\n各位代表:");
        assert_eq!(
            (m.region.as_str(), m.region_code.as_str()),
            ("咸阳市", "610400")
        );
        let (m, _) = detect(
            "政府工作报告",
            "——2030年3月5日在第二十届全国人民代表大会第一次会议上\n国务(wù)院总理 某某",
        );
        assert_eq!((m.region.as_str(), m.region_code.as_str()), (NATIONAL, ""));
        assert_eq!(metadata_view("报(bào)告 2021 年"), "报告2021年");
    }

    #[test]
    fn a_short_name_that_is_a_word_is_not_a_region() {
        // 乐业 is a county's short name and a word; nothing names its province.
        let (m, _) = detect(
            "",
            "各位代表:\n全县上下安居乐业,县委县政府带领全县人民奋斗。",
        );
        assert_eq!(m.region, "");
        let (m, _) = detect("", "各位代表:\n全县上下在河北省委领导下,正定发展成效显著。");
        assert_eq!(m.region, "正定县");
    }

    #[test]
    fn chinese_numerals() {
        assert_eq!(parse_year("二〇一九"), Some(2019));
        assert_eq!(parse_month("十二"), Some(12));
        assert_eq!(parse_month("一"), Some(1));
    }
}
