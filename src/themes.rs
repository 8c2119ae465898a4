//! The 13 theme ids of the codebook (`../shared/CODEBOOK.md`, v1.1).
//!
//! Ids are stable: models, label files and summaries use exactly these strings.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// One policy theme of the codebook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    Poverty,
    Rural,
    Ecology,
    Investment,
    Livelihood,
    Social,
    Industry,
    Innovation,
    Reform,
    Urban,
    Safety,
    Government,
    Overview,
}

impl Theme {
    /// All themes in codebook order (the column order of every table).
    pub const ALL: [Theme; 13] = [
        Theme::Poverty,
        Theme::Rural,
        Theme::Ecology,
        Theme::Investment,
        Theme::Livelihood,
        Theme::Social,
        Theme::Industry,
        Theme::Innovation,
        Theme::Reform,
        Theme::Urban,
        Theme::Safety,
        Theme::Government,
        Theme::Overview,
    ];

    /// The stable id used in files.
    pub fn id(self) -> &'static str {
        match self {
            Theme::Poverty => "poverty",
            Theme::Rural => "rural",
            Theme::Ecology => "ecology",
            Theme::Investment => "investment",
            Theme::Livelihood => "livelihood",
            Theme::Social => "social",
            Theme::Industry => "industry",
            Theme::Innovation => "innovation",
            Theme::Reform => "reform",
            Theme::Urban => "urban",
            Theme::Safety => "safety",
            Theme::Government => "government",
            Theme::Overview => "overview",
        }
    }

    /// The codebook's Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            Theme::Poverty => "脱贫攻坚",
            Theme::Rural => "乡村振兴与农业",
            Theme::Ecology => "生态环保",
            Theme::Investment => "招商引资与对外开放",
            Theme::Livelihood => "民生保障",
            Theme::Social => "教育医疗文体",
            Theme::Industry => "产业发展",
            Theme::Innovation => "科技创新与人才",
            Theme::Reform => "改革与营商环境",
            Theme::Urban => "城乡建设与基础设施",
            Theme::Safety => "安全稳定与社会治理",
            Theme::Government => "政府自身建设",
            Theme::Overview => "总体回顾与目标",
        }
    }

    /// Position in [`Theme::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Theme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A string that is not one of the 13 theme ids.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown theme id `{0}` (expected one of: poverty, rural, ecology, investment, livelihood, social, industry, innovation, reform, urban, safety, government, overview)")]
pub struct UnknownTheme(pub String);

impl FromStr for Theme {
    type Err = UnknownTheme;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Theme::ALL
            .iter()
            .copied()
            .find(|t| t.id() == s.trim())
            .ok_or_else(|| UnknownTheme(s.to_string()))
    }
}

/// How far two theme-share vectors are apart, in percentage points: the mean
/// absolute difference over the 13 themes and the largest single difference.
/// Inputs are weights per theme (characters, say), normalised here; an empty
/// side counts as all shares 0.
pub fn share_difference_pp(a: &[f64; 13], b: &[f64; 13]) -> (f64, f64) {
    let (ta, tb) = (a.iter().sum::<f64>(), b.iter().sum::<f64>());
    let share = |w: f64, t: f64| if t > 0.0 { w / t } else { 0.0 };
    let diffs = (0..13).map(|i| (share(a[i], ta) - share(b[i], tb)).abs() * 100.0);
    let (sum, max) = diffs.fold((0.0, 0.0f64), |(s, m), d| (s + d, m.max(d)));
    (sum / 13.0, max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_difference_is_mean_and_max_of_percentage_points() {
        let mut a = [0.0; 13];
        let mut b = [0.0; 13];
        a[0] = 3.0;
        a[1] = 1.0; // 75% / 25%
        b[0] = 1.0;
        b[1] = 1.0; // 50% / 50%
        let (mean, max) = share_difference_pp(&a, &b);
        assert!((mean - 50.0 / 13.0).abs() < 1e-12, "{mean}");
        assert!((max - 25.0).abs() < 1e-12);
        assert_eq!(share_difference_pp(&a, &a), (0.0, 0.0));
        // Only proportions count, not totals.
        let doubled = a.map(|w| w * 2.0);
        assert!(share_difference_pp(&a, &doubled).1 < 1e-12);
    }

    #[test]
    fn ids_round_trip_and_index_matches_order() {
        for (i, t) in Theme::ALL.iter().enumerate() {
            assert_eq!(t.index(), i);
            assert_eq!(t.id().parse::<Theme>().unwrap(), *t);
        }
    }

    #[test]
    fn unknown_id_is_an_error() {
        assert!("povrety".parse::<Theme>().is_err());
        assert!("".parse::<Theme>().is_err());
    }
}
