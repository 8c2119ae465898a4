//! Agreement between two coders' labels of the same paragraphs (intercoder
//! reliability): how often their primary themes match, Cohen's kappa and
//! Krippendorff's alpha (nominal; what content analysis usually reports), and how
//! far apart the character-weighted theme shares of each document are — the
//! measure `eval` reports for the model, so a model's error can be set beside
//! what two careful readers differ by.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::codebook::Codebook;
use crate::corpus::LabelRow;
use crate::error::Error;
use crate::themes::{ShareTally, Theme};

/// How the two coders used one theme.
#[derive(Debug, Clone, Serialize)]
pub struct ThemeAgreement {
    /// The theme's id.
    pub theme: String,
    /// Paragraphs the first coder gave this primary theme.
    pub first: usize,
    /// Paragraphs the second coder gave it.
    pub second: usize,
    /// Paragraphs both gave it.
    pub both: usize,
    /// 2 × both / (first + second): agreement specific to this theme; `None`
    /// when neither coder used it.
    pub specific_agreement: Option<f64>,
}

/// One kind of disagreement and how often it happened.
#[derive(Debug, Clone, Serialize)]
pub struct Disagreement {
    /// The first coder's theme id.
    pub first: String,
    /// The second coder's.
    pub second: String,
    pub paragraphs: usize,
}

/// How far the two coders' shares of one document are apart.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentShareDifference {
    pub doc_id: String,
    /// Paragraphs of the document both coders labelled.
    pub paragraphs: usize,
    /// Mean absolute difference of the character-weighted shares, percentage points.
    pub share_mae_pp: f64,
    /// The largest single-theme difference, percentage points.
    pub max_difference_pp: f64,
}

/// Everything `labels agree` reports.
#[derive(Debug, Clone, Serialize)]
pub struct AgreementReport {
    /// Paragraphs both coders labelled.
    pub paragraphs: usize,
    /// Paragraphs only the first coder labelled (a second coder often codes a sample).
    pub first_only: usize,
    pub documents: usize,
    /// Share of paragraphs with the same primary theme.
    pub agreement: f64,
    /// Cohen's kappa of the primary themes; `None` when chance agreement is 1
    /// (both coders used one and the same theme throughout).
    pub cohen_kappa: Option<f64>,
    /// Krippendorff's alpha of the primary themes, nominal metric, two coders
    /// (Krippendorff 2004); `None` when only one theme was used at all.
    pub krippendorff_alpha: Option<f64>,
    /// Share of paragraphs where the primary themes match or one coder's
    /// primary is the other's secondary.
    pub agreement_with_secondary: f64,
    pub per_theme: Vec<ThemeAgreement>,
    /// Every kind of disagreement (first coder's theme, second's), most frequent first.
    pub disagreements: Vec<Disagreement>,
    /// Mean over documents of [`DocumentShareDifference::share_mae_pp`].
    pub share_mae_pp: f64,
    /// The largest [`DocumentShareDifference::share_mae_pp`].
    pub share_mae_worst_pp: f64,
    /// Every document, largest difference first.
    pub per_document: Vec<DocumentShareDifference>,
}

/// Compare a second coder's labels with the first's.
///
/// The first labels carry the text (character weights come from it); every
/// paragraph of the second must be among them, with the same text where the
/// second has text. Paragraphs only the first labelled are counted and left
/// out. Returns every problem found, each naming the second coder's file and
/// line.
pub fn compare(
    first: &[LabelRow],
    second: &[LabelRow],
    codebook: &Codebook,
) -> Result<AgreementReport, Vec<Error>> {
    let index: HashMap<(&str, usize), &LabelRow> = first
        .iter()
        .map(|r| ((r.doc_id.as_str(), r.para_id), r))
        .collect();
    let mut problems = Vec::new();
    let mut seen: HashMap<(&str, usize), &LabelRow> = HashMap::new();
    let mut pairs: Vec<(&LabelRow, &LabelRow)> = Vec::new();
    for s in second {
        let key = (s.doc_id.as_str(), s.para_id);
        if let Some(earlier) = seen.insert(key, s) {
            problems.push(Error::line(
                &s.file,
                s.line,
                format!(
                    "second label for ({}, {}); first at {}:{}",
                    s.doc_id,
                    s.para_id,
                    earlier.file.display(),
                    earlier.line
                ),
            ));
            continue;
        }
        let Some(f) = index.get(&key) else {
            problems.push(Error::line(
                &s.file,
                s.line,
                format!("({}, {}) is not in the first labels", s.doc_id, s.para_id),
            ));
            continue;
        };
        if !s.text.is_empty() && s.text != f.text {
            problems.push(Error::line(
                &s.file,
                s.line,
                format!(
                    "text of ({}, {}) differs from the first labels ({}:{})",
                    s.doc_id,
                    s.para_id,
                    f.file.display(),
                    f.line
                ),
            ));
            continue;
        }
        pairs.push((f, s));
    }
    if pairs.is_empty() && problems.is_empty() {
        problems.push(Error::Other(
            "the second labels share no paragraph with the first".into(),
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(report(&pairs, first.len(), codebook))
}

fn report(
    pairs: &[(&LabelRow, &LabelRow)],
    first_total: usize,
    codebook: &Codebook,
) -> AgreementReport {
    let n = pairs.len() as f64;
    let k = codebook.len();
    let mut first_counts = vec![0usize; k];
    let mut second_counts = vec![0usize; k];
    let mut both = vec![0usize; k];
    let mut confusions: BTreeMap<(Theme, Theme), usize> = BTreeMap::new();
    let mut lenient = 0usize;
    let mut tally = ShareTally::new(k);
    for (f, s) in pairs {
        first_counts[f.theme.index()] += 1;
        second_counts[s.theme.index()] += 1;
        if f.theme == s.theme {
            both[f.theme.index()] += 1;
        } else {
            *confusions.entry((f.theme, s.theme)).or_default() += 1;
        }
        if f.theme == s.theme || f.secondary == Some(s.theme) || s.secondary == Some(f.theme) {
            lenient += 1;
        }
        tally.add(&f.doc_id, f.text.chars().count() as f64, f.theme, s.theme);
    }
    let agreed: usize = both.iter().sum();
    let po = agreed as f64 / n;
    let pe: f64 = (0..k)
        .map(|i| first_counts[i] as f64 / n * second_counts[i] as f64 / n)
        .sum();
    let cohen_kappa = (1.0 - pe > 1e-12).then(|| (po - pe) / (1.0 - pe));
    // Nominal alpha from the coincidence matrix: every paragraph gives one
    // pairable value per coder (2N values), each disagreement two coincidences.
    let values = 2.0 * n;
    let per_value: Vec<f64> = (0..k)
        .map(|i| (first_counts[i] + second_counts[i]) as f64)
        .collect();
    let expected: f64 = values * values - per_value.iter().map(|c| c * c).sum::<f64>();
    let observed = 2.0 * (pairs.len() - agreed) as f64;
    let krippendorff_alpha = (expected > 0.0).then(|| 1.0 - (values - 1.0) * observed / expected);

    let per_theme = codebook
        .all()
        .map(|t| {
            let (a, b, c) = (
                first_counts[t.index()],
                second_counts[t.index()],
                both[t.index()],
            );
            ThemeAgreement {
                theme: codebook.id(t).to_string(),
                first: a,
                second: b,
                both: c,
                specific_agreement: (a + b > 0).then(|| 2.0 * c as f64 / (a + b) as f64),
            }
        })
        .collect();
    let mut disagreements: Vec<Disagreement> = confusions
        .into_iter()
        .map(|((first, second), paragraphs)| Disagreement {
            first: codebook.id(first).to_string(),
            second: codebook.id(second).to_string(),
            paragraphs,
        })
        .collect();
    // Stable: ties keep codebook order.
    disagreements.sort_by_key(|d| std::cmp::Reverse(d.paragraphs));

    let shares = tally.finish();
    let per_document: Vec<DocumentShareDifference> = shares
        .per_document
        .iter()
        .map(|d| DocumentShareDifference {
            doc_id: d.doc_id.to_string(),
            paragraphs: d.paragraphs,
            share_mae_pp: d.mean_pp,
            max_difference_pp: d.max_pp,
        })
        .collect();
    AgreementReport {
        paragraphs: pairs.len(),
        first_only: first_total - pairs.len(),
        documents: per_document.len(),
        agreement: po,
        cohen_kappa,
        krippendorff_alpha,
        agreement_with_secondary: lenient as f64 / n,
        per_theme,
        disagreements,
        share_mae_pp: shares.mean_pp,
        share_mae_worst_pp: shares.worst_pp,
        per_document,
    }
}

/// Rows shown of the disagreement and document tables (all are in the JSON).
const SHOWN: usize = 25;

impl AgreementReport {
    /// A readable report.
    pub fn render(&self) -> String {
        let (kappa, alpha) = (
            statistic(self.cohen_kappa),
            statistic(self.krippendorff_alpha),
        );
        let mut s = format!(
            "paragraphs compared {}  documents {}  only in the first labels {}\n\
             agreement on the primary theme {:.3}  Cohen's kappa {kappa}  Krippendorff's alpha {alpha}\n\
             agreement allowing either side's secondary theme {:.3}\n\n",
            self.paragraphs,
            self.documents,
            self.first_only,
            self.agreement,
            self.agreement_with_secondary
        );
        s.push_str("theme         first second   both  specific agreement\n");
        for t in &self.per_theme {
            let specific = t
                .specific_agreement
                .map_or_else(|| "-".to_string(), |a| format!("{a:.3}"));
            s.push_str(&format!(
                "{:<12} {:>6} {:>6} {:>6}  {specific:>8}\n",
                t.theme, t.first, t.second, t.both
            ));
        }
        s.push_str("\ndisagreements, most frequent first (first coder -> second coder)\n");
        if self.disagreements.is_empty() {
            s.push_str("none\n");
        }
        for d in self.disagreements.iter().take(SHOWN) {
            s.push_str(&format!(
                "{:<12} -> {:<12} {:>5}\n",
                d.first, d.second, d.paragraphs
            ));
        }
        more(&mut s, self.disagreements.len(), "kinds of disagreement");
        s.push_str(&format!(
            "\nshare difference by document (character-weighted, percentage points): mean abs {:.2}, worst document {:.2}\n\
             document                     paras  mean abs  largest theme\n",
            self.share_mae_pp, self.share_mae_worst_pp
        ));
        for d in self.per_document.iter().take(SHOWN) {
            s.push_str(&format!(
                "{:<28} {:>5} {:>9.2} {:>14.2}\n",
                d.doc_id, d.paragraphs, d.share_mae_pp, d.max_difference_pp
            ));
        }
        more(&mut s, self.per_document.len(), "documents");
        s
    }
}

/// A reliability statistic to three decimals, `n/a` where it is undefined.
pub fn statistic(x: Option<f64>) -> String {
    x.map_or_else(|| "n/a".to_string(), |k| format!("{k:.3}"))
}

fn more(s: &mut String, total: usize, what: &str) {
    if total > SHOWN {
        s.push_str(&format!(
            "… {} more {what} (all with --json)\n",
            total - SHOWN
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn bundled() -> Codebook {
        Codebook::bundled().unwrap()
    }

    fn row(doc: &str, para: usize, text: &str, theme: Theme, secondary: Option<Theme>) -> LabelRow {
        LabelRow {
            doc_id: doc.into(),
            para_id: para,
            text: text.into(),
            theme,
            secondary,
            file: PathBuf::from("first.csv"),
            line: para as u64 + 2,
        }
    }

    fn second(rows: &[LabelRow]) -> Vec<LabelRow> {
        rows.iter()
            .map(|r| LabelRow {
                file: PathBuf::from("second.csv"),
                ..r.clone()
            })
            .collect()
    }

    #[test]
    fn identical_labels_agree_fully() {
        let a = vec![
            row("d", 0, "一二三", Theme::Rural, None),
            row("d", 1, "四五", Theme::Urban, None),
            row("e", 0, "六", Theme::Rural, None),
        ];
        let r = compare(&a, &second(&a), &bundled()).unwrap();
        assert_eq!(r.agreement, 1.0);
        assert_eq!(r.cohen_kappa, Some(1.0));
        assert_eq!(r.krippendorff_alpha, Some(1.0));
        assert_eq!(r.share_mae_worst_pp, 0.0);
        assert!(r.disagreements.is_empty());
        assert_eq!(r.documents, 2);
    }

    #[test]
    fn kappa_shares_and_disagreements_match_hand_computation() {
        // First: R R U U; second: R U U U. Agreement 3/4.
        // Marginals: first R 1/2, U 1/2; second R 1/4, U 3/4 -> pe = 1/8 + 3/8 = 1/2.
        // kappa = (3/4 - 1/2) / (1 - 1/2) = 1/2.
        let a = vec![
            row("d", 0, "一", Theme::Rural, None),
            row("d", 1, "二二二", Theme::Rural, Some(Theme::Urban)),
            row("d", 2, "三三", Theme::Urban, None),
            row("d", 3, "四四", Theme::Urban, None),
        ];
        let mut b = second(&a);
        b[1].theme = Theme::Urban;
        b[1].secondary = None;
        let r = compare(&a, &b, &bundled()).unwrap();
        assert!((r.agreement - 0.75).abs() < 1e-12);
        assert!((r.cohen_kappa.unwrap() - 0.5).abs() < 1e-12);
        // Alpha: 8 values, R 3 and U 5; one disagreement = 2 coincidences.
        // 1 - (8 - 1) * 2 / (2 * 3 * 5) = 1 - 14/30.
        assert!((r.krippendorff_alpha.unwrap() - (1.0 - 14.0 / 30.0)).abs() < 1e-12);
        // The changed paragraph's primary is the first coder's secondary.
        assert_eq!(r.agreement_with_secondary, 1.0);
        // Characters: 8 in all; first R 4/8, U 4/8; second R 1/8, U 7/8.
        // Differences 37.5 pp on two themes: mean 75/13, largest 37.5.
        let d = &r.per_document[0];
        assert!(
            (d.share_mae_pp - 75.0 / 13.0).abs() < 1e-9,
            "{}",
            d.share_mae_pp
        );
        assert!((d.max_difference_pp - 37.5).abs() < 1e-9);
        assert_eq!(r.disagreements.len(), 1);
        assert_eq!(
            (
                r.disagreements[0].first.as_str(),
                r.disagreements[0].second.as_str()
            ),
            ("rural", "urban")
        );
        let rural = &r.per_theme[Theme::Rural.index()];
        assert_eq!((rural.first, rural.second, rural.both), (2, 1, 1));
        assert!((rural.specific_agreement.unwrap() - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(r.per_theme[Theme::Poverty.index()].specific_agreement, None);
    }

    #[test]
    fn a_sample_is_compared_on_its_own_paragraphs() {
        let a = vec![
            row("d", 0, "一", Theme::Rural, None),
            row("d", 1, "二", Theme::Urban, None),
            row("d", 2, "三", Theme::Safety, None),
        ];
        let b = second(&a[1..2]);
        let r = compare(&a, &b, &bundled()).unwrap();
        assert_eq!((r.paragraphs, r.first_only), (1, 2));
        // One theme throughout on both sides: chance agreement is 1, kappa undefined.
        assert_eq!(r.cohen_kappa, None);
        assert_eq!(r.krippendorff_alpha, None);
        assert!(r
            .render()
            .contains("Cohen's kappa n/a  Krippendorff's alpha n/a"));
    }

    #[test]
    fn unknown_paragraphs_other_text_and_repeats_are_errors_naming_the_line() {
        let a = vec![row("d", 0, "一", Theme::Rural, None)];
        let mut b = second(&a);
        b.push(row("d", 7, "", Theme::Rural, None));
        b[1].file = PathBuf::from("second.csv");
        b.push(LabelRow {
            line: 20,
            ..b[0].clone()
        });
        b[0].text = "另".into();
        let errs: Vec<String> = compare(&a, &b, &bundled())
            .unwrap_err()
            .iter()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(errs.len(), 3, "{errs:?}");
        assert!(
            errs[0].starts_with("second.csv:2: text of (d, 0) differs"),
            "{errs:?}"
        );
        assert!(
            errs[1].starts_with("second.csv:9: (d, 7) is not in the first labels"),
            "{errs:?}"
        );
        assert!(
            errs[2].starts_with("second.csv:20: second label for (d, 0)"),
            "{errs:?}"
        );
        assert!(compare(&a, &[], &bundled()).is_err());
    }
}
