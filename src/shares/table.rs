//! Theme shares per group: one row per group, one column per theme, rows sum to 1.

use std::collections::BTreeMap;
use std::io::Write;

use crate::codebook::Codebook;
use crate::error::{Error, Result};
use crate::labelling::rows::LabelledRow;
use crate::shares::adjust::Adjuster;
use crate::shares::bootstrap::{stream_seed, Contribution, Interval, SplitMix64, Strata};
pub use crate::shares::Weight;

/// A field to group by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Region,
    Doc,
    Year,
    Section,
    Kind,
    /// The kind of document, added by [`GroupBy::keeping_kinds`] rather than
    /// asked for: shown and written as `kind`, but left out of the bootstrap's
    /// seed (see [`GroupBy::seed_key`]).
    KeptKind,
}

impl Field {
    pub fn name(self) -> &'static str {
        match self {
            Field::Region => "region",
            Field::Doc => "doc_id",
            Field::Year => "year",
            Field::Section => "section",
            Field::Kind | Field::KeptKind => "kind",
        }
    }
    pub fn value(self, r: &LabelledRow) -> String {
        match self {
            Field::Region => r.region_key(),
            Field::Doc => r.doc_id.clone(),
            Field::Year => r.year.map(|y| y.to_string()).unwrap_or_default(),
            Field::Section => r.section.clone(),
            Field::Kind | Field::KeptKind => r.kind.clone(),
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

impl GroupBy {
    /// The group a row belongs to.
    pub fn key_of(&self, r: &LabelledRow) -> Vec<String> {
        self.0.iter().map(|f| f.value(r)).collect()
    }

    /// The grouping with kinds of document kept apart: `kind` added after
    /// `region` (else last), so that a region's work report, plan report
    /// and articles are separate rows and a `region,year` trend joins
    /// documents of one kind. Unchanged when it has `kind` already, or `doc`
    /// (a document is of one kind).
    pub fn keeping_kinds(mut self) -> GroupBy {
        if self
            .0
            .iter()
            .any(|f| matches!(f, Field::Kind | Field::KeptKind | Field::Doc))
        {
            return self;
        }
        let at = match self.0.iter().position(|f| *f == Field::Region) {
            Some(i) => i + 1,
            None => self.0.len(),
        };
        self.0.insert(at, Field::KeptKind);
        self
    }

    /// Whether [`keeping_kinds`](Self::keeping_kinds) added `kind`.
    pub fn keeps_kinds_apart(&self) -> bool {
        self.0.contains(&Field::KeptKind)
    }

    /// Whether a group holds documents of one kind only.
    pub fn has_kind(&self) -> bool {
        self.0
            .iter()
            .any(|f| matches!(f, Field::Kind | Field::KeptKind | Field::Doc))
    }

    /// What seeds a group's bootstrap stream: its key without the kind
    /// [`keeping_kinds`](Self::keeping_kinds) added, so a row that holds one
    /// kind anyway keeps the interval it had when rows pooled kinds. Rows of
    /// one region that differ only in kind then share a stream; they resample
    /// different documents, so each interval is as valid as with its own.
    pub fn seed_key(&self, key: &[String]) -> Vec<String> {
        self.0
            .iter()
            .zip(key)
            .filter(|(f, _)| **f != Field::KeptKind)
            .map(|(_, k)| k.clone())
            .collect()
    }
}

/// How `--ci` resamples: replicates and seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resampling {
    pub samples: usize,
    pub seed: u64,
}

/// One group's shares.
#[derive(Debug, Clone, PartialEq)]
pub struct ShareRow {
    pub key: Vec<String>,
    pub paragraphs: usize,
    pub chars: usize,
    /// Paragraphs labelled `uncertain` (left out of the shares).
    pub uncertain: usize,
    /// Share per theme in codebook order; sums to 1 unless the group has no labelled text.
    pub shares: Vec<f64>,
    /// 95% bootstrap interval of `shares` (`summary --ci`).
    pub ci: Option<Interval>,
    /// Shares corrected for the classifier's confusions (`summary --adjust`).
    pub adjusted: Option<Vec<f64>>,
    /// 95% bootstrap interval of `adjusted`.
    pub adjusted_ci: Option<Interval>,
}

impl ShareRow {
    /// Whether the group has no labelled text (every paragraph `uncertain`,
    /// or no characters): it has no shares, only zeros that do not sum to 1.
    pub fn is_empty(&self) -> bool {
        self.shares.iter().all(|&s| s == 0.0)
    }
}

/// Shares for every group.
#[derive(Debug, Clone, PartialEq)]
pub struct ShareTable {
    pub group: Vec<Field>,
    pub rows: Vec<ShareRow>,
}

/// Below this many paragraphs, one misread paragraph (of average length)
/// moves a row's shares by 5 points or more: short articles are where the
/// model's share error is largest (BENCHMARKS, short documents).
pub const FEW_PARAGRAPHS: usize = 20;

impl ShareTable {
    /// Shares of `rows` (labelled with the themes of `codebook`) per group.
    pub fn compute(
        rows: &[LabelledRow],
        by: &GroupBy,
        weight: Weight,
        codebook: &Codebook,
    ) -> ShareTable {
        let n = codebook.len();
        let mut acc: BTreeMap<Vec<String>, (Vec<f64>, usize, usize, usize)> = BTreeMap::new();
        for r in rows {
            let key: Vec<String> = by.0.iter().map(|f| f.value(r)).collect();
            let e = acc.entry(key).or_insert_with(|| (vec![0.0; n], 0, 0, 0));
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
                let shares: Vec<f64> = if total > 0.0 {
                    w.iter().map(|x| x / total).collect()
                } else {
                    vec![0.0; n]
                };
                ShareRow {
                    key,
                    paragraphs,
                    chars,
                    uncertain,
                    shares,
                    ci: None,
                    adjusted: None,
                    adjusted_ci: None,
                }
            })
            .collect();
        ShareTable {
            group: by.0.clone(),
            rows,
        }
    }

    /// CSV: group columns, `paragraphs,chars,uncertain`, then one column per
    /// theme of `codebook` (the one the table was computed with).
    pub fn write_csv<W: Write>(&self, out: W, codebook: &Codebook) -> Result<()> {
        let mut w = csv::Writer::from_writer(out);
        let n = codebook.len();
        let mut header: Vec<String> = self.group.iter().map(|f| f.name().to_string()).collect();
        header.extend(["paragraphs", "chars", "uncertain"].map(String::from));
        header.extend(codebook.ids().into_iter().map(String::from));
        let has_ci = self.rows.iter().any(|r| r.ci.is_some());
        let has_adj = self.rows.iter().any(|r| r.adjusted.is_some());
        let has_adj_ci = self.rows.iter().any(|r| r.adjusted_ci.is_some());
        if has_ci {
            header.extend(interval_header(codebook, ""));
        }
        if has_adj {
            header.extend(codebook.ids().into_iter().map(|id| format!("{id}_adj")));
        }
        if has_adj_ci {
            header.extend(interval_header(codebook, "_adj"));
        }
        w.write_record(&header).map_err(csv_err)?;
        for r in &self.rows {
            let mut rec = r.key.clone();
            rec.push(r.paragraphs.to_string());
            rec.push(r.chars.to_string());
            rec.push(r.uncertain.to_string());
            push_shares(&mut rec, (!r.is_empty()).then_some(&r.shares), n);
            if has_ci {
                push_interval(&mut rec, r.ci.as_ref(), n);
            }
            if has_adj {
                match &r.adjusted {
                    Some(a) => rec.extend(a.iter().map(|s| format!("{s:.6}"))),
                    None => rec.extend(std::iter::repeat_n(String::new(), n)),
                }
            }
            if has_adj_ci {
                push_interval(&mut rec, r.adjusted_ci.as_ref(), n);
            }
            w.write_record(&rec).map_err(csv_err)?;
        }
        w.flush().map_err(|e| Error::Other(e.to_string()))
    }

    /// The table in long (panel) layout: one row per group × theme, with the
    /// group's division code, province and kinds of document beside it, so it
    /// merges with yearbook data without reshaping. `rows` and `by` must be
    /// those the table was computed from (they give the code, province and
    /// kind: a value shared by every paragraph of the group, else empty;
    /// kinds are all listed, joined by `+`, so a mixed group shows it).
    pub fn write_long_csv<W: Write>(
        &self,
        out: W,
        rows: &[LabelledRow],
        by: &GroupBy,
        codebook: &Codebook,
    ) -> Result<()> {
        use std::collections::{BTreeSet, HashMap};
        #[derive(Default)]
        struct Meta<'a> {
            codes: BTreeSet<&'a str>,
            provinces: BTreeSet<&'a str>,
            kinds: BTreeSet<&'a str>,
        }
        let mut meta: HashMap<Vec<String>, Meta> = HashMap::new();
        for r in rows {
            let m = meta.entry(by.key_of(r)).or_default();
            m.codes.insert(&r.region_code);
            m.provinces.insert(&r.province);
            m.kinds.insert(&r.kind);
        }
        let only = |set: &BTreeSet<&str>| -> String {
            match set.len() {
                1 => set.iter().next().map(|s| s.to_string()).unwrap_or_default(),
                _ => String::new(),
            }
        };
        let mut w = csv::Writer::from_writer(out);
        let has_ci = self.rows.iter().any(|r| r.ci.is_some());
        let has_adj = self.rows.iter().any(|r| r.adjusted.is_some());
        let has_adj_ci = self.rows.iter().any(|r| r.adjusted_ci.is_some());
        let mut header: Vec<String> = self.group.iter().map(|f| f.name().to_string()).collect();
        // A grouping by kind has the kind among its own columns.
        let meta_kind = !self
            .group
            .iter()
            .any(|f| matches!(f, Field::Kind | Field::KeptKind));
        header.extend(["region_code", "province"].map(String::from));
        if meta_kind {
            header.push("kind".into());
        }
        header.extend(["theme", "share"].map(String::from));
        if has_ci {
            header.extend(["share_lo", "share_hi"].map(String::from));
        }
        if has_adj {
            header.push("share_adj".into());
        }
        if has_adj_ci {
            header.extend(["share_adj_lo", "share_adj_hi"].map(String::from));
        }
        header.extend(["paragraphs", "chars", "uncertain"].map(String::from));
        w.write_record(&header).map_err(csv_err)?;
        let num = |x: f64| format!("{x:.6}");
        for r in &self.rows {
            let m = meta.get(&r.key);
            let (code, province, kind) = match m {
                Some(m) => (
                    only(&m.codes),
                    only(&m.provinces),
                    m.kinds
                        .iter()
                        .filter(|k| !k.is_empty())
                        .copied()
                        .collect::<Vec<_>>()
                        .join("+"),
                ),
                None => Default::default(),
            };
            for t in codebook.all() {
                let i = t.index();
                let mut rec = r.key.clone();
                rec.extend([code.clone(), province.clone()]);
                if meta_kind {
                    rec.push(kind.clone());
                }
                rec.push(codebook.id(t).to_string());
                // A group without labelled text has no shares, not zeros.
                let some = !r.is_empty();
                rec.push(if some {
                    num(r.shares[i])
                } else {
                    String::new()
                });
                if has_ci {
                    match &r.ci {
                        Some(ci) if some => rec.extend([num(ci.lo[i]), num(ci.hi[i])]),
                        _ => rec.extend([String::new(), String::new()]),
                    }
                }
                if has_adj {
                    rec.push(match &r.adjusted {
                        Some(a) if some => num(a[i]),
                        _ => String::new(),
                    });
                }
                if has_adj_ci {
                    match &r.adjusted_ci {
                        Some(ci) if some => rec.extend([num(ci.lo[i]), num(ci.hi[i])]),
                        _ => rec.extend([String::new(), String::new()]),
                    }
                }
                rec.extend([
                    r.paragraphs.to_string(),
                    r.chars.to_string(),
                    r.uncertain.to_string(),
                ]);
                w.write_record(&rec).map_err(csv_err)?;
            }
        }
        w.flush().map_err(|e| Error::Other(e.to_string()))
    }

    /// Add bootstrap intervals (`ci`) and/or adjusted shares to every row.
    /// `rows` and `by` must be those the table was computed from.
    pub fn annotate(
        &mut self,
        rows: &[LabelledRow],
        by: &GroupBy,
        weight: Weight,
        ci: Option<Resampling>,
        adjuster: Option<&Adjuster>,
        codebook: &Codebook,
    ) {
        let strata = group_strata(rows, by, weight, codebook);
        // One replicate of the measured confusion per bootstrap replicate,
        // shared by all groups: the adjusted intervals then also carry the
        // uncertainty of the confusion, not only of the paragraphs.
        let confusions: Vec<Adjuster> = match (ci, adjuster) {
            (Some(rs), Some(adj)) => {
                let mut rng = SplitMix64::new(stream_seed(rs.seed, &["confusion".to_string()]));
                (0..rs.samples).map(|_| adj.resampled(&mut rng)).collect()
            }
            _ => Vec::new(),
        };
        for row in &mut self.rows {
            let Some(s) = strata.get(&row.key) else {
                continue;
            };
            // No shares, so nothing to correct or to put an interval on.
            if row.is_empty() {
                continue;
            }
            if let Some(adj) = adjuster {
                row.adjusted = Some(adj.apply(&row.shares));
            }
            if let Some(rs) = ci {
                let reps = s.replicates(rs.samples, stream_seed(rs.seed, &by.seed_key(&row.key)));
                row.ci = Some(Interval::from_replicates(&reps));
                if adjuster.is_some() {
                    let adj_reps: Vec<Vec<f64>> = reps
                        .iter()
                        .zip(&confusions)
                        .map(|(r, c)| c.apply(r))
                        .collect();
                    row.adjusted_ci = Some(Interval::from_replicates(&adj_reps));
                }
            }
        }
    }

    /// A readable table in percent, one row per group (plus interval and adjusted
    /// lines when the rows have them), one column per theme of `codebook`.
    pub fn render(&self, codebook: &Codebook) -> String {
        let (title, keys) = aligned_keys(&self.group, self.rows.iter().map(|r| &r.key));
        let blocks: Vec<Block> = self
            .rows
            .iter()
            .zip(keys)
            .map(|(r, key)| {
                let mut lines = vec![Line {
                    label: String::new(),
                    values: (!r.is_empty()).then(|| percent(&r.shares)),
                    ci: r.ci.as_ref().map(percent_interval),
                }];
                if let Some(a) = &r.adjusted {
                    lines.push(Line {
                        label: "  adjusted".into(),
                        values: Some(percent(a)),
                        ci: r.adjusted_ci.as_ref().map(percent_interval),
                    });
                }
                Block {
                    key,
                    count: r.paragraphs,
                    lines,
                }
            })
            .collect();
        let mut notes = vec!["percent of labelled text per row; each row sums to 100".to_string()];
        let few = self.rows.iter().any(|r| r.paragraphs < FEW_PARAGRAPHS);
        if few && self.rows.iter().all(|r| r.ci.is_none()) {
            notes.push(format!(
                "rows of under {FEW_PARAGRAPHS} paragraphs: one misread paragraph of average length moves \
                 their shares by 5 points or more; --ci gives intervals"
            ));
        }
        if let Some(note) = self.kinds_note() {
            notes.push(note);
        }
        if let Some(note) = self.empty_note() {
            notes.push(note);
        }
        if self.rows.iter().any(|r| r.ci.is_some()) {
            notes.push(
                "[lo-hi]: 95% bootstrap interval, paragraphs resampled within documents".into(),
            );
        }
        if self.rows.iter().any(|r| r.adjusted.is_some()) {
            notes.push(
                "adjusted: corrected for the classifier's confusions (adjusted classify-and-count)"
                    .into(),
            );
            if self.rows.iter().any(|r| r.adjusted_ci.is_some()) {
                notes.push("adjusted intervals resample the paragraphs and the documents the confusions were measured on".into());
            }
        }
        render_blocks(&title, "paras", &blocks, &notes, codebook)
    }

    /// What the table says when it keeps two kinds of document or more apart.
    pub fn kinds_note(&self) -> Option<String> {
        let i = self.group.iter().position(|f| *f == Field::KeptKind)?;
        let kinds: std::collections::BTreeSet<&str> = self
            .rows
            .iter()
            .filter_map(|r| r.key.get(i).map(String::as_str))
            .collect();
        (kinds.len() > 1).then(|| {
            format!(
                "one row per kind of document ({}): shares of different kinds are not pooled; \
                 --kind K keeps one kind, --pool-kinds pools them",
                kinds
                    .iter()
                    .map(|k| if k.is_empty() { "(none)" } else { k })
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
    }

    /// Rows without labelled text, by their display key.
    pub fn empty_rows(&self) -> Vec<String> {
        self.rows
            .iter()
            .filter(|r| r.is_empty())
            .map(|r| key_label(&r.key))
            .collect()
    }

    /// What the table says about rows shown without shares, if there are any.
    pub fn empty_note(&self) -> Option<String> {
        let n = self.rows.iter().filter(|r| r.is_empty()).count();
        (n > 0).then(|| {
            format!(
                "-: {n} row(s) without labelled text (every paragraph `uncertain`, or no \
                 characters), so without shares; the other rows sum to 100"
            )
        })
    }

    /// The group fields as a column title, e.g. `region year`.
    pub fn group_title(&self) -> String {
        self.group
            .iter()
            .map(|f| f.name())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Every group's paragraphs as bootstrap strata (documents), keyed like the table rows.
pub fn group_strata(
    rows: &[LabelledRow],
    by: &GroupBy,
    weight: Weight,
    codebook: &Codebook,
) -> BTreeMap<Vec<String>, Strata> {
    let n = codebook.len();
    let mut grouped: BTreeMap<Vec<String>, Vec<(&str, Contribution)>> = BTreeMap::new();
    for r in rows {
        grouped
            .entry(by.key_of(r))
            .or_default()
            .push((r.doc_id.as_str(), weight.contribution(r, n)));
    }
    grouped
        .into_iter()
        .map(|(k, pairs)| (k, Strata::from_pairs(n, pairs)))
        .collect()
}

fn interval_header(codebook: &Codebook, suffix: &str) -> Vec<String> {
    codebook
        .ids()
        .into_iter()
        .flat_map(|id| [format!("{id}{suffix}_lo"), format!("{id}{suffix}_hi")])
        .collect()
}

/// One share cell per theme (`n`), or `n` empty ones for a row without shares.
pub fn push_shares(rec: &mut Vec<String>, shares: Option<&Vec<f64>>, n: usize) {
    match shares {
        Some(s) => rec.extend(s.iter().map(|x| format!("{x:.6}"))),
        None => rec.extend(std::iter::repeat_n(String::new(), n)),
    }
}

fn push_interval(rec: &mut Vec<String>, ci: Option<&Interval>, n: usize) {
    for t in 0..n {
        match ci {
            Some(ci) => {
                rec.push(format!("{:.6}", ci.lo[t]));
                rec.push(format!("{:.6}", ci.hi[t]));
            }
            None => {
                rec.push(String::new());
                rec.push(String::new());
            }
        }
    }
}

/// Shares in percent.
pub fn percent(v: &[f64]) -> Vec<f64> {
    v.iter().map(|x| x * 100.0).collect()
}

fn percent_interval(ci: &Interval) -> (Vec<f64>, Vec<f64>) {
    (percent(&ci.lo), percent(&ci.hi))
}

/// The column title and display keys of a table's rows, each grouping field
/// padded to the widest value of that field, so that with `--by region,year`
/// the years line up after region names of different widths.
pub fn aligned_keys<'a>(
    group: &[Field],
    keys: impl Iterator<Item = &'a Vec<String>>,
) -> (String, Vec<String>) {
    let shown = |k: &'a String| if k.is_empty() { "(none)" } else { k.as_str() };
    let keys: Vec<Vec<&str>> = keys.map(|k| k.iter().map(shown).collect()).collect();
    let mut width: Vec<usize> = group.iter().map(|f| display_width(f.name())).collect();
    for k in &keys {
        for (w, v) in width.iter_mut().zip(k) {
            *w = (*w).max(display_width(v));
        }
    }
    let join = |cells: Vec<&str>| {
        let n = cells.len();
        let mut out = String::new();
        for (i, c) in cells.into_iter().enumerate() {
            if i + 1 < n {
                out.push_str(&pad(c, width.get(i).copied().unwrap_or(0)));
                out.push(' ');
            } else {
                out.push_str(c);
            }
        }
        out
    };
    let title = join(group.iter().map(|f| f.name()).collect());
    (title, keys.into_iter().map(join).collect())
}

/// A group's key for display: empty values shown as `(none)`.
pub fn key_label(key: &[String]) -> String {
    key.iter()
        .map(|k| if k.is_empty() { "(none)" } else { k })
        .collect::<Vec<_>>()
        .join(" ")
}

/// One group in a terminal table: a key, a count and one or more lines of values (one per theme).
#[derive(Debug, Clone)]
pub struct Block {
    pub key: String,
    pub count: usize,
    pub lines: Vec<Line>,
}

/// One line of values, one per theme (already in display units), optionally with an interval line below.
#[derive(Debug, Clone)]
pub struct Line {
    /// Shown in the key column (the first line of a block shows the key instead).
    pub label: String,
    /// `None` for a row that has no values (no labelled text, no keyword
    /// hits): shown as `-`, not as zeros.
    pub values: Option<Vec<f64>>,
    pub ci: Option<(Vec<f64>, Vec<f64>)>,
}

/// A compact interval: one decimal below 10, whole numbers above (fits 7 columns).
fn fmt_interval(lo: f64, hi: f64) -> String {
    if hi < 9.95 {
        format!("{lo:.1}-{hi:.1}")
    } else if lo < 9.95 {
        format!("{lo:.1}-{hi:.0}")
    } else {
        format!("{lo:.0}-{hi:.0}")
    }
}

/// Render blocks as a table with one column per theme (CJK-width aware).
pub fn render_blocks(
    title: &str,
    count_head: &str,
    blocks: &[Block],
    notes: &[String],
    codebook: &Codebook,
) -> String {
    let n = codebook.len();
    let has_ci = blocks
        .iter()
        .any(|b| b.lines.iter().any(|l| l.ci.is_some()));
    let cw = if has_ci { 9 } else { 7 };
    let kw = blocks
        .iter()
        .flat_map(|b| {
            std::iter::once(display_width(&b.key))
                .chain(b.lines.iter().map(|l| display_width(&l.label)))
        })
        .max()
        .unwrap_or(0)
        .max(display_width(title));
    let nw = count_head.len().max(5);
    let mut out = String::new();
    out.push_str(&pad(title, kw));
    out.push_str(&format!("  {count_head:>nw$}"));
    for t in codebook.all() {
        out.push_str(&format!("{:>cw$}", codebook.short(t)));
    }
    out.push('\n');
    for b in blocks {
        for (i, l) in b.lines.iter().enumerate() {
            if i == 0 {
                out.push_str(&pad(&b.key, kw));
                out.push_str(&format!("  {:>nw$}", b.count));
            } else {
                out.push_str(&pad(&l.label, kw));
                out.push_str(&format!("  {:>nw$}", ""));
            }
            match &l.values {
                Some(values) => {
                    for v in values {
                        out.push_str(&format!("{:>cw$.1}", v));
                    }
                }
                None => out.push_str(&format!("{:>cw$}", "-").repeat(n)),
            }
            out.push('\n');
            if let Some((lo, hi)) = &l.ci {
                out.push_str(&" ".repeat(kw + 2 + nw));
                for (lo, hi) in lo.iter().zip(hi) {
                    out.push_str(&format!("{:>cw$}", fmt_interval(*lo, *hi)));
                }
                out.push('\n');
            }
        }
    }
    for n in notes {
        out.push('(');
        out.push_str(n);
        out.push_str(")\n");
    }
    out
}

/// Terminal columns a string takes: East Asian wide characters (CJK,
/// full-width punctuation, rare CJK extensions) take two, by Unicode's tables
/// rather than a list of ranges that misses some.
pub fn display_width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
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
    use crate::themes::Theme;

    fn cb() -> Codebook {
        Codebook::bundled().unwrap()
    }

    fn row(region: &str, theme: Option<Theme>, text: &str) -> LabelledRow {
        LabelledRow {
            doc_id: format!("{region}-doc"),
            para_id: 0,
            region: region.into(),
            region_code: String::new(),
            province: String::new(),
            prefecture: String::new(),
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
        let t = ShareTable::compute(&rows, &by, Weight::Chars, &cb());
        assert_eq!(t.rows.len(), 2);
        let jia = t.rows.iter().find(|r| r.key[0] == "甲市").unwrap();
        assert!((jia.shares[Theme::Ecology.index()] - 0.75).abs() < 1e-12);
        assert_eq!(jia.uncertain, 1);
        for r in &t.rows {
            assert!((r.shares.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        }
        let p = ShareTable::compute(&rows, &by, Weight::Paragraphs, &cb());
        let jia = p.rows.iter().find(|r| r.key[0] == "甲市").unwrap();
        assert!((jia.shares[Theme::Ecology.index()] - 0.5).abs() < 1e-12);
        assert!(t.render(&cb()).contains("甲市"));
        assert!("region,year".parse::<GroupBy>().is_ok());
        assert!("county".parse::<GroupBy>().is_err());
    }

    #[test]
    fn a_row_without_labelled_text_shows_no_shares_rather_than_zeros() {
        let rows = vec![
            row("甲市", None, "不确定的段落"),
            row("甲市", None, "也不确定"),
            row("乙县", Some(Theme::Rural), "一二"),
        ];
        let by: GroupBy = "region".parse().unwrap();
        let mut t = ShareTable::compute(&rows, &by, Weight::Chars, &cb());
        t.annotate(
            &rows,
            &by,
            Weight::Chars,
            Some(Resampling {
                samples: 20,
                seed: 1,
            }),
            None,
            &cb(),
        );
        assert_eq!(t.empty_rows(), vec!["甲市".to_string()]);
        let jia = t.rows.iter().find(|r| r.key[0] == "甲市").unwrap();
        assert!(jia.is_empty() && jia.ci.is_none());
        let text = t.render(&cb());
        let line = text.lines().find(|l| l.starts_with("甲市")).unwrap();
        assert_eq!(line.matches(" -").count(), Theme::BUNDLED, "{line}");
        assert!(!line.contains("0.0"), "{line}");
        assert!(text.contains("1 row(s) without labelled text"), "{text}");
        let mut csv = Vec::new();
        t.write_csv(&mut csv, &cb()).unwrap();
        let csv = String::from_utf8(csv).unwrap();
        let jia_csv = csv.lines().find(|l| l.starts_with("甲市")).unwrap();
        // Key, counts, then 13 empty shares and 26 empty interval cells (bundled codebook).
        assert_eq!(jia_csv, format!("甲市,2,10,2{}", ",".repeat(39)));
        // Rows with labelled text are unchanged and get no note.
        let t = ShareTable::compute(&rows[2..], &by, Weight::Chars, &cb());
        assert!(t.empty_note().is_none());
        assert!(!t.render(&cb()).contains("without labelled text"));
        assert!(t.render(&cb()).lines().nth(1).unwrap().ends_with("0.0"));
    }

    #[test]
    fn columns_line_up_after_cjk_keys_for_every_grouping() {
        // Extension-B characters, full-width parentheses and an ideographic
        // space are wide too; the old range table missed the first.
        let mut rows = vec![
            row("𠀾𠁀市", Some(Theme::Ecology), "一二三"),
            row("甲市（新区）", Some(Theme::Rural), "一二"),
            row("ab", Some(Theme::Rural), "一二"),
        ];
        rows[1].section = "review".into();
        for by in [
            "region",
            "region,year",
            "region,section",
            "doc",
            "kind,region",
        ] {
            let by: GroupBy = by.parse().unwrap();
            let cb = Codebook::bundled().unwrap();
            let text = ShareTable::compute(&rows, &by, Weight::Chars, &cb).render(&cb);
            let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with('(')).collect();
            let widths: Vec<usize> = lines.iter().map(|l| display_width(l)).collect();
            assert!(widths.windows(2).all(|w| w[0] == w[1]), "{by:?}\n{text}");
            if by.0.len() > 1 {
                // The second field starts at the same column on every line.
                let starts: Vec<usize> = lines
                    .iter()
                    .map(|l| {
                        let first = l.split(' ').next().unwrap();
                        let rest = &l[first.len()..];
                        display_width(first) + rest.len() - rest.trim_start().len()
                    })
                    .collect();
                assert!(starts.windows(2).all(|w| w[0] == w[1]), "{by:?}\n{text}");
            }
        }
    }

    #[test]
    fn rows_of_few_paragraphs_get_a_note_unless_intervals_are_shown() {
        let by: GroupBy = "region".parse().unwrap();
        let note = "rows of under 20 paragraphs";
        let mut rows: Vec<LabelledRow> = (0..FEW_PARAGRAPHS)
            .map(|_| row("甲市", Some(Theme::Ecology), "一二三"))
            .collect();
        let t = ShareTable::compute(&rows, &by, Weight::Chars, &cb());
        assert!(!t.render(&cb()).contains(note));
        rows.push(row("乙县", Some(Theme::Rural), "一二"));
        let mut t = ShareTable::compute(&rows, &by, Weight::Chars, &cb());
        assert!(t.render(&cb()).contains(note));
        let ci = Resampling {
            samples: 50,
            seed: 1,
        };
        t.annotate(&rows, &by, Weight::Chars, Some(ci), None, &cb());
        assert!(!t.render(&cb()).contains(note));
    }
}
