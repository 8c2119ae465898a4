//! Like with like: kinds of document (work reports, plan reports, articles)
//! are kept apart in rows, trends and comparisons, since each kind spends its
//! text differently (a plan report is mostly `industry` and `investment`
//! figures, an article one topic), so a pooled row or a difference across
//! kinds measures the mix of kinds as much as attention.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::error::{Error, Result};
use crate::labelling::rows::LabelledRow;
use crate::shares::table::GroupBy;

/// A kind as shown: the empty kind (unknown) as `(none)`.
pub fn label(kind: &str) -> &str {
    if kind.is_empty() {
        "(none)"
    } else {
        kind
    }
}

/// Documents and paragraphs of one kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Count {
    pub documents: usize,
    pub paragraphs: usize,
}

/// The kinds of document among `rows`, in name order, with what they hold.
pub fn kinds_of<'a>(rows: impl IntoIterator<Item = &'a LabelledRow>) -> BTreeMap<String, Count> {
    let mut docs: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut paras: BTreeMap<&str, usize> = BTreeMap::new();
    for r in rows {
        docs.entry(&r.kind).or_default().insert(&r.doc_id);
        *paras.entry(&r.kind).or_default() += 1;
    }
    docs.into_iter()
        .map(|(k, d)| {
            let count = Count {
                documents: d.len(),
                paragraphs: paras.get(k).copied().unwrap_or(0),
            };
            (k.to_string(), count)
        })
        .collect()
}

/// `work_report (1 document, 98 paragraphs), article (7 documents, 55 paragraphs)`.
pub fn describe(kinds: &BTreeMap<String, Count>) -> String {
    kinds
        .iter()
        .map(|(k, c)| {
            format!(
                "{} ({} document{}, {} paragraphs)",
                label(k),
                c.documents,
                if c.documents == 1 { "" } else { "s" },
                c.paragraphs
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The kinds' names, `, `-separated.
pub fn names(kinds: &BTreeMap<String, Count>) -> String {
    kinds
        .keys()
        .map(|k| label(k))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `--kind K`: only the rows of kind `K` (read from `source`), or an error
/// listing the kinds there when none is of that kind.
pub fn only(rows: Vec<LabelledRow>, kind: Option<&str>, source: &Path) -> Result<Vec<LabelledRow>> {
    let Some(kind) = kind.map(str::trim) else {
        return Ok(rows);
    };
    if rows.iter().any(|r| r.kind == kind) {
        return Ok(rows.into_iter().filter(|r| r.kind == kind).collect());
    }
    Err(Error::input(
        source,
        format!(
            "--kind {kind}: no paragraph of that kind; kinds here: {}",
            describe(&kinds_of(&rows))
        ),
    ))
}

/// The grouping a table of `rows` uses: `by` with kinds kept apart (see
/// [`GroupBy::keeping_kinds`]) unless `pool`, or unless no row has a kind
/// (a labelled file without the `kind` column: nothing to keep apart).
pub fn grouping(by: GroupBy, rows: &[LabelledRow], pool: bool) -> GroupBy {
    if pool || rows.iter().all(|r| r.kind.is_empty()) {
        by
    } else {
        by.keeping_kinds()
    }
}

/// The line a command prints on stderr about how its rows treat kinds, if
/// the rows hold more than one kind: kept apart (`apart`) or pooled.
pub fn grouping_note(rows: &[LabelledRow], apart: bool) -> Option<String> {
    let kinds = kinds_of(rows);
    if kinds.len() < 2 {
        return None;
    }
    Some(if apart {
        format!(
            "rows keep kinds of document apart (column `kind`): {}; --kind K keeps one kind, \
             --pool-kinds pools them",
            names(&kinds)
        )
    } else {
        format!(
            "rows pool kinds of document (--pool-kinds): {}; a pooled row's shares depend on \
             its mix of kinds",
            names(&kinds)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(doc: &str, kind: &str) -> LabelledRow {
        LabelledRow {
            doc_id: doc.into(),
            para_id: 0,
            region: "甲市".into(),
            region_code: String::new(),
            province: String::new(),
            prefecture: String::new(),
            year: Some(2022),
            kind: kind.into(),
            section: String::new(),
            theme: None,
            confidence: 1.0,
            secondary: None,
            text: "一".into(),
            explain: None,
        }
    }

    #[test]
    fn kinds_are_counted_filtered_and_named() {
        let rows = vec![
            row("a", "work_report"),
            row("a", "work_report"),
            row("b", "article"),
            row("c", "article"),
            row("d", ""),
        ];
        let k = kinds_of(&rows);
        assert_eq!(
            describe(&k),
            "(none) (1 document, 1 paragraphs), article (2 documents, 2 paragraphs), \
             work_report (1 document, 2 paragraphs)"
        );
        let p = Path::new("x.csv");
        assert_eq!(only(rows.clone(), Some("article"), p).unwrap().len(), 2);
        assert_eq!(only(rows.clone(), None, p).unwrap().len(), 5);
        let e = only(rows.clone(), Some("plan_report"), p)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("x.csv") && e.contains("work_report (1 document"),
            "{e}"
        );
        assert!(grouping_note(&rows, true).unwrap().contains("apart"));
        assert!(grouping_note(&rows[..2], true).is_none());
    }
}
