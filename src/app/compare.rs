//! `compare A B`: per theme, A's share, B's share, the difference and its
//! bootstrap interval, largest differences first.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::emit::emit;
use super::inputs::load_rows;
use super::Ui;
use crate::cli::CompareArgs;
use crate::codebook::Codebook;
use crate::error::{Error, Result};
use crate::labelling::rows::LabelledRow;
use crate::shares::bootstrap::{stream_seed, Interval, Strata};
use crate::shares::kinds::{self, Count};
use crate::shares::table::{display_width, Resampling, Weight};
use crate::themes::Theme;

/// One side of a comparison: the rows a name selected and how it matched.
#[derive(Debug, Clone)]
pub struct Side<'a> {
    pub name: String,
    /// `region`, `doc_id` or `region:year`.
    pub matched: &'static str,
    pub rows: Vec<&'a LabelledRow>,
}

impl<'a> Side<'a> {
    /// The kinds of document the side holds.
    pub fn kinds(&self) -> std::collections::BTreeMap<String, Count> {
        kinds::kinds_of(self.rows.iter().copied())
    }

    /// `--kind K`: only the side's paragraphs of kind `K`.
    pub fn of_kind(self, kind: &str) -> Result<Side<'a>> {
        let kind = kind.trim();
        let all = self.kinds();
        let rows: Vec<&LabelledRow> = self.rows.into_iter().filter(|r| r.kind == kind).collect();
        if rows.is_empty() {
            return Err(Error::Other(format!(
                "`{}` has no paragraph of kind {kind} (--kind); it holds {}",
                self.name,
                kinds::describe(&all)
            )));
        }
        Ok(Side { rows, ..self })
    }

    /// Its kinds as one CSV cell: `work_report`, or `article+work_report` when pooled.
    fn kind_cell(&self) -> String {
        self.kinds()
            .into_keys()
            .filter(|k| !k.is_empty())
            .collect::<Vec<_>>()
            .join("+")
    }

    fn documents(&self) -> usize {
        self.rows
            .iter()
            .map(|r| r.doc_id.as_str())
            .collect::<BTreeSet<_>>()
            .len()
    }
    fn describe(&self) -> String {
        let d = self.documents();
        format!(
            "{} ({}; {}; {} document{}, {} paragraphs)",
            self.name,
            self.matched,
            kinds::names(&self.kinds()),
            d,
            if d == 1 { "" } else { "s" },
            self.rows.len()
        )
    }
}

/// The rows a name stands for: a region, else a doc_id, else `REGION:YEAR`.
pub fn select<'a>(rows: &'a [LabelledRow], name: &str, source: &Path) -> Result<Side<'a>> {
    let name = name.trim();
    let pick = |f: &dyn Fn(&LabelledRow) -> bool| -> Vec<&'a LabelledRow> {
        rows.iter().filter(|r| f(r)).collect()
    };
    // A document without a region is its own group, `(unknown: DOC_ID)`.
    let by_region = pick(&|r| r.region_key() == name);
    if !by_region.is_empty() {
        return Ok(Side {
            name: name.to_string(),
            matched: "region",
            rows: by_region,
        });
    }
    let by_doc = pick(&|r| r.doc_id == name);
    if !by_doc.is_empty() {
        return Ok(Side {
            name: name.to_string(),
            matched: "doc_id",
            rows: by_doc,
        });
    }
    if let Some((region, year)) = name.rsplit_once([':', '\u{ff1a}']) {
        if let Ok(year) = year.trim().parse::<u16>() {
            let region = region.trim();
            let by_year = pick(&|r| r.region_key() == region && r.year == Some(year));
            if !by_year.is_empty() {
                return Ok(Side {
                    name: name.to_string(),
                    matched: "region:year",
                    rows: by_year,
                });
            }
        }
    }
    let regions: BTreeSet<String> = rows.iter().map(|r| r.region_key()).collect();
    let shown: Vec<&str> = regions.iter().map(String::as_str).take(20).collect();
    Err(Error::input(
        source,
        format!(
            "`{name}` is neither a region, a doc_id nor REGION:YEAR here; regions: {}{}",
            shown.join(", "),
            if regions.len() > shown.len() {
                ", …"
            } else {
                ""
            }
        ),
    ))
}

/// Like with like: both sides must hold one kind of document, the same one;
/// else the comparison is refused, naming the kinds and what to pass.
pub fn check_kinds(a: &Side, b: &Side) -> Result<()> {
    let (ka, kb) = (a.kinds(), b.kinds());
    let common: Vec<&str> = ka
        .keys()
        .filter(|k| kb.contains_key(*k))
        .map(|k| kinds::label(k))
        .collect();
    let hint = if common.is_empty() {
        "no kind is on both sides, so --kind cannot help".to_string()
    } else {
        format!(
            "--kind {} compares the paragraphs of that kind on each side",
            common.join(" or --kind ")
        )
    };
    for s in [a, b] {
        let k = s.kinds();
        if k.len() > 1 {
            return Err(Error::Other(format!(
                "`{}` holds {} kinds of document: {}; its pooled shares mix what each kind is for with attention, so it is not compared as one ({hint}; --pool-kinds compares the pooled text anyway)",
                s.name,
                k.len(),
                kinds::describe(&k)
            )));
        }
    }
    if ka.keys().ne(kb.keys()) {
        return Err(Error::Other(format!(
            "`{}` is {} and `{}` is {}: a difference between two kinds of document reflects what each kind is for (a plan report is mostly the economy's figures and targets) as much as attention, so it is not tested; compare documents of one kind ({hint}), or pass --pool-kinds to compare them anyway",
            a.name,
            kinds::describe(&ka),
            b.name,
            kinds::describe(&kb)
        )));
    }
    Ok(())
}

/// Whether both sides hold one kind, the same.
fn like_with_like(a: &Side, b: &Side) -> bool {
    let (ka, kb) = (a.kinds(), b.kinds());
    ka.len() == 1 && ka.keys().eq(kb.keys())
}

/// One theme's comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareRow {
    pub theme: Theme,
    pub a: f64,
    pub b: f64,
    /// `a - b`.
    pub diff: f64,
    /// 95% bootstrap interval of the difference.
    pub lo: f64,
    pub hi: f64,
}

/// Compare two sets of rows: shares, difference and its interval per theme,
/// sorted by |difference|, largest first. A and B are resampled independently
/// (paragraphs within documents), each with its own stream derived from the seed
/// and its name.
pub fn compare(
    a: &Side,
    b: &Side,
    weight: Weight,
    resampling: Resampling,
    codebook: &Codebook,
) -> Result<Vec<CompareRow>> {
    let n = codebook.len();
    let strata = |s: &Side| {
        Strata::from_pairs(
            n,
            s.rows
                .iter()
                .map(|r| (r.doc_id.as_str(), weight.contribution(r, n))),
        )
    };
    let (sa, sb) = (strata(a), strata(b));
    let (pa, pb) = (sa.shares(), sb.shares());
    for (side, p) in [(a, &pa), (b, &pb)] {
        if p.iter().sum::<f64>() <= 0.0 {
            return Err(Error::Other(format!(
                "`{}` has no labelled text (every paragraph is uncertain or empty)",
                side.name
            )));
        }
    }
    let ra = sa.replicates(
        resampling.samples,
        stream_seed(resampling.seed, std::slice::from_ref(&a.name)),
    );
    let rb = sb.replicates(
        resampling.samples,
        stream_seed(resampling.seed, std::slice::from_ref(&b.name)),
    );
    let diffs: Vec<Vec<f64>> = ra
        .iter()
        .zip(&rb)
        .map(|(x, y)| x.iter().zip(y).map(|(x, y)| x - y).collect())
        .collect();
    let ci = Interval::from_replicates(&diffs);
    let mut out: Vec<CompareRow> = codebook
        .all()
        .map(|t| {
            let i = t.index();
            CompareRow {
                theme: t,
                a: pa[i],
                b: pb[i],
                diff: pa[i] - pb[i],
                lo: ci.lo[i],
                hi: ci.hi[i],
            }
        })
        .collect();
    // Stable: equal differences keep codebook order.
    out.sort_by(|x, y| y.diff.abs().total_cmp(&x.diff.abs()));
    Ok(out)
}

fn write_csv(
    w: &mut dyn std::io::Write,
    a: &Side,
    b: &Side,
    rows: &[CompareRow],
    codebook: &Codebook,
) -> Result<()> {
    let err = |e: csv::Error| Error::Other(format!("writing CSV: {e}"));
    let (kind_a, kind_b) = (a.kind_cell(), b.kind_cell());
    let mut c = csv::Writer::from_writer(w);
    c.write_record([
        "a", "b", "theme", "name", "share_a", "share_b", "diff", "diff_lo", "diff_hi", "kind_a",
        "kind_b",
    ])
    .map_err(err)?;
    for r in rows {
        c.write_record([
            a.name.as_str(),
            b.name.as_str(),
            codebook.id(r.theme),
            codebook.zh(r.theme),
            &format!("{:.6}", r.a),
            &format!("{:.6}", r.b),
            &format!("{:.6}", r.diff),
            &format!("{:.6}", r.lo),
            &format!("{:.6}", r.hi),
            &kind_a,
            &kind_b,
        ])
        .map_err(err)?;
    }
    c.flush().map_err(|e| Error::Other(e.to_string()))
}

fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(display_width(s))))
}

/// The readable comparison table.
pub fn render(
    a: &Side,
    b: &Side,
    rows: &[CompareRow],
    samples: usize,
    codebook: &Codebook,
) -> String {
    let mut s = format!("A = {}\nB = {}\n\n", a.describe(), b.describe());
    s.push_str(&format!(
        "{}{}{:>8}{:>8}{:>9}  {}\n",
        pad("theme", 12),
        pad("", 20),
        "A %",
        "B %",
        "A-B pp",
        "95% interval (pp)"
    ));
    for r in rows {
        let sig = if r.lo > 0.0 || r.hi < 0.0 { " *" } else { "" };
        s.push_str(&format!(
            "{}{}{:>8.1}{:>8.1}{:>+9.1}  [{:+.1}, {:+.1}]{sig}\n",
            pad(codebook.id(r.theme), 12),
            pad(codebook.zh(r.theme), 20),
            r.a * 100.0,
            r.b * 100.0,
            r.diff * 100.0,
            r.lo * 100.0,
            r.hi * 100.0
        ));
    }
    s.push_str(&format!(
        "(shares in percent of labelled text; A-B in percentage points, largest first; interval from {samples} bootstrap resamples of paragraphs within documents; * = interval excludes 0)\n"
    ));
    if !like_with_like(a, b) {
        s.push_str(&format!(
            "(A and B are not documents of one kind ({} against {}, --pool-kinds): part of each \
             difference is the kinds', not attention's; * says only that resampling paragraphs \
             does not explain it)\n",
            kinds::names(&a.kinds()),
            kinds::names(&b.kinds())
        ));
    }
    s
}

/// `policy-themes compare`.
pub fn run(args: &CompareArgs, ui: Ui) -> Result<i32> {
    let format = ui.format(&args.format, crate::cli::OutputFormat::Table);
    let (input, names): (Option<PathBuf>, &[String]) =
        match (args.source.gold, args.args.as_slice()) {
            (true, [_, _]) => (None, &args.args[..]),
            (true, _) => {
                return Err(Error::Other(
                    "with --gold give only the two names: compare --gold A B".into(),
                ))
            }
            (false, [file, rest @ ..]) if rest.len() == 2 => (Some(PathBuf::from(file)), rest),
            (false, [_, _]) => (
                Some(PathBuf::from(super::DEFAULT_PARAGRAPHS)),
                &args.args[..],
            ),
            _ => {
                return Err(Error::Other(
                    "give LABELLED.csv A B (or A B with --gold)".into(),
                ))
            }
        };
    let codebook = args.codebook.load()?;
    let rows = load_rows(
        input.as_deref(),
        args.source.gold,
        &args.source.labels,
        &args.source.corpus,
        &codebook,
        ui,
    )?;
    let source = input.unwrap_or_else(|| args.source.labels.clone());
    let mut a = select(&rows, &names[0], &source)?;
    let mut b = select(&rows, &names[1], &source)?;
    if let Some(k) = &args.kinds.kind {
        a = a.of_kind(k)?;
        b = b.of_kind(k)?;
    }
    if args.kinds.pool_kinds {
        if !like_with_like(&a, &b) {
            ui.warn(format!(
                "`{}` ({}) and `{}` ({}) are not documents of one kind; comparing them anyway \
                 (--pool-kinds)",
                a.name,
                kinds::names(&a.kinds()),
                b.name,
                kinds::names(&b.kinds())
            ));
        }
    } else {
        check_kinds(&a, &b)?;
    }
    if a.rows.len() == b.rows.len()
        && a.rows
            .iter()
            .zip(&b.rows)
            .all(|(x, y)| std::ptr::eq(*x, *y))
    {
        return Err(Error::Other(format!(
            "`{}` and `{}` select the same paragraphs",
            a.name, b.name
        )));
    }
    let in_a: BTreeSet<(&str, usize)> = a
        .rows
        .iter()
        .map(|r| (r.doc_id.as_str(), r.para_id))
        .collect();
    if b.rows
        .iter()
        .any(|r| in_a.contains(&(r.doc_id.as_str(), r.para_id)))
    {
        ui.warn(format!(
            "`{}` and `{}` share paragraphs; the interval treats them as independent samples",
            a.name, b.name
        ));
    }
    let resampling = args.bootstrap.resampling();
    let table = compare(&a, &b, args.weight, resampling, &codebook)?;
    emit(
        args.output.as_ref(),
        format,
        ui,
        |w| write_csv(w, &a, &b, &table, &codebook),
        || render(&a, &b, &table, args.bootstrap.samples, &codebook),
    )?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(doc: &str, region: &str, year: u16, theme: Theme, text: &str) -> LabelledRow {
        LabelledRow {
            doc_id: doc.into(),
            para_id: 0,
            region: region.into(),
            region_code: String::new(),
            province: String::new(),
            prefecture: String::new(),
            year: Some(year),
            kind: String::new(),
            section: String::new(),
            theme: Some(theme),
            confidence: 0.9,
            secondary: None,
            text: text.into(),
            explain: None,
        }
    }

    fn rows() -> Vec<LabelledRow> {
        let mut v = Vec::new();
        for i in 0..30 {
            let t = [Theme::Rural, Theme::Rural, Theme::Ecology][i % 3];
            v.push(row("a1", "甲市", 2022, t, "一二三四五六七八九十"));
            let t = [Theme::Industry, Theme::Ecology, Theme::Rural][i % 3];
            v.push(row("b1", "乙县", 2021, t, "一二三四五六七八九十"));
            v.push(row("b2", "乙县", 2023, Theme::Industry, "一二三四五"));
        }
        v
    }

    #[test]
    fn differences_are_sorted_by_size_and_intervals_cover_them() {
        let rows = rows();
        let p = Path::new("x.csv");
        let a = select(&rows, "甲市", p).unwrap();
        let b = select(&rows, "乙县", p).unwrap();
        assert_eq!((a.matched, b.rows.len()), ("region", 60));
        let rs = Resampling {
            samples: 500,
            seed: 9,
        };
        let cb = Codebook::bundled().unwrap();
        let t = compare(&a, &b, Weight::Chars, rs, &cb).unwrap();
        assert_eq!(t.len(), Theme::BUNDLED);
        for w in t.windows(2) {
            assert!(w[0].diff.abs() >= w[1].diff.abs());
        }
        assert_eq!(t[0].theme, Theme::Industry);
        for r in &t {
            assert!((r.diff - (r.a - r.b)).abs() < 1e-12);
            assert!(r.lo <= r.diff + 1e-9 && r.diff <= r.hi + 1e-9, "{r:?}");
        }
        assert_eq!(t, compare(&a, &b, Weight::Chars, rs, &cb).unwrap());
        let text = render(&a, &b, &t, 500, &cb);
        assert!(text.contains("甲市") && text.contains("industry"));
    }

    #[test]
    fn names_match_regions_doc_ids_and_region_years() {
        let rows = rows();
        let p = Path::new("x.csv");
        assert_eq!(select(&rows, "b2", p).unwrap().matched, "doc_id");
        let s = select(&rows, "乙县:2023", p).unwrap();
        assert_eq!((s.matched, s.rows.len()), ("region:year", 30));
        let e = select(&rows, "丙镇", p).unwrap_err().to_string();
        assert!(e.contains("x.csv") && e.contains("甲市"), "{e}");
    }
}
