//! Vocabulary and TF-IDF weights fitted on training paragraphs.
//!
//! Document frequencies are fixed at fit time and stored, so a paragraph gets
//! the same vector whatever else is labelled with it (linfa-preprocessing's
//! TF-IDF recomputes them at transform time, which cannot serve prediction).

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use serde::{Deserialize, Serialize};

use super::features::FeatureConfig;

/// A sparse row: distinct term indices and their weights. [`Vectorizer::transform`]
/// gives them in order of first occurrence in the paragraph (deterministic for
/// a given text); nothing depends on the order beyond the last bits of sums.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SparseVec {
    pub idx: Vec<u32>,
    pub val: Vec<f32>,
}

impl SparseVec {
    pub fn len(&self) -> usize {
        self.idx.len()
    }
    pub fn is_empty(&self) -> bool {
        self.idx.is_empty()
    }
    pub fn iter(&self) -> impl Iterator<Item = (usize, f32)> + '_ {
        self.idx
            .iter()
            .map(|&i| i as usize)
            .zip(self.val.iter().copied())
    }
}

/// Vocabulary plus inverse document frequencies.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Vectorizer {
    pub config: FeatureConfig,
    /// Terms in index order.
    pub terms: Vec<String>,
    /// Smoothed idf per term: ln((1 + n) / (1 + df)) + 1.
    pub idf: Vec<f32>,
    /// Term → index. FxHash: these keys are short and trusted, and lookups
    /// are the hot loop of labelling.
    #[serde(skip)]
    index: FxHashMap<String, u32>,
    /// Character-bigram terms (`#ab`) keyed by the two characters packed in a
    /// u64, so labelling looks them up without building a string.
    #[serde(skip)]
    char_index: FxHashMap<u64, u32>,
}

fn pack(a: char, b: char) -> u64 {
    (u64::from(a as u32) << 32) | u64::from(b as u32)
}

/// The packed key of a `#ab` character-bigram term.
fn char_bigram_key(term: &str) -> Option<u64> {
    let mut it = term.chars();
    match (it.next(), it.next(), it.next(), it.next()) {
        (Some('#'), Some(a), Some(b), None) => Some(pack(a, b)),
        _ => None,
    }
}

impl Vectorizer {
    /// Fit on training paragraphs, given their tokens and raw text.
    pub fn fit<'a>(
        config: FeatureConfig,
        docs: impl IntoIterator<Item = (&'a [&'a str], &'a str)>,
    ) -> Vectorizer {
        let mut df: HashMap<String, u32> = HashMap::new();
        let mut n_docs = 0u32;
        let mut scratch = String::new();
        let mut seen: HashMap<String, ()> = HashMap::new();
        for (tokens, text) in docs {
            n_docs += 1;
            seen.clear();
            config.for_each_term(tokens, text, &mut scratch, |t| {
                if !seen.contains_key(t) {
                    seen.insert(t.to_string(), ());
                }
            });
            for t in seen.keys() {
                *df.entry(t.clone()).or_insert(0) += 1;
            }
        }
        let mut terms: Vec<(String, u32)> = df
            .into_iter()
            .filter(|(_, d)| *d >= config.min_df.max(1))
            .collect();
        // Sorted terms make the model file and feature indices deterministic.
        terms.sort();
        let n = n_docs as f32;
        let idf = terms
            .iter()
            .map(|(_, d)| ((1.0 + n) / (1.0 + *d as f32)).ln() + 1.0)
            .collect();
        Vectorizer::from_parts(config, terms.into_iter().map(|(t, _)| t).collect(), idf)
    }

    /// Rebuild from stored parts (after deserializing).
    pub fn from_parts(config: FeatureConfig, terms: Vec<String>, idf: Vec<f32>) -> Vectorizer {
        let mut v = Vectorizer {
            config,
            terms,
            idf,
            index: FxHashMap::default(),
            char_index: FxHashMap::default(),
        };
        v.reindex();
        v
    }

    /// Rebuild the term indexes after deserializing.
    pub fn reindex(&mut self) {
        self.index = self
            .terms
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), i as u32))
            .collect();
        self.char_index = self
            .terms
            .iter()
            .enumerate()
            .filter_map(|(i, t)| char_bigram_key(t).map(|k| (k, i as u32)))
            .collect();
    }

    pub fn n_features(&self) -> usize {
        self.terms.len()
    }

    pub fn term_index(&self, term: &str) -> Option<u32> {
        self.index.get(term).copied()
    }

    /// How many of a text's term occurrences are in the vocabulary, and how
    /// many there are: how much of the text the model can read at all.
    pub fn coverage(&self, tokens: &[&str], text: &str) -> (usize, usize) {
        let (mut known, mut total) = (0, 0);
        self.for_each_lookup(tokens, text, &mut String::new(), |i| {
            total += 1;
            known += usize::from(i.is_some());
        });
        (known, total)
    }

    /// Each term occurrence of a text (the terms of
    /// [`FeatureConfig::for_each_term`]), looked up: its index, or `None`
    /// when it is not in the vocabulary. Character bigrams are looked up by
    /// packed key instead of building strings.
    fn for_each_lookup(
        &self,
        tokens: &[&str],
        text: &str,
        term: &mut String,
        mut f: impl FnMut(Option<u32>),
    ) {
        let only_words = FeatureConfig {
            char_bigrams: false,
            ..self.config
        };
        only_words.for_each_term(tokens, text, term, |t| f(self.index.get(t).copied()));
        if self.config.char_bigrams {
            for (p, c) in super::features::cjk_pairs(text) {
                f(self.char_index.get(&pack(p, c)).copied());
            }
        }
    }

    /// TF-IDF vector of one paragraph, L2-normalised; unknown terms are ignored.
    ///
    /// Finds the same terms as [`FeatureConfig::for_each_term`] (tested), but
    /// looks character bigrams up by packed key (`for_each_lookup`).
    pub fn transform(&self, tokens: &[&str], text: &str, scratch: &mut Scratch) -> SparseVec {
        COUNTS.with(|counts| {
            let mut counts = counts.borrow_mut();
            if counts.len() < self.terms.len() {
                counts.resize(self.terms.len(), 0);
            }
            self.transform_with(tokens, text, scratch, &mut counts)
        })
    }

    /// [`Vectorizer::transform`] with a dense count array that is all zero on
    /// entry and is left all zero.
    fn transform_with(
        &self,
        tokens: &[&str],
        text: &str,
        scratch: &mut Scratch,
        counts: &mut [u32],
    ) -> SparseVec {
        let Scratch { touched, term } = scratch;
        touched.clear();
        let mut add = |i: u32| {
            let c = &mut counts[i as usize];
            if *c == 0 {
                touched.push(i);
            }
            *c += 1;
        };
        self.for_each_lookup(tokens, text, term, |i| {
            if let Some(i) = i {
                add(i);
            }
        });
        // First-occurrence order: nothing needs the terms sorted.
        let mut v = SparseVec {
            idx: Vec::with_capacity(touched.len()),
            val: Vec::with_capacity(touched.len()),
        };
        for &i in touched.iter() {
            let tf = std::mem::take(&mut counts[i as usize]) as f32;
            let tf = if self.config.sublinear_tf {
                1.0 + tf.ln()
            } else {
                tf
            };
            v.idx.push(i);
            v.val.push(tf * self.idf[i as usize]);
        }
        let norm = v.val.iter().map(|x| x * x).sum::<f32>().sqrt();
        if norm > 0.0 {
            v.val.iter_mut().for_each(|x| *x /= norm);
        }
        v
    }
}

thread_local! {
    /// Occurrences per term for [`Vectorizer::transform`], all zero between
    /// calls: counting into it is linear where sorting every occurrence was
    /// n log n. Per thread rather than in [`Scratch`], because callers make a
    /// scratch for every piece of work rayon splits off, and zeroing a
    /// vocabulary-sized array that often cost more than the sort.
    static COUNTS: std::cell::RefCell<Vec<u32>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Reusable buffers for [`Vectorizer::transform`].
#[derive(Debug, Default)]
pub struct Scratch {
    /// Terms with a non-zero count in the thread's count array.
    touched: Vec<u32>,
    term: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_and_transform() {
        let docs: Vec<(Vec<&str>, &str)> = vec![
            (vec!["乡村", "振兴", "乡村"], ""),
            (vec!["乡村", "招商"], ""),
            (vec!["招商", "引资"], ""),
        ];
        let cfg = FeatureConfig {
            min_df: 2,
            ..FeatureConfig::default()
        };
        let v = Vectorizer::fit(cfg, docs.iter().map(|(t, s)| (t.as_slice(), *s)));
        assert_eq!(v.terms, ["乡村", "招商"]); // 振兴, 引资 below min_df
        let mut s = Scratch::default();
        let x = v.transform(&["乡村", "乡村", "招商", "未知"], "", &mut s);
        assert_eq!(x.idx, [0, 1]);
        let norm: f32 = x.val.iter().map(|a| a * a).sum();
        assert!((norm - 1.0).abs() < 1e-5);
        // Sublinear tf: 1 + ln 2 for 乡村, 1 for 招商; equal idf (df 2 of 3 for both).
        assert!((x.val[0] / x.val[1] - (1.0 + 2f32.ln())).abs() < 1e-5);
        assert!(v.transform(&["未知"], "", &mut s).is_empty());

        // The thread's count array is left zeroed: the same input gives the
        // same vector again, also after a vectorizer with more terms used it.
        let again = v.transform(&["乡村", "乡村", "招商", "未知"], "", &mut s);
        assert_eq!(again, x);
        let many: Vec<(Vec<&str>, &str)> = (0..50)
            .map(|_| (vec!["乡村", "招商", "引资"], ""))
            .collect();
        let w = Vectorizer::fit(cfg, many.iter().map(|(t, s)| (t.as_slice(), *s)));
        assert_eq!(w.transform(&["引资", "引资"], "", &mut s).len(), 1);
        assert_eq!(v.transform(&["乡村", "乡村", "招商"], "", &mut s), x);
    }

    #[test]
    fn fast_char_bigram_lookup_finds_the_same_terms_as_the_string_path() {
        let cfg = FeatureConfig {
            char_bigrams: true,
            word_bigrams: true,
            min_df: 1,
            ..FeatureConfig::default()
        };
        let texts = [
            "乡村振兴战略,高标准农田#建设",
            "招商引资、乡村振兴",
            "#乡村 abc 振兴",
        ];
        let toks: Vec<Vec<&str>> = texts
            .iter()
            .map(|t| {
                t.split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .collect()
            })
            .collect();
        let v = Vectorizer::fit(cfg, toks.iter().zip(texts).map(|(t, s)| (t.as_slice(), s)));
        let mut s = Scratch::default();
        for (t, text) in toks.iter().zip(texts) {
            let fast = v.transform(t, text, &mut s);
            // Reference: the string path over all terms.
            let mut counts: std::collections::BTreeMap<u32, f32> = Default::default();
            let mut scratch = String::new();
            cfg.for_each_term(t, text, &mut scratch, |term| {
                if let Some(i) = v.term_index(term) {
                    *counts.entry(i).or_default() += 1.0;
                }
            });
            let mut idx = fast.idx.clone();
            idx.sort_unstable();
            assert_eq!(idx, counts.keys().copied().collect::<Vec<_>>());
        }
        // Coverage counts term occurrences the same two ways, unknown ones too.
        for text in ["乡村振兴战略,高标准农田#建设", "未知词语乡村", "abc", ""] {
            let words: Vec<&str> = text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            let (mut known, mut total) = (0, 0);
            cfg.for_each_term(&words, text, &mut String::new(), |term| {
                total += 1;
                known += usize::from(v.term_index(term).is_some());
            });
            assert_eq!(v.coverage(&words, text), (known, total), "{text}");
        }
        assert_eq!(v.coverage(&["未知"], "未知词语"), (0, 4));
    }
}
