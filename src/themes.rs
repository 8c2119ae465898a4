//! The 13 theme ids of the codebook (`labels/CODEBOOK.md`, v1.2).
//!
//! Ids are stable: models, label files and summaries use exactly these strings.

use std::collections::BTreeMap;
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

/// The character-weighted theme shares of two labellings of the same
/// paragraphs (gold and predicted, or two coders), per document.
#[derive(Debug, Default)]
pub struct ShareTally<'a> {
    /// Per document: weights of the first labelling, of the second, paragraphs.
    docs: BTreeMap<&'a str, ([f64; 13], [f64; 13], usize)>,
}

/// How far one document's two sets of shares are apart ([`share_difference_pp`]).
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentDifference<'a> {
    pub doc_id: &'a str,
    pub paragraphs: usize,
    pub mean_pp: f64,
    pub max_pp: f64,
}

/// Every document's difference, and their summaries.
#[derive(Debug, Clone, PartialEq)]
pub struct ShareDifferences<'a> {
    /// Largest mean difference first (ties by document id).
    pub per_document: Vec<DocumentDifference<'a>>,
    /// Mean over documents of `mean_pp`.
    pub mean_pp: f64,
    /// The largest `mean_pp`.
    pub worst_pp: f64,
    /// Mean over documents of `max_pp`.
    pub mean_max_pp: f64,
}

impl<'a> ShareTally<'a> {
    /// Count one paragraph of `chars` characters, labelled `a` by the first
    /// labelling and `b` by the second.
    pub fn add(&mut self, doc_id: &'a str, chars: f64, a: Theme, b: Theme) {
        let d = self.docs.entry(doc_id).or_insert(([0.0; 13], [0.0; 13], 0));
        d.0[a.index()] += chars;
        d.1[b.index()] += chars;
        d.2 += 1;
    }

    /// The differences of every document counted.
    pub fn finish(self) -> ShareDifferences<'a> {
        let mut per_document: Vec<DocumentDifference<'a>> = self
            .docs
            .into_iter()
            .map(|(doc_id, (a, b, paragraphs))| {
                let (mean_pp, max_pp) = share_difference_pp(&a, &b);
                DocumentDifference {
                    doc_id,
                    paragraphs,
                    mean_pp,
                    max_pp,
                }
            })
            .collect();
        // Summed in document-id order, before sorting.
        let n = per_document.len().max(1) as f64;
        let mean_pp = per_document.iter().map(|d| d.mean_pp).sum::<f64>() / n;
        let mean_max_pp = per_document.iter().map(|d| d.max_pp).sum::<f64>() / n;
        let worst_pp = per_document.iter().map(|d| d.mean_pp).fold(0.0, f64::max);
        per_document.sort_by(|a, b| {
            b.mean_pp
                .total_cmp(&a.mean_pp)
                .then_with(|| a.doc_id.cmp(b.doc_id))
        });
        ShareDifferences {
            per_document,
            mean_pp,
            worst_pp,
            mean_max_pp,
        }
    }
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
    fn a_tally_summarises_documents_worst_first() {
        let mut t = ShareTally::default();
        // Document b: 3 of 4 characters agree. Document a: all agree.
        t.add("b", 3.0, Theme::Rural, Theme::Rural);
        t.add("b", 1.0, Theme::Rural, Theme::Urban);
        t.add("a", 5.0, Theme::Safety, Theme::Safety);
        let d = t.finish();
        let order: Vec<(&str, usize)> = d
            .per_document
            .iter()
            .map(|x| (x.doc_id, x.paragraphs))
            .collect();
        assert_eq!(order, [("b", 2), ("a", 1)]);
        // b: rural 100% vs 75%, urban 0 vs 25%: mean 50/13, largest 25.
        assert!((d.per_document[0].mean_pp - 50.0 / 13.0).abs() < 1e-12);
        assert!((d.per_document[0].max_pp - 25.0).abs() < 1e-12);
        assert!((d.mean_pp - 25.0 / 13.0).abs() < 1e-12);
        assert!((d.worst_pp - 50.0 / 13.0).abs() < 1e-12);
        assert!((d.mean_max_pp - 12.5).abs() < 1e-12);
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
