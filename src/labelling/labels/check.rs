//! `labels check`: label files against the current segmentation of the corpus.

use std::collections::{BTreeMap, HashMap};

use super::LabelSet;
use crate::codebook::Codebook;
use crate::corpus::Document;
use crate::error::Error;

/// Problems from comparing labels with segmented documents.
pub fn against_corpus(set: &LabelSet, docs: &[Document]) -> Vec<Error> {
    let mut problems = Vec::new();
    let mut paras: HashMap<(&str, usize), &str> = HashMap::new();
    for d in docs {
        for p in &d.paragraphs {
            paras.insert((d.doc_id.as_str(), p.para_id), p.text.as_str());
        }
    }
    let mut labelled: HashMap<(&str, usize), ()> = HashMap::new();
    for r in &set.rows {
        labelled.insert((r.doc_id.as_str(), r.para_id), ());
        match paras.get(&(r.doc_id.as_str(), r.para_id)) {
            None => problems.push(Error::line(
                &r.file,
                r.line,
                format!(
                    "({}, {}) is not a paragraph of the corpus as segmented now",
                    r.doc_id, r.para_id
                ),
            )),
            Some(t) if *t != r.text => problems.push(Error::line(
                &r.file,
                r.line,
                format!(
                    "text of ({}, {}) differs from the current segmentation (corpus: `{}`)",
                    r.doc_id,
                    r.para_id,
                    t.chars().take(30).collect::<String>()
                ),
            )),
            Some(_) => {}
        }
    }
    for d in docs {
        let missing: Vec<usize> = d
            .paragraphs
            .iter()
            .filter(|p| !labelled.contains_key(&(d.doc_id.as_str(), p.para_id)))
            .map(|p| p.para_id)
            .collect();
        if !missing.is_empty() {
            problems.push(Error::Other(format!(
                "{}: {} paragraph(s) without a label: {:?}",
                d.doc_id,
                missing.len(),
                &missing[..missing.len().min(20)]
            )));
        }
    }
    problems
}

/// Counts per document and theme, for the `labels check` table.
pub fn counts(set: &LabelSet, codebook: &Codebook) -> BTreeMap<String, Vec<usize>> {
    let mut m: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for r in &set.rows {
        m.entry(r.doc_id.clone())
            .or_insert_with(|| vec![0; codebook.len()])[r.theme.index()] += 1;
    }
    m
}

/// Render counts as an aligned text table with a total row.
pub fn counts_table(counts: &BTreeMap<String, Vec<usize>>, codebook: &Codebook) -> String {
    let mut out = String::new();
    let w = counts.keys().map(|k| k.len()).max().unwrap_or(6).max(6);
    out.push_str(&format!("{:<w$}", "doc_id"));
    for t in codebook.all() {
        // Ids are ASCII, so five bytes are five characters.
        let id = codebook.id(t);
        out.push_str(&format!(" {:>5}", &id[..5.min(id.len())]));
    }
    out.push_str("  total\n");
    let mut total = vec![0usize; codebook.len()];
    for (doc, c) in counts {
        out.push_str(&format!("{doc:<w$}"));
        for (i, n) in c.iter().enumerate() {
            out.push_str(&format!(" {n:>5}"));
            total[i] += n;
        }
        out.push_str(&format!("  {:>5}\n", c.iter().sum::<usize>()));
    }
    out.push_str(&format!("{:<w$}", "total"));
    for n in &total {
        out.push_str(&format!(" {n:>5}"));
    }
    out.push_str(&format!("  {:>5}\n", total.iter().sum::<usize>()));
    out
}
