//! Themes as run-time indices into a [`Codebook`](crate::codebook::Codebook),
//! and how far two labellings' theme shares are apart.
//!
//! Ids are stable: models, label files and summaries use the codebook's id strings.

use std::collections::BTreeMap;

/// One theme: its position in the codebook's theme table (the column order
/// of every table). Names and ids are looked up in the codebook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Theme(u16);

impl Theme {
    /// The theme at this position of a codebook (callers keep it in range).
    pub fn from_index(i: usize) -> Theme {
        // Codebooks hold at most u16::MAX themes (checked when parsed).
        Theme(u16::try_from(i).unwrap_or(u16::MAX))
    }

    /// Position in the codebook.
    pub fn index(self) -> usize {
        usize::from(self.0)
    }
}

/// The bundled codebook's themes by position, for unit tests only (named as
/// the enum they replace, so tests read as before).
#[cfg(test)]
#[allow(non_upper_case_globals)]
impl Theme {
    pub const Poverty: Theme = Theme(0);
    pub const Rural: Theme = Theme(1);
    pub const Ecology: Theme = Theme(2);
    pub const Investment: Theme = Theme(3);
    pub const Livelihood: Theme = Theme(4);
    pub const Social: Theme = Theme(5);
    pub const Industry: Theme = Theme(6);
    pub const Innovation: Theme = Theme(7);
    pub const Reform: Theme = Theme(8);
    pub const Urban: Theme = Theme(9);
    pub const Safety: Theme = Theme(10);
    pub const Government: Theme = Theme(11);
    pub const Overview: Theme = Theme(12);
    /// How many themes the bundled codebook has.
    pub const BUNDLED: usize = Theme::Overview.0 as usize + 1;
}

/// A string that is neither an id nor a Chinese name of the codebook in use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown theme id `{given}` (expected one of: {known})")]
pub struct UnknownTheme {
    pub given: String,
    /// The codebook's ids, comma-separated.
    pub known: String,
}

/// How far two theme-share vectors are apart, in percentage points: the mean
/// absolute difference over the themes and the largest single difference.
/// Inputs are weights per theme (characters, say), normalised here; an empty
/// side counts as all shares 0.
pub fn share_difference_pp(a: &[f64], b: &[f64]) -> (f64, f64) {
    let (ta, tb) = (a.iter().sum::<f64>(), b.iter().sum::<f64>());
    let share = |w: f64, t: f64| if t > 0.0 { w / t } else { 0.0 };
    let diffs = a
        .iter()
        .zip(b)
        .map(|(&x, &y)| (share(x, ta) - share(y, tb)).abs() * 100.0);
    let (sum, max) = diffs.fold((0.0, 0.0f64), |(s, m), d| (s + d, m.max(d)));
    (sum / a.len().max(1) as f64, max)
}

/// The character-weighted theme shares of two labellings of the same
/// paragraphs (gold and predicted, or two coders), per document.
#[derive(Debug)]
pub struct ShareTally<'a> {
    /// Themes of the codebook in use.
    themes: usize,
    /// Per document: weights of the first labelling, of the second, paragraphs.
    docs: BTreeMap<&'a str, (Vec<f64>, Vec<f64>, usize)>,
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
    /// An empty tally over `themes` themes.
    pub fn new(themes: usize) -> Self {
        ShareTally {
            themes,
            docs: BTreeMap::new(),
        }
    }

    /// Count one paragraph of `chars` characters, labelled `a` by the first
    /// labelling and `b` by the second.
    pub fn add(&mut self, doc_id: &'a str, chars: f64, a: Theme, b: Theme) {
        let n = self.themes;
        let d = self
            .docs
            .entry(doc_id)
            .or_insert_with(|| (vec![0.0; n], vec![0.0; n], 0));
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
        let mut a = vec![0.0; Theme::BUNDLED];
        let mut b = vec![0.0; Theme::BUNDLED];
        a[0] = 3.0;
        a[1] = 1.0; // 75% / 25%
        b[0] = 1.0;
        b[1] = 1.0; // 50% / 50%
        let (mean, max) = share_difference_pp(&a, &b);
        assert!((mean - 50.0 / 13.0).abs() < 1e-12, "{mean}");
        assert!((max - 25.0).abs() < 1e-12);
        assert_eq!(share_difference_pp(&a, &a), (0.0, 0.0));
        // Only proportions count, not totals.
        let doubled: Vec<f64> = a.iter().map(|w| w * 2.0).collect();
        assert!(share_difference_pp(&a, &doubled).1 < 1e-12);
    }

    #[test]
    fn a_tally_summarises_documents_worst_first() {
        let mut t = ShareTally::new(Theme::BUNDLED);
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
}
