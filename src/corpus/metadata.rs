//! Document metadata found in the title and opening lines: region, year, kind.
//!
//! Detection only reads what the document says about itself. A region it
//! cannot find stays empty (and the caller warns); it is never guessed.

use std::sync::OnceLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

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
    /// Most specific administrative unit, e.g. `九原区`, `咸阳市`, `青海省`; empty when unknown.
    pub region: String,
    /// The year the report is for (the session year); `None` when unknown.
    pub year: Option<u16>,
    pub kind: Option<Kind>,
    pub title: String,
}

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
        format!(r"在([\p{{Han}}]{{2,14}}?{ADMIN})第[〇一二三四五六七八九十\d]+届人民代表大会")
    })
}

fn title_region_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, || {
        format!(r"(?:\d{{4}}年)?([\p{{Han}}]{{2,14}}?{ADMIN})(?:人民)?政府工作报告")
    })
}

fn plan_region_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, || {
        format!(r"^(?:关于)?([\p{{Han}}]{{2,14}}?{ADMIN})\d{{4}}年(?:国民)?经济和社会发展")
    })
}

fn tag_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, || {
        r"^【([\p{Han}]{2,10}?)(?:招商|新闻|动态|资讯)?】".to_string()
    })
}

fn date_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, || {
        r"([12]\d{3}|[〇○零一二三四五六七八九]{4})年(\d{1,2}|[一二三四五六七八九十]{1,3})月[^\n]{0,12}?在".to_string()
    })
}

fn year_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, || r"((?:19|20)\d{2})年".to_string())
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
    const SUFFIXES: [&str; 13] = [
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
pub fn detect(title: &str, opening: &str) -> (Metadata, Vec<String>) {
    let mut warnings = Vec::new();
    let head: String = format!("{title}\n{opening}");
    let kind = if head.contains("计划执行情况") || head.contains("计划草案") {
        Kind::PlanReport
    } else if title.contains("政府工作报告")
        || (!title.starts_with('【') || title.contains("工作报告"))
            && (opening.contains("报告工作") || opening.contains("作工作报告"))
        || (title.contains("工作报告") && head.contains("人民代表大会"))
    {
        Kind::WorkReport
    } else {
        Kind::Article
    };

    let mut region = title_region_re()
        .captures(title)
        .map(|c| c[1].to_string())
        .or_else(|| plan_region_re().captures(title).map(|c| c[1].to_string()))
        .or_else(|| meeting_re().captures(&head).map(|c| c[1].to_string()))
        .or_else(|| {
            plan_region_re()
                .captures(opening.trim_start())
                .map(|c| c[1].to_string())
        })
        .unwrap_or_default();
    if region.is_empty() {
        // Scraped articles carry a site tag such as `【呼和浩特招商】`; accept it
        // only when the text names the full unit (`呼和浩特市`).
        if let Some(stem) = tag_re().captures(title).map(|c| c[1].to_string()) {
            region = unit_after(&head, &stem).unwrap_or_default();
        }
    }
    let region = most_specific_region(&region);

    let title_year = year_re()
        .captures(title)
        .and_then(|c| c[1].parse::<u16>().ok());
    let meeting_year = date_re().captures(&head).and_then(|c| {
        let y = parse_year(&c[1])?;
        let m = parse_month(&c[2])?;
        // A report given in December opens the next year's session.
        Some(if m == 12 { y + 1 } else { y })
    });
    let plan_year = if kind == Kind::PlanReport {
        year_re()
            .captures_iter(title)
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
            }
            Some(m)
        }
        (_, None, _, Some(t)) => Some(t),
        _ => year_re()
            .captures(opening)
            .and_then(|c| c[1].parse::<u16>().ok()),
    };
    if region.is_empty() {
        warnings.push("region not found in the title or opening lines; left empty".into());
    }
    (
        Metadata {
            region,
            year,
            kind: Some(kind),
            title: title.trim().to_string(),
        },
        warnings,
    )
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
        let (m, w) = detect("【某地招商】一条新闻", "没有地名的正文。");
        assert_eq!(m.region, "");
        assert_eq!(w.len(), 1);
    }

    #[test]
    fn chinese_numerals() {
        assert_eq!(parse_year("二〇一九"), Some(2019));
        assert_eq!(parse_month("十二"), Some(12));
        assert_eq!(parse_month("一"), Some(1));
    }
}
