//! Drill-down: the paragraphs behind one cell of a share table, and the share
//! they add up to, computed as [`ShareTable`](super::ShareTable) computes it.

use std::io::Write;

use crate::codebook::Codebook;
use crate::error::{Error, Result};
use crate::labelling::rows::{LabelledRow, UNCERTAIN};
use crate::shares::table::Weight;
use crate::themes::Theme;

/// Which paragraphs to show; every filter given must match.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    /// A region as `summary` names its rows (see [`LabelledRow::region_key`]).
    pub region: Option<String>,
    pub theme: Option<Theme>,
    pub doc: Option<String>,
    pub year: Option<u16>,
    pub kind: Option<String>,
}

impl Filter {
    /// Whether a row matches every filter but the theme: the rows whose
    /// labelled text the share is taken of, as in the `summary` row of the
    /// same group.
    pub fn in_context(&self, r: &LabelledRow) -> bool {
        self.region
            .as_ref()
            .is_none_or(|g| r.region_key() == g.trim())
            && self.doc.as_ref().is_none_or(|d| r.doc_id == d.trim())
            && self.year.is_none_or(|y| r.year == Some(y))
            && self.kind.as_ref().is_none_or(|k| r.kind == k.trim())
    }

    /// The non-theme filters in words, e.g. `region 九原区, year 2022`.
    pub fn context(&self) -> String {
        let mut parts = Vec::new();
        if let Some(r) = &self.region {
            parts.push(format!("region {r}"));
        }
        if let Some(d) = &self.doc {
            parts.push(format!("document {d}"));
        }
        if let Some(y) = self.year {
            parts.push(format!("year {y}"));
        }
        if let Some(k) = &self.kind {
            parts.push(format!("kind {}", crate::shares::kinds::label(k)));
        }
        if parts.is_empty() {
            "all paragraphs".into()
        } else {
            parts.join(", ")
        }
    }
}

/// The paragraphs a filter selects, most confident first, and what they weigh.
#[derive(Debug, Clone)]
pub struct Drill<'a> {
    pub filter: Filter,
    pub weight: Weight,
    pub rows: Vec<&'a LabelledRow>,
    /// Characters of the rows shown.
    pub chars: usize,
    /// What the rows shown weigh (uncertain rows weigh nothing, as in `summary`).
    pub weight_shown: f64,
    /// What the labelled rows of the context (every filter but the theme) weigh.
    pub weight_context: f64,
    /// Paragraphs of the context.
    pub context_paragraphs: usize,
}

impl Drill<'_> {
    /// The share the rows add up to: `summary`'s share for this group and
    /// theme; `None` when the context has no labelled text.
    pub fn share(&self) -> Option<f64> {
        (self.weight_context > 0.0).then(|| self.weight_shown / self.weight_context)
    }

    /// The closing line: how many paragraphs, and the share they make.
    pub fn footer(&self, codebook: &Codebook) -> String {
        let unit = match self.weight {
            Weight::Chars => "labelled characters",
            Weight::Paragraphs => "labelled paragraphs",
        };
        let what = match self.filter.theme {
            Some(t) => format!("labelled {}", codebook.id(t)),
            None => "shown".into(),
        };
        let share = match self.share() {
            Some(s) => format!("{:.1}% (share {s:.6})", 100.0 * s),
            None => "no share (no labelled text)".into(),
        };
        format!(
            "{} paragraph(s) {what}, {} characters: {share} of the {} {unit} of {} ({} paragraphs)",
            self.rows.len(),
            self.chars,
            self.weight_context,
            self.filter.context(),
            self.context_paragraphs
        )
    }

    /// The closing line when the context holds several kinds of document:
    /// what is listed, then the share of each kind (`parts`, from
    /// [`per_kind`]), as `summary` gives them when it keeps kinds apart.
    pub fn footer_by_kind(&self, parts: &[Drill], codebook: &Codebook) -> String {
        let what = match self.filter.theme {
            Some(t) => format!("labelled {}", codebook.id(t)),
            None => "shown".into(),
        };
        let each: Vec<String> = parts.iter().map(|p| p.footer(codebook)).collect();
        format!(
            "{} paragraph(s) {what}, {} characters, of {} ({} paragraphs), from {} kinds of \
             document, whose shares are kept apart as summary keeps them (--kind K lists one \
             kind, --pool-kinds gives the pooled share): {}",
            self.rows.len(),
            self.chars,
            self.filter.context(),
            self.context_paragraphs,
            parts.len(),
            each.join("; ")
        )
    }

    /// The rows as CSV: the columns of a listing, text last.
    pub fn write_csv(&self, out: &mut dyn Write, codebook: &Codebook) -> Result<()> {
        let err = |e: csv::Error| Error::Other(format!("writing CSV: {e}"));
        let mut w = csv::Writer::from_writer(out);
        w.write_record(COLUMNS).map_err(err)?;
        for r in &self.rows {
            w.write_record([
                r.doc_id.clone(),
                r.para_id.to_string(),
                r.region.clone(),
                r.year.map(|y| y.to_string()).unwrap_or_default(),
                r.kind.clone(),
                r.section.clone(),
                r.theme
                    .map(|t| codebook.id(t))
                    .unwrap_or(UNCERTAIN)
                    .to_string(),
                format!("{:.4}", r.confidence),
                r.text.chars().count().to_string(),
                r.text.clone(),
            ])
            .map_err(err)?;
        }
        w.flush().map_err(|e| Error::Other(e.to_string()))
    }
}

/// The columns of [`Drill::write_csv`].
pub const COLUMNS: [&str; 10] = [
    "doc_id",
    "para_id",
    "region",
    "year",
    "kind",
    "section",
    "theme",
    "confidence",
    "chars",
    "text",
];

/// Select the rows of a filter, most confident first (then in file order).
pub fn drill<'a>(rows: &'a [LabelledRow], filter: &Filter, weight: Weight) -> Drill<'a> {
    let context: Vec<&LabelledRow> = rows.iter().filter(|r| filter.in_context(r)).collect();
    let weight_context = context
        .iter()
        .filter(|r| r.theme.is_some())
        .map(|r| weight.of(r))
        .sum();
    let mut shown: Vec<&LabelledRow> = context
        .iter()
        .copied()
        .filter(|r| filter.theme.is_none_or(|t| r.theme == Some(t)))
        .collect();
    // Stable: equal confidences keep file order.
    shown.sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
    let weight_shown = shown
        .iter()
        .filter(|r| r.theme.is_some())
        .map(|r| weight.of(r))
        .sum();
    Drill {
        filter: filter.clone(),
        weight,
        chars: shown.iter().map(|r| r.text.chars().count()).sum(),
        weight_shown,
        weight_context,
        context_paragraphs: context.len(),
        rows: shown,
    }
}

/// One drill per kind of document of the filter's context, when it holds
/// more than one kind and no `--kind` was given (else none).
pub fn per_kind<'a>(rows: &'a [LabelledRow], filter: &Filter, weight: Weight) -> Vec<Drill<'a>> {
    if filter.kind.is_some() {
        return Vec::new();
    }
    let kinds: std::collections::BTreeSet<&str> = rows
        .iter()
        .filter(|r| filter.in_context(r))
        .map(|r| r.kind.as_str())
        .collect();
    if kinds.len() < 2 {
        return Vec::new();
    }
    kinds
        .into_iter()
        .map(|k| {
            let f = Filter {
                kind: Some(k.to_string()),
                ..filter.clone()
            };
            drill(rows, &f, weight)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shares::table::{GroupBy, ShareTable};

    fn row(
        doc: &str,
        region: &str,
        year: u16,
        theme: Option<Theme>,
        conf: f64,
        text: &str,
    ) -> LabelledRow {
        LabelledRow {
            doc_id: doc.into(),
            para_id: 0,
            region: region.into(),
            region_code: String::new(),
            province: String::new(),
            prefecture: String::new(),
            year: Some(year),
            kind: "work_report".into(),
            section: "plan".into(),
            theme,
            confidence: conf,
            secondary: None,
            text: text.into(),
            explain: None,
        }
    }

    fn rows() -> Vec<LabelledRow> {
        vec![
            row("a", "甲市", 2022, Some(Theme::Ecology), 0.5, "一二三"),
            row("a", "甲市", 2022, Some(Theme::Ecology), 0.9, "一"),
            row("a", "甲市", 2022, Some(Theme::Rural), 0.8, "一二三四"),
            row("a", "甲市", 2022, None, 0.2, "不确定的段落"),
            row("b", "甲市", 2023, Some(Theme::Ecology), 0.7, "一二"),
            row("c", "乙县", 2022, Some(Theme::Ecology), 0.99, "一二三四五"),
        ]
    }

    #[test]
    fn the_share_is_summarys_share_for_every_grouping() {
        let rows = rows();
        for (by, filter) in [
            (
                "region",
                Filter {
                    region: Some("甲市".into()),
                    ..Filter::default()
                },
            ),
            (
                "region,year",
                Filter {
                    region: Some("甲市".into()),
                    year: Some(2022),
                    ..Filter::default()
                },
            ),
            (
                "doc",
                Filter {
                    doc: Some("b".into()),
                    ..Filter::default()
                },
            ),
        ] {
            let by: GroupBy = by.parse().unwrap();
            for weight in [Weight::Chars, Weight::Paragraphs] {
                let cb = Codebook::bundled().unwrap();
                let table = ShareTable::compute(&rows, &by, weight, &cb);
                let d0 = drill(&rows, &filter, weight);
                let key = by.key_of(d0.rows[0]);
                let srow = table.rows.iter().find(|r| r.key == key).unwrap();
                for t in cb.all() {
                    let f = Filter {
                        theme: Some(t),
                        ..filter.clone()
                    };
                    let d = drill(&rows, &f, weight);
                    let share = d.share().unwrap();
                    assert!((share - srow.shares[t.index()]).abs() < 1e-12, "{f:?}");
                    assert!(d.rows.iter().all(|r| r.theme == Some(t)));
                }
            }
        }
    }

    #[test]
    fn rows_come_most_confident_first_and_the_footer_says_what_they_weigh() {
        let rows = rows();
        let f = Filter {
            region: Some("甲市".into()),
            theme: Some(Theme::Ecology),
            ..Filter::default()
        };
        let d = drill(&rows, &f, Weight::Chars);
        let conf: Vec<f64> = d.rows.iter().map(|r| r.confidence).collect();
        assert_eq!(conf, [0.9, 0.7, 0.5]);
        assert_eq!(d.chars, 6);
        // 6 of the 10 labelled characters (the uncertain paragraph is not counted).
        assert!((d.share().unwrap() - 0.6).abs() < 1e-12);
        let footer = d.footer(&Codebook::bundled().unwrap());
        assert!(footer.contains("60.0% (share 0.600000)"), "{footer}");
        assert!(footer.contains("region 甲市"), "{footer}");
        let mut csv = Vec::new();
        d.write_csv(&mut csv, &Codebook::bundled().unwrap())
            .unwrap();
        let csv = String::from_utf8(csv).unwrap();
        assert_eq!(csv.lines().count(), 4);
        assert!(csv
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("a,0,甲市,2022,work_report,plan,ecology,0.9000,1,一"));
    }
}
