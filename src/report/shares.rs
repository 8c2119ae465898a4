//! Theme shares per group: one row per group, one column per theme, rows sum to 1.

use std::collections::BTreeMap;
use std::io::Write;

use crate::error::{Error, Result};
use crate::report::rows::LabelledRow;
use crate::themes::Theme;

/// A field to group by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Region,
    Doc,
    Year,
    Section,
    Kind,
}

impl Field {
    pub fn name(self) -> &'static str {
        match self {
            Field::Region => "region",
            Field::Doc => "doc_id",
            Field::Year => "year",
            Field::Section => "section",
            Field::Kind => "kind",
        }
    }
    fn value(self, r: &LabelledRow) -> String {
        match self {
            Field::Region => r.region.clone(),
            Field::Doc => r.doc_id.clone(),
            Field::Year => r.year.map(|y| y.to_string()).unwrap_or_default(),
            Field::Section => r.section.clone(),
            Field::Kind => r.kind.clone(),
        }
    }
}

/// Grouping: a comma-separated list of fields such as `region,year`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupBy(pub Vec<Field>);

impl std::str::FromStr for GroupBy {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let fields = s
            .split(',')
            .map(|f| match f.trim() {
                "region" => Ok(Field::Region),
                "doc" | "doc_id" => Ok(Field::Doc),
                "year" => Ok(Field::Year),
                "section" => Ok(Field::Section),
                "kind" => Ok(Field::Kind),
                other => Err(format!(
                    "unknown grouping field `{other}` (region, doc, year, section, kind)"
                )),
            })
            .collect::<std::result::Result<Vec<_>, _>>()?;
        if fields.is_empty() {
            return Err("empty grouping".into());
        }
        Ok(GroupBy(fields))
    }
}

/// What a paragraph weighs in its group's shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Weight {
    /// Characters of text (long paragraphs count more).
    #[default]
    Chars,
    /// Each paragraph counts once.
    Paragraphs,
}

impl Weight {
    pub fn of(self, r: &LabelledRow) -> f64 {
        match self {
            Weight::Chars => r.text.chars().count() as f64,
            Weight::Paragraphs => 1.0,
        }
    }
}

/// One group's shares.
#[derive(Debug, Clone, PartialEq)]
pub struct ShareRow {
    pub key: Vec<String>,
    pub paragraphs: usize,
    pub chars: usize,
    /// Paragraphs labelled `uncertain` (left out of the shares).
    pub uncertain: usize,
    /// Share per theme in [`Theme::ALL`] order; sums to 1 unless the group has no labelled text.
    pub shares: [f64; 13],
}

/// Shares for every group.
#[derive(Debug, Clone, PartialEq)]
pub struct ShareTable {
    pub group: Vec<Field>,
    pub rows: Vec<ShareRow>,
}

impl ShareTable {
    pub fn compute(rows: &[LabelledRow], by: &GroupBy, weight: Weight) -> ShareTable {
        let mut acc: BTreeMap<Vec<String>, ([f64; 13], usize, usize, usize)> = BTreeMap::new();
        for r in rows {
            let key: Vec<String> = by.0.iter().map(|f| f.value(r)).collect();
            let e = acc.entry(key).or_insert(([0.0; 13], 0, 0, 0));
            e.1 += 1;
            e.2 += r.text.chars().count();
            match r.theme {
                Some(t) => e.0[t.index()] += weight.of(r),
                None => e.3 += 1,
            }
        }
        let rows = acc
            .into_iter()
            .map(|(key, (w, paragraphs, chars, uncertain))| {
                let total: f64 = w.iter().sum();
                let mut shares = [0.0; 13];
                if total > 0.0 {
                    for i in 0..13 {
                        shares[i] = w[i] / total;
                    }
                }
                ShareRow {
                    key,
                    paragraphs,
                    chars,
                    uncertain,
                    shares,
                }
            })
            .collect();
        ShareTable {
            group: by.0.clone(),
            rows,
        }
    }

    /// CSV: group columns, `paragraphs,chars,uncertain`, then one column per theme.
    pub fn write_csv<W: Write>(&self, out: W) -> Result<()> {
        let mut w = csv::Writer::from_writer(out);
        let mut header: Vec<String> = self.group.iter().map(|f| f.name().to_string()).collect();
        header.extend(["paragraphs", "chars", "uncertain"].map(String::from));
        header.extend(Theme::ALL.iter().map(|t| t.id().to_string()));
        w.write_record(&header).map_err(csv_err)?;
        for r in &self.rows {
            let mut rec = r.key.clone();
            rec.push(r.paragraphs.to_string());
            rec.push(r.chars.to_string());
            rec.push(r.uncertain.to_string());
            rec.extend(r.shares.iter().map(|s| format!("{s:.6}")));
            w.write_record(&rec).map_err(csv_err)?;
        }
        w.flush().map_err(|e| Error::Other(e.to_string()))
    }

    /// A readable table in percent, one row per group.
    pub fn render(&self) -> String {
        let keys: Vec<String> = self
            .rows
            .iter()
            .map(|r| {
                r.key
                    .iter()
                    .map(|k| if k.is_empty() { "(none)" } else { k })
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        let title = self
            .group
            .iter()
            .map(|f| f.name())
            .collect::<Vec<_>>()
            .join(" ");
        let kw = keys
            .iter()
            .map(|k| display_width(k))
            .max()
            .unwrap_or(0)
            .max(display_width(&title));
        let mut out = String::new();
        out.push_str(&pad(&title, kw));
        out.push_str("  paras");
        for t in Theme::ALL {
            out.push_str(&format!(" {:>6}", abbrev(t)));
        }
        out.push('\n');
        for (k, r) in keys.iter().zip(&self.rows) {
            out.push_str(&pad(k, kw));
            out.push_str(&format!("  {:>5}", r.paragraphs));
            for s in r.shares {
                out.push_str(&format!(" {:>6.1}", s * 100.0));
            }
            out.push('\n');
        }
        out.push_str("(percent of ");
        out.push_str("labelled text per row; each row sums to 100)\n");
        out
    }
}

/// Six-letter column heads for the terminal table.
pub fn abbrev(t: Theme) -> &'static str {
    match t {
        Theme::Poverty => "povert",
        Theme::Rural => "rural",
        Theme::Ecology => "ecolog",
        Theme::Investment => "invest",
        Theme::Livelihood => "liveli",
        Theme::Social => "social",
        Theme::Industry => "indust",
        Theme::Innovation => "innov",
        Theme::Reform => "reform",
        Theme::Urban => "urban",
        Theme::Safety => "safety",
        Theme::Government => "govern",
        Theme::Overview => "overvw",
    }
}

/// Terminal columns a string takes: CJK and full-width characters take two.
pub fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let u = c as u32;
            if (0x1100..=0x115F).contains(&u)
                || (0x2E80..=0xA4CF).contains(&u)
                || (0xAC00..=0xD7A3).contains(&u)
                || (0xF900..=0xFAFF).contains(&u)
                || (0xFE30..=0xFE4F).contains(&u)
                || (0xFF00..=0xFF60).contains(&u)
                || (0xFFE0..=0xFFE6).contains(&u)
            {
                2
            } else {
                1
            }
        })
        .sum()
}

fn pad(s: &str, width: usize) -> String {
    let w = display_width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

fn csv_err(e: csv::Error) -> Error {
    Error::Other(format!("writing CSV: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(region: &str, theme: Option<Theme>, text: &str) -> LabelledRow {
        LabelledRow {
            doc_id: format!("{region}-doc"),
            para_id: 0,
            region: region.into(),
            year: Some(2022),
            kind: "work_report".into(),
            section: "plan".into(),
            theme,
            confidence: 0.9,
            secondary: None,
            text: text.into(),
            explain: None,
        }
    }

    #[test]
    fn shares_sum_to_one_and_weigh_by_chars_or_paragraphs() {
        let rows = vec![
            row("甲市", Some(Theme::Ecology), "一二三"),
            row("甲市", Some(Theme::Industry), "一"),
            row("甲市", None, "不确定的段落"),
            row("乙县", Some(Theme::Rural), "一二"),
        ];
        let by: GroupBy = "region".parse().unwrap();
        let t = ShareTable::compute(&rows, &by, Weight::Chars);
        assert_eq!(t.rows.len(), 2);
        let jia = t.rows.iter().find(|r| r.key[0] == "甲市").unwrap();
        assert!((jia.shares[Theme::Ecology.index()] - 0.75).abs() < 1e-12);
        assert_eq!(jia.uncertain, 1);
        for r in &t.rows {
            assert!((r.shares.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        }
        let p = ShareTable::compute(&rows, &by, Weight::Paragraphs);
        let jia = p.rows.iter().find(|r| r.key[0] == "甲市").unwrap();
        assert!((jia.shares[Theme::Ecology.index()] - 0.5).abs() < 1e-12);
        assert!(t.render().contains("甲市"));
        assert!("region,year".parse::<GroupBy>().is_ok());
        assert!("county".parse::<GroupBy>().is_err());
    }
}
